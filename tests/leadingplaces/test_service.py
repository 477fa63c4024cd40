"""Health checks, security headers, request ids and the friendly page for a database outage."""

import logging

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_health_check_reports_the_database_and_the_cache(anonymous):
    response = anonymous.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_fails_when_the_database_does_not_answer(anonymous, monkeypatch):
    from leadingplaces import views

    def broken_cursor():
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(views.connection, "cursor", broken_cursor)
    response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "failing"


def test_the_health_check_fails_when_the_cache_does_not_answer(anonymous, monkeypatch):
    from leadingplaces import views

    def broken_set(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(views.cache, "set", broken_set)
    response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "failing"


def test_a_database_outage_shows_a_friendly_503_and_the_next_request_recovers(anonymous, monkeypatch):
    from partnerships import views

    real_home = views.home

    def home_without_database(request):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "home", home_without_database)
    from django.urls import clear_url_caches

    clear_url_caches()
    # The URLconf holds the view function itself, so point the resolver at the broken one.
    import leadingplaces.urls

    pattern = next(p for p in leadingplaces.urls.urlpatterns if getattr(p, "name", None) == "home")
    monkeypatch.setattr(pattern, "callback", home_without_database)

    response = anonymous.get("/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
    assert "OperationalError" not in response.content.decode()
    assert response["Retry-After"] == "30"

    monkeypatch.setattr(pattern, "callback", real_home)
    assert anonymous.get("/").status_code == 200


def test_every_response_carries_the_security_headers(anonymous):
    response = anonymous.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp


def test_signed_in_pages_are_never_stored_by_caches(officer_client, anonymous):
    assert officer_client.get("/")["Cache-Control"] == "no-store"
    assert "no-store" not in anonymous.get("/").get("Cache-Control", "")


def test_each_response_has_a_request_id_and_keeps_a_safe_one_from_the_proxy(anonymous):
    generated = anonymous.get("/")["X-Request-ID"]
    assert len(generated) == 32
    assert anonymous.get("/", HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == "proxy-1234abcd"
    assert anonymous.get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_the_liveness_check_does_no_work(anonymous, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = anonymous.get(reverse("healthz-live"))
    assert response.content == b"ok"


@pytest.mark.parametrize("name", ["django.request", "django.security.csrf", "leadingplaces", "axes"])
def test_each_log_message_is_written_once_with_debug_on_or_off(name):
    # Django's defaults add a console handler to "django" when DEBUG is on, besides the root's:
    # every warning appeared twice, and an expected 403 wrote its traceback twice.
    logger, handlers = logging.getLogger(name), []
    while logger:
        handlers += logger.handlers
        logger = logger.parent if logger.propagate else None
    ours = [type(handler).__name__ for handler in handlers if not type(handler).__module__.startswith("_pytest")]
    assert ours == ["StreamHandler"]


def test_the_portals_own_app_configuration_is_the_one_loaded_so_its_signals_are_connected():
    from django.apps import apps

    from leadingplaces.apps import LeadingPlacesConfig, SignInAttemptsConfig

    assert type(apps.get_app_config("leadingplaces")) is LeadingPlacesConfig
    assert type(apps.get_app_config("axes")) is SignInAttemptsConfig

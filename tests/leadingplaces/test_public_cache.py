"""Anonymous public pages come from the cache, revalidate with 304, and never go stale."""

import os

import pytest
from django.core.cache.backends.redis import RedisCache

from leadingplaces import public_cache
from partnerships.models import Partnership, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PUBLIC_CACHE_SECONDS = 600


def test_a_second_anonymous_visit_is_served_from_the_cache_without_queries(
    cached, programme, anonymous, django_assert_num_queries
):
    first = anonymous.get("/")
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = anonymous.get("/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_a_page_from_the_cache_carries_the_same_security_headers_as_when_it_was_rendered(cached, programme, anonymous):
    first = anonymous.get("/partnerships/")
    second = anonymous.get("/partnerships/")
    assert second["X-Cache"] == "hit"
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "X-Content-Type-Options"):
        assert second[header] == first[header], header
    assert second["X-Request-ID"] != first["X-Request-ID"]  # each request still gets its own id


def test_a_page_cached_in_an_older_generation_is_never_served(cached, programme, anonymous):
    anonymous.get("/")
    public_cache.bump()
    assert anonymous.get("/")["X-Cache"] == "miss"
    assert anonymous.get("/")["X-Cache"] == "hit"


def test_a_matching_conditional_request_gets_a_304_without_queries(
    cached, programme, anonymous, django_assert_num_queries
):
    etag = anonymous.get("/")["ETag"]
    assert anonymous.get("/")["Last-Modified"]
    with django_assert_num_queries(0):
        response = anonymous.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_a_conditional_request_with_another_etag_gets_the_cached_page(cached, programme, anonymous):
    first = anonymous.get("/")
    response = anonymous.get("/", HTTP_IF_NONE_MATCH='"not-this-one"')
    assert response.status_code == 200
    assert response["X-Cache"] == "hit" and response["ETag"] == first["ETag"]
    assert response.content == first.content


def test_an_officers_edit_is_visible_at_once_and_old_etags_no_longer_match(cached, programme, anonymous):
    etag = anonymous.get("/")["ETag"]
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    partnership.title = "Active Tynemouth"
    partnership.save()

    response = anonymous.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["X-Cache"] == "miss"
    assert response["ETag"] != etag


def test_changing_a_partnerships_themes_invalidates_the_cache(cached, programme, anonymous):
    etag = anonymous.get("/")["ETag"]
    Partnership.objects.get(title="Healthy Tynemouth").themes.add(Theme.objects.get(slug="skills"))
    assert anonymous.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_delete_invalidates_the_cache(cached, programme, anonymous):
    etag = anonymous.get("/")["ETag"]
    Partnership.objects.get(title="Secret draft partnership").delete()
    assert anonymous.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_signed_in_people_never_get_a_cached_page(cached, programme, anonymous, officer_client):
    anonymous.get("/")
    response = officer_client.get("/")
    assert "X-Cache" not in response
    assert response["Cache-Control"] == "no-store"


def test_private_areas_are_never_cached(cached, anonymous):
    assert "X-Cache" not in anonymous.get("/admin/login/")
    assert "X-Cache" not in anonymous.get("/healthz")


def test_with_caching_off_nothing_is_cached(programme, anonymous):
    response = anonymous.get("/")
    assert "X-Cache" not in response
    assert "ETag" not in response


def test_processes_sharing_one_redis_see_each_others_invalidations(settings):
    """Two cache clients stand in for two app processes: a change in one is seen by the other."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    first, second = RedisCache(url, {}), RedisCache(url, {})
    try:
        first.get("probe")
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"Redis is not reachable at {url}: {error}")
    first.delete(public_cache.GENERATION_KEY)

    import django.core.cache

    original = public_cache.cache
    try:
        public_cache.cache = first
        seen_by_first = public_cache.generation()
        public_cache.cache = second
        assert public_cache.generation() == seen_by_first
        public_cache.bump()
        public_cache.cache = first
        assert public_cache.generation() != seen_by_first
    finally:
        public_cache.cache = original
        first.delete(public_cache.GENERATION_KEY)
    assert django.core.cache.cache is original


def test_an_import_invalidates_the_cache(cached, leading_places, anonymous):
    from partnerships.resources import PartnershipResource

    etag = anonymous.get("/")["ETag"]
    dataset = PartnershipResource().export()
    rows = dataset.dict
    rows[0]["title"] = "Imported title"
    changed = type(dataset)(headers=dataset.headers)
    for row in rows:
        changed.append([row[h] for h in dataset.headers])
    result = PartnershipResource().import_data(changed, dry_run=False)
    assert not result.has_errors()
    assert anonymous.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_publishing_an_evaluation_invalidates_the_cache(cached, programme, anonymous, officer):
    from evaluations import services
    from evaluations.models import Evaluation

    evaluation = Evaluation.objects.get()
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.save()
    etag = anonymous.get("/phases/phase-2/")["ETag"]
    services.publish(evaluation, by=officer)
    assert anonymous.get("/phases/phase-2/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_with_the_cache_server_down_pages_are_served_uncached_and_edits_still_save(
    cached, programme, anonymous, monkeypatch, caplog
):
    # A real Redis client, pointed at a port where no server listens.
    monkeypatch.setattr(public_cache, "cache", RedisCache("redis://127.0.0.1:9/0", {}))
    response = anonymous.get("/")
    assert response.status_code == 200 and "X-Cache" not in response
    assert anonymous.get("/", HTTP_IF_NONE_MATCH='"anything"').status_code == 200
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    partnership.title = "Active Tynemouth"
    partnership.save()
    assert Partnership.objects.filter(title="Active Tynemouth").exists()
    assert "Active Tynemouth" in anonymous.get("/partnerships/").text
    assert "Public page cache unavailable" in caplog.text
    assert "Could not start a new generation" in caplog.text


def test_a_cached_page_is_refused_to_a_host_the_portal_does_not_serve(cached, programme, anonymous, settings):
    settings.ALLOWED_HOSTS = ["leadingplaces.example.org"]
    assert anonymous.get("/", HTTP_HOST="leadingplaces.example.org")["X-Cache"] == "miss"
    assert anonymous.get("/", HTTP_HOST="leadingplaces.example.org")["X-Cache"] == "hit"
    assert anonymous.get("/", HTTP_HOST="evil.example").status_code == 400

"""The deploy checks catch settings that would make a deployed portal misbehave."""

import pytest


@pytest.mark.parametrize(
    ("backend", "seconds", "warned"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", 600, True),
        ("django.core.cache.backends.redis.RedisCache", 600, False),
        ("django.core.cache.backends.locmem.LocMemCache", 0, False),
    ],
)
def test_the_deploy_check_warns_of_a_page_cache_that_each_process_keeps_apart(settings, backend, seconds, warned):
    # Several gunicorn workers with a cache each: an edit would reach only one worker's pages.
    from leadingplaces.checks import public_cache_is_shared

    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:6379/9"}}
    settings.PUBLIC_CACHE_SECONDS = seconds
    assert [message.id for message in public_cache_is_shared(None)] == (["leadingplaces.W001"] if warned else [])


@pytest.mark.parametrize(
    ("site_url", "warned"),
    [("http://127.0.0.1:8000", True), ("https://leadingplaces.example.org", False), ("https://www.other.org", True)],
)
def test_the_deploy_check_warns_of_a_site_url_the_portal_does_not_serve(settings, site_url, warned):
    # Canonical links, the sitemap and the downloads' page addresses are made from SITE_URL.
    from leadingplaces.checks import site_url_is_served

    settings.ALLOWED_HOSTS = ["leadingplaces.example.org"]
    settings.SITE_URL = site_url
    assert [message.id for message in site_url_is_served(None)] == (["leadingplaces.W002"] if warned else [])

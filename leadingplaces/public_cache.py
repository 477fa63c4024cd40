"""The cache of anonymous public pages, and its invalidation.

Every page is cached under the current *generation* of the published data. Any save or
delete of programme or evaluation data, by any path (admin, import, loader, evaluator
workspace), starts a new generation, so no stale page is ever served again. The generation
lives in the shared cache (Redis in production), so every app process sees it at once.

When the cache server does not answer, pages are served uncached and changes are saved all
the same; a page cached before the outage expires within PUBLIC_CACHE_SECONDS at most.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "public-pages:generation"
WATCHED_APPS = {"partnerships", "evaluations"}
PRIVATE_PREFIXES = ("/admin/", "/accounts/", "/evaluator/", "/healthz")
REMEMBERED_SECONDS = 24 * 60 * 60  # a new generation replaces it sooner

logger = logging.getLogger("leadingplaces")


def generation():
    """The published data's current generation: a timestamp in nanoseconds."""
    value = cache.get(GENERATION_KEY)
    return value if value is not None else _start_generation()


def _start_generation():
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    return cache.get(GENERATION_KEY) or time.time_ns()


def lookup(request):
    """(generation, cached response or None) for this request, in one round trip to the cache.

    A page is stored with the generation it was rendered in, and is only served while that
    generation is current."""
    found = cache.get_many([GENERATION_KEY, page_key(request)])
    current = found.get(GENERATION_KEY)
    if current is None:
        return _start_generation(), None
    return current, _current_page(found.get(page_key(request)), current)


def cached_page(request, generation_value):
    """The cached response for this request, if it was rendered in this generation."""
    return _current_page(cache.get(page_key(request)), generation_value)


def _current_page(stored, generation_value):
    return stored[1] if stored is not None and stored[0] == generation_value else None


def generation_time(value):
    return value / 1e9


def bump():
    """Start a new generation: every cached public page is out of date from now on.

    If the cache server does not answer, the change is saved all the same and the failure
    logged: pages cached before it expire within PUBLIC_CACHE_SECONDS at most."""
    try:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception as error:  # noqa: BLE001 - an outage of the cache must not stop an officer's save
        logger.error("Could not start a new generation of the public page cache: %s", error)


def remembered(name, compute):
    """compute(), kept in the shared cache for as long as the published data's generation lasts,
    for a figure that costs more to work out than to fetch. Worked out every time with a cache in
    each process, where another process's change would not start a new generation here."""
    if settings.CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache")):
        return compute()
    try:
        key = f"public-data:{name}:{generation()}"
        value = cache.get(key)
    except Exception as error:  # noqa: BLE001 - an outage of the cache must not stop a page
        logger.warning("Public page cache unavailable: %s", error)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, REMEMBERED_SECONDS)
        except Exception as error:  # noqa: BLE001
            logger.warning("Public page cache unavailable: %s", error)
    return value


def url_digest(request):
    return hashlib.blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()


def page_key(request):
    return f"public-pages:{request.method}:{url_digest(request)}"


def store(request, response, generation_value, seconds):
    cache.set(page_key(request), (generation_value, response), seconds)


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.path.startswith(PRIVATE_PREFIXES)
    )


def is_cacheable_response(request, response):
    return (
        response.status_code == 200
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def _data_changed(sender, **kwargs):
    if sender._meta.app_label in WATCHED_APPS:
        # After the commit, so a page rendered mid-transaction cannot be cached as new.
        transaction.on_commit(bump)
        bump()


def connect():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_data_changed, dispatch_uid=f"public-pages-{signal!r}")

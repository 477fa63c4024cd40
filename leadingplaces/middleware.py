"""Cross-cutting request handling: request ids, security headers, database outages, the page
for a method a view does not take, and the cache of anonymous public pages."""

import logging
import re
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag

from . import public_cache

logger = logging.getLogger("leadingplaces")

request_id: ContextVar[str] = ContextVar("request_id", default="-")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every log record, for `%(request_id)s`."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    """Gives each request an id (a proxy's X-Request-ID if it looks safe), logged and echoed back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself, and no caching of signed-in pages."""

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class DatabaseUnavailableMiddleware:
    """A friendly 503 when the database cannot be reached, instead of a 500.

    Django drops a broken connection at the end of the request, so the next request
    reconnects by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            logger.error("Database unavailable: %s", exception)
            body = render_to_string("503.html")
            response = HttpResponse(body, status=503)
            response["Retry-After"] = "30"
            return response
        return None


class MethodNotAllowedPageMiddleware:
    """Django answers a request of a method that a view does not take (a form's address opened
    as a link, say) with an empty 405, which a browser shows as a blank page; this gives it a
    page saying what happened, as the other errors have."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page


class OversizedRequestMiddleware:
    """Refuses, unread, a request far larger than any document the portal takes, with a 413 page
    that says so: Django would otherwise write the whole of it to disk before a form could say
    the file is too large. A file a little over the limit is still read, so that the form says
    so beside the field and keeps what was typed. Listed before CSRF, the first to read a body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None  # Django reads such a request as having no body
        if length <= 2 * settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024:
            return None
        request.upload_handlers = []  # nothing is read, even by an error page
        return render(request, "413.html", {"limit_mb": settings.DOCUMENT_MAX_UPLOAD_MB}, status=413)


class PublicPageCacheMiddleware:
    """Serves anonymous GET requests for public pages from the cache, and answers 304 to a
    matching If-None-Match.

    It sits near the top of the middleware list, so a hit skips sessions, CSRF, messages and the
    rest; the stored page already carries the headers those added when it was first rendered
    (CSP, framing, permissions).

    A page's ETag is derived from the published data's generation, which any change to
    programme or evaluation data moves on (see public_cache.py); so an officer's edit is
    visible at once, in every process that shares the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PUBLIC_CACHE_SECONDS
        if not seconds or not public_cache.is_cacheable_request(request):
            return self.get_response(request)
        request.get_host()  # a host not in ALLOWED_HOSTS is refused (400) here too, not served from the cache
        try:
            generation, etag, answer = self._from_cache(request)
        except Exception as error:  # noqa: BLE001 - whatever the cache server's failure, serve the page
            logger.warning("Public page cache unavailable, serving the page uncached: %s", error)
            return self.get_response(request)
        if answer is not None:
            return answer

        response = self.get_response(request)
        if public_cache.is_cacheable_response(request, response):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(public_cache.generation_time(generation))
            response["Cache-Control"] = "public, max-age=0, must-revalidate"
            patch_vary_headers(response, ["Accept-Encoding"])
            try:
                public_cache.store(request, response, generation, seconds)
                response["X-Cache"] = "miss"
            except Exception as error:  # noqa: BLE001 - the page is served all the same
                logger.warning("Public page cache unavailable, page not stored: %s", error)
        return response

    def _from_cache(self, request):
        """(generation, ETag, a 304 or the cached page or None)."""
        conditional = _if_none_match(request)
        if conditional:
            # Revalidation needs only the generation; the page is fetched only if it changed.
            generation = public_cache.generation()
            etag = _etag(request, generation)
            if etag in conditional:
                response = HttpResponse(status=304)
                response["ETag"] = etag
                return generation, etag, response
            cached = public_cache.cached_page(request, generation)
        else:
            generation, cached = public_cache.lookup(request)
            etag = _etag(request, generation)
        if cached is not None:
            cached["X-Cache"] = "hit"
        return generation, etag, cached


def _etag(request, generation):
    return quote_etag(f"{generation}-{public_cache.url_digest(request)}")


def _if_none_match(request):
    header = request.headers.get("If-None-Match", "")
    return {tag.strip() for tag in header.split(",") if tag.strip()}

"""System checks for settings that would make the deployed portal misbehave."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http.request import validate_host


@checks.register(checks.Tags.caches, deploy=True)
def public_cache_is_shared(app_configs, **kwargs):
    """The public page cache needs a cache that every process shares: with one in each process,
    an officer's edit is seen at once only by the process that saved it, and the others serve
    the old page until it expires."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PUBLIC_CACHE_SECONDS and backend.endswith(("LocMemCache", "DummyCache")):
        return [
            checks.Warning(
                f"PUBLIC_CACHE_SECONDS is {settings.PUBLIC_CACHE_SECONDS} with a cache in each process ({backend}).",
                hint="Set CACHE_URL to a cache every process shares, e.g. redis://127.0.0.1:6379/1, "
                "or PUBLIC_CACHE_SECONDS=0 to serve every page fresh.",
                id="leadingplaces.W001",
            )
        ]
    return []


@checks.register(deploy=True)
def site_url_is_served(app_configs, **kwargs):
    """SITE_URL makes the canonical links, the sitemap and the download's page addresses: left at
    its development default, they would all point at 127.0.0.1."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if not validate_host(host, settings.ALLOWED_HOSTS):
        return [
            checks.Warning(
                f"SITE_URL ({settings.SITE_URL}) is not on a host in ALLOWED_HOSTS.",
                hint="Set SITE_URL to the portal's public address, e.g. https://leadingplaces.example.org.",
                id="leadingplaces.W002",
            )
        ]
    return []

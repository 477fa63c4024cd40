from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class LeadingPlacesConfig(AppConfig):
    """Cross-cutting concerns of the whole portal: the public page cache and sign-in logging."""

    name = "leadingplaces"
    verbose_name = "Leading Places portal"
    default = True  # this module holds two configurations; "leadingplaces" in INSTALLED_APPS means this one

    def ready(self):
        from . import checks, lookups, public_cache, signin_log  # noqa: F401 - checks registers itself

        # An id too large for the database is no match, never a server error.
        lookups.register()

        # Any change to programme or evaluation data, by any path, starts a new generation
        # of the public page cache.
        public_cache.connect()
        signin_log.connect()


class SignInAttemptsConfig(AxesAppConfig):
    """django-axes, named in the back office for what its records are."""

    default = False
    verbose_name = "Sign-in attempts"

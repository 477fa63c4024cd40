"""Settings for the Leading Places portal.

One module for every deployment: each difference is an environment variable (see
`.env.example` and the README). The defaults run a local copy on SQLite at once.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from import_export.formats import base_formats

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# Required in production; a development copy may run without one.
SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-do-not-deploy" if DEBUG else environ.Env.NOTSET)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The programme that the home page presents.
HOME_PROGRAMME_SLUG = env("HOME_PROGRAMME_SLUG", default="leading-places")

INSTALLED_APPS = [
    "leadingplaces.admin.PortalAdminConfig",  # Django's admin, with the programme dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "leadingplaces.apps.SignInAttemptsConfig",  # django-axes
    "csp",
    "leadingplaces",
    "partnerships",
    "evaluations",
]

MIDDLEWARE = [
    "leadingplaces.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "leadingplaces.middleware.PublicPageCacheMiddleware",  # early, so a hit skips everything below
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "leadingplaces.middleware.OversizedRequestMiddleware",  # before CSRF, which reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "leadingplaces.middleware.SecurityHeadersMiddleware",
    "leadingplaces.middleware.DatabaseUnavailableMiddleware",
    "leadingplaces.middleware.MethodNotAllowedPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "leadingplaces.urls"
WSGI_APPLICATION = "leadingplaces.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leadingplaces.context_processors.site",
            ],
        },
    },
]

# Form widgets use the project's templates, so that templates/django/forms/ can override them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's planner assumes spinning disks by default, and then prefers reading the whole
    # partnership table to using the search index; 1.1 is the usual value for SSD storage.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={env.float('POSTGRES_RANDOM_PAGE_COST', default=1.1)}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each request is a transaction (ATOMIC_REQUESTS). Begun as SQLite does by default, two that
    # read and then save at the same moment deadlock, and one fails at once with "database is
    # locked"; begun IMMEDIATE, the second waits for the first, up to the timeout in seconds. Every
    # request then waits its turn, reads too: fine for a local copy (scripts/start), and the reason
    # a server runs on PostgreSQL.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://leadingplaces")}
# Anonymous public pages are cached for this long, and invalidated by any change to the data.
# Off unless CACHE_URL names a cache that every process shares: with a cache in each process, an
# edit would reach only the pages cached by the process that saved it (see leadingplaces/checks.py).
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=600 if env("CACHE_URL", default="") else 0)

vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Leading Places <noreply@localhost>")
# Officers who are told when an evaluation is submitted, besides the "Programme officers" group.
PROGRAMME_OFFICE_EMAIL = env("PROGRAMME_OFFICE_EMAIL", default="")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "evaluations:dashboard"
LOGOUT_REDIRECT_URL = "home"

# Lock a username and address pair after repeated failures, so that failures from
# elsewhere cannot lock the real user out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind reverse proxies every request comes from the nearest proxy's address: say how many there
# are, so that the lockout and the sign-in log use the visitor's (leadingplaces/client_address.py).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "leadingplaces.client_address.client_address"
AXES_USERNAME_CALLABLE = "leadingplaces.client_address.username_tried"
AXES_RESET_ON_SUCCESS = True
# Keep a record of every failed sign-in for the administrators, besides the lockout counts.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# At most one password reset email to an address in this many minutes.
PASSWORD_RESET_EMAIL_MINUTES = env.int("PASSWORD_RESET_EMAIL_MINUTES", default=5)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"  # Never served directly: documents go through a view that checks access.

# Uploads: the limit is stated on every upload form.
DOCUMENT_MAX_UPLOAD_MB = env.int("DOCUMENT_MAX_UPLOAD_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Spreadsheets, as officers keep them: CSV first, the choice a new import page starts with.
IMPORT_FORMATS = EXPORT_FORMATS = (base_formats.CSV, base_formats.XLSX)

# Security. Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER_ENABLED.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "leadingplaces.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "{asctime} {levelname} [{request_id}] {name} {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers go (a console one when DEBUG is on, and mail to ADMINS, of which
        # there are none; add a handler here if ADMINS is ever set): its messages reach the root's
        # console once, at LOG_LEVEL, like everyone else's.
        "django": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        # Sign-ins are logged by leadingplaces.signin; django-axes only needs to report lockouts.
        "axes": {"level": "WARNING"},
    },
}

"""Settings for the CRM, read from the environment (one file, no per-host copies).

Environment:
- DATABASE_URL: any URL dj-database-url understands; default an SQLite file in the project
  (WAL, writers queue for up to SQLITE_BUSY_SECONDS: see DATABASES below).
- SECRET_KEY: required unless DEBUG is on (then a development key is used).
- DEBUG: "1"/"true"/"yes" turns it on; off by default.
- ALLOWED_HOSTS: comma-separated; defaults to loopback names when DEBUG is on.
- CSRF_TRUSTED_ORIGINS: comma-separated origins (scheme and host) allowed to post forms.
- SECURE_SSL_REDIRECT: redirect http to https; on by default when DEBUG is off.
- SECURE_PROXY_SSL_HEADER: "1" behind one TLS-terminating reverse proxy that sets
  X-Forwarded-Proto and appends the client's address to X-Forwarded-For.
- REDIS_URL: shared state in Redis (throttle counters, sessions' cache, the "feeds" cache);
  default an in-process memory cache (one process only).
- DB_CONNECT_TIMEOUT: seconds to wait for PostgreSQL to accept a connection (default 5); past
  it, or while the database is down, requests answer 503 with Retry-After.
- MAX_UPLOAD_BYTES: largest multipart body (agreement documents), default 25 MiB; other bodies
  are limited to DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB). Larger ones answer 413.
- PUBLIC_BASE_URL: e.g. "https://crm.example.gov.vn": base of links in calendar feeds and of
  subscription URLs (default: the request's host over https).
- CALENDAR_UID_DOMAIN: the domain part of iCalendar UIDs; set once, never change it.
- API_THROTTLE_USER, API_THROTTLE_ANON: API request rates per user/token and per anonymous
  address, e.g. "2000/hour" (the defaults) and "60/hour".
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from crm.numbers import INT64_MAX

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_key(debug: bool) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if debug:
        return "dev-only-insecure-key-never-use-in-production"  # noqa: S105
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off: set SECRET_KEY (production) or DEBUG=1 "
        "(development), e.g. DEBUG=1 .venv/bin/python manage.py …"
    )


DEBUG = env_flag("DEBUG")
SECRET_KEY = _secret_key(DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "phonenumber_field",
    "simple_history",
    "rest_framework",
    "django_filters",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crm",
    "contacts",
    "events",
    "briefings",
    "api",
]

MIDDLEWARE = [
    # Outermost: plain str headers, a Content-Length, no body on HEAD (what servers expect).
    "crm.middleware.WSGIResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Refuses oversized bodies (413) before anything reads them.
    "crm.middleware.RequestLimitsMiddleware",
    # Refuses a control character (NUL…) in the path or query string (400) before any view.
    "crm.middleware.ControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"
ASGI_APPLICATION = "crm.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# How long an SQLite writer waits for the one before it (longer than any request should take,
# shorter than gunicorn's worker timeout).
SQLITE_BUSY_SECONDS = 20
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# A request that fails half-way leaves nothing behind.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails fast (503, see crm.views.server_error), never hangs;
    # CONN_HEALTH_CHECKS (above) drops a connection the server closed, e.g. after a restart.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (runserver and gunicorn are threaded) wait their turn instead of
    # failing with "database is locked": every transaction (each request is one) takes the
    # write lock when it begins, so nothing reads a row and then fails to upgrade to write it
    # (the If-Match check reads under the lock); WAL lets readers outside a transaction go on
    # while one writes. The price: requests on SQLite run one at a time, as the embedded
    # default for one office can afford; PostgreSQL locks rows, not the database.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_SECONDS,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000};"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out username+address before any password is checked.
# It needs the request, which Django's login views pass; API tokens and the test client's
# force_login() do not go through authenticate() at all.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Locked: this username from this address (a wrong password elsewhere does not lock anyone out).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page says why and for how long, in the reader's language (crm/views.py).
AXES_LOCKOUT_CALLABLE = "crm.views.lockout"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English available (switch with the admin's language or Accept-Language).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates day first (dd/mm/yyyy) or ISO, in every language: see crm/formats/.
FORMAT_MODULE_PATH = ["crm.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"

# Phones are stored in E.164 and shown in international format.
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"
PHONENUMBER_DEFAULT_REGION = "VN"

# The province's own country: default region for phone numbers of owners without a country.
HOME_COUNTRY = "VN"

# Shared state lives in the cache: Redis when REDIS_URL is set (shared by every worker process
# on every host), else each process's own memory (fine for one process, e.g. development).
# - "default": throttle counters, and sessions (cached_db: read from Redis, kept in the
#   database too, so a Redis restart logs nobody out).
# - "feeds": rendered calendar feeds, by their own key prefix (a flush of one leaves the other).
REDIS_URL = os.environ.get("REDIS_URL")


def _cache(prefix: str = "") -> dict:
    if REDIS_URL:
        extra = {"KEY_PREFIX": prefix} if prefix else {}
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            **extra,
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}


CACHES = {"default": _cache(), "feeds": _cache("feeds")}
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Request bodies: JSON and forms up to Django's 2.5 MiB; multipart (documents) up to this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))

# Calendar feeds: rendered bytes are cached under the feed's data version in this cache.
FEED_CACHE_ALIAS = "feeds"
# Links in feeds and subscription URLs; default: the request's host over https.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
# The right-hand side of every iCalendar UID: set once per installation, never changed (a new
# value makes every subscribed client see new items).
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "crm-doi-ngoai.local")

# --- HTTPS and browser hardening (`manage.py check --deploy` passes with DEBUG off) ---------
# Behind a TLS-terminating proxy, it tells us the request came in over https (and the proxy's
# own address is the last hop of X-Forwarded-For: see _client_address below).
_behind_proxy = env_flag("SECURE_PROXY_SSL_HEADER")
if _behind_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# On by default in production. The test suite's client speaks plain http: tests/conftest.py
# turns the redirect off for the test run only (whatever the environment), so that every
# other production setting is what the tests exercise.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def _client_address(request) -> str | None:
    """The address a login attempt came from: the peer, or behind the proxy, the address the
    proxy appended to X-Forwarded-For (the entries before it are the client's to invent)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if _behind_proxy and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = _client_address

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumber",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # DRF's JSON written by orjson (same output, a fraction of the time); browsable when logged in.
    "DEFAULT_RENDERER_CLASSES": [
        "api.renderers.ORJSONRenderer",
        "api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",  # orjson, nesting bounded (400, not RecursionError)
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # DRF's, except that OPTIONS is answered in JSON whatever format was asked for.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.ContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "PAGE_SIZE": 50,
    # 429 with Retry-After past the rate: per user (whatever token or session it uses) and,
    # for the few public views (schema, docs), per anonymous address.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_THROTTLE_USER", "2000/hour"),
        "anon": os.environ.get("API_THROTTLE_ANON", "60/hour"),
    },
    # The same client address as the login lockout: X-Forwarded-For is believed only as far as
    # our own proxy wrote it (DRF's default would let a client pick its own bucket).
    "NUM_PROXIES": 1 if _behind_proxy else 0,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CRM Đối ngoại API",
    "DESCRIPTION": (
        "REST API of the foreign-relations CRM. Authenticate with `Authorization: Token <key>` "
        "(`python manage.py issue_token USERNAME`). Lists are paginated with `page` and "
        "`page_size` (default 50, at most 500); `q` searches without accents; unknown or "
        "malformed filter values answer 400."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # The contract is public (it holds no data): clients and the pipeline read it unauthenticated.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RelationshipStatusEnum": "contacts.models.Organization.Status",
        "FollowUpStatusEnum": "contacts.models.FollowUp.Status",
        "AgreementStatusEnum": "contacts.models.Agreement.Status",
        "OrganizationKindEnum": "contacts.models.Organization.Kind",
        "InteractionKindEnum": "contacts.models.Interaction.Kind",
        "AgreementKindEnum": "contacts.models.Agreement.Kind",
        "ContactPointKindEnum": "contacts.models.ContactPoint.Kind",
        "ConfidentialityEnum": "contacts.models.Confidentiality",
        "EventKindEnum": "events.models.Event.Kind",
        "EventStatusEnum": "events.models.Event.Status",
        "AnniversaryKindEnum": "events.models.Anniversary.Kind",
    },
    # The path converters of api/converters.py: ids within the range of the id columns.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "format": "int64", "minimum": 1, "maximum": INT64_MAX},
        "country_code": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

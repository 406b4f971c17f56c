"""Django settings for the timeline event database.

Configuration comes from the environment so the same code runs on a laptop, in CI and in production:

- ``DATABASE_URL``: unset means the embedded SQLite file ``db.sqlite3`` next to ``manage.py``;
  ``postgres://…`` selects PostgreSQL through psycopg 3.
- ``DJANGO_ENV=production`` turns on the hardened settings at the bottom of this file.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    _how = {
        "DJANGO_SECRET_KEY": "generate one with python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
        "and export DJANGO_SECRET_KEY=<it> (kept secret, the same on every start)",
        "DJANGO_ALLOWED_HOSTS": "export DJANGO_ALLOWED_HOSTS=<the host names it answers to, comma-separated>",
    }
    for _required in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
        if not os.environ.get(_required, "").strip():
            raise ImproperlyConfigured(f"{_required} must be set when DJANGO_ENV=production: {_how[_required]}")
    if os.environ["DJANGO_SECRET_KEY"].startswith("dev-insecure-key"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is the public development key; generate a new one")
    if os.environ.get("DJANGO_DEBUG", "0") == "1":
        # DEBUG pages show settings and source code to anyone who triggers an error.
        raise ImproperlyConfigured("DJANGO_DEBUG=1 is refused when DJANGO_ENV=production")

# The development key is public on purpose: it only ever signs local sessions.
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "dev-insecure-key-change-me-for-production-use-only-0123456789"
)
DEBUG = os.environ.get("DJANGO_DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",") if h
]

# The site's own domain (``SITE_DOMAIN``): calendar exports name each event ``<key>@<domain>``, so its
# UID is the same in every dump, import and database of this site and differs from any other site's.
# Keep it for as long as the site publishes calendars. Unset, it is the first allowed host.
SITE_DOMAIN = (
    os.environ.get("SITE_DOMAIN", "").strip()
    or next((h.lstrip(".") for h in ALLOWED_HOSTS if h.strip(".*")), "localhost")
).lower()
if not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*", SITE_DOMAIN):
    raise ImproperlyConfigured(f"SITE_DOMAIN must be a domain name such as 'timeline.example.org', not {SITE_DOMAIN!r}")

# An empty DATABASE_URL (``DATABASE_URL= make test``) means unset, as the README says.
_DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            _DATABASE_URL,
            conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
except ValueError as exc:  # an unknown scheme: name the variable instead of a traceback into the library
    raise ImproperlyConfigured(
        f"DATABASE_URL: {exc} (expected sqlite:///path or postgres://user@host:5432/name)"
    ) from None
DB_VENDOR = "postgresql" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"
if DB_VENDOR == "postgresql":
    # PostgreSQL's default random_page_cost (4) is for spinning disks: with the tables in memory or on
    # SSD it makes the planner hash-join a page's participations and citations against every party
    # (a sequential scan of the table, ~4 ms) instead of looking up the 150 it needs (~0.5 ms).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c random_page_cost={os.environ.get('PG_RANDOM_PAGE_COST', '1.1')}".strip()
    # Django binds parameters client-side and prepares nothing, so the server plans each of a
    # page's queries on every request (the statement that builds a page's JSON: 0.38 ms of planning
    # beside 1.7 ms of execution). PG_PREPARE_THRESHOLD=5 binds them server-side and prepares a
    # statement run 5 times on a connection (0.12 -> 0.15 of the floor's req/s, bench/RESULTS.md). It is
    # off by default: bound server-side, a statement takes at most 65,535 parameters and Django
    # 5.2 does not split its own statements under that (deleting 70,000 places at once sends one
    # UPDATE with an id per place); a pooler in transaction mode cannot keep prepared
    # statements; and a prepared plan outlives a migration that changes a column's type.
    _prepare = os.environ.get("PG_PREPARE_THRESHOLD", "").strip()
    if _prepare:
        if not _prepare.isdigit():
            raise ImproperlyConfigured(f"PG_PREPARE_THRESHOLD must be a whole number or empty, not {_prepare!r}")
        _options.setdefault("server_side_binding", True)
        _options.setdefault("prepare_threshold", int(_prepare))
# Exports on PostgreSQL read their rows from one server-side cursor, declared inside a read-only
# REPEATABLE READ transaction (so it works behind PgBouncer in transaction mode, and an export is
# one snapshot); 0 reads them in keyset chunks as on SQLite (timeline/exports/streaming.py).
_export_cursor = os.environ.get("EXPORT_SERVER_CURSOR", "1").strip()
if _export_cursor not in ("0", "1"):
    raise ImproperlyConfigured(f"EXPORT_SERVER_CURSOR must be 1 or 0, not {_export_cursor!r}")
EXPORT_SERVER_CURSOR = _export_cursor == "1"

# Issue 19: behind a connection pooler in transaction mode (DATABASE_POOLER=pgbouncer, with
# pool_mode = transaction), consecutive transactions of one connection of ours may run on different
# server connections, so nothing may outlive a transaction on the server: no prepared statements
# (psycopg's prepare_threshold=None, and PG_PREPARE_THRESHOLD is refused), no server-side cursors
# (Django's .iterator() declares one WITH HOLD outside a transaction; it streams in chunks from a
# client cursor instead), no startup options (PgBouncer refuses them: set random_page_cost on the
# database, ALTER DATABASE … SET random_page_cost = 1.1), and the API's time budgets are set LOCAL to
# each transaction of an API request instead of on the session (timeline/middleware.py).
_pooler = os.environ.get("DATABASE_POOLER", "").strip().lower()
if _pooler not in ("", "pgbouncer"):
    raise ImproperlyConfigured(f"DATABASE_POOLER must be 'pgbouncer' (transaction pooling) or empty, not {_pooler!r}")
DATABASE_POOLER = _pooler or None
if DATABASE_POOLER:
    if DB_VENDOR != "postgresql":
        raise ImproperlyConfigured("DATABASE_POOLER=pgbouncer needs a PostgreSQL DATABASE_URL (the pooler's address)")
    if _prepare:
        raise ImproperlyConfigured(
            "PG_PREPARE_THRESHOLD prepares statements on a server connection, which a pooler in transaction "
            "mode hands to other clients: leave it empty with DATABASE_POOLER=pgbouncer"
        )
    _options.pop("options", None)
    _options["prepare_threshold"] = None
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

# Issue 19: read replicas. DATABASE_REPLICA_URLS, comma-separated postgres:// URLs of streaming
# replicas of DATABASE_URL: a web request's reads go to one of them, writes, transactions and
# migrations to the primary, and a client that wrote reads the primary for
# DATABASE_REPLICA_STICKY_SECONDS (timeline/db_router.py). Unset: no replica, everything on the
# primary, as before. A replica that does not answer within DATABASE_REPLICA_CONNECT_TIMEOUT seconds
# is left alone for DATABASE_REPLICA_RETRY_SECONDS, its reads served by the primary.
def _seconds(name: str, default: str) -> float:
    value = os.environ.get(name, default).strip()
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not seconds >= 0:
        raise ImproperlyConfigured(f"{name} must be a number of seconds (0 or more), not {value!r}")
    return seconds


DATABASE_REPLICAS = []
for _n, _url in enumerate((u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()), 1):
    try:
        _replica = dj_database_url.parse(_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS: {exc} (expected postgres://user@host:5432/name)") from None
    if DB_VENDOR != "postgresql" or not _replica["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS names PostgreSQL streaming replicas of a PostgreSQL DATABASE_URL")
    _replica_options = _replica.setdefault("OPTIONS", {})
    _replica_options.setdefault("connect_timeout", max(1, round(_seconds("DATABASE_REPLICA_CONNECT_TIMEOUT", "2"))))
    for _key in ("options", "server_side_binding", "prepare_threshold"):
        if _key in DATABASES["default"]["OPTIONS"]:
            _replica_options.setdefault(_key, DATABASES["default"]["OPTIONS"][_key])
    if DATABASE_POOLER:
        _replica_options.pop("options", None)
        _replica_options["prepare_threshold"] = None
        _replica["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Tests run against the primary's test database: the replica alias names the same one.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_n}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_n}")
DATABASE_REPLICA_STICKY_SECONDS = round(_seconds("DATABASE_REPLICA_STICKY_SECONDS", "5"))
DATABASE_REPLICA_RETRY_SECONDS = _seconds("DATABASE_REPLICA_RETRY_SECONDS", "5")
# A replica further behind than this (seconds; 0: no bound) is read as if it were down: checked at a
# request's first read from it, at most once a second per process (timeline/db_router.py).
DATABASE_REPLICA_MAX_LAG_SECONDS = _seconds("DATABASE_REPLICA_MAX_LAG_SECONDS", "30")
DATABASE_REPLICA_PIN_CACHE = "replica_pins"
DATABASE_ROUTERS = ["timeline.db_router.PrimaryReplicaRouter"] if DATABASE_REPLICAS else []

# The bulk import (timeline/bulk_import.py) reads and checks its records in a forked child process
# while the import's own process writes the rows: two stages on two cores. 0 runs both stages in
# one process, one after the other (the same code; slower where a second core is free).
_reader = os.environ.get("IMPORT_READER_PROCESS", "1").strip()
if _reader not in ("0", "1"):
    raise ImproperlyConfigured(f"IMPORT_READER_PROCESS must be 1 or 0, not {_reader!r}")
IMPORT_READER_PROCESS = _reader == "1"

if DB_VENDOR == "postgresql" and os.environ.get("TEST_DATABASE_NAME"):
    # Lets two checkouts run their suites against one server at the same time.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

if DB_VENDOR == "sqlite":
    # SQLite's page cache is 2 MiB per connection by default. An event page reads the chronology
    # index and then the participations, citations, sources and parties of its events; in 2 MiB
    # those evicted each other and every request re-read ~1 ms of pages from the OS. A bulk import
    # inserts all over eight indexes: with 2 MiB their pages were evicted and read back thousands
    # of times, ~15 % of its writes (bench/RESULTS.md). It is a bound, not an allocation: a
    # connection holds what it has read.
    _cache = os.environ.get("SQLITE_CACHE_MIB", "64").strip()
    if not _cache.isdigit() or int(_cache) < 1:
        raise ImproperlyConfigured(f"SQLITE_CACHE_MIB must be a whole number of MiB (1 or more), not {_cache!r}")
    _SQLITE_CACHE_MIB = int(_cache)
    # WAL lets readers run beside one writer; the busy timeout makes a second writer wait for the
    # lock instead of failing with "database is locked"; IMMEDIATE takes the write lock at BEGIN so
    # a transaction never has to upgrade a read lock half-way (the usual cause of lock errors).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        f"PRAGMA cache_size=-{_SQLITE_CACHE_MIB * 1024};",
    }
    # Connections persist (DB_CONN_MAX_AGE, as on PostgreSQL): a new one per request cost the
    # connect, the PRAGMAs and a cold page cache, about 1.5 ms of a 20 ms page (bench/RESULTS.md).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    # One file per test process: two suites run at once in one checkout must not share it.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "TEST_DATABASE_NAME", str(BASE_DIR / f"test_db-{os.getpid()}.sqlite3")
    )

def _milliseconds(name: str, default: int) -> int:
    value = os.environ.get(name, str(default)).strip()
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of milliseconds (0: no limit), not {value!r}")
    return int(value)


# Issue 17: what one API request may cost the database (timeline.middleware.DatabaseBudgetMiddleware).
# Both stay well under gunicorn's 30 s worker timeout, so the client gets a 503 JSON with Retry-After
# rather than a killed worker's HTML 500. Management commands (import_events) and the admin are not
# bound by them.
# - API_STATEMENT_TIMEOUT_MS: PostgreSQL's statement_timeout; on SQLite, the time a request's
#   queries may run (a progress handler stops them).
# - API_LOCK_TIMEOUT_MS: how long an API write waits for a lock another write holds (an import):
#   PostgreSQL's lock_timeout, SQLite's busy timeout (30 s elsewhere).
API_STATEMENT_TIMEOUT_MS = _milliseconds("API_STATEMENT_TIMEOUT_MS", 10_000)
API_LOCK_TIMEOUT_MS = _milliseconds("API_LOCK_TIMEOUT_MS", 5_000)

INSTALLED_APPS = [
    # First, so that its admin/base_site.html override wins over the admin's own template.
    "timeline",
    "timeline.admin_site.SafeAdminConfig",  # django.contrib.admin, with timeline.admin_inputs' site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "api",
]
if DB_VENDOR == "postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "timeline.security_headers.ContentSecurityPolicyMiddleware",
    "timeline.middleware.RequestSizeLimitMiddleware",
    # Issue 17: API requests run under a statement and a lock-wait budget (a 503, not a killed worker).
    "timeline.middleware.DatabaseBudgetMiddleware",
    # Issue 19: with read replicas, which database a request reads (timeline/db_router.py).
    *(["timeline.db_router.ReplicaRoutingMiddleware"] if DATABASE_REPLICAS else []),
    "timeline.request_checks.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "timeline.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

# Issue 17: how many reverse proxies of ours stand in front of the application (nginx, a load
# balancer). 0, the default: the client is REMOTE_ADDR and X-Forwarded-For is ignored (a client can
# write any address there). n: the n-th address of X-Forwarded-For from the right, the one our
# outermost proxy saw. The API's throttles and the admin's login lockout read it the same way.
_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "0").strip()
if not _proxies.isdigit():
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be a whole number (0: no proxy), not {_proxies!r}")
TRUSTED_PROXY_COUNT = int(_proxies)
AXES_CLIENT_IP_CALLABLE = "api.throttling.client_ip"

# Throttle counts, shared by every worker on the host (a per-process memory cache let each worker
# count alone and a flood of identities evict other clients' counts). Files, not a database table: a
# throttle writes on every anonymous request, and on SQLite that write would queue behind an import
# for the write lock (a page of JSON stays at two queries, tests/test_query_counts.py).
THROTTLE_CACHE_DIR = os.environ.get("THROTTLE_CACHE_DIR", "").strip() or str(BASE_DIR / ".throttle-cache")
# Issue 19, scaling out: SHARED_CACHE_URL (redis://host:port/db, rediss://…, unix:///path.sock) puts
# the throttle's counts and the replica pins in Redis (Django's own RedisCache), shared by every
# worker of every host: with files, each host counts alone and a write's read-your-writes pin is lost
# when the client's next request reaches another host. One host needs none; with Redis there the
# throttle also costs less (about 0.6 ms of a worker a request against 1.8 ms of file writes and a
# rename; bench/RESULTS.md).
SHARED_CACHE_URL = os.environ.get("SHARED_CACHE_URL", "").strip()


def _check_shared_cache_url(url: str) -> None:
    """One Redis server's URL, or ImproperlyConfigured naming what is wrong (its password hidden)."""
    from redis.connection import parse_url

    shown = re.sub(r"//[^/@]*@", "//…@", url)
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(f"SHARED_CACHE_URL must be a Redis URL (redis://, rediss:// or unix://), not {shown!r}")
    if "," in url or ";" in url:  # Django's RedisCache would read it as several servers
        raise ImproperlyConfigured(f"SHARED_CACHE_URL names one Redis server, not several: {shown!r}")
    try:
        parse_url(url)
    except ValueError as exc:
        raise ImproperlyConfigured(f"SHARED_CACHE_URL {shown!r} is not a usable Redis URL: {exc}") from None


if SHARED_CACHE_URL:
    _check_shared_cache_url(SHARED_CACHE_URL)


def shared_cache_config(*, url: str, prefix: str, directory: str) -> dict:
    """A cache every worker shares: Redis at ``url`` (its keys under ``prefix``), else files in ``directory``."""
    if url:
        # A Redis that stops answering costs one request a quarter of a second, then is left alone for
        # a few seconds (timeline/shared_cache.py), never a hung worker.
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                "KEY_PREFIX": prefix, "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}}
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": directory,
            "OPTIONS": {"MAX_ENTRIES": 20_000}}


CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": shared_cache_config(url=SHARED_CACHE_URL, prefix="throttle", directory=THROTTLE_CACHE_DIR),
    # Issue 19: who wrote in the last few seconds (read-your-writes with replicas), keyed by token.
    "replica_pins": shared_cache_config(url=SHARED_CACHE_URL, prefix="replica-pins",
                                 directory=str(Path(THROTTLE_CACHE_DIR) / "replica-pins")),
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed admin logins for one username from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Axes prints "AXES: BEGIN version …" on every start, before every command's own output.
AXES_VERBOSE = False

# Request bodies: the largest legitimate one is a source with its full article text (the seeds are
# under 20 kB); 2 MiB leaves room for long reports. A larger body is a 413 (RequestSizeLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

ROOT_URLCONF = "timeline.urls"
WSGI_APPLICATION = "timeline.wsgi.application"
ASGI_APPLICATION = "timeline.asgi.application"

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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "admin:login"

# Draft events (machine-extracted, not reviewed) are shown to editors only: anonymous readers of the
# API and the public pages see reviewed events (timeline.selectors.events_visible). TIMELINE_PUBLIC_DRAFTS=1
# shows drafts to everyone.
TIMELINE_PUBLIC_DRAFTS = os.environ.get("TIMELINE_PUBLIC_DRAFTS", "0") == "1"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON first (the documented body type); form and multipart keep the browsable API working.
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.AnonExportThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "600/minute"),
        # Issue 17: an export streams up to 10,000 events and the public page renders up to a page of
        # them with a chart: each costs hundreds of JSON pages, so anonymous clients get fewer.
        "export": os.environ.get("API_EXPORT_RATE", "20/minute"),
        "public_page": os.environ.get("PUBLIC_PAGE_RATE", "60/minute"),
    },
    # X-Forwarded-For is believed only behind TRUSTED_PROXY_COUNT proxies (api.throttling.client_ip).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# PUT, PATCH and DELETE without If-Match answer 428 Precondition Required (api/preconditions.py).
API_REQUIRE_IF_MATCH = os.environ.get("API_REQUIRE_IF_MATCH", "0") == "1"
# Issue 19, HTTP caching for readers (api/caching.py): Cache-Control of the API's GET answers to
# anonymous readers (a shared cache may keep them; "no-cache" has it ask us each time, answered by a
# 304 for one primary-key read) and to signed-in ones (never kept by a shared cache). API_ETAG_SALT
# changes every validator (e.g. after a deployment that changes a representation).
API_CACHE_CONTROL = os.environ.get("API_CACHE_CONTROL", "public, no-cache")
API_CACHE_CONTROL_PRIVATE = os.environ.get("API_CACHE_CONTROL_PRIVATE", "private, no-cache")
API_ETAG_SALT = os.environ.get("API_ETAG_SALT", "")

SPECTACULAR_SETTINGS = {
    "TITLE": "Timeline event database API",
    "DESCRIPTION": "Dated events with honest fuzzy dates, their sources and parties.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's default configuration gives its own loggers a console handler of their own (while
    # DEBUG): with the root's, every django.* line was printed twice. They reach the root's.
    "loggers": {"django": {"handlers": [], "level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": True}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

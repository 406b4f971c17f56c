"""Read replicas (issue 19): reads of web requests go to a PostgreSQL streaming replica, everything
else to the primary, and a client sees its own writes.

Configured by ``DATABASE_REPLICA_URLS`` (timeline/settings.py); with none, this module is not
installed and every query goes to ``default`` as before. The rules, most binding first:

- writes, ``select_for_update`` and migrations: the primary (``db_for_write``, ``allow_migrate``);
- anything inside a transaction on the primary (``atomic``: every service): the primary, so a
  transaction reads what it locked and wrote;
- outside a web request (management commands, the shell, an import): the primary — a command that
  reads and then writes must not decide from a lagging copy;
- a request that may write (POST, PUT, PATCH, DELETE): the primary for all of it, so an update never
  starts from a stale read;
- a client that wrote in the last ``DATABASE_REPLICA_STICKY_SECONDS`` (read-your-writes): the
  primary. Sessions carry a signed cookie saying until when; API tokens a mark in a cache shared by
  the host's workers (``DATABASE_REPLICA_PIN_CACHE``, keyed by a hash of the token), or by every
  host's with ``SHARED_CACHE_URL`` (Redis). A pin cache that cannot be read sends the request to the
  primary (never a stale read of one's own write, never a 500), and says so in the log;
- sessions, logins, tokens, users and lockouts (``PRIMARY_ONLY_APPS``): the primary, so a logout,
  a revoked token or a lockout takes effect at once;
- the other reads of a GET or HEAD: one replica for the whole request (a page and the rows attached
  to it come from one snapshot's history), chosen at random among those that answer.

A replica that cannot be reached is left alone for ``DATABASE_REPLICA_RETRY_SECONDS`` and its reads
go to the primary; its connection is checked at the start of every request (``CONN_HEALTH_CHECKS``)
with a short ``connect_timeout``, so a replica that went down between requests costs no error. One
that fails in the middle of a request is that request's 503 (``DatabaseUnavailableMiddleware``).

A replica further behind than ``DATABASE_REPLICA_MAX_LAG_SECONDS`` is left alone the same way, so a
stuck one (replay paused, a long query holding replay back, its link to the primary lost) does not
serve hours-old pages. Its lag is read on the replica (``REPLICA_LAG_SQL``), at most once a second
per process: none when it has replayed all it received, else the time since the last transaction it
replayed was committed, which errs long (after a quiet spell on the primary, a write received and not
yet replayed counts from the write before it). A replica that is not streaming from the primary
cannot say how far behind it is, and is not read. What it has not received it cannot count: a link
that stalls without breaking reads as caught up until ``wal_receiver_timeout`` ends it.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from . import shared_cache
from .middleware import _in_api_request

logger = logging.getLogger(__name__)

PRIMARY = DEFAULT_DB_ALIAS
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "authtoken", "axes", "contenttypes"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PIN_COOKIE = "timeline_primary"
PIN_SALT = "timeline.db_router.pin"

# The request's route: None outside a request (the primary), PRIMARY, or a list holding the replica
# chosen for the request (filled on its first read).
_route: ContextVar[object] = ContextVar("timeline_db_route", default=None)
_down_until: dict[str, float] = {}
_down_lock = threading.Lock()
# Per replica: when its lag was last read (monotonic seconds), and whether it was within the bound.
_lag_read: dict[str, tuple[float, bool]] = {}
LAG_READ_EVERY = 1.0

# Seconds the replica is behind; NULL when it is not streaming from a primary (it cannot know). A
# role without pg_read_all_stats sees the WAL receiver's row with its status hidden (NULL): then the
# row says a receiver runs, and the lag is read from the positions alone.
REPLICA_LAG_SQL = """
SELECT CASE
    WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN NULL
    WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status <> 'streaming') THEN NULL
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()))
END
"""


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def mark_down(alias: str) -> None:
    """Leave ``alias`` alone for DATABASE_REPLICA_RETRY_SECONDS (every thread of the process)."""
    with _down_lock:
        _down_until[alias] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS


def is_down(alias: str) -> bool:
    until = _down_until.get(alias)
    return until is not None and time.monotonic() < until


def usable(alias: str) -> bool:
    """Whether the replica answers: its connection opened (or reopened after a failed health check)
    now, unless it failed within the retry window."""
    if is_down(alias):
        return False
    conn = connections[alias]
    try:
        conn.close_if_health_check_failed()
        conn.ensure_connection()
    except DatabaseError:
        mark_down(alias)
        try:
            conn.close()
        except DatabaseError:
            pass
        return False
    with _down_lock:
        _down_until.pop(alias, None)
    if not within_lag(alias):
        mark_down(alias)
        return False
    return True


def within_lag(alias: str) -> bool:
    """Whether the replica is at most DATABASE_REPLICA_MAX_LAG_SECONDS behind (read at most once a
    second per process; a failed read counts as too far behind)."""
    bound = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    if not bound:
        return True
    read = _lag_read.get(alias)
    now = time.monotonic()
    if read is not None and now - read[0] < LAG_READ_EVERY:
        return read[1]
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(REPLICA_LAG_SQL)
            lag = cursor.fetchone()[0]
    except DatabaseError:
        lag = None
    ok = lag is not None and float(lag) <= bound
    if not ok:
        logger.warning("replica %s: %s; its reads go to the primary for %s s", alias,
                       "not streaming from the primary" if lag is None else f"{float(lag):.1f} s behind",
                       settings.DATABASE_REPLICA_RETRY_SECONDS)
    _lag_read[alias] = (now, ok)
    return ok


def _replica_for_request(chosen: list) -> str:
    if chosen:
        alias = chosen[0]
        if alias == PRIMARY or not is_down(alias):
            return alias
        chosen.clear()
    candidates = replica_aliases()
    random.shuffle(candidates)
    alias = next((a for a in candidates if usable(a)), PRIMARY)
    chosen.append(alias)
    return alias


class PrimaryReplicaRouter:
    """Writes and transactions to the primary; a web request's other reads to one replica."""

    def db_for_read(self, model, **hints):
        route = _route.get()
        if route is None or route == PRIMARY or model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        instance = hints.get("instance")
        if instance is not None and instance._state.db == PRIMARY:
            return PRIMARY  # an object read from the primary reads its relations there too
        return _replica_for_request(route)

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


# --- read-your-writes --------------------------------------------------------------------------------


def _token_key(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header[:6].lower() == "token ":
        return None
    return "replica-pin:" + hashlib.sha256(header[6:].strip().encode()).hexdigest()


def _pin_cache():
    return caches[settings.DATABASE_REPLICA_PIN_CACHE]


def _pins_failed(exc: BaseException) -> None:
    shared_cache.failed(settings.DATABASE_REPLICA_PIN_CACHE, exc, meanwhile="every API token's reads go to the primary")


def wrote_recently(request) -> bool:
    """The client wrote within DATABASE_REPLICA_STICKY_SECONDS: its session's signed cookie, or its
    API token's mark."""
    sticky = settings.DATABASE_REPLICA_STICKY_SECONDS
    if request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=sticky) is not None:
        return True
    key = _token_key(request)
    if key is None:
        return False
    if not shared_cache.usable(settings.DATABASE_REPLICA_PIN_CACHE):
        return True  # whether it wrote cannot be known: the primary, never a stale read of its write
    try:
        return _pin_cache().get(key) is not None
    except shared_cache.CACHE_ERRORS as exc:
        _pins_failed(exc)
        return True


def remember_write(request, response) -> None:
    """After a request that may have written: the client reads the primary for the next few seconds."""
    sticky = settings.DATABASE_REPLICA_STICKY_SECONDS
    key = _token_key(request)
    if key is not None:
        # A mark that expires (the cache's own timeout: on Redis the server's clock, not each host's).
        if sticky > 0 and shared_cache.usable(settings.DATABASE_REPLICA_PIN_CACHE):
            try:
                _pin_cache().set(key, True, timeout=sticky)
            except shared_cache.CACHE_ERRORS as exc:  # the write is done; only its pin is lost
                _pins_failed(exc)
    else:
        response.set_signed_cookie(
            PIN_COOKIE,
            "1",
            salt=PIN_SALT,
            max_age=sticky,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )


class ReplicaRoutingMiddleware:
    """Sets each request's route (see the module's docstring) and remembers who wrote. Installed only
    when replicas are configured. A streamed response (an export) keeps its route while it streams."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        may_write = request.method not in SAFE_METHODS
        route = PRIMARY if may_write or wrote_recently(request) else []
        token = _route.set(route)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(token)
        if may_write and getattr(getattr(request, "user", None), "is_authenticated", False):
            remember_write(request, response)
        if getattr(response, "streaming", False) and route != PRIMARY:
            response.streaming_content = _streamed_on(response.streaming_content, route, in_api=_in_api_request.get())
        return response


def _streamed_on(chunks, route, *, in_api: bool):
    """An export reads its rows as it streams, after the middlewares returned: on the request's
    replica, and a replica connection it opens then gets the API's budgets (timeline.middleware)."""
    chunks = iter(chunks)
    while True:
        token, api_token = _route.set(route), _in_api_request.set(in_api)
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        finally:
            _in_api_request.reset(api_token)
            _route.reset(token)
        yield chunk

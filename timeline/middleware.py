"""Database errors as clear JSON answers (a retryable 503 only when retrying can help), and the time
budgets that keep one API request from holding a worker."""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
    transaction,
)
from django.db.backends.signals import connection_created
from django.http import JsonResponse

from . import db_errors

log = logging.getLogger(__name__)


def failure_response(failure: db_errors.DatabaseFailure) -> JsonResponse:
    """The JSON answer to a classified database error, with Retry-After only when it is transient."""
    response = JsonResponse({"detail": failure.detail, "code": failure.code}, status=failure.status)
    if failure.retry_after is not None:
        response["Retry-After"] = str(failure.retry_after)
    return response


def discard_broken_connections() -> None:
    """Close connections an error left unusable, so the next request reconnects by itself."""
    for conn in connections.all(initialized_only=True):
        conn.close_if_unusable_or_obsolete()
        if conn.connection is not None and not conn.is_usable():
            conn.close()


def answer_database_error(exception) -> JsonResponse | None:
    """The response for a database error (logged as what it is), or None if it is not one."""
    failure = db_errors.classify(exception)
    if failure is None:
        return None
    if failure.transient:
        log.warning("database %s: %s", failure.code, exception)
    else:
        log.error("database %s (retrying cannot help): %s", failure.code, exception)
    if isinstance(exception, OperationalError | InterfaceError):
        discard_broken_connections()
    return failure_response(failure)


class DatabaseUnavailableMiddleware:
    """PostgreSQL stopped, a lock or time budget exceeded: a 503 with a JSON body and Retry-After.
    A full disk (507) or a query beyond the database's limits (400) says so, without Retry-After
    (``timeline.db_errors``). Broken connections are closed so the next request reconnects by itself."""

    RETRY_AFTER_SECONDS = db_errors.RETRY_AFTER_SECONDS

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError):
            return None
        return answer_database_error(exception)


# --- the API's time budgets ------------------------------------------------------------------------

API_PREFIX = "/api/"
SQLITE_PROGRESS_STEPS = 10_000  # SQLite calls the progress handler every this many VM instructions


class DatabaseBudgetMiddleware:
    """Bounds what one API request may cost the database, so that a slow query or a wait behind an
    import is a 503 JSON with Retry-After instead of a worker killed by gunicorn (an HTML 500).

    - ``API_STATEMENT_TIMEOUT_MS``: PostgreSQL's ``statement_timeout`` for each statement; on SQLite
      a progress handler stops a request's queries once the request has run that long (a streamed
      export: the making of each chunk has the whole budget).
    - ``API_LOCK_TIMEOUT_MS``: PostgreSQL's ``lock_timeout``; SQLite's busy timeout.

    Only requests under /api/ get them; the next other request on the connection (the admin, its
    import) lifts them, and management commands never see them. The settings are made on the
    driver's connection directly, once per connection and not per request where no transaction could
    undo them (PostgreSQL's SET inside a transaction is rolled back with it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith(API_PREFIX)
        conn = connections[DEFAULT_DB_ALIAS]
        in_api = _in_api_request.set(api)
        try:
            # An open connection is set (or lifted) now; one the request opens, as it opens
            # (``_budget_new_connection``): a request that makes no query (the schema) opens none.
            # Every alias: a read replica's reads are the request's too (issue 19).
            for each in connections.all(initialized_only=True):
                if each.connection is not None:
                    try:
                        apply_budget(each, api=api)
                    except DatabaseError:  # a dead connection: the view's first query says so (a 503)
                        pass
            response = self.get_response(request)
        finally:
            _in_api_request.reset(in_api)
            budget = _sqlite_budget_of(conn) if api else None
            if budget is not None:
                budget.stop()  # what runs on the connection after the request is not the request's
        if budget is not None and getattr(response, "streaming", False):
            response.streaming_content = _each_chunk_in_budget(response.streaming_content, budget)
        elif api and settings.DATABASE_POOLER and getattr(response, "streaming", False):
            response.streaming_content = _in_api_chunks(response.streaming_content)
        return response


_in_api_request: ContextVar[bool] = ContextVar("in_api_request", default=False)


def _budget_new_connection(sender, connection, **kwargs) -> None:
    if _in_api_request.get():
        apply_budget(connection, api=True)


connection_created.connect(_budget_new_connection, dispatch_uid="timeline.middleware.api_budget")


def _sqlite_budget_of(conn):
    budget = getattr(conn, "_api_sqlite_budget", None)
    if budget is None or conn.connection is None or getattr(conn, "_api_budget_on", None) is not conn.connection:
        return None
    return budget


class _SqliteBudget:
    """The deadline the SQLite progress handler enforces (None: no limit)."""

    limits = None  # the (statement, lock) milliseconds it was made for

    def __init__(self, seconds: float):
        self.seconds, self.deadline = seconds, None

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds if self.seconds else None

    def stop(self) -> None:
        self.deadline = None

    def exceeded(self) -> int:
        return 1 if self.deadline is not None and time.monotonic() > self.deadline else 0


def apply_budget(conn, *, api: bool):
    """Put the API's budgets on ``conn`` (``api=True``) or lift them; returns the SQLite budget
    whose clock restarts per streamed chunk, if any. A connection that fails meanwhile raises
    Django's DatabaseError (the driver's, wrapped), as a query would."""
    with conn.wrap_database_errors:
        return _apply_budget(conn, api=api)


def _apply_budget(conn, *, api: bool):
    statement_ms, lock_ms = settings.API_STATEMENT_TIMEOUT_MS, settings.API_LOCK_TIMEOUT_MS
    if api:
        conn.ensure_connection()
    elif conn.connection is None or getattr(conn, "_api_budget_on", None) is not conn.connection:
        return None  # nothing to lift: no connection, or not one an API request budgeted
    raw = conn.connection
    if conn.vendor == "postgresql" and settings.DATABASE_POOLER:
        # Behind a pooler in transaction mode a session setting would stay on a server connection
        # other clients get next, and this client's next transaction may run elsewhere: the budgets
        # are set LOCAL in each transaction of the API request instead (``_budget_per_transaction``).
        if api and _budget_per_transaction not in conn.execute_wrappers:
            conn.execute_wrappers.append(_budget_per_transaction)
        return None
    if conn.vendor == "postgresql":
        # A connection already set outside a transaction keeps it; inside one (tests), set it again.
        values = (f"{statement_ms}ms", f"{lock_ms}ms") if api else ("0", "0")
        if api and getattr(conn, "_api_budget_on", None) is raw and conn._api_budget_values == values and not conn.in_atomic_block:
            return None
        raw.execute("SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)", values)
        conn._api_budget_on, conn._api_budget_values = (raw if api else None), values
        return None
    if conn.vendor == "sqlite":
        if api:
            budget = getattr(conn, "_api_sqlite_budget", None)
            if budget is None or getattr(conn, "_api_budget_on", None) is not raw or budget.limits != (statement_ms, lock_ms):
                budget = _SqliteBudget(statement_ms / 1000)
                budget.limits = (statement_ms, lock_ms)
                raw.set_progress_handler(budget.exceeded, SQLITE_PROGRESS_STEPS)
                raw.execute(f"PRAGMA busy_timeout = {int(lock_ms)}")
                conn._api_sqlite_budget, conn._api_budget_on = budget, raw
            budget.start()
            return budget
        raw.set_progress_handler(None, 0)
        raw.execute(f"PRAGMA busy_timeout = {int(conn.settings_dict['OPTIONS'].get('timeout', 5) * 1000)}")
        conn._api_budget_on = conn._api_sqlite_budget = None
    return None


def _budget_per_transaction(execute, sql, params, many, context):
    """Behind a pooler: each statement of an API request runs in a transaction whose first act sets
    the budgets LOCAL (lifted by its COMMIT or ROLLBACK, wherever the pooler runs it). A statement
    already inside a transaction (a service's ``atomic``) sets them for the rest of that one."""
    if not _in_api_request.get():
        return execute(sql, params, many, context)
    conn = context["connection"]
    values = (f"{settings.API_STATEMENT_TIMEOUT_MS}ms", f"{settings.API_LOCK_TIMEOUT_MS}ms")
    if conn.in_atomic_block:
        _set_local(conn, values)
        return execute(sql, params, many, context)
    with transaction.atomic(using=conn.alias):
        _set_local(conn, values)
        return execute(sql, params, many, context)


def _set_local(conn, values) -> None:
    with conn.wrap_database_errors, conn.connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true), set_config('lock_timeout', %s, true)", values)


def _in_api_chunks(chunks):
    """A streamed API response (an export) behind a pooler: each chunk's statements are the
    request's, under its budget, though they run after the middleware returned."""
    chunks = iter(chunks)
    while True:
        token = _in_api_request.set(True)
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        finally:
            _in_api_request.reset(token)
        yield chunk


def _each_chunk_in_budget(chunks, budget: _SqliteBudget):
    """Each chunk of a streamed response is made within the budget; between chunks (the stream
    suspended, or abandoned by its reader) the deadline is off, so it never outlives the request."""
    chunks = iter(chunks)
    while True:
        budget.start()
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        finally:
            budget.stop()
        yield chunk


def allow_request_body(limit: int, *, too_large=None):
    """Let one view take a body of up to ``limit`` bytes instead of ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

    ``too_large(request, length, limit)``, if given, answers a body over ``limit`` instead of the
    JSON 413 (the admin's import page redirects to itself with an error message). Apply it to the
    function the URL pattern calls (outside ``admin_view``): the middleware reads it from there."""

    def decorate(view):
        view.request_body_limit = limit
        view.request_too_large = too_large
        return view

    return decorate


class RequestSizeLimitMiddleware:
    """Refuse a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a 413 from its Content-Length,
    before anything reads it. Django checks the limit only when ``request.body`` is read, but DRF's
    parsers read the stream directly, so without this a JSON body of any size would be buffered.

    A view marked with ``allow_request_body`` (the admin's *Import events*, whose own limit is
    ``exchange.MAX_IMPORT_BYTES``) has its own limit and its own answer to a body over it; the URL is
    resolved only for a body over the default limit, so other requests cost nothing more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse(
                {"detail": "Invalid Content-Length header.", "code": "bad_request"}, status=400
            )
        if limit is not None and length > limit:
            view = _view_for(request)
            limit = getattr(view, "request_body_limit", limit)
            if length > limit:
                too_large = getattr(view, "request_too_large", None)
                if too_large is not None:
                    return too_large(request, length, limit)
                return JsonResponse(
                    {
                        "detail": f"The request body is {length} bytes; the limit is {limit}.",
                        "code": "request_too_large",
                    },
                    status=413,
                )
        return self.get_response(request)


def _view_for(request):
    from django.urls import Resolver404, get_resolver

    try:
        return get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info).func
    except Resolver404:
        return None

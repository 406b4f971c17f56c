"""What a database error means for the one who made the request: retry shortly, or do not.

A 503 with Retry-After promises that retrying can help. That holds for an outage, a lock held by an
import, a query stopped by the API's time budget; it does not hold for a full disk, nor for a query
too large for the database to parse ("Expression tree is too large"), which fails the same way every
time. ``classify`` tells them apart from the driver's own error codes (PostgreSQL's SQLSTATE, SQLite's
extended result code), not from the wording of the message where a code exists.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from django.db import DatabaseError, InterfaceError, OperationalError

RETRY_AFTER_SECONDS = 5


@dataclass(frozen=True)
class DatabaseFailure:
    """How to answer a database error: HTTP status, a stable ``code``, a sentence for people, and
    the Retry-After seconds (None when retrying cannot help)."""

    status: int
    code: str
    detail: str
    retry_after: int | None = None

    @property
    def transient(self) -> bool:
        return self.retry_after is not None


UNAVAILABLE = DatabaseFailure(503, "database_unavailable", "The database is unavailable; retry shortly.", RETRY_AFTER_SECONDS)
BUSY = DatabaseFailure(
    503,
    "database_busy",
    "The data is locked by another write (an import, perhaps) for longer than a request may wait; retry shortly.",
    RETRY_AFTER_SECONDS,
)
TIMEOUT = DatabaseFailure(
    503,
    "query_timeout",
    "The query took longer than a request may take (API_STATEMENT_TIMEOUT_MS); retry later, or narrow the request.",
    RETRY_AFTER_SECONDS,
)
STORAGE_FULL = DatabaseFailure(
    507, "storage_full", "The database's disk is full; nothing can be written until an administrator frees space."
)
TOO_COMPLEX = DatabaseFailure(
    400, "query_too_complex", "The request asks for a query too large for the database; give fewer words or values."
)
READ_ONLY = DatabaseFailure(500, "database_read_only", "The database is read-only; an administrator must fix its permissions.")

# PostgreSQL SQLSTATEs (Appendix A of its manual).
_SQLSTATES = {
    "57014": TIMEOUT,  # query_canceled: statement_timeout
    "55P03": BUSY,  # lock_not_available: lock_timeout
    "40P01": BUSY,  # deadlock_detected
    "53100": STORAGE_FULL,  # disk_full
    "54000": TOO_COMPLEX,  # program_limit_exceeded
    "54001": TOO_COMPLEX,  # statement_too_complex (stack depth)
    "54011": TOO_COMPLEX,  # too_many_columns
    "54023": TOO_COMPLEX,  # too_many_arguments
    "25006": READ_ONLY,  # read_only_sql_transaction
}
# SQLite primary result codes (the low byte of the extended code).
_SQLITE_CODES = {
    sqlite3.SQLITE_INTERRUPT: TIMEOUT,  # the API's progress handler stopped it
    sqlite3.SQLITE_BUSY: BUSY,
    sqlite3.SQLITE_LOCKED: BUSY,
    sqlite3.SQLITE_FULL: STORAGE_FULL,
    sqlite3.SQLITE_TOOBIG: TOO_COMPLEX,
    sqlite3.SQLITE_READONLY: READ_ONLY,
}
# SQLite reports its parser's limits as a plain SQLITE_ERROR: the message is all there is.
_SQLITE_LIMIT_MESSAGES = (
    "expression tree is too large",
    "too many sql variables",
    "too many terms in compound select",
    "too many arguments on function",
    "parser stack overflow",
    "too many columns",
)


def _driver_error(exc: BaseException) -> BaseException:
    """The driver's exception behind Django's wrapper (Django raises its own, from the driver's)."""
    cause = exc.__cause__
    return cause if cause is not None and type(cause).__module__.split(".")[0] in ("sqlite3", "psycopg", "psycopg2") else exc


def classify(exc: BaseException) -> DatabaseFailure | None:
    """The answer to a database error, or None for one that is not about the database's state or
    limits (an IntegrityError, a programming error: those are bugs or 4xx handled elsewhere)."""
    if not isinstance(exc, DatabaseError | sqlite3.Error):
        return None
    driver = _driver_error(exc)
    sqlstate = getattr(driver, "sqlstate", None)
    if sqlstate in _SQLSTATES:
        return _SQLSTATES[sqlstate]
    code = getattr(driver, "sqlite_errorcode", None)
    if code is not None:
        failure = _SQLITE_CODES.get(code & 0xFF)
        if failure is not None:
            return failure
        if any(text in str(driver).lower() for text in _SQLITE_LIMIT_MESSAGES):
            return TOO_COMPLEX
    if isinstance(exc, OperationalError | InterfaceError | sqlite3.OperationalError | sqlite3.InterfaceError):
        return UNAVAILABLE  # refused or lost connections, and whatever else is about reaching it
    return None


def is_disk_full(exc: BaseException) -> bool:
    return classify(exc) is STORAGE_FULL

"""Issue 17: a database error says whether retrying can help. An outage, a lock held too long or a
query past its budget is a 503 with Retry-After; a full disk is a 507 and a query beyond the
database's limits a 400, neither with Retry-After; a failed import on a full disk says so and leaves
no grown write-ahead log behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg.errors
import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

from timeline import db_errors
from timeline.admin_search import MAX_ADMIN_SEARCH_WORDS


def _sqlite_error(setup: str, statement: str) -> sqlite3.Error:
    """The error SQLite itself raises (with its own result code) for ``statement``."""
    db = sqlite3.connect(":memory:")
    db.executescript(setup)
    with pytest.raises(sqlite3.Error) as raised:
        db.execute(statement)
    return raised.value


def _interrupted() -> sqlite3.Error:
    db = sqlite3.connect(":memory:")
    db.set_progress_handler(lambda: 1, 1000)
    with pytest.raises(sqlite3.Error) as raised:
        db.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*) FROM c")
    return raised.value


def _as_django(driver_error: BaseException) -> OperationalError:
    """As Django raises it: its own OperationalError, caused by the driver's."""
    try:
        raise OperationalError(str(driver_error)) from driver_error
    except OperationalError as exc:
        return exc


DRIVER_ERRORS = {
    "sqlite disk full": (lambda: _sqlite_error("PRAGMA max_page_count = 2; CREATE TABLE t (x)", "INSERT INTO t VALUES (zeroblob(100000))"), db_errors.STORAGE_FULL),
    "sqlite expression tree": (lambda: _sqlite_error("", "SELECT " + " AND ".join(["(1 = 1)"] * 1200)), db_errors.TOO_COMPLEX),
    "sqlite interrupted": (_interrupted, db_errors.TIMEOUT),
    "postgresql disk full": (lambda: psycopg.errors.DiskFull("could not extend file: No space left on device"), db_errors.STORAGE_FULL),
    "postgresql too complex": (lambda: psycopg.errors.StatementTooComplex("stack depth limit exceeded"), db_errors.TOO_COMPLEX),
    "postgresql statement timeout": (lambda: psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), db_errors.TIMEOUT),
    "postgresql lock timeout": (lambda: psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), db_errors.BUSY),
    "connection refused": (lambda: psycopg.OperationalError("connection refused"), db_errors.UNAVAILABLE),
}


@pytest.mark.parametrize("name", sorted(DRIVER_ERRORS))
def test_each_database_error_is_classified_by_its_driver_code(name):
    make, expected = DRIVER_ERRORS[name]
    assert db_errors.classify(_as_django(make())) is expected


def test_only_transient_failures_promise_a_retry():
    assert db_errors.UNAVAILABLE.retry_after and db_errors.BUSY.retry_after and db_errors.TIMEOUT.retry_after
    assert db_errors.STORAGE_FULL.retry_after is None and db_errors.STORAGE_FULL.status == 507
    assert db_errors.TOO_COMPLEX.retry_after is None and db_errors.TOO_COMPLEX.status == 400


@pytest.fixture
def full_disk():
    """Every write fails as on a full disk: SQLite's own SQLITE_FULL (max_page_count) where it runs;
    on PostgreSQL, its disk_full error raised from the statements that write (and from the bulk
    import's COPY)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")  # no free pages left by earlier tests for a write to reuse
            cursor.execute("PRAGMA page_count")
            (pages,) = cursor.fetchone()
            cursor.execute(f"PRAGMA max_page_count = {pages}")
        yield
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 4294967294")
        return
    from django.db.backends.utils import CursorWrapper

    from timeline.bulk_import import Importer

    real_execute, real_run = CursorWrapper.execute, Importer.run

    def execute(self, sql, params=None):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise OperationalError("could not extend file") from psycopg.errors.DiskFull("No space left on device")
        return real_execute(self, sql, params)

    def run(self, lines):
        raise OperationalError("could not extend file") from psycopg.errors.DiskFull("No space left on device")

    CursorWrapper.execute, Importer.run = execute, run
    try:
        yield
    finally:  # before the test database is flushed
        CursorWrapper.execute, Importer.run = real_execute, real_run


def test_an_api_write_on_a_full_disk_is_a_507_without_retry_after(transactional_db, token_client, full_disk):
    response = token_client.post("/api/parties/", {"name": "Arden", "kind": "state", "description": "x" * 200_000}, format="json")
    assert response.status_code == 507, response.content
    assert response.json()["code"] == "storage_full"
    assert "Retry-After" not in response


def test_an_admin_search_of_too_many_words_is_a_400_naming_the_limit(staff_client, invasion):
    words = " ".join(f"word{n}" for n in range(1000))
    response = staff_client.get("/admin/timeline/event/", {"q": words})
    assert response.status_code == 400
    assert f"at most {MAX_ADMIN_SEARCH_WORDS} words; this one has 1000" in response.content.decode()
    assert staff_client.get("/admin/timeline/event/", {"q": "Russia launches"}).status_code == 200


def _wal() -> Path:
    return Path(f"{connection.settings_dict['NAME']}-wal")


def test_an_import_on_a_full_disk_says_so_and_leaves_no_grown_wal(transactional_db, tmp_path, full_disk):
    from bench.generate import generate

    path = tmp_path / "events.jsonl"
    with path.open("wb") as out:
        generate(events=2000, out=out, seed=3, parties=20, sources=30)
    with pytest.raises(CommandError) as failed:
        call_command("import_events", str(path), "--no-progress")
    assert "disk is full; nothing was imported" in str(failed.value)
    assert "retry" not in str(failed.value).lower()
    if connection.vendor == "sqlite":
        assert _wal().stat().st_size == 0

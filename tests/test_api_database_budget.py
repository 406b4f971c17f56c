"""Issue 17: an API request cannot hold a worker. A query past API_STATEMENT_TIMEOUT_MS and a write
waiting past API_LOCK_TIMEOUT_MS behind another writer (an import) are a 503 JSON with Retry-After,
on SQLite and PostgreSQL; requests outside the API and management commands are not bound."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from api import filters

# Slow on purpose, and one row is enough for the condition to be evaluated: ~1.5 s unbounded.
SLOW_CONDITION = {
    "postgresql": "(SELECT count(*) FROM pg_sleep(1.5)) = 1",
    "sqlite": "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1500000) SELECT count(*) FROM c) > 0",
}


@pytest.fixture
def slow_search(monkeypatch):
    """?q= runs a slow condition instead of the text search."""
    condition = SLOW_CONDITION[connection.vendor]
    monkeypatch.setattr(filters.selectors, "events_matching", lambda *, q, queryset: queryset.extra(where=[condition]))


@pytest.fixture
def budgets(settings):
    from timeline.middleware import apply_budget

    settings.API_STATEMENT_TIMEOUT_MS = 200
    settings.API_LOCK_TIMEOUT_MS = 200
    yield settings
    apply_budget(connection, api=False)  # as the next request outside the API would: the flush runs unbounded


def _run_slow_query_directly() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 WHERE {SLOW_CONDITION[connection.vendor]}")
        assert cursor.fetchall() == [(1,)]


def test_a_query_past_the_statement_budget_is_a_503_json_with_retry_after(transactional_db, api_client, invasion, slow_search, budgets):
    response = api_client.get("/api/events/?q=slow")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "query_timeout"
    assert int(response["Retry-After"]) > 0
    assert api_client.get("/api/events/").status_code == 200  # the worker and its connection serve on


def test_an_export_past_the_statement_budget_does_not_run_on(transactional_db, api_client, invasion, slow_search, budgets):
    from django.db import DatabaseError

    from timeline import db_errors

    response = api_client.get("/api/events/?q=slow&format=csv")
    if response.status_code == 503:  # the query ran before the response began
        assert response.json()["code"] == "query_timeout"
        return
    # It ran while the rows were streamed: the stream stops there, on the budget's error.
    assert response.status_code == 200 and response.streaming
    with pytest.raises(DatabaseError) as stopped:
        b"".join(response.streaming_content)
    assert db_errors.classify(stopped.value) is db_errors.TIMEOUT


def test_requests_outside_the_api_and_commands_are_not_bound(transactional_db, client, api_client, invasion, slow_search, budgets):
    assert api_client.get("/api/events/?q=slow").status_code == 503
    assert client.get("/").status_code == 200  # the public page lifts the API's budget from the connection
    _run_slow_query_directly()  # as import_events would run it: no statement_timeout, no deadline


def _hold_write_lock():
    """Another connection holding the write lock, as a running import does; released after 10 s at
    the latest so that an unbounded wait ends (and the test fails) instead of hanging."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        import sqlite3

        other = sqlite3.connect(settings["NAME"], check_same_thread=False, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        other = psycopg.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432,
            password=settings["PASSWORD"] or None,
        )
        other.execute("LOCK TABLE timeline_party IN ACCESS EXCLUSIVE MODE")
    timer = threading.Timer(10, other.rollback)
    timer.start()
    return other, timer


def test_a_write_waiting_past_the_lock_budget_is_a_503_json_with_retry_after(transactional_db, token_client, budgets):
    budgets.API_STATEMENT_TIMEOUT_MS = 5000  # the lock wait, not the statement, is what runs out
    other, timer = _hold_write_lock()
    try:
        response = token_client.post("/api/parties/", {"name": "Arden", "kind": "state"}, format="json")
    finally:
        timer.cancel()
        other.rollback()
        other.close()
    assert response.status_code == 503, response.content
    assert response.json()["code"] == "database_busy"
    assert int(response["Retry-After"]) > 0
    created = token_client.post("/api/parties/", {"name": "Arden", "kind": "state"}, format="json")
    assert created.status_code == 201  # once the lock is gone, the same write goes through


def test_the_budgets_stay_under_gunicorns_worker_timeout():
    from django.conf import settings

    gunicorn_timeout_ms = 30_000  # `make serve` runs gunicorn with its default --timeout
    assert 0 < settings.API_STATEMENT_TIMEOUT_MS < gunicorn_timeout_ms
    assert 0 < settings.API_LOCK_TIMEOUT_MS < gunicorn_timeout_ms


def test_an_export_left_unread_leaves_no_deadline_behind(transactional_db, api_client, invasion, budgets):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's budget is a per-statement statement_timeout: there is no deadline to outlive a request")
    response = api_client.get("/api/events/?format=csv")
    assert response.status_code == 200
    next(iter(response.streaming_content))  # one chunk read, the rest abandoned by its reader
    _run_slow_query_directly()  # past the 200 ms budget, and not stopped: the request is over


def test_a_connection_the_request_opens_gets_the_budget_too(transactional_db, api_client, invasion, slow_search, budgets):
    connection.close()  # as after DB_CONN_MAX_AGE: the request's first query connects
    response = api_client.get("/api/events/?q=slow")
    assert response.status_code == 503
    assert response.json()["code"] == "query_timeout"


# These tests read the events their fixtures create (drafts) as an anonymous client: drafts shown.
_marks = globals().get("pytestmark", [])
pytestmark = [*(_marks if isinstance(_marks, list) else [_marks]), pytest.mark.usefixtures("drafts_public")]

"""How a full export is read: every matching event exactly once, in the order asked, in keyset chunks
whose number of queries does not grow with the chunk's position, or on PostgreSQL from one server-side
cursor in a read-only transaction (bench/exports_memory.py measures the memory on a million rows,
bench/exports_bench.py the speed against COPY)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from api.viewsets import EventListMixin
from timeline import selectors, services
from timeline.exports import streaming

from .api_helpers import content

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(db):
    """Twelve events, most sharing a first day: only (earliest, latest, id) orders them, so a chunk
    that started after the wrong key would skip or repeat one."""
    return [
        services.event_create(title=f"event {n} ({date})", date=date)
        for n, date in enumerate(["2022", "2022-01", "2022-01-01", "2021"] * 3)
    ]


def csv_titles(api_client, query: str) -> list[str]:
    response = api_client.get(f"/api/events/?format=csv{query}")
    assert response.status_code == 200
    return [row["title"] for row in csv.DictReader(io.StringIO(content(response).decode()))]


# Both ways of reading (on SQLite both are keyset chunks: the setting only matters on PostgreSQL).
both_ways = pytest.mark.parametrize("server_cursor", [True, False], ids=["server-cursor", "keyset"])


@pytest.mark.parametrize(("server_cursor", "chunk_size"), [(False, 1), (False, 5), (False, 12), (False, 500), (True, 5)])
@pytest.mark.parametrize("ordering", ["date", "-date"])
def test_a_chunked_export_reads_every_event_once_in_order(api_client, crowded, monkeypatch, chunk_size, ordering,
                                                          server_cursor, settings):
    settings.EXPORT_SERVER_CURSOR = server_cursor
    monkeypatch.setattr(EventListMixin, "export_chunk_size", chunk_size)
    ordered = sorted(crowded, key=lambda e: (e.earliest, e.latest, e.pk), reverse=ordering.startswith("-"))
    assert csv_titles(api_client, f"&ordering={ordering}") == [e.title for e in ordered]


@both_ways
def test_a_chunked_export_starts_after_its_cursor_and_stops_at_its_page_size(api_client, crowded, monkeypatch,
                                                                            server_cursor, settings):
    settings.EXPORT_SERVER_CURSOR = server_cursor
    monkeypatch.setattr(EventListMixin, "export_chunk_size", 2)
    ordered = [e.title for e in sorted(crowded, key=lambda e: (e.earliest, e.latest, e.pk))]
    first = api_client.get("/api/events/?format=csv&page_size=5")
    link = first["Link"][1 : first["Link"].index(">")]
    second = api_client.get(link)
    titles = [r["title"] for r in csv.DictReader(io.StringIO(content(second).decode()))]
    assert titles == ordered[5:10]


@override_settings(EXPORT_SERVER_CURSOR=False)
def test_each_chunk_costs_the_same_few_queries(api_client, crowded, monkeypatch):
    """One query for a chunk's events and three for their related rows: the number of queries grows
    with the number of chunks only, so a million rows never become one query's result held at once."""
    monkeypatch.setattr(EventListMixin, "export_chunk_size", 3)
    with CaptureQueriesContext(connection) as captured:
        assert len(csv_titles(api_client, "")) == 12
    chunk_queries = [q["sql"] for q in captured.captured_queries if 'FROM "timeline_event"' in q["sql"]]
    # four full chunks of three, and a fifth that finds nothing
    assert len(chunk_queries) == 5
    assert all("LIMIT 3" in sql for sql in chunk_queries)


def test_on_postgresql_an_export_reads_its_events_from_one_server_side_cursor(api_client, crowded, monkeypatch):
    """The events' query is declared once as a cursor and fetched batch by batch (never the whole
    result at once), and each batch's related rows cost the same three queries."""
    if connection.vendor != "postgresql":
        pytest.skip("server-side cursors are PostgreSQL's; SQLite reads keyset chunks (the test above)")
    monkeypatch.setattr(EventListMixin, "export_chunk_size", 3)
    with CaptureQueriesContext(connection) as captured:
        assert len(csv_titles(api_client, "")) == 12
    events = [q["sql"] for q in captured.captured_queries if 'FROM "timeline_event"' in q["sql"]]
    assert len(events) == 1 and events[0].startswith("DECLARE") and "WITH HOLD" not in events[0]
    related = [q["sql"] for q in captured.captured_queries if "= ANY(" in q["sql"]]
    assert len(related) == 3 * 4  # four batches of three events, three relations each


def test_a_database_without_server_side_cursors_gets_keyset_chunks(api_client, crowded, monkeypatch):
    """Behind a pooler the settings disable server-side cursors: an export then reads keyset chunks
    (each its own query), never the whole result in one fetch."""
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    monkeypatch.setattr(EventListMixin, "export_chunk_size", 5)
    with CaptureQueriesContext(connection) as captured:
        assert len(csv_titles(api_client, "")) == 12
    events = [q["sql"] for q in captured.captured_queries if 'FROM "timeline_event"' in q["sql"]]
    assert len(events) == 3 and not any(sql.startswith("DECLARE") for sql in events)
    assert all("LIMIT 5" in sql for sql in events)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_server_side_cursor_reads_in_its_own_read_only_repeatable_read_transaction(crowded):
    """Outside any transaction (as a server runs), the cursor gets a transaction of its own (PgBouncer
    in transaction mode keeps its connection for it), REPEATABLE READ so that every batch and its
    related rows come from one snapshot, read only, and closed when the rows are."""
    if connection.vendor != "postgresql":
        pytest.skip("server-side cursors are PostgreSQL's; SQLite reads keyset chunks")
    rows = streaming.server_side(selectors.events_for_listing().order_by("earliest", "latest", "id"), chunk_size=2)
    first = next(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')")
        assert cursor.fetchone() == ("repeatable read", "on")
    assert connection.in_atomic_block
    ordered = sorted(crowded, key=lambda e: (e.earliest, e.latest, e.pk))
    assert [first.title, *(e.title for e in rows)] == [e.title for e in ordered]
    assert first.listed_participations == []  # related rows attached batch by batch
    assert not connection.in_atomic_block


# These tests read the events their fixtures create (drafts) as an anonymous client: drafts shown.
_marks = globals().get("pytestmark", [])
pytestmark = [*(_marks if isinstance(_marks, list) else [_marks]), pytest.mark.usefixtures("drafts_public")]

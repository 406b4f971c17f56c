"""How a full export is read: every matching event exactly once, in the order asked, in keyset chunks
whose number of queries does not grow with the chunk's position (bench/exports_memory.py measures the
memory on a million rows)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.viewsets import EventListMixin
from timeline import services

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


@pytest.mark.parametrize("chunk_size", [1, 5, 12, 500])
@pytest.mark.parametrize("ordering", ["date", "-date"])
def test_a_chunked_export_reads_every_event_once_in_order(api_client, crowded, monkeypatch, chunk_size, ordering):
    monkeypatch.setattr(EventListMixin, "export_chunk_size", chunk_size)
    ordered = sorted(crowded, key=lambda e: (e.earliest, e.latest, e.pk), reverse=ordering.startswith("-"))
    assert csv_titles(api_client, f"&ordering={ordering}") == [e.title for e in ordered]


def test_a_chunked_export_starts_after_its_cursor_and_stops_at_its_page_size(api_client, crowded, monkeypatch):
    monkeypatch.setattr(EventListMixin, "export_chunk_size", 2)
    ordered = [e.title for e in sorted(crowded, key=lambda e: (e.earliest, e.latest, e.pk))]
    first = api_client.get("/api/events/?format=csv&page_size=5")
    link = first["Link"][1 : first["Link"].index(">")]
    second = api_client.get(link)
    titles = [r["title"] for r in csv.DictReader(io.StringIO(content(second).decode()))]
    assert titles == ordered[5:10]


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


# These tests read the events their fixtures create (drafts) as an anonymous client: drafts shown.
_marks = globals().get("pytestmark", [])
pytestmark = [*(_marks if isinstance(_marks, list) else [_marks]), pytest.mark.usefixtures("drafts_public")]

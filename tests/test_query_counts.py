"""Query counts that must not grow with the data: a regression here is a slow page or import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import generate
from timeline import services
from timeline.bulk_import import import_file

pytestmark = pytest.mark.usefixtures("drafts_public")  # reads drafts as an anonymous client (conftest)


def _clear() -> None:
    from timeline.models import Event, Party, Source

    Event.objects.all().delete()
    Source.objects.all().delete()
    Party.objects.all().delete()


def _import_queries(tmp_path: Path, *, events: int) -> int:
    """Queries of one import into empty tables."""
    _clear()
    path = tmp_path / f"gen-{events}.jsonl"
    with path.open("wb") as out:
        generate(events=events, out=out, seed=11, parties=30, sources=40)
    with CaptureQueriesContext(connection) as captured:
        import_file(path=path)
    return len(captured.captured_queries)


def test_an_import_costs_the_same_queries_for_20_or_2000_events(transactional_db, tmp_path):
    small = _import_queries(tmp_path, events=20)
    large = _import_queries(tmp_path, events=2000)
    # PostgreSQL: ids are taken past each table's sequence (nextval, setval), never MAX(id)+1. SQLite: 16
    # statements more, the change stamp's insert triggers dropped and made again around the import
    # and the stamp moved on once (timeline/change_stamp.py), instead of a trigger per row.
    assert small <= (24 if connection.vendor == "postgresql" else 24 + 16)
    assert large == small


def test_import_queries_grow_per_batch_not_per_record(transactional_db, tmp_path, monkeypatch):
    monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", 500)
    queries = _import_queries(tmp_path, events=2000)
    monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", 1_000_000)
    once = _import_queries(tmp_path, events=2000)
    # Four batches instead of one: three more writes of events, participations and citations.
    assert 0 < queries - once <= 3 * 3


@pytest.fixture
def dated_events(db, russia, ukraine):
    for n in range(120):
        services.event_create(title=f"event {n}", date=f"{2021 + n % 3}-{1 + n % 12:02d}",
                              parties=[(russia, "actor"), (ukraine, "target")])


def _queries(client, url) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries), response.json()


def test_a_date_window_page_and_a_deep_page_cost_what_the_first_costs(api_client, dated_events):
    url = "/api/events/?start=2022-01-01&end=2023-12-31&page_size=10"
    first, page = _queries(api_client, url)
    assert len(page["results"]) == 10
    for _ in range(5):
        deeper, page = _queries(api_client, page["next"])
        assert deeper == first
    assert first <= 3  # the change stamp (api/caching.py), the page's keys, its JSON


def test_a_page_builds_json_for_its_own_events_only(api_client, dated_events):
    # The page reads the key of one event more than it shows, to know whether there is a next page;
    # the one query that builds the events' JSON (parties, citations, places nested) asks for the
    # shown events alone.
    with CaptureQueriesContext(connection) as captured:
        page = api_client.get("/api/events/?start=2021-01-01&end=2023-12-31&page_size=7").json()
    assert len(page["results"]) == 7 and page["next"]
    shown = {str(event["id"]) for event in page["results"]}
    assert len(captured.captured_queries) == 3
    stamp, keys, built = (q["sql"] for q in captured.captured_queries)
    assert "timeline_changestamp" in stamp  # read first: the page's validators (api/caching.py)
    assert "json" not in keys.lower() and "LIMIT 8" in keys
    asked = re.search(r"\bIN \(([^)]*)\)|= ANY\('\{([^}]*)\}'", built)
    assert set(re.findall(r"\d+", asked.group(1) or asked.group(2))) == shown

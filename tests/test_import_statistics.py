"""import_events leaves the query planner statistics of what it imported (issue 19: without them
SQLite serves the date-range list from the status index; see tests/test_query_plans.py)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from bench.generate import generate


@pytest.mark.django_db
def test_import_events_gathers_the_planner_statistics(tmp_path):
    path = tmp_path / "timeline.jsonl"
    with open(path, "wb") as out:
        generate(events=60, out=out, seed=2, parties=20, sources=20)
    call_command("import_events", str(path), "--no-progress")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'event_chronology_idx'")
            assert cursor.fetchone()[0].split()[0] == "60"
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'timeline_event'")
            assert cursor.fetchone()[0] == 60


@pytest.mark.django_db
def test_sqlite_statistics_after_an_import_count_every_row_of_a_common_value(tmp_path):
    # Sampled at 1,000 rows an index, SQLite's statistics said one status covers about 1,000 events
    # when it covers them all, and the planner served ?q= from the status index: every reviewed
    # event read, sorted and matched (0.7 s a page at 50,000 events).
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's ANALYZE")
    path = tmp_path / "timeline.jsonl"
    with open(path, "wb") as out:
        generate(events=2_500, out=out, seed=3, parties=50, sources=100)
    call_command("import_events", str(path), "--no-progress")
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx LIKE 'timeline_event_status%'")
        rows, per_value = map(int, cursor.fetchone()[0].split()[:2])
    assert rows == 2_500 and per_value == 2_500  # every generated event is reviewed

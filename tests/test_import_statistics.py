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

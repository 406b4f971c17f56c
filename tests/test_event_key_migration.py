"""Migrations 0003/0004: events stored before every event had a key get one (and their history rows
the same one), existing keys are kept, and the column is then required."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("timeline", "0002_event_search_text_gin")]
WHEN = datetime(2024, 1, 1, tzinfo=UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return [(app, name) for app, name in MigrationExecutor(connection).loader.graph.leaf_nodes() if app == "timeline"]


@pytest.mark.django_db(transaction=True)
def test_keyless_events_and_their_history_get_unique_readable_keys():
    old = _migrate(BEFORE)
    try:
        Event, History = old.get_model("timeline", "Event"), old.get_model("timeline", "HistoricalEvent")
        columns = {"date_text": "September 2022", "earliest": date(2022, 9, 1), "latest": date(2022, 9, 30),
                   "precision": "month", "edtf": "2022-09", "date_label": "September 2022"}

        def event(key, title="Truce overtures"):
            row = Event.objects.create(key=key, title=title, **columns)
            History.objects.create(id=row.id, key=None, title=title, history_date=WHEN, history_type="+",
                                   created=WHEN, updated=WHEN, **columns)
            return row.id

        curated = event("truce-overtures-2022-09")  # what a keyless one would be given: kept
        first, second = event(None), event(None)
        other = event(None, title="Переговоры")
        empty = event("")
        History.objects.create(id=9999, key=None, title="Deleted since", history_date=WHEN, history_type="-",
                               created=WHEN, updated=WHEN, **columns)
        assert History.objects.filter(key__isnull=True).count() == 6
    finally:
        new = _migrate(_latest())

    Event, History = new.get_model("timeline", "Event"), new.get_model("timeline", "HistoricalEvent")
    keys = dict(Event.objects.values_list("id", "key"))
    assert keys == {
        curated: "truce-overtures-2022-09",
        first: "truce-overtures-2022-09-2",
        second: "truce-overtures-2022-09-3",
        other: "event-2022-09",
        empty: "truce-overtures-2022-09-4",
    }
    for pk, key in keys.items():
        assert set(History.objects.filter(id=pk).values_list("key", flat=True)) == {key}
    assert History.objects.get(id=9999).key == "deleted-since-2022-09"
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(id=first).update(key=None)

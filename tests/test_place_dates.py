"""The events' dates copied onto their places' rows (timeline/place_dates.py, migration 0015): every
write path keeps the copy, ``?place=`` with a window answers exactly what the events' own dates say,
and a SQLite table rebuild that dropped the columns or triggers is repaired after migrate."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from timeline import merging, place_dates, selectors, services
from timeline.models import Event

pytestmark = pytest.mark.django_db


def _copies() -> dict[int, tuple]:
    """event id -> the (earliest, latest) copied on each of its place rows, as dates."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT event_id, event_earliest, event_latest FROM timeline_event_places")
        rows = cursor.fetchall()
    out: dict[int, set] = {}
    for event_id, earliest, latest in rows:
        out.setdefault(event_id, set()).add((_day(earliest), _day(latest)))
    return {k: v.pop() if len(v) == 1 else v for k, v in out.items()}


def _day(value):
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def _own(event: Event) -> tuple:
    event.refresh_from_db()
    return (event.earliest, event.latest)


@pytest.fixture
def places():
    return [services.place_create(name="Kyiv", kind="city"), services.place_create(name="Geneva", kind="city")]


def test_an_event_created_with_places_has_its_dates_on_their_rows(places):
    event = services.event_create(title="Talks", date="September 2022", places=places)
    assert _copies() == {event.pk: _own(event)}
    assert _own(event) == (date(2022, 9, 1), date(2022, 9, 30))


def test_redating_an_event_through_the_services_moves_the_copies(places):
    event = services.event_create(title="Talks", date="September 2022", places=places[:1])
    services.event_update(event=event, date="2023-03-05")
    assert _copies() == {event.pk: (date(2023, 3, 5), date(2023, 3, 5))}


def test_places_added_later_by_set_or_add_take_the_current_dates(places):
    event = services.event_create(title="Talks", date="1990/..")
    event.places.set(places[:1])
    event.places.add(places[1])
    assert _copies() == {event.pk: _own(event)}


def test_a_raw_update_of_the_dates_reaches_the_copies(places):
    """Bulk imports and repairs write SQL, not models: the trigger sees them too."""
    event = services.event_create(title="Talks", date="2022", places=places)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE timeline_event SET earliest = %s, latest = %s WHERE id = %s",
                       [date(2001, 1, 1), date(2001, 12, 31), event.pk])
    assert _copies() == {event.pk: (date(2001, 1, 1), date(2001, 12, 31))}


def test_a_place_row_moved_to_another_event_by_sql_takes_that_events_dates(places):
    first = services.event_create(title="Talks", date="2022", places=places[:1])
    second = services.event_create(title="Truce", date="1995-05", places=places[1:])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE timeline_event_places SET event_id = %s WHERE event_id = %s", [second.pk, first.pk])
    assert _copies() == {second.pk: _own(second)}


def test_merging_moves_the_places_with_the_survivors_dates(places):
    survivor = services.event_create(title="Talks", date="2022-09-14")
    other = services.event_create(title="Talks (copy)", date="September 2022", places=places)
    merging.events_merge(survivor=survivor, others=[other])
    assert _copies() == {survivor.pk: (date(2022, 9, 14), date(2022, 9, 14))}


def test_the_place_filter_with_a_window_answers_what_the_events_dates_say(places):
    kyiv = places[0]
    dates = ["2021-12-31", "2022-01-01", "September 2022", "2022", "2023/..", "../2021", "../2022-06",
             "2023-12-31", "2024-01-01", "2019", "2010s"]
    made = [services.event_create(title=f"E{i}", date=d, places=[kyiv], status=Event.Status.REVIEWED)
            for i, d in enumerate(dates)]
    services.event_create(title="elsewhere", date="2022-05-05", places=[places[1]], status=Event.Status.REVIEWED)
    # Redated after being placed: the copy must follow, or the filter would answer from old dates.
    services.event_update(event=made[0], date="2022-02-02")
    for lo, hi, match in [(date(2022, 1, 1), date(2023, 12, 31), "overlap"), (date(2022, 1, 1), None, "overlap"),
                          (None, date(2021, 12, 31), "overlap"), (date(2022, 1, 1), date(2023, 12, 31), "within"),
                          (date(2015, 1, 1), date(2022, 12, 31), "within")]:
        window = selectors.events_in_range(start=lo, end=hi, match=match)
        got = {e.title for e in selectors.events_at(places=[kyiv], queryset=window)}
        expected = {e.title for e in window if kyiv in e.places.all()}
        assert got == expected, (lo, hi, match)
        assert expected  # each window holds some of them


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_sqlite_rebuild_that_dropped_the_copy_is_repaired_after_migrate(places):
    event = services.event_create(title="Talks", date="2022", places=places[:1])
    with connection.cursor() as cursor:
        for trigger in (place_dates.COPY_ON_INSERT, place_dates.COPY_ON_MOVE, place_dates.COPY_ON_EVENT_UPDATE):
            cursor.execute(f"DROP TRIGGER {trigger}")
        cursor.execute(f"DROP INDEX {place_dates.INDEX}")
        cursor.execute("ALTER TABLE timeline_event_places DROP COLUMN event_earliest")
        cursor.execute("UPDATE timeline_event SET latest = '2030-01-01' WHERE id = %s", [event.pk])
    made = place_dates.ensure(connection)
    assert set(made) == {"event_earliest", place_dates.COPY_ON_INSERT, place_dates.COPY_ON_MOVE,
                         place_dates.COPY_ON_EVENT_UPDATE, place_dates.INDEX}
    assert _copies() == {event.pk: (date(2022, 1, 1), date(2030, 1, 1))}
    assert place_dates.ensure(connection) == []  # nothing missing: nothing done


def test_the_place_listing_reads_the_window_from_the_copied_dates_index(places):
    services.event_create(title="Talks", date="2022", places=places[:1])
    window = selectors.events_in_range(start=date(2022, 1, 1), end=date(2023, 12, 31))
    rows = Event.places.through.objects.filter(place__in=places[:1]).filter(place_dates.CopiedDates(window.date_bounds))
    sql, params = rows.values("event_id").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(row) for row in cursor.fetchall())
    assert place_dates.INDEX in plan, plan
    assert "event_latest" in sql and "event_earliest" in sql

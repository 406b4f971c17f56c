"""Issue 19: an overlap window is read as three bounded index ranges (timeline.overlap), and the
pages it gives are exactly the pages of the plain overlap query, in both orders and directions."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from timeline import overlap, selectors, services
from timeline.models import Event

from .api_helpers import pages_both_ways, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("drafts_public")]


def _date_text(rng: random.Random) -> tuple[str, str]:
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
    roll = rng.random()
    if roll < 0.4:
        return day.isoformat(), ""
    if roll < 0.55:
        return f"{day.year}-{day.month:02d}", ""
    if roll < 0.65:
        return str(day.year), ""
    if roll < 0.8:
        return day.isoformat(), (day + timedelta(days=rng.randint(1, 700))).isoformat()
    if roll < 0.9:
        return f"{day.isoformat()}/..", ""
    return f"../{day.isoformat()}", ""


@pytest.fixture
def mixed_events(db):
    """Days, months, years, spans of up to 700 days, open starts and open ends, several sharing a day."""
    rng = random.Random(19)
    events = []
    for n in range(90):
        text, end = _date_text(rng)
        events.append(services.event_create(title=f"e{n:02d}", date=text, end=end))
    events.append(services.event_create(title="same day a", date="2019-06-01"))
    events.append(services.event_create(title="same day b", date="2019-06-01"))
    return events


def overlapping(events, start: date, end: date | None = None, *, reverse=False) -> list[str]:
    chosen = [e for e in events if e.latest >= start and (end is None or e.earliest <= end)]
    return [e.title for e in sorted(chosen, key=lambda e: (e.earliest, e.latest, e.pk), reverse=reverse)]


WINDOWS = [("2019-06-01", "2019-06-30"), ("2016", "2016"), ("2021-03-15", None), ("2014-01", "2014-12"),
           ("2023-01-01", "2030-12-31"), ("2017-02-03", "2017-02-03")]


@pytest.mark.parametrize(("start", "end"), WINDOWS)
def test_the_three_bounded_sets_are_exactly_the_overlapping_events(mixed_events, start, end):
    lo, hi = selectors.date_window(start=start, end=end)
    window = selectors.events_in_range(start=lo, end=hi, queryset=Event.objects.all())
    sets = overlap.bounded_sets(window)
    assert sets is not None
    ids = [pk for part in sets for pk in part.values_list("pk", flat=True)]
    assert len(ids) == len(set(ids)), "the sets overlap"
    assert sorted(ids) == sorted(window.values_list("pk", flat=True))
    assert {e.title for e in Event.objects.filter(pk__in=ids)} == set(overlapping(mixed_events, lo, hi))


@pytest.mark.parametrize(("start", "end"), WINDOWS)
@pytest.mark.parametrize("ordering", ["date", "-date"])
def test_walking_an_overlap_window_gives_every_overlapping_event_once_in_order(api_client, mixed_events, start, end, ordering):
    lo, hi = selectors.date_window(start=start, end=end)
    query = f"start={start}" + (f"&end={end}" if end else "") + f"&ordering={ordering}&page_size=3"
    titles = [e["title"] for e in walk(api_client, f"/api/events/?{query}")]
    assert titles == overlapping(mixed_events, lo, hi, reverse=ordering == "-date")


def test_previous_links_of_a_bounded_window_give_the_same_pages_backwards(api_client, mixed_events):
    forward, backward = pages_both_ways(api_client, "/api/events/?start=2018&end=2019&page_size=4")
    assert len(forward) > 3
    assert list(reversed(backward)) == forward[:-1]


def test_an_export_of_a_bounded_window_has_every_overlapping_event(api_client, mixed_events):
    lo, hi = selectors.date_window(start="2018", end="2019")
    response = api_client.get("/api/events.csv?start=2018&end=2019")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = body.splitlines()[1:]
    expected = overlapping(mixed_events, lo, hi)
    assert len(rows) == len(expected)
    assert all(any(title in row for row in rows) for title in expected)


def test_an_export_capped_by_page_size_links_to_the_rest_from_the_right_event(api_client, mixed_events):
    lo, hi = selectors.date_window(start="2016", end="2020")
    expected = overlapping(mixed_events, lo, hi)
    first = api_client.get("/api/events.timelinejs?start=2016&end=2020&page_size=5")
    assert first.status_code == 200
    rest = first["Link"].split(";")[0].strip("<>")
    tail = api_client.get(rest + "&page_size=200")
    headlines = [s["text"]["headline"] for s in json.loads(b"".join(tail.streaming_content))["events"]]
    assert sorted(headlines) == sorted(expected[5:])


def test_a_longer_event_written_behind_the_services_back_is_still_found(api_client, mixed_events):
    # The bound is read from the database per query: a write that bypasses the services (a raw
    # UPDATE, a bulk import) widens it at once.
    event = services.event_create(title="long ago, long running", date="2001-01-01")
    assert "long ago, long running" not in [e["title"] for e in walk(api_client, "/api/events/?start=2019-06-01&end=2019-06-30")]
    Event.objects.filter(pk=event.pk).update(latest=date(2019, 6, 10))
    assert "long ago, long running" in [e["title"] for e in walk(api_client, "/api/events/?start=2019-06-01&end=2019-06-30")]


def test_only_open_bounds_and_no_finite_event_still_works(api_client, db):
    services.event_create(title="open end", date="2010-01-01/..")
    services.event_create(title="open start", date="../2030-01-01")
    titles = [e["title"] for e in walk(api_client, "/api/events/?start=2020&end=2020")]
    assert titles == ["open start", "open end"]


def test_a_window_whose_bound_reaches_back_past_the_first_day_still_finds_everything(api_client, db):
    # start − the longest span falls before year 1: the finite set is read from the first finite day.
    services.event_create(title="a long age", date="0001-03-01", end="0400-12-31")
    services.event_create(title="open start", date="../0055-01-01")
    services.event_create(title="open start, before", date="../0002-01-01")
    services.event_create(title="a day", date="0050-06-01")
    services.event_create(title="later", date="0500-01-01")
    titles = [e["title"] for e in walk(api_client, "/api/events/?start=0050&end=0060&page_size=1")]
    assert titles == ["open start", "a long age", "a day"]


def test_an_open_ended_event_does_not_count_as_the_longest_span(api_client, db):
    # Were "since 1900" counted as a span of 8,000 years, every window would be read unbounded; it is
    # the second set's. The finite set's bound comes from the month alone: the day in 2019 is not read.
    services.event_create(title="open end", date="1900-01-01/..")
    services.event_create(title="a month", date="2020-02")
    services.event_create(title="a day long before", date="2019-01-01")
    with CaptureQueriesContext(connection) as queries:
        titles = [e["title"] for e in walk(api_client, "/api/events/?start=2020-02-15&end=2020-02-20")]
    assert titles == ["open end", "a month"]
    union = next(q["sql"] for q in queries.captured_queries if "UNION ALL" in q["sql"])
    assert "event_finite_span_idx" in " ".join(_index_reads(union)), _index_reads(union)


def _plan(sql: str) -> list[tuple[str, str]]:
    """How the plan of ``sql`` reads its tables: (what, how) per step. SQLite (``EXPLAIN QUERY
    PLAN``): each line, and the line again. PostgreSQL (``EXPLAIN (FORMAT JSON)``, sequential scans
    off as in test_query_plans: the table is small): each node's type and index, and its Index Cond."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [(line, line) for *_, line in cursor.fetchall()]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        found.append((f"{node['Node Type']} {node.get('Index Name', '')}", node.get("Index Cond", "")))
        stack += node.get("Plans", [])
    return found


def _index_reads(sql: str) -> list[str]:
    return [what for what, _ in _plan(sql)]


def _chronology_reads(sql: str) -> list[str]:
    """How the plan of ``sql`` reads the chronology index: its constraint (SQLite), its Index Cond
    (PostgreSQL)."""
    return [how for what, how in _plan(sql) if "event_chronology_idx" in what]


def test_the_finite_events_of_a_window_are_read_from_a_range_bounded_below(api_client, mixed_events):
    # Without the bound, the page walked the chronology index from its first entry: only
    # "earliest <= end" bounds it. Now some query reads it from start − the longest span on.
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/api/events/?start=2019-06-01&end=2019-06-30").status_code == 200
    reads = [read for q in queries.captured_queries if "timeline_event" in q["sql"] for read in _chronology_reads(q["sql"])]
    if connection.vendor == "sqlite":
        assert any("earliest>?" in read and "earliest<?" in read for read in reads), reads
    else:
        assert any("earliest >=" in read and "earliest <=" in read for read in reads), reads


@pytest.mark.parametrize("ordering", ["date", "-date"])
def test_a_page_after_a_cursor_is_read_from_the_cursor_on(api_client, mixed_events, ordering):
    # SQLite seeks an index by the first bound the WHERE clause names on each side: with the
    # window's "earliest <= end" (or the bound's "earliest >= start − longest") first, a page after
    # a cursor walked from the window's edge to the cursor. The cursor's row value comes first now.
    first = api_client.get(f"/api/events/?start=2015&end=2024&page_size=5&ordering={ordering}").json()
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(first["next"]).status_code == 200
    reads = [read for q in queries.captured_queries if "timeline_event" in q["sql"] and "ORDER BY" in q["sql"]
             for read in _chronology_reads(q["sql"])]
    assert reads
    if connection.vendor == "sqlite":
        sign = ">" if ordering == "date" else "<"
        assert all(f"(earliest,latest){sign}(?,?)" in read or "earliest=?" in read for read in reads), reads
    else:
        assert all("ROW(" in read for read in reads), reads


def test_a_window_whose_other_filters_match_nothing_is_an_empty_page_not_an_error(api_client, mixed_events):
    # A filter Django knows to match nothing (none(): on SQLite a q of stop words or punctuation)
    # compiles to no SQL at all; the bounded read gives an empty page as the plain one did.
    window = selectors.events_in_range(start=date(2019, 1, 1), end=None, queryset=Event.objects.none())
    assert overlap.first_keys(window.order_by("earliest", "latest", "id"), limit=5) == []
    for query in ("start=2019&q=the", "start=2019&q=%21%21", "start=2019&id=99999999"):
        response = api_client.get(f"/api/events/?{query}")
        assert response.status_code == 200 and response.json()["results"] == [], query
        assert api_client.get(f"/api/events.csv?{query}").status_code == 200, query


def test_the_open_ends_of_a_window_are_read_in_date_order(api_client, mixed_events):
    # event_latest_idx is (latest, earliest, id): the open ends ("since …") come in the page's order,
    # so their walk stops when the page is full; on (latest) alone every open end in the window was
    # checked against the other filters (a full-text check each) before they were sorted.
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/api/events/?start=2019-06-01&end=2019-06-30").status_code == 200
    reads = [how for q in queries.captured_queries if "UNION ALL" in q["sql"]
             for what, how in _plan(q["sql"]) if "event_latest_idx" in what]
    assert reads
    if connection.vendor == "sqlite":
        assert any("latest=?" in read and "earliest<?" in read for read in reads), reads
    else:
        assert any("latest =" in read and "earliest <=" in read for read in reads), reads


@pytest.mark.parametrize("flag", ["uncertain", "approximate"])
def test_a_flag_few_events_carry_is_read_from_its_own_index(api_client, mixed_events, flag):
    # ?uncertain=true walked every event of the window to find the few uncertain ones (none, in
    # the bench: 5x the range query at 1,000,000 events on SQLite). A partial index holds just them.
    Event.objects.filter(pk=mixed_events[3].pk).update(**{flag: True})
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/events/?start=2014&end=2024&{flag}=true")
    assert response.status_code == 200
    assert [e["title"] for e in response.json()["results"]] == [mixed_events[3].title]
    reads = [what for q in queries.captured_queries if "UNION ALL" in q["sql"] for what, _ in _plan(q["sql"])]
    assert any(f"event_{flag}_idx" in what for what in reads), reads


def test_a_short_list_of_ids_is_looked_up_not_walked_through_the_window(api_client, mixed_events):
    # A party's few events are read first (timeline.id_lists): the page looks them up by id and
    # sorts them, with no walk of the window's three index ranges checking each event against them.
    party = services.party_create(name="Rare party", kind="state")
    for event in mixed_events[:3]:
        services.participation_add(event=event, party=party, role="actor")
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/events/?start=2010&end=2030&party=rare-party")
    assert response.status_code == 200
    expected = sorted(mixed_events[:3], key=lambda e: (e.earliest, e.latest, e.pk))
    assert [e["title"] for e in response.json()["results"]] == [e.title for e in expected]
    page = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"] and '"timeline_event"' in q["sql"]]
    assert page and not any("UNION ALL" in sql for sql in page), page

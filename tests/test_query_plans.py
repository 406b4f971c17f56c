"""Issue 19: no documented filter of /api/events/ makes the database read a whole big table.

Each case sends a request the API documents through the test client, captures every query it runs
(the FilterSet's, the keyset page's, the JSON of the page: the API's own SQL, not SQL written here)
and asks the database how it would run each one over a generated timeline, statistics gathered:

- SQLite (``EXPLAIN QUERY PLAN``): no ``SCAN`` of a big table, bare or through an index (``SCAN t
  USING INDEX i`` reads every entry of i), and no ``SEARCH`` bounded by ``status`` alone (three
  values: a search on it reads about the whole table). The FTS5 index's ``SCAN … VIRTUAL TABLE
  INDEX n:M`` is a MATCH, answered from the index.
- PostgreSQL (``EXPLAIN (FORMAT JSON)``): no ``Seq Scan`` of a big table, and no index scan of one
  without an ``Index Cond``. The planner prefers a sequential scan on a table this small whatever
  the indexes, so the plans are asked with ``enable_seqscan = off``: that setting only makes a
  sequential scan cost more, and the planner still takes one when no index can answer the query.
  A plan free of them therefore proves an index can serve the query.

One exception on both: an index walked in its own order under the page's LIMIT, with nothing
sorting after it (the page query's ``ORDER BY earliest, latest, id LIMIT 51`` read straight off
the chronology index). It stops as soon as the page is full, and the planner takes it when its
statistics say the page fills early (a common word for ``q``; a wide window ordered by
``-updated`` on SQLite). Its worst case, rows so rare the walk reaches the end, is the planner
misjudging its statistics: what the bench (``bench/filters_bench.py``: every filter's p50 against
the plain range query's, 200,000 events) is for. Statistics are gathered (ANALYZE) first, as
``import_events`` and the bench do: without them SQLite takes the ``status`` index for the plain
range query (a search on status that reads every reviewed event), which the check reports.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

import pytest
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from api.filters import EventFilterSet
from bench.filters_bench import add_places, documented_cases, generate_rows
from timeline.bulk_import import gather_statistics

BIG_TABLES = {"timeline_event", "timeline_participation", "timeline_citation", "timeline_event_places"}
EVENTS = 2_000


@pytest.fixture(scope="module")
def timeline_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    """A generated timeline (2,000 events, their parties, sources, citations and places), imported
    once for the module and removed after it, with the planner's statistics gathered."""
    with django_db_blocker.unblock():
        generate_rows(tmp_path_factory.mktemp("plans") / "timeline.jsonl", events=EVENTS)
        add_places()
        gather_statistics()  # as import_events does
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE timeline_event_places")
        # Ids are never reused (on PostgreSQL sequences outlive the rows of earlier tests): the
        # cases name the rows this import made.
        from timeline.models import Party, Source

        yield documented_cases(
            party_slugs=list(Party.objects.order_by("id").values_list("slug", flat=True)[:10]),
            source_id=Source.objects.order_by("id").values_list("id", flat=True).first(),
            place_slug="place-1",
        )
        tables = [t for t in connection.introspection.django_table_names(include_views=False) if t.startswith("timeline_")]
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, allow_cascade=True))


def captured(api_client, query: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/events/?{query}")
    assert response.status_code == 200, response.content[:300]
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in BIG_TABLES)]


def full_scans(sql: str) -> list[str]:
    """The lines of the plan of ``sql`` that read a whole big table (or a whole index of one)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            rows = cursor.fetchall()
            ordered_walk_allowed = _limited(sql) and not any(
                parent == 0 and "ORDER BY" in line for _, parent, _, line in rows
            )
            return [line for _, parent, _, line in rows
                    if _sqlite_full_scan(line, ordered_walk_allowed=ordered_walk_allowed and parent == 0)
                    and not _sqlite_min_max(sql, line)]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return list(_postgres_full_scans(plan[0]["Plan"], under_limit=False))


def _sqlite_min_max(sql: str, line: str) -> bool:
    """SQLite's min/max optimisation: ``max(x)`` (or ``min``) over an index on ``x`` reads one entry
    at the index's end, shown as a ``SEARCH`` with no constraint (a read of the whole index is a
    ``SCAN``). The overlap query's longest span is read so, in a scalar subquery (timeline.overlap)."""
    aggregate = re.search(r"\b(max|min)\(", sql, flags=re.IGNORECASE) is not None
    return aggregate and re.fullmatch(r"SEARCH \w+ USING (COVERING )?INDEX \w+", line) is not None


def _limited(sql: str) -> bool:
    return re.search(r"LIMIT \d+( OFFSET \d+)?$", sql.strip()) is not None


def _sqlite_full_scan(line: str, *, ordered_walk_allowed: bool) -> bool:
    match = re.match(r"(SCAN|SEARCH) (\w+)(?: AS \w+)?( .*)?$", line)
    if not match:
        return False  # LIST SUBQUERY, USE TEMP B-TREE, CO-ROUTINE, SCAN (subquery-n)…
    verb, alias, rest = match.group(1), match.group(2), match.group(3) or ""
    if alias == "json_each":
        return False  # a list of ids given as one parameter (timeline.id_lists), not a table
    if "VIRTUAL TABLE INDEX" in rest:
        return re.search(r"INDEX \d+:\S*M", rest) is None  # an FTS5 MATCH is answered from its index
    if not _is_big(alias):
        return False
    if verb == "SCAN":
        # An index walked in its order by the outer query, no sort after it, under the page's
        # LIMIT: it stops when the page is full.
        return not (ordered_walk_allowed and "USING" in rest and "INDEX" in rest)
    constraint = re.search(r"\((.*)\)", rest)
    return constraint is None or constraint.group(1) == "status=?"


# The aliases the API's SQL gives the big tables (Django's U0, U1… for subqueries; api.event_json's
# j_… for the related rows of a page; e for the page's events).
_ALIASES = {"e", "j_pa", "j_c", "j_ep"}


def _is_big(alias: str) -> bool:
    return alias in BIG_TABLES or alias in _ALIASES or re.fullmatch(r"U\d+", alias) is not None


# Nodes through which a LIMIT still stops the scan below as soon as the page is full.
_STREAMING = {"Limit", "Result", "Subquery Scan", "Nested Loop", "Gather Merge"}


def _postgres_full_scans(plan: dict, *, under_limit: bool):
    kind, relation = plan["Node Type"], plan.get("Relation Name")
    if relation in BIG_TABLES:
        if kind == "Seq Scan":
            yield f"{kind} on {relation}"
        elif kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in plan and not under_limit:
            yield f"{kind} on {relation} (no Index Cond)"
    children = plan.get("Plans", [])
    for n, child in enumerate(children):
        # The outer side of a nested loop streams; its inner side runs once per outer row.
        streams = (kind == "Limit" or under_limit) and kind in _STREAMING and (kind != "Nested Loop" or n == 0)
        yield from _postgres_full_scans(child, under_limit=streams)


# The cases' names and parameters (the values the fixture's rows give are filled in by it).
CASES = documented_cases(party_slugs=[f"party-{n:05d}" for n in range(10)], source_id=1, place_slug="place-1")

@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASES))
def test_no_documented_filter_reads_a_whole_big_table(timeline_rows, api_client, name):
    queries = captured(api_client, timeline_rows[name])
    assert queries, "the request made no query of the events"
    for sql in queries:
        assert full_scans(sql) == [], (timeline_rows[name], sql[:500])


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name in CASES if "q=" in CASES[name]])
def test_a_common_word_checked_per_event_reads_no_whole_table(timeline_rows, api_client, monkeypatch, name):
    # SQLite: past FTS_LIST_LIMIT matches, each event the date order walks is checked against the
    # index (a correlated MATCH) instead of listing the matches. PostgreSQL: the same query again.
    from timeline import search

    monkeypatch.setattr(search, "FTS_LIST_LIMIT", 0)
    for sql in captured(api_client, timeline_rows[name]):
        assert full_scans(sql) == [], (timeline_rows[name], sql[:500])


def sorts(sql: str) -> bool:
    """Whether the plan of ``sql`` sorts the rows of its outer query (rather than reading them in
    the order asked for, straight off an index)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return any(parent == 0 and "FOR ORDER BY" in line for _, parent, _, line in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    node = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    while node["Node Type"] in ("Limit", "Gather Merge", "Result"):
        node = node["Plans"][0]
    return "Sort" in node["Node Type"]


@pytest.mark.django_db
def test_the_sync_list_is_read_in_its_order(timeline_rows, api_client):
    # Every event was updated since then: sorting them would read them all for each page (a
    # parallel sequential scan on PostgreSQL at 200,000 events). The page is read off an index in
    # its order and stops when full; on PostgreSQL that takes (updated, id), migration 0009.
    pages = [sql for sql in captured(api_client, timeline_rows["updated_since, sync"]) if _limited(sql)]
    assert pages and not any(sorts(sql) for sql in pages), pages


def test_every_documented_filter_has_a_plan_case():
    covered = {key for query in CASES.values() for key, _ in parse_qsl(query)}
    assert set(EventFilterSet.base_filters) - covered == set()


def test_a_full_scan_is_reported(timeline_rows, django_db_blocker):
    # The check itself can fail: a filter on a column no index serves, and a read of a whole index.
    with django_db_blocker.unblock():
        assert full_scans("SELECT id FROM timeline_event WHERE summary = 'x'")
        assert full_scans("SELECT id FROM timeline_event ORDER BY summary LIMIT 50")  # sorted: no early stop
        assert not full_scans("SELECT id FROM timeline_event ORDER BY earliest, latest, id LIMIT 50")  # a walk
        assert full_scans("SELECT id FROM timeline_event WHERE summary > '' ORDER BY earliest, latest, id")


"""Filters that name few events, read first: a party's participations, a place's events, a rare
word's matches.

As a semi-join alone (``id IN (SELECT event_id …)``) PostgreSQL walked the chronology index and
probed every event on the way: a party in 300 of 1,000,000 events took 257 ms for a page where the
range query took 26 (10×), a place with 1,333 of 100,000 events 7.6×; its estimate of how soon the
page fills is off when the rows are few. Read first (at most FEW_EVENTS + 1, from the filter's own
index), few ids are one parameter the page's query looks up and sorts, on both databases; none is an
empty page without a walk. Past FEW_EVENTS the events are common enough that the date order's walk
fills a page soon, and the caller's semi-join (or per-event check) stays.

The list is one parameter, not one per id: ``id = ANY(%s)`` (an array) on PostgreSQL, ``id IN
(SELECT value FROM json_each(%s))`` on SQLite, where a few thousand ids in each of a page's sets,
with two such filters, passed the 32,766 variables a default SQLite build allows.
"""

from __future__ import annotations

import json

from django.db.models import BooleanField, F, Func, QuerySet

# Up to this many events named by a filter over another table, their ids drive the page's query.
FEW_EVENTS = 20_000


class IdAmong(Func):
    """The row's id is one of ``ids``: one parameter whatever their number (above)."""

    output_field = BooleanField()

    def __init__(self, ids):
        self.ids = sorted(set(ids))
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.get_source_expressions()[0])
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s::bigint[])", [*params, self.ids]
        return f"{column} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.ids)]


def few_first(qs: QuerySet, event_ids: QuerySet, *, otherwise: QuerySet | None = None) -> QuerySet:
    """``qs`` limited to the events whose ids ``event_ids`` (a query of one column, ``event_id``)
    lists: read first when at most FEW_EVENTS; past that, ``otherwise`` (the same events, however
    the caller reads many best) or a semi-join.

    A listed queryset is marked: its page is read as it is (the ids, looked up and sorted), not as the
    overlap window's three index ranges (``timeline.overlap``), whose walk would check thousands of
    events in the window against a list of a few hundred."""
    ids = list(event_ids.order_by().values_list("event_id", flat=True)[: FEW_EVENTS + 1])
    if len(ids) > FEW_EVENTS:
        return qs.filter(pk__in=event_ids) if otherwise is None else otherwise
    if not ids:
        return qs.none()
    listed = qs.filter(IdAmong(ids))
    if hasattr(listed, "few_listed"):
        listed.few_listed = True
    return listed

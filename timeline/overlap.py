"""The overlap query of a date window, read with bounded index scans.

"Events overlapping [start, end]" is ``earliest <= end AND latest >= start``. In the chronology
index (earliest, latest, id) only the first half is a range: the rows that begin before the window
are all candidates, and a page in 2022 walked every event since the table's first day to find the
few that were still running (measured on 200,000 events: 0.19–0.24 of the same-output floor,
bench/RESULTS.md). Nothing in one B-tree bounds both ends of an interval.

What does bound it: an event with both ends known that began more than the longest such span before
the window cannot reach into it. So the overlapping rows are, exactly, the union of three sets, each
one an index range:

- ``earliest`` is the reserved first day (an open start, "until 1990"): the chronology index's
  first key;
- ``latest`` is the reserved last day (an open end, "since 1990"): ``event_latest_idx``;
- both ends known and ``earliest`` from ``start − longest`` on: a range of the chronology index.

``longest`` is read per query from ``event_finite_span_idx``, a partial index on the span of the
finite rows (one index probe), so an edit that makes a longer event is seen by the next page; no
column has to be kept in step by the writers, and a write made any way (services, bulk import, raw
SQL) counts. The API's keyset pagination reads each set in the key's order, as far as one page
needs, and merges them (``api.pagination``); every other filter applies to each set alike.

A window without a start (nothing but ``earliest <= end``) or ``match=within`` (``earliest >=
start``) is already a range of the chronology index and is read as one query.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F, FloatField, Func, Max, Q, QuerySet

from .fuzzy_columns import OPEN_END, OPEN_START

# The rows whose both ends are known: the span index covers these only.
FINITE = Q(earliest__gt=OPEN_START, latest__lt=OPEN_END)


class SpanDays(Func):
    """``latest − earliest`` in days: an integer on PostgreSQL, a whole-valued real on SQLite
    (``julianday`` is SQLite's own deterministic function, so the index stays readable by any
    SQLite; Django's date subtraction there is a Python function registered per connection)."""

    output_field = FloatField()
    arg_joiner = " - "
    template = "(%(expressions)s)"

    def __init__(self):
        super().__init__(F("latest"), F("earliest"))

    def as_sqlite(self, compiler, connection, **extra):
        latest, earliest = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"(julianday({latest[0]}) - julianday({earliest[0]}))", [*latest[1], *earliest[1]]


def longest_finite_span(*, using: str, model) -> int | None:
    """The longest span, in days, of any event with both ends known; None when there is none.
    One probe of ``event_finite_span_idx`` (its end), on both databases."""
    longest = model._base_manager.db_manager(using).filter(FINITE).aggregate(longest=Max(SpanDays()))["longest"]
    return None if longest is None else int(longest)


def bounded_sets(queryset: QuerySet) -> list[QuerySet] | None:
    """``queryset``, marked by ``selectors.events_in_range`` with an overlap window that has a start,
    as the three disjoint sets above (the open starts, the open ends, the bounded finite rows), each
    with every filter of ``queryset``; None when it carries no such window (read it as it is).
    Their union is ``queryset``."""
    start: date | None = getattr(queryset, "_overlap_start", None)
    if start is None:
        return None
    longest = longest_finite_span(using=queryset.db, model=queryset.model)
    first_finite = OPEN_START + timedelta(days=1)
    if longest is None:
        lowest = None  # no finite row at all
    elif (start - first_finite).days <= longest:
        return None  # the bound reaches back to the first storable day: no bound at all
    else:
        lowest = start - timedelta(days=longest)
    sets = [
        queryset.filter(earliest=OPEN_START),
        queryset.filter(latest=OPEN_END, earliest__gt=OPEN_START),
    ]
    if lowest is not None:
        sets.append(queryset.filter(FINITE, earliest__gte=lowest))
    return sets

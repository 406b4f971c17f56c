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
- ``latest`` is the reserved last day (an open end, "since 1990"): ``event_latest_idx``, on
  (latest, earliest, id), so in date order;
- both ends known and ``earliest`` from ``start − longest`` on: a range of the chronology index.

``longest`` is read by each page's own statement (a scalar subquery) from ``event_finite_span_idx``,
a partial index on the span of the finite rows (one index probe), so an edit that makes a longer
event is seen by the next page; no column has to be kept in step by the writers, and a write made any
way (services, bulk import, raw SQL) counts. The API's keyset pagination (``api.pagination``) reads
the three sets in one statement (``first_keys``): each set in the key's order, as far as one page
needs, and the first rows of their union; every other filter applies to each set alike.

A window without a start (nothing but ``earliest <= end``) or ``match=within`` (``earliest >=
start``) is already a range of the chronology index and is read as one query.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import date, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, Expression, F, FloatField, Func, Q, QuerySet

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


# The lowest ``earliest`` a finite event reaching ``start`` can have: ``start`` − the longest span of
# an event with both ends known, read at the end of ``event_finite_span_idx`` (the index's own
# expression: SQLite's min/max optimisation, PostgreSQL's backward index scan). A scalar subquery of
# the page's own statement: evaluated once, then a bound of the chronology index's seek, in the same
# snapshot as the rows. Never below the day after the reserved first day (an open start is the first
# set's); NULL when no event has both ends known (the set is then empty, as it should be).
_LOWEST_SQL = {
    "sqlite": "(SELECT max(date(%s, '-' || CAST(max(julianday(latest) - julianday(earliest)) AS INTEGER) "
    "|| ' days'), %s) FROM timeline_event WHERE earliest > %s AND latest < %s)",
    "postgresql": "(SELECT CASE WHEN %s::date - %s::date <= max(latest - earliest) THEN %s::date "
    "ELSE %s::date - max(latest - earliest) END FROM timeline_event WHERE earliest > %s AND latest < %s)",
}


def _lowest(vendor: str, start: date) -> tuple[str, list]:
    first_finite = OPEN_START + timedelta(days=1)
    if vendor == "postgresql":
        return _LOWEST_SQL[vendor], [start, first_finite, first_finite, start, OPEN_START, OPEN_END]
    return _LOWEST_SQL[vendor], [start.isoformat(), first_finite.isoformat(), OPEN_START.isoformat(), OPEN_END.isoformat()]


class InSet(Expression):
    """The condition of one of the three sets (``"open start"``, ``"open end"``, ``"finite"``, the
    last for a window starting on ``start``). ``bounded_sets`` filters with it; ``first_keys``
    compiles a page's query once with a placeholder in its place and writes each set's condition
    where the placeholder is."""

    conditional = True
    output_field = BooleanField()
    PLACEHOLDER = "(__overlap_set__)"

    def __init__(self, which: str | None, start: date | None = None):
        if which not in (None, "open start", "open end", "finite") or (which == "finite") != (start is not None):
            raise ValueError(f"no such set: {which!r} for {start!r}")
        super().__init__()
        self.which, self.start = which, start

    def as_sql(self, compiler, connection):
        if self.which is None:
            return self.PLACEHOLDER, []
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        earliest, latest = f"{table}.{connection.ops.quote_name('earliest')}", f"{table}.{connection.ops.quote_name('latest')}"
        value = connection.ops.adapt_datefield_value
        if self.which == "open start":
            return f"{earliest} = %s", [value(OPEN_START)]
        if self.which == "open end":
            return f"({latest} = %s AND {earliest} > %s)", [value(OPEN_END), value(OPEN_START)]
        # SQLite seeks an index by one bound a side, the first the WHERE clause names: so no second
        # lower bound on ``earliest`` here (the lowest day is past the reserved first day already;
        # given ``> 0001-01-01`` too, it walked from the first entry), and no range on ``latest``
        # (``latest < 9999-12-31`` made it walk the ``latest`` index instead).
        lowest, params = _lowest(connection.vendor, self.start)
        return f"(NOT ({latest} = %s) AND {earliest} >= {lowest})", [value(OPEN_END), *params]


def _sets(start: date) -> list[InSet]:
    return [InSet("open start"), InSet("open end"), InSet("finite", start)]


def bounded_sets(queryset: QuerySet) -> list[QuerySet] | None:
    """``queryset``, marked by ``selectors.events_in_range`` with an overlap window that has a start,
    as the three disjoint sets above (the open starts, the open ends, the bounded finite rows), each
    with every filter of ``queryset``; None when it carries no such window (read it as it is).
    Their union is ``queryset``."""
    start = None if getattr(queryset, "few_listed", False) else getattr(queryset, "_overlap_start", None)
    return None if start is None else [queryset.filter(condition) for condition in _sets(start)]


Key = namedtuple("Key", ["earliest", "latest", "id"])


def first_keys(window: QuerySet, *, limit: int) -> list[Key] | None:
    """The first ``limit`` keys (earliest, latest, id) of ``window`` (an overlap window, its other
    filters, a cursor and an ordering on those three columns applied) in its order, read as the
    three bounded sets in one statement: each set's first ``limit`` rows, in the index's order
    (``SELECT … ORDER BY … LIMIT``), and the first ``limit`` of their union. None when ``window``
    is not a window to bound (read it as it is).

    The page's query is compiled by the ORM once, with a placeholder where a set's condition goes;
    each set's condition is written in its place (dates only, as SQL literals of ISO days)."""
    start = getattr(window, "_overlap_start", None)
    if start is None or getattr(window, "few_listed", False):  # a list of few ids: looked up, sorted
        return None
    ordering = [name.lstrip("-") for name in window.query.order_by]
    if ordering != ["earliest", "latest", "id"]:
        raise ValueError(f"first_keys reads windows in date order, not {window.query.order_by}")
    direction = " DESC" if window.query.order_by[0].startswith("-") else ""
    connection = connections[window.db]
    query = window.filter(InSet(None)).values_list("earliest", "latest", "id")[:limit]
    try:
        sql, params = query.query.get_compiler(using=window.db).as_sql()
    except EmptyResultSet:  # a filter that can match nothing (``none()``, an empty list of ids)
        return []
    if sql.count(InSet.PLACEHOLDER) != 1:
        raise AssertionError(f"the set placeholder is not in the page's query once: {sql}")
    compiler = query.query.get_compiler(using=window.db)
    members, all_params = [], []
    for n, condition in enumerate(_sets(start)):
        condition_sql, condition_params = condition.as_sql(compiler, connection)
        literal = condition_sql % tuple(_date_literal(value, connection.vendor) for value in condition_params)
        members.append(f"SELECT * FROM ({sql.replace(InSet.PLACEHOLDER, literal)}) AS overlap_set_{n}")
        all_params += params
    union = " UNION ALL ".join(members) + f" ORDER BY 1{direction}, 2{direction}, 3{direction} LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(union, all_params)
        rows = cursor.fetchall()
    return [Key(_day(first), _day(last), pk) for first, last, pk in rows]


def _day(value) -> date:
    # PostgreSQL's driver gives days; SQLite's gives them when it can see the column's declared
    # type through the union (Django registers a converter for it), its text otherwise.
    return value if isinstance(value, date) else date.fromisoformat(value)


def _date_literal(value, vendor: str) -> str:
    """A day as an SQL literal: only days (or their ISO text) are ever written so."""
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return f"'{day.isoformat()}'" if vendor == "sqlite" else f"DATE '{day.isoformat()}'"

"""The text search (``?q=``): which events match, on both databases.

PostgreSQL reads the stored tsvector ``search_vector`` (migration 0012), listing few matches from its
GIN index or checking many per event as the date order walks, chosen from its statistics. SQLite
reads the FTS5 index ``timeline_event_fts`` (migration 0008) with ``q`` parsed by
``timeline.text_search`` to PostgreSQL's semantics. ``timeline.selectors.events_matching`` is this
module's ``events_matching``: the API and the admin read it there, with the other reads.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from . import id_lists, text_search
from .models import Event

# The text search configuration of the stored tsvector (migration 0012) and of every query.
SEARCH_CONFIG = "english"


def events_matching(*, q: str, queryset: QuerySet | None = None) -> QuerySet[Event]:
    """Events whose title, summary or cited quotes match ``q``, read as ``websearch_to_tsquery``
    reads it ("quoted phrases", ``-excluded``, ``or``; English stemming and stop words), never a
    syntax error whatever the input.

    PostgreSQL: full-text search over the GIN-indexed ``search_text``. SQLite: the same query
    against the FTS5 index of ``search_text`` (``timeline.text_search``, which lists the few
    differences). A ``q`` of stop words or punctuation only matches nothing on both."""
    qs = Event.objects.all() if queryset is None else queryset
    if not q.split():
        return qs
    if connections[qs.db].vendor == "postgresql":
        return _pg_matching(qs, q)
    groups = text_search.parse(q)
    if not groups:
        return qs.none()
    # One MATCH for every group with a required term; a group of excluded terms only ("-war") is
    # the events outside one MATCH, as PostgreSQL's "!'war'" is.
    db = qs.db
    required = [group for group in groups if group.required]
    condition = _fts_condition(" OR ".join(map(text_search.fts5_group, required)), using=db) if required else Q()
    for group in groups:
        if not group.required:
            condition |= ~_fts_condition(text_search.fts5_any(group.excluded), using=db)
    return qs.filter(condition)


# Past this many matching events, the page's events are each checked against the index as the
# date order walks them (as PostgreSQL filters a common word on its chronology walk) instead of
# listing every match and sorting them: 120,000 of 200,000 events hold "truce" in the bench's
# data, and listing them took 0.6 s where walking took 0.07 (bench/filters_bench.py). Up to it, the
# matches' ids, read once, drive the query (a rare word: a few rows, whatever the date window).
FTS_LIST_LIMIT = 5_000


def _fts_condition(match: str, *, using: str) -> Q:
    """Events matching the FTS5 expression ``match``: ``id IN (their ids)`` when they are at most
    FTS_LIST_LIMIT (read here, at most that many plus one), else a per-event EXISTS. The ids are
    read once: counting the matches first and listing them in the query evaluated a long
    conjunction of common words twice (0.1 s each)."""
    table = text_search.TABLE
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s LIMIT %s", [match, FTS_LIST_LIMIT + 1])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) > FTS_LIST_LIMIT:
        return Q(_FtsMatch(match))
    if not ids:  # an empty list would skip the page's query: keep its shape (nothing to match: cheap)
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match]))
    return Q(id_lists.IdAmong(ids))


class _FtsMatch(Func):
    """``EXISTS (SELECT 1 FROM timeline_event_fts WHERE timeline_event_fts MATCH %s AND rowid =
    <the event's id>)``: the id is a column reference Django relabels when the query becomes a
    subquery, which raw SQL naming "timeline_event" would not be."""

    arg_joiner = " AND rowid = "
    template = f"EXISTS (SELECT 1 FROM {text_search.TABLE} WHERE {text_search.TABLE} MATCH %(expressions)s)"
    output_field = BooleanField()

    def __init__(self, match: str):
        super().__init__(Value(match), F("pk"))


# The stored tsvector of migration 0012 and its GIN index; ANALYZE keeps its lexemes' statistics.
SEARCH_COLUMN = "search_vector"


def _pg_matching(qs: QuerySet, q: str) -> QuerySet[Event]:
    """PostgreSQL's ``q``, read one of two ways, chosen from the statistics of the stored vector:

    - **few matches** (some word of every alternative is rare): the GIN index lists them first
      (``timeline.id_lists``), and the page looks them up by id;
    - **many** (every word common): each event is checked as the date order walks, which fills a
      page within a short walk where listing 600,000 matches to sort them would not.

    The planner makes that choice itself and gets both ends wrong at 1,000,000 events: it prices a
    word outside its most-common list at up to 0.5 % of the table, and walked every event for a word
    in one (the request timed out, a 503); and it multiplies AND'd words, so twenty common words
    looked like 36 events and it intersected twenty GIN lists of 600,000 entries (0.4 s) where the
    walk takes 36 ms. Here a missing word counts as rare and an AND as its rarest word
    (``text_search.tsquery_share``); the walk's check is written as ``ts_match_vq``, the function
    behind ``@@``, which no index can answer, so the walk is the plan. If the index finds more than
    FEW_EVENTS after all, the walk is read instead, after one bounded read of the index."""
    from django.contrib.postgres.search import SearchQuery

    query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
    matching = qs.filter(_CheckedEach(_SearchVector(), query))
    with connections[qs.db].cursor() as cursor:
        cursor.execute(
            "SELECT websearch_to_tsquery(%s::regconfig, %s)::text, s.most_common_elems::text::text[],"
            " s.most_common_elem_freqs, t.reltuples FROM pg_class t"
            " JOIN pg_namespace n ON n.oid = t.relnamespace"
            " LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = t.relname AND s.attname = %s"
            " WHERE t.oid = %s::regclass",
            [SEARCH_CONFIG, q, SEARCH_COLUMN, Event._meta.db_table],
        )
        tsquery, lexemes, shares, rows = cursor.fetchone()
    if not tsquery:  # stop words or punctuation only: PostgreSQL's empty query, which matches nothing
        return qs.none()
    if lexemes and rows and rows > 0:
        estimate = text_search.tsquery_share(tsquery, dict(zip(lexemes, shares, strict=False))) * rows
        if estimate > id_lists.FEW_EVENTS:
            return matching
    # Few by the statistics, or no statistics yet (a table never analysed): ask the index.
    listed = Event.objects.using(qs.db).alias(_search=_SearchVector()).filter(_search=query)
    return id_lists.few_first(qs, listed.values(event_id=F("pk")), otherwise=matching)


class _CheckedEach(Func):
    """``ts_match_vq(vector, query)``: ``vector @@ query`` as a function, which the planner checks
    per row and never answers from an index (see ``_pg_matching``)."""

    function = "ts_match_vq"
    output_field = BooleanField()


class _SearchVector(Func):
    """The event's stored ``search_vector`` (migration 0012; not a model field, SQLite has none),
    named after the table's alias as the query has it (``U0`` in a subquery): the id's column, its
    name swapped."""

    def __init__(self):
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.get_source_expressions()[0])
        table, _, _ = column.rpartition(".")
        return f"{table}.{connection.ops.quote_name(SEARCH_COLUMN)}", params

    @property
    def output_field(self):
        from django.contrib.postgres.search import SearchVectorField

        return SearchVectorField()

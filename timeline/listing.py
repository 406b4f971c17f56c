"""Event lists with their parties, citations and places attached as plain values.

A listing (an export, the admin's export) shows a few columns of each related row. Django's
``prefetch_related`` builds a model instance for every participation, party, citation, source and
publisher (about 660 for a page of 50, with their timestamps and JSON converted) and a queryset clone
per event and relation to hold them: that was most of a page's time (bench/RESULTS.md). Here each
relation is one ``values_list`` query per batch of events, read into small frozen records that have the
attribute names of the models (``p.party.slug``, ``c.source.title``), so whatever reads a listed event
works the same on these records and on model instances (``selectors.listed``).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from django.db import connections, models
from django.db.models.query import ModelIterable

# Source columns a listing shows, in the order ListedSource takes them after pk, title, url, publisher.
_PUBLISHED = ("text", "earliest", "latest", "precision", "approximate", "uncertain", "edtf", "label")


class PartyRef(NamedTuple):
    slug: str
    name: str
    kind: str = ""


class ListedParticipation(NamedTuple):
    role: str
    party: PartyRef


class ListedSource(NamedTuple):
    """The columns of a source that a listing shows: never its full text."""

    pk: int
    title: str
    url: str
    publisher: PartyRef | None
    published_text: str
    published_earliest: date | None
    published_latest: date | None
    published_precision: str
    published_approximate: bool
    published_uncertain: bool
    published_edtf: str
    published_label: str

    @property
    def id(self) -> int:
        return self.pk


class ListedCitation(NamedTuple):
    source_id: int
    source: ListedSource
    quote: str
    char_start: int
    char_end: int
    attributed_to: PartyRef | None


class CitedSource(NamedTuple):
    """A citation as a listing that shows only which sources an event cites reads it (the CSV
    export's ``source_ids``): its source's id, without the source's columns or the quote."""

    source_id: int


class ListedPlace(NamedTuple):
    slug: str
    name: str
    kind: str


class EventQuerySet(models.QuerySet):
    """``for_listing()`` marks a queryset whose fetched events get ``listed_participations``,
    ``listed_citations`` and ``listed_places``: a fixed number of queries per fetch (or per chunk of
    ``iterator(chunk_size)``), whatever the number of events. ``for_listing(citations="source_ids")``
    attaches each citation as its source's id alone (``CitedSource``): a listing that shows no more
    (the CSV export) skips the sources' and parties' columns, which were most of its related rows'
    time on PostgreSQL (bench/RESULTS.md)."""

    _for_listing = False
    _listing_citations = "full"
    # The start of the overlap window ``selectors.events_in_range`` applied, if any: paginated reads
    # bound their index scans with it (``timeline.overlap``).
    _overlap_start = None
    # The date bounds ``selectors.events_in_range`` applied, as (field, "<=" | ">=", date): a filter
    # over another table that copies the dates (``timeline.place_dates``) applies them there too.
    date_bounds: tuple = ()
    # Set by ``id_lists.few_first``: the events are a short list of ids, read as it is (no bounded sets).
    few_listed = False

    def for_listing(self, *, citations: str = "full") -> EventQuerySet:
        if citations not in CITATION_DETAILS:
            raise ValueError(f"citations must be one of {sorted(CITATION_DETAILS)}, not {citations!r}")
        clone = self._chain()
        clone._for_listing = True
        clone._listing_citations = citations
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._for_listing = self._for_listing
        clone._listing_citations = self._listing_citations
        clone._overlap_start = self._overlap_start
        clone.date_bounds = self.date_bounds
        clone.few_listed = self.few_listed
        return clone

    def _attaches(self) -> bool:
        return self._for_listing and self._iterable_class is ModelIterable

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._attaches():
            attach(self._result_cache, using=self.db, citations=self._listing_citations)

    def iterator(self, chunk_size=None):
        rows = super().iterator(chunk_size)
        return self._attached_in_chunks(rows, chunk_size or 2000) if self._attaches() else rows

    def _attached_in_chunks(self, rows, chunk_size):
        rows = iter(rows)
        while chunk := list(islice(rows, chunk_size)):
            attach(chunk, using=self.db, citations=self._listing_citations)
            yield from chunk


# How much of each citation a listing attaches: "full" (``ListedCitation``: the quote, its offsets,
# who said it and the source's summary) or "source_ids" (``CitedSource``).
CITATION_DETAILS = frozenset({"full", "source_ids"})


def attach(events: list, *, using: str | None = None, citations: str = "full") -> None:
    """Set the three ``listed_*`` lists on each event, in three queries for all of them."""
    if not events:
        return
    using = using or "default"
    by_id = {event.pk: event for event in events}
    for event in events:
        event.listed_participations, event.listed_citations, event.listed_places = [], [], []
    ids = list(by_id)
    parties: dict[tuple, PartyRef] = {}

    for event_id, role, slug, name, kind in _rows("participations", using, ids):
        party = parties.get((slug, kind)) or parties.setdefault((slug, kind), PartyRef(slug, name, kind))
        by_id[event_id].listed_participations.append(ListedParticipation(role, party))

    if citations == "source_ids":
        for event_id, source_id in _rows("cited_sources", using, ids):
            by_id[event_id].listed_citations.append(CitedSource(source_id))
    sources: dict[int, ListedSource] = {}
    for row in (_rows("citations", using, ids) if citations == "full" else ()):
        event_id, source_id, quote, start, end, by_slug, by_name = row[:7]
        source = sources.get(source_id)
        if source is None:
            title, url, pub_slug, pub_name, text, earliest, latest, precision, approx, uncertain, edtf, label = row[7:]
            publisher = None if pub_slug is None else parties.setdefault((pub_slug, ""), PartyRef(pub_slug, pub_name))
            source = sources[source_id] = ListedSource(
                source_id, title, url, publisher, text, earliest, latest, precision, approx, uncertain, edtf, label,
            )
        attributed = None if by_slug is None else parties.setdefault((by_slug, ""), PartyRef(by_slug, by_name))
        by_id[event_id].listed_citations.append(ListedCitation(source_id, source, quote, start, end, attributed))

    for event_id, slug, name, kind in _rows("places", using, ids):
        by_id[event_id].listed_places.append(ListedPlace(slug, name, kind))


def _querysets(ids):
    from .models import Citation, Event, Participation

    return {
        "participations": Participation.objects.filter(event_id__in=ids)
        .order_by("role", "party__name", "id")
        .values_list("event_id", "role", "party__slug", "party__name", "party__kind"),
        "citations": Citation.objects.filter(event_id__in=ids)
        .order_by("source_id", "char_start", "id")
        .values_list(
            "event_id", "source_id", "quote", "char_start", "char_end", "attributed_to__slug",
            "attributed_to__name", "source__title", "source__url", "source__publisher__slug",
            "source__publisher__name", *(f"source__published_{name}" for name in _PUBLISHED),
        ),
        "cited_sources": Citation.objects.filter(event_id__in=ids)
        .order_by("source_id", "char_start", "id")
        .values_list("event_id", "source_id"),
        "places": Event.places.through.objects.filter(event_id__in=ids)
        .order_by("place__name", "place_id")
        .values_list("event_id", "place__slug", "place__name", "place__kind"),
    }


@lru_cache(maxsize=1024)
def _sql(relation: str, using: str, count: int) -> str:
    """The SQL of one relation's query for ``count`` event ids, compiled by the ORM once: compiling
    the three queries took about a third of the time of attaching a batch's related rows. The ids
    are its only parameters, and the rows come back typed (dates, booleans) as the ORM's would.

    On PostgreSQL the ids are one array parameter (``event_id = ANY(%s)``; ``count`` is 0): the
    statement is the same for every batch size, and psycopg's client-side binding parses and caches
    a short statement once instead of parsing a list of hundreds of placeholders on every batch
    (too long for its cache: about a tenth of a CSV export's CPU; bench/RESULTS.md)."""
    vendor = connections[using].vendor
    size = 2 if vendor == "postgresql" else count
    placeholders = list(range(1, size + 1))  # distinct: the ORM drops repeated IN values
    queryset = _querysets(placeholders)[relation].using(using)
    sql, params = queryset.query.get_compiler(using).as_sql()
    assert list(params) == placeholders, params
    if vendor == "postgresql":
        listed = "IN (%s, %s)"
        assert sql.count(listed) == 1, sql
        sql = sql.replace(listed, "= ANY(%s)")
    return sql


def _rows(relation: str, using: str, ids: list) -> list[tuple]:
    with connections[using].cursor() as cursor:
        if connections[using].vendor == "postgresql":
            cursor.execute(_sql(relation, using, 0), [ids])
        else:
            cursor.execute(_sql(relation, using, len(ids)), ids)
        return cursor.fetchall()

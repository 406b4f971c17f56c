"""Event lists with their parties, citations and places attached as plain values.

A listing (an API page, an export, the admin's export) shows a few columns of each related row. Django's
``prefetch_related`` builds a model instance for every participation, party, citation, source and
publisher (about 660 for a page of 50, with their timestamps and JSON converted) and a queryset clone
per event and relation to hold them: that was most of a page's time (bench/RESULTS.md). Here each
relation is one ``values_list`` query per batch of events, read into small frozen records that have the
attribute names of the models (``p.party.slug``, ``c.source.title``), so whatever reads a listed event
works the same on these records and on model instances (``selectors.listed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import islice

from django.db import models
from django.db.models.query import ModelIterable

# The fields each record carries, in the order of the values_list queries below.
_PUBLISHED = ("text", "earliest", "latest", "precision", "approximate", "uncertain", "edtf", "label")


@dataclass(frozen=True, slots=True)
class PartyRef:
    slug: str
    name: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class ListedParticipation:
    role: str
    party: PartyRef


@dataclass(frozen=True, slots=True)
class ListedSource:
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


@dataclass(frozen=True, slots=True)
class ListedCitation:
    source_id: int
    source: ListedSource
    quote: str
    char_start: int
    char_end: int
    attributed_to: PartyRef | None


@dataclass(frozen=True, slots=True)
class ListedPlace:
    slug: str
    name: str
    kind: str


class EventQuerySet(models.QuerySet):
    """``for_listing()`` marks a queryset whose fetched events get ``listed_participations``,
    ``listed_citations`` and ``listed_places``: a fixed number of queries per fetch (or per chunk of
    ``iterator(chunk_size)``), whatever the number of events."""

    _for_listing = False

    def for_listing(self) -> EventQuerySet:
        clone = self._chain()
        clone._for_listing = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._for_listing = self._for_listing
        return clone

    def _attaches(self) -> bool:
        return self._for_listing and self._iterable_class is ModelIterable

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._attaches():
            attach(self._result_cache, using=self.db)

    def iterator(self, chunk_size=None):
        rows = super().iterator(chunk_size)
        return self._attached_in_chunks(rows, chunk_size or 2000) if self._attaches() else rows

    def _attached_in_chunks(self, rows, chunk_size):
        rows = iter(rows)
        while chunk := list(islice(rows, chunk_size)):
            attach(chunk, using=self.db)
            yield from chunk


def attach(events: list, *, using: str | None = None) -> None:
    """Set the three ``listed_*`` lists on each event, in three queries for all of them."""
    if not events:
        return
    from .models import Citation, Event, Participation

    by_id = {event.pk: event for event in events}
    for event in events:
        event.listed_participations, event.listed_citations, event.listed_places = [], [], []
    ids = list(by_id)
    parties: dict[tuple, PartyRef] = {}

    def party(slug, name, kind=""):
        if slug is None:
            return None
        ref = parties.get((slug, kind))
        if ref is None:
            ref = parties[(slug, kind)] = PartyRef(slug, name, kind)
        return ref

    participations = (
        Participation.objects.using(using)
        .filter(event_id__in=ids)
        .order_by("role", "party__name", "id")
        .values_list("event_id", "role", "party__slug", "party__name", "party__kind")
    )
    for event_id, role, slug, name, kind in participations:
        by_id[event_id].listed_participations.append(ListedParticipation(role, party(slug, name, kind)))

    sources: dict[int, ListedSource] = {}
    citations = (
        Citation.objects.using(using)
        .filter(event_id__in=ids)
        .order_by("source_id", "char_start", "id")
        .values_list(
            "event_id", "source_id", "quote", "char_start", "char_end", "attributed_to__slug",
            "attributed_to__name", "source__title", "source__url", "source__publisher__slug",
            "source__publisher__name", *(f"source__published_{name}" for name in _PUBLISHED),
        )
    )
    for event_id, source_id, quote, start, end, by_slug, by_name, title, url, pub_slug, pub_name, *published in citations:
        source = sources.get(source_id)
        if source is None:
            source = sources[source_id] = ListedSource(source_id, title, url, party(pub_slug, pub_name), *published)
        by_id[event_id].listed_citations.append(
            ListedCitation(source_id, source, quote, start, end, party(by_slug, by_name))
        )

    places = (
        Event.places.through.objects.using(using)
        .filter(event_id__in=ids)
        .order_by("place__name", "place_id")
        .values_list("event_id", "place__slug", "place__name", "place__kind")
    )
    for event_id, slug, name, kind in places:
        by_id[event_id].listed_places.append(ListedPlace(slug, name, kind))

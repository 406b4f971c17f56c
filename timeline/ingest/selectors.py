"""The reads ingestion needs: the parties to match, and the events a candidate may already be."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from timeline.dates import FuzzyDate
from timeline.fuzzy_columns import OPEN_END, OPEN_START
from timeline.models import Citation, Event, Participation, Party, Source

from .parties import PartyInfo, PartyMatcher


def party_matcher() -> PartyMatcher:
    """Every party in the database, by its names and aliases."""
    return PartyMatcher(
        PartyInfo(
            slug=p.slug,
            name=p.name,
            kind=p.kind,
            names=tuple(p.names),
            affiliation=p.affiliation.slug if p.affiliation_id else None,
        )
        for p in Party.objects.select_related("affiliation")
    )


def citations_overlapping(*, source: Source, char_start: int, char_end: int) -> QuerySet[Citation]:
    """Citations of ``source`` whose quote shares at least one character with the span."""
    return (
        Citation.objects.filter(source=source, char_start__lt=char_end, char_end__gt=char_start)
        .select_related("event")
        .order_by("event_id", "char_start")
    )


def events_overlapping(*, date: FuzzyDate, kind: str) -> QuerySet[Event]:
    """Events of ``kind`` whose bounds overlap ``date``'s, with their parties loaded."""
    return (
        Event.objects.filter(
            kind=kind,
            earliest__lte=date.latest or OPEN_END,
            latest__gte=date.earliest or OPEN_START,
        )
        .prefetch_related(Prefetch("participations", queryset=Participation.objects.select_related("party")))
        .order_by("id")
    )

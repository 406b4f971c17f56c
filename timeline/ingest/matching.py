"""Is a candidate an event we already have? Two ways to be one:

- **cited**: an event already cites the same source at an overlapping span, with a compatible date
  (ingesting an article twice, or an article whose events were curated, adds nothing);
- **merge**: another source reports the same event — compatible dates (one contains the other), the
  same kind, the same principal parties. "On February 24, 2022, Russia launched a military operation
  in Ukraine" and "began in February 2022 when Russian forces entered Ukraine" are one event.

Two guards keep merging honest. A date wider than a month identifies nothing ("in 2022" contains a
hundred events), so the coarser of the two must be at most a month. And acts that recur — a
statement, a report, a meeting, talks — only merge on the same day: Zelensky's two refusals of
November 2023 in the two seeds are two statements, not one.
"""

from __future__ import annotations

from dataclasses import dataclass

from timeline.dates import FuzzyDate, Precision
from timeline.models import Event, Source

from .extractor import PRINCIPAL_ROLES, Candidate
from .kinds import REPEATABLE
from .selectors import citations_overlapping, events_overlapping

CITED, MERGE = "cited", "merge"


@dataclass(frozen=True)
class Match:
    event: Event
    how: str  # CITED or MERGE


def dates_compatible(a: FuzzyDate, b: FuzzyDate) -> bool:
    """One date contains the other: they may be the same occurrence, told more or less precisely."""
    return a.contains(b) or b.contains(a)


def _principal_and_all(event: Event) -> tuple[set[str], set[str]]:
    everyone = {p.party.slug for p in event.participations.all()}
    principal = {p.party.slug for p in event.participations.all() if p.role in PRINCIPAL_ROLES}
    return principal or everyone, everyone


def merge_compatible(*, event: Event, candidate: Candidate) -> bool:
    """Whether ``candidate`` (from another source) reports ``event``."""
    if event.kind != candidate.kind:
        return False
    mine, theirs = event.date, candidate.date
    if None in (mine.earliest, mine.latest, theirs.earliest, theirs.latest) or not dates_compatible(
        mine, theirs
    ):
        return False
    coarser = mine if mine.contains(theirs) else theirs
    if Precision(coarser.precision).rank > Precision.MONTH.rank:
        return False
    if event.kind in REPEATABLE and not (mine.is_day and theirs.is_day and mine.earliest == theirs.earliest):
        return False
    principal, everyone = _principal_and_all(event)
    if not principal or not candidate.party_slugs:
        return False
    # Each side's principal parties are among the other's parties: robust to which of two named
    # parties the guess made the actor ("U.S. officials received overtures from the Kremlin").
    return principal <= candidate.party_slugs and candidate.principal_slugs <= everyone


def event_for_candidate(*, candidate: Candidate, source: Source) -> Match | None:
    """The existing event ``candidate`` is, if any: one already citing it, else the best to merge into."""
    for citation in citations_overlapping(
        source=source, char_start=candidate.char_start, char_end=candidate.char_end
    ):
        if dates_compatible(citation.event.date, candidate.date):
            return Match(citation.event, CITED)
    compatible = [
        event
        for event in events_overlapping(date=candidate.date, kind=candidate.kind)
        if merge_compatible(event=event, candidate=candidate)
    ]
    if not compatible:
        return None

    def preference(event: Event):
        shared = len(_principal_and_all(event)[1] & candidate.party_slugs)
        return (-shared, Precision(event.precision).rank, event.pk)

    return Match(min(compatible, key=preference), MERGE)

"""The ingestion service: store an article as a source and turn its candidates into events.

Each candidate becomes exactly one of:
- nothing new, when an event already cites the same words of this source (``matching.CITED``);
- a citation on an existing event another source reported (``matching.MERGE``). A reviewed event
  only gains the citation; a draft also takes the more precise date and any new parties;
- a new draft event, for a reviewer.

All writes go through ``timeline.services``, in one transaction per article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from timeline import selectors, services
from timeline.models import Citation, Event, Party, Source

from .article import Article
from .errors import IngestError
from .extractor import Candidate, Unresolved, extract
from .matching import CITED, event_for_candidate
from .parties import PartyMatcher
from .selectors import party_matcher


@dataclass
class IngestReport:
    path: str
    source: Source
    source_created: bool
    created: list[Event] = field(default_factory=list)
    cited: list[Citation] = field(default_factory=list)
    redated: list[Event] = field(default_factory=list)
    known: int = 0
    unresolved: list[Unresolved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.source_created or bool(self.created or self.cited or self.redated)

    def summary(self) -> str:
        return (
            f"{self.path}: source {'created' if self.source_created else 'already stored'}, "
            f"{len(self.created)} draft event(s) created, {len(self.cited)} citation(s) added, "
            f"{len(self.redated)} event(s) re-dated, {self.known} already known, "
            f"{len(self.unresolved)} date phrase(s) unresolved"
        )


@transaction.atomic
def article_ingest(*, article: Article, matcher: PartyMatcher | None = None) -> IngestReport:
    """Store ``article`` (or find it stored) and add what its candidates say that is new."""
    matcher = matcher or party_matcher()
    warnings: list[str] = []
    publisher = _metadata_party(article, "publisher", warnings)
    via = _metadata_party(article, "via", warnings)
    try:
        source, created = services.source_get_or_create(
            title=article.title,
            text=article.body,
            published=article.published_text or None,
            publisher=publisher,
            via=via,
            url=article.url,
            author=article.author,
            language=article.language,
        )
    except ValidationError as exc:
        raise IngestError(f"cannot store the source: {_messages(exc)}", path=article.path) from None
    extraction = extract(
        text=source.text, published=source.published, published_text=source.published_text, matcher=matcher
    )
    report = IngestReport(article.path, source, created, unresolved=extraction.unresolved, warnings=warnings)
    parties = {
        p.slug: p
        for p in Party.objects.filter(slug__in={s for c in extraction.candidates for s in c.party_slugs})
    }
    for candidate in extraction.candidates:
        try:
            _ingest_candidate(candidate, source, parties, report)
        except ValidationError as exc:
            raise IngestError(
                f"cannot store the event dated {candidate.date_text!r}: {_messages(exc)}",
                path=article.path,
                record=f"characters {candidate.char_start}..{candidate.char_end}",
            ) from None
    return report


def _ingest_candidate(
    candidate: Candidate, source: Source, parties: dict[str, Party], report: IngestReport
) -> None:
    match = event_for_candidate(candidate=candidate, source=source)
    if match is None:
        report.created.append(
            services.event_create(
                title=candidate.title,
                date=candidate.stored_date_text,
                anchor=source,
                kind=candidate.kind,
                summary=_summary(candidate, source),
                status=Event.Status.DRAFT,
                parties=[(parties[slug], role) for slug, role in candidate.parties],
                citations=[
                    services.CitationInput(
                        source=source,
                        quote=candidate.quote,
                        char_start=candidate.char_start,
                        char_end=candidate.char_end,
                    )
                ],
            )
        )
        return
    if match.how == CITED:
        report.known += 1
        return
    event = match.event
    report.cited.append(
        services.citation_add(
            event=event,
            source=source,
            quote=candidate.quote,
            char_start=candidate.char_start,
            char_end=candidate.char_end,
        )
    )
    if event.status != Event.Status.DRAFT:
        return  # a reviewed event is the reviewer's: it gains evidence, nothing else
    for slug, role in candidate.parties:
        services.participation_add(event=event, party=parties[slug], role=role)
    current = event.date
    if current.contains(candidate.date) and (current.earliest, current.latest) != (
        candidate.date.earliest,
        candidate.date.latest,
    ):
        services.event_update(event=event, date=candidate.stored_date_text, end="", anchor=source)
        report.redated.append(event)


def _metadata_party(article: Article, name: str, warnings: list[str]) -> Party | None:
    """The media party an article's publisher or via names. A name the manifest gives must be
    known; one read from the article's header is only a hint."""
    value = getattr(article, name)
    if not value:
        return None
    curated = name in article.from_manifest
    party = selectors.party_for_name(value)
    problem = None
    if party is None:
        problem = f"{name}: {value!r} is not a known party (add it to the parties fixture)"
    elif party.kind != Party.Kind.MEDIA:
        problem = f"{name}: {party.name} is a {party.kind} party; a {name} must be a media party"
    if problem is None:
        return party
    if curated:
        raise IngestError(problem, path=article.path, record=f"manifest entry for {Path(article.path).name}")
    warnings.append(f"{problem}; left empty")
    return None


def _summary(candidate: Candidate, source: Source) -> str:
    parts = [f"Extracted from “{source.title}”; awaiting review."]
    if candidate.note:
        parts.append(candidate.note)
    return " ".join(parts)


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)

"""Events, sources and dates as plain dicts: the JSON hot path.

Building dicts by hand is several times faster than DRF's per-field serializer machinery for nested
lists (see the benchmark note in README's REST API section); the declared serializers in
``api.serializers`` describe the same shape for the OpenAPI document, and a test keeps the two equal.
Every function expects the event to come from ``selectors.events_for_listing`` so that related rows
are already loaded: no function here runs a query of its own.
"""

from __future__ import annotations

from django.urls import reverse

from timeline.fuzzy_columns import OPEN_END, OPEN_START
from timeline.models import Event, Party, Source
from timeline.selectors import listed


class Links:
    """Absolute API URLs, built once per response rather than one ``reverse()`` per row."""

    def __init__(self, request):
        build = request.build_absolute_uri if request is not None else (lambda path: path)
        self.events = build(reverse("event-list"))
        self.sources = build(reverse("source-list"))
        self.parties = build(reverse("party-list"))
        self.places = build(reverse("place-list"))

    @classmethod
    def of(cls, context: dict) -> Links:
        """The Links cached in a serializer context (one per response)."""
        links = context.get("_links")
        if links is None:
            links = context["_links"] = cls(context.get("request"))
        return links

    def event(self, pk: int) -> str:
        return f"{self.events}{pk}/"

    def source(self, pk: int) -> str:
        return f"{self.sources}{pk}/"

    def party(self, slug: str) -> str:
        return f"{self.parties}{slug}/"

    def place(self, slug: str) -> str:
        return f"{self.places}{slug}/"


def iso_or_none(value, sentinel) -> str | None:
    return None if value is None or value == sentinel else value.isoformat()


def event_date(event: Event) -> dict:
    """The whole occurrence. A span written as a start and an end reads "start – end" in ``text``."""
    text = f"{event.date_text} – {event.end_text}" if event.end_text else event.date_text
    return {
        "text": text,
        "earliest": iso_or_none(event.earliest, OPEN_START),
        "latest": iso_or_none(event.latest, OPEN_END),
        "precision": event.precision,
        "edtf": event.edtf,
        "label": event.date_label,
        "approximate": event.approximate,
        "uncertain": event.uncertain,
    }


def source_published(source: Source) -> dict | None:
    if not source.published_edtf:
        return None
    return {
        "text": source.published_text,
        "earliest": iso_or_none(source.published_earliest, OPEN_START),
        "latest": iso_or_none(source.published_latest, OPEN_END),
        "precision": source.published_precision,
        "edtf": source.published_edtf,
        "label": source.published_label,
        "approximate": source.published_approximate,
        "uncertain": source.published_uncertain,
    }


def party_ref(party: Party | None) -> dict | None:
    return None if party is None else {"slug": party.slug, "name": party.name}


def source_summary(source: Source, links: Links) -> dict:
    return {
        "id": source.pk,
        "title": source.title,
        "publisher": party_ref(source.publisher),
        "article_url": source.url,
        "published": source_published(source),
        "url": links.source(source.pk),
    }


def source_dict(source: Source, links: Links) -> dict:
    return {
        "id": source.pk,
        "url": links.source(source.pk),
        "title": source.title,
        "publisher": party_ref(source.publisher),
        "via": party_ref(source.via),
        "article_url": source.url,
        "author": source.author,
        "language": source.language,
        "published": source_published(source),
        "text": source.text,
        "content_hash": source.content_hash,
        "events_url": f"{links.source(source.pk)}events/",
        "created": source.created.isoformat(),
        "updated": source.updated.isoformat(),
    }


def event_dict(event: Event, links: Links) -> dict:
    return {
        "id": event.pk,
        "url": links.event(event.pk),
        "key": event.key,
        "title": event.title,
        "summary": event.summary,
        "kind": event.kind,
        "status": event.status,
        "date": event_date(event),
        "anchor_source": event.date_anchor_id,
        "parties": [
            {"slug": p.party.slug, "name": p.party.name, "kind": p.party.kind, "role": p.role}
            for p in listed(event, "participations")
        ],
        "citations": [
            {
                "source": source_summary(c.source, links),
                "quote": c.quote,
                "char_start": c.char_start,
                "char_end": c.char_end,
                "attributed_to": party_ref(c.attributed_to),
            }
            for c in listed(event, "citations")
        ],
        "places": [{"slug": p.slug, "name": p.name, "kind": p.kind} for p in listed(event, "places")],
        "created": event.created.isoformat(),
        "updated": event.updated.isoformat(),
    }

"""API URLs and sources as plain dicts.

``Links`` builds the absolute URLs once per response. A source is represented by hand-built dicts
(several times faster than DRF's per-field machinery); the declared serializers in
``api.serializers`` describe the same shape for the OpenAPI document, and a test keeps the two equal.
An event's representation is built by the database: ``api.event_json``.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from timeline.fuzzy_columns import OPEN_END, OPEN_START
from timeline.models import Party, Source


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


# A time stamp as parties and places have theirs (``2024-06-15T00:00:00Z``): DRF's own field.
timestamp = serializers.DateTimeField().to_representation


def iso_or_none(value, sentinel) -> str | None:
    return None if value is None or value == sentinel else value.isoformat()


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
        "created": timestamp(source.created),
        "updated": timestamp(source.updated),
    }

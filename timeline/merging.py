"""Merging duplicate events into one: the service the admin's "merge" action and ingestion share.

The caller chooses the survivor (usually the most precisely dated, or the reviewed one); its title,
date, kind and status stay as they are. Everything the others prove moves to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from . import services
from .models import Event


def curated_event_keys(fixtures_dir: str | Path | None = None) -> set[str]:
    """The keys of the events the curated fixtures define: ``load_seeds`` (every ``make run``) loads
    them again, so a curated event merged away would come back. Every event has a key; only these
    keys are curated."""
    keys = set()
    for path in sorted(Path(fixtures_dir or settings.BASE_DIR / "fixtures").glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            if record.get("model") == "timeline.event" and record.get("fields", {}).get("key"):
                keys.add(record["fields"]["key"])
    return keys


@transaction.atomic
def events_merge(*, survivor: Event, others: Iterable[Event]) -> Event:
    """Move the citations, participations and places of ``others`` to ``survivor``, drop what would
    be duplicated (the same quote span, the same party in the same role), and delete ``others``.

    The survivor keeps its key, unless one of the others is curated (``curated_event_keys``): then
    the survivor takes that key, so the next fixture load finds the merged event instead of
    bringing the curated one back. Merging two curated events is refused: merge them in the fixtures."""
    others = list(others)
    other_ids = {event.pk for event in others}
    if not other_ids:
        raise ValidationError("Nothing to merge: give at least one other event.")
    if survivor.pk in other_ids:
        raise ValidationError("The surviving event cannot also be one of the events merged into it.")
    locked = {e.pk: e for e in Event.objects.select_for_update().filter(pk__in=[survivor.pk, *other_ids])}
    missing = ({survivor.pk} | other_ids) - set(locked)
    if missing:
        raise ValidationError(f"Events no longer exist: {', '.join(map(str, sorted(missing)))}.")
    survivor = locked[survivor.pk]
    others = [locked[pk] for pk in sorted(other_ids)]
    curated = curated_event_keys()
    keys = [event.key for event in others if event.key in curated]
    if keys and (survivor.key in curated or len(keys) > 1):
        held = ", ".join(k for k in [survivor.key, *keys] if k in curated)
        raise ValidationError(
            f"Cannot merge curated events with keys {held}: merge them in the fixtures instead."
        )

    for other in others:
        for citation in other.citations.all():
            if survivor.citations.filter(
                source_id=citation.source_id, char_start=citation.char_start, char_end=citation.char_end
            ).exists():
                citation.delete()
            else:
                citation.event = survivor
                citation.save(update_fields=["event"])
        for participation in other.participations.all():
            if survivor.participations.filter(
                party_id=participation.party_id, role=participation.role
            ).exists():
                participation.delete()
            else:
                participation.event = survivor
                participation.save(update_fields=["event"])
        survivor.places.add(*other.places.all())
        other.delete()

    if keys:
        survivor.key = keys[0]
        survivor.full_clean()
        survivor.save()
    services.event_reindex(event=survivor)
    services.event_touch(event=survivor)  # its citations and parties changed: a new version (ETag)
    return survivor

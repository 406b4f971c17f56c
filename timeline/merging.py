"""Merging duplicate events into one: the service the admin's "merge" action and ingestion share.

The caller chooses the survivor (usually the most precisely dated, or the reviewed one); its title,
date, kind and status stay as they are. Everything the others prove moves to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from . import services
from .models import Event


@transaction.atomic
def events_merge(*, survivor: Event, others: Iterable[Event]) -> Event:
    """Move the citations, participations and places of ``others`` to ``survivor``, drop what would
    be duplicated (the same quote span, the same party in the same role), and delete ``others``.

    A curated key moves to a survivor that has none; merging two keyed events is refused, because
    reloading the fixtures would bring the deleted one back."""
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
    keys = [event.key for event in others if event.key]
    if keys and (survivor.key or len(keys) > 1):
        held = ", ".join(filter(None, [survivor.key, *keys]))
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
    return survivor

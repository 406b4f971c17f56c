"""Give every event without a key the one it would get today (its title and date as a slug,
``truce-overtures-2022-09``, ``-2``… on a collision), and its history rows the same key, so that the
key can become required (0004). Existing keys are kept.

The rules are a frozen copy of ``timeline.models.event_key_base``/``next_free_key``: a migration
must give the same result whatever the models become."""

import re
import unicodedata

from django.db import migrations
from django.db.models import Q

_NOT_IN_SLUG = re.compile(r"[^a-z0-9]+")


def _key_part(text, limit):
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_IN_SLUG.sub("-", text.lower()).strip("-")
    if len(slug) > limit:
        head = slug[: limit + 1]
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:limit]
    return slug.strip("-")


def _base(title, edtf):
    parts = (_key_part(title or "", 80) or "event", _key_part(edtf or "", 30))
    return "-".join(p for p in parts if p)


def _free(base, taken):
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def backfill(apps, schema_editor):
    db = schema_editor.connection.alias
    Event = apps.get_model("timeline", "Event")
    HistoricalEvent = apps.get_model("timeline", "HistoricalEvent")
    keyless = Q(key__isnull=True) | Q(key="")
    events = Event.objects.using(db)
    history = HistoricalEvent.objects.using(db)

    taken = set(events.exclude(keyless).values_list("key", flat=True))
    keys = {}  # event id -> key, for the events and for the history of deleted ones
    changed = []
    for pk, title, edtf in events.filter(keyless).order_by("id").values_list("id", "title", "edtf").iterator():
        keys[pk] = key = _free(_base(title, edtf), taken)
        taken.add(key)
        changed.append(Event(id=pk, key=key))
    events.bulk_update(changed, ["key"], batch_size=500)

    # A history row takes its event's key (the one just given, or the one it has now); the history
    # of a deleted event gets a key of its own, made the same way from its last known title and date.
    found = list(
        history.filter(keyless).order_by("id", "-history_date", "-history_id")
        .values_list("history_id", "id", "title", "edtf").iterator()
    )
    elsewhere = sorted({pk for _, pk, _, _ in found} - set(keys))
    for start in range(0, len(elsewhere), 500):
        keys.update(events.filter(id__in=elsewhere[start : start + 500]).values_list("id", "key"))
    rows = []
    for history_id, pk, title, edtf in found:
        if pk not in keys:
            keys[pk] = key = _free(_base(title, edtf), taken)
            taken.add(key)
        rows.append(HistoricalEvent(history_id=history_id, key=keys[pk]))
    history.bulk_update(rows, ["key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0002_event_search_text_gin"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]

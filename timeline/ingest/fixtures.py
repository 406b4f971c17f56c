"""Loading curated fixture files, refusing any record that is not consistent.

The files are ordinary Django fixtures with natural keys (``manage.py loaddata`` reads them too), but
loaddata writes rows as they are, bypassing the services and their checks. This loader reads each
record through the same deserializer, then checks it before writing it:

- every model: ``full_clean()`` — field values, choices, uniqueness, constraints, and
  ``Citation.clean`` (the quote must be the source text at its offsets);
- a source: its ``content_hash`` is the hash of its text; its publication columns are what its
  ``published_text`` reads as;
- an event: it has a ``key``; its date columns are exactly what ``services.resolve_date`` reads from
  its ``date_text``/``end_text`` and anchor (so an end before its start is refused);
- records are found by natural key, never by ``pk`` (a ``pk`` could overwrite an unrelated row).

A record identical to the stored row is not written again: loading twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import transaction
from django.utils import timezone

from timeline import dates, services
from timeline.models import (
    Citation,
    Event,
    Participation,
    Party,
    Place,
    SeedRecord,
    Source,
    Versioned,
    content_hash,
)

from .article import decode
from .errors import IngestError

MODELS = {
    "timeline.place": Place,
    "timeline.party": Party,
    "timeline.source": Source,
    "timeline.event": Event,
    "timeline.participation": Participation,
    "timeline.citation": Citation,
}
DATE_COLUMNS = ("earliest", "latest", "precision", "approximate", "uncertain", "edtf", "date_label")
PUBLISHED_COLUMNS = tuple(
    f"published_{c}" for c in ("earliest", "latest", "precision", "approximate", "uncertain", "edtf", "label")
)
# Kept by services, not by fixtures; and the times of a row, which a hand-written fixture leaves
# out (its participations and citations then get the load's time): a time alone is no change.
_DERIVED = {"search_text", "created", "updated", "version"}


@dataclass
class FixtureReport:
    path: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Records whose row was changed or deleted since it was loaded: left as the editors left it.
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        kept = f", {len(self.kept)} left alone (changed since loaded)" if self.kept else ""
        return f"{self.path}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged{kept}"


HISTORY_TRACKED = (Event, Party, Source)
CREATED_REASON = "loaded from fixtures"
UPDATED_REASON = "updated from fixtures"
RESET_REASON = "reset to the fixtures"
LOADER_REASONS = {CREATED_REASON, UPDATED_REASON, RESET_REASON}


@transaction.atomic
def fixture_file_load(*, path: str | Path, reset: bool = False) -> FixtureReport:
    """Load one fixture file, all or nothing: create what is missing, and update a row only while it
    is still what the loader last wrote (``SeedRecord``). A row an editor changed or deleted since
    is left alone and named in ``report.kept``; ``reset=True`` writes the fixture over it instead.
    Every write is dated now (``updated``), and an event, party or source written gets a history
    record, so sync clients and the history see it."""
    report = FixtureReport(str(path))
    records = _records(path)
    ledger = {
        (r.kind, r.key): r
        for r in SeedRecord.objects.filter(kind__in={record["model"] for record in records})
    }
    events = []
    held_events: set[str] = set()  # events left alone: deleted, or changed in a database without a ledger
    for index, record in enumerate(records, 1):
        label = _label(index, record)
        model = record["model"]
        key = _ledger_key(record)
        entry = ledger.get((model, key))
        event_ref = _ref(record["fields"].get("event")) if model in CHILDREN else None
        if event_ref in held_events and not reset:
            if not _exists(model, record):
                report.kept.append(f"{label}: its event was changed or deleted since it was loaded")
                continue
        try:
            (item,) = serializers.deserialize("python", [record])
        except (DeserializationError, FieldDoesNotExist, ValidationError, LookupError) as exc:
            raise IngestError(
                f"cannot read the record: {_error_text(exc)}", path=path, record=label
            ) from None
        obj = item.object
        stored = type(obj)._base_manager.filter(pk=obj.pk).first() if obj.pk is not None else None
        state = _state(obj, item.m2m_data, stored)
        # Every record is checked, those left alone too. The deserializer found an existing row by
        # natural key: validate as an update of it.
        obj._state.adding = state == "created"
        try:
            _check(obj)
        except ValidationError as exc:
            raise IngestError(_error_text(exc), path=path, record=label) from None
        verdict = _verdict(state, obj, stored, entry, reset, event_ref, held_events)
        if verdict is not None:
            report.kept.append(f"{label}: {verdict}")
            if isinstance(obj, Event) and (state == "created" or entry is None):
                held_events.add(obj.key)  # deleted, or an editor's in a database without a ledger
            continue
        legacy_edited = (
            not reset and state == "unchanged" and entry is None
            and isinstance(obj, HISTORY_TRACKED) and not _loader_wrote_last(stored)
        )
        if legacy_edited:
            # As the fixture says, but an editor saved it last: its missing rows may be ones they
            # removed, so they are not added, and the row is not taken as the loader's.
            report.unchanged += 1
            if isinstance(obj, Event):
                held_events.add(obj.key)
            continue
        if state == "unchanged":
            report.unchanged += 1
        else:
            now = timezone.now()
            obj.created = stored.created if stored is not None else now
            obj.updated = now
            if state == "updated" and isinstance(obj, Versioned):
                obj.take_next_version()  # a raw save skips Versioned.save: the changed row gets a new version
            item.save()
            setattr(report, state, getattr(report, state) + 1)
            if isinstance(obj, HISTORY_TRACKED):
                reason = RESET_REASON if reset and (state == "updated" or entry is not None) else (
                    CREATED_REASON if state == "created" else UPDATED_REASON
                )
                type(obj).history.bulk_history_create(
                    [obj], update=state == "updated", default_change_reason=reason
                )
        _remember(ledger, model, key, record)
        if isinstance(obj, Event):
            events.append(obj)
    for event in events:
        services.event_reindex(event=event)
    return report


CHILDREN = {"timeline.participation", "timeline.citation"}


def _verdict(state, obj, stored, entry, reset, event_ref, held_events) -> str | None:
    """None to write (or count unchanged) the record; else why its row is left alone."""
    if reset or state == "unchanged":
        return None
    if state == "created":
        if entry is not None:
            return "deleted since it was loaded"
        if isinstance(obj, HISTORY_TRACKED) and _deleted_by_someone(obj):
            return "deleted since it was loaded"
        if event_ref is not None and event_ref in held_events:
            return "its event was changed or deleted since it was loaded"
        return None
    # "updated": the fixture and the row differ. Written only if the row is what was loaded.
    if entry is not None:
        return None if _is_as_loaded(stored, entry) else "changed since it was loaded"
    # No record of loading it (a database seeded before the loader kept one): the history tells
    # whether the loader wrote it last; a row without history is not written over.
    if isinstance(obj, HISTORY_TRACKED) and _loader_wrote_last(stored):
        return None
    return "changed since it was loaded"


def _ledger_key(record: dict) -> str:
    fields = record["fields"]
    model = record["model"]
    if model in ("timeline.place", "timeline.party"):
        key = [fields.get("slug")]
    elif model == "timeline.source":
        key = [fields.get("content_hash") or content_hash(str(fields.get("text", "")))]
    elif model == "timeline.event":
        key = [fields.get("key")]
    elif model == "timeline.participation":
        key = [_ref(fields.get("event")), _ref(fields.get("party")), fields.get("role", "actor")]
    else:
        key = [_ref(fields.get("event")), _ref(fields.get("source")), fields.get("char_start"), fields.get("char_end")]
    return json.dumps(key, ensure_ascii=False)


def _loaded_fields(record: dict) -> dict:
    return {k: v for k, v in record["fields"].items() if k not in _DERIVED}


def _remember(ledger: dict, model: str, key: str, record: dict) -> None:
    loaded = _loaded_fields(record)
    entry = ledger.get((model, key))
    if entry is None:
        ledger[(model, key)] = SeedRecord.objects.create(kind=model, key=key, loaded=loaded)
    elif entry.loaded != loaded:
        entry.loaded = loaded
        entry.save(update_fields=["loaded", "updated"])


def _is_as_loaded(stored, entry: SeedRecord) -> bool:
    """Whether the stored row is still what the loader wrote (the record in ``entry``)."""
    try:
        (item,) = serializers.deserialize("python", [{"model": entry.kind, "fields": entry.loaded}])
    except (DeserializationError, FieldDoesNotExist, ValidationError, LookupError):
        return False  # what it named is gone: something was changed since
    return _state(item.object, item.m2m_data, stored) == "unchanged"


def _exists(model: str, record: dict) -> bool:
    try:
        (item,) = serializers.deserialize("python", [record])
    except (DeserializationError, FieldDoesNotExist, ValidationError, LookupError):
        return False
    return item.object.pk is not None


def _history_of(obj):
    return type(obj).history.filter(id=obj.pk).order_by("-history_date", "-history_id")


def _loader_wrote_last(stored) -> bool:
    latest = _history_of(stored).first()
    return latest is None or (latest.history_user_id is None and latest.history_change_reason in LOADER_REASONS)


def _deleted_by_someone(obj) -> bool:
    """A row of a natural key that once existed and was deleted (its history says so)."""
    model = type(obj)
    name, value = {
        Event: ("key", getattr(obj, "key", None)),
        Party: ("slug", getattr(obj, "slug", None)),
        Source: ("content_hash", getattr(obj, "content_hash", None)),
    }[model]
    return model.history.filter(**{name: value}, history_type="-").exists()


def _records(path: str | Path) -> list[dict]:
    try:
        records = json.loads(decode(Path(path).read_bytes(), path=path))
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", path=path
        ) from None
    if not isinstance(records, list):
        raise IngestError("a fixture file is a JSON list of records", path=path)
    for index, record in enumerate(records, 1):
        if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
            raise IngestError(
                'a record is an object with "model" and "fields"', path=path, record=f"record {index}"
            )
        if record.get("model") not in MODELS:
            raise IngestError(
                f"model {record.get('model')!r} is not one of {', '.join(MODELS)}",
                path=path,
                record=f"record {index}",
            )
        if "pk" in record:
            raise IngestError(
                'records are found by natural key: remove "pk"', path=path, record=_label(index, record)
            )
    return records


def _label(index: int, record: dict) -> str:
    fields = record.get("fields", {})
    model = record.get("model", "?")
    name = {
        "timeline.place": lambda: fields.get("slug"),
        "timeline.party": lambda: fields.get("slug"),
        "timeline.source": lambda: fields.get("title"),
        "timeline.event": lambda: fields.get("key"),
        "timeline.participation": lambda: (
            f"{_ref(fields.get('event'))} / {_ref(fields.get('party'))} / {fields.get('role')}"
        ),
        "timeline.citation": lambda: (
            f"{_ref(fields.get('event'))} @ {fields.get('char_start')}..{fields.get('char_end')}"
        ),
    }.get(model, lambda: None)()
    return f"record {index} ({model} {name!r})" if name else f"record {index} ({model})"


def _ref(value) -> str:
    return value[0] if isinstance(value, list) and len(value) == 1 else str(value)


def _check(obj) -> None:
    if isinstance(obj, Event) and not obj.key:
        raise ValidationError({"key": "A curated event needs a key, or loading twice would duplicate it."})
    obj.full_clean()
    if isinstance(obj, Source):
        _check_source(obj)
    elif isinstance(obj, Event):
        _check_event_date(obj)


def _check_source(source: Source) -> None:
    expected = content_hash(source.text)
    if source.content_hash != expected:
        raise ValidationError({"content_hash": f"does not match the text (the text hashes to {expected})"})
    probe = Source()
    if source.published_text:
        try:
            probe.published = dates.parse(source.published_text)
        except ValueError as exc:
            raise ValidationError({"published_text": str(exc)}) from None
    _compare(source, probe, PUBLISHED_COLUMNS, "published_text", source.published_text)


def _check_event_date(event: Event) -> None:
    fuzzy = services.resolve_date(
        text=event.date_text, end=event.end_text, anchor=event.date_anchor, field="date_text"
    )
    probe = Event()
    probe.date = fuzzy
    _compare(
        event,
        probe,
        DATE_COLUMNS,
        "date_text",
        event.date_text + (f" / {event.end_text}" if event.end_text else ""),
    )


def _compare(stored, probe, columns, source_field: str, text: str) -> None:
    wrong = {
        column: f"stored {getattr(stored, column)!r}, but {source_field} {text!r} reads as {getattr(probe, column)!r}"
        for column in columns
        if getattr(stored, column) != getattr(probe, column)
    }
    if wrong:
        raise ValidationError(wrong)


def _state(obj, m2m_data: dict, stored) -> str:
    if stored is None:
        return "created"
    for f in type(obj)._meta.concrete_fields:
        if f.name not in _DERIVED and getattr(stored, f.attname) != getattr(obj, f.attname):
            return "updated"
    for name, values in (m2m_data or {}).items():
        if {v.pk if hasattr(v, "pk") else v for v in values} != set(
            getattr(stored, name).values_list("pk", flat=True)
        ):
            return "updated"
    return "unchanged"


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "message_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc)

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
from dataclasses import dataclass
from pathlib import Path

from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import transaction

from timeline import dates, services
from timeline.models import Citation, Event, Participation, Party, Place, Source, Versioned, content_hash

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

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        return f"{self.path}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@transaction.atomic
def fixture_file_load(*, path: str | Path) -> FixtureReport:
    """Load one fixture file, all or nothing."""
    report = FixtureReport(str(path))
    events = []
    for index, record in enumerate(_records(path), 1):
        label = _label(index, record)
        try:
            (item,) = serializers.deserialize("python", [record])
        except (DeserializationError, FieldDoesNotExist, ValidationError, LookupError) as exc:
            raise IngestError(
                f"cannot read the record: {_error_text(exc)}", path=path, record=label
            ) from None
        obj = item.object
        state = _state(obj, item.m2m_data)
        # The deserializer found an existing row by natural key: validate as an update of it.
        obj._state.adding = state == "created"
        try:
            _check(obj)
        except ValidationError as exc:
            raise IngestError(_error_text(exc), path=path, record=label) from None
        if state == "unchanged":
            report.unchanged += 1
        else:
            if state == "updated" and isinstance(obj, Versioned):
                obj.take_next_version()  # a raw save skips Versioned.save: the changed row gets a new version
            item.save()
            setattr(report, state, getattr(report, state) + 1)
        if isinstance(obj, Event):
            events.append(obj)
    for event in events:
        services.event_reindex(event=event)
    return report


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


def _state(obj, m2m_data: dict) -> str:
    if obj.pk is None:
        return "created"
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
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

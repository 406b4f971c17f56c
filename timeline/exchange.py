"""Events to and from files for editors (the admin's import and export).

The file format is the API's write format, one record per event, so that an exported file imports
back unchanged and an import is validated by exactly the API's rules (``EventWriteSerializer``, which
calls the same services). CSV carries the same record flat: ``parties`` as ``slug:role`` pairs and
``places`` as slugs separated by ``;``, ``citations`` as the JSON list. A CSV cell a spreadsheet would
run as a formula (``=HYPERLINK(…)``, ``-2+3``, ``@SUM(…)``) is written with a quote in front, as the
API's CSV export writes it, and the import takes that quote off again (``timeline.exports.csv``:
``neutralise`` and its exact inverse ``restore``), so an exported file opens safely in a spreadsheet and
still imports back unchanged.

An import is all or nothing: every record is checked first and every error is reported with its
record number; only a file without errors is written, in one transaction. A record whose ``key``
names an existing event updates it. Every event has a key (given, or made from its title and date
when it was created) and the export carries it (it carries no id), so importing an export updates the
events it came from and creates nothing, however often it is done. A record without a key is a new
event and gets a key of its own.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from . import json_limits
from .exports.csv import neutralise, restore
from .models import Event
from .selectors import listed

CSV_COLUMNS = [
    "key",
    "title",
    "summary",
    "kind",
    "status",
    "date",
    "end",
    "anchor_source",
    "parties",
    "places",
    "citations",
]
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def event_record(event: Event) -> dict:
    """An event in the API's write format (from ``selectors.events_for_listing``: no query per event)."""
    return {
        "key": event.key,
        "title": event.title,
        "summary": event.summary,
        "kind": event.kind,
        "status": event.status,
        "date": event.date_text,
        "end": event.end_text,
        "anchor_source": event.date_anchor_id,
        "parties": [{"party": p.party.slug, "role": p.role} for p in listed(event, "participations")],
        "places": [p.slug for p in listed(event, "places")],
        "citations": [
            {
                "source": c.source_id,
                "quote": c.quote,
                "char_start": c.char_start,
                "char_end": c.char_end,
                "attributed_to": c.attributed_to.slug if c.attributed_to else None,
            }
            for c in listed(event, "citations")
        ],
    }


def export_json(events: Iterable[Event]) -> bytes:
    return json.dumps([event_record(e) for e in events], ensure_ascii=False, indent=2).encode()


def export_csv(events: Iterable[Event]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for event in events:
        record = event_record(event)
        record["key"] = record["key"] or ""
        record["anchor_source"] = record["anchor_source"] or ""
        record["parties"] = ";".join(f"{p['party']}:{p['role']}" for p in record["parties"])
        record["places"] = ";".join(record["places"])
        record["citations"] = (
            json.dumps(record["citations"], ensure_ascii=False) if record["citations"] else ""
        )
        writer.writerow({k: neutralise(v) if isinstance(v, str) else v for k, v in record.items()})
    return buffer.getvalue().encode()


class ImportFileError(ValueError):
    """The file itself cannot be read (not UTF-8, not JSON, wrong columns, too large)."""


def read_records(*, name: str, content: bytes) -> list[dict]:
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileError(f"{name}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    if name.lower().endswith(".json"):
        try:
            data = json_limits.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        except json_limits.JSONTooDeep as exc:
            raise ImportFileError(f"{name}: invalid JSON: {exc}") from None
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ImportFileError(f"{name}: expected a JSON list of event objects")
    elif name.lower().endswith(".csv"):
        try:
            data = _csv_records(name, text)
        except csv.Error as exc:
            raise ImportFileError(f"{name}: not a readable CSV file: {exc}") from None
    else:
        raise ImportFileError(f"{name}: expected a .json or .csv file")
    _refuse_nul(name, data)
    return data


def _refuse_nul(name: str, records: list[dict]) -> None:
    """A NUL character in any field is refused by name, on both databases alike: PostgreSQL cannot
    store it or even look it up (a party's slug), SQLite would store it."""
    for number, record in enumerate(records, start=1):
        where = json_limits.nul_field(record)
        if where is not None:
            raise ImportFileError(
                f"{name}: record {number}: {where}: contains a NUL character (\\0), which no field accepts"
            )


def _csv_records(name: str, text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"title", "date"} - set(reader.fieldnames or [])
    if missing:
        raise ImportFileError(f"{name}: missing column(s) {', '.join(sorted(missing))}")
    unknown = set(reader.fieldnames) - set(CSV_COLUMNS)
    if unknown:
        raise ImportFileError(f"{name}: unknown column(s) {', '.join(sorted(unknown))}")
    records = []
    for read in reader:
        # Cells as stored: the quote our export puts before a formula-like cell comes off (restore);
        # any other cell is unchanged. (A cell past the header's columns is a list: left alone.)
        row = {k: restore(v) if isinstance(v, str) else v for k, v in read.items()}
        record = {
            k: v
            for k, v in row.items()
            if v not in ("", None) and k not in ("parties", "places", "citations")
        }
        if row.get("parties"):
            record["parties"] = [
                {"party": slug, "role": role} if sep else {"party": slug}
                for slug, sep, role in (
                    pair.strip().partition(":") for pair in row["parties"].split(";") if pair.strip()
                )
            ]
        if row.get("places"):
            record["places"] = [s.strip() for s in row["places"].split(";") if s.strip()]
        if row.get("citations"):
            try:
                record["citations"] = json_limits.loads(row["citations"])
            except ValueError:  # not JSON, or nested too deeply
                record["citations"] = row["citations"]  # the serializer names the field as invalid
        records.append(record)
    return records


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)


PERMISSION_NEEDED = {
    False: ("timeline.add_event", "creating an event needs the permission to add events"),
    True: ("timeline.change_event", "updating event {key!r} needs the permission to change events"),
}


def import_records(records: list[dict], *, user=None) -> ImportResult:
    """Validate every record with the API's write serializer, then write all of them or none.

    With ``user`` (the admin's upload), each record needs the permission for what it does: a new
    event *add*, a record whose key names a stored event *change*; a record the user may not write
    is an error like any other, and nothing is written. Without one (``manage.py`` on the command
    line), the operator is trusted."""
    from api.serializers import EventWriteSerializer  # the API's rules, so the admin cannot drift from them

    result = ImportResult()
    keys = [r.get("key") for r in records if isinstance(r.get("key"), str) and r.get("key")]
    existing = {e.key: e for e in Event.objects.filter(key__in=keys)}
    checked = []
    for number, record in enumerate(records, start=1):
        key = record.get("key")
        instance = existing.get(key) if isinstance(key, str) and key else None
        if user is not None:
            permission, message = PERMISSION_NEEDED[instance is not None]
            if not user.has_perm(permission):
                result.errors.append((number, message.format(key=key)))
                continue
        serializer = EventWriteSerializer(instance=instance, data=record)
        if serializer.is_valid():
            checked.append((number, serializer, instance is not None))
        else:
            result.errors.append((number, _flatten(serializer.errors)))
    # Dates and quotes are checked by the services as they write (as in the API), so writing is the
    # rest of the validation: every record is tried, and everything is rolled back on any error.
    with transaction.atomic():
        for number, serializer, is_update in checked:
            try:
                serializer.save()
            except DjangoValidationError as exc:
                detail = exc.message_dict if hasattr(exc, "error_dict") else {"record": exc.messages}
                result.errors.append((number, _flatten(detail)))
                continue
            if is_update:
                result.updated += 1
            else:
                result.created += 1
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = 0
    result.errors = [f"record {n}: {message}" for n, message in sorted(result.errors)]
    return result


def _flatten(errors, prefix="") -> str:
    if isinstance(errors, dict):
        return "; ".join(_flatten(v, f"{prefix}{k}.") for k, v in errors.items())
    if isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        return f"{prefix.rstrip('.')}: {' '.join(errors)}"
    if isinstance(errors, list):
        return "; ".join(_flatten(e, f"{prefix}{i}.") for i, e in enumerate(errors) if e)
    return f"{prefix.rstrip('.')}: {errors}"

"""Events as CSV: one row per event, flat columns, lists joined with ';'.

Open date bounds are empty cells; booleans are 'true'/'false'. Cells are written as stored (no
spreadsheet-formula escaping), so what a researcher downloads is exactly what the database holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from timeline.fuzzy_columns import OPEN_END, OPEN_START
from timeline.models import Event
from timeline.selectors import listed

from .links import Links

COLUMNS = [
    "id",
    "url",
    "key",
    "title",
    "summary",
    "kind",
    "status",
    "date_text",
    "date_earliest",
    "date_latest",
    "date_precision",
    "date_edtf",
    "date_label",
    "date_approximate",
    "date_uncertain",
    "parties",
    "party_roles",
    "places",
    "source_ids",
    "created",
    "updated",
]


def _iso(value, sentinel) -> str:
    return "" if value is None or value == sentinel else value.isoformat()


def _bool(value: bool) -> str:
    return "true" if value else "false"


def row(event: Event, links: Links) -> list:
    participations = listed(event, "participations")
    source_ids = dict.fromkeys(c.source_id for c in listed(event, "citations"))  # ordered, unique
    return [
        event.pk,
        links.event(event.pk),
        event.key or "",
        event.title,
        event.summary,
        event.kind,
        event.status,
        f"{event.date_text} – {event.end_text}" if event.end_text else event.date_text,
        _iso(event.earliest, OPEN_START),
        _iso(event.latest, OPEN_END),
        event.precision,
        event.edtf,
        event.date_label,
        _bool(event.approximate),
        _bool(event.uncertain),
        ";".join(dict.fromkeys(p.party.slug for p in participations)),
        ";".join(f"{p.party.slug}:{p.role}" for p in participations),
        ";".join(p.slug for p in listed(event, "places")),
        ";".join(str(i) for i in source_ids),
        event.created.isoformat(),
        event.updated.isoformat(),
    ]


def stream(events: Iterable[Event], *, links: Links) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for event in events:
        writer.writerow(row(event, links))
        if buffer.tell() > 64_000:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()

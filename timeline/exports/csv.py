"""Events as CSV: one row per event, flat columns, lists joined with ';'.

Open date bounds are empty cells; booleans are 'true'/'false'.

**Spreadsheet formulas.** A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as
a formula (``=HYPERLINK(…)`` becomes a live link), and a tab, a carriage return, a line feed or a NUL
before one hides it. As OWASP and the ASVS recommend, such a cell is written with a single quote in
front (``'=HYPERLINK(…)``), which a spreadsheet shows as the text itself. So that the quote can always
be taken off again, a cell that itself begins with a quote gets one too (``'Tis`` is ``''Tis``); the
rule for a reader is therefore exact: **a cell that begins with ' followed by one of = + - @ ' tab CR
LF NUL has one quote too many; drop the first character** (``restore``). Nothing else is changed.

This applies to every column. No column holds a number that can be negative, so no number is ever
quoted. Dates before year 1 are refused today (the supported range is 1–9999); should they come, the
EDTF ``-0044-03-15`` would be written ``'-0044-03-15`` on purpose: unquoted, a spreadsheet computes
it as a sum (-62) instead of showing it.

``bom=True`` starts the file with a UTF-8 byte-order mark: Excel, opening a CSV on a double-click,
reads it as UTF-8 only then, and shows non-ASCII names ("Зеленський") as mojibake otherwise.
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


BOM = "\ufeff".encode()
# What a spreadsheet may read as the start of a formula (OWASP: = + - @ tab CR; the ASVS adds NUL;
# a line feed is treated like a carriage return).
FORMULA_STARTS = frozenset("=+-@\t\r\n\0")
_QUOTED_STARTS = FORMULA_STARTS | {"'"}


def neutralise(cell: str) -> str:
    """The cell as written: a quote in front when it could start a formula or begins with a quote."""
    return f"'{cell}" if cell and cell[0] in _QUOTED_STARTS else cell


def restore(cell: str) -> str:
    """The stored value of a cell that ``neutralise`` wrote (its exact inverse)."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _QUOTED_STARTS else cell


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


def safe_row(event: Event, links: Links) -> list:
    return [neutralise(cell) if isinstance(cell, str) else cell for cell in row(event, links)]


def stream(events: Iterable[Event], *, links: Links, bom: bool = False) -> Iterator[bytes]:
    if bom:
        yield BOM
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for event in events:
        writer.writerow(safe_row(event, links))
        if buffer.tell() > 64_000:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()

"""Events as a TimelineJS3 document: ``{"events": [slide, ...]}``.

A slide's dates carry only the parts its precision supports: a day or a week gives year, month and
day; a month or a season year and month; a year, decade or century the year alone. A span (an EDTF
interval, "a/b") gets an ``end_date`` read from its end, each side with its own precision; an open
side is left out. ``display_date`` is our label ("September 2022", "c. 2022"), so TimelineJS never
invents a day we do not know. Text is HTML-escaped: TimelineJS renders headline and text as HTML.

Checked against the official TimelineJS3 examples (tests/data/timelinejs/).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from html import escape

import orjson

from timeline import dates
from timeline.dates import Precision
from timeline.fuzzy_columns import OPEN_END, OPEN_START
from timeline.models import Event
from timeline.selectors import listed

from .links import Links
from .streaming import chunked

_PARTS = {
    Precision.DAY: 3,
    Precision.WEEK: 3,
    Precision.MONTH: 2,
    Precision.SEASON: 2,
    Precision.YEAR: 1,
    Precision.DECADE: 1,
    Precision.CENTURY: 1,
}


def date_object(day: date, precision: str) -> dict:
    parts = _PARTS[Precision(precision)]
    result = {"year": day.year}
    if parts >= 2:
        result["month"] = day.month
    if parts >= 3:
        result["day"] = day.day
    return result


def _side(text: str) -> dates.FuzzyDate | None:
    if text in ("", ".."):
        return None
    try:
        return dates.parse_edtf(text)
    except ValueError:
        return None


def slide_dates(event: Event) -> dict:
    earliest = None if event.earliest == OPEN_START else event.earliest
    latest = None if event.latest == OPEN_END else event.latest
    if "/" not in event.edtf:
        return {"start_date": date_object(earliest or latest, event.precision)}
    start_text, _, end_text = event.edtf.partition("/")
    start, end = _side(start_text), _side(end_text)
    result = {}
    if earliest is not None:
        result["start_date"] = date_object(earliest, start.precision if start else event.precision)
    if latest is not None:
        end_object = date_object(latest, end.precision if end else event.precision)
        if earliest is None:
            result["start_date"] = end_object  # "until …": the one known day
        elif end_object != result["start_date"]:
            result["end_date"] = end_object
    return result


def _text(event: Event) -> str:
    html = f"<p>{escape(event.summary)}</p>" if event.summary else ""
    sources = {c.source_id: c.source for c in listed(event, "citations")}
    if sources:
        items = "".join(
            f'<li><a href="{escape(s.url)}">{escape(s.title)}</a></li>' if s.url else f"<li>{escape(s.title)}</li>"
            for s in sources.values()
        )
        html += f"<p>Sources:</p><ul>{items}</ul>"
    return html


def slide(event: Event, links: Links) -> dict:
    return {
        **slide_dates(event),
        "display_date": event.date_label,
        "text": {"headline": escape(event.title), "text": _text(event)},
        "group": event.get_kind_display(),
        "unique_id": f"event-{event.pk}",
    }


def stream(events: Iterable[Event], *, links: Links) -> Iterator[bytes]:
    def pieces():
        yield b'{"events":['
        for n, event in enumerate(events):
            yield (b"," if n else b"") + orjson.dumps(slide(event, links))
        yield b"]}"

    return chunked(pieces())

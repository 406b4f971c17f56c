"""Events as a TimelineJS3 document: ``{"events": [slide, ...], "title": slide}``.

A slide's dates carry only the parts its precision supports: a day or a week gives year, month and
day; a month or a season year and month; a year, decade or century the year alone. A span (an EDTF
interval, "a/b") gets an ``end_date`` read from its end, each side with its own precision; an open
side is left out. A season, a decade or a century is a stretch of time too: it gets an ``end_date``
on its last day (TimelineJS reads a date given to the month or the year as its first day, which would
draw "summer 2022" as June and July only), so it is drawn as the span it is. ``display_date`` is our
label ("September 2022", "c. 2022"), so TimelineJS never shows a day we do not know. Text is
HTML-escaped (TimelineJS renders headline and text as HTML); a summary keeps its paragraphs and line
breaks.

The title slide (written last: JSON does not mind, and the count is known only then) says what was
asked for and how many events matched. An export is cut at the renderer's cap (a browser draws every
slide); when more match, the title slide says so and links to the next ones. TimelineJS refuses a
document without events, so an empty result is one slide saying nothing matched, dated the day of the
export, under a title slide that says the same.

Checked against the official TimelineJS3 examples (tests/data/timelinejs/) and opened in TimelineJS3
itself (tests/browser/test_browser_timelinejs.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from html import escape

import orjson
from django.utils import timezone

from timeline import dates
from timeline.dates import Precision
from timeline.fuzzy_columns import OPEN_END, OPEN_START
from timeline.models import Event
from timeline.selectors import listed

from . import describe
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


# Precisions whose one date is a stretch of time that a point would misdraw.
SPANNING = frozenset({Precision.SEASON, Precision.DECADE, Precision.CENTURY})
TITLE_ID = "title"
NOTHING_ID = "no-events"


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
        result = {"start_date": date_object(earliest or latest, event.precision)}
        if event.precision in SPANNING and earliest is not None and latest is not None and latest != earliest:
            result["end_date"] = date_object(latest, Precision.DAY)  # its last day
        return result
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


_BLANK_LINES = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> str:
    """Plain text as HTML: a blank line starts a paragraph, a line break stays one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    return "".join(
        "<p>" + "<br>".join(escape(line) for line in part.strip("\n").split("\n")) + "</p>"
        for part in _BLANK_LINES.split(text)
    )


def _text(event: Event) -> str:
    html = paragraphs(event.summary)
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


def _count(n: int) -> str:
    return f"{n:,} event" + ("" if n == 1 else "s")


def title_slide(*, heading: str, asked: str, count: int, more: str | None) -> dict:
    matching = f" matching {escape(asked)}" if asked else ""
    if not count:
        text = f"<p>No events{matching}.</p>" if asked else "<p>There are no events yet.</p>"
    elif more:
        text = (
            f"<p>The first {_count(count)}{matching}: more match, and this timeline shows no more than "
            f"that. Narrow the filters (start, end, party, kind…) to see the rest here, or open the "
            f'next ones: <a href="{escape(more)}">{escape(more)}</a>.</p>'
        )
    else:
        text = f"<p>{_count(count)}{matching}.</p>"
    return {"text": {"headline": escape(heading), "text": text}, "unique_id": TITLE_ID}


def nothing_slide(*, asked: str, today: date) -> dict:
    """The one slide of an empty result (TimelineJS refuses a document without events)."""
    matching = f" match {escape(asked)}" if asked else " yet"
    return {
        "start_date": date_object(today, Precision.DAY),
        "display_date": f"Exported {today.isoformat()}",
        "text": {"headline": "No events", "text": f"<p>No events{matching}.</p>"},
        "unique_id": NOTHING_ID,
    }


def stream(
    events: Iterable[Event], *, links: Links, request=None, more: str | None = None
) -> Iterator[bytes]:
    """The document of ``events``; ``request`` names what was asked for, ``more`` is the link to the
    events after these when the export was cut."""
    heading, asked = describe.title(request), describe.in_words(request)

    def pieces():
        yield b'{"events":['
        count = 0
        for event in events:
            yield (b"," if count else b"") + orjson.dumps(slide(event, links))
            count += 1
        if not count:
            yield orjson.dumps(nothing_slide(asked=asked, today=timezone.now().date()))
        title = title_slide(heading=heading, asked=asked, count=count, more=more)
        yield b'],"title":' + orjson.dumps(title) + b"}"

    return chunked(pieces())

"""Events as iCalendar (RFC 5545), built with the icalendar library.

One all-day VEVENT per event, from its earliest to its latest possible day: DTEND is exclusive, so it
is the day after ``latest``. A fuzzy date is shown as everything it may mean ("September 2022" spans
the month); the label and the qualifiers go in the description. An open-ended event ("from 2022",
"until 2024") has only one known day; it is shown on that day, and the description says it is open.

UIDs depend on the event id only ("event-42@timeline-event-db"), so a calendar that subscribes to the
export updates events instead of duplicating them. DTSTAMP is the event's last change, which keeps the
output of an unchanged database byte-for-byte stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, timedelta

from icalendar import Calendar
from icalendar import Event as VEvent

from timeline.fuzzy_columns import OPEN_END, OPEN_START
from timeline.models import Event
from timeline.selectors import listed

from .links import Links
from .streaming import chunked

PRODID = "-//timeline-db//Timeline event database//EN"
UID_DOMAIN = "timeline-event-db"
_END = b"END:VCALENDAR\r\n"


def uid(event: Event) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def _description(event: Event, open_side: str) -> str:
    lines = [f"Date: {event.date_label} ({event.edtf})"]
    if open_side:
        lines.append(f"Open-ended: no known {open_side}; shown on its one known day.")
    if event.summary:
        lines += ["", event.summary]
    sources = {c.source_id: c.source for c in listed(event, "citations")}
    if sources:
        lines += ["", "Sources:"]
        lines += [f"- {s.title}" + (f" <{s.url}>" if s.url else "") for s in sources.values()]
    return "\n".join(lines)


def vevent(event: Event, links: Links) -> VEvent:
    start = None if event.earliest == OPEN_START else event.earliest
    last = None if event.latest == OPEN_END else event.latest
    open_side = "start" if start is None else "end" if last is None else ""
    start = start or last
    last = last or start
    component = VEvent()
    component.add("uid", uid(event))
    component.add("dtstamp", event.updated.astimezone(UTC))
    component.add("created", event.created.astimezone(UTC))
    component.add("last-modified", event.updated.astimezone(UTC))
    component.add("dtstart", start)
    component.add("dtend", last + timedelta(days=1))
    component.add("summary", event.title)
    component.add("description", _description(event, open_side))
    component.add("categories", [event.get_kind_display()])
    component.add("url", links.event(event.pk))
    component.add("transp", "TRANSPARENT")  # a dated fact, not busy time
    return component


def calendar_head() -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Timeline events")
    text = calendar.to_ical()
    assert text.endswith(_END)
    return text[: -len(_END)]


def stream(events: Iterable[Event], *, links: Links) -> Iterator[bytes]:
    def pieces():
        yield calendar_head()
        for event in events:
            yield vevent(event, links).to_ical()
        yield _END

    return chunked(pieces())

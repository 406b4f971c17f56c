"""Events as iCalendar (RFC 5545, with the calendar properties of RFC 7986), built with the icalendar
library.

One all-day VEVENT per event, from its earliest to its latest possible day: DTEND is exclusive, so it
is the day after ``latest``. A fuzzy date is shown as everything it may mean ("September 2022" spans
the month); the label and the qualifiers go in the description. An open-ended event ("from 2022",
"until 2024") has only one known day; it is shown on that day, and the description says it is open.

A UID is the event's key at the site's domain (``truce-overtures-2022-09@timeline.example.org``,
``settings.SITE_DOMAIN``): the key is the event's identity across dumps, imports and databases, so a
calendar that subscribes to the export, or imports it again, updates events instead of duplicating
them; and the domain keeps two sites' events apart, so importing one site's calendar into a calendar
holding another's never replaces an event of the other. (UIDs were ``event-<id>@timeline-event-db``
until 2026-12: the same on every server, and changed by a reload.) DTSTAMP is the event's last
change, which keeps the output of an unchanged database byte-for-byte stable.

The calendar has a name (NAME and X-WR-CALNAME: what was asked for, "Timeline events (party:
russia)"), a description, where to refresh it from (SOURCE) and how often (REFRESH-INTERVAL and
X-PUBLISHED-TTL, ``REFRESH``). Every matching event is in the file: it is streamed, never capped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, timedelta

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.prop import vDuration, vText, vUri

from timeline.fuzzy_columns import OPEN_END, OPEN_START
from timeline.models import Event
from timeline.selectors import listed

from . import describe
from .links import Links
from .streaming import chunked

PRODID = "-//timeline-db//Timeline event database//EN"
REFRESH = timedelta(hours=12)  # a subscribed calendar asks again twice a day: events change slowly
_END = b"END:VCALENDAR\r\n"


def uid(event: Event, domain: str | None = None) -> str:
    return f"{event.key}@{domain or settings.SITE_DOMAIN}"


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


def vevent(event: Event, links: Links, *, domain: str | None = None) -> VEvent:
    start = None if event.earliest == OPEN_START else event.earliest
    last = None if event.latest == OPEN_END else event.latest
    open_side = "start" if start is None else "end" if last is None else ""
    start = start or last
    last = last or start
    component = VEvent()
    component.add("uid", uid(event, domain))
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


def calendar_head(*, name: str = "Timeline events", description: str = "", source: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # As TEXT explicitly: the library writes a NAME or X- value it does not know without escaping.
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    if description:
        calendar.add("description", vText(description))
        calendar.add("x-wr-caldesc", vText(description))
    if source:
        calendar.add("source", vUri(source), parameters={"VALUE": "URI"})
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vText(vDuration(REFRESH).to_ical().decode()))
    text = calendar.to_ical()
    assert text.endswith(_END)
    return text[: -len(_END)]


def stream(events: Iterable[Event], *, links: Links, request=None) -> Iterator[bytes]:
    """The calendar of ``events``; ``request`` (when there is one) names it and says where to
    refresh it from."""
    domain = settings.SITE_DOMAIN
    asked = describe.in_words(request)
    head = calendar_head(
        name=describe.title(request),
        description=f"Events from {domain}" + (f" matching {asked}." if asked else "."),
        source=request.build_absolute_uri() if request is not None else "",
    )

    def pieces():
        yield head
        for event in events:
            yield vevent(event, links, domain=domain).to_ical()
        yield _END

    return chunked(pieces())

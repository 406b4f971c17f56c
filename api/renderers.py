"""Renderers: orjson for JSON, and the export formats of an event list (CSV, iCalendar, TimelineJS),
whose rules live in ``timeline.exports`` (shared with the admin): these classes only name them to DRF
and to the OpenAPI document (each export is an operation of its own there: ``api.schema``).

An export renderer does not render a ``Response``: the view hands it the lazily evaluated rows and it
yields the file piece by piece (see ``api.views.EventListMixin``), so an export of thousands of events
is streamed in chunks instead of being built in memory. Errors are never rendered by an export
renderer: the exception handler switches them to JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from timeline.exports import csv as csv_export
from timeline.exports import ical as ical_export
from timeline.exports import timelinejs as timelinejs_export
from timeline.exports.links import Links
from timeline.models import Event

from .pagination import KeysetPagination
from .serializers import TimelineJSDocumentSerializer

_fallback = JSONEncoder().default
BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False, "": False}


class ORJSONRenderer(JSONRenderer):
    """JSON through orjson: the same output as DRF's renderer, several times faster on large pages."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        options = orjson.OPT_NON_STR_KEYS
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent:
            if indent != 2:  # orjson indents by two spaces only; DRF's renderer honours any width
                return super().render(data, accepted_media_type, renderer_context)
            options |= orjson.OPT_INDENT_2
        return orjson.dumps(data, default=_fallback, option=options)


class ExportRenderer(BaseRenderer):
    """A format an event list can be exported to, produced as a stream of byte chunks."""

    streams = True
    # How many events one export carries: None is every matching event (a client may still ask for a
    # page_size); a format that caps says so in the file itself.
    export_cap: int | None = None
    # How much of each citation the format shows (``selectors.events_for_listing``): "full", or
    # "source_ids" for a format that lists only which sources an event cites.
    citations = "full"
    charset = "utf-8"
    filename = ""
    disposition = "attachment"
    # The export's operation in the OpenAPI document (api.schema): its summary, its body's schema and
    # the query parameters it takes besides the list's filters and paging.
    summary = ""
    response_schema = OpenApiTypes.STR
    parameters: tuple[OpenApiParameter, ...] = ()

    def stream(self, events: Iterable[Event], *, links: Links, request) -> Iterator[bytes]:
        raise NotImplementedError

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise TypeError(f"{type(self).__name__} streams event lists; it cannot render {type(data).__name__}")


class CSVRenderer(ExportRenderer):
    media_type = "text/csv"
    format = "csv"
    filename = "events.csv"
    citations = "source_ids"  # the source_ids column: the sources' columns and quotes are not read
    summary = "Every matching event as CSV, one row per event (streamed)"
    parameters = (
        OpenApiParameter(
            "bom",
            OpenApiTypes.BOOL,
            description="true: the Excel variant, UTF-8 with a byte-order mark, so that a spreadsheet opened "
            "with a double-click keeps non-ASCII names. Default false.",
        ),
    )

    def stream(self, events, *, links, request):
        return csv_export.stream(events, links=links, bom=self.bom(request))

    @staticmethod
    def bom(request) -> bool:
        """``?bom=true``: the Excel-friendly variant, UTF-8 with a byte-order mark. Read before the
        first byte is sent, so a bad value is still a 400."""
        value = request.query_params.get("bom", "false").lower()
        if value not in BOOLEANS:
            raise ValidationError({"bom": [f"{value[:50]!r} is not true or false"]})
        return BOOLEANS[value]


class ICalendarRenderer(ExportRenderer):
    media_type = "text/calendar"
    format = "ics"
    filename = "events.ics"
    summary = "Every matching event as an iCalendar file, one all-day VEVENT per event (streamed)"

    def stream(self, events, *, links, request):
        return ical_export.stream(events, links=links, request=request)


class TimelineJSRenderer(ExportRenderer):
    media_type = "application/vnd.timelinejs+json"
    format = "timelinejs"
    charset = None
    disposition = ""
    summary = (
        f"The matching events as a TimelineJS3 document (at most {KeysetPagination.export_page_size:,}; "
        "its title slide says when more match)"
    )
    response_schema = TimelineJSDocumentSerializer
    # A browser draws every slide: past a few thousand TimelineJS is unusable, so the export is cut
    # at this many, and its title slide says so, with the link to the next ones.
    export_cap = KeysetPagination.export_page_size

    def stream(self, events, *, links, request):
        view = (getattr(request, "parser_context", None) or {}).get("view")
        more = getattr(getattr(view, "paginator", None), "next_link", None)
        return timelinejs_export.stream(events, links=links, request=request, more=more)

"""What every API viewset shares, so that the viewsets themselves only name their data.

- ``ApiViewMixin``: orjson + the browsable API, ``?format=`` over Accept, JSON errors for every bad
  input (Django ValidationErrors included), keyset pagination, the OpenAPI tweaks, and HTTP caching
  for readers (``api.caching``: ETag, Last-Modified, 304, Cache-Control, Vary).
- ``ReadWriteSerializersMixin``: requests are read with ``write_serializer_class`` when there is one.
- ``EventListMixin``: an event list also renders as CSV, iCalendar and TimelineJS, streamed: each at
  a path of its own (``/api/events.csv``: ``export_format``), and with ``?format=`` on the list.
- ``NestedEventsMixin``: /parties/<slug>/events/ and /sources/<id>/events/.
"""

from __future__ import annotations

import orjson
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.renderers import BrowsableAPIRenderer

from timeline import selectors

from .caching import ConditionalGetMixin
from .event_json import page_json
from .exceptions import exception_handler
from .filters import FilterBackend
from .negotiation import FormatFirstNegotiation
from .pagination import KeysetPagination
from .renderers import CSVRenderer, ICalendarRenderer, ORJSONRenderer, TimelineJSRenderer
from .representation import Links
from .schema import ApiAutoSchema

WRITE_ACTIONS = ("create", "update", "partial_update")
EXPORT_RENDERERS = (CSVRenderer, ICalendarRenderer, TimelineJSRenderer)


class ApiViewMixin(ConditionalGetMixin):
    renderer_classes = [ORJSONRenderer, BrowsableAPIRenderer]
    content_negotiation_class = FormatFirstNegotiation
    pagination_class = KeysetPagination
    filter_backends = [FilterBackend]
    schema = ApiAutoSchema()

    def get_exception_handler(self):
        return exception_handler

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # DRF leaves two reference cycles through a response: the view holds it, and rendering puts
        # it in its own renderer context. They kept a page's whole object graph (about 1,500
        # objects when pages were built as dicts) alive until the garbage collector found it, and
        # the collector's passes cost a tenth of a page's time (bench/RESULTS.md). Broken, a page is freed
        # as soon as its response is.
        del self.response
        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(_forget_itself)
        return response

    def initial(self, request, *args, **kwargs):
        # A method the endpoint does not offer is a 405 whatever else is wrong with the request:
        # DRF negotiates ?format= first, which made TRACE /api/events/?format=csv a 400.
        method = request.method.lower()
        if method not in self.http_method_names or getattr(self, method, None) is None:
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


def _forget_itself(response) -> None:
    response.renderer_context.pop("response", None)


class ReadWriteSerializersMixin:
    write_serializer_class = None

    def get_serializer_class(self):
        if self.write_serializer_class is not None and getattr(self, "action", None) in WRITE_ACTIONS:
            return self.write_serializer_class
        return super().get_serializer_class()


class EventListMixin:
    # Streamed rows are fetched in chunks, each with its related rows prefetched in a few queries.
    export_chunk_size = 500
    export_renderers = EXPORT_RENDERERS
    # The one format a path serves whatever the request asks, e.g. "csv" at /api/events.csv (set by
    # api/urls.py; the OpenAPI document makes it an operation of its own). None on the list itself,
    # where ``?format=`` or the Accept header choose.
    export_format: str | None = None

    def get_format_suffix(self, **kwargs):
        # The list (GET, HEAD) in its format; OPTIONS describes the endpoint in JSON as anywhere else.
        if self.export_format and getattr(self, "action", None) == "list":
            return self.export_format
        return super().get_format_suffix(**kwargs)

    def get_queryset(self):
        # Drafts only to editors (selectors.events_visible): lists, details, exports, nested lists.
        return selectors.events_visible(user=self.request.user, queryset=super().get_queryset())

    def page_keys(self, queryset):
        """The page's rows as their ordering key alone (the covering chronology index answers it):
        the events' JSON is built for the rows shown, by ``api.event_json``."""
        ordering = self.paginator.ordering_of(queryset)
        return queryset.values_list(*dict.fromkeys([*(name.lstrip("-") for name in ordering), "id"]), named=True)

    def represent(self, rows, *, using: str):
        """The page's events as the database builds their JSON, passed through as it is to the JSON
        renderer (``orjson.Fragment``); loaded for a renderer that lays it out (the browsable API,
        an ``indent`` in the Accept header). A Fragment cannot be pickled: a response cache in front
        of this view would have to cache the rendered bytes."""
        results = page_json([row.id for row in rows], links=Links(self.request), using=using)
        renderer, media_type = self.request.accepted_renderer, self.request.accepted_media_type
        if type(renderer) is ORJSONRenderer and not renderer.get_indent(media_type, {}):
            return orjson.Fragment(results)
        return orjson.loads(results)

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "list":
            renderers += [renderer() for renderer in self.export_renderers]
        return renderers

    def list(self, request, *args, **kwargs):
        renderer = request.accepted_renderer
        if not getattr(renderer, "streams", False):
            queryset = self.page_keys(self.filter_queryset(self.get_queryset()))
            return self.get_paginated_response(self.represent(self.paginate_queryset(queryset), using=queryset.db))
        queryset = selectors.events_for_listing(self.filter_queryset(self.get_queryset()), citations=renderer.citations)
        rows = self.paginator.export_queryset(queryset, request)
        chunks = renderer.stream(rows.iterator(chunk_size=self.export_chunk_size), links=Links(request), request=request)
        content_type = f"{renderer.media_type}; charset={renderer.charset}" if renderer.charset else renderer.media_type
        response = StreamingHttpResponse(chunks, content_type=content_type)
        if renderer.disposition:
            response["Content-Disposition"] = f'{renderer.disposition}; filename="{renderer.filename}"'
        if self.paginator.next_link:
            response["Link"] = f'<{self.paginator.next_link}>; rel="next"'
        return response


class NestedEventsMixin:
    """Events under a parent named in the URL. An unknown parent is a 404.

    ``parent_filter`` names a filter whose values must all hold (``party``): the parent joins the
    request's values, so /parties/russia/events/?party=ukraine&role=actor is both, each as actor.
    Otherwise ``narrow`` restricts the list to the parent before the request's filters apply: for an
    "any of" filter such as ``source``, joining the values would widen the list instead."""

    parent_model = None
    parent_lookup = "pk"
    parent_filter = ""

    def implied_filters(self) -> dict:
        return {self.parent_filter: str(self.kwargs[self.parent_lookup])} if self.parent_filter else {}

    def narrow(self, queryset, parent):
        return queryset

    def get_queryset(self):
        # Checked once per request (the permission check asks for the queryset too); schema
        # generation has no parent to check.
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()
        if not hasattr(self, "_parent"):
            self._parent = get_object_or_404(self.parent_model, **{self.parent_lookup: self.kwargs[self.parent_lookup]})
        return self.narrow(super().get_queryset(), self._parent)

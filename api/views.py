"""API views: thin shells over timeline's selectors and services.

A viewset names its queryset, serializer and FilterSet; the mixins of ``api.viewsets`` carry the
shared machinery (renderers, errors, pagination, exports, write serializers).
"""

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from timeline import dates, selectors, services
from timeline.models import Party, Place, Source

from . import filters
from .preconditions import ConditionalWritesMixin
from .serializers import (
    EventSerializer,
    EventWriteSerializer,
    PartySerializer,
    PlaceSerializer,
    SourceSerializer,
    SourceWriteSerializer,
)
from .viewsets import ApiViewMixin, EventListMixin, NestedEventsMixin, ReadWriteSerializersMixin


class EventViewSet(EventListMixin, ConditionalWritesMixin, ReadWriteSerializersMixin, ApiViewMixin, viewsets.ModelViewSet):
    """Events: dated occurrences with their parties and the quotes that evidence them."""

    delete_service = staticmethod(services.event_delete)

    queryset = selectors.events_for_api()
    serializer_class = EventSerializer
    write_serializer_class = EventWriteSerializer
    filterset_class = filters.EventFilterSet
    lookup_value_regex = "[0-9]+"


class PartyViewSet(ConditionalWritesMixin, ReadWriteSerializersMixin, ApiViewMixin, viewsets.ModelViewSet):
    """Parties: people, states, organisations and outlets that take part in events."""

    queryset = Party.objects.select_related("affiliation").order_by("name", "id")
    serializer_class = PartySerializer
    filterset_class = filters.PartyFilterSet
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "head", "options"]


class PlaceViewSet(ReadWriteSerializersMixin, ApiViewMixin, viewsets.ModelViewSet):
    """Places where events happened."""

    queryset = Place.objects.select_related("parent").order_by("name", "id")
    serializer_class = PlaceSerializer
    filterset_class = filters.PlaceFilterSet
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "head", "options"]


class SourceViewSet(ConditionalWritesMixin, ReadWriteSerializersMixin, ApiViewMixin, viewsets.ModelViewSet):
    """Sources: articles and statements, stored with their full text."""

    queryset = Source.objects.select_related("publisher", "via").order_by("id")
    serializer_class = SourceSerializer
    write_serializer_class = SourceWriteSerializer
    filterset_class = filters.SourceFilterSet
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "head", "options"]


class PartyEventViewSet(NestedEventsMixin, EventListMixin, ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The events a party takes part in: /api/events/?party=<slug>, with every filter of /api/events/
    (``role`` is this party's role)."""

    queryset = selectors.events_for_api()
    serializer_class = EventSerializer
    filterset_class = filters.EventFilterSet
    parent_model, parent_lookup, parent_filter = Party, "slug", "party"


class SourceEventViewSet(NestedEventsMixin, EventListMixin, ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The events citing a source: /api/events/?source=<id>, with every filter of /api/events/."""

    queryset = selectors.events_for_api()
    serializer_class = EventSerializer
    filterset_class = filters.EventFilterSet
    parent_model, parent_lookup = Source, "pk"

    def narrow(self, queryset, parent):
        return selectors.events_citing(sources=[parent], queryset=queryset)


@csrf_exempt  # it changes nothing; a CSRF failure page would hide the 404
def not_found(request, rest=""):
    """Any other path under /api/: a JSON 404 like every other API error, not Django's HTML page.
    A GET that only lacks its trailing slash is redirected, as APPEND_SLASH would have done."""
    with_slash = f"{request.path}/"
    if request.method in ("GET", "HEAD") and not request.path.endswith("/") and _is_endpoint(with_slash):
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{with_slash}?{query}" if query else with_slash)
    return JsonResponse({"detail": "Not found."}, status=404)


def _is_endpoint(path: str) -> bool:
    try:
        return resolve(path).url_name != "api-not-found"
    except Resolver404:
        return False


@extend_schema(responses={200: OpenApiTypes.OBJECT}, description="Links to every endpoint.")
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request, format=None):
    return Response(
        {
            "events": reverse("event-list", request=request, format=format),
            "parties": reverse("party-list", request=request, format=format),
            "places": reverse("place-list", request=request, format=format),
            "sources": reverse("source-list", request=request, format=format),
            "dates/parse": reverse("api-date-parse", request=request, format=format),
            # The schema's own media type (application/vnd.oai.openapi) makes a browser download it;
            # schema.json is the same document as application/json, and the docs are the readable form.
            "schema": reverse("api-schema", request=request, format=format),
            "schema_json": reverse("api-schema-json", request=request),
            "docs": reverse("api-docs", request=request, format=format),
        }
    )


@extend_schema(
    parameters=[
        OpenApiParameter(
            "text", OpenApiTypes.STR, required=True, examples=[], description="e.g. 'September 2022'"
        ),
        OpenApiParameter("anchor", OpenApiTypes.STR, description="anchor date text for relative phrases"),
        OpenApiParameter(
            "anchor_source", OpenApiTypes.INT, description="id of the source whose publication date anchors"
        ),
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
@permission_classes([AllowAny])
def parse_date(request):
    """Read a date text with the fuzzy-date module (used by the admin's live date preview)."""
    text = request.query_params.get("text", "")
    anchor = None
    try:
        if request.query_params.get("anchor"):
            anchor = dates.parse(request.query_params["anchor"])
        elif request.query_params.get("anchor_source"):
            raw = request.query_params["anchor_source"]
            source = Source.objects.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
            if source is None:
                return Response({"anchor_source": [f"no source {raw[:100]!r}"]}, status=400)
            anchor = source.published
    except ValueError as exc:
        return Response({"anchor": [str(exc)]}, status=400)
    try:
        return Response(dates.parse(text, anchor).as_dict())
    except ValueError as exc:
        return Response({"text": [str(exc)]}, status=400)

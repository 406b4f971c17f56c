"""API views: thin shells over timeline's selectors and services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from timeline import dates
from timeline.models import Source


@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request, format=None):
    return Response(
        {
            "dates/parse": reverse("api-date-parse", request=request, format=format),
            "schema": reverse("api-schema", request=request, format=format),
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
        elif request.query_params.get("anchor_source", "").isdigit():
            source = Source.objects.filter(pk=int(request.query_params["anchor_source"])).first()
            anchor = source.published if source else None
    except ValueError as exc:
        return Response({"anchor": [str(exc)]}, status=400)
    try:
        return Response(dates.parse(text, anchor).as_dict())
    except ValueError as exc:
        return Response({"text": [str(exc)]}, status=400)

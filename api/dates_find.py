"""POST /api/dates/find/: every date expression in a text, read by the project's date finder.

The same finder as ``manage.py find_dates`` and the article extractor (``timeline.dates.finder``);
the answer is the JSON line ``find_dates`` prints for a file, without the file name. Nothing is
written. Anonymous clients are throttled like the rest of the API; the text is bounded.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, parser_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.parsers import SafeJSONParser
from api.throttling import AnonThrottle
from timeline import dates
from timeline.dates.finder import find_dates
from timeline.models import Source

# A long news article is about 10,000 characters; the finder reads about 100,000 a second.
MAX_TEXT_CHARS = 50_000


class _TextField(serializers.CharField):
    """Text only: a number or a list is refused rather than turned into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class FindDatesRequest(serializers.Serializer):
    text = _TextField(
        max_length=MAX_TEXT_CHARS,
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"Plain text (at most {MAX_TEXT_CHARS} characters). Offsets index it as sent, with "
        "line endings as \\n.",
    )
    published = _TextField(
        required=False,
        allow_blank=True,
        help_text="The text's publication date, as the date module reads it ('7 August 1998', "
        "'1998-08-07'): the reference of 'Thursday', 'last month', 'a year ago'.",
    )
    anchor_source = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Or the id of a source whose publication date is the reference.",
    )

    def validate(self, attrs):
        if attrs.get("published") and attrs.get("anchor_source"):
            raise serializers.ValidationError(
                {"anchor_source": ["give published or anchor_source, not both"]}
            )
        return attrs


class FoundDateSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="text[start:end]")
    start = serializers.IntegerField()
    end = serializers.IntegerField(help_text="exclusive")
    earliest = serializers.DateField(allow_null=True, help_text="null: an open start ('until …')")
    latest = serializers.DateField(allow_null=True, help_text="inclusive; null: an open end ('since …')")
    precision = serializers.CharField()
    approximate = serializers.BooleanField()
    uncertain = serializers.BooleanField()
    edtf = serializers.CharField()
    label = serializers.CharField()


class UnresolvedDateSerializer(serializers.Serializer):
    text = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    reason = serializers.CharField()


class FindDatesResponse(serializers.Serializer):
    published = serializers.DictField(allow_null=True, help_text="the reference date, as read")
    dates = FoundDateSerializer(many=True)
    unresolved = UnresolvedDateSerializer(many=True)


@extend_schema(
    operation_id="dates_find",
    request=FindDatesRequest,
    responses={
        200: FindDatesResponse,
        400: OpenApiTypes.OBJECT,
        413: OpenApiTypes.OBJECT,
        415: OpenApiTypes.OBJECT,
        429: OpenApiTypes.OBJECT,
    },
    description="Every date expression in a plain text (not one per sentence): its offsets, its "
    "interval (ISO days, latest inclusive, an open bound null), precision and EDTF; and the "
    "expressions recognised but not resolved honestly, with the reason. Durations ('three years'), "
    "sets ('every Monday'), times of day and plain numbers are not dates. Writes nothing.",
    examples=[
        OpenApiExample(
            "A report",
            value={
                "text": "The talks, which began Thursday, will resume on Oct. 23.",
                "published": "1998-08-07",
            },
            request_only=True,
        )
    ],
)
@api_view(["POST"])
@parser_classes([SafeJSONParser])
@permission_classes([AllowAny])
@throttle_classes([AnonThrottle])  # counted with the rest of the API, in the shared cache
def find_dates_view(request):
    if not isinstance(request.data, dict):
        return Response({"detail": "Send a JSON object with 'text'."}, status=400)
    form = FindDatesRequest(data=request.data)
    if not form.is_valid():
        return Response(form.errors, status=400)
    data = form.validated_data
    published = None
    if data.get("published"):
        try:
            published = dates.parse(data["published"])
        except ValueError as exc:
            return Response({"published": [str(exc)]}, status=400)
    elif data.get("anchor_source"):
        source = Source.objects.filter(pk=data["anchor_source"]).first()
        if source is None:
            return Response({"anchor_source": [f"no source {data['anchor_source']}"]}, status=400)
        published = source.published
    text = data["text"].replace("\r\n", "\n").replace("\r", "\n")
    found = find_dates(text, published)
    return Response({"published": published.as_dict() if published else None, **found.as_json()})


# Mounted by api/urls.py at dates/find/ (``include("api.dates_find")``).
urlpatterns = [path("", find_dates_view, name="api-date-find")]

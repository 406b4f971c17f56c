"""Serializers: the shapes the API reads and writes.

Reading an event: ``EventSerializer`` declares every field (that is what the OpenAPI document is
built from) but its output is the JSON the database builds (``api.event_json``), the one definition
of an event's representation.
Writing an event: ``EventWriteSerializer`` validates the request and hands it to
``timeline.services``; it answers with the read representation.
Parties, places and sources are small and rarely listed in bulk; they use DRF's fields throughout
and are created through the services too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from timeline import quotes, services
from timeline.models import Event, Participation, Party, Place, Source

from .event_json import event_data
from .representation import Links, source_dict

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class StrictTextInput:
    """A JSON number or boolean given for a text field is a 400: DRF's CharField would store 0 as "0"."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and not hasattr(data, "getlist"):  # JSON; form values are all text
            errors = {
                name: [f"must be a string, not {type(data[name]).__name__}"]
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField) and not field.read_only and name in data
                and data[name] is not None and not isinstance(data[name], str)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class ListOnlyRelatedField(serializers.ManyRelatedField):
    """DRF takes any iterable for a many-related field, so ``"places": {}`` passed as an empty list."""

    def to_internal_value(self, data):
        if not isinstance(data, list):  # form data arrives as a list too (get_value reads getlist)
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class SlugRefField(serializers.SlugRelatedField):
    """A related object named by its slug. Text that cannot be a slug is refused before any query
    (PostgreSQL rejects NUL characters in a query parameter with an error, not an empty result)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)
        if self.queryset is not None:
            noun = self.queryset.model._meta.verbose_name
            self.error_messages["does_not_exist"] = f"no {noun} '{{value}}'"

    @classmethod
    def many_init(cls, *args, **kwargs):
        child_kwargs = {k: v for k, v in kwargs.items() if k not in MANY_RELATION_KWARGS}
        list_kwargs = {k: v for k, v in kwargs.items() if k in MANY_RELATION_KWARGS}
        return ListOnlyRelatedField(child_relation=cls(*args, **child_kwargs), **list_kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not SLUG.match(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:100])
        return super().to_internal_value(data)


class NamedChoiceField(serializers.ChoiceField):
    """A choice field documented as its own named enum in the OpenAPI document (EventKind,
    PartyKind…): events, parties and places all have a ``kind`` with different choices, and
    drf-spectacular would otherwise have to invent hash-suffixed names for them."""

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


def drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(serializers.as_serializer_error(exc))


# --- read shapes (documentation of event_json.py's and representation.py's output) --------------


class FuzzyDateSerializer(serializers.Serializer):
    """A fuzzy date: known to lie between ``earliest`` and ``latest`` (inclusive; null = open)."""

    text = serializers.CharField(help_text="As written. A span written as start and end reads 'start – end'.")
    earliest = serializers.DateField(allow_null=True, help_text="First possible day; null when open.")
    latest = serializers.DateField(allow_null=True, help_text="Last possible day; null when open.")
    precision = serializers.ChoiceField(choices=["day", "week", "month", "season", "year", "decade", "century"])
    edtf = serializers.CharField(help_text="Extended Date/Time Format; an interval for a span: '2024-06-15/2024-06-16'.")
    label = serializers.CharField(help_text="In words: 'September 2022', 'c. 2022', '15–16 June 2024'.")
    approximate = serializers.BooleanField()
    uncertain = serializers.BooleanField()


class PartyRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class ParticipantSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = NamedChoiceField(choices=Party.Kind.choices, enum_name="PartyKind")
    role = serializers.ChoiceField(choices=Participation.Role.choices)


class PlaceRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = NamedChoiceField(choices=Place.Kind.choices, enum_name="PlaceKind")


class SourceSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    publisher = PartyRefSerializer(allow_null=True)
    article_url = serializers.CharField(help_text="Where the article was published (may be empty).")
    published = FuzzyDateSerializer(allow_null=True, help_text="Publication date; null when unknown.")
    url = serializers.URLField(help_text="This source in the API.")


class CitationSerializer(serializers.Serializer):
    source = SourceSummarySerializer()
    quote = serializers.CharField(help_text="Verbatim words of the source: source.text[char_start:char_end].")
    char_start = serializers.IntegerField()
    char_end = serializers.IntegerField()
    attributed_to = PartyRefSerializer(allow_null=True, help_text="Who the source says said it.")


class EventRepresentation:
    """An event answers as ``api.event_json`` builds it, from the database (relations included)."""

    def to_representation(self, instance):
        return event_data(instance.pk, links=Links.of(self.context), using=instance._state.db or "default")


class EventSerializer(EventRepresentation, serializers.Serializer):
    """An event as the API returns it."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(read_only=True)
    key = serializers.CharField(read_only=True, help_text="Stable, unique; made from the title and date when not given.")
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    kind = NamedChoiceField(choices=Event.Kind.choices, enum_name="EventKind", read_only=True)
    status = serializers.ChoiceField(choices=Event.Status.choices, read_only=True)
    date = FuzzyDateSerializer(read_only=True)
    anchor_source = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="Source whose publication date resolved a relative date."
    )
    parties = ParticipantSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    places = PlaceRefSerializer(many=True, read_only=True)
    created = serializers.DateTimeField(read_only=True)
    updated = serializers.DateTimeField(read_only=True)



# --- writing events ------------------------------------------------------------------------------


class ParticipationInputSerializer(StrictTextInput, serializers.Serializer):
    party = SlugRefField(queryset=Party.objects.all(), help_text="Party slug, e.g. 'russia'.")
    role = serializers.ChoiceField(choices=Participation.Role.choices, default=Participation.Role.ACTOR)


class CitationInputSerializer(StrictTextInput, serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all(), help_text="Source id.")
    quote = serializers.CharField(trim_whitespace=False, help_text="Exact words of the source text.")
    char_start = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, help_text="Offset of the quote; found when omitted."
    )
    char_end = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    attributed_to = SlugRefField(queryset=Party.objects.all(), required=False, allow_null=True)

    def validate(self, attrs):
        # Checked here as well as in the service so that the error names the citation's index.
        start, end = attrs.get("char_start"), attrs.get("char_end")
        text = attrs["source"].text
        try:
            if start is None or end is None:
                quotes.locate_quote(text=text, quote=attrs["quote"], near=start)
            else:
                quotes.check_quote(text=text, quote=attrs["quote"], char_start=start, char_end=end)
        except DjangoValidationError as exc:
            raise drf_error(exc) from None
        return attrs

    def to_input(self, attrs) -> services.CitationInput:
        return services.CitationInput(
            source=attrs["source"],
            quote=attrs["quote"],
            char_start=attrs.get("char_start"),
            char_end=attrs.get("char_end"),
            attributed_to=attrs.get("attributed_to"),
        )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A month-precision proposal",
            value={
                "title": "The Kremlin makes truce overtures to U.S. officials",
                "date": "September 2022",
                "kind": "proposal",
                "parties": [{"party": "russia", "role": "actor"}],
            },
            request_only=True,
        ),
        OpenApiExample(
            "A span with a quote",
            value={
                "title": "Summit in Switzerland",
                "date": "15 June 2024",
                "end": "16 June 2024",
                "kind": "meeting",
                "citations": [{"source": 1, "quote": "the Swiss peace conference"}],
            },
            request_only=True,
        ),
    ]
)
class EventWriteSerializer(EventRepresentation, StrictTextInput, serializers.Serializer):
    """An event as clients write it: the date as text or EDTF, parties by slug, citations by source id.

    On update (PUT or PATCH) a field left out keeps its value; a list given replaces the current one."""

    title = serializers.CharField(max_length=300, min_length=1)
    summary = serializers.CharField(required=False, allow_blank=True)
    kind = NamedChoiceField(choices=Event.Kind.choices, enum_name="EventKind", required=False)
    status = serializers.ChoiceField(choices=Event.Status.choices, required=False)
    key = serializers.SlugField(
        max_length=150, required=False, allow_null=True, allow_blank=True, help_text="Optional stable identifier."
    )
    date = serializers.CharField(
        max_length=200,
        min_length=1,
        help_text="Text or EDTF: '24 February 2022', 'September 2022', '2023-11?', '15–16 June 2024', "
        "'2022-02-24/2022-03', or a relative phrase with anchor_source: 'November last year'.",
    )
    end = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Optional end of a span, e.g. '16 June 2024'."
    )
    anchor_source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(),
        required=False,
        allow_null=True,
        help_text="Source id whose publication date resolves relative phrases ('next March').",
    )
    parties = ParticipationInputSerializer(many=True, required=False)
    citations = CitationInputSerializer(many=True, required=False)
    places = SlugRefField(many=True, queryset=Place.objects.all(), required=False, help_text="Place slugs.")

    def _service_arguments(self, data: dict) -> dict:
        args = {}
        for name in ("title", "summary", "kind", "status", "date", "end"):
            if name in data:
                args[name] = data[name]
        if "key" in data:
            args["key"] = data["key"] or None
        if "anchor_source" in data:
            args["anchor"] = data["anchor_source"]
        if "parties" in data:
            # Nested defaults are not applied on PATCH (DRF skips defaults in partial updates).
            args["parties"] = [(p["party"], p.get("role", Participation.Role.ACTOR)) for p in data["parties"]]
        if "citations" in data:
            child = self.fields["citations"].child
            args["citations"] = [child.to_input(c) for c in data["citations"]]
        if "places" in data:
            args["places"] = data["places"]
        return args

    def create(self, validated_data):
        validated_data.pop("if_version", None)
        return services.event_create(**self._service_arguments(validated_data))

    def update(self, instance, validated_data):
        # ``if_version``: the versions the request's If-Match allows (api.preconditions), compared
        # by the service on the locked row.
        if_version = validated_data.pop("if_version", None)
        services.event_update(event=instance, if_version=if_version, **self._service_arguments(validated_data))
        return instance  # represented from the database (api.event_json), relations included



# --- parties, places, sources --------------------------------------------------------------------


class PartySerializer(StrictTextInput, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    slug = serializers.SlugField(max_length=100, required=False, help_text="Made from the name when left out.")
    name = serializers.CharField(max_length=200, min_length=1)
    kind = NamedChoiceField(choices=Party.Kind.choices, enum_name="PartyKind")
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    wikidata_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    affiliation = SlugRefField(queryset=Party.objects.all(), required=False, allow_null=True)
    events_url = serializers.SerializerMethodField()
    created = serializers.DateTimeField(read_only=True)
    updated = serializers.DateTimeField(read_only=True)

    def get_url(self, party) -> str:
        return Links.of(self.context).party(party.slug)

    def get_events_url(self, party) -> str:
        return f"{Links.of(self.context).party(party.slug)}events/"

    def create(self, validated_data):
        return services.party_create(**validated_data)


class PlaceSerializer(StrictTextInput, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    slug = serializers.SlugField(max_length=100, required=False, help_text="Made from the name when left out.")
    name = serializers.CharField(max_length=200, min_length=1)
    kind = NamedChoiceField(choices=Place.Kind.choices, enum_name="PlaceKind", required=False)
    parent = SlugRefField(queryset=Place.objects.all(), required=False, allow_null=True)
    created = serializers.DateTimeField(read_only=True)
    updated = serializers.DateTimeField(read_only=True)

    def get_url(self, place) -> str:
        return Links.of(self.context).place(place.slug)

    def create(self, validated_data):
        return services.place_create(**validated_data)


class SourceSerializer(serializers.Serializer):
    """A source as the API returns it, with its full text (quotes are offsets into it)."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="This source in the API.")
    title = serializers.CharField(read_only=True)
    publisher = PartyRefSerializer(allow_null=True, read_only=True)
    via = PartyRefSerializer(allow_null=True, read_only=True, help_text="The outlet it reports via.")
    article_url = serializers.CharField(read_only=True, help_text="Where it was published (may be empty).")
    author = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)
    published = FuzzyDateSerializer(allow_null=True, read_only=True, help_text="Null when unknown.")
    text = serializers.CharField(read_only=True)
    content_hash = serializers.CharField(read_only=True)
    events_url = serializers.URLField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    updated = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance):
        return source_dict(instance, Links.of(self.context))


class SourceWriteSerializer(StrictTextInput, serializers.Serializer):
    """A source as clients store it: publishers by slug, the publication date as text or EDTF."""

    title = serializers.CharField(max_length=300, min_length=1)
    text = serializers.CharField(trim_whitespace=False, min_length=1, help_text="Full text; quotes are checked against it.")
    published = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Publication date as text or EDTF ('2023-12-23', 'late May or early June 2024').",
    )
    publisher = SlugRefField(
        queryset=Party.objects.filter(kind=Party.Kind.MEDIA),
        required=False,
        allow_null=True,
        help_text="Slug of a media party.",
    )
    via = SlugRefField(
        queryset=Party.objects.filter(kind=Party.Kind.MEDIA),
        required=False,
        allow_null=True,
        help_text="Slug of the media party this source reports via.",
    )
    article_url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    author = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = serializers.CharField(max_length=10, required=False)

    def create(self, validated_data):
        if "article_url" in validated_data:
            validated_data["url"] = validated_data.pop("article_url")
        return services.source_create(**validated_data)

    def to_representation(self, instance):
        return source_dict(instance, Links.of(self.context))


# --- the TimelineJS export (documentation of timeline/exports/timelinejs.py's output) ----------------------


class TimelineJSDateSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField(required=False, min_value=1, max_value=12)
    day = serializers.IntegerField(required=False, min_value=1, max_value=31)


class TimelineJSTextSerializer(serializers.Serializer):
    headline = serializers.CharField(help_text="HTML (escaped title).")
    text = serializers.CharField(allow_blank=True, help_text="HTML: summary and source links.")


class TimelineJSSlideSerializer(serializers.Serializer):
    start_date = TimelineJSDateSerializer(help_text="Only the parts the date's precision supports.")
    end_date = TimelineJSDateSerializer(
        required=False,
        help_text="Spans (the end, at its own precision), and seasons, decades and centuries (their last day).",
    )
    display_date = serializers.CharField(help_text="Our label, e.g. 'September 2022'.")
    text = TimelineJSTextSerializer()
    # Not on the one slide of an empty result, which says that nothing matched (timeline.exports.timelinejs).
    group = serializers.CharField(required=False, help_text="The event's kind; absent on the slide saying nothing matched.")
    unique_id = serializers.CharField(help_text="'event-<id>'.")


class TimelineJSTitleSerializer(serializers.Serializer):
    text = TimelineJSTextSerializer()
    unique_id = serializers.CharField(help_text="'title'.")


@extend_schema_serializer(many=False)
class TimelineJSDocumentSerializer(serializers.Serializer):
    """A TimelineJS3 document (https://timeline.knightlab.com/docs/json-format.html)."""

    events = TimelineJSSlideSerializer(
        many=True, help_text="One slide per event; an empty result is one slide saying nothing matched."
    )
    title = TimelineJSTitleSerializer(help_text="What was asked for and how many events matched.")

"""FilterSets: every query parameter of the list endpoints, validated, and the queries they make.

Views name a FilterSet and nothing else; a bad value becomes a 400 naming the parameter (django-filter
raises it through DjangoFilterBackend). The ``examples`` of each FilterSet end up in the OpenAPI
document (see ``api.schema``), so every parameter is documented with a value that works.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError as DRFValidationError

from timeline import selectors
from timeline.fuzzy_columns import PRECISION_CHOICES
from timeline.models import Event, Participation, Party, Place, Source

MAX_ID = 2**63 - 1

# Limits on what one request may ask for (issue 17): past them a 400 names the parameter and the
# limit, and the OpenAPI document gives each as the parameter's maxItems (or in its description). Each
# keeps the worst request's query within a small, fixed shape (tests/test_api_filter_limits.py).
MAX_PARTIES = 10  # ?party= repeated: every party must take part (one grouped subquery whatever the count)
MAX_REFERENCES = 50  # ?source=, ?place=, ?affiliation=, ?parent=, ?publisher= repeated ("any of")
MAX_IDS = 100  # ?id=1,2,3
MAX_SEARCH_WORDS = 20  # ?q=: words (one term each of the tsquery / the FTS5 MATCH)

# Each ordering is unique (the primary key comes last) so keyset pagination can walk it.
ORDERINGS = {
    "date": ("earliest", "latest", "id"),
    "-date": ("-earliest", "-latest", "-id"),
    "updated": ("updated", "id"),
    "-updated": ("-updated", "-id"),
}


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend, plus the filters a view implies by its URL: /parties/russia/events/ is
    /events/?party=russia, with every other filter (``role`` included) meaning what it means there."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        refuse_malformed_parameters(kwargs["data"], self.get_filterset_class(view, queryset))
        implied = view.implied_filters() if hasattr(view, "implied_filters") else {}
        if implied:
            data = kwargs["data"].copy()
            for name, value in implied.items():
                data.appendlist(name, value)
            kwargs["data"] = data
        return kwargs


def max_items(filter_) -> int | None:
    """How many values one request may give a repeatable (or comma-separated) parameter: the
    filter's ``max_items``, or for a choice the number of choices, or ``MAX_REFERENCES``; None for a
    parameter that takes one value."""
    if isinstance(filter_, df.BaseCSVFilter) or issubclass(
        filter_.field_class, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)
    ):
        limit = getattr(filter_, "max_items", None)
        if limit is None and isinstance(filter_, df.MultipleChoiceFilter):
            limit = len(filter_.extra["choices"])
        return limit or MAX_REFERENCES
    return None


def refuse_malformed_parameters(data, filterset_class) -> None:
    """``?start=2022&start=2023`` is a 400 naming ``start`` (a form would silently take the last one),
    and so is an empty value for a parameter that is not free text (``?match=``, ``?kind=``): the
    form would read it as the parameter left out. A repeatable parameter given more values than its
    ``max_items`` is a 400 naming the limit, before any query."""
    if filterset_class is None:
        return
    errors = {}
    for name, filter_ in filterset_class.base_filters.items():
        values = data.getlist(name)
        many = issubclass(filter_.field_class, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)) or isinstance(
            filter_, IntegerInFilter
        )
        limit = max_items(filter_)
        given = sum(len(v.split(",")) for v in values) if isinstance(filter_, df.BaseCSVFilter) else len(values)
        if limit is not None and given > limit:
            errors[name] = [f"give at most {limit} values, not {given}"]
        elif not many and len(values) > 1:
            errors[name] = [f"give one value, not {len(values)}"]
        elif "" in values and not issubclass(filter_.field_class, forms.CharField):
            errors[name] = ["give a value, or leave the parameter out"]
    if errors:
        raise DRFValidationError(errors)


def literal_error(message: str, code: str = "invalid") -> ValidationError:
    """A ValidationError whose message may quote the client's input verbatim: django-filter formats
    every message with ``%``, so a '%' in the input must reach it as a parameter, not as format."""
    return ValidationError("%(message)s", code=code, params={"message": message})


# --- fields that refuse bad input before it reaches the database ---------------------------------


class ReferenceField(forms.ModelMultipleChoiceField):
    """Several related objects by slug or id. Values that cannot name a row are refused before any
    query: PostgreSQL rejects a NUL character with an error rather than an empty result, and an id
    beyond 64 bits overflows."""

    def __init__(self, *, pattern: str, noun: str, **kwargs):
        self.pattern, self.noun = re.compile(pattern), noun
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": f"no {noun} '%(value)s'",
                "invalid_pk_value": f"no {noun} '%(pk)s'",
                "invalid_list": "give one value per parameter",
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):
        # Nothing given: an empty list, which django-filter skips, rather than ``queryset.none()``,
        # which it hands to the filter method (and ``if parties:`` then compiles a query).
        if not value and not self.required:
            return []
        return super().clean(value)

    def _check_values(self, value):
        for item in value:
            if not isinstance(item, str) or not self.pattern.fullmatch(item) or (item.isdigit() and int(item) > MAX_ID):
                raise literal_error(f"no {self.noun} '{str(item)[:100]}'", code="invalid_choice")
        return super()._check_values(value)


class ReferencesFilter(df.ModelMultipleChoiceFilter):
    field_class = ReferenceField

    def get_filter_predicate(self, v):
        return {self.field_name: v}  # the object itself, whatever field named it


def slugs_filter(*, model, noun: str, max_items: int = MAX_REFERENCES, **kwargs) -> ReferencesFilter:
    filter_ = ReferencesFilter(
        queryset=model.objects.all(), to_field_name="slug", pattern=r"[-a-zA-Z0-9_]+", noun=noun, distinct=False, **kwargs
    )
    filter_.max_items = max_items
    return filter_


def ids_filter(*, model, noun: str, max_items: int = MAX_REFERENCES, **kwargs) -> ReferencesFilter:
    filter_ = ReferencesFilter(queryset=model.objects.all(), pattern=r"[0-9]{1,19}", noun=noun, distinct=False, **kwargs)
    filter_.max_items = max_items
    return filter_


class SearchWordsField(forms.CharField):
    """Free text of at most ``max_words`` words: each word is a term of the query it makes."""

    def __init__(self, *, max_words: int, **kwargs):
        self.max_words = max_words
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        words = len(value.split()) if value else 0
        if words > self.max_words:
            raise ValidationError(f"give at most {self.max_words} words, not {words}", code="max_words")
        return value


class SearchWordsFilter(df.CharFilter):
    field_class = SearchWordsField


class SinceField(forms.DateTimeField):
    """An ISO 8601 date-time (a naive one is UTC), refused if it cannot be expressed in UTC."""

    def to_python(self, value):
        if value == "":  # given but empty: a client's mistake, not "no filter" (the parameter left out)
            raise ValidationError("give an ISO 8601 date-time, or leave the parameter out", code="invalid")
        try:
            value = super().to_python(value)
        except ValidationError:
            raise ValidationError(
                "give an ISO 8601 date-time such as 2024-01-31T12:00:00Z or a day such as 2024-01-31, not %(value)r",
                code="invalid", params={"value": str(value)[:50]},
            ) from None
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError("this date-time cannot be expressed in UTC", code="invalid") from None


@extend_schema_field(OpenApiTypes.DATETIME)
class SinceFilter(df.Filter):
    field_class = SinceField


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(df.TypedChoiceFilter):
    """'true' or 'false', and nothing else: django-filter's BooleanFilter ignores a typo silently."""

    def __init__(self, **kwargs):
        super().__init__(choices=[("true", "true"), ("false", "false")], coerce=lambda v: v == "true", **kwargs)


class RepeatedOrCommaSeparated(df.widgets.CSVWidget):
    """``id=1,2`` and ``id=1&id=2`` alike: OpenAPI client generators send an array parameter
    repeated (form, explode), people and the schema's comma-separated style write it with commas.
    Both forms may be mixed; the values are joined in order."""

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        if getlist is not None and len(getlist(name)) > 1:
            return [part for value in getlist(name) for part in value.split(",")]
        return super().value_from_datadict(data, files, name)


class IntegerInFilter(df.BaseInFilter, df.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", RepeatedOrCommaSeparated)
        super().__init__(*args, **kwargs)


class FilterSet(df.FilterSet):
    """django-filter's FilterSet without most of its per-request set-up: it deep-copies every filter
    (querysets included) and builds a new form class for each request, a third of an event page's
    Python time (bench/RESULTS.md). No filter here depends on the request, so the form class is built
    once per FilterSet class, and each request gets shallow copies of the filters bound to it."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset, self.request, self.form_prefix = queryset, request, prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.model, filter_.parent = queryset.model, self
            if base.method is not None:
                filter_.method = base.method  # binds a FilterMethod to this copy, not to the base filter
            self.filters[name] = filter_

    def get_form_class(self):
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            for field in form_class.base_fields.values():
                _name_the_valid_choices(field)
            form_class.base_fields = SharedFields(form_class.base_fields)
            type(self)._form_class = form_class
        return form_class


def _name_the_valid_choices(field) -> None:
    """A choice error lists what is valid ("'foo' is not one of: day, month, year"), not only that
    the value is wrong. Set once, when the FilterSet's form class is built."""
    choices = getattr(field, "choices", None)
    if choices is None or isinstance(field, forms.ModelChoiceField):
        return
    values = [str(value) for value, _ in choices if value not in ("", None)]
    if values:
        field.error_messages = {
            **field.error_messages,
            "invalid_choice": "'%(value)s' is not one of: " + ", ".join(v.replace("%", "%%") for v in values) + ".",
        }


class SharedFields(dict):
    """A filter form's fields, copied shallowly for each form. Django deep-copies a form's fields
    (widgets, validators, choices, querysets) for every form it builds so that a view may change
    them per request; the deep copy was ~0.5 ms of an event page (bench/RESULTS.md). The rule that
    makes sharing safe: nothing may change a filter form's fields or evaluate their querysets
    (``list(field.queryset)`` would keep its rows for the life of the process); Django's own
    validation filters a copy and rendering iterates with ``.iterator()``
    (tests/test_api_page_lifetime.py checks both)."""

    def __deepcopy__(self, memo):
        return {name: copy.copy(field) for name, field in self.items()}


# --- events --------------------------------------------------------------------------------------


class EventFilterForm(forms.Form):
    """Reads the date window once both bounds are known, so "end before start" is one error."""

    window = (None, None)

    def clean(self):
        cleaned = super().clean()
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        try:
            self.window = selectors.date_window(start=cleaned.get("start") or None, end=cleaned.get("end") or None)
        except ValueError as exc:
            bound, _, message = str(exc).partition(": ")
            self.add_error(bound if bound in ("start", "end") else None, literal_error(message or str(exc)))
        return cleaned


class EventFilterSet(FilterSet):
    start = df.CharFilter(
        method="by_window",
        max_length=200,
        help_text="Window start, anything the date parser reads: '2022-09-15', '2022-09', '2022', "
        "'September 2022', EDTF. An imprecise bound widens outward: '2022-09' means from 1 September.",
    )
    end = df.CharFilter(
        method="by_window",
        max_length=200,
        help_text="Window end, read like start. An imprecise bound widens outward: '2022-09' means "
        "through 30 September. Must not be before start.",
    )
    match = df.ChoiceFilter(
        choices=[("overlap", "overlap"), ("within", "within")],
        method="by_window",
        help_text="'overlap' (default): events whose [earliest, latest] overlaps the window. "
        "'within': only events entirely inside it.",
    )
    party = slugs_filter(
        model=Party,
        noun="party",
        field_name="parties",
        method="by_parties",
        max_items=MAX_PARTIES,
        help_text=f"Party slug; repeat for several (at most {MAX_PARTIES}): every party given must take part.",
    )
    role = df.ChoiceFilter(
        choices=Participation.Role.choices,
        field_name="participations__role",
        method="by_role",
        help_text="With party: each party given takes part in this role. Alone: some party does.",
    )
    kind = df.MultipleChoiceFilter(choices=Event.Kind.choices, distinct=False, help_text="Kind; repeat for any of several.")
    status = df.ChoiceFilter(choices=Event.Status.choices, help_text="Editorial status.")
    precision = df.MultipleChoiceFilter(
        choices=PRECISION_CHOICES, distinct=False, help_text="Date precision; repeat for any of several."
    )
    approximate = StrictBooleanFilter(field_name="approximate", help_text="true: only approximate (c.) dates; false: only the others.")
    uncertain = StrictBooleanFilter(field_name="uncertain", help_text="true: only uncertain (?) dates; false: only the others.")
    source = ids_filter(
        model=Source,
        noun="source",
        field_name="sources",
        method="by_sources",
        help_text=f"Source id; repeat for any of several (at most {MAX_REFERENCES}).",
    )
    place = slugs_filter(
        model=Place,
        noun="place",
        field_name="places",
        method="by_places",
        help_text=f"Place slug; repeat for any of several (at most {MAX_REFERENCES}).",
    )
    q = SearchWordsFilter(
        method="by_text",
        max_length=500,
        max_words=MAX_SEARCH_WORDS,
        help_text="Text search over title, summary and cited quotes: every word must occur (English "
        "stemming; stop words such as 'the' are dropped, and a q of stop words only matches nothing); "
        f"\"quoted phrase\", -excluded, or. At most {MAX_SEARCH_WORDS} words and 500 characters.",
    )
    updated_since = SinceFilter(
        method="by_updated_since",
        help_text="Only events created or changed at or after this ISO 8601 date-time (UTC if no offset); "
        "for clients that sync (use with ordering=updated). Deleted events are not reported.",
    )
    id = IntegerInFilter(
        field_name="id", lookup_expr="in", min_value=1, max_value=MAX_ID, help_text=f"Event ids, comma-separated (at most {MAX_IDS})."
    )
    id.max_items = MAX_IDS
    key = df.CharFilter(field_name="key", max_length=150, help_text="An event's stable key.")
    ordering = df.ChoiceFilter(
        choices=[(name, name) for name in ORDERINGS],
        method="order",
        help_text="'date' (default): by (earliest, latest, id); '-date': newest first; 'updated' / "
        "'-updated': by last change, for sync. Every ordering is stable across pages.",
    )

    examples = {
        "start": "2022-09-15",
        "end": "September 2022",
        "match": "within",
        "party": ["russia"],
        "role": "actor",
        "kind": ["proposal"],
        "status": "reviewed",
        "precision": ["month"],
        "approximate": False,
        "uncertain": False,
        "source": [1],
        "place": ["kyiv"],
        "q": "truce",
        "updated_since": "2024-01-01T00:00:00Z",
        "id": [1, 2],
        "key": "russian-invasion-of-ukraine",
        "ordering": "-date",
    }

    # Every Event field is filtered above or left out here for a reason (a test holds us to it).
    covered = {
        "earliest": "start/end/match",
        "latest": "start/end/match",
        "updated": "updated_since",
        "title": "q",
        "summary": "q",
        "search_text": "q",
        "parties": "party",
        "participations": "party/role",
        "sources": "source",
        "citations": "source",
        "places": "place",
    }
    excluded = {
        "version": "a row version for If-Match (the ETag carries it); syncing clients use updated_since",
        "created": "creation order is close to id order; syncing clients use updated_since",
        "date_text": "the date as written; filter on what it means with start/end and precision",
        "end_text": "the end as written; filter on what it means with start/end",
        "date_anchor": "only resolves relative date phrases; the source filter finds events by their sources",
        "edtf": "derived from earliest/latest/precision, which start/end/precision filter",
        "date_label": "derived from earliest/latest/precision, which start/end/precision filter",
    }

    class Meta:
        model = Event
        fields = []
        form = EventFilterForm

    def filter_queryset(self, queryset):
        lo, hi = self.form.window
        match = self.form.cleaned_data.get("match") or "overlap"
        queryset = selectors.events_in_range(start=lo, end=hi, match=match, queryset=queryset)
        return super().filter_queryset(queryset)

    def by_window(self, queryset, name, value):
        return queryset  # applied once for start, end and match together in filter_queryset

    def by_parties(self, queryset, name, parties):
        role = self.form.cleaned_data.get("role") or None
        return selectors.events_for_parties(parties=parties, role=role, queryset=queryset)

    def by_role(self, queryset, name, role):
        if self.form.cleaned_data.get("party"):
            return queryset  # by_parties applies it to each party
        return selectors.events_with_role(role=role, queryset=queryset)

    def by_sources(self, queryset, name, sources):
        return selectors.events_citing(sources=sources, queryset=queryset) if sources else queryset

    def by_places(self, queryset, name, places):
        return selectors.events_at(places=places, queryset=queryset) if places else queryset

    def by_text(self, queryset, name, value):
        return selectors.events_matching(q=value, queryset=queryset)

    def by_updated_since(self, queryset, name, value):
        return selectors.events_updated_since(since=value, queryset=queryset)

    def order(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])


# --- parties, places, sources --------------------------------------------------------------------


class PartyFilterSet(FilterSet):
    kind = df.MultipleChoiceFilter(choices=Party.Kind.choices, distinct=False, help_text="Kind; repeat for any of several.")
    affiliation = slugs_filter(
        model=Party, noun="party", field_name="affiliation", help_text="Slug of the party they belong to."
    )
    q = df.CharFilter(method="by_name", max_length=200, help_text="Part of the name, an alias or the slug.")
    updated_since = SinceFilter(field_name="updated", lookup_expr="gte", help_text="Changed at or after (ISO 8601).")

    examples = {"kind": ["state"], "affiliation": ["ukraine"], "q": "kremlin", "updated_since": "2024-01-01T00:00:00Z"}

    class Meta:
        model = Party
        fields = []

    def by_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value) | Q(aliases__icontains=value))


class PlaceFilterSet(FilterSet):
    kind = df.MultipleChoiceFilter(choices=Place.Kind.choices, distinct=False, help_text="Kind; repeat for any of several.")
    parent = slugs_filter(model=Place, noun="place", field_name="parent", help_text="Slug of the enclosing place.")
    q = df.CharFilter(field_name="name", lookup_expr="icontains", max_length=200, help_text="Part of the name.")

    examples = {"kind": ["city"], "parent": ["ukraine"], "q": "kyiv"}

    class Meta:
        model = Place
        fields = []


class SourceFilterSet(FilterSet):
    publisher = slugs_filter(model=Party, noun="party", field_name="publisher", help_text="Publisher's party slug.")
    language = df.CharFilter(field_name="language", max_length=10, help_text="Language code.")
    q = df.CharFilter(field_name="title", lookup_expr="icontains", max_length=300, help_text="Part of the title.")
    updated_since = SinceFilter(field_name="updated", lookup_expr="gte", help_text="Changed at or after (ISO 8601).")

    examples = {"publisher": ["the-new-york-times"], "language": "en", "q": "ceasefire", "updated_since": "2024-01-01T00:00:00Z"}

    class Meta:
        model = Source
        fields = []

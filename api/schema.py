"""OpenAPI generation tweaks for drf-spectacular.

- Writes take one serializer and answer with another (an event's date is written as text and read as
  an object): ``ApiAutoSchema`` documents the view's ``write_serializer_class`` as the request body
  and its ``serializer_class`` as the response.
- Every operation documents the errors it can answer with (400, 401, 403, 404, 406, 409, 415, 429, 503;
  412/428 where If-Match applies, and 507 for writes), so a client generator and a schema-driven test
  both know them.
- Request bodies are documented as JSON only (``map_parsers``), the API's write format.
- Each export of an event list is an operation of its own (``/api/events.csv``, ``.ics``,
  ``.timelinejs``: ``events_export_csv``…) answering in its one content type, with the list's filters
  and the export's paging; the list documents its JSON page only (its ``?format=`` is told in its
  description), so that a generated client never reads a CSV as a page of JSON.
- Objects with a version (api.preconditions) document their ETag response header and the If-Match
  request header of PUT, PATCH and DELETE.
- Every filter parameter carries the example its FilterSet gives (``ExampleFilterExtension``).
- A GET of a list, an object or an export documents HTTP caching (api.caching): the If-None-Match and
  If-Modified-Since request headers, the 304 response, and the ETag, Last-Modified, Cache-Control
  and Vary response headers.
"""

from __future__ import annotations

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly

from .caching import ConditionalGetMixin
from .filters import max_items

WRITE_METHODS = ("POST", "PUT", "PATCH")

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_FIELD_ERRORS = {
    "type": "object",
    "description": "Each key names the parameter or field that was wrong ('non_field_errors' for the "
    "whole input); its value lists why. Nested input nests the same way.",
    "additionalProperties": {},
    "example": {"start": ["could not understand 'Septembr 2022' as a date"]},
}


def _error(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_CONFLICT = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "constraint": {"type": "string", "description": "The database constraint the change would break."},
        "fields": {"type": "array", "items": {"type": "string"}, "description": "The fields it covers."},
        "retry": {"type": "boolean", "description": "True when the same request may simply be sent again."},
    },
    "required": ["detail"],
}
_ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "The object's version as a strong entity tag."}}

IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="The ETag of the object as you read it (from a GET or from your last write): the change "
    "is made only if the object is still at that version, else 412 Precondition Failed and nothing is "
    "written. `*` asks only that it exists. Required when the server sets API_REQUIRE_IF_MATCH (428 "
    "without it).",
)
ETAG_RESPONSE_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200, 201],
    description="The object's version as a strong entity tag, followed for a reader's cache by the state of what "
    'its representation shows (`"event-12-v3.<state>"`): send it back in If-Match to change or delete it (the '
    "version is compared), or in If-None-Match to read it again only if it changed.",
)

IF_NONE_MATCH_PARAMETER = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="The ETag (or ETags, comma-separated) of the representation you hold: 304 Not Modified, "
    "without a body, while it is still current; else 200 with the new representation and its ETag.",
)
IF_MODIFIED_SINCE_PARAMETER = OpenApiParameter(
    "If-Modified-Since",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="An HTTP date (the Last-Modified you were given): 304 Not Modified when nothing changed "
    "since. Ignored when If-None-Match is sent (which is exact; dates have one-second resolution).",
)
_CACHE_HEADERS = {
    "ETag": {
        "schema": {"type": "string"},
        "description": 'The representation\'s validator: weak for a list or an export (`W/"…"`), strong for an '
        "object. Send it in If-None-Match. It changes whenever anything the representation shows may have "
        "changed (any write to events, parties, sources or places), and differs for readers who see drafts.",
    },
    "Last-Modified": {
        "schema": {"type": "string"},
        "description": "When the data the API shows last changed (an HTTP date). Sent once that change is a "
        "few seconds old.",
    },
    "Cache-Control": {
        "schema": {"type": "string"},
        "description": "The server's API_CACHE_CONTROL for anonymous readers (default `public, no-cache`: a "
        "cache may keep it but must revalidate), API_CACHE_CONTROL_PRIVATE for signed-in ones "
        "(default `private, no-cache`).",
    },
    "Vary": {
        "schema": {"type": "string"},
        "description": "`Accept, Authorization, Cookie`: the representation depends on the media type and "
        "on who reads (drafts are shown to editors only).",
    },
}


_RETRY_AFTER_HEADER = {
    "Retry-After": {"schema": {"type": "integer", "minimum": 0}, "description": "Seconds to wait before retrying."}
}
_LINK_HEADER = {
    "Link": {
        "schema": {"type": "string"},
        "description": 'RFC 8288 links to the neighbouring pages, e.g. `<https://…/api/events/?cursor=…>; rel="next"`: '
        "the same URLs as the body's next and previous (and the only pointer to the rest of a paged export).",
    }
}


_CONTENT_DISPOSITION_HEADER = {
    "Content-Disposition": {
        "schema": {"type": "string"},
        "description": "attachment, with the file's name (`attachment; filename=\"events.csv\"`).",
    }
}


class DocumentedFormatsSchema(AutoSchema):
    """What an operation reads and answers in: request bodies in JSON, the API's write format; each
    export of an event list an operation of its own, in its one content type (``/api/events.csv``:
    a view with ``export_format``, api.urls), and a list its JSON page."""

    def map_parsers(self):
        # The API's write format is JSON. Forms and multipart are read too, for the browsable API's
        # HTML form, but nested parties and citations have no form encoding; documented as well, they
        # made a generated client send every body as multipart (openapi-python-client 0.29 writes one
        # branch per media type of the same model, the last winning, in code that does not import).
        return [media_type for media_type in super().map_parsers() if media_type == "application/json"]

    def _export(self):
        """The renderer of an export operation (a view with ``export_format``: api.urls), else None."""
        wanted = getattr(self.view, "export_format", None)
        if not wanted:
            return None
        return next(r for r in self.view.export_renderers if r.format == wanted)

    def map_renderers(self, attribute):
        # What the operation answers in (its content types, and the `format` parameter drf-spectacular
        # derives from them): an export its own format; a list its JSON, its exports being operations.
        export = self._export()
        if export is not None:
            return [getattr(export, attribute)]
        exports = {getattr(r, attribute) for r in getattr(self.view, "export_renderers", ())}
        return [value for value in super().map_renderers(attribute) if value not in exports]

    def get_operation_id(self):
        export = self._export()
        if export is None:
            return super().get_operation_id()
        return "_".join([*self._list_tokens(export), "export", export.format])

    def get_tags(self):
        export = self._export()
        return self._list_tokens(export)[:1] if export is not None else super().get_tags()

    def _list_tokens(self, export) -> list[str]:
        """The path of the list an export is of, as operation ids spell it: events for events.csv."""
        tokens = [token.replace("-", "_") for token in self._tokenize_path()]
        tokens[-1] = tokens[-1].removesuffix(f".{export.format}")
        return tokens

    def get_summary(self):
        export = self._export()
        return export.summary if export is not None else super().get_summary()

    def get_description(self):
        export = self._export()
        if export is not None:
            listed = self._list_path(export)
            return (
                f"The events of `GET {listed}` (every filter, in the same order) as one file; the same as "
                f"`{listed}?format={export.format}`. See the README's Formats section for the file's columns and fields."
            )
        description = super().get_description()
        exports = getattr(self.view, "export_renderers", ())
        if exports and self.method == "GET" and self._is_list_view():
            formats = "|".join(r.format for r in exports)
            description += (
                f"\n\nThe same list as a file: `?format={formats}` (or an Accept header naming the file's type), "
                "not described here because the answer is not this JSON page. Each file is an operation of its own, "
                "with its content type: `/api/events.csv`, `.ics` and `.timelinejs` (a party's or a source's "
                "events are the `party` or `source` filter of those), which is what a generated client calls."
            )
        return description

    def _list_path(self, export) -> str:
        return self.path.removesuffix(f".{export.format}") + "/"

    def get_override_parameters(self):
        export = self._export()
        return [*super().get_override_parameters(), *(export.parameters if export is not None else ())]

    def _get_response_bodies(self, direction="response"):
        export = self._export()
        if export is None or direction != "response":
            return super()._get_response_bodies(direction)
        ok = self._get_response_for_code(export.response_schema, "200", media_types=[export.media_type])
        if export.disposition:
            ok.setdefault("headers", {}).update(_CONTENT_DISPOSITION_HEADER)
        return {"200": ok}


class ApiAutoSchema(DocumentedFormatsSchema):
    def _conditional(self) -> bool:
        """A detail operation of a viewset with ``ConditionalWritesMixin`` (api.preconditions)."""
        return getattr(self.view, "conditional_writes", False) and (
            "{" in self.path or (self.method == "POST" and self._is_create_operation())
        )

    def _cached(self) -> bool:
        """A GET of a list, an object or an export, validated by api.caching."""
        return (
            self.method == "GET"
            and isinstance(self.view, ConditionalGetMixin)
            and getattr(self.view, "action", None) in self.view.cached_actions
        )

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._cached():
            parameters += [IF_NONE_MATCH_PARAMETER, IF_MODIFIED_SINCE_PARAMETER]
        if self._conditional():
            if self.method in ("PUT", "PATCH", "DELETE"):
                parameters.append(IF_MATCH_PARAMETER)
            if self.method in ("GET", "POST", "PUT", "PATCH"):
                parameters.append(ETAG_RESPONSE_HEADER)
        return parameters

    def get_auth(self):
        auths = super().get_auth()
        # drf-spectacular knows AllowAny and IsAuthenticatedOrReadOnly, not our default permission.
        anonymous_reads = any(isinstance(p, DjangoModelPermissionsOrAnonReadOnly) for p in self.view.get_permissions())
        if anonymous_reads and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_request_serializer(self):
        write = getattr(self.view, "write_serializer_class", None)
        if write is not None and self.method in WRITE_METHODS:
            return write()
        return super().get_request_serializer()

    def get_response_serializers(self):
        if getattr(self.view, "write_serializer_class", None) is not None and self.method in WRITE_METHODS:
            return self.view.serializer_class()
        return super().get_response_serializers()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {
            "400": _error("Bad input: the body names each parameter or field and why.", _FIELD_ERRORS),
            "401": _error("The credentials given are not valid.", _DETAIL),
            "406": _error("No representation matches the Accept header.", _DETAIL),
            "429": _error("Too many anonymous requests; retry after the Retry-After seconds.", _DETAIL),
            "503": _error(
                "The database is unavailable, or the request ran past its time or lock-wait budget "
                "(code: database_unavailable, query_timeout, database_busy); retry after the Retry-After seconds.",
                _DETAIL,
            ),
        }
        if self.method in WRITE_METHODS:
            errors["507"] = _error("The database's disk is full (code: storage_full); retrying will not help.", _DETAIL)
        if self.method in (*WRITE_METHODS, "DELETE"):
            errors["403"] = _error("Authenticated, but without the permission this change needs.", _DETAIL)
        if self.method in WRITE_METHODS:
            errors["415"] = _error("The body is not in a media type this endpoint reads (use JSON).", _DETAIL)
        if "{" in self.path:
            errors["404"] = _error("No such object.", _DETAIL)
        if self.method in (*WRITE_METHODS, "DELETE"):
            errors["409"] = _error(
                "A concurrent change came first: a unique value stored by another request at the same moment, "
                "an object this change refers to deleted meanwhile, or a collision to retry.",
                _CONFLICT,
            )
        if self._conditional() and self.method in ("PUT", "PATCH", "DELETE"):
            errors["412"] = {
                **_error("If-Match named a version the object is no longer at: nothing was written. "
                         "The ETag header gives the current version; read the object again.", _DETAIL),
                "headers": _ETAG_HEADER,
            }
            errors["428"] = _error("If-Match is required by this server (API_REQUIRE_IF_MATCH) and was not sent.", _DETAIL)
        if self._export() is not None:
            del errors["406"]  # an export's path serves its format whatever the Accept header says
        errors["429"]["headers"] = _RETRY_AFTER_HEADER
        errors["503"]["headers"] = _RETRY_AFTER_HEADER
        for code, body in errors.items():
            responses.setdefault(code, body)
        if self.method == "GET" and self._is_list_view() and "200" in responses:
            responses["200"].setdefault("headers", {}).update(_LINK_HEADER)
        if self._cached() and "200" in responses:
            headers = responses["200"].setdefault("headers", {})
            for name, header in _CACHE_HEADERS.items():
                headers.setdefault(name, header)  # an object's ETag keeps its own description
            responses["304"] = {
                "description": "Not Modified: the representation named by If-None-Match (or dated by "
                "If-Modified-Since) is still current. No body; the same validators and caching headers.",
                "headers": _CACHE_HEADERS,
            }
        return responses


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "api.serializers.NamedChoiceField"

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "enum": list(self.target.choices)}


class ExampleFilterExtension(DjangoFilterExtension):
    """django-filter parameters with the example their FilterSet's ``examples`` gives, in words in the
    description ("e.g. russia") and not as the parameter's ``example``: Swagger UI's "Try it out"
    fills every parameter with its example, so pressing *Execute* sent every filter at once (and a
    party the database may not have) instead of asking for the first page of events (issue 18)."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        example = getattr(filterset_class, "examples", {}).get(field_name)
        help_text = filter_field.extra.get("help_text")
        for parameter in parameters:
            # Filters typed with @extend_schema_field lose their help text on the way.
            if help_text and not parameter.get("description"):
                parameter["description"] = str(help_text)
            parameter.pop("example", None)
            if example is not None:
                shown = ",".join(map(str, example)) if isinstance(example, list) else str(example).lower() if isinstance(example, bool) else str(example)
                parameter["description"] = f"{parameter.get('description', '').rstrip()} (e.g. {shown})".strip()
            # The most values a request may give (api.filters.max_items); past it, a 400.
            limit = max_items(filter_field)
            if limit is not None and parameter.get("schema", {}).get("type") == "array":
                parameter["schema"]["maxItems"] = limit
        return parameters

"""Refuse a request whose path, query parameters or form fields contain a NUL character.

No legitimate input holds one, PostgreSQL cannot store or compare it (psycopg raises ``DataError``
for any query with such a parameter: a 500 from ``/?party=%00``, an admin list filter or the
admin's autocomplete), and SQLite would store it. Checking it once here, before any view, covers the
API, the admin and the public pages alike on both databases. JSON bodies are the API parsers'
business (DRF's CharField refuses NUL with a 400 naming the field); file contents are the
importers' (``timeline.json_limits.find_nul``).
"""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.html import escape

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def nul_parameter(request) -> str | None:
    """The name of the first query parameter or form field (name or value) holding a NUL, ``"path"``
    for the path itself, or None."""
    if "\x00" in request.path_info:
        return "path"
    sources = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        sources.append(request.POST)  # parsed as the view would; uploaded files are not looked at
    for params in sources:
        for name, values in params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "\\0")
    return None


class NulCharacterMiddleware:
    """A 400 naming the parameter that holds a NUL character: JSON (``{"<name>": [message]}``, like
    the API's other validation errors) under ``/api/``, a short HTML page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith("/api/")
        try:
            name = nul_parameter(request)
        except (MultiPartParserError, SuspiciousOperation) as exc:
            # A form body that cannot be read is a 400 here as it would be in the view: Django's page
            # for the admin and the pages, JSON (as DRF's parsers would say it) for the API.
            if not api:
                raise
            return JsonResponse({"detail": f"Form parse error - {exc}", "code": "parse_error"}, status=400)
        if name is None:
            return self.get_response(request)
        message = "contains a NUL character (\\0), which no field accepts."
        if api:
            return JsonResponse({name: [message]}, status=400)
        what = "The path" if name == "path" else f"The parameter {name!r}"
        return HttpResponse(
            f"<!doctype html><title>Bad request</title><h1>Bad request (400)</h1><p>{escape(what)} {escape(message)}</p>",
            status=400,
            content_type="text/html; charset=utf-8",
        )

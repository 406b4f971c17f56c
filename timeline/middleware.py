"""Turn a database outage into a clear, retryable 503 instead of a 500 page."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """PostgreSQL stopped, or SQLite still locked after the busy timeout: answer 503 with a JSON body
    and Retry-After. Broken connections are closed so the next request reconnects by itself."""

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.warning("database unavailable: %s", exception)
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
            if conn.connection is not None and not conn.is_usable():
                conn.close()
        response = JsonResponse(
            {"detail": "The database is unavailable; retry shortly.", "code": "database_unavailable"},
            status=503,
        )
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


def allow_request_body(limit: int, *, too_large=None):
    """Let one view take a body of up to ``limit`` bytes instead of ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

    ``too_large(request, length, limit)``, if given, answers a body over ``limit`` instead of the
    JSON 413 (the admin's import page redirects to itself with an error message). Apply it to the
    function the URL pattern calls (outside ``admin_view``): the middleware reads it from there."""

    def decorate(view):
        view.request_body_limit = limit
        view.request_too_large = too_large
        return view

    return decorate


class RequestSizeLimitMiddleware:
    """Refuse a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a 413 from its Content-Length,
    before anything reads it. Django checks the limit only when ``request.body`` is read, but DRF's
    parsers read the stream directly, so without this a JSON body of any size would be buffered.

    A view marked with ``allow_request_body`` (the admin's *Import events*, whose own limit is
    ``exchange.MAX_IMPORT_BYTES``) has its own limit and its own answer to a body over it; the URL is
    resolved only for a body over the default limit, so other requests cost nothing more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse(
                {"detail": "Invalid Content-Length header.", "code": "bad_request"}, status=400
            )
        if limit is not None and length > limit:
            view = _view_for(request)
            limit = getattr(view, "request_body_limit", limit)
            if length > limit:
                too_large = getattr(view, "request_too_large", None)
                if too_large is not None:
                    return too_large(request, length, limit)
                return JsonResponse(
                    {
                        "detail": f"The request body is {length} bytes; the limit is {limit}.",
                        "code": "request_too_large",
                    },
                    status=413,
                )
        return self.get_response(request)


def _view_for(request):
    from django.urls import Resolver404, get_resolver

    try:
        return get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info).func
    except Resolver404:
        return None

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


class RequestSizeLimitMiddleware:
    """Refuse a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a 413 from its Content-Length,
    before anything reads it. Django checks the limit only when ``request.body`` is read, but DRF's
    parsers read the stream directly, so without this a JSON body of any size would be buffered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Invalid Content-Length header.", "code": "bad_request"}, status=400)
        if limit is not None and length > limit:
            return JsonResponse(
                {
                    "detail": f"The request body is {length} bytes; the limit is {limit}.",
                    "code": "request_too_large",
                },
                status=413,
            )
        return self.get_response(request)

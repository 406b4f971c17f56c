"""Every error the API reports is a JSON response naming what was wrong.

Services raise Django's ValidationError (a bad date, a quote that is not in its source, a duplicate
slug); DRF would let it through as a 500. Here it becomes a 400 keyed by field, like a serializer
error. Errors are rendered as JSON even when the request asked for an export format.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from . import caching
from .conflicts import concurrency_exception
from .preconditions import PreconditionFailed
from .renderers import ORJSONRenderer


def database_error_response(exc):
    """A database error as the API answers it (issue 17): a 503 with Retry-After when retrying can
    help (outage, lock wait or statement budget exceeded), a 507 for a full disk and a 400 for a
    query beyond the database's limits, neither with Retry-After (``timeline.db_errors``). None for
    anything else."""
    from django.db import DatabaseError
    from rest_framework.views import set_rollback

    from timeline.middleware import answer_database_error

    if not isinstance(exc, DatabaseError):
        return None
    response = answer_database_error(exc)
    if response is not None:
        set_rollback()
    return response


def exception_handler(exc, context):
    exc = concurrency_exception(exc)  # concurrent writers (issue 17): api/conflicts.py
    database_response = database_error_response(exc)
    if database_response is not None:
        return database_response
    if isinstance(exc, DjangoValidationError):
        detail = as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail)
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if response is not None and isinstance(exc, PreconditionFailed) and exc.etag:
        # The ETag a GET gives now (api.caching), which names the stored version.
        response["ETag"] = caching.object_etag(request, exc.instance) if exc.instance is not None else exc.etag
    if response is not None and getattr(getattr(request, "accepted_renderer", None), "streams", False):
        request.accepted_renderer = ORJSONRenderer()
        request.accepted_media_type = ORJSONRenderer.media_type
    return response

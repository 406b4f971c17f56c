"""Optimistic concurrency as HTTP defines it (RFC 9110 §8.8.3, §13.1.1; RFC 6585 §3): issue 17.

Every event, party and source carries a row version (``timeline.models.Versioned``) that each save
advances. Its entity tag is strong and names the row: ``"event-12-v3"``. A GET of the object, a
create and a change answer with it in ``ETag``; a PUT, PATCH or DELETE with ``If-Match`` is made
only if the object is still at a version listed there (or ``*``: if it exists), else 412 Precondition
Failed with the current ETag, and nothing is written. The comparison is made twice: at once, and
again on the row locked by the service that writes it, so a change that lands in between is not
overwritten. ``API_REQUIRE_IF_MATCH`` (off by default) answers 428 Precondition Required to a
PUT, PATCH or DELETE that sends no If-Match.

The version names the object's own state: its fields and, for an event, its parties, citations and
places. A GET's ETag (and a write's) extends it with the state of what else the representation shows
(``api.caching``: ``"event-12-v3.<state>"``), so that a party renamed gives the events that show it a
new ETag, for readers' caches; If-Match compares the version alone (the part before the dot), since
a write of this object neither depends on nor changes its related objects. ``"event-12-v3"`` alone
is accepted too.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from timeline.services import VersionMismatch

from . import caching

_ENTITY_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')


def etag_for(instance: models.Model) -> str:
    """The object's strong entity tag, quotes included."""
    return f'"{instance._meta.model_name}-{instance.pk}-v{instance.version}"'


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "This API requires If-Match on PUT, PATCH and DELETE: send the ETag of the object you read."
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object was changed since you read it."
    default_code = "precondition_failed"

    def __init__(self, detail=None, *, etag: str | None = None, instance: models.Model | None = None):
        super().__init__(detail)
        self.etag = etag
        self.instance = instance  # the object as stored: the 412 answers with its current ETag


def precondition_failed(exc: VersionMismatch) -> PreconditionFailed:
    return PreconditionFailed(str(exc), etag=etag_for(exc.instance), instance=exc.instance)


def if_match_versions(request, instance: models.Model) -> set[int] | None:
    """The versions an If-Match header allows the write at: None when it allows any (absent, or
    ``*``), else the versions of the strong tags given for this object (a weak tag never matches a
    strong comparison; a tag of another object names no version of this one). 428 when the header is
    absent and ``API_REQUIRE_IF_MATCH`` asks for it."""
    header = request.headers.get("If-Match")
    if header is None:
        if getattr(settings, "API_REQUIRE_IF_MATCH", False):
            raise PreconditionRequired()
        return None
    if header.strip() == "*":
        return None
    prefix = f"{instance._meta.model_name}-{instance.pk}-v"
    versions, position = set(), 0
    # The version, then either the end of the tag or the state a GET added after a dot.
    while position < len(header):
        match = _ENTITY_TAG.match(header, position)
        if match is None or match.end() == position:
            break  # not an entity tag: nothing after it can match
        weak, opaque = match.groups()
        version = opaque[len(prefix):].split(".", 1)[0] if opaque.startswith(prefix) else ""
        if not weak and version.isdigit():
            versions.add(int(version))
        position = match.end()
    return versions


class ConditionalWritesMixin:
    """ETag on the object's responses; If-Match on PUT, PATCH and DELETE. The write serializer's
    ``update`` receives ``if_version`` (the service compares it under the row lock); DELETE goes
    through ``delete_service``."""

    delete_service = None  # e.g. services.event_delete(*, event, if_version)
    conditional_writes = True  # read by api.schema

    def check_preconditions(self, instance) -> set[int] | None:
        versions = if_match_versions(self.request, instance)
        if versions is not None and instance.version not in versions:
            raise precondition_failed(VersionMismatch(instance, versions))
        return versions

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        # 304 Not Modified here when the reader's If-None-Match names it (api.caching).
        etag = self.conditional_object(instance) or etag_for(instance)
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag
        return response

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        etag = caching.object_etag(request, serializer.instance)  # after the write, before its representation
        data = serializer.data
        response = Response(data, status=status.HTTP_201_CREATED, headers=self.get_success_headers(data))
        response["ETag"] = etag
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        # A request that would be refused without its If-Match (a 400) is refused the same with it:
        # RFC 9110 13.2.1 has preconditions evaluated only for a request that would otherwise succeed.
        serializer.is_valid(raise_exception=True)
        versions = self.check_preconditions(instance)
        serializer.save(if_version=versions)
        etag = caching.object_etag(request, serializer.instance)  # after the write, before its representation
        response = Response(serializer.data)
        response["ETag"] = etag
        return response

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        versions = self.check_preconditions(instance)
        self.delete_service(**{instance._meta.model_name: instance, "if_version": versions})
        return Response(status=status.HTTP_204_NO_CONTENT)

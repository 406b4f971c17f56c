"""HTTP caching for readers (issue 19): validators on every GET of the API's lists, objects and
exports, ``304 Not Modified`` to a client or a cache that already holds the representation, and
``Cache-Control`` / ``Vary`` so that a shared cache in front may keep what is public.

**What a validator is made of.** Every write to a table the API shows (events, participations,
citations, an event's places, parties, sources, places) moves the database's change stamp on, by
triggers in the same transaction (``timeline.models.ChangeStamp``, migration 0008). A response's
*state* is a hash of that stamp (generation and time), whether the reader sees drafts
(``selectors.may_see_drafts``), the scheme and host its links are built with, the negotiated media
type and, for a list or an export, the whole URL (filters, ordering, cursor, page size, format, bom).
So the validator changes when anything the representation shows may have changed: a create, an
update, a delete, a party renamed that an event shows, an event reviewed (it enters the anonymous
list). The price is coarseness, not misses: any write changes every validator, and the next request
of each cached representation is answered in full once.

Why a 304 is never stale: the stamp is read *before* the data. A write that commits after the
stamp was read may or may not be in the response, but it moves the stamp, so the response's
validator is never current again. A write the response shows was committed before the data were
read; if it came after the stamp was read, the stamp has moved too (a needless 200 next time, never
a wrong 304). With an equal stamp and the same request, the response is the same function of the
same rows, which is also why a list's or an object's 304 may be answered before its filters are
read: an ETag of ours is only ever made for a request that was answered 200.

- Lists and exports: a weak ETag ``W/"<state>"`` (an iCalendar or TimelineJS file is equivalent,
  not byte-for-byte the same, to what a cache holds: a TimelineJS title slide names the day, which
  is part of its state).
- An event, a party or a source: the strong ETag its writers use with If-Match, extended with the
  state: ``"event-12-v3.<state>"``. If-Match compares the version (``-v3``); the state after the dot
  says which related rows the reader saw (an event's parties' names, its sources' titles), which a
  write of this object neither needs nor changes. A place (no version): the weak state tag.
- ``Last-Modified``: the stamp's time, sent once it is more than ``SETTLE`` old (HTTP dates have
  one-second resolution, and a write is timed when it is made, not when it commits). The weaker
  validator: If-None-Match, exact, takes precedence over If-Modified-Since.
- ``Cache-Control``: ``API_CACHE_CONTROL`` for anonymous readers (default ``public, no-cache``: a
  cache may keep it and asks us each time, which a 304 answers for one primary-key read),
  ``API_CACHE_CONTROL_PRIVATE`` for signed-in ones. ``Vary: Accept, Authorization, Cookie``.

The browsable API (HTML) is left out: it shows who is signed in and a CSRF token.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from timeline import selectors

# Change it when a representation changes shape, so that what caches hold from before a deployment
# is not validated by the next one (API_ETAG_SALT does the same from the environment).
REPRESENTATION_VERSION = "1"
CACHED_ACTIONS = ("list", "retrieve")
VARY = ("Accept", "Authorization", "Cookie")
# Last-Modified is sent only for a stamp at least this old (see the module's docstring).
SETTLE = timedelta(seconds=2)
# Formats whose content names the day they are made (TimelineJS's "nothing matched" slide).
DATED_FORMATS = {"timelinejs"}
_ENTITY_TAG = re.compile(r'\s*(?:W/)?"([^"]*)"\s*(?:,|$)')


@dataclass(frozen=True)
class Validators:
    """What one GET's response is validated by (``state``) and dated with; ``private`` for a
    signed-in reader."""

    state: str
    changed: datetime | None
    private: bool

    @property
    def list_etag(self) -> str:
        return f'W/"{self.state}"'

    def object_state(self, model_name: str, pk) -> str:
        """The state for one object: also names it, so that no object's tag validates another's."""
        return hashlib.blake2b(f"{self.state}\x1f{model_name}\x1f{pk}".encode(), digest_size=12).hexdigest()

    def object_etag(self, instance) -> str:
        """An object's strong ETag: the version its writers' If-Match checks, then the state."""
        name = instance._meta.model_name
        return f'"{name}-{instance.pk}-v{instance.version}.{self.object_state(name, instance.pk)}"'

    @property
    def last_modified(self) -> str | None:
        if self.changed is None or timezone.now() - self.changed < SETTLE:
            return None
        return http_date(self.changed.timestamp())


def not_modified_response() -> StreamingHttpResponse:
    """An empty 304. Streamed (of nothing) only so that Django's CommonMiddleware does not give it
    ``Content-Length: 0``: in a 304 that field may only repeat the length of the 200 (RFC 9110 8.6),
    and a cache that copies it into what it stored would truncate the stored body."""
    response = StreamingHttpResponse((), status=304)
    del response["Content-Type"]
    return response


class NotModified(Exception):
    """Raised to answer 304 (``ConditionalGetMixin.handle_exception``)."""

    def __init__(self, etag: str):
        super().__init__(etag)
        self.etag = etag


def validators_for(request, *, whole_url: bool, using: str | None = None) -> Validators | None:
    """The validators of the answer to a GET of ``request``'s URL, or None for the browsable API
    (not cached). ``whole_url``: the state names the URL with its query (a list, an export, an
    object without a version); else only the scheme and host (an object's ETag names the object).
    Reads the change stamp: call it before reading the data."""
    media_type = getattr(request, "accepted_media_type", "") or ""
    if media_type.startswith("text/html"):
        return None
    generation, changed = selectors.change_stamp(using=using)
    drafts = selectors.may_see_drafts(request.user)
    renderer_format = getattr(getattr(request, "accepted_renderer", None), "format", "")
    parts = [
        REPRESENTATION_VERSION,
        getattr(settings, "API_ETAG_SALT", ""),
        str(generation),
        changed.isoformat() if changed else "",
        "drafts" if drafts else "reviewed",
        media_type,
        request.build_absolute_uri() if whole_url else request.build_absolute_uri("/"),
        timezone.now().date().isoformat() if renderer_format in DATED_FORMATS else "",
    ]
    state = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
    return Validators(state=state, changed=changed, private=bool(request.user and request.user.is_authenticated))


def object_etag(request, instance) -> str:
    """The ETag a GET of ``instance`` answers with now (for a create's, a change's or a 412's
    answer): call it after the write and before the representation is read."""
    validators = validators_for(request, whole_url=False, using=instance._state.db)
    if validators is None:
        return f'"{instance._meta.model_name}-{instance.pk}-v{instance.version}"'
    return validators.object_etag(instance)


def _tags(request) -> list[str]:
    """The opaque parts of the entity tags If-None-Match names (weak or strong alike)."""
    header, tags, position = request.headers.get("If-None-Match", ""), [], 0
    while position < len(header):
        match = _ENTITY_TAG.match(header, position)
        if match is None or match.end() == position:
            break
        tags.append(match.group(1))
        position = match.end()
    return tags


def unchanged_object_etag(request, validators: Validators, *, model_name: str, pk: str) -> str | None:
    """The tag of If-None-Match that names object ``pk`` at the current state, if any: then the
    object is still at the version the tag names (any write since would have changed the state), and
    it can be answered 304 without reading it."""
    prefix, suffix = f"{model_name}-{pk}-v", f".{validators.object_state(model_name, pk)}"
    for opaque in _tags(request):
        if opaque.startswith(prefix) and opaque.endswith(suffix) and opaque[len(prefix):-len(suffix)].isdigit():
            return f'"{opaque}"'
    return None


def none_match(request, etag: str) -> bool:
    """Whether If-None-Match names ``etag`` (weak comparison, RFC 9110 13.1.2). ``*`` is answered
    after the response is made, when it is known that there is one."""
    return bool(etag) and _opaque(etag) in _tags(request)


def _opaque(etag: str) -> str:
    return etag.removeprefix("W/").strip('"')


def unmodified_since(request, validators: Validators) -> bool:
    """If-Modified-Since satisfied (nothing changed since): only without If-None-Match."""
    if "If-None-Match" in request.headers:
        return False
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    last_modified = validators.last_modified
    return since is not None and last_modified is not None and parse_http_date_safe(last_modified) <= since


def set_headers(response, validators: Validators, *, etag: str | None = None) -> None:
    if etag and not response.has_header("ETag"):
        response["ETag"] = etag
    if validators.last_modified:
        response["Last-Modified"] = validators.last_modified
    response["Cache-Control"] = (
        settings.API_CACHE_CONTROL_PRIVATE if validators.private else settings.API_CACHE_CONTROL
    )
    patch_vary_headers(response, VARY)


class ConditionalGetMixin:
    """ETag, Last-Modified, Cache-Control and Vary on a viewset's GET of a list, an object or an
    export, and 304 Not Modified when the client's If-None-Match (or If-Modified-Since) still holds.

    A list's 304 is answered before its rows are read (one primary-key read in all), and so is an
    object's looked up by its primary key (events, sources); one looked up by slug (parties) after
    it is found (``conditional_object``), before its representation is built. A 304
    of an export is not counted by the export throttle (it costs no file), only by the request one."""

    # The actions validated; a viewset with an export action of its own adds it here (its URL, query
    # and format are in its validators like a list's).
    cached_actions = CACHED_ACTIONS
    http_validators: Validators | None = None
    _revalidating: str | None = None  # the ETag of a 304 found before the throttles

    def check_throttles(self, request):
        if request.method in ("GET", "HEAD") and getattr(self, "action", None) in self.cached_actions:
            # An object with a version is named by its ETag's prefix; a list or another object by its URL.
            whole_url = self.action != "retrieve" or not getattr(self, "conditional_writes", False)
            self.http_validators = validators_for(request, whole_url=whole_url)
            if self.http_validators is not None and "If-None-Match" in request.headers:
                self._revalidating = self._unchanged_etag(request)
        super().check_throttles(request)
        if self._revalidating:
            raise NotModified(self._revalidating)

    def _unchanged_etag(self, request) -> str | None:
        """The ETag If-None-Match names that is still current, found without reading any row: a
        list's (or an unversioned object's), or an object's looked up by its primary key."""
        validators = self.http_validators
        if self.action != "retrieve" or not getattr(self, "conditional_writes", False):
            return validators.list_etag if none_match(request, validators.list_etag) else None
        lookup = self.lookup_url_kwarg or self.lookup_field
        if self.lookup_field not in ("pk", "id") or lookup not in self.kwargs:
            return None  # by slug: the object is read first (conditional_object)
        model_name = self.queryset.model._meta.model_name
        return unchanged_object_etag(request, validators, model_name=model_name, pk=self.kwargs[lookup])

    def get_throttles(self):
        throttles = super().get_throttles()
        if self._revalidating:
            return [throttle for throttle in throttles if getattr(throttle, "scope", "") != "export"]
        return throttles

    def conditional_object(self, instance) -> str | None:
        """For ``retrieve``: the object's ETag; NotModified when If-None-Match names it."""
        if self.http_validators is None or not hasattr(instance, "version"):
            return None
        etag = self.http_validators.object_etag(instance)
        if none_match(self.request, etag):
            raise NotModified(etag)
        return etag

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            response = not_modified_response()
            response["ETag"] = exc.etag
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        validators = self.http_validators
        if validators is None or response.status_code not in (200, 304):
            return response
        set_headers(response, validators, etag=validators.list_etag)
        if response.status_code == 200 and (
            request.headers.get("If-None-Match", "").strip() == "*"
            or none_match(request, response["ETag"])
            or unmodified_since(request, validators)
        ):
            # (An export's rows, read as it streams, are then never read.)
            not_modified = not_modified_response()
            for header in ("ETag", "Last-Modified", "Cache-Control", "Vary", "Allow"):
                if response.has_header(header):
                    not_modified[header] = response[header]
            return not_modified
        return response

"""Who a client is, and how often it may ask (issue 17).

- ``client_ip``: the address a request came from. X-Forwarded-For is believed only as far as
  ``TRUSTED_PROXY_COUNT`` proxies of ours stand in front (0, the default: REMOTE_ADDR alone); a client
  that writes its own header cannot become someone new on every request. DRF's throttles
  (``NUM_PROXIES``) and django-axes (``AXES_CLIENT_IP_CALLABLE``) both use this one reading.
- Throttle state lives in the ``throttle`` cache, shared by every worker: files on one host, or Redis
  (``SHARED_CACHE_URL``) shared by several (a per-process memory cache let each worker count alone,
  and a flood of made-up identities evicted everyone's counts).
- Exports (``/api/events.csv``, ``.ics``, ``.timelinejs``, or ``?format=`` on a list) and the public
  timeline page cost far more than a page of JSON: anonymous clients get their own, lower rates for
  them (``API_EXPORT_RATE``, ``PUBLIC_PAGE_RATE``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from rest_framework.throttling import AnonRateThrottle

from timeline import shared_cache

THROTTLE_CACHE = "throttle"


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or, behind ``TRUSTED_PROXY_COUNT`` proxies, the address the outermost of them
    saw: the TRUSTED_PROXY_COUNT-th entry of X-Forwarded-For from the right (what DRF reads with
    ``NUM_PROXIES``). Entries further left were written by the client and are ignored."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(count, len(addresses))]
    return request.META.get("REMOTE_ADDR")


class SharedCacheThrottle:
    """Counts in the cache every worker shares (files in THROTTLE_CACHE_DIR, or Redis at
    SHARED_CACHE_URL). A cache that cannot be written (THROTTLE_CACHE_DIR missing its permissions, a
    full disk, Redis down) lets requests through and says so in the log: the site stays up,
    unthrottled, rather than answering every anonymous request with a 500, and is not tried again
    for a few seconds (``timeline.shared_cache``): a Redis that hangs costs one request its timeout."""

    @property
    def cache(self):
        return caches[THROTTLE_CACHE]

    def allow_request(self, request, view):
        if not shared_cache.usable(THROTTLE_CACHE):
            return True
        try:
            return super().allow_request(request, view)
        except shared_cache.CACHE_ERRORS as exc:
            shared_cache.failed(THROTTLE_CACHE, exc, meanwhile="requests are let through unthrottled")
            return True

    def get_ident(self, request):
        return client_ip(request)


class AnonThrottle(SharedCacheThrottle, AnonRateThrottle):
    """Every anonymous API request: ``API_ANON_RATE``."""

    scope = "anon"


class AnonExportThrottle(SharedCacheThrottle, AnonRateThrottle):
    """Anonymous exports (CSV, iCalendar, TimelineJS): ``API_EXPORT_RATE``, counted apart."""

    scope = "export"

    def allow_request(self, request, view):
        if not getattr(getattr(request, "accepted_renderer", None), "streams", False):
            return True
        return super().allow_request(request, view)


class PublicPageThrottle(SharedCacheThrottle, AnonRateThrottle):
    """Anonymous reads of the public timeline page: ``PUBLIC_PAGE_RATE``."""

    scope = "public_page"


def throttle_public_page(view):
    """A plain Django view, throttled like the API: a 429 with Retry-After past the rate."""

    def throttled(request, *args, **kwargs):
        throttle = PublicPageThrottle()
        if not throttle.allow_request(request, None):
            wait = throttle.wait()
            response = HttpResponse(
                "Too many requests for the timeline page; wait a little, or use the API for bulk reads.\n",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            if wait is not None:
                response["Retry-After"] = str(max(1, int(wait)))
            return response
        return view(request, *args, **kwargs)

    throttled.__name__, throttled.__doc__ = view.__name__, view.__doc__
    return throttled

"""The caches every worker shares (the throttle's counts, the replica pins): files on one host, or
Redis for several (``SHARED_CACHE_URL``, timeline/settings.py).

Neither is allowed to take the site down. A call that fails (a full disk, Redis down or slow past its
socket timeout) marks that cache unusable for ``RETRY_SECONDS`` and logs it once: meanwhile each
caller does what is safe without it (the throttle lets requests through; a token's reads go to the
primary) without trying again, so a Redis that stops answering costs one request its timeout, not
every request. The mark is kept per cache configuration, so a cache moved elsewhere (a test's own
directory) starts fresh.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from redis.exceptions import RedisError

# What a cache call raises when its store is unusable: the file cache's OSError, redis-py's errors.
CACHE_ERRORS = (OSError, RedisError)
RETRY_SECONDS = 5.0

logger = logging.getLogger(__name__)
_down_until: dict[tuple, float] = {}


def _key(alias: str) -> tuple:
    config = settings.CACHES[alias]
    return alias, config.get("BACKEND"), str(config.get("LOCATION"))


def usable(alias: str) -> bool:
    """False for ``RETRY_SECONDS`` after a call to this cache failed."""
    return _down_until.get(_key(alias), 0.0) <= time.monotonic()


def failed(alias: str, exc: BaseException, *, meanwhile: str) -> None:
    """Mark the cache unusable for ``RETRY_SECONDS`` and log it (once a period, not once a request)."""
    _down_until[_key(alias)] = time.monotonic() + RETRY_SECONDS
    logger.error("%s cache unusable (%s); for the next %g s %s", alias, exc, RETRY_SECONDS, meanwhile)

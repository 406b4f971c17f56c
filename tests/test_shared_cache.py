"""Issue 19, scaling out: with SHARED_CACHE_URL the throttle's counts and the replica pins live in
Redis, so every host's workers count together and a token's write pins its next reads to the primary
whichever host serves them. A throwaway redis-server on a Unix socket of its own (no port to clash
with), never the machine's; a Redis that is down lets requests through, to the primary, and logs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory
from redis.exceptions import TimeoutError as RedisTimeoutError

from api.throttling import AnonExportThrottle, AnonThrottle, PublicPageThrottle
from timeline import db_router, shared_cache
from timeline.settings import shared_cache_config

from .pg_throwaway import require

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    require(Path(REDIS_SERVER).exists(), "redis-server is not installed ('make redis' or apt-get install redis-server)")
    directory = tmp_path_factory.mktemp("redis")
    socket = directory / "redis.sock"
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
         "--save", "", "--appendonly", "no", "--dir", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.05)
        assert socket.exists(), "the throwaway redis-server did not open its socket"
        yield f"unix://{socket}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _redis_caches(settings, url: str) -> None:
    """The caches as settings.py builds them with SHARED_CACHE_URL."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": shared_cache_config(url=url, prefix="throttle", directory="unused"),
        "replica_pins": shared_cache_config(url=url, prefix="replica-pins", directory="unused"),
    }


def _another_host(settings, name: str) -> RedisCache:
    """A cache client of its own on the same Redis: what another host's worker would open."""
    params = dict(settings.CACHES[name])
    return RedisCache(params.pop("LOCATION"), {k: v for k, v in params.items() if k != "BACKEND"})


@pytest.fixture
def rates(monkeypatch):
    merged = {"anon": "3/minute", "export": "100/minute", "public_page": "100/minute"}
    for throttle in (AnonThrottle, AnonExportThrottle, PublicPageThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", merged)


def test_with_a_shared_cache_every_host_counts_a_client_together(api_client, settings, redis_url, rates):
    _redis_caches(settings, redis_url)
    assert settings.CACHES["throttle"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    other = _another_host(settings, "throttle")
    other.clear()
    assert [api_client.get("/api/parties/").status_code for _ in range(2)] == [200, 200]
    key = AnonThrottle.cache_format % {"scope": "anon", "ident": "127.0.0.1"}
    assert len(other.get(key)) == 2  # another host sees this host's two requests
    # ... and adds its own: the client's third request anywhere is its last within the rate.
    other.set(key, [time.time(), *other.get(key)], 60)
    assert api_client.get("/api/parties/").status_code == 429


def test_a_tokens_write_pins_its_reads_to_the_primary_on_every_host(settings, redis_url):
    _redis_caches(settings, redis_url)
    request = RequestFactory().post("/api/events/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    db_router.remember_write(request, response=None)
    key = db_router._token_key(request)
    assert _another_host(settings, "replica_pins").get(key) is True  # expires by Redis's clock, not a host's
    reader = RequestFactory().get("/api/events/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert db_router.wrote_recently(reader)
    stranger = RequestFactory().get("/api/events/", HTTP_AUTHORIZATION="Token fedcba9876543210")
    assert not db_router.wrote_recently(stranger)


def test_a_redis_that_is_down_lets_requests_through_to_the_primary_and_logs_it(api_client, settings, tmp_path,
                                                                              rates, caplog):
    _redis_caches(settings, f"unix://{tmp_path / 'no-redis-here.sock'}")
    assert [api_client.get("/api/parties/").status_code for _ in range(4)] == [200] * 4  # unthrottled, no 500
    assert "throttle cache unusable" in caplog.text and "let through unthrottled" in caplog.text
    token = {"HTTP_AUTHORIZATION": "Token 0123456789abcdef"}
    db_router.remember_write(RequestFactory().post("/api/events/", **token), response=None)  # no exception
    assert "replica_pins cache unusable" in caplog.text and "reads go to the primary" in caplog.text
    assert db_router.wrote_recently(RequestFactory().get("/api/events/", **token))  # the primary: never stale


def test_a_failing_shared_cache_is_tried_once_then_left_alone_for_a_few_seconds(api_client, settings, tmp_path,
                                                                                rates, caplog, monkeypatch):
    """A Redis that hangs costs one request its socket timeout, not every request: after a failure
    the throttle and the pins are not tried again for RETRY_SECONDS, and the log says it once."""
    _redis_caches(settings, f"unix://{tmp_path / 'hanging.sock'}")
    calls = []

    def hanging(*args, **kwargs):
        calls.append(args)
        raise RedisTimeoutError("Timeout reading from socket")

    monkeypatch.setattr(caches["throttle"], "get", hanging)
    monkeypatch.setattr(caches["replica_pins"], "get", hanging)
    assert [api_client.get("/api/parties/").status_code for _ in range(5)] == [200] * 5
    token = RequestFactory().get("/api/events/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert [db_router.wrote_recently(token) for _ in range(3)] == [True] * 3
    assert len(calls) == 2  # one for the throttle, one for the pins
    assert caplog.text.count("cache unusable") == 2
    monkeypatch.setattr(shared_cache, "RETRY_SECONDS", 0.0)  # the period over: tried again
    shared_cache._down_until.clear()
    api_client.get("/api/parties/")
    assert len(calls) == 3


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("memcached://127.0.0.1:11211", "must be a Redis URL"),
        ("redis://cache-a:6379/0,redis://cache-b:6379/0", "one Redis server, not several"),
        ("redis://:s3cret@cache:notaport/0", "not a usable Redis URL"),
    ],
)
def test_a_shared_cache_url_that_cannot_work_stops_the_start_naming_it_without_its_password(url, says):
    run = subprocess.run(
        [sys.executable, "-c", "import timeline.settings"],
        cwd=ROOT, env={**os.environ, "SHARED_CACHE_URL": url}, capture_output=True, text=True,
    )
    assert run.returncode != 0
    assert says in run.stderr and "ImproperlyConfigured" in run.stderr
    assert "s3cret" not in run.stderr

"""Issue 19: the replica router's decisions, on either database (a replica alias named, never
connected: whether it answers is tests/test_db_replicas.py's concern, against a real one)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from timeline import db_router
from timeline.models import Event


@pytest.fixture
def replicas(settings, monkeypatch):
    settings.DATABASE_REPLICAS = ["replica1", "replica2"]
    settings.DATABASE_ROUTERS = ["timeline.db_router.PrimaryReplicaRouter"]
    monkeypatch.setattr(db_router, "usable", lambda alias: alias == "replica2")  # replica1 is down
    return settings


def _in_request(method="GET", **meta):
    """Runs the routing middleware around a view that reports where its queries would go."""
    seen = {}

    def view(request):
        from django.http import HttpResponse

        seen["events"] = [Event.objects.all().db, Event.objects.filter(pk=1).db]
        seen["locked"] = Event.objects.select_for_update().db
        seen["tokens"] = Token.objects.all().db
        return HttpResponse()

    request = getattr(RequestFactory(), method.lower())("/api/events/", **meta)
    db_router.ReplicaRoutingMiddleware(view)(request)
    return seen


def test_a_get_reads_one_replica_that_answers_for_all_its_queries(replicas):
    seen = _in_request()
    assert seen["events"] == ["replica2", "replica2"]


def test_locks_tokens_and_sessions_and_commands_read_the_primary(replicas):
    seen = _in_request()
    assert seen["locked"] == "default"  # select_for_update is a write
    assert seen["tokens"] == "default"  # a revoked token is revoked at once
    assert Event.objects.all().db == "default"  # outside a request: a command, the shell


def test_a_request_that_may_write_reads_the_primary_throughout(replicas):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert _in_request(method)["events"] == ["default", "default"]


def test_reads_inside_a_transaction_go_to_the_primary(replicas, db):
    # pytest-django's db fixture runs the test inside a transaction on the primary.
    assert _in_request()["events"] == ["default", "default"]


def test_a_client_that_wrote_recently_reads_the_primary(replicas):
    from django.core.signing import get_cookie_signer

    signed = get_cookie_signer(salt=db_router.PIN_COOKIE + db_router.PIN_SALT).sign("1")
    assert _in_request(HTTP_COOKIE=f"{db_router.PIN_COOKIE}={signed}")["events"] == ["default", "default"]
    assert _in_request(HTTP_COOKIE=f"{db_router.PIN_COOKIE}=1")["events"] == ["replica2", "replica2"]


def test_migrations_run_on_the_primary_only():
    router = db_router.PrimaryReplicaRouter()
    assert router.allow_migrate("default", "timeline") is True
    assert router.allow_migrate("replica1", "timeline") is False


def _settings_with(monkeypatch, **env) -> dict:
    import runpy
    from pathlib import Path

    monkeypatch.delenv("DJANGO_ENV", raising=False)
    for name in ("DATABASE_REPLICA_URLS", "DATABASE_POOLER", "PG_PREPARE_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(db_router.__file__).with_name("settings.py")))


def test_without_replica_urls_nothing_is_routed(monkeypatch):
    names = _settings_with(monkeypatch, DATABASE_URL="postgres://postgres@127.0.0.1:5432/timeline")
    assert list(names["DATABASES"]) == ["default"]
    assert names["DATABASE_ROUTERS"] == []
    assert "timeline.db_router.ReplicaRoutingMiddleware" not in names["MIDDLEWARE"]


def test_replica_urls_become_aliases_that_fail_fast_and_mirror_the_primary_in_tests(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    names = _settings_with(
        monkeypatch,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/timeline",
        DATABASE_REPLICA_URLS="postgres://r@10.0.0.2:5432/timeline, postgres://r@10.0.0.3:5432/timeline",
    )
    assert names["DATABASE_REPLICAS"] == ["replica1", "replica2"]
    replica = names["DATABASES"]["replica2"]
    assert (replica["HOST"], replica["OPTIONS"]["connect_timeout"], replica["CONN_HEALTH_CHECKS"]) == ("10.0.0.3", 2, True)
    assert replica["TEST"] == {"MIRROR": "default"}
    assert names["DATABASE_ROUTERS"] == ["timeline.db_router.PrimaryReplicaRouter"]
    assert "timeline.db_router.ReplicaRoutingMiddleware" in names["MIDDLEWARE"]
    with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URLS"):
        _settings_with(monkeypatch, DATABASE_URL="sqlite:///x.sqlite3", DATABASE_REPLICA_URLS="postgres://r@h/timeline")


class _Replica:
    """A replica connection whose lag query answers ``lag`` (or raises it, if an exception)."""

    def __init__(self, lag):
        self.lag, self.reads = lag, 0

    def cursor(self):
        replica = self

        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, sql):
                assert sql == db_router.REPLICA_LAG_SQL
                replica.reads += 1
                if isinstance(replica.lag, Exception):
                    raise replica.lag

            def fetchone(self):
                return (replica.lag,)

        return Cursor()


@pytest.fixture
def lag_of(settings, monkeypatch):
    """Sets what the replica's lag query answers; the bound is 30 s."""
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 30
    monkeypatch.setattr(db_router, "_lag_read", {})

    def answer(lag):
        replica = _Replica(lag)
        monkeypatch.setattr(db_router, "connections", {"replica1": replica})
        db_router._lag_read.clear()
        return replica

    return answer


@pytest.mark.parametrize(
    ("lag", "read"),
    [(0, True), (29.5, True), (30.5, False), (None, False), (DatabaseError("replica gone"), False)],
    ids=["caught-up", "within", "beyond", "not-streaming", "no-answer"],
)
def test_a_replica_is_read_only_within_the_lag_bound(lag_of, lag, read):
    from decimal import Decimal

    lag_of(Decimal(str(lag)) if isinstance(lag, float | int) else lag)  # psycopg reads EXTRACT as Decimal
    assert db_router.within_lag("replica1") is read


def test_the_lag_is_read_at_most_once_a_second(lag_of, monkeypatch):
    replica = lag_of(1)
    clock = [100.0]
    monkeypatch.setattr(db_router.time, "monotonic", lambda: clock[0])
    assert db_router.within_lag("replica1") and db_router.within_lag("replica1")
    assert replica.reads == 1
    clock[0] += db_router.LAG_READ_EVERY
    replica.lag = 31
    assert not db_router.within_lag("replica1")
    assert replica.reads == 2


def test_no_bound_reads_no_lag(lag_of, settings):
    replica = lag_of(10_000)
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0
    assert db_router.within_lag("replica1") and replica.reads == 0

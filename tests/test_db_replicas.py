"""Issue 19: read replicas, against a real streaming replica. A throwaway primary (tests/pg_throwaway.py)
and a replica of it made with pg_basebackup, a gunicorn server with DATABASE_REPLICA_URLS naming the
replica. Replay is paused on the replica (pg_wal_replay_pause) to make lag on demand: a row written
since is on the primary only, so whether a reader sees it says which database answered."""

from __future__ import annotations

import http.client
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.pg_throwaway import (
    DATABASE,
    EDITOR,
    PASSWORD,
    PG_BIN,
    Cluster,
    free_port,
    request,
    require,
    server,
)

pytestmark = pytest.mark.postgres_only

STICKY_SECONDS = 2
RETRY_SECONDS = 1


@dataclass
class Replicated:
    primary: Cluster
    replica: Cluster
    host: str
    port: int
    token: str

    def rows(self, cluster: Cluster, event_id: int) -> int:
        return int(cluster.sql(f"SELECT count(*) FROM timeline_event WHERE id = {int(event_id)}", DATABASE))

    def get(self, path: str, headers=None) -> int:
        return request(self.host, self.port, "GET", path, headers=headers)[0]

    def write(self, title: str, headers=None) -> tuple[int, dict]:
        headers = headers or {"Authorization": f"Token {self.token}"}
        status, hdrs, body = request(self.host, self.port, "POST", "/api/events/", {"title": title, "date": "2024-06"}, headers)
        assert status == 201, body
        return body["id"], hdrs


def _make_replica(primary, port: int) -> Cluster:
    replica = primary.cluster.replica(primary.directory / "replica", port)
    replica.start()
    assert replica.sql("SELECT pg_is_in_recovery()") == "t"
    return replica


def _env(primary, replica_port: int, *, max_lag: float) -> dict[str, str]:
    return {
        "DATABASE_REPLICA_URLS": f"postgres://postgres@127.0.0.1:{replica_port}/{DATABASE}",
        "DATABASE_REPLICA_STICKY_SECONDS": str(STICKY_SECONDS),
        "DATABASE_REPLICA_RETRY_SECONDS": str(RETRY_SECONDS),
        "DATABASE_REPLICA_MAX_LAG_SECONDS": str(max_lag),
        "THROTTLE_CACHE_DIR": str(primary.directory / "caches"),
        "TIMELINE_PUBLIC_DRAFTS": "1",
        "API_ANON_RATE": "100000/minute",
    }


@pytest.fixture(scope="module")
def replicated(throwaway_primary):
    primary = throwaway_primary
    require((PG_BIN / "pg_basebackup").exists(), f"pg_basebackup is not in PG_BIN ({PG_BIN})")
    replica_port = free_port()
    # No lag bound here: these tests pause replay for as long as they need a lagging replica (the
    # bound has its own server and test below).
    env = _env(primary, replica_port, max_lag=0)
    replica = None
    # The replica is made while the server starts (its first read from it comes with the tests).
    with ThreadPoolExecutor(1) as background:
        making = background.submit(_make_replica, primary, replica_port)
        try:
            with server(primary.url, workers=1, threads=2, env=env) as (host, port, _):
                try:
                    replica = making.result()
                except Exception as exc:  # noqa: BLE001 - named in the skip or the failure
                    require(False, f"could not make a streaming replica with pg_basebackup: {exc}")
                yield Replicated(primary.cluster, replica, host, port, primary.token)
        finally:
            making.cancel()
            if making.done() and making.exception() is None:
                making.result().stop()


@pytest.fixture
def lagging(replicated):
    """Replay paused on the replica for the test: what is written meanwhile is on the primary only."""
    replicated.replica.sql("SELECT pg_wal_replay_pause()")
    yield replicated
    replicated.replica.sql("SELECT pg_wal_replay_resume()")


def _until(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_write_goes_to_the_primary_and_anonymous_reads_to_the_lagging_replica(lagging):
    event_id, _ = lagging.write("written while the replica lags")
    assert lagging.rows(lagging.primary, event_id) == 1
    assert lagging.rows(lagging.replica, event_id) == 0
    # Every anonymous read (several requests, on both threads) is answered from the replica's past.
    assert [lagging.get(f"/api/events/{event_id}/") for _ in range(6)] == [404] * 6
    # An export reads its rows while it streams, after the view returned: from the replica too.
    status, _, csv = request(lagging.host, lagging.port, "GET", "/api/events/?format=csv", headers={"Accept": "text/csv"})
    assert status == 200 and b"written while the replica lags" not in csv
    status, _, csv = request(lagging.host, lagging.port, "GET", "/api/events/?format=csv", headers={"Accept": "text/csv", "Authorization": f"Token {lagging.token}"})
    assert status == 200 and b"written while the replica lags" in csv
    lagging.replica.sql("SELECT pg_wal_replay_resume()")
    assert _until(lambda: lagging.get(f"/api/events/{event_id}/") == 200), "the replica never caught up"


def test_a_token_that_wrote_reads_its_write_from_the_primary_for_a_few_seconds(lagging):
    event_id, _ = lagging.write("the token's own write")
    token = {"Authorization": f"Token {lagging.token}"}
    assert [lagging.get(f"/api/events/{event_id}/", token) for _ in range(4)] == [200] * 4
    assert lagging.get(f"/api/events/{event_id}/") == 404  # another client: the replica
    time.sleep(STICKY_SECONDS + 0.3)
    assert lagging.get(f"/api/events/{event_id}/", token) == 404  # the pin lapsed: back to the replica


class Browser:
    """Cookies kept from response to response, as a browser keeps them."""

    def __init__(self, replicated):
        self.replicated, self.cookies = replicated, {}

    def send(self, method, path, body=None, headers=None, cookies=None):
        conn = http.client.HTTPConnection(self.replicated.host, self.replicated.port, timeout=30)
        jar = self.cookies if cookies is None else cookies
        conn.request(method, path, body=body, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()), **(headers or {})})
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response.status, text

    def sign_in(self) -> None:
        """The admin's login form, as a browser fills it."""
        _, page = self.send("GET", "/admin/login/?next=/admin/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urlencode({"username": EDITOR, "password": PASSWORD, "csrfmiddlewaretoken": csrf, "next": "/admin/"})
        status, _ = self.send("POST", "/admin/login/?next=/admin/", form, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302 and "sessionid" in self.cookies, self.cookies


def test_a_session_that_wrote_reads_its_write_through_its_signed_cookie(lagging):
    browser = Browser(lagging)
    browser.sign_in()
    browser.cookies.pop("timeline_primary", None)  # the login's own pin: this test is about the write's
    body = json.dumps({"title": "the session's own write", "date": "2024-06"})
    headers = {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": browser.cookies["csrftoken"]}
    status, text = browser.send("POST", "/api/events/", body, headers)
    assert status == 201, text
    event_id = json.loads(text)["id"]
    assert "timeline_primary" in browser.cookies
    path = f"/api/events/{event_id}/"
    session = {"sessionid": browser.cookies["sessionid"]}
    assert browser.send("GET", path)[0] == 200  # with the cookie the write set: the primary
    assert browser.send("GET", path, cookies=session)[0] == 404  # the session alone: the replica
    assert browser.send("GET", path, cookies={**session, "timeline_primary": "1"})[0] == 404  # unsigned: ignored


def test_a_replica_that_is_down_leaves_reads_to_the_primary_and_they_return_when_it_is_back(replicated):
    replicated.replica.stop()
    try:
        event_id, _ = replicated.write("written while the replica is down")
        statuses = [replicated.get(f"/api/events/{event_id}/") for _ in range(8)]
        statuses += [replicated.get("/api/events/?page_size=5") for _ in range(4)]
        assert statuses == [200] * 12  # from the primary; no 5xx
    finally:
        replicated.replica.start()
    replicated.replica.sql("SELECT pg_wal_replay_pause()")
    try:
        later_id, _ = replicated.write("written once it is back, replay paused")
        time.sleep(RETRY_SECONDS + 0.2)
        # Once the retry window passes, the workers read the replica again (its past: a 404).
        assert _until(lambda: all(replicated.get(f"/api/events/{later_id}/") == 404 for _ in range(4)))
    finally:
        replicated.replica.sql("SELECT pg_wal_replay_resume()")


MAX_LAG = 3


def test_a_replica_further_behind_than_the_bound_is_not_read_until_it_catches_up(replicated, throwaway_primary):
    # A stuck replica (replay paused here; a long query or a lost link in production) must not serve
    # an ever older past: past DATABASE_REPLICA_MAX_LAG_SECONDS its reads go to the primary.
    env = _env(throwaway_primary, replicated.replica.port, max_lag=MAX_LAG)
    with server(throwaway_primary.url, workers=1, threads=2, env=env) as (host, port, _):
        bounded = Replicated(replicated.primary, replicated.replica, host, port, replicated.token)
        # A fresh transaction replayed just now: the lag is measured from it.
        bounded.write("replayed before the pause")
        assert _until(lambda: bounded.replica.sql("SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()") == "t")
        bounded.replica.sql("SELECT pg_wal_replay_pause()")
        try:
            event_id, _ = bounded.write("written while replay is paused")
            paused_at = time.monotonic()
            # Within the bound, anonymous reads are the replica's (it does not have the row yet).
            status = bounded.get(f"/api/events/{event_id}/")
            if time.monotonic() - paused_at < MAX_LAG - 0.5:  # a slow machine may have passed it already
                assert status == 404
            time.sleep(max(0.0, MAX_LAG + 1.2 - (time.monotonic() - paused_at)))
            # Past it: the primary answers (the row is there), with no error on the way.
            assert [bounded.get(f"/api/events/{event_id}/") for _ in range(4)] == [200] * 4
        finally:
            bounded.replica.sql("SELECT pg_wal_replay_resume()")
        # Caught up, the replica is read again once the retry window passes: paused once more, it
        # answers from its past (a 404) for a row written after the pause.
        assert _until(lambda: bounded.replica.sql("SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()") == "t")
        time.sleep(RETRY_SECONDS + 0.2)
        bounded.write("replayed before the second pause")
        assert _until(lambda: bounded.replica.sql("SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()") == "t")
        bounded.replica.sql("SELECT pg_wal_replay_pause()")
        try:
            later_id, _ = bounded.write("written in the second pause")
            assert bounded.get(f"/api/events/{later_id}/") == 404
        finally:
            bounded.replica.sql("SELECT pg_wal_replay_resume()")

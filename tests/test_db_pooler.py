"""Issue 19: running behind PgBouncer in transaction mode (DATABASE_POOLER=pgbouncer). A throwaway
PgBouncer (pool_mode = transaction, 2 server connections) in front of the tests' own cluster
(tests/pg_throwaway.py), a gunicorn server of 8 threads on it: 8 connections of ours
share 2 of PostgreSQL's, so anything kept on a server connection between transactions (a prepared
statement, a WITH HOLD cursor, a SET) is met by another client or missed by its own."""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.pg_throwaway import DATABASE, free_port, request, require, server

pytestmark = pytest.mark.postgres_only

ROOT = Path(__file__).resolve().parent.parent
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
POOL_SIZE = 2
EXPORT_EVENTS = 1_300  # more than two of the export's 500-row chunks
STATEMENT_MS = 400


@contextmanager
def pgbouncer(directory: Path, primary_port: int):
    """PgBouncer in transaction mode on a free port, in front of the cluster on ``primary_port``."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (directory / "userlist.txt").write_text('"postgres" ""\n')
    (directory / "pgbouncer.ini").write_text(
        f"[databases]\n{DATABASE} = host=127.0.0.1 port={primary_port} dbname={DATABASE}\n\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {directory / 'userlist.txt'}\n"
        f"pool_mode = transaction\ndefault_pool_size = {POOL_SIZE}\nmax_client_conn = 200\n"
        # Each transaction takes the server connection idle the longest (LIFO by default): a client's
        # next transaction lands on another connection whenever there is one, as under load.
        "server_round_robin = 1\n"
        f"logfile = {directory / 'pgbouncer.log'}\n"
    )
    command = [PGBOUNCER, str(directory / "pgbouncer.ini")]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        shutil.chown(directory, "postgres")
        for each in directory.iterdir():
            shutil.chown(each, "postgres")
        command.insert(1, "--user=postgres")  # its own switch: a SIGTERM then reaches it directly
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                psycopg.connect(f"host=127.0.0.1 port={port} dbname={DATABASE} user=postgres", connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"PgBouncer did not start: {proc.stderr.read() if proc.poll() is not None else ''}") from None
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@dataclass
class Pooled:
    host: str
    port: int
    token: str
    bouncer_port: int
    primary_port: int
    cluster: object

    def __call__(self, method, path, body=None, headers=None, **kw):
        return request(self.host, self.port, method, path, body, headers, **kw)

    @property
    def editor(self) -> dict:
        return {"Authorization": f"Token {self.token}"}


@pytest.fixture(scope="module")
def pooled(throwaway_primary):
    primary = throwaway_primary
    require(Path(PGBOUNCER).exists(), "PgBouncer is not installed ('make pgbouncer' or apt-get install pgbouncer)")
    env = {
        "DATABASE_POOLER": "pgbouncer",
        "API_STATEMENT_TIMEOUT_MS": str(STATEMENT_MS),
        "API_LOCK_TIMEOUT_MS": "5000",
        "THROTTLE_CACHE_DIR": str(primary.directory / "pooler-caches"),
        "TIMELINE_PUBLIC_DRAFTS": "1",
        "API_ANON_RATE": "100000/minute",
        "API_EXPORT_RATE": "100000/minute",
    }
    with pgbouncer(primary.directory / "pgbouncer", primary.cluster.port) as bouncer_port:
        url = f"postgres://postgres@127.0.0.1:{bouncer_port}/{DATABASE}"
        with server(url, workers=1, threads=8, env=env) as (host, port, _):
            yield Pooled(host, port, primary.token, bouncer_port, primary.cluster.port, primary.cluster)


@pytest.fixture(scope="module")
def many_events(pooled):
    """EXPORT_EVENTS events: one written through the API, the rest copied from it in SQL."""
    status, _, body = pooled("POST", "/api/events/", {"title": "pooled", "date": "2024-06"}, pooled.editor)
    assert status == 201, body
    columns = pooled.cluster.sql(
        "SELECT string_agg(column_name, ',') FROM information_schema.columns "
        "WHERE table_name = 'timeline_event' AND column_name NOT IN ('id', 'title', 'key') "
        "AND is_generated = 'NEVER'",  # search_vector is PostgreSQL's to write (migration 0012)
        DATABASE,
    )
    pooled.cluster.sql(
        f"INSERT INTO timeline_event (title, key, {columns}) SELECT title || ' ' || g, key || '-' || g, {columns} "
        f"FROM timeline_event, generate_series(1, {EXPORT_EVENTS - 1}) g WHERE id = {int(body['id'])}",
        DATABASE,
    )
    return body["id"]


def _session_settings_of_the_pools(pooled) -> set[tuple[str, str]]:
    """statement_timeout and lock_timeout as a new client of PgBouncer finds them, on each of its
    server connections (as many transactions held open at once as the pool has connections)."""
    conns = [psycopg.connect(f"host=127.0.0.1 port={pooled.bouncer_port} dbname={DATABASE} user=postgres") for _ in range(POOL_SIZE)]
    try:
        seen = {tuple(c.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')").fetchone()) for c in conns}
    finally:
        for c in conns:
            c.rollback()  # a client leaving mid-transaction would make PgBouncer drop the server connection
            c.close()
    return seen


def test_concurrent_reads_writes_and_exports_through_the_pooler_all_succeed(pooled, many_events):
    event_id = many_events

    def update(n):
        status, headers, body = pooled("GET", f"/api/events/{event_id}/")
        assert status == 200, body
        for _ in range(5):  # another thread may have written since: read again, as a client would
            status, headers, body = pooled("PATCH", f"/api/events/{event_id}/", {"summary": f"edit {n}"}, {**pooled.editor, "If-Match": headers["ETag"]})
            if status != 412:
                return status
            status, headers, _ = pooled("GET", f"/api/events/{event_id}/")
        return status

    def export(_):
        status, headers, body = pooled("GET", "/api/events/?format=csv&page_size=2000", headers={"Accept": "text/csv"})
        return status, body.count(b"\n") if isinstance(body, bytes) else body

    def page(n):
        return pooled("GET", f"/api/events/?page_size=20&ordering={'-date' if n % 2 else 'date'}")[0]

    with ThreadPoolExecutor(12) as pool:
        exports = [pool.submit(export, n) for n in range(4)]
        updates = [pool.submit(update, n) for n in range(6)]
        pages = [pool.submit(page, n) for n in range(24)]
        stale = pool.submit(lambda: pooled("PATCH", f"/api/events/{event_id}/", {"summary": "stale"}, {**pooled.editor, "If-Match": '"0"'})[0])
    assert [f.result() for f in pages] == [200] * 24
    assert [f.result() for f in updates] == [200] * 6
    assert stale.result() == 412
    for f in exports:
        status, lines = f.result()
        assert status == 200 and lines >= EXPORT_EVENTS, (status, lines)


def test_the_api_statement_budget_applies_and_stays_in_its_transactions(pooled, many_events):
    # An exclusive lock on the events table keeps every statement on it waiting.
    holder = psycopg.connect(f"host=127.0.0.1 port={pooled.primary_port} dbname={DATABASE} user=postgres")
    try:
        holder.execute("LOCK TABLE timeline_event IN ACCESS EXCLUSIVE MODE")
        with ThreadPoolExecutor(6) as pool:
            started = time.monotonic()
            reads = [pool.submit(pooled, "GET", "/api/events/?page_size=5", timeout=15) for _ in range(4)]
            write = pool.submit(pooled, "POST", "/api/events/", {"title": "waits", "date": "2024"}, pooled.editor, timeout=15)
            results = [f.result() for f in [*reads, write]]
            elapsed = time.monotonic() - started
        assert [status for status, _, _ in results] == [503] * 5
        assert {body["code"] for _, _, body in results} == {"query_timeout"}
        assert elapsed < 5, elapsed  # the budget, not the lock's holder, ended them
    finally:
        holder.rollback()
        holder.close()
    # Nothing of the API's budget was left on PgBouncer's server connections for other clients.
    assert _session_settings_of_the_pools(pooled) == {("0", "0")}
    assert pooled("GET", "/api/events/?page_size=5")[0] == 200


def _settings_with(monkeypatch, **env) -> dict:
    """timeline/settings.py's names as a process with these environment variables gets them."""
    monkeypatch.delenv("DJANGO_ENV", raising=False)
    monkeypatch.delenv("PG_PREPARE_THRESHOLD", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "timeline" / "settings.py"))


def test_a_querysets_iterator_streams_through_the_pooler(pooled, many_events, monkeypatch, django_db_blocker):
    # QuerySet.iterator() on PostgreSQL reads from a server-side cursor unless the settings disable
    # them; here on the settings a process gets behind the pooler (a database alias of this process
    # on PgBouncer). Outside a transaction each FETCH is a transaction of its own, which PgBouncer may
    # run on the other server connection.
    from django.db import connections
    from django.db.utils import ConnectionHandler

    from timeline.models import Event

    databases = _settings_with(
        monkeypatch, DATABASE_URL=f"postgres://postgres@127.0.0.1:{pooled.bouncer_port}/{DATABASE}", DATABASE_POOLER="pgbouncer"
    )["DATABASES"]
    connections.settings["pooled"] = ConnectionHandler({"default": databases["default"]}).settings["default"]
    _session_settings_of_the_pools(pooled)  # both server connections open, whatever ran before
    try:
        with django_db_blocker.unblock():
            read = sum(1 for _ in Event.objects.using("pooled").order_by("id").iterator(chunk_size=100))
    finally:
        connections["pooled"].close()
        del connections["pooled"]
        del connections.settings["pooled"]
    stored = int(pooled.cluster.sql("SELECT count(*) FROM timeline_event", DATABASE))
    assert read == stored >= EXPORT_EVENTS


def test_settings_refuse_prepared_statements_behind_a_pooler(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    pooler = {"DATABASE_URL": "postgres://postgres@127.0.0.1:6432/timeline", "DATABASE_POOLER": "pgbouncer"}
    with pytest.raises(ImproperlyConfigured, match="PG_PREPARE_THRESHOLD"):
        _settings_with(monkeypatch, **pooler, PG_PREPARE_THRESHOLD="5")
    monkeypatch.delenv("PG_PREPARE_THRESHOLD")
    default = _settings_with(monkeypatch, **pooler)["DATABASES"]["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert default["OPTIONS"]["prepare_threshold"] is None
    assert "options" not in default["OPTIONS"]  # PgBouncer refuses startup options
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOLER"):
        _settings_with(monkeypatch, DATABASE_URL="sqlite:///x.sqlite3", DATABASE_POOLER="pgbouncer")

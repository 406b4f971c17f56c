"""PostgreSQL stopped while requests arrive (issue 7).

Starts a throwaway PostgreSQL cluster of its own (initdb into a temporary directory, its own port;
the shared server is never touched), a gunicorn server on it, and clients that read and write
continuously. Then it stops PostgreSQL for a while and starts it again, and reports:

- what the clients got while the database was down (expected: 503 JSON with
  ``"code": "database_unavailable"`` and Retry-After, never a 500 or a dropped connection);
- the recovery time: from PostgreSQL accepting connections again to the first successful read and
  the first successful write, with no restart of the application;
- that every write acknowledged (201) before, during or after the outage is stored.

    .venv/bin/python reliability/db_outage.py [--outage 5] [--port 5544]

Needs PostgreSQL's binaries (PG_BIN, default /usr/lib/postgresql/15/bin) and, when run as root,
the ``postgres`` system user to own the cluster. Prints one JSON line; exits non-zero on a failure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import free_port, prepare_database, request, server, shell_json  # noqa: E402

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class Cluster:
    """A PostgreSQL cluster in ``directory`` listening on 127.0.0.1:``port`` (trust authentication)."""

    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(a) for a in args]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=120)

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.directory.parent, "postgres")
            shutil.chown(self.directory, "postgres")
        self._run(PG_BIN / "initdb", "-D", self.directory, "-U", "postgres", "-A", "trust", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(PG_BIN / "pg_ctl", "-D", self.directory, "-o", options, "-l", self.directory / "log", "-w", "start")

    def stop(self) -> None:
        # fast: roll back open transactions and disconnect clients, as a crash or a restart would.
        self._run(PG_BIN / "pg_ctl", "-D", self.directory, "-m", "fast", "-w", "stop", check=False)

    def ready(self) -> bool:
        return self._run(PG_BIN / "pg_isready", "-q", "-h", "127.0.0.1", "-p", self.port, check=False).returncode == 0

    def replica(self, directory: Path, port: int) -> Cluster:
        """A streaming replica of this running cluster in ``directory`` (not started): pg_basebackup
        with -R writes standby.signal and the primary_conninfo it follows (issue 19)."""
        self._run(
            PG_BIN / "pg_basebackup", "-D", directory, "-h", "127.0.0.1", "-p", self.port, "-U", "postgres",
            "-R", "-X", "stream", "-c", "fast", "--no-sync",
        )
        return Cluster(directory, port)

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one statement with psql; its output, unaligned, without headers."""
        return self._run(
            PG_BIN / "psql", "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres",
            "-d", database, "-v", "ON_ERROR_STOP=1", "-c", statement,
        ).stdout.strip()

    def url_for(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return self.url_for("timeline_fault")


def traffic(host, port, token, stop, log, name, write):
    """One client: a read or a write every 50 ms until ``stop``; logs (time, kind, status, detail)."""
    headers = {"Authorization": f"Token {token}"} if write else {}
    n = 0
    while not stop.is_set():
        n += 1
        at = time.monotonic()
        try:
            if write:
                body = {"title": f"outage {name} {n}", "date": "2024-06"}
                status, hdrs, payload = request(host, port, "POST", "/api/events/", body, headers, timeout=30)
            else:
                status, hdrs, payload = request(host, port, "GET", "/api/events/?page_size=5", timeout=30)
            detail = {
                "code": payload.get("code") if isinstance(payload, dict) else None,
                "retry_after": hdrs.get("Retry-After"),
                "title": body["title"] if write and status == 201 else None,
                "id": payload.get("id") if write and status == 201 and isinstance(payload, dict) else None,
            }
        except (OSError, http.client.HTTPException) as exc:
            status, detail = f"error:{type(exc).__name__}", {}
        log.append((at, "write" if write else "read", status, detail))
        time.sleep(0.05)


def run(outage: float, port: int, workers: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="pgfault-") as tmp:
        cluster = Cluster(Path(tmp) / "data", port)
        cluster.init()
        cluster.start()
        try:
            return _run_with(cluster, outage, workers)
        finally:
            cluster.stop()


def _run_with(cluster: Cluster, outage: float, workers: int) -> dict:
    token = prepare_database(cluster.url)
    log: list = []
    stop = threading.Event()
    with server(cluster.url, workers=workers) as (host, port, _):
        clients = [
            threading.Thread(target=traffic, args=(host, port, token, stop, log, f"{kind}{i}", kind == "w"))
            for i in range(2)
            for kind in ("r", "w")
        ]
        for c in clients:
            c.start()
        time.sleep(2)
        down_at = time.monotonic()
        cluster.stop()
        stopped_at = time.monotonic()
        time.sleep(outage)
        restart_at = time.monotonic()
        cluster.start()
        up_at = time.monotonic()  # pg_ctl -w returns once the server accepts connections
        time.sleep(max(5.0, outage))
        stop.set()
        for c in clients:
            c.join()
    stored = shell_json(
        cluster.url,
        "import json\nfrom timeline.models import Event\n"
        "print('JSON=' + json.dumps(dict(Event.objects.filter(title__startswith='outage ').values_list('title', 'id'))))",
    )

    before = [e for e in log if e[0] < down_at]
    during = [e for e in log if stopped_at <= e[0] < restart_at]
    after = [e for e in log if e[0] >= up_at]
    first_read = min((e[0] for e in after if e[1] == "read" and e[2] == 200), default=None)
    first_write = min((e[0] for e in after if e[1] == "write" and e[2] == 201), default=None)
    acknowledged = {d["title"]: d["id"] for *_, s, d in log if s == 201}
    lost = [t for t, i in acknowledged.items() if stored.get(t) != i]
    unavailable = [d for *_, s, d in during if s == 503]

    def statuses(entries):
        return dict(Counter(f"{kind} {status}" for _, kind, status, _ in entries))

    return {
        "outage_seconds": round(restart_at - stopped_at, 2),
        "restart_seconds": round(up_at - restart_at, 2),
        "requests": len(log),
        "before": statuses(before),
        "during_outage": statuses(during),
        "after_restart": statuses(after),
        "outage_503_all_json_with_code": all(d.get("code") == "database_unavailable" for d in unavailable),
        "outage_503_all_with_retry_after": all(d.get("retry_after") for d in unavailable),
        "server_errors_other_than_503": sum(
            1 for _, _, s, _ in log if isinstance(s, int) and s >= 500 and s != 503
        ),
        "connection_errors": sum(1 for _, _, s, _ in log if not isinstance(s, int)),
        "recovery_seconds_read": round(first_read - up_at, 3) if first_read else None,
        "recovery_seconds_write": round(first_write - up_at, 3) if first_write else None,
        "acknowledged_writes": len(acknowledged),
        "lost_writes": len(lost),
    }


def ok(summary: dict) -> bool:
    return (
        summary["server_errors_other_than_503"] == 0
        and summary["connection_errors"] == 0
        and summary["lost_writes"] == 0
        and summary["outage_503_all_json_with_code"]
        and summary["outage_503_all_with_retry_after"]
        and any(k.endswith(" 503") for k in summary["during_outage"])
        and summary["recovery_seconds_read"] is not None
        and summary["recovery_seconds_write"] is not None
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--port", type=int, default=0, help="port of the throwaway cluster (default: a free one)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    summary = run(args.outage, args.port or free_port(), args.workers)
    print(json.dumps(summary))
    return 0 if ok(summary) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Concurrent writers against a real server (issue 7).

N clients (threads, each with its own keep-alive connection) each create M events through
POST /api/events/ on a gunicorn server, at the same time. Afterwards the database is read directly:
every acknowledged write (a 201 with an id) must be stored with its title, nothing may be stored that
was not acknowledged, and no request may get a 5xx.

    .venv/bin/python reliability/concurrent_writes.py --clients 8 --per-client 250             # SQLite file
    .venv/bin/python reliability/concurrent_writes.py --database postgres://postgres@127.0.0.1:5432/timeline_rel_load

Prints one JSON line with the figures and exits non-zero when a write was lost or a 5xx was seen.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import prepare_database, request, server, shell_json  # noqa: E402


def client(host, port, token, run_id, index, count, results, barrier):
    conn = http.client.HTTPConnection(host, port, timeout=120)
    headers = {"Authorization": f"Token {token}"}
    barrier.wait()  # every client starts together: maximum contention
    for i in range(count):
        title = f"{run_id} c{index} n{i}"
        body = {"title": title, "date": f"{2000 + i % 25}-{1 + i % 12:02d}", "kind": "statement"}
        started = time.perf_counter()
        try:
            status, _, payload = request(host, port, "POST", "/api/events/", body, headers, conn=conn)
        except (OSError, http.client.HTTPException) as exc:
            # A dropped connection is not an acknowledgement; reconnect and go on.
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=120)
            results.append((title, f"error:{type(exc).__name__}", None, time.perf_counter() - started))
            continue
        event_id = payload.get("id") if status == 201 and isinstance(payload, dict) else None
        results.append((title, status, event_id, time.perf_counter() - started))
    conn.close()


def run(database: str, clients: int, per_client: int, workers: int) -> dict:
    token = prepare_database(database)
    run_id = f"load-{uuid.uuid4().hex[:8]}"
    results: list = []
    with server(database, workers=workers) as (host, port, _):
        barrier = threading.Barrier(clients)
        threads = [
            threading.Thread(target=client, args=(host, port, token, run_id, n, per_client, results, barrier))
            for n in range(clients)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    stored = shell_json(
        database,
        "import json\nfrom timeline.models import Event\n"
        f"print('JSON=' + json.dumps(dict(Event.objects.filter(title__startswith='{run_id} ').values_list('title', 'id'))))",
    )
    acknowledged = {title: event_id for title, status, event_id, _ in results if status == 201}
    lost = sorted(t for t, i in acknowledged.items() if stored.get(t) != i)
    unacknowledged_but_stored = sorted(set(stored) - set(acknowledged))
    statuses = Counter(str(status) for _, status, _, _ in results)
    latencies = sorted(seconds for *_, seconds in results)
    return {
        "database": database.split("@")[-1] if "@" in database else database,
        "clients": clients,
        "per_client": per_client,
        "server_workers": workers,
        "requests": len(results),
        "statuses": dict(statuses),
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "lost": len(lost),
        "lost_titles": lost[:10],
        "stored_without_acknowledgement": len(unacknowledged_but_stored),
        "server_errors": sum(n for s, n in statuses.items() if s.startswith("5")),
        "seconds": round(elapsed, 2),
        "writes_per_second": round(len(acknowledged) / elapsed, 1) if elapsed else None,
        "latency_ms_p50": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "latency_ms_p99": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
        "latency_ms_max": round(latencies[-1] * 1000, 1) if latencies else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="DATABASE_URL; default: a new SQLite file in a temporary directory")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=250)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"sqlite:///{tmp}/load.sqlite3"
        summary = run(database, args.clients, args.per_client, args.workers)
    print(json.dumps(summary))
    ok = (
        summary["lost"] == 0
        and summary["server_errors"] == 0
        and summary["acknowledged"] == summary["requests"]
        and summary["stored_without_acknowledgement"] == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

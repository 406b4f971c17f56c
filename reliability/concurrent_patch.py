"""Concurrent changes against a real server (issue 17): no acknowledged change may be lost.

Two runs, each against a gunicorn server with several worker processes, every client a thread
with its own keep-alive connection, all starting together:

``patch``: clients PATCH different fields (title, summary, date, parties) of the same events at
once. Each (event, field) pair belongs to one client, so the last value it got a 200 for is what
must be stored; half the clients send If-Match with the last ETag they saw and, on 412, retry with
the current one (read-modify-write). A lost update is a pair whose stored value is not that value.

``mixed``: clients create, change and delete events, and create parties whose slugs collide on
purpose. The owner of an event alone changes its title and deletes it; every client may change any
event's summary (those race the deletes). Afterwards: every created event not deleted is stored
with its owner's last acknowledged title and a summary some client was acknowledged for; every
acknowledged delete is gone; each contended party slug is stored once.

In both, no request may get a 5xx. One JSON line per run; exit status 1 when anything was lost or a
5xx was seen.

    .venv/bin/python reliability/concurrent_patch.py                                   # SQLite file
    .venv/bin/python reliability/concurrent_patch.py --database postgres://postgres@127.0.0.1:5432/timeline_writes_load
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import prepare_database, request, server, shell_json  # noqa: E402

FIELDS = ("title", "summary", "date", "parties")
PARTIES = ("arden", "belmore", "corvin", "dalmar")


class Client:
    """One keep-alive connection; every request's status and latency is recorded."""

    def __init__(self, host, port, token, log):
        self.host, self.port, self.log = host, port, log
        self.headers = {"Authorization": f"Token {token}"}
        self.conn = http.client.HTTPConnection(host, port, timeout=120)

    def __call__(self, method, path, body=None, **headers):
        started = time.perf_counter()
        try:
            status, response_headers, payload = request(
                self.host, self.port, method, path, body, {**self.headers, **headers}, conn=self.conn
            )
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            status, response_headers, payload = f"error:{type(exc).__name__}", {}, None
        self.log.append((method, status, time.perf_counter() - started))
        return status, response_headers, payload


def _value(field: str, client: int, n: int, run_id: str):
    if field == "title":
        return f"{run_id} title c{client} n{n}"
    if field == "summary":
        return f"summary c{client} n{n}"
    if field == "date":
        return f"{1990 + (client * 7 + n) % 35}-{1 + n % 12:02d}"
    return [{"party": PARTIES[(client + n) % len(PARTIES)], "role": ("actor", "target")[n % 2]}]


def _stored_value(field: str, event: dict):
    if field == "parties":
        return [{"party": slug, "role": role} for slug, role in event["parties"]]
    return event[{"date": "date_text"}.get(field, field)]


def _read_events(database: str, ids) -> dict:
    return shell_json(
        database,
        "import json\nfrom timeline.models import Event\nout = {}\n"
        f"for e in Event.objects.filter(pk__in={sorted(ids)!r}).prefetch_related('participations__party'):\n"
        "    out[e.pk] = {'title': e.title, 'summary': e.summary, 'date_text': e.date_text,\n"
        "        'parties': [[p.party.slug, p.role] for p in e.participations.all()]}\n"
        "print('JSON=' + json.dumps(out))",
    )


def _latency(log) -> dict:
    seconds = sorted(s for *_, s in log)
    if not seconds:
        return {}
    return {
        "latency_ms_p50": round(seconds[len(seconds) // 2] * 1000, 1),
        "latency_ms_p99": round(seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))] * 1000, 1),
        "latency_ms_max": round(seconds[-1] * 1000, 1),
    }


def _statuses(log) -> dict:
    return dict(Counter(str(status) for _, status, _ in log))


def _server_errors(log) -> int:
    return sum(1 for _, status, _ in log if not isinstance(status, int) or status >= 500)


def _setup(host, port, token, run_id, events: int) -> list[int]:
    setup = Client(host, port, token, [])
    for slug in PARTIES:
        setup("POST", "/api/parties/", {"name": slug.title(), "slug": slug, "kind": "state"})
    ids = []
    for n in range(events):
        status, _, payload = setup("POST", "/api/events/", {"title": f"{run_id} event {n}", "date": "2022"})
        assert status == 201, (status, payload)
        ids.append(payload["id"])
    return ids


def run_patch(database: str, token: str, *, clients: int, events: int, per_client: int, workers: int) -> dict:
    run_id = f"patch-{uuid.uuid4().hex[:8]}"
    log: list = []
    last_ack: dict = {}  # (event id, field) -> the value of the last acknowledged write
    acknowledged = Counter()
    preconditions_failed = Counter()
    with server(database, workers=workers) as (host, port, _):
        ids = _setup(host, port, token, run_id, events)
        groups = max(1, clients // len(FIELDS))
        barrier = threading.Barrier(clients)

        def work(c):
            field, group = FIELDS[c % len(FIELDS)], c // len(FIELDS)
            mine = [pk for i, pk in enumerate(ids) if i % groups == group % groups]
            conditional = c % 2 == 1
            http = Client(host, port, token, log)
            etags: dict = {}
            rng = random.Random(c)
            barrier.wait()
            for n in range(per_client):
                pk = rng.choice(mine)
                value = _value(field, c, n, run_id)
                for _attempt in range(20):
                    headers = {"If-Match": etags[pk]} if conditional and pk in etags else {}
                    status, response_headers, _ = http("PATCH", f"/api/events/{pk}/", {field: value}, **headers)
                    if "ETag" in response_headers:
                        etags[pk] = response_headers["ETag"]
                    if status == 412:
                        preconditions_failed[c] += 1
                        continue  # read-modify-write: again, on the version now stored
                    break
                if status == 200:
                    last_ack[(pk, field)] = value
                    acknowledged[c] += 1

        threads = [threading.Thread(target=work, args=(c,)) for c in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    stored = {int(k): v for k, v in _read_events(database, ids).items()}
    lost = [
        {"event": pk, "field": field, "acknowledged": value, "stored": _stored_value(field, stored[pk])}
        for (pk, field), value in last_ack.items()
        if _stored_value(field, stored[pk]) != value
    ]
    return {
        "run": "patch",
        "database": database.split("@")[-1],
        "clients": clients,
        "events": events,
        "server_workers": workers,
        "requests": len(log),
        "statuses": _statuses(log),
        "acknowledged_writes": sum(acknowledged.values()),
        "fields_checked": len(last_ack),
        "precondition_failed_412": sum(preconditions_failed.values()),
        "lost_updates": len(lost),
        "lost_examples": lost[:5],
        "server_errors": _server_errors(log),
        "seconds": round(elapsed, 2),
        **_latency(log),
    }


def run_mixed(database: str, token: str, *, clients: int, per_client: int, workers: int) -> dict:
    run_id = f"mixed-{uuid.uuid4().hex[:8]}"
    log: list = []
    created: dict = {}  # event id -> owner
    titles: dict = {}  # event id -> the owner's last acknowledged title
    summaries = defaultdict(set)  # event id -> every acknowledged summary
    deleted: set = set()
    party_slugs = Counter()
    lock = threading.Lock()
    with server(database, workers=workers) as (host, port, _):
        barrier = threading.Barrier(clients)

        def work(c):
            http = Client(host, port, token, log)
            rng = random.Random(1000 + c)
            own: list = []
            barrier.wait()
            for n in range(per_client):
                roll = rng.random()
                with lock:
                    everyone = [pk for pk in created if pk not in deleted]
                if roll < 0.3 or not own:
                    title = f"{run_id} c{c} n{n}"
                    status, _, payload = http("POST", "/api/events/", {"title": title, "date": f"{2000 + n % 20}"})
                    if status == 201:
                        with lock:
                            created[payload["id"]] = c
                            titles[payload["id"]] = title
                        own.append(payload["id"])
                elif roll < 0.5:
                    pk = rng.choice(own)
                    title = f"{run_id} c{c} n{n} retitled"
                    status, _, _ = http("PATCH", f"/api/events/{pk}/", {"title": title})
                    if status == 200:
                        with lock:
                            titles[pk] = title
                elif roll < 0.7 and everyone:
                    pk = rng.choice(everyone)
                    summary = f"summary c{c} n{n}"
                    status, _, _ = http("PATCH", f"/api/events/{pk}/", {"summary": summary})
                    if status == 200:
                        with lock:
                            summaries[pk].add(summary)
                elif roll < 0.85:
                    pk = own.pop(rng.randrange(len(own)))
                    status, _, _ = http("DELETE", f"/api/events/{pk}/")
                    if status == 204:
                        with lock:
                            deleted.add(pk)
                else:
                    slug = f"{run_id}-party-{n % 4}"
                    status, _, _ = http("POST", "/api/parties/", {"name": slug, "slug": slug, "kind": "group"})
                    if status == 201:
                        with lock:
                            party_slugs[slug] += 1

        threads = [threading.Thread(target=work, args=(c,)) for c in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    stored = {int(k): v for k, v in _read_events(database, created).items()}
    stored_parties = shell_json(
        database,
        "import json\nfrom timeline.models import Party\n"
        f"print('JSON=' + json.dumps(list(Party.objects.filter(slug__startswith='{run_id}-').values_list('slug', flat=True))))",
    )
    missing = [pk for pk in created if pk not in deleted and pk not in stored]
    resurrected = [pk for pk in deleted if pk in stored]
    lost_titles = [pk for pk in created if pk in stored and stored[pk]["title"] != titles[pk]]
    lost_summaries = [pk for pk, values in summaries.items() if pk in stored and stored[pk]["summary"] not in values]
    acknowledged = sum(1 for method, status, _ in log if status in (200, 201, 204))
    return {
        "run": "mixed",
        "database": database.split("@")[-1],
        "clients": clients,
        "per_client": per_client,
        "server_workers": workers,
        "requests": len(log),
        "statuses": _statuses(log),
        "acknowledged_writes": acknowledged,
        "events_created": len(created),
        "events_deleted": len(deleted),
        "events_stored": len(stored),
        "lost_updates": len(lost_titles) + len(lost_summaries),
        "lost_creates": len(missing),
        "deleted_but_stored": len(resurrected),
        "contended_party_slugs_created_twice": sum(1 for n in party_slugs.values() if n > 1),
        "contended_party_slugs_stored": len(stored_parties),
        "contended_party_slugs_acknowledged": len(party_slugs),
        "server_errors": _server_errors(log),
        "seconds": round(elapsed, 2),
        **_latency(log),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="DATABASE_URL; default: a new SQLite file in a temporary directory")
    parser.add_argument("--run", choices=("patch", "mixed", "both"), default="both")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--events", type=int, default=8, help="events patched at once (patch run)")
    parser.add_argument("--per-client", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"sqlite:///{tmp}/patch.sqlite3"
        token = prepare_database(database)
        summaries = []
        if args.run in ("patch", "both"):
            summaries.append(run_patch(database, token, clients=args.clients, events=args.events,
                                       per_client=args.per_client, workers=args.workers))
        if args.run in ("mixed", "both"):
            summaries.append(run_mixed(database, token, clients=args.clients, per_client=args.per_client,
                                       workers=args.workers))
    for summary in summaries:
        print(json.dumps(summary))
        ok = ok and summary["lost_updates"] == 0 and summary["server_errors"] == 0
        if summary["run"] == "mixed":
            ok = ok and summary["lost_creates"] == 0 and summary["deleted_but_stored"] == 0
            ok = ok and summary["contended_party_slugs_created_twice"] == 0
            ok = ok and summary["contended_party_slugs_stored"] == summary["contended_party_slugs_acknowledged"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

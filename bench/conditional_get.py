"""HTTP caching for readers (issue 19): the 304 path against the 200 path, over HTTP, same server.

A cache in front of the API (or a client that keeps what it read) sends If-None-Match with the ETag
it holds; while nothing changed, the answer is a 304 that costs one primary-key read (the change
stamp, api/caching.py) instead of the page's queries and JSON. For each case, wrk loads the same URL
with and without ``If-None-Match: <its ETag>``, in turns (``rounds`` times, the median ratio's round
reported), on ``make serve`` (gunicorn, DEBUG off, throttles out of the way), one server at a time:

- ``page``: the range query, 50 events a page (bench.http_bench's URL);
- ``event``: one event's detail;
- ``csv``: a CSV export of 1,000 events.

    .venv/bin/python -m bench.conditional_get                      # SQLite, 100,000 events
    .venv/bin/python -m bench.conditional_get --events 10000 --seconds 5
    .venv/bin/python -m bench.conditional_get --in-process         # CPU ms per request, no server
    .venv/bin/python -m bench.conditional_get --postgres postgres://postgres@127.0.0.1:5432/timeline_cg
      (that database is made anew and filled unless it holds --events events)

``make bench`` runs it on the served SQLite database after the range-query bench (``bench.run``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import procs  # noqa: E402
from bench.http_bench import END, OURS, START, _ours_env, wrk  # noqa: E402

CASES = {
    "page": OURS,
    "event": None,  # the first event of the page, found when the server is up
    "csv": f"/api/events/?start={START}&end={END}&format=csv&page_size=1000",
}


def check_304(url: str, etag: str) -> None:
    """The ETag is the one the server validates: one request with it must be a 304."""
    request = urllib.request.Request(url, headers={"If-None-Match": etag})
    try:
        with urllib.request.urlopen(request) as response:
            raise AssertionError(f"{url} answered {response.status} to its own ETag, not 304")
    except urllib.error.HTTPError as exc:
        if exc.code != 304:
            raise


def run(*, database_url: str, seconds: int, workers: int = 2, rounds: int = 3, port: int = 8841) -> dict:
    env = {**_ours_env(database_url, port, workers), "API_EXPORT_RATE": "100000000/second"}
    server = procs.start(["make", "-s", "serve"], env=env, cwd=ROOT)
    results: dict = {"seconds": seconds, "workers": workers, "rounds": rounds}
    try:
        base = f"http://127.0.0.1:{port}"
        procs.wait_ready(base + OURS)
        with urllib.request.urlopen(base + OURS) as response:
            first = json.load(response)["results"][0]
        for name, path in CASES.items():
            url = first["url"] if path is None else base + path
            with urllib.request.urlopen(url) as response:
                etag = response.headers["ETag"]
                response.read()
            check_304(url, etag)
            header = f"If-None-Match: {etag}"
            pairs = [(wrk(url, seconds=seconds), wrk(url, seconds=seconds, headers=[header])) for _ in range(rounds)]
            full, not_modified = sorted(pairs, key=lambda pair: pair[1]["rps"] / pair[0]["rps"])[len(pairs) // 2]
            results[name] = {
                "url": url,
                "etag": etag,
                "ok_200": full,
                "not_modified_304": not_modified,
                "ratio_304_to_200": round(not_modified["rps"] / full["rps"], 2),
                "rounds": [{"rps_200": f["rps"], "rps_304": n["rps"]} for f, n in pairs],
                "commands": [f"wrk -t2 -c8 -d{seconds}s --latency '{url}'",
                             f"wrk -t2 -c8 -d{seconds}s --latency -H '{header}' '{url}'"],
            }
        results["rss_mib"] = procs.peak_rss_mib(server.pid)
    finally:
        procs.stop(server)
    return results


def in_process(*, repeat: int = 200) -> dict:
    """CPU per request in this process (Django's test client, the same settings as ``make serve``'s
    workers): less swayed than req/s by other work on a shared machine. The best of three runs of
    ``repeat`` requests (a tenth of them for a full CSV)."""
    import time

    import django

    os.environ.update(_ours_env(os.environ["DATABASE_URL"], 0, 1))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["API_EXPORT_RATE"] = "100000000/second"
    django.setup()
    from django.test import Client

    client, results = Client(), {}
    urls = {name: path for name, path in CASES.items() if path}
    urls["event"] = client.get(OURS).json()["results"][0]["url"].replace("http://testserver", "")
    for name, url in urls.items():
        first = client.get(url)
        _drain(first)
        figures = {}
        for status, headers in ((200, {}), (304, {"HTTP_IF_NONE_MATCH": first["ETag"]})):
            count = repeat // 10 if name == "csv" and status == 200 else repeat
            best = None
            for _ in range(3):
                started = time.process_time()
                for _ in range(count):
                    response = client.get(url, **headers)
                    _drain(response)
                assert response.status_code == status, (url, response.status_code)
                per_request = (time.process_time() - started) / count * 1000
                best = per_request if best is None else min(best, per_request)
            figures[f"cpu_ms_{status}"] = round(best, 3)
        figures["ratio"] = round(figures["cpu_ms_200"] / figures["cpu_ms_304"], 1)
        results[name] = figures
    return results


def _drain(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def postgres_holding(data: Path, url: str, *, events: int) -> str:
    """The database ``url`` names, made anew and filled with ``data`` unless it holds ``events``
    events already (and migrated either way)."""
    import psycopg

    from bench import import_bench

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as con:
            held = con.execute("SELECT count(*) FROM timeline_event").fetchone()[0]
    except psycopg.Error:
        held = None
    if held != events:
        url = import_bench.fresh_postgres(url.rsplit("/", 1)[1], url)
        import_bench._manage("import_events", str(data), "--no-progress", database_url=url)
        with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as con:
            con.execute("ANALYZE")
    import_bench._manage("migrate", "--noinput", "-v0", database_url=url)
    return url


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", default=str(ROOT / "bench" / "work"))
    parser.add_argument("--postgres", default="", help="serve from this PostgreSQL server instead of SQLite")
    parser.add_argument("--in-process", action="store_true", help="CPU per request in process instead of wrk")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    from bench import import_bench
    from bench.run import generate

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    data = generate(work / f"events-{args.events}-10000-{args.events}.jsonl", events=args.events,
                    parties=10_000, sources=args.events)
    report: dict = {}
    if args.postgres:
        database_url = postgres_holding(data, args.postgres, events=args.events)
    else:
        served = work / f"served-{args.events}.sqlite3"
        if not served.exists():
            import_bench.migrated_sqlite(served, template=work / "template.sqlite3")
            import_bench._manage("import_events", str(data), "--no-progress", database_url=f"sqlite:///{served}")
            subprocess.run(["sqlite3", str(served), "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);"], check=True,
                           stdout=subprocess.DEVNULL)
        database_url = f"sqlite:///{served}"
        # A database served before the change stamp's migration gets it (nothing to do otherwise).
        import_bench._manage("migrate", "--noinput", "-v0", database_url=database_url)
    if args.in_process:
        os.environ["DATABASE_URL"] = database_url
        report["conditional_get_in_process"] = in_process()
        print(json.dumps(report, indent=2, default=str))
        return
    report["conditional_get"] = run(database_url=database_url, seconds=args.seconds, rounds=args.rounds)
    report["conditional_get"]["database"] = "postgresql" if args.postgres else "sqlite"
    report["conditional_get"]["events"] = args.events
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()

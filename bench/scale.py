"""10,000,000 events imported and served once on PostgreSQL (`make bench-10m`; not part of `make bench`).

    python -m bench.scale --events 10000000

Measures, on one machine, with the project's own code and settings:
- the import: ``manage.py import_events`` of a generated file (``bench/generate.py``, seed 1; 100,000
  parties and 1,000,000 sources, the full bench's ratios) into a freshly migrated database, its
  wall time and the peak RSS of its largest process, then ``ANALYZE``;
- the database's size (``pg_database_size``) and the largest relations;
- the range query ``/api/events/?start=2022-01-01&end=2023-12-31&page_size=50`` and a cursor page
  1,000 pages deep (``start=1900-01-01``, the ``next`` link followed 1,000 times), each loaded with
  wrk (``make serve``: gunicorn, 2 workers, production settings): req/s, p50, p99;
- the peak RSS of the serving processes.

Needs about 11 GB for the generated file and, by the 100,000-event database (306 MB), about 30 GB
for the database; the import alone takes tens of minutes (bench/RESULTS.md has the estimate).
Results go to ``bench/results-10m.json``. The database is kept (``--reuse`` serves it again without
importing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")


def main(argv=None) -> None:
    import psycopg

    from bench import http_bench, import_bench, procs, run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--work", default=str(ROOT / "bench" / "work"))
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL",
                                                             "postgres://postgres@127.0.0.1:5432/timeline_bench"))
    parser.add_argument("--seconds", type=int, default=30, help="each wrk run")
    parser.add_argument("--reuse", action="store_true", help="serve the database imported before")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    name = f"timeline_bench_scale_{args.events}"
    report: dict = {"machine": run.machine(), "events": args.events,
                    "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}

    url = args.postgres.rsplit("/", 1)[0] + "/" + name
    dsn = url.replace("postgres://", "postgresql://")
    if not args.reuse:
        parties, sources = max(10_000, args.events // 100), max(100_000, args.events // 10)
        began = time.perf_counter()
        data = run.generate(work / f"events-{args.events}-{parties}-{sources}.jsonl", events=args.events,
                            parties=parties, sources=sources)
        report["generate_s"] = round(time.perf_counter() - began, 1)
        report["file_bytes"] = data.stat().st_size
        url = import_bench.fresh_postgres(name, args.postgres)
        seconds, rss = import_bench._manage("import_events", str(data), "--no-progress", database_url=url)
        report["import"] = {"seconds": round(seconds, 1), "rss_mib": round(rss), "events_per_s": round(args.events / seconds)}
        began = time.perf_counter()
        with psycopg.connect(dsn, autocommit=True) as con:
            con.execute("ANALYZE")
        report["analyze_s"] = round(time.perf_counter() - began, 1)
    with psycopg.connect(dsn, autocommit=True) as con:
        report["database_bytes"] = con.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        report["largest_relations"] = [
            {"name": n, "bytes": b} for n, b in con.execute(
                "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind IN ('r', 'i') "
                "AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC LIMIT 12").fetchall()]

    port = 8831
    server = procs.start(["make", "-s", "serve"], env=http_bench._ours_env(url, port, 2), cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{port}"
        procs.wait_ready(base + http_bench.OURS, timeout=300)
        report["range"] = http_bench.wrk(base + http_bench.OURS, seconds=args.seconds)
        deep_base = base + f"/api/events/?start=1900-01-01&end={http_bench.END}&page_size=50"
        began = time.perf_counter()
        pages = min(1000, args.events // 100)  # 1,000 deep, or half-way through a small smoke run's data
        report["deep_pages"] = pages
        deep = http_bench.deep_cursor_url(deep_base, pages=pages)
        report["walk_pages_s"] = round(time.perf_counter() - began, 1)
        report["first_page"] = http_bench.wrk(deep_base, seconds=args.seconds)
        report["deep_page"] = http_bench.wrk(deep, seconds=args.seconds)
        report["serve_rss_mib"] = round(procs.peak_rss_mib(server.pid))
    finally:
        procs.stop(server)
    report["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    out = ROOT / "bench" / "results-10m.json"
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()

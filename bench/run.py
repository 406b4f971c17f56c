"""Run the benchmarks and write their figures (JSON and a Markdown table).

    python -m bench.run --quick        # make bench-quick: 10,000 events, short wrk runs (< 10 min)
    python -m bench.run                # make bench: 100,000 events imported, 1,000,000 served

Every figure is a ratio against a peer measured in the same run on the same data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / 2**20, 1),
            "python": platform.python_version(), "load_avg_at_start": os.getloadavg()}


def generate(path: Path, *, events: int, parties: int, sources: int) -> Path:
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--events", str(events),
                        "--parties", str(parties), "--sources", str(sources), "--seed", "1", "--out", str(path)],
                       check=True)
    return path


def serve_postgres(data: Path, base_url: str, *, events: int, report: dict) -> str:
    """A PostgreSQL database holding ``data`` for the HTTP run, imported once and kept (an import of
    1,000,000 events takes minutes): reused while it holds that many events."""
    import psycopg

    from bench import import_bench

    url = base_url.rsplit("/", 1)[0] + f"/timeline_bench_served_{events}"
    dsn = url.replace("postgres://", "postgresql://")
    try:
        with psycopg.connect(dsn) as con:
            if con.execute("SELECT count(*) FROM timeline_event").fetchone()[0] == events:
                # Kept from an earlier run: brought up to this code's migrations (its indexes).
                import_bench._manage("migrate", "--noinput", "-v0", database_url=url)
                return url
    except psycopg.Error:
        pass
    url = import_bench.fresh_postgres(f"timeline_bench_served_{events}", base_url)
    seconds, rss = import_bench._manage("import_events", str(data), "--no-progress", database_url=url)
    report["serve_import_postgres"] = {"events": events, "seconds": seconds, "rss_mib": rss}
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute("ANALYZE")
    return url


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--work", default=str(ROOT / "bench" / "work"))
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/timeline_bench"),
                        help="server for the COPY comparison; '' to skip")
    parser.add_argument("--only", default="import,http,conditional,filters,exports,dates",
                        help="comma-separated parts to run (conditional: the 304 path, with http)")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    parts = set(args.only.split(","))
    if args.quick:
        sizes = {"import": (10_000, 1_000, 10_000), "loaddata": (10_000, 1_000, 10_000),
                 "serve": (100_000, 10_000, 100_000)}
        wrk_seconds, date_strings, extraction_repeat, deep_pages = 5, 2_000, 5, 1_000
    else:
        # loaddata on the import's own 100,000 events, as the target is set (about 7 minutes of
        # loaddata alone here); the quick run keeps both at 10,000.
        sizes = {"import": (100_000, 10_000, 100_000), "loaddata": (100_000, 10_000, 100_000),
                 "serve": (1_000_000, 10_000, 100_000)}
        wrk_seconds, date_strings, extraction_repeat, deep_pages = 15, 10_000, 20, 1_000
    report: dict = {"machine": machine(), "quick": args.quick, "sizes": sizes,
                    "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    files = {name: generate(work / f"events-{e}-{s}.jsonl", events=e, parties=p, sources=s)
             for name, (e, p, s) in sizes.items()}
    out = ROOT / "bench" / ("results-quick.json" if args.quick else "results.json")
    # A run of some parts (--only) keeps the other parts' figures of the last run in the file.
    default_parts = {"import", "http", "conditional", "filters", "exports", "dates"}
    kept = json.loads(out.read_text()) if out.exists() and parts != default_parts else {}

    def save() -> None:  # after each part: a part that fails later loses nothing measured before it
        out.write_text(json.dumps({**kept, **report}, indent=2, default=str) + "\n")

    if "import" in parts:
        from bench import import_bench

        report["import"] = import_bench.run(data=files["import"], work=work, loaddata_data=files["loaddata"],
                                            postgres_url=args.postgres or None)
        save()
    if "http" in parts:
        from bench import http_bench, import_bench

        served = work / f"served-{sizes['serve'][0]}.sqlite3"
        if not served.exists():
            import_bench.migrated_sqlite(served, template=work / "template.sqlite3")
            seconds, rss = import_bench._manage("import_events", str(files["serve"]), "--no-progress",
                                                database_url=f"sqlite:///{served}")
            report["serve_import"] = {"events": sizes["serve"][0], "seconds": seconds, "rss_mib": rss}
            subprocess.run(["sqlite3", str(served), "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);"], check=True)
        else:  # kept from an earlier run: brought up to this code's migrations (its indexes)
            import_bench._manage("migrate", "--noinput", "-v0", database_url=f"sqlite:///{served}")
        report["http"] = http_bench.run(db=served, seconds=wrk_seconds, deep_pages=deep_pages)
        save()
        from bench import conditional_get  # issue 19: the 304 path against the 200 path

        rounds = 1 if args.quick else 3
        if "conditional" in parts:
            report["conditional_get"] = conditional_get.run(database_url=f"sqlite:///{served}", seconds=wrk_seconds,
                                                            rounds=rounds)
        if args.postgres:
            served_pg = serve_postgres(files["serve"], args.postgres, events=sizes["serve"][0], report=report)
            report["http_postgres"] = http_bench.run_postgres(database_url=served_pg, seconds=wrk_seconds)
            save()
            if "conditional" in parts:
                report["conditional_get_postgres"] = conditional_get.run(database_url=served_pg,
                                                                         seconds=wrk_seconds, rounds=rounds)
    if "exports" in parts and args.postgres:
        # CSV of 100,000 events on PostgreSQL against COPY of the same columns (bench/exports_bench.py),
        # on the served database (imported above, or now if the HTTP part did not run).
        served_pg = serve_postgres(files["serve"], args.postgres, events=sizes["serve"][0], report=report)
        printed = subprocess.run([sys.executable, "-m", "bench.exports_bench", "--events", "100000", "--rounds", "2"],
                             cwd=ROOT, env={**os.environ, "DATABASE_URL": served_pg}, check=True,
                             capture_output=True, text=True).stdout
        report["exports_postgres"] = json.loads(printed.strip().splitlines()[-1])
        save()
    if "filters" in parts:
        # Every documented filter against the plain range query's p50 (issue 19), in process, on the
        # served databases (1,000,000 events; quick: 100,000), SQLite and, given --postgres,
        # PostgreSQL. One event in three is put at one of 50 places the first time (the generator
        # makes none): the HTTP part's pages of later runs carry them, ours and the floor's alike.
        from bench import filters_bench

        events = sizes["serve"][0]
        served = work / f"served-{events}.sqlite3"
        if not served.exists():
            raise SystemExit("the filters part measures the served database: run the http part first")
        rounds, requests = (3, 5) if args.quick else (5, 10)
        report["filters"] = {"sqlite": filters_bench.run(events=events, work=work, served=f"sqlite:///{served}",
                                                         rounds=rounds, requests=requests)}
        save()
        if args.postgres:
            served_pg = serve_postgres(files["serve"], args.postgres, events=events, report=report)
            report["filters"]["postgresql"] = filters_bench.run(events=events, work=work, served=served_pg,
                                                                rounds=rounds, requests=requests)
    if "dates" in parts:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'template.sqlite3'}")
        import django

        django.setup()
        from bench import dates_bench

        report["dates"] = dates_bench.run_parse(size=date_strings)
        report["extraction"] = dates_bench.run_extraction(repeat=extraction_repeat)

    report["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    save()
    print(json.dumps(report, indent=2, default=str))
    from bench import report as table

    print("| figure | ratio | target |\n|---|---|---|\n" + "\n".join(table.rows(report)))
    print("\nwrk commands (rerun one line against the same servers):\n" + "\n".join(table.commands(report)))


if __name__ == "__main__":
    main()

"""Every documented filter of /api/events/ against the plain range query (issue 19: each within 3x
of the range query's p50), on a generated timeline, SQLite or PostgreSQL.

    .venv/bin/python bench/filters_bench.py --events 200000                       # SQLite
    .venv/bin/python bench/filters_bench.py --events 200000 \\
        --database-url postgres://postgres@127.0.0.1:5432/timeline_bench_filters    # PostgreSQL

The timeline is bench/generate.py's (the events asked for; 10,000 parties and 100,000 sources
from 200,000 events up, proportionally fewer below) with
one event in three placed at one of 50 places (the generator makes none), imported with
``manage.py import_events`` into a fresh database (kept in --work and reused while it holds that
many events), statistics gathered with ANALYZE. Requests go through Django in this process (the
test client: the API's whole request path, the throttle included, without HTTP), DEBUG off; the
cases are measured in turns, ``--rounds`` times ``--requests`` each, so drift falls on all alike.
Each case's p50 is reported beside the range query's, with the exact URL.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_bench import END, START  # noqa: E402  (the HTTP bench's window: one "range query")

PLACES, PLACED_EVERY = 50, 3
TWENTY_WORDS = ("talks truce border army envoy treaty summit vote decree council minister ceasefire offensive "
                "report claim region capital delegation sanctions alliance").split()


def documented_cases(*, party_slugs: list[str], source_id: int, place_slug: str) -> dict[str, str]:
    """Name -> query string: the plain range query, then every documented filter of the events list
    with that window (and the filters that make sense alone, alone). tests/test_query_plans.py
    checks every EventFilterSet parameter appears in one."""
    window = f"start={START}&end={END}&page_size=50"
    one_party, ten_parties = f"party={party_slugs[0]}", "&".join(f"party={s}" for s in party_slugs[:10])
    return {
        "range": window,
        "party": f"{window}&{one_party}",
        "party x10": f"{window}&{ten_parties}",
        "party + role": f"{window}&{one_party}&role=actor",
        "role": f"{window}&role=actor",
        "kind": f"{window}&kind=proposal",
        "status": f"{window}&status=reviewed",
        "precision": f"{window}&precision=month",
        "approximate": f"{window}&approximate=true",
        "uncertain": f"{window}&uncertain=true",
        "source": f"{window}&source={source_id}",
        "place": f"{window}&place={place_slug}",
        "q": f"{window}&q=truce",
        "q, 20 words": f"{window}&q={'+'.join(TWENTY_WORDS)}",
        "q, phrase and exclusion": f"{window}&q=%22peace+talks%22+-army",
        "updated_since": f"{window}&updated_since=2020-01-01T00:00:00Z",
        "ordering=-date": f"{window}&ordering=-date",
        "ordering=-updated": f"{window}&ordering=-updated",
        "match=within": f"{window}&match=within",
        "party alone": one_party,
        "source alone": f"source={source_id}",
        "place alone": f"place={place_slug}",
        "q alone": "q=truce",
        "q alone, a rare word": "q=199999",  # one title ("Event 199999: …") at 200,000 events
        "updated_since, sync": "updated_since=2020-01-01T00:00:00Z&ordering=updated",
        "id": "id=1,2,3",
        "key": "key=gen-1",
    }


def generate_rows(path: Path, *, events: int, parties: int | None = None, sources: int | None = None) -> None:
    """Generate ``events`` (bench/generate.py) and import them into the current database, in this
    process (Django set up). Small defaults for tests: parties and sources scale with events."""
    from bench.generate import generate
    from timeline.bulk_import import import_file

    with open(path, "wb") as out:
        generate(events=events, out=out, seed=1, parties=parties or max(events // 10, 10),
                 sources=sources or max(events // 4, 10))
    import_file(path=path)


def add_places(*, places: int = PLACES, every: int = PLACED_EVERY) -> None:
    """``places`` places (slugs place-0, place-1…) and one event in ``every`` at one of them."""
    from django.db import connection

    from timeline.models import Place

    Place.objects.bulk_create(Place(name=f"Place {n}", slug=f"place-{n}", kind="city") for n in range(places))
    first = Place.objects.order_by("id").values_list("id", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO timeline_event_places (event_id, place_id) "
            f"SELECT id, %s + id %% {places} FROM timeline_event WHERE id %% {every} = 0",
            [first],
        )


# --- the database ------------------------------------------------------------------------------


def prepare(*, database_url: str | None, events: int, work: Path) -> str:
    """A database holding the generated timeline: reused when it already holds ``events`` events."""
    from bench import import_bench
    from bench.run import generate

    # bench/run.py's proportions (10,000 parties and 100,000 sources from 200,000 events up).
    parties, sources = min(10_000, max(events // 20, 100)), min(100_000, max(events // 2, 100))
    data = generate(work / f"events-{events}-{parties}-{sources}.jsonl", events=events, parties=parties, sources=sources)
    if database_url is None:
        path = work / f"filters-{events}.sqlite3"
        database_url = f"sqlite:///{path}"
        if _count(database_url) == events:
            return database_url
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        import_bench._manage("migrate", "--noinput", "-v0", database_url=database_url)
    else:
        if _count(database_url) == events:
            return database_url
        database_url = import_bench.fresh_postgres(database_url.rsplit("/", 1)[1], database_url)
    seconds, _ = import_bench._manage("import_events", str(data), "--no-progress", database_url=database_url)
    print(f"imported {events} events in {seconds:.0f} s", file=sys.stderr)
    subprocess.run([sys.executable, __file__, "--finish", "--database-url", database_url], check=True,
                   env={**os.environ, "DATABASE_URL": database_url})
    return database_url


def _count(database_url: str) -> int | None:
    try:
        if database_url.startswith("sqlite:///"):
            import sqlite3

            path = database_url.removeprefix("sqlite:///")
            if not Path(path).exists():
                return None
            with sqlite3.connect(path) as con:
                places = con.execute("SELECT count(*) FROM timeline_event_places").fetchone()[0]
                return con.execute("SELECT count(*) FROM timeline_event").fetchone()[0] if places else None
        import psycopg

        with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as con:
            if not con.execute("SELECT count(*) FROM timeline_event_places").fetchone()[0]:
                return None
            return con.execute("SELECT count(*) FROM timeline_event").fetchone()[0]
    except Exception:  # no database, or not migrated: make it
        return None


def _finish() -> None:
    """After the import: the places, then statistics for the planner."""
    from django.db import connection, transaction

    with transaction.atomic():
        add_places()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- the measurement ---------------------------------------------------------------------------


def measure(*, rounds: int, requests: int) -> dict:
    from django.test import Client

    from timeline.models import Event, Party, Source

    source_id = Source.objects.order_by("id").values_list("id", flat=True).first()
    slugs = list(Party.objects.order_by("id").values_list("slug", flat=True)[:10])
    cases = documented_cases(party_slugs=slugs, source_id=source_id, place_slug="place-1")
    client = Client()
    samples: dict[str, list[float]] = {name: [] for name in cases}
    rows: dict[str, int] = {}
    failed: dict[str, dict] = {}
    for name, query in cases.items():  # warm: caches, the FilterSet's form class, the page cache
        started = time.perf_counter()
        response = client.get(f"/api/events/?{query}")
        if response.status_code != 200:
            # A case the API cannot answer in time (a 503 past API_STATEMENT_TIMEOUT_MS) is a
            # finding, reported as such, not timed again and not a crash of the whole bench.
            failed[name] = {"url": f"/api/events/?{query}", "status": response.status_code,
                            "seconds": round(time.perf_counter() - started, 2), "body": response.content[:200].decode()}
            print(f"NOT ANSWERED: {name}: {failed[name]}", file=sys.stderr)
            continue
        rows[name] = len(response.json()["results"])
    cases = {name: query for name, query in cases.items() if name not in failed}
    samples = {name: samples[name] for name in cases}
    for _ in range(rounds):
        for name, query in cases.items():
            url = f"/api/events/?{query}"
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(url)
                samples[name].append(time.perf_counter() - started)
                assert response.status_code == 200
    base = statistics.median(samples["range"])
    return {
        "not_answered": failed,
        "events": Event.objects.count(),
        "rounds": rounds,
        "requests_per_round": requests,
        "cases": {
            name: {
                "url": f"/api/events/?{cases[name]}",
                "rows": rows[name],
                "p50_ms": round(statistics.median(s) * 1000, 2),
                "p99_ms": round(sorted(s)[min(len(s) - 1, int(len(s) * 0.99))] * 1000, 2),
                "ratio_to_range_p50": round(statistics.median(s) / base, 2),
            }
            for name, s in samples.items()
        },
    }


def run(*, events: int, work: Path, database_url: str | None = None, served: str | None = None,
        rounds: int = 5, requests: int = 10) -> dict:
    """For bench/run.py: this file in a child process (Django is set up per database), its result as
    a dict. ``served``: the database the HTTP part served (bench/run.py's), measured as it is (its
    places added once); otherwise one of ``events`` events is made (``database_url``: PostgreSQL)."""
    vendor = "sqlite" if (served or database_url or "sqlite").startswith("sqlite") else "postgresql"
    out = work / f"filters-{vendor}-{events}.json"
    command = [sys.executable, __file__, "--events", str(events), "--work", str(work), "--rounds", str(rounds),
               "--requests", str(requests), "--out", str(out)]
    if served:
        command += ["--served", served]
    elif database_url:
        command += ["--database-url", database_url]
    subprocess.run(command, check=True, cwd=ROOT)
    return json.loads(out.read_text())


def table(result: dict, *, vendor: str) -> str:
    lines = [f"{vendor}, {result['events']:,} events, {result['rounds']} rounds x {result['requests_per_round']} requests",
             "", "| case | p50 ms | p99 ms | x range p50 | rows | URL |", "|---|---:|---:|---:|---:|---|"]
    for name, case in result["cases"].items():
        flag = "" if case["ratio_to_range_p50"] <= 3 else " **over 3x**"
        lines.append(f"| {name} | {case['p50_ms']} | {case['p99_ms']} | {case['ratio_to_range_p50']}{flag} | {case['rows']} | "
                     f"`{case['url']}` |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL (its database is replaced); SQLite if left out")
    parser.add_argument("--work", default=str(ROOT / "bench" / "work"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--out", default=None, help="also write the result as JSON here")
    parser.add_argument("--served", default=None, help="measure this database as it is (a DATABASE_URL); "
                        "its places are added once, if it has none")
    parser.add_argument("--finish", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    if args.finish:
        import django

        django.setup()
        _finish()
        return
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if args.served:
        database_url = args.served
        if _count(database_url) is None:  # no places yet
            subprocess.run([sys.executable, __file__, "--finish", "--database-url", database_url], check=True,
                           env={**os.environ, "DATABASE_URL": database_url})
    else:
        database_url = prepare(database_url=args.database_url, events=args.events, work=work)
    os.environ.update({"DATABASE_URL": database_url, "DJANGO_DEBUG": "0", "API_ANON_RATE": "100000000/second"})
    import django

    django.setup()
    from django.db import connection

    result = measure(rounds=args.rounds, requests=args.requests)
    result["command"] = " ".join([".venv/bin/python", "bench/filters_bench.py", *(argv if argv is not None else sys.argv[1:])])
    print(table(result, vendor=connection.vendor))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""The range query over HTTP: ours (``make serve``), Datasette and a floor app, loaded with wrk.

"Events overlapping 2022-01-01..2023-12-31, 50 per page", on the same SQLite file, same number of
workers, same wrk settings, one server loaded at a time: ours and the floor in turns (three rounds,
the median ratio reported), then Datasette. Also: the cursor page 1,000 pages deep against the first
page, and the peak RSS of the serving processes.
"""

from __future__ import annotations

import json
import re
import subprocess
import urllib.request
from pathlib import Path

from . import procs

ROOT = Path(__file__).resolve().parent.parent
START, END = "2022-01-01", "2023-12-31"
OURS = f"/api/events/?start={START}&end={END}&page_size=50"


def wrk(url: str, *, seconds: int, connections: int = 8, threads: int = 2, timeout: int = 10,
        headers: list[str] = ()) -> dict:
    extra = [part for header in headers for part in ("-H", header)]
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s",
                          "--latency", *extra, url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    # wrk leaves requests that exceed its timeout out of the latency figures: report them.
    timeouts = re.search(r"timeout (\d+)", out)
    done = re.search(r"(\d+) requests in", out)
    return {"rps": rps, "p99_ms": p99, "non_2xx": int(errors.group(1)) if errors else 0,
            "timeouts": int(timeouts.group(1)) if timeouts else 0, "requests": int(done.group(1)),
            "wrk_timeout_s": timeout}


def _ms(text: str) -> float:
    value, unit = float(re.match(r"[\d.]+", text).group()), re.search(r"[a-z]+$", text).group()
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def _ours_env(db: Path | str, port: int, workers: int) -> dict:
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    return {"DATABASE_URL": url, "PORT": str(port), "WEB_CONCURRENCY": str(workers),
            "DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdef",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0",
            # The throttle stays in the request path (its cache lookups are part of our cost)
            # but must not answer 429 to a load generator.
            "API_ANON_RATE": "100000000/second"}


def deep_cursor_url(base: str, *, pages: int) -> str:
    """Follow ``next`` links ``pages`` times from the first page and return the last URL."""
    url = base
    for _ in range(pages):
        with urllib.request.urlopen(url) as response:
            url = json.load(response)["next"]
    return url


def side_by_side(ours_url: str, floor_url: str, *, seconds: int, rounds: int) -> tuple[dict, dict]:
    """wrk on ours and on the floor in turns, ``rounds`` times each, both servers up (an idle one
    costs nothing): the shared machine's speed drifts by ±15 % over minutes, and taking turns lets
    the drift touch both. The figures are those of the round with the median ratio; every round is
    kept under ``rounds``."""
    pairs = [(wrk(ours_url, seconds=seconds), wrk(floor_url, seconds=seconds)) for _ in range(rounds)]
    ours, floor_ = sorted(pairs, key=lambda pair: pair[0]["rps"] / pair[1]["rps"])[len(pairs) // 2]
    every = [{"ours_rps": o["rps"], "floor_rps": f["rps"], "ratio": round(o["rps"] / f["rps"], 3)} for o, f in pairs]
    return {**ours, "rounds": every}, {**floor_, "rounds": every}


def _floor_server(env: dict, port: int, workers: int):
    """The floor app (``bench/floor_app.py``) under the same gunicorn settings as ours."""
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    server = procs.start([str(gunicorn), "bench.floor_app:app", "--bind", f"127.0.0.1:{port}",
                          "--workers", str(workers), "--access-logfile", "-"], env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/?start={START}&end={END}"
    procs.wait_ready(url)
    return server, url


def run(*, db: Path, seconds: int, workers: int = 2, deep_pages: int = 1000, rounds: int = 3) -> dict:
    results: dict = {}
    port = 8811
    server = procs.start(["make", "-s", "serve"], env=_ours_env(db, port, workers), cwd=ROOT)
    floor_server = None
    try:
        base = f"http://127.0.0.1:{port}"
        procs.wait_ready(base + OURS)
        floor_server, floor_url = _floor_server({"FLOOR_DB": str(db)}, port + 2, workers)
        results["ours"], results["floor"] = side_by_side(base + OURS, floor_url, seconds=seconds, rounds=rounds)
        procs.stop(floor_server)
        floor_server = None
        # The deep page needs enough rows: a window holding 1,000 pages of 50 if the data has them.
        deep_base = base + f"/api/events/?start=1900-01-01&end={END}&page_size=50"
        # In turns, like ours against the floor: loaded once each, a minute of the machine's drift
        # landed whole in the ratio (1.40x in one run, 1.03-1.23 in process right after).
        results["ours_deep_page"], results["ours_first_page"] = side_by_side(
            deep_cursor_url(deep_base, pages=deep_pages), deep_base, seconds=seconds, rounds=rounds)
        results["ours_rss_mib"] = procs.peak_rss_mib(server.pid)
    finally:
        procs.stop(server)
        if floor_server is not None:
            procs.stop(floor_server)

    port += 1
    datasette = ROOT / ".venv" / "bin" / "datasette"
    server = procs.start([str(datasette), "serve", str(db), "--port", str(port)], env={}, cwd=ROOT)
    try:
        name = db.stem
        url = (f"http://127.0.0.1:{port}/{name}/timeline_event.json?earliest__lte={END}&latest__gte={START}"
               "&_sort=earliest&_size=50")
        procs.wait_ready(url)
        results["datasette"] = wrk(url, seconds=seconds)
        results["datasette_rss_mib"] = procs.peak_rss_mib(server.pid)
    finally:
        procs.stop(server)
    return results


def run_postgres(*, database_url: str, seconds: int, workers: int = 2, rounds: int = 3) -> dict:
    """The same range query with PostgreSQL behind both: ours (``make serve``) and the floor app on
    psycopg, same database, same workers, same wrk settings, in turns."""
    results: dict = {}
    port = 8821
    server = procs.start(["make", "-s", "serve"], env=_ours_env(database_url, port, workers), cwd=ROOT)
    floor_server = None
    try:
        base = f"http://127.0.0.1:{port}"
        procs.wait_ready(base + OURS)
        dsn = database_url.replace("postgres://", "postgresql://")
        floor_server, floor_url = _floor_server({"FLOOR_DSN": dsn}, port + 1, workers)
        results["ours"], results["floor"] = side_by_side(base + OURS, floor_url, seconds=seconds, rounds=rounds)
        # One event a page: what the framework costs before any row (middleware, DRF, filters,
        # pagination, its two queries), to compare with what a third of the floor leaves.
        results["ours_one_event"] = wrk(base + OURS.replace("page_size=50", "page_size=1"), seconds=seconds)
        results["ours_rss_mib"] = procs.peak_rss_mib(server.pid)
    finally:
        procs.stop(server)
        if floor_server is not None:
            procs.stop(floor_server)
    # The opt-in PG_PREPARE_THRESHOLD (server-side binding, prepared statements; README says what it
    # costs): what it gives on the same query, one run after the rounds.
    port += 2
    env = {**_ours_env(database_url, port, workers), "PG_PREPARE_THRESHOLD": "5"}
    server = procs.start(["make", "-s", "serve"], env=env, cwd=ROOT)
    try:
        procs.wait_ready(f"http://127.0.0.1:{port}" + OURS)
        results["ours_prepared"] = wrk(f"http://127.0.0.1:{port}" + OURS, seconds=seconds)
    finally:
        procs.stop(server)
    return results

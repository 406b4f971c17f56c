"""The range query over HTTP: ours (``make serve``), two floors and Datasette, loaded with wrk.

"Events overlapping 2022-01-01..2023-12-31, 50 per page", on the same SQLite file, same number of
workers, same wrk settings, one server loaded at a time, in turns (ours, the same-output floor, the
flat floor, Datasette as a speed-minded user runs it; three rounds; each ratio is the median of its
rounds, every round kept). Before any timing the floors are checked against ours: the same-output
floor must write our page byte for byte (the same JSON value on PostgreSQL), the flat floor the same
events in the same order; the run stops if not. Datasette's default JSON (which counts every matching
row) is measured once beside. Ours is also served with ``SHARED_CACHE_URL`` (its throttle counts in
a throwaway redis-server, as an operator of several hosts runs it; issue 19) in the same rounds, and
its ratio to Datasette reported beside the default's. Also: the cursor page 1,000 pages deep against
the first page, and the peak RSS of the serving processes. Every wrk command is printed and kept, to rerun one line.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path

from . import procs

ROOT = Path(__file__).resolve().parent.parent
START, END = "2022-01-01", "2023-12-31"
OURS = f"/api/events/?start={START}&end={END}&page_size=50"


def wrk(url: str, *, seconds: int, connections: int = 8, threads: int = 2, timeout: int = 10,
        headers: list[str] = ()) -> dict:
    extra = [part for header in headers for part in ("-H", header)]
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s", "--latency",
               *extra, url]
    print("  $", shlex.join(command), file=sys.stderr, flush=True)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    # wrk leaves requests that exceed its timeout out of the latency figures: report them.
    timeouts = re.search(r"timeout (\d+)", out)
    done = re.search(r"(\d+) requests in", out)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx": int(errors.group(1)) if errors else 0,
            "timeouts": int(timeouts.group(1)) if timeouts else 0, "requests": int(done.group(1)),
            "wrk_timeout_s": timeout, "command": shlex.join(command)}


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


def in_turns(urls: dict[str, str], *, seconds: int, rounds: int) -> dict:
    """wrk on each server in turns, ``rounds`` times, every server up (an idle one costs nothing):
    the shared machine's speed drifts by ±15 % over minutes, and taking turns lets the drift touch
    all of them. The first name is ours; every other one is a peer, whose ratio (ours / the peer's
    req/s) is taken in each round and reported as the median over the rounds."""
    runs: dict[str, list] = {name: [] for name in urls}
    for _ in range(rounds):
        for name, url in urls.items():
            runs[name].append(wrk(url, seconds=seconds))
    ours = next(iter(urls))
    result: dict = {"urls": dict(urls), "runs": runs}
    for name in list(urls)[1:]:
        result[name] = peer_ratio(runs, ours, name)
    return result


def _get(url: str, *, host: str | None = None) -> bytes:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


class FloorMismatch(AssertionError):
    """A floor does not answer what ours answers: its figures would mean nothing."""


def check_floors(ours_url: str, same_url: str, flat_url: str, *, exact_bytes: bool) -> dict:
    """The same-output floor must write our page byte for byte (``exact_bytes``; on PostgreSQL,
    whose JSON functions space their output, the same JSON value), the flat floor the very events
    of our page in its order. Raises FloorMismatch naming the first difference."""
    host = ours_url.split("/")[2]
    ours = _get(ours_url)
    same = _get(same_url, host=host)  # the links in the page are built from the Host header
    ours_value, same_value = json.loads(ours), json.loads(same)
    if (ours != same) if exact_bytes else (ours_value != same_value):
        at = next((i for i, (a, b) in enumerate(zip(ours, same, strict=False)) if a != b), min(len(ours), len(same)))
        raise FloorMismatch(f"the same-output floor differs from ours at byte {at}:\n ours:  {ours[max(0, at - 80):at + 80]!r}\n"
                            f" floor: {same[max(0, at - 80):at + 80]!r}\n ({ours_url} vs {same_url})")
    ours_ids = [event["id"] for event in ours_value["results"]]
    flat_ids = [event["id"] for event in json.loads(_get(flat_url))["results"]]
    if ours_ids != flat_ids or not ours_ids:
        raise FloorMismatch(f"the flat floor's events differ from ours: {flat_ids[:10]}… vs {ours_ids[:10]}… "
                            f"({flat_url} vs {ours_url})")
    return {"events": len(ours_ids), "ours_bytes": len(ours), "same_output_bytes": len(same),
            "byte_for_byte": ours == same, "same_value": ours_value == same_value, "flat_same_ids": True}


def _floor_server(env: dict, port: int, workers: int):
    """The floor app (``bench/floor_app.py``) under the same gunicorn settings as ours; the URLs of
    its same-output page and its flat page."""
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    server = procs.start([str(gunicorn), "bench.floor_app:app", "--bind", f"127.0.0.1:{port}",
                          "--workers", str(workers), "--access-logfile", "-"], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    flat_url = f"{base}/flat/?start={START}&end={END}"
    procs.wait_ready(flat_url)
    return server, base + OURS, flat_url


def _redis(directory: Path):
    """A throwaway redis-server on a Unix socket in ``directory`` (nothing saved): the shared cache of
    ``SHARED_CACHE_URL``. None, None without redis-server (``make redis`` installs it)."""
    import shutil
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        print("  redis-server is missing ('make redis'): ours with SHARED_CACHE_URL is not measured", file=sys.stderr)
        return None, None
    socket = directory / "bench-redis.sock"
    socket.unlink(missing_ok=True)
    server = procs.start([binary, "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
                          "--save", "", "--appendonly", "no", "--dir", str(directory)], env={}, cwd=ROOT)
    for _ in range(200):
        if socket.exists():
            return server, f"unix://{socket}"
        time.sleep(0.05)
    procs.stop(server)
    raise RuntimeError("the bench's redis-server did not open its socket")


def peer_ratio(runs: dict, ours: str, peer: str) -> dict:
    """``ours`` / ``peer`` req/s in each round of ``in_turns`` runs, and the median round's."""
    ratios = [o["rps"] / p["rps"] for o, p in zip(runs[ours], runs[peer], strict=True)]
    median = sorted(range(len(ratios)), key=lambda i: ratios[i])[len(ratios) // 2]
    return {"ratio": round(ratios[median], 3), "rounds": [round(r, 3) for r in ratios],
            "ours": runs[ours][median], "peer": runs[peer][median]}


def _datasette(db: Path, port: int, *, speed_minded: bool):
    """``datasette serve`` on the same file (so with the same indexes): by default, or as a user who
    cares about speed runs it, the file immutable (Datasette skips its change checks and caches the
    table's count) and no facet suggestions (each costs queries); the URL of the range query, as its
    default JSON (which counts every matching row) or as ``_shape=array&_nocount=1``."""
    datasette = ROOT / ".venv" / "bin" / "datasette"
    args = (["-i", str(db), "--setting", "suggest_facets", "off"] if speed_minded else [str(db)])
    server = procs.start([str(datasette), "serve", *args, "--port", str(port)], env={}, cwd=ROOT)
    url = (f"http://127.0.0.1:{port}/{db.stem}/timeline_event.json?earliest__lte={END}&latest__gte={START}"
           "&status__exact=reviewed&_sort=earliest&_size=50")
    if speed_minded:
        url += "&_shape=array&_nocount=1"
    procs.wait_ready(url)
    return server, url


def run(*, db: Path, seconds: int, workers: int = 2, deep_pages: int = 1000, rounds: int = 3) -> dict:
    results: dict = {}
    port = 8811
    started = []
    try:
        server = procs.start(["make", "-s", "serve"], env=_ours_env(db, port, workers), cwd=ROOT)
        started.append(server)
        base = f"http://127.0.0.1:{port}"
        procs.wait_ready(base + OURS)
        floor_server, same_url, flat_url = _floor_server({"FLOOR_DB": str(db)}, port + 2, workers)
        started.append(floor_server)
        results["floor_check"] = check_floors(base + OURS, same_url, flat_url, exact_bytes=True)
        datasette, datasette_url = _datasette(db, port + 3, speed_minded=True)
        started.append(datasette)
        servers = {"ours": base + OURS, "same_output_floor": same_url, "flat_floor": flat_url,
                   "datasette_nocount": datasette_url}
        redis, redis_url = _redis(Path(db).parent)
        if redis is not None:
            started.append(redis)
            shared = procs.start(["make", "-s", "serve"], cwd=ROOT,
                                 env={**_ours_env(db, port + 5, workers), "SHARED_CACHE_URL": redis_url})
            started.append(shared)
            servers["ours_shared_cache"] = f"http://127.0.0.1:{port + 5}{OURS}"
            procs.wait_ready(servers["ours_shared_cache"])
        results["range"] = in_turns(servers, seconds=seconds, rounds=rounds)
        if redis is not None:
            results["range"]["shared_cache_vs_datasette"] = peer_ratio(results["range"]["runs"], "ours_shared_cache",
                                                                       "datasette_nocount")
            for process in (shared, redis):
                procs.stop(process)
                started.remove(process)
        results["datasette_nocount_rss_mib"] = procs.peak_rss_mib(datasette.pid)
        procs.stop(datasette)
        started.remove(datasette)
        procs.stop(floor_server)
        started.remove(floor_server)
        # The deep page needs enough rows: a window holding 1,000 pages of 50 if the data has them.
        deep_base = base + f"/api/events/?start=1900-01-01&end={END}&page_size=50"
        # In turns: loaded once each, a minute of the machine's drift landed whole in the ratio
        # (1.40x in one run, 1.03-1.23 in process right after).
        results["deep"] = in_turns({"first_page": deep_base, "deep_page": deep_cursor_url(deep_base, pages=deep_pages)},
                                   seconds=seconds, rounds=rounds)
        results["ours_rss_mib"] = procs.peak_rss_mib(server.pid)
        procs.stop(server)
        started.remove(server)
        # Datasette's default JSON counts every matching row on each request: once, for the record.
        datasette, datasette_url = _datasette(db, port + 4, speed_minded=False)
        started.append(datasette)
        results["datasette_default"] = wrk(datasette_url, seconds=seconds)
        results["datasette_default"]["url"] = datasette_url
        results["datasette_rss_mib"] = procs.peak_rss_mib(datasette.pid)
    finally:
        for process in started:
            procs.stop(process)
    return results


def run_postgres(*, database_url: str, seconds: int, workers: int = 2, rounds: int = 3) -> dict:
    """The same range query with PostgreSQL behind ours (``make serve``) and both floors (psycopg),
    same database, same workers, same wrk settings, in turns."""
    results: dict = {}
    port = 8821
    started = []
    try:
        server = procs.start(["make", "-s", "serve"], env=_ours_env(database_url, port, workers), cwd=ROOT)
        started.append(server)
        base = f"http://127.0.0.1:{port}"
        procs.wait_ready(base + OURS)
        dsn = database_url.replace("postgres://", "postgresql://")
        floor_server, same_url, flat_url = _floor_server({"FLOOR_DSN": dsn}, port + 1, workers)
        started.append(floor_server)
        results["floor_check"] = check_floors(base + OURS, same_url, flat_url, exact_bytes=False)
        results["range"] = in_turns({"ours": base + OURS, "same_output_floor": same_url, "flat_floor": flat_url},
                                    seconds=seconds, rounds=rounds)
        # One event a page: what the framework costs before any row (middleware, DRF, filters,
        # pagination, its two queries), to compare with what the floors leave.
        results["ours_one_event"] = wrk(base + OURS.replace("page_size=50", "page_size=1"), seconds=seconds)
        results["ours_rss_mib"] = procs.peak_rss_mib(server.pid)
    finally:
        for process in started:
            procs.stop(process)
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

"""CSV export on PostgreSQL against ``COPY (SELECT …) TO STDOUT`` producing the same columns.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/timeline_bench_served_100000 \\
        python -m bench.exports_bench --events 100000 --rounds 2

Ours: one ``GET /api/events/?format=csv&start=…`` through Django's WSGI handler in this process (no
HTTP server: neither side pays for one), the streamed body read to the end. The floor: psycopg's
``COPY (SELECT …) TO STDOUT WITH (FORMAT csv, HEADER)`` of the same events in the same order with
the same 21 columns computed by the server (the URL, the date text, open bounds empty, parties in
their listing order without repeats, "slug:role" pairs, places, distinct source ids, time stamps as
Python writes them, the spreadsheet-formula quote of ``timeline.exports.csv``), read to the end.
Before timing, both files are parsed with the csv module and compared row by row; the run stops if
they differ (the floor must produce what ours produces, not less). ``start`` is chosen so that about
``--events`` events match (all of them in the quick run's 100,000-event database). Ours and the floor
run in turns, ``--rounds`` times each; each figure is the median.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
os.environ.setdefault("API_ANON_RATE", "1000000000/second")

HOST = "localhost"


def _text(column: str) -> str:
    """A text column as ``timeline.exports.csv.neutralise`` writes it (empty as NULL: PostgreSQL's
    CSV quotes an empty string, and both read back as an empty cell)."""
    return (f"NULLIF(CASE WHEN left({column}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r', E'\\n', '''') "
            f"THEN '''' || {column} ELSE {column} END, '')")


def _stamp(column: str) -> str:
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN extract(microseconds FROM {column})::bigint "
            f"% 1000000 = 0 THEN '' ELSE to_char({utc}, '.US') END || '+00:00'")


COPY_SELECT = f"""
SELECT e.id,
  'http://{HOST}/api/events/' || e.id || '/',
  {_text("coalesce(e.key, '')")}, {_text("e.title")}, {_text("e.summary")}, {_text("e.kind")}, {_text("e.status")},
  {_text("CASE WHEN e.end_text <> '' THEN e.date_text || ' – ' || e.end_text ELSE e.date_text END")},
  CASE WHEN e.earliest = '0001-01-01' THEN NULL ELSE e.earliest END,
  CASE WHEN e.latest = '9999-12-31' THEN NULL ELSE e.latest END,
  {_text("e.precision")}, {_text("e.edtf")}, {_text("e.date_label")},
  CASE WHEN e.approximate THEN 'true' ELSE 'false' END, CASE WHEN e.uncertain THEN 'true' ELSE 'false' END,
  (SELECT {_text("string_agg(slug, ';' ORDER BY n)")} FROM (
     SELECT p.slug, min(x.n) AS n FROM (
       SELECT pa.party_id, row_number() OVER (ORDER BY pa.role, p2.name, pa.id) AS n
       FROM timeline_participation pa JOIN timeline_party p2 ON p2.id = pa.party_id WHERE pa.event_id = e.id) x
     JOIN timeline_party p ON p.id = x.party_id GROUP BY p.slug) ps),
  (SELECT {_text("string_agg(p.slug || ':' || pa.role, ';' ORDER BY pa.role, p.name, pa.id)")}
     FROM timeline_participation pa JOIN timeline_party p ON p.id = pa.party_id WHERE pa.event_id = e.id),
  (SELECT {_text("string_agg(pl.slug, ';' ORDER BY pl.name, pl.id)")}
     FROM timeline_event_places ep JOIN timeline_place pl ON pl.id = ep.place_id WHERE ep.event_id = e.id),
  (SELECT string_agg(s::text, ';' ORDER BY s) FROM (SELECT DISTINCT c.source_id AS s FROM timeline_citation c
     WHERE c.event_id = e.id) cs),
  {_stamp("e.created")}, {_stamp("e.updated")}
FROM timeline_event e
WHERE e.status = 'reviewed' AND e.latest >= %(start)s
ORDER BY e.earliest, e.latest, e.id
"""


def ours(start: str) -> tuple[float, bytes]:
    from django.core.handlers.wsgi import WSGIHandler

    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/api/events/", "QUERY_STRING": f"format=csv&start={start}",
        "SERVER_NAME": HOST, "SERVER_PORT": "80", "HTTP_HOST": HOST, "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "REMOTE_ADDR": "127.0.0.1",
    }
    status = []
    began = time.perf_counter()
    body = WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s))
    out = b"".join(body)
    body.close()
    seconds = time.perf_counter() - began
    if not status[0].startswith("200"):
        raise RuntimeError(f"our export answered {status[0]}: {out[:500]!r}")
    return seconds, out


def copy_floor(dsn: str, start: str) -> tuple[float, bytes]:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute("SET random_page_cost = 1.1")  # as ours (timeline/settings.py)
        began = time.perf_counter()
        out = io.BytesIO()
        with con.cursor() as cursor:
            query = psycopg.sql.SQL(COPY_SELECT.replace("%(start)s", "{start}")).format(start=psycopg.sql.Literal(start))
            with cursor.copy(psycopg.sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER)").format(query)) as copy:
                for block in copy:
                    out.write(block)
        return time.perf_counter() - began, out.getvalue()


def compare(ours_csv: bytes, floor_csv: bytes) -> int:
    """The number of events, after checking that both files hold the same cells (the header aside:
    the floor's is the SELECT's column names)."""
    a = csv.reader(io.StringIO(ours_csv.decode()))
    b = csv.reader(io.StringIO(floor_csv.decode()))
    next(a), next(b)
    n = 0
    for n, (x, y) in enumerate(zip(a, b, strict=True), start=1):
        if x != y:
            diff = [(i, p, q) for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q]
            raise AssertionError(f"row {n} differs between ours and the COPY floor (column, ours, floor): {diff[:5]}")
    return n


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("exports_bench compares with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database")
    dsn = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://")
    with connection.cursor() as cursor:
        cursor.execute("SELECT latest FROM timeline_event WHERE status = 'reviewed' ORDER BY latest DESC "
                       "OFFSET %s LIMIT 1", [args.events - 1])
        row = cursor.fetchone()
    start = "0001-01-01" if row is None else row[0].isoformat()
    # Checked once, then timed in turns.
    ours_s, ours_csv = ours(start)
    floor_s, floor_csv = copy_floor(dsn, start)
    rows = compare(ours_csv, floor_csv)
    times: dict[str, list[float]] = {"ours": [ours_s], "copy": [floor_s]}
    for _ in range(args.rounds - 1):
        times["ours"].append(ours(start)[0])
        times["copy"].append(copy_floor(dsn, start)[0])
    ours_med, copy_med = statistics.median(times["ours"]), statistics.median(times["copy"])
    result = {
        "rows": rows, "start": start, "query": f"/api/events/?format=csv&start={start}",
        "ours_s": round(ours_med, 3), "copy_s": round(copy_med, 3), "rounds": times,
        "ours_rows_per_s": round(rows / ours_med), "copy_rows_per_s": round(rows / copy_med),
        "ratio": round(copy_med / ours_med, 3), "ours_bytes": len(ours_csv), "copy_bytes": len(floor_csv),
        "command": f"DATABASE_URL={os.environ['DATABASE_URL']} python -m bench.exports_bench --events {args.events} "
                   f"--rounds {args.rounds}",
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

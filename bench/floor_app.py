"""The floor for the range query: a minimal WSGI app, plain sqlite3 + orjson, no framework.

    FLOOR_DB=/path/db.sqlite3 gunicorn bench.floor_app:app
    FLOOR_DSN=postgresql://postgres@127.0.0.1:5432/name gunicorn bench.floor_app:app   # psycopg

``/?start=2022-01-01&end=2023-12-31`` returns the first 50 overlapping events (id, title, date
columns) in chronological order: the least any server can do for that request.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from urllib.parse import parse_qs

import orjson

SQL = (
    "SELECT id, title, earliest, latest, precision, edtf, date_label FROM timeline_event "
    "WHERE earliest <= ? AND latest >= ? ORDER BY earliest, latest, id LIMIT 50"
)
COLUMNS = ("id", "title", "earliest", "latest", "precision", "edtf", "date_label")
_local = threading.local()


def _connection():
    if not hasattr(_local, "db"):
        if os.environ.get("FLOOR_DSN"):
            import psycopg

            _local.db = psycopg.connect(os.environ["FLOOR_DSN"], autocommit=True)
        else:
            _local.db = sqlite3.connect(f"file:{os.environ['FLOOR_DB']}?mode=ro", uri=True)
            # The page cache ours has (SQLITE_CACHE_MIB): the floor's one query fits in SQLite's
            # default 2 MiB anyway (1.96 vs 1.97 ms a request), but the settings stay the same.
            _local.db.execute(f"PRAGMA cache_size=-{int(os.environ.get('SQLITE_CACHE_MIB', '64')) * 1024}")
    return _local.db


def _rows(start: str, end: str) -> list[tuple]:
    db = _connection()
    if isinstance(db, sqlite3.Connection):
        return db.execute(SQL, (end, start)).fetchall()
    rows = db.execute(SQL.replace("?", "%s"), (end, start)).fetchall()
    return [(i, t, e.isoformat(), la.isoformat(), p, x, lbl) for i, t, e, la, p, x, lbl in rows]


def app(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    start, end = query.get("start", ["0001-01-01"])[0], query.get("end", ["9999-12-31"])[0]
    rows = _rows(start, end)
    body = orjson.dumps({"results": [dict(zip(COLUMNS, row, strict=True)) for row in rows]})
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]

"""The floor for the range query: a minimal WSGI app, plain sqlite3 + orjson, no framework.

    FLOOR_DB=/path/db.sqlite3 gunicorn bench.floor_app:app

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


def _connection() -> sqlite3.Connection:
    if not hasattr(_local, "db"):
        _local.db = sqlite3.connect(f"file:{os.environ['FLOOR_DB']}?mode=ro", uri=True)
    return _local.db


def app(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    start, end = query.get("start", ["0001-01-01"])[0], query.get("end", ["9999-12-31"])[0]
    rows = _connection().execute(SQL, (end, start)).fetchall()
    body = orjson.dumps({"results": [dict(zip(COLUMNS, row, strict=True)) for row in rows]})
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]

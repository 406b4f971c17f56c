"""The floors for the range query: a minimal WSGI app, plain sqlite3 (or psycopg) + orjson, no framework.

    FLOOR_DB=/path/db.sqlite3 gunicorn bench.floor_app:app
    FLOOR_DSN=postgresql://postgres@127.0.0.1:5432/name gunicorn bench.floor_app:app   # psycopg

Two answers to "events overlapping start..end, 50 a page, in (earliest, latest, id) order, reviewed
events only" (what ``/api/events/?start=…&end=…&page_size=50`` answers to an anonymous client):

- ``/flat/?start=2022-01-01&end=2023-12-31``: **the flat floor**, the page's events as flat rows
  (id, title, date columns): the least any server can do for that request.
- ``/api/events/?start=2022-01-01&end=2023-12-31&page_size=50``: **the same-output floor**, the page
  exactly as our API writes it (nested parties, citations with their sources' summaries, places; the
  ``next`` link and its cursor), byte for byte on SQLite, the same JSON value on PostgreSQL (whose
  ``json_build_object`` spaces its output): the honest bound for "with nested data". ``bench/
  http_bench.py`` checks both floors against ours before it times them and stops if they differ.

Both find the page with **bounded index scans**, three queries merged in the key's order:
rows with an open start (``earliest`` = the reserved first day: one index seek); rows with an open
end (``latest`` = the reserved last day, few); and bounded rows whose start lies within the longest
finite span before the window (``earliest`` between ``start − longest`` and ``end``). Scanning the
chronology index from its first row instead reads every event that ends before the window. The
longest finite span is read once when a worker starts (a full scan): a floor is allowed what a
server would have to keep up to date on every write, which makes it a stronger peer, not a weaker one.
"""

from __future__ import annotations

import base64
import heapq
import os
import sqlite3
import threading
from datetime import UTC, date, timedelta
from urllib.parse import parse_qs, urlencode

import orjson

OPEN_START, OPEN_END = "0001-01-01", "9999-12-31"  # timeline.fuzzy_columns (no Django here)
PAGE = 50
KEY = "earliest, latest, id"
EVENT_COLUMNS = ("id, key, title, summary, kind, status, date_text, end_text, earliest, latest, precision, edtf, "
                 "date_label, approximate, uncertain, date_anchor_id, created, updated")
FLAT_COLUMNS = ("id", "title", "earliest", "latest", "precision", "edtf", "date_label")


def _bounded(columns: str) -> tuple[str, str, str]:
    """The three queries, parameters (open start) ``start``; (open end) ``end``; (bounded) ``lowest
    start, end, start``; each ordered by the key and limited to a page and one more row."""
    tail = f" AND status = 'reviewed' ORDER BY {KEY} LIMIT {PAGE + 1}"
    return (
        f"SELECT {columns} FROM timeline_event WHERE earliest = '{OPEN_START}' AND latest >= ?{tail}",
        f"SELECT {columns} FROM timeline_event WHERE latest = '{OPEN_END}' AND earliest > '{OPEN_START}' "
        f"AND earliest <= ?{tail}",
        f"SELECT {columns} FROM timeline_event WHERE earliest >= ? AND earliest <= ? AND latest >= ? "
        f"AND latest < '{OPEN_END}'{tail}",
    )


FLAT_SQL = _bounded("earliest, latest, id, title, precision, edtf, date_label")
EVENTS_SQL = _bounded(f"earliest, latest, {EVENT_COLUMNS}")
PARTIES_SQL = ("SELECT pa.event_id, p.slug, p.name, p.kind, pa.role FROM timeline_participation pa "
               "JOIN timeline_party p ON p.id = pa.party_id WHERE pa.event_id IN ({ids}) "
               "ORDER BY pa.role, p.name, pa.id")
CITATIONS_SQL = ("SELECT c.event_id, s.id, s.title, pub.slug, pub.name, s.url, s.published_text, s.published_earliest, "
                 "s.published_latest, s.published_precision, s.published_edtf, s.published_label, "
                 "s.published_approximate, s.published_uncertain, c.quote, c.char_start, c.char_end, by_.slug, by_.name "
                 "FROM timeline_citation c JOIN timeline_source s ON s.id = c.source_id "
                 "LEFT JOIN timeline_party pub ON pub.id = s.publisher_id "
                 "LEFT JOIN timeline_party by_ ON by_.id = c.attributed_to_id "
                 "WHERE c.event_id IN ({ids}) ORDER BY c.source_id, c.char_start, c.id")
PLACES_SQL = ("SELECT ep.event_id, pl.slug, pl.name, pl.kind FROM timeline_event_places ep "
              "JOIN timeline_place pl ON pl.id = ep.place_id WHERE ep.event_id IN ({ids}) ORDER BY pl.name, ep.place_id")

_local = threading.local()


class _Db:
    """One connection per worker thread, with the few differences between the two drivers."""

    def __init__(self):
        if os.environ.get("FLOOR_DSN"):
            import psycopg

            self.pg = True
            self.con = psycopg.connect(os.environ["FLOOR_DSN"], autocommit=True)
            span = self.con.execute(
                f"SELECT max(latest - earliest) FROM timeline_event WHERE earliest > '{OPEN_START}' "
                f"AND latest < '{OPEN_END}'").fetchone()[0]
        else:
            self.pg = False
            self.con = sqlite3.connect(f"file:{os.environ['FLOOR_DB']}?mode=ro", uri=True)
            # The page cache ours has (SQLITE_CACHE_MIB).
            self.con.execute(f"PRAGMA cache_size=-{int(os.environ.get('SQLITE_CACHE_MIB', '64')) * 1024}")
            span = self.con.execute(
                f"SELECT max(julianday(latest) - julianday(earliest)) FROM timeline_event "
                f"WHERE earliest > '{OPEN_START}' AND latest < '{OPEN_END}'").fetchone()[0]
        self.longest = timedelta(days=int(span or 0))

    def rows(self, sql: str, params) -> list[tuple]:
        if self.pg:
            return self.con.execute(sql.replace("?", "%s"), params).fetchall()
        return self.con.execute(sql, params).fetchall()

    def related(self, sql: str, ids: list[int]) -> list[tuple]:
        if self.pg:
            return self.con.execute(sql.replace("IN ({ids})", "= ANY(%s)"), (ids,)).fetchall()
        return self.con.execute(sql.replace("{ids}", ",".join("?" * len(ids))), ids).fetchall()

    def iso(self, value) -> str:
        return value.isoformat() if self.pg else value


def _db() -> _Db:
    if not hasattr(_local, "db"):
        _local.db = _Db()
    return _local.db


def page_rows(db: _Db, queries: tuple[str, str, str], start: str, end: str) -> list[tuple]:
    """The first 51 overlapping rows in key order (each row starts with earliest, latest, id)."""
    lowest = date.fromisoformat(start) - db.longest if start > OPEN_START else date(1, 1, 2)
    lowest = max(lowest, date(1, 1, 2))
    if db.pg:
        start_value, end_value = date.fromisoformat(start), date.fromisoformat(end)
    else:
        start_value, end_value, lowest = start, end, lowest.isoformat()
    parts = (db.rows(queries[0], (start_value,)), db.rows(queries[1], (end_value,)),
             db.rows(queries[2], (lowest, end_value, start_value)))
    return list(heapq.merge(*parts, key=lambda row: row[:3]))[: PAGE + 1]


def flat(start: str, end: str) -> bytes:
    db = _db()
    rows = page_rows(db, FLAT_SQL, start, end)[:PAGE]
    return orjson.dumps({"results": [
        {"id": i, "title": t, "earliest": db.iso(e), "latest": db.iso(la), "precision": p, "edtf": x, "date_label": lbl}
        for e, la, i, t, p, x, lbl in rows]})


def _bound(db: _Db, value, reserved: str):
    text = db.iso(value)
    return None if text == reserved else text


def _stamp(db: _Db, value) -> str:
    if not db.pg:  # Django stores an aware datetime as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'
        return value.replace(" ", "T") + "Z"
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S") + (f".{value.microsecond:06d}" if value.microsecond else "") + "Z"


def _published(db: _Db, text, earliest, latest, precision, edtf, label, approximate, uncertain):
    if edtf == "":
        return None
    return {"text": text, "earliest": _bound(db, earliest, OPEN_START), "latest": _bound(db, latest, OPEN_END),
            "precision": precision, "edtf": edtf, "label": label, "approximate": bool(approximate),
            "uncertain": bool(uncertain)}


def same_output(host: str, query: dict) -> bytes:
    """The page as our API writes it, from flat rows: the events, then their parties, citations and
    places in one query each (the page's ids as parameters), nested in Python."""
    db = _db()
    start, end = query["start"][0], query["end"][0]
    rows = page_rows(db, EVENTS_SQL, start, end)
    more, rows = len(rows) > PAGE, rows[:PAGE]
    base = f"http://{host}/api/"
    events_url, sources_url = base + "events/", base + "sources/"
    ids = [row[2] for row in rows]
    parties: dict[int, list] = {i: [] for i in ids}
    citations: dict[int, list] = {i: [] for i in ids}
    places: dict[int, list] = {i: [] for i in ids}
    if ids:
        for event_id, slug, name, kind, role in db.related(PARTIES_SQL, ids):
            parties[event_id].append({"slug": slug, "name": name, "kind": kind, "role": role})
        for (event_id, sid, title, pub_slug, pub_name, url, p_text, p_earliest, p_latest, p_precision, p_edtf,
             p_label, p_approx, p_uncertain, quote, char_start, char_end, by_slug, by_name) in db.related(CITATIONS_SQL, ids):
            citations[event_id].append({
                "source": {"id": sid, "title": title,
                           "publisher": None if pub_slug is None else {"slug": pub_slug, "name": pub_name},
                           "article_url": url,
                           "published": _published(db, p_text, p_earliest, p_latest, p_precision, p_edtf, p_label,
                                                   p_approx, p_uncertain),
                           "url": f"{sources_url}{sid}/"},
                "quote": quote, "char_start": char_start, "char_end": char_end,
                "attributed_to": None if by_slug is None else {"slug": by_slug, "name": by_name}})
        for event_id, slug, name, kind in db.related(PLACES_SQL, ids):
            places[event_id].append({"slug": slug, "name": name, "kind": kind})
    results = []
    for (_e, _l, pk, key, title, summary, kind, status, date_text, end_text, earliest, latest, precision, edtf,
         label, approximate, uncertain, anchor, created, updated) in rows:
        results.append({
            "id": pk, "url": f"{events_url}{pk}/", "key": key, "title": title, "summary": summary, "kind": kind,
            "status": status,
            "date": {"text": f"{date_text} – {end_text}" if end_text else date_text,
                     "earliest": _bound(db, earliest, OPEN_START), "latest": _bound(db, latest, OPEN_END),
                     "precision": precision, "edtf": edtf, "label": label, "approximate": bool(approximate),
                     "uncertain": bool(uncertain)},
            "anchor_source": anchor, "parties": parties[pk], "citations": citations[pk], "places": places[pk],
            "created": _stamp(db, created), "updated": _stamp(db, updated),
        })
    next_link = None
    if more:
        last = rows[-1]
        token = orjson.dumps(["earliest,latest,id", "n", db.iso(last[0]), db.iso(last[1]), last[2]])
        token = base64.urlsafe_b64encode(token).decode().rstrip("=")
        # DRF's replace_query_param: the query's parameters sorted by name, the cursor among them.
        params = sorted({**{k: v for k, v in query.items() if k != "cursor"}, "cursor": [token]}.items())
        next_link = f"{events_url}?{urlencode(params, doseq=True)}"
    return orjson.dumps({"next": next_link, "previous": None, "results": results})


def app(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    start, end = query.get("start", ["0001-01-01"])[0], query.get("end", ["9999-12-31"])[0]
    if environ.get("PATH_INFO") == "/api/events/":
        body = same_output(environ.get("HTTP_HOST", "localhost"), query)
    else:
        body = flat(start, end)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]

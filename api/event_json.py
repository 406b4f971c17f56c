"""An event as the API serves it, built as JSON by the database in one query.

This is the one definition of the event representation: list pages, an event's detail and the
answer to a write all read it from here. The database builds each event's JSON object, its
parties, citations (each with its source's summary) and places nested, and the view passes the
text through (``orjson.Fragment``) instead of loading rows into Python objects, converting every
column, building dicts and serialising them again: that was most of a page's time
(bench/RESULTS.md). The SQL is written once, below, with a handful of expressions that SQLite and
PostgreSQL spell differently (``_SQLite`` and ``_PostgreSQL``).

What the representation promises, on both databases (``tests/test_api_event_json.py``):
- an open bound (the reserved days of ``timeline.fuzzy_columns``) is ``null``; a span written as a
  start and an end reads "start – end" in ``date.text``;
- ``created``/``updated`` in UTC as DRF writes every other time stamp of the API
  (``2024-05-01T12:00:00.250000Z``; no fraction when it is zero, as DRF's ``DateTimeField``);
- parties by (role, name, id), citations by (source, char_start, id), places by (name, id);
- a citation's source never carries the article's text.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import orjson
from django.db import connections
from rest_framework.exceptions import NotFound

from timeline.fuzzy_columns import OPEN_END, OPEN_START

OPEN_START_SQL = f"'{OPEN_START.isoformat()}'"
OPEN_END_SQL = f"'{OPEN_END.isoformat()}'"


class _Dialect:
    object_function = ""

    @classmethod
    def obj(cls, *pairs: tuple[str, str]) -> str:
        return f"{cls.object_function}(" + ", ".join(f"'{key}', {value}" for key, value in pairs) + ")"


class _SQLite(_Dialect):
    object_function = "json_object"

    @staticmethod
    def array(item: str, tables: str, where: str, order: str) -> str:
        # json() keeps the text a JSON value when it leaves the subquery, so it nests instead of
        # being quoted. SQLite before 3.44 (Python's here) takes no ORDER BY inside an aggregate;
        # one over an ordered subquery reads it in that order (SQLite does not flatten such a
        # subquery into an aggregate other than count, min and max), though its documentation
        # calls the order arbitrary: tests/test_api_event_json.py checks it. From 3.44 on,
        # json_group_array(item ORDER BY …) would say so explicitly.
        return (f"json((SELECT json_group_array(json(item)) FROM "
                f"(SELECT {item} AS item FROM {tables} WHERE {where} ORDER BY {order})))")

    @staticmethod
    def boolean(column: str) -> str:
        return f"(CASE WHEN {column} THEN json('true') ELSE json('false') END)"

    @staticmethod
    def timestamp(column: str) -> str:
        # Django stores an aware datetime as UTC text, 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
        return f"(replace({column}, ' ', 'T') || 'Z')"

    @staticmethod
    def ids(count: int) -> str:
        return "IN (" + ", ".join(["%s"] * count) + ")"

    @staticmethod
    def text(value: str) -> str:
        return value


class _PostgreSQL(_Dialect):
    object_function = "json_build_object"  # json, not jsonb: jsonb would reorder the keys

    @staticmethod
    def array(item: str, tables: str, where: str, order: str) -> str:
        return f"COALESCE((SELECT json_agg({item} ORDER BY {order}) FROM {tables} WHERE {where}), '[]'::json)"

    @staticmethod
    def boolean(column: str) -> str:
        return column

    @staticmethod
    def timestamp(column: str) -> str:
        # to_json would trim the fraction's trailing zeros ('.25'); Python writes six digits or none.
        utc = f"({column} AT TIME ZONE 'UTC')"
        return (f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN extract(microseconds FROM {column})::bigint "
                f"%% 1000000 = 0 THEN '' ELSE to_char({utc}, '.US') END || 'Z')")

    @staticmethod
    def text(value: str) -> str:
        return f"({value})::text"  # as json, psycopg would parse it into dicts

    @staticmethod
    def ids(count: int) -> str:
        return "= ANY(%s)"  # one array parameter: the statement's text is the same for any page size


def _bound(column: str, reserved: str) -> str:
    return f"(CASE WHEN {column} = {reserved} THEN NULL ELSE {column} END)"


def _party_ref(d, alias: str) -> str:
    return f"(CASE WHEN {alias}.id IS NULL THEN NULL ELSE {d.obj(('slug', f'{alias}.slug'), ('name', f'{alias}.name'))} END)"


def _fuzzy_date(d, text: str, prefix: str, label: str) -> list[tuple[str, str]]:
    return [
        ("text", text),
        ("earliest", _bound(f"{prefix}earliest", OPEN_START_SQL)),
        ("latest", _bound(f"{prefix}latest", OPEN_END_SQL)),
        ("precision", f"{prefix}precision"),
        ("edtf", f"{prefix}edtf"),
        ("label", label),
        ("approximate", d.boolean(f"{prefix}approximate")),
        ("uncertain", d.boolean(f"{prefix}uncertain")),
    ]


def _event_sql(d) -> str:
    """One row per event: (id, its JSON). Parameters: the events URL, the sources URL."""
    published = d.obj(*_fuzzy_date(d, "j_s.published_text", "j_s.published_", "j_s.published_label"))
    source = d.obj(
        ("id", "j_s.id"),
        ("title", "j_s.title"),
        ("publisher", _party_ref(d, "j_pub")),
        ("article_url", "j_s.url"),
        ("published", f"(CASE WHEN j_s.published_edtf = '' THEN NULL ELSE {published} END)"),
        ("url", "(%(sources)s || j_s.id || '/')"),
    )
    citation = d.obj(
        ("source", source),
        ("quote", "j_c.quote"),
        ("char_start", "j_c.char_start"),
        ("char_end", "j_c.char_end"),
        ("attributed_to", _party_ref(d, "j_by")),
    )
    date_text = "(CASE WHEN e.end_text <> '' THEN e.date_text || ' – ' || e.end_text ELSE e.date_text END)"
    event = d.obj(
        ("id", "e.id"),
        ("url", "(%(events)s || e.id || '/')"),
        ("key", "e.key"),
        ("title", "e.title"),
        ("summary", "e.summary"),
        ("kind", "e.kind"),
        ("status", "e.status"),
        ("date", d.obj(*_fuzzy_date(d, date_text, "e.", "e.date_label"))),
        ("anchor_source", "e.date_anchor_id"),
        ("parties", d.array(
            d.obj(("slug", "j_p.slug"), ("name", "j_p.name"), ("kind", "j_p.kind"), ("role", "j_pa.role")),
            "timeline_participation j_pa JOIN timeline_party j_p ON j_p.id = j_pa.party_id",
            "j_pa.event_id = e.id",
            "j_pa.role, j_p.name, j_pa.id",
        )),
        ("citations", d.array(
            citation,
            "timeline_citation j_c JOIN timeline_source j_s ON j_s.id = j_c.source_id "
            "LEFT JOIN timeline_party j_pub ON j_pub.id = j_s.publisher_id "
            "LEFT JOIN timeline_party j_by ON j_by.id = j_c.attributed_to_id",
            "j_c.event_id = e.id",
            "j_c.source_id, j_c.char_start, j_c.id",
        )),
        ("places", d.array(
            d.obj(("slug", "j_pl.slug"), ("name", "j_pl.name"), ("kind", "j_pl.kind")),
            "timeline_event_places j_ep JOIN timeline_place j_pl ON j_pl.id = j_ep.place_id",
            "j_ep.event_id = e.id",
            "j_pl.name, j_ep.place_id",
        )),
        ("created", d.timestamp("e.created")),
        ("updated", d.timestamp("e.updated")),
    )
    return f"SELECT e.id, {d.text(event)} FROM timeline_event e WHERE e.id %(ids)s"


@lru_cache(maxsize=512)
def _sql(vendor: str, count: int) -> str:
    """The statement for ``count`` ids. Its parameters: the events URL, the sources URL, the ids."""
    dialect = _PostgreSQL if vendor == "postgresql" else _SQLite
    sql = _event_sql(dialect)
    assert sql.count("%(events)s") == sql.count("%(sources)s") == 1 and sql.index("%(events)s") < sql.index("%(sources)s")
    sql = sql.replace("%(events)s", "CAST(%s AS text)").replace("%(sources)s", "CAST(%s AS text)")
    return sql.replace("%(ids)s", dialect.ids(count))


def events_json(ids: Iterable[int], *, links, using: str = "default") -> dict[int, str]:
    """The JSON text of each event in ``ids`` that exists, by id, in one query."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    connection = connections[using]
    vendor = connection.vendor
    params = [links.events, links.sources]
    params += [ids] if vendor == "postgresql" else ids
    with connection.cursor() as cursor:
        cursor.execute(_sql(vendor, 0 if vendor == "postgresql" else len(ids)), params)
        return dict(cursor.fetchall())


def page_json(ids: list[int], *, links, using: str = "default") -> str:
    """A JSON array of the events ``ids``, in that order."""
    found = events_json(ids, links=links, using=using)
    return "[" + ",".join(found[pk] for pk in ids if pk in found) + "]"


def event_data(pk: int, *, links, using: str = "default") -> dict:
    """One event as the API represents it, as Python data (a detail response, a write's answer).
    An event deleted since it was looked up (another request's delete) is a 404."""
    found = events_json([pk], links=links, using=using)
    if pk not in found:
        raise NotFound(f"No event {pk}: it was deleted.")
    return orjson.loads(found[pk])

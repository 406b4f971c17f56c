"""Keyset (cursor) pagination over a unique ordering, e.g. events by (earliest, latest, id).

DRF's CursorPagination positions its cursor on the first ordering field only and skips ties with an
OFFSET, so thousands of events sharing a day (every year-precision event starts on 1 January) make a
deep page cost more than the first. Here the cursor carries the whole key of the last row, and the
next page is "rows after that key" in the index order: every page costs the same, and no request
counts the table.

A cursor is opaque to clients (base64url of JSON) and tied to the ordering it was made for. Anything
wrong with it, or with ``page_size``, is a 400 naming the parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import BooleanField, Expression, F, QuerySet, Value
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from timeline import json_limits, overlap
from timeline.exports import streaming

MAX_INT = 2**63 - 1
# A cursor we make is the ordering's names and the last row's key: a few hundred characters (a
# 300-character title of escaped non-ASCII text, ~2,500). A longer one is refused before it is decoded.
MAX_CURSOR_LENGTH = 8192


@dataclass(frozen=True)
class Cursor:
    backwards: bool  # the rows before ``key`` (a previous page) rather than after it
    key: tuple


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = 50
    max_page_size = 200
    # Exports (CSV, iCalendar, TimelineJS) are streamed, so one response may carry many more rows.
    export_page_size = 10_000

    # --- JSON pages ------------------------------------------------------------------------------

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        ordering = self.ordering_of(queryset)
        size = self._page_size(request, default=self.page_size, maximum=self.max_page_size)
        cursor = self._cursor(request, ordering, queryset.model)
        rows = self._rows(queryset, ordering, cursor, size + 1)  # one more: is there a next page?
        more = len(rows) > size
        rows = rows[:size]
        if cursor and cursor.backwards:
            rows.reverse()
        self.next_link = self.previous_link = None
        if rows:
            first, last = self._key(rows[0], ordering), self._key(rows[-1], ordering)
            backwards = bool(cursor and cursor.backwards)
            if more or backwards:
                self.next_link = self._link(request, ordering, Cursor(False, last))
            if (more and backwards) or (cursor and not backwards):
                self.previous_link = self._link(request, ordering, Cursor(True, first))
        return rows

    def get_paginated_response(self, data):
        return Response({"next": self.next_link, "previous": self.previous_link, "results": data})

    # --- exports ---------------------------------------------------------------------------------

    def export_queryset(self, queryset: QuerySet, request) -> KeysetRows:
        """The rows of one export, read lazily in keyset chunks (``KeysetRows``). How many: what the
        format's renderer allows (``export_cap``: None for every matching row, as CSV and iCalendar
        give), or the request's ``page_size``. When more rows match than one export carries,
        ``next_link`` is set (sent as a ``Link: rel="next"`` header, and told in the file by a
        format that caps)."""
        self.request = request
        ordering = self.ordering_of(queryset)
        cap = getattr(request.accepted_renderer, "export_cap", self.export_page_size)
        size = self._page_size(request, default=cap, maximum=self.export_page_size)
        cursor = self._cursor(request, ordering, queryset.model)
        if cursor and cursor.backwards:
            raise ValidationError({self.cursor_query_param: ["exports only page forward; use a next link"]})
        self.next_link = None
        if size is not None:
            # Look only at the key columns of the last row and the one after it: is there more?
            names = [name.lstrip("-") for name in ordering]
            keys = queryset.values_list(*names, named=True)
            edge = self._rows(keys, ordering, cursor, size + 1)[size - 1 :]
            if len(edge) == 2:
                self.next_link = self._link(request, ordering, Cursor(False, self._key(edge[0], ordering)))
        return KeysetRows(self, queryset, ordering, cursor, limit=size)

    # --- schema ----------------------------------------------------------------------------------

    def get_schema_operation_parameters(self, view):
        export = next((r for r in getattr(view, "export_renderers", ()) if r.format == getattr(view, "export_format", None)), None)
        if export is None:
            maximum = self.max_page_size
            size = f"Rows per page: 1–{self.max_page_size}, default {self.page_size}."
        else:
            maximum = self.export_page_size
            size = f"Events in this file: 1–{self.export_page_size}, default " + (
                "every matching event." if export.export_cap is None else f"at most {export.export_cap}."
            ) + " When more match, the Link header's rel=\"next\" is the URL of the rest."
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                # No example: a cursor is made for one ordering and filter, and Swagger UI would send it.
                "description": "Opaque position from a previous response's next/previous link."
                if export is None
                else "Opaque position from a previous export's Link: rel=\"next\" (exports page forward only).",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": size,
                "schema": {"type": "integer", "minimum": 1, "maximum": maximum},
            },
        ]

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    # --- helpers ---------------------------------------------------------------------------------

    def ordering_of(self, queryset: QuerySet) -> tuple[str, ...]:
        ordering = tuple(queryset.query.order_by) or tuple(queryset.model._meta.ordering)
        directions = {name.startswith("-") for name in ordering}
        if not ordering or len(directions) != 1 or ordering[-1].lstrip("-") not in ("id", "pk"):
            raise AssertionError(f"keyset pagination needs one direction and the primary key last: {ordering}")
        return ordering

    def _page_size(self, request, *, default: int, maximum: int) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return default
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
            raise ValidationError({self.page_size_query_param: [f"must be a whole number from 1 to {maximum}"]})
        return int(raw)

    def _cursor(self, request, ordering, model) -> Cursor | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            if len(raw) > MAX_CURSOR_LENGTH:
                raise ValueError
            padded = raw + "=" * (-len(raw) % 4)
            # A cursor is one flat list: anything nested is refused as it is read (json_limits).
            decoded = json_limits.loads(base64.urlsafe_b64decode(padded.encode("ascii")), max_depth=1)
            if not isinstance(decoded, list):
                raise ValueError
            signature, direction, *values = decoded
            if signature != ",".join(ordering):
                raise ValueError("it was made for another ordering")
            if direction not in ("n", "p") or len(values) != len(ordering):
                raise ValueError
            key = tuple(self._from_json(model, name.lstrip("-"), v) for name, v in zip(ordering, values, strict=True))
        except (ValueError, TypeError, OverflowError, UnicodeError, binascii.Error, DjangoValidationError) as exc:
            reason = str(exc) if isinstance(exc, ValueError) and str(exc).startswith("it was") else "it is not valid"
            raise ValidationError({self.cursor_query_param: [f"cannot use this cursor: {reason}"]}) from None
        return Cursor(direction == "p", key)

    @staticmethod
    def _from_json(model, name, value):
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise ValueError
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        python = field.to_python(value)
        if isinstance(python, int) and not -MAX_INT <= python <= MAX_INT:
            raise ValueError
        if isinstance(python, datetime):
            # An offset that pushes the time past year 1 or 9999 overflows in the database driver.
            python.astimezone(UTC)
        return python

    @staticmethod
    def _to_json(value):
        return value.isoformat() if hasattr(value, "isoformat") else value

    @staticmethod
    def _key(row, ordering) -> tuple:
        return tuple(getattr(row, name.lstrip("-")) for name in ordering)

    def _rows(self, queryset: QuerySet, ordering, cursor: Cursor | None, limit: int) -> list:
        """The first ``limit`` rows after ``cursor`` in the ordering. A date-ordered overlap window is
        read as its three bounded index ranges in one statement (``timeline.overlap.first_keys``):
        the rows are those keys when ``queryset`` asks for the key columns alone (a JSON page, an
        export's edge), the events they name otherwise; anything else is one plain query."""
        window = self._window(queryset, ordering, cursor)
        keys = overlap.first_keys(window, limit=limit) if ordering[0].lstrip("-") == "earliest" else None
        if keys is None:
            return list(window[:limit])
        if queryset._fields and tuple(queryset._fields) == overlap.Key._fields:
            return keys
        by_id = {row.pk: row for row in queryset.filter(pk__in=[key.id for key in keys])}
        return [by_id[key.id] for key in keys if key.id in by_id]

    def _window(self, queryset: QuerySet, ordering, cursor: Cursor | None) -> QuerySet:
        if cursor is None:
            return queryset.order_by(*ordering)
        names = [name.lstrip("-") for name in ordering]
        descending = ordering[0].startswith("-")
        # Walking forward on an ascending key (or backward on a descending one) wants larger keys.
        op = ">" if descending == cursor.backwards else "<"
        order = ordering if not cursor.backwards else tuple(_flip(name) for name in ordering)
        window = queryset.filter(KeyBeyond(names, cursor.key, op)).order_by(*order)
        # SQLite seeks an index by the first bound the WHERE clause names on each side: a date
        # window's ``earliest <= end`` before the cursor's bound made a page back from the cursor
        # (ordering=-date, or a previous link) walk from the window's end (19 ms against 0.3 ms on
        # 100,000 events; tests/test_overlap_bounded.py). The cursor's bound goes first: it is the
        # one the walk starts from. (PostgreSQL keeps the tightest of several bounds by itself.)
        where = window.query.where
        if where.connector == "AND" and not where.negated and len(where.children) > 1:
            where.children.insert(0, where.children.pop())
        return window

    def _token(self, ordering, cursor: Cursor) -> str:
        payload = [",".join(ordering), "p" if cursor.backwards else "n", *map(self._to_json, cursor.key)]
        return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")

    def _link(self, request, ordering, cursor: Cursor) -> str:
        url = remove_query_param(request.build_absolute_uri(), self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, self._token(ordering, cursor))


class KeysetRows:
    """An export's rows, read in chunks that each start after the last row of the one before
    (``(earliest, latest, id) > (…)``, an index seek), so streaming a million rows keeps a chunk in
    memory at a time on both databases. (``QuerySet.iterator()`` would be one query; on PostgreSQL
    outside a transaction Django declares its cursor WITH HOLD, which makes the server copy the
    whole result before sending the first row.)

    Each chunk is its own query, as each JSON page is: an event whose date is edited while a long
    export streams may be read at its old place, its new place, both or neither, like a client
    walking the pages. Every event not edited meanwhile is read exactly once.

    On PostgreSQL (unless ``EXPORT_SERVER_CURSOR`` is off) the rows come instead from one
    server-side cursor declared inside a read-only REPEATABLE READ transaction
    (``timeline.exports.streaming.server_side``): one query, one snapshot, no re-seek per chunk
    (measured: about 15 % less client CPU and wall time than keyset chunks on 25,000 rows; batches
    of 2,000 were no faster than 500; bench/RESULTS.md). The cost: the transaction stays open
    while the file streams, holding back vacuum's horizon on that server for as long."""

    def __init__(self, paginator: KeysetPagination, queryset: QuerySet, ordering, cursor, *, limit: int | None):
        self.paginator, self.queryset, self.ordering = paginator, queryset, ordering
        self.cursor, self.limit = cursor, limit

    def iterator(self, chunk_size: int = 500):
        if server_side_cursor(self.queryset.db):
            window = self.paginator._window(self.queryset, self.ordering, self.cursor)
            yield from streaming.server_side(window if self.limit is None else window[: self.limit],
                                             chunk_size=chunk_size)
            return
        cursor, left = self.cursor, self.limit
        while left is None or left > 0:
            take = chunk_size if left is None else min(chunk_size, left)
            chunk = self.paginator._rows(self.queryset, self.ordering, cursor, take)
            yield from chunk
            if len(chunk) < take:
                return
            if left is not None:
                left -= len(chunk)
            cursor = Cursor(False, self.paginator._key(chunk[-1], self.ordering))

    __iter__ = iterator


def server_side_cursor(using: str) -> bool:
    """Whether exports read their rows from a server-side cursor (PostgreSQL, unless the
    ``EXPORT_SERVER_CURSOR`` setting turns it off) rather than in keyset chunks. A database whose
    settings disable server-side cursors (``DISABLE_SERVER_SIDE_CURSORS``, as behind a pooler) gets
    keyset chunks: Django's ``iterator()`` would otherwise fetch the whole result at once."""
    connection = connections[using]
    return (connection.vendor == "postgresql" and getattr(settings, "EXPORT_SERVER_CURSOR", True)
            and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS", False))


class KeyBeyond(Expression):
    """``(earliest, latest, id) > (…)``: the rows after a cursor's key, as one row-value comparison.

    SQLite (3.15 and later) and PostgreSQL both seek the ordering's index with it. Django 5.2 writes
    its own tuple lookups out on SQLite as ``a > x OR (a = x AND b > y) OR …``; building and
    compiling that Q tree made a page 1,000 deep cost 2.48 ms in process instead of 2.40 ms
    (bench/RESULTS.md)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, names, values, op: str):
        if op not in (">", "<") or len(names) != len(values):
            raise ValueError(f"cannot compare {names!r} {op} {values!r}")
        super().__init__()
        self.op = op
        self.columns = [F(name) for name in names]
        self.values = [Value(value) for value in values]

    def get_source_expressions(self):
        return [*self.columns, *self.values]

    def set_source_expressions(self, exprs):
        self.columns, self.values = exprs[: len(self.columns)], exprs[len(self.columns) :]

    def as_sql(self, compiler, connection):
        sides, params = [], []
        for side in (self.columns, self.values):
            parts = []
            for expression in side:
                sql, part_params = compiler.compile(expression)
                parts.append(sql)
                params.extend(part_params)
            sides.append(", ".join(parts))
        return f"({sides[0]}) {self.op} ({sides[1]})", params


def _flip(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


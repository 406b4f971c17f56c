"""Streaming an export: reading its rows (``server_side``) and grouping the many small pieces of the
file into fewer, larger writes (``chunked``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connections, transaction
from django.db.models import QuerySet


def chunked(pieces: Iterable[bytes], *, size: int = 64_000) -> Iterator[bytes]:
    buffer: list[bytes] = []
    length = 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield b"".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield b"".join(buffer)


def server_side(queryset: QuerySet, *, chunk_size: int) -> Iterator:
    """The rows of ``queryset`` from one server-side cursor, ``chunk_size`` at a time (PostgreSQL).

    The query runs once and the server sends each batch as it is fetched: no re-seek per chunk as
    keyset chunks do. The cursor lives in its own transaction, so it works behind a pooler in
    transaction mode (PgBouncer pins the connection for a transaction, and a cursor declared
    inside one needs no WITH HOLD: Django declares it WITH HOLD only outside a transaction, which
    makes the server copy the whole result before sending the first row). The transaction is
    REPEATABLE READ and read only: the events and the related rows attached to each batch
    (``timeline.listing``) are read from one snapshot, so an export is consistent even while events
    are edited. Leaving the generator early (a client that disconnects) rolls it back."""
    using = queryset.db
    outermost = not connections[using].in_atomic_block  # else the caller's transaction (a test's) holds it
    with transaction.atomic(using=using):
        if outermost:
            with connections[using].cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield from queryset.iterator(chunk_size=chunk_size)

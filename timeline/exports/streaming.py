"""Grouping the many small pieces of a streamed export into fewer, larger writes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


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

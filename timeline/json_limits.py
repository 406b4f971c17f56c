"""Reading JSON that a client or a file supplies: bounded nesting, and no NUL characters.

Python's ``json`` module recurses once per level of nesting, so ``[[[[…]]]]`` a few thousand deep
raises ``RecursionError`` (a 500). orjson stops at 1,024 levels, but even a value 1,000 deep cannot
be ``repr``-ed, pickled or copied without a ``RecursionError``. Nothing we read nests deeper than a
few levels (an import record: object > citations > citation), so ``loads`` measures the depth of the
text before it parses it and refuses a document deeper than ``MAX_DEPTH`` as invalid; no deep value
is ever built. (The bulk import reads with orjson and checks the decoded record with ``depth``.)

PostgreSQL's text columns cannot hold the NUL character (psycopg raises ``DataError``, even for a
lookup); SQLite stores it. ``find_nul`` finds the first string (or object key) that holds one, so
that every way in refuses it by name, the same way on both databases.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate

# The deepest nesting any of our JSON inputs has (an import file: list > event > citations >
# citation is 4), with room to spare.
MAX_DEPTH = 32

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class JSONTooDeep(ValueError):
    """The document nests more than ``MAX_DEPTH`` levels of arrays and objects."""


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH, **options):
    """``json.loads(data, **options)`` of a document nested at most ``max_depth`` deep, else
    ``JSONTooDeep``. Bytes must be UTF-8 (``UnicodeDecodeError`` otherwise); invalid JSON raises
    ``json.JSONDecodeError`` as usual. All three are ``ValueError``."""
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    if opening_brackets(text) > max_depth and text_depth(text) > max_depth:
        raise JSONTooDeep(f"nested more than {max_depth} levels deep")
    return json.loads(text, **options)


def opening_brackets(data: bytes | str) -> int:
    """How many ``[`` and ``{`` the text holds (in strings too): an upper bound of its depth,
    counted at C speed, so that only a document that might be too deep is measured."""
    if isinstance(data, str):
        return data.count("[") + data.count("{")
    return data.count(b"[") + data.count(b"{")


def text_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text, strings left out, without parsing it.

    Up to where the text stops being JSON (where ``json.loads`` would stop too), the strings the
    pattern skips are exactly JSON's strings, so the depth ``json.loads`` would reach is never
    underestimated; an unterminated string's brackets count, which can only overestimate."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(1 if c in "[{" else -1 for c in brackets), default=0)


def depth(value) -> int:
    """The nesting depth of a decoded value (a scalar is 0, ``[]`` is 1), found without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            node = node.values()
        elif not isinstance(node, list):
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((child, level) for child in node)
    return deepest


def find_nul(value) -> tuple | None:
    """The path to the first string in ``value`` (decoded JSON) — an object's key or a value — that
    contains a NUL character: a tuple of keys and list indexes (``("citations", 0, "quote")``, ``()``
    for ``value`` itself), or None. Iterative: ``value`` may be as deep as ``loads`` lets it be."""
    stack = [(value, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return path
        elif isinstance(node, dict):
            for key in node:
                if isinstance(key, str) and "\x00" in key:
                    return (*path, key)
            stack.extend(reversed([(child, (*path, key)) for key, child in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([(child, (*path, i)) for i, child in enumerate(node)]))
    return None


def path_text(path: tuple) -> str:
    """``("citations", 0, "quote")`` as ``citations[0].quote``; a NUL in a key is shown as ``\\0``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f"{'.' if text else ''}{step}"
    return text.replace("\x00", "\\0") or "(value)"


def nul_field(value) -> str | None:
    """``path_text`` of ``find_nul``: the field to name in an error, or None."""
    path = find_nul(value)
    return None if path is None else path_text(path)

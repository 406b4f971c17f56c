"""The seed manifest: per-file metadata that fills in or overrides what an article's text lacks.

``seeds/manifest.json`` is an object keyed by file name; each entry may give ``title``,
``publisher`` and ``via`` (party names, aliases or slugs), ``url``, ``published`` (a fuzzy date as
the fuzzy-date module reads it, e.g. "late May or early June 2024"), ``language``, ``author``,
``section``, and ``notes`` (free text: why a value was chosen; not stored).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from timeline import dates

from .article import decode
from .errors import IngestError

# manifest key → Article field
FIELDS = {
    "title": "title",
    "publisher": "publisher",
    "via": "via",
    "url": "url",
    "published": "published_text",
    "language": "language",
    "author": "author",
    "section": "section",
}
_IGNORED = {"notes"}
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z]{2,4})?$")


def manifest_load(path: str | Path) -> dict[str, dict[str, str]]:
    """Read and check a manifest; return ``{file name: {Article field: value}}``."""
    path = Path(path)
    try:
        raw = json.loads(decode(path.read_bytes(), path=path))
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", path=path
        ) from None
    if not isinstance(raw, dict):
        raise IngestError("a manifest is an object keyed by article file name", path=path)
    return {name: _entry(path, name, entry) for name, entry in raw.items()}


def _entry(path: Path, name: str, entry) -> dict[str, str]:
    if not isinstance(entry, dict):
        raise IngestError("an entry is an object of metadata fields", path=path, record=name)
    unknown = set(entry) - set(FIELDS) - _IGNORED
    if unknown:
        raise IngestError(
            f"unknown field(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(FIELDS))}, notes",
            path=path,
            record=name,
        )
    out = {}
    for key, value in entry.items():
        if key in _IGNORED:
            continue
        if not isinstance(value, str) or not value.strip():
            raise IngestError(f"{key}: expected non-empty text, got {value!r}", path=path, record=name)
        out[FIELDS[key]] = value.strip()
    if "published_text" in out:
        try:
            dates.parse(out["published_text"])
        except ValueError as exc:
            raise IngestError(f"published: {exc}", path=path, record=name) from None
    if "language" in out and not _LANGUAGE.match(out["language"]):
        raise IngestError(
            f"language: {out['language']!r} is not a language code such as 'en'", path=path, record=name
        )
    return out


def manifest_entry(manifest: dict[str, dict[str, str]], article_path: str | Path) -> dict[str, str]:
    """The entry for an article file (by file name), or an empty entry."""
    return manifest.get(Path(article_path).name, {})


def manifest_beside(article_path: str | Path) -> Path | None:
    """``manifest.json`` in the article's own directory, if there is one."""
    candidate = Path(article_path).parent / "manifest.json"
    return candidate if candidate.is_file() else None

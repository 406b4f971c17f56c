"""An article file → ``Article``: its headline, the header lines it happens to have, and its body.

The shape is plain text: a headline line; then optional header lines — an image URL, a publisher
("ICARO Media Group", "The White House"), a section ("Politics", "Press release"), a byline, a date
or date-time line ("23/12/2023 22h31", "July 17, 2023") — in any subset; then the paragraphs;
then, perhaps, footer noise ("(Word Count: 398)", "The views expressed in this article…",
"Related"). A manifest entry (see ``manifest``) fills in or overrides what the text lacks.

What is stored, precisely: ``Article.body`` is the file's text (decoded as UTF-8, byte-order mark
dropped, line endings turned into ``\\n``) from the first character of the first body paragraph to
the last non-blank character before the footer. It becomes ``Source.text`` unchanged, so every
character offset the extractor reports indexes that exact string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from timeline import dates
from timeline.dates import FuzzyDate

from .errors import IngestError

_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_IMAGE_HINT = re.compile(
    r"\.(?:jpe?g|png|gif|webp|avif|svg)(?:[?#]|$)|/(?:images?|photos?|media|uploads|img)/|open-uri", re.I
)
_BYLINE = re.compile(r"^By\s+(?P<name>[A-Z][^\d]{1,80})$")
_DATE_LABEL = re.compile(
    r"^(?:published|posted|updated|last updated|first published|date)(?:\s+on)?\s*:?\s+", re.I
)
# A time of day after the date: "22:31", "10.42 BST", "at 3:15 pm EDT", "- 09:00 CET".
_TRAILING_TIME = re.compile(
    r"(?:\s*[,|–-]|\s+at)?\s*\d{1,2}(?:[:h.]\d{2}){1,2}\s*(?:[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}\)?)?$", re.I
)
SECTIONS = frozenset(
    {
        "analysis",
        "breaking news",
        "briefing room",
        "business",
        "defence",
        "defense",
        "diplomacy",
        "economy",
        "europe",
        "international",
        "news",
        "opinion",
        "politics",
        "press release",
        "press releases",
        "security",
        "statements and releases",
        "uk news",
        "us news",
        "world",
        "world news",
    }
)
_FOOTER = re.compile(
    r"^(?:\(?word count:?\s*\d+\)?"
    r"|the views expressed in this article\b.*"
    r"|related(?:\s+(?:articles|stories|posts|news|coverage|content))?:?"
    r"|(?:copyright\b|©).*|.*\ball rights reserved\b.*"
    r"|(?:read more|read also|see also|more on this story|share this(?:\s+article)?|follow us|tags?)\b.*"
    r"|#{3}|-30-|advertisement)$",
    re.I,
)
_MAX_HEADER_LINES = 8
_MAX_HEADER_WORDS = 8


@dataclass(frozen=True)
class Article:
    """One article: metadata from its header lines and manifest entry, and its body text."""

    path: str
    title: str
    body: str
    publisher: str = ""
    via: str = ""
    section: str = ""
    author: str = ""
    image_url: str = ""
    url: str = ""
    published_text: str = ""
    language: str = "en"
    # Which metadata came from the manifest rather than the text (a curated claim, held to account).
    from_manifest: frozenset[str] = field(default_factory=frozenset)

    @property
    def published(self) -> FuzzyDate | None:
        return dates.parse(self.published_text) if self.published_text else None


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


def decode(data: bytes, *, path: str | Path) -> str:
    """UTF-8 (with or without a byte-order mark), line endings as ``\\n``; anything else is refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"not UTF-8 text: byte {exc.start} ({data[exc.start : exc.start + 1]!r}) cannot be decoded",
            path=path,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_article(
    path: str | Path, *, overrides: Mapping[str, str] | None = None, known_publishers: Iterable[str] = ()
) -> Article:
    """Read an article file; ``overrides`` is its manifest entry (see ``manifest.manifest_entry``)."""
    data = Path(path).read_bytes()
    return parse_article(
        decode(data, path=path), path=str(path), overrides=overrides, known_publishers=known_publishers
    )


def parse_article(
    text: str,
    *,
    path: str = "<text>",
    overrides: Mapping[str, str] | None = None,
    known_publishers: Iterable[str] = (),
) -> Article:
    lines = _lines(text)
    content = [line for line in lines if line.stripped]
    if not content:
        raise IngestError("the file is empty: an article needs at least a headline and a body", path=path)
    headline = content[0]
    meta, body_start = _read_headers(lines, lines.index(headline) + 1, known_publishers)
    body_lines = lines[body_start:]
    footer_at = _footer_start(body_lines)
    kept = [line for line in body_lines[:footer_at] if line.stripped]
    if not kept:
        raise IngestError("no body text after the headline and header lines", path=path)
    body = text[kept[0].start : kept[-1].start + len(kept[-1].text.rstrip())]
    article = Article(path=path, title=headline.stripped, body=body, **meta)
    if overrides:
        article = replace(article, **dict(overrides), from_manifest=frozenset(overrides))
    return article


def _lines(text: str) -> list[_Line]:
    lines, at = [], 0
    for raw in text.split("\n"):
        lines.append(_Line(at, at + len(raw), raw))
        at += len(raw) + 1
    return lines


def date_line(text: str) -> str | None:
    """The date a header line gives, as written (without a "Published:" label), or None.

    Only absolute dates count: a header line is read without an anchor."""
    candidate = _DATE_LABEL.sub("", text.strip())
    if not candidate or len(candidate) > 60 or not re.search(r"\d", candidate):
        return None
    for attempt in (candidate, _TRAILING_TIME.sub("", candidate).strip()):
        if not attempt:
            continue
        try:
            dates.parse(attempt)
        except ValueError:
            continue
        return attempt
    return None


def _read_headers(lines: list[_Line], start: int, known_publishers: Iterable[str]) -> tuple[dict, int]:
    """Classify the short lines between the headline and the first paragraph; return the metadata
    and the index of the first body line."""
    known = {name.casefold() for name in known_publishers}
    meta: dict[str, str] = {}
    seen = 0
    i = start
    while i < len(lines) and seen < _MAX_HEADER_LINES:
        text = lines[i].stripped
        if not text:
            i += 1
            continue
        kind = _header_kind(text, meta, known)
        if kind is None:
            break
        name, value = kind
        meta[name] = value
        seen += 1
        i += 1
    return meta, i


def _header_kind(text: str, meta: dict, known: set[str]) -> tuple[str, str] | None:
    if _URL.match(text):
        if _IMAGE_HINT.search(text) and "image_url" not in meta:
            return "image_url", text
        if "url" not in meta:
            return "url", text
        return None
    if "published_text" not in meta and (found := date_line(text)):
        return "published_text", found
    if (m := _BYLINE.match(text)) and "author" not in meta:
        return "author", m["name"].strip()
    if len(text.split()) > _MAX_HEADER_WORDS or text[-1] in ".!?:;,\"”’'":
        return None
    if text.casefold() in known and "publisher" not in meta:
        return "publisher", text
    if text.casefold() in SECTIONS and "section" not in meta:
        return "section", text
    # An unknown short line: the order is publisher, then section.
    if "publisher" not in meta and "section" not in meta:
        return "publisher", text
    if "section" not in meta:
        return "section", text
    return None


def _footer_start(lines: list[_Line]) -> int:
    """Index of the first footer line: a footer marker followed only by markers, blank lines or the
    short lines of a "Related" list. ``len(lines)`` when there is no footer."""
    for i, line in enumerate(lines):
        if _FOOTER.match(line.stripped) and all(
            not rest.stripped or _FOOTER.match(rest.stripped) or _is_link_line(rest.stripped)
            for rest in lines[i + 1 :]
        ):
            return i
    return len(lines)


def _is_link_line(text: str) -> bool:
    return bool(_URL.match(text)) or (len(text.split()) <= 15 and not text.endswith("."))

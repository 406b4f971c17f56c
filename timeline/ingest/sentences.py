"""Paragraphs and sentences of an article body, as character spans of that exact text.

A paragraph is one non-blank line (the article files put one paragraph per line). A sentence ends
at ``.``, ``!`` or ``?`` (and any closing quotes) before a capital letter, a digit or an opening
quote — except after an abbreviation ("U.S.", "Sept.", "Mr.") or inside quoted speech, so
"Putin stated, 'There is talk again … negotiations. Let us return to them …'" stays one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr gen col lt sgt capt rep sen gov pres prof vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m i.e e.g approx est ca".split()
)
_NUMBERED = frozenset({"no", "nos", "vol", "art", "pp"})
_LIST_MARKER = re.compile(r"^\s*(?:[-•*–—]|\d{1,2}[.)])\s+")
_OPENING = "\"“‘'«"
_CLOSING = "\"”’'»"
_PAIRS = {"“": "”", "‘": "’", "«": "»", '"': '"', "'": "'"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def paragraphs(text: str) -> list[Span]:
    """Each non-blank line, without its surrounding whitespace."""
    spans, at = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append(Span(at + lead, at + lead + len(stripped)))
        at += len(line) + 1
    return spans


def sentences(text: str, paragraph: Span) -> list[Span]:
    """The sentences of one paragraph (a list marker such as "- " is not part of a sentence)."""
    chunk = text[paragraph.start : paragraph.end]
    marker = _LIST_MARKER.match(chunk)
    offset = paragraph.start + (marker.end() if marker else 0)
    body = chunk[marker.end() :] if marker else chunk
    cuts = _cuts(body, respect_quotes=True)
    if cuts is None:  # a quote opened and never closed: do not let it swallow the paragraph
        cuts = _cuts(body, respect_quotes=False)
    spans, start = [], 0
    for cut in [*cuts, len(body)]:
        piece = body[start:cut]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append(Span(offset + start + lead, offset + start + len(piece.rstrip())))
        start = cut
    return spans


def _cuts(body: str, *, respect_quotes: bool) -> list[int] | None:
    cuts, stack = [], []
    n = len(body)
    for i, ch in enumerate(body):
        closed = False
        if respect_quotes and (ch in _OPENING or ch in _CLOSING):
            prev = body[i - 1] if i else " "
            nxt = body[i + 1] if i + 1 < n else " "
            apostrophe = prev.isalnum() and nxt.isalnum()
            if stack and ch == _PAIRS[stack[-1]] and not apostrophe and not prev.isspace():
                stack.pop()
                closed = True
            elif ch in _OPENING and (prev.isspace() or prev in "([—–-") and not nxt.isspace():
                stack.append(ch)
                continue
        if stack:
            continue
        if closed:
            # "… on the ground.' On the contrary": the sentence ends after the closing quote.
            if i == 0 or body[i - 1] not in ".!?":
                continue
            punct = i - 1
        elif ch in ".!?":
            punct = i
        else:
            continue
        end = i + 1
        while end < n and body[end] in _CLOSING + ")]":
            end += 1
        if end >= n or not body[end].isspace():
            continue
        rest = body[end:].lstrip()
        if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENING):
            continue
        if body[punct] == "." and _is_abbreviation(body, punct):
            continue
        cuts.append(end)
    return None if stack else cuts


def _is_abbreviation(body: str, dot: int) -> bool:
    start = dot
    while start > 0 and (body[start - 1].isalpha() or body[start - 1] == "."):
        start -= 1
    if start > 0 and body[start - 1].isdigit():
        return False  # "the 1990s." ends a sentence
    word = body[start:dot].lower()
    if word in _NUMBERED:
        return body[dot + 1 :].lstrip()[:1].isdigit()  # "No. 5", but "he said no. Then"
    return word in _ABBREVIATIONS or len(word) == 1 or (word.count(".") >= 1 and len(word) <= 5)

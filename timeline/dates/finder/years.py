"""Recognition rules for years (also as modifiers, "the 1996 Olympic bombing"), year ranges
("1999-2000"), decades ("the mid-1990s") and centuries; a four-digit number that counts something
("2000 troops") or names a product is not a year."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from .. import relative
from ..value import FuzzyDate, Precision
from .context import _Context, _rule, _whole
from .patterns import _MONTHS, _ORDINAL_WORDS, PART, YEAR
from .spans import _closed_span

# --- years, decades, centuries ------------------------------------------------------------------

_COUNTED = (
    r"people|persons|men|women|children|troops|soldiers|members|workers|students|jobs|dollars|miles|"
    r"feet|foot|meters|metres|kilometers|tons|tonnes|pounds|votes|units|cases|hours|years|days|"
    r"barrels|acres|homes|houses|vehicles|cars|rounds|pages|words|calories|degrees|copies|employees|"
    r"police|officers|refugees|residents|delegates|lawyers|participants|GMT|EST|EDT|PST|PDT|CST|CDT|"
    r"UTC|hrs|local|km|kg|lb|mph|yards|points|shares|seats|cents|francs|yen|marks|pesos|rubles|euros"
)
_YEAR_PREFIX_OK = {
    "in", "on", "of", "during", "since", "until", "till", "by", "before", "after", "from", "through",
    "and", "or", "to", "the", "early", "late", "mid", "between", "year", "fiscal", "throughout", "for",
    "around", "about", "circa", "summer", "spring", "fall", "autumn", "winter", "than", "as", "its",
    "his", "her", "their", "a", "that", "this", "at", "into", "when", "while", "like", "against",
    "election", "elections", "ended", "began", "compared", "with",
}  # fmt: skip


@_rule(
    "year",
    rf"(?P<fiscal>\b[Ff]iscal\s+(?:[Yy]ear\s+)?)?(?P<part>{PART})?(?:the\s+year\s+)?(?P<y>{YEAR})(?!\s*[-–]\s*\d|s\b|\s+(?:{_COUNTED})\b|\s*(?:a\.m\.|p\.m\.|B\.?C))",
    re.I,
)
def _year(m, ctx):
    y = int(m["y"])
    if m["part"] and not m["part"][0].isalpha():
        return None
    before = ctx.text[max(0, m.start() - 40) : m.start()]
    prev = re.search(r"([A-Za-z][\w.'’-]*)\W*$", before)
    if not (m["fiscal"] or m["part"]) and prev:
        word = prev.group(1)
        gap = before[prev.end(1) :]
        if word.lower() in (
            "no",
            "no.",
            "number",
            "flight",
            "route",
            "page",
            "room",
            "boeing",
            "airbus",
            "model",
            "version",
            "windows",
            "channel",
            "chapter",
            "article",
            "section",
            "highway",
            "interstate",
            "resolution",
        ):
            return None
        if "$" in gap or "#" in gap:
            return None
        if (
            word[0].isupper()
            and word.lower() not in _YEAR_PREFIX_OK
            and word.rstrip(".").lower() not in _MONTHS
            and not _sentence_initial(ctx.text, prev.start(1) + max(0, m.start() - 40), ctx)
            and gap.strip() == ""
        ):
            return None  # "Windows 2000", "Euro 2000", "Vision 2020": a name, not a year
    if not (1000 <= y <= 2099):
        return None
    if re.match(
        r"\s+(?:[A-Z][\w.]*\s+){1,2}(?:Avenue|Ave\.|Street|St\.|Road|Rd\.|Boulevard|Blvd\.|Drive|Lane|Way|Place|Highway)\b",
        ctx.text[m.end() : m.end() + 40],
    ):
        return None  # "1600 Pennsylvania Avenue": an address
    value = relative.year(y)
    if m["fiscal"]:
        return replace(
            value,
            edtf=f"{y:04d}%",
            label=f"fiscal {y} (its start is not stated)",
            approximate=True,
            uncertain=True,
        )
    return _whole(value, m["part"])


def _sentence_initial(text: str, pos: int, ctx: _Context) -> bool:
    """True when the word at ``pos`` opens its sentence (its capital says nothing then)."""
    return pos <= ctx.sent_start or text[ctx.sent_start : pos].strip(" \n\t\"'`(") == ""


@_rule("year_range", rf"(?P<y>{YEAR})\s*[-–]\s*(?P<y2>\d\d(?:\d\d)?)(?![\d%-]|\.\d|\s*(?:{_COUNTED})\b)")
def _year_range(m, ctx):
    """ "1999-2000", "the 1998-99 season": the years from the first to the second."""
    y, tail = int(m["y"]), m["y2"]
    y2 = int(tail) if len(tail) == 4 else y - y % 100 + int(tail)
    if len(tail) == 2 and y2 < y:
        y2 += 100
    if not (y < y2 <= y + 30):
        return None  # "1991-1" or a score, not a run of years
    return _closed_span(relative.year(y), relative.year(y2))


@_rule(
    "decade",
    r"\b(?:the\s+)?(?P<part>(?:early|mid|late)[- ]?)?(?:(?P<y>1\d\d0|20\d0)|['’](?P<yy>\d0))['’]?s\b",
    re.I,
)
def _decade(m, ctx):
    start = int(m["y"]) if m["y"] else 1900 + int(m["yy"])
    fd = FuzzyDate(
        date(start, 1, 1), date(start + 9, 12, 31), Precision.DECADE, f"{start // 10:03d}X", f"{start}s"
    )
    return _whole(fd, m["part"])


_CENTURY_ORD = "|".join(k for k in sorted(_ORDINAL_WORDS, key=len, reverse=True))


@_rule(
    "century",
    rf"\b(?:the\s+)?(?P<part>(?:early|mid|late)[- ]?)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>{_CENTURY_ORD}))[- ]century\b",
    re.I,
)
def _century(m, ctx):
    n = int(m["n"]) if m["n"] else _ORDINAL_WORDS[m["w"].lower()]
    return _whole(_century_value(n - 1), m["part"])


def _century_value(c: int) -> FuzzyDate:
    """The hundred years whose years start with ``c`` (TimeML's convention: the 20th century is
    1900–1999)."""
    lo = max(c * 100, 1)
    edtf = f"{c:02d}XX" if c else "0001/0099"  # there is no year 0: the first hundred years start at 1
    return FuzzyDate(date(lo, 1, 1), date(c * 100 + 99, 12, 31), Precision.CENTURY, edtf, f"{c * 100}s")


@_rule("century_rel", r"\b(?P<which>[Tt]his|[Ll]ast|[Nn]ext|[Pp]revious)\s+century\b(?!\s+(?:or|and))")
def _century_rel(m, ctx):
    delta = {"this": 0, "last": -1, "previous": -1, "next": 1}[m["which"].lower()]
    return ctx.anchored(lambda a: _century_value(a.year // 100 + delta), repr(m[0]))

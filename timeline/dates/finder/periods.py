"""Recognition rules for reporting periods: quarters ("the third quarter", "third-quarter loss",
"the quarter" after one is named, "last year's third quarter"), halves, fiscal years ("fiscal
1989", flagged approximate and uncertain: the fiscal year's start is not stated) and the edges of
a unit ("the end of the year")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from .. import relative
from ..edtf import parse_edtf
from ..value import FuzzyDate
from .context import _Context, _rule, _shift, _whole
from .patterns import FUTURE, ORD_NUM, WEAK_FUTURE, YEAR, _Decline
from .years import _century_value

# --- quarters, halves, fiscal years -------------------------------------------------------------


def _quarter_value(y: int, q: int) -> FuzzyDate:
    return parse_edtf(f"{y:04d}-{32 + q}")


def _half_value(y: int, h: int) -> FuzzyDate:
    return parse_edtf(f"{y:04d}-{39 + h}")


def _period_year(ctx: _Context, first_month: int, last_month: int, what: str) -> Callable[[date], int]:
    """The year of a quarter or half that names none: in the past tense (the default of a report)
    the latest one that has begun, in the future tense the nearest one that has not ended."""
    tense = ctx.tense()

    def pick(a: date) -> int:
        if tense in (FUTURE, WEAK_FUTURE):
            return a.year if (a.month <= last_month) else a.year + 1
        return a.year if first_month <= a.month else a.year - 1

    return pick


@_rule(
    "quarter",
    rf"(?P<the>\b[Tt]he\s+|\b[Ii]ts\s+|\b[Tt]his\s+|\b(?:[Ll]ast|[Tt]his|[Nn]ext)\s+year['’]s\s+)?(?:\b[Ff]iscal\s+)?\b(?P<q>{ORD_NUM}|final)[- ](?:fiscal[- ])?quarter\b(?:\s+(?:of\s+)?(?:(?P<fiscal>fiscal\s+)?(?P<y>{YEAR})|(?P<rel>this|last|next)\s+year))?",
    re.I,
)
def _quarter(m, ctx):
    word = m["q"].lower()
    q = {
        "first": 1,
        "1st": 1,
        "second": 2,
        "2nd": 2,
        "third": 3,
        "3rd": 3,
        "fourth": 4,
        "4th": 4,
        "final": 4,
        "last": 4,
    }[word]
    if word == "last" and not (m["y"] or m["rel"]):
        return None  # "the last quarter": the latest one, not necessarily the fourth
    fiscal = bool(m["fiscal"]) or "fiscal" in m[0].lower()
    if m["y"]:
        value = _quarter_value(int(m["y"]), q)
    elif m["rel"] or "year" in (m["the"] or "").lower():
        # "the third quarter of last year", "last year's third quarter"
        rel = (m["rel"] or m["the"]).split()[0].lower()
        delta = {"this": 0, "last": -1, "next": 1}[rel]
        value = ctx.anchored(lambda a: _quarter_value(a.year + delta, q), repr(m[0]))
    elif ctx.sentence_year is not None:
        value = _quarter_value(ctx.sentence_year, q)
    else:
        pick = _period_year(ctx, 3 * q - 2, 3 * q, repr(m[0]))
        value = ctx.anchored(lambda a: _quarter_value(pick(a), q), repr(m[0]))
    if fiscal:
        lo, hi = value.earliest, value.latest
        value = replace(
            value,
            # EDTF qualifies a grouping only at level 2, which the project does not read: the months
            edtf=f"{lo.year:04d}-{lo.month:02d}%/{hi.year:04d}-{hi.month:02d}%",
            approximate=True,
            uncertain=True,
            label=f"fiscal {value.label} (the fiscal year's start is not stated)",
        )
    return value


@_rule(
    "half",
    rf"\b(?:[Tt]he|[Ii]ts|[Tt]his\s+year['’]s|[Ll]ast\s+year['’]s)\s+(?P<h>first|second|latter)[- ]half\b(?:\s+of\s+(?:(?P<y>{YEAR})|(?P<rel>this|last|next)\s+year|the\s+year))?|\b(?P<h2>first|second)-half\b",
)
def _half(m, ctx):
    word = (m["h"] or m["h2"]).lower()
    h = 1 if word == "first" else 2
    after = ctx.text[m.end() : m.end() + 20]
    if not (m["y"] or m["rel"]) and re.match(r"\s+of\s+(?!the\s+year)", after):
        return None  # "the first half of the game"
    if m["y"]:
        return _half_value(int(m["y"]), h)
    if m["rel"]:
        delta = {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
        return ctx.anchored(lambda a: _half_value(a.year + delta, h), repr(m[0]))
    if "last year" in m[0].lower():
        return ctx.anchored(lambda a: _half_value(a.year - 1, h), repr(m[0]))
    if ctx.sentence_year is not None:
        return _half_value(ctx.sentence_year, h)
    pick = _period_year(ctx, 6 * h - 5, 6 * h, repr(m[0]))
    return ctx.anchored(lambda a: _half_value(pick(a), h), repr(m[0]))


@_rule(
    "quarter_rel",
    r"\b(?P<which>[Tt]his|[Ll]ast|[Nn]ext|[Tt]he\s+current|[Tt]he\s+coming|[Tt]he\s+previous|[Tt]he\s+past|[Tt]he\s+latest)\s+(?P<unit>quarter|half)\b(?!\s+(?:of|century))",
)
def _quarter_rel(m, ctx):
    which = m["which"].lower().split()[-1]
    delta = {
        "this": 0,
        "current": 0,
        "last": -1,
        "previous": -1,
        "past": -1,
        "latest": -1,
        "next": 1,
        "coming": 1,
    }[which]
    if which in ("last", "past") and re.search(
        r"\b(?:the|in|over|for|during)\s+$", ctx.text[max(0, m.start() - 8) : m.start()]
    ):
        return None  # "in the last quarter": the fourth, or the latest? the text does not say
    size = 3 if m["unit"].lower() == "quarter" else 6

    def build(a: date) -> FuzzyDate:
        index = (a.year * 12 + a.month - 1) // size + delta
        y, n = divmod(index, 12 // size)
        return _quarter_value(y, n + 1) if size == 3 else _half_value(y, n + 1)

    return ctx.anchored(build, repr(m[0]))


@_rule(
    "unit_edge",
    r"\b(?:[Tt]he\s+)?(?P<part>end|beginning|start|middle|turn)\s+of\s+(?P<which>the|this|next|last)\s+(?P<unit>year|month|week|decade|century)\b(?!['’]s|\s+(?:before|after|of|in)\b)",
)
def _unit_edge(m, ctx):
    """ "the end of the year", "the beginning of next month": the whole unit (the text does not say
    which days its end is), labelled with the part."""
    unit, which = m["unit"].lower(), m["which"].lower()
    if unit == "century" and m["part"].lower() == "turn":
        raise _Decline(f"{m[0]!r}: the years around a turn of the century are not one interval")
    delta = {"the": 0, "this": 0, "next": 1, "last": -1}[which]
    if unit == "decade":
        value = ctx.anchored(lambda a: _shift("decade", delta, a), repr(m[0]))
    elif unit == "century":
        value = ctx.anchored(lambda a: _century_value(a.year // 100 + delta), repr(m[0]))
    else:
        value = ctx.anchored(lambda a: _shift(unit, delta, a), repr(m[0]))
    return _whole(value, f"{m['part'].lower()} of")


@_rule(
    "the_quarter", r"\b[Tt]he\s+(?:latest\s+)?quarter\b(?!\s+(?:of|century|mile|point|hour|inch)\b|['’]s|-)"
)
def _the_quarter(m, ctx):
    """ "In the quarter, net income rose": the quarter the text has just named, if any."""
    return ctx.quarter


@_rule("year_end", r"\b(?:[Bb]y\s+|[Aa]t\s+)?(?P<w>[Yy]ear)[- ](?:end|'s\s+end)\b")
def _year_end(m, ctx):
    return _whole(ctx.anchored(lambda a: relative.year(a.year), repr(m[0])), "end of")


@_rule("q_form", rf"\b(?P<q>Q[1-4]|H[12])\s+(?P<y>{YEAR})")
def _q_form(m, ctx):
    n = int(m["q"][1])
    return _quarter_value(int(m["y"]), n) if m["q"][0] == "Q" else _half_value(int(m["y"]), n)

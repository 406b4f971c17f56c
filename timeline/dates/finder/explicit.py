"""Recognition rules for explicit dates: a month, day and year ("Aug. 7, 1998", "7 August 1998",
"1998-08-07", "8/7/1998"), a month and day without a year ("the Oct. 23 shooting", "April 24 and
25", "Aug. 7-9"), "the week of March 6", ordinal days ("on the 15th"), a month and year."""

from __future__ import annotations

import re

from .. import relative
from ..value import FuzzyDate
from .context import _day, _day_no, _month_no, _rule, _whole, _year_of
from .patterns import DAY, FUTURE, MON, PART, PAST, WD, YEAR, _Decline
from .spans import _closed_span

# --- rules: explicit dates ---------------------------------------------------------------------

_WD_PREFIX = rf"(?:{WD},?\s+)?"


@_rule("mdy", rf"{_WD_PREFIX}(?P<m>{MON})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR})")
def _mdy(m, ctx):
    return _day(int(m["y"]), _month_no(m["m"]), _day_no(m["d"]))


@_rule("dmy", rf"{_WD_PREFIX}(?:the\s+)?(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MON}),?\s+(?P<y>{YEAR})")
def _dmy(m, ctx):
    return _day(int(m["y"]), _month_no(m["m"]), _day_no(m["d"]))


@_rule(
    "iso",
    r"(?<![\w/-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w/]|-\d)",
)
def _iso(m, ctx):
    return _day(int(m["y"]), int(m["m"]), int(m["d"]))


@_rule(
    "numeric",
    r"(?<![\w/.])(?P<a>\d{1,2})(?:/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})|\.(?P<db>\d{1,2})\.(?P<dy>\d{4}))(?![\w/]|\.\d)",
)
def _numeric(m, ctx):
    if m["db"]:
        # "24.02.2022": the dotted form is day first wherever it is written; "05.06.2023" stays
        # unresolved all the same (a reader of another convention could take it either way)
        a, b, y = int(m["db"]), int(m["a"]), m["dy"]
    else:
        a, b, y = int(m["a"]), int(m["b"]), m["y"]
    if len(y) == 2:
        raise _Decline("a two-digit year does not say its century")
    if a > 12 >= b:
        return _day(int(y), b, a)
    if b > 12 >= a or a == b:
        return _day(int(y), a, b)
    raise _Decline("ambiguous: day/month or month/day? the text does not say")


_WHICH = r"(?:(?P<which>\b[Ll]ast|\b[Nn]ext|\b[Tt]his\s+past|\b[Tt]his\s+coming)\s+)?"


@_rule("md", rf"{_WHICH}{_WD_PREFIX}(?P<m>{MON})\s+(?P<d>{DAY})(?!,?\s+(?:\d|[A-Z]))")
def _md(m, ctx):
    mon, d = _month_no(m["m"]), _day_no(m["d"])
    return _year_of(ctx, mon, d, repr(m[0]), lambda y: _day(y, mon, d), _which_tense(m))


def _which_tense(m: re.Match) -> str | None:
    which = (m.groupdict().get("which") or "").lower()
    return (
        PAST if which.endswith(("last", "past")) else FUTURE if which.endswith(("next", "coming")) else None
    )


@_rule(
    "week_of",
    rf"\b(?:[Tt]he\s+)?[Ww]eek\s+(?:of|starting|beginning)\s+(?:(?P<m>{MON})\s+(?P<d>{DAY})|(?P<d_>{DAY})\s+(?:of\s+)?(?P<m_>{MON}))(?:,?\s+(?P<y>{YEAR}))?",
)
def _week_of(m, ctx):
    mon, d = _month_no(m["m"] or m["m_"]), _day_no(m["d"] or m["d_"])
    if m["y"]:
        day_value = _day(int(m["y"]), mon, d)
    else:
        day_value = _year_of(ctx, mon, d, repr(m[0]), lambda y: _day(y, mon, d))
    return relative.week(day_value.earliest)


@_rule(
    "md_range",
    rf"(?P<m>{MON})\s+(?P<d>{DAY})(?:\s*[-–]\s*|\s+(?:to|until|through)\s+)(?P<d2>{DAY})(?!\s*(?:{MON}))(?:,?\s+(?P<y>{YEAR}))?",
)
def _md_range(m, ctx):
    """ "March 10 to 14, 2022", "June 15–16": two days of one month."""
    return _days_of_a_month(m, ctx, first=m["d"])


def _days_of_a_month(m, ctx, *, first: str):
    """Days ``first`` to ``m["d2"]`` of month ``m["m"]``, in ``m["y"]`` or the year the context gives."""
    mon, d, d2 = _month_no(m["m"]), _day_no(first), _day_no(m["d2"])
    if d2 <= d:
        return None

    def build(y: int) -> FuzzyDate:
        return _closed_span(_day(y, mon, d), _day(y, mon, d2))

    if m["y"]:
        return build(int(m["y"]))
    return _year_of(ctx, mon, d, repr(m[0]), build)


@_rule(
    "dm_range",
    rf"(?:\b[Ff]rom\s+(?P<d_>{DAY})\s+(?:to|until|through)\s+|(?<![\d,.$])\b(?P<d>{DAY})\s*[-–—]\s*)"
    rf"(?P<d2>{DAY})\s+(?:of\s+)?(?P<m>{MON})(?:,?\s+(?P<y>{YEAR}))?",
)
def _dm_range(m, ctx):
    """ "15–16 June 2024", "from 15 to 16 June": the first day takes the second's month (and year)."""
    return _days_of_a_month(m, ctx, first=m["d"] or m["d_"])


@_rule(
    "and_day",
    rf"(?<=\sand\s)(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>{YEAR}))?(?![\d.,:]\d|\s*(?:%|[A-Za-z(]))",
)
def _and_day(m, ctx):
    """ "on April 24 and 25": the second day takes the first's month (and year)."""
    first = re.search(
        rf"(?P<m>{MON})\s+(?P<d>{DAY})(?:,?\s+(?P<y>{YEAR}))?,?\s+and\s+$",
        ctx.text[max(0, m.start() - 30) : m.start()],
    )
    if first is None:
        return None
    mon, d = _month_no(first["m"]), _day_no(m["d"])
    if d <= _day_no(first["d"]):
        return None
    if first["y"] or m["y"]:
        return _day(int(first["y"] or m["y"]), mon, d)
    before = ctx.recent[-1] if ctx.recent else None
    if before is not None and before.is_day and before.earliest.month == mon:
        return _day(before.earliest.year, mon, d)  # the year the first day was given
    return _year_of(ctx, mon, d, repr(m[0]), lambda y: _day(y, mon, d))


@_rule(
    "day_and",
    rf"(?<![\d,.$])\b(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?=,?\s+and\s+(?:the\s+)?(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MON})(?:,?\s+(?P<y>{YEAR}))?)",
)
def _day_and(m, ctx):
    """ "on 10 and 14 March 2022": the first day takes the second's month (and year)."""
    mon, d = _month_no(m["m"]), _day_no(m["d"])
    if m["y"]:
        return _day(int(m["y"]), mon, d)
    return _year_of(ctx, mon, d, repr(m[0]), lambda y: _day(y, mon, d))


@_rule("md_name", rf"{_WHICH}{_WD_PREFIX}(?P<m>{MON})\s+(?P<d>{DAY})(?=,?\s+[A-Z])")
def _md_before_name(m, ctx):
    return _md(m, ctx)


@_rule("dm", rf"{_WD_PREFIX}(?:the\s+)?(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MON})(?!,?\s+\d)")
def _dm(m, ctx):
    return _md(m, ctx)


@_rule(
    "ordinal_day",
    r"\b(?:on|by|until|since|before|after|for)\s+the\s+(?P<d>(?:3[01]|[12]\d|[1-9])(?:st|nd|rd|th))\b(?!\s+(?:of\s+)?[A-Za-z]*(?:century|anniversary|floor|time|day|week|month|year|round|place|straight|consecutive|percent|amendment|district|grade|birthday))",
)
def _ordinal_day(m, ctx):
    d = _day_no(m["d"])
    narrative = ctx.narrative or (
        ctx.published if ctx.published is not None and ctx.published.is_day else None
    )
    if narrative is None or not narrative.is_day:
        raise _Decline(f"{m[0]!r} names a day of a month the text does not give")
    a = narrative.earliest
    tense = ctx.tense()
    y, mon = a.year, a.month
    if tense == PAST and d > a.day and ctx.narrative is None:
        y, mon = relative._shift_month(y, mon, -1)
    elif tense == FUTURE and d < a.day:
        y, mon = relative._shift_month(y, mon, 1)
    return _day(y, mon, d)


@_rule("month_year", rf"(?P<part>{PART})?(?P<m>{MON}),?\s+(?:of\s+)?(?P<y>{YEAR})", re.I)
def _month_year(m, ctx):
    if not m["m"][0].isupper():
        return None
    return _whole(relative.month(int(m["y"]), _month_no(m["m"])), m["part"])

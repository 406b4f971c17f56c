"""Recognition rules for expressions counted from the date the narrative stands at: "the following
Tuesday", "the day before", "a day later", "later that year", "year-earlier"."""

from __future__ import annotations

import re
from datetime import timedelta

from .. import relative
from ..value import Precision
from .context import _count, _rebuilt, _rule
from .patterns import _WEEKDAYS, COUNT, WD, _Decline

# --- counted from the date the narrative stands at -----------------------------------------------


@_rule(
    "narrative",
    rf"\b(?:(?P<the>[Tt]he|[Tt]hat)\s+(?P<dir>following|next|previous|preceding|prior|same)\s+(?P<unit>day|week|month|year|{WD})"
    rf"|[Tt]he\s+(?P<unit2>day|week|month|year)\s+(?P<dir2>after|before)"
    # only when nothing it counts from follows: "the day before, he", not "the day before the vote",
    # "the day before authorities issued", "the day before returning", "the day before last Tuesday"
    rf"(?=\s*(?:[,.;:!?)\"”’]|''|--|\Z|\s(?:and|but|or|when|while|as|at|in|on|to|with|from|because|he|she|they|it|we)\b))"
    rf"|(?P<n>{COUNT})\s+(?P<unit3>day|week|month|year)s?\s+(?P<dir3>later|earlier)(?!\s+than)"
    rf"|(?P<unit4>year)-(?P<dir4>earlier|ago)"
    rf"|(?:[Ll]ater|[Ee]arlier)\s+(?:that\s+(?P<unit5>day|week|month|year)|in\s+the\s+(?P<unit7>week|month|year))\b"
    rf"(?!\s+(?:of|before|after)\b)"
    rf"|\b[Tt]hat\s+(?P<unit6>day|month|year)\b(?!['’]s))",
)
def _narrative(m, ctx):
    before = ctx.text[max(0, m.start() - 12) : m.start()]
    if m["the"] and (
        re.search(r"\b(?:over|for|within|throughout|during)\s+$", before, re.I)
        or (re.search(r"\b[Ii]n\s+$", before) and m["dir"].lower() in ("next", "past", "previous"))
    ):
        return None  # "over the next year", "for the following week": a duration
    if m["unit"]:
        unit, d = m["unit"], m["dir"].lower()
        direction = 0 if d == "same" else (1 if d in ("following", "next") else -1)
        n = 1
    elif m["unit2"]:
        unit, direction, n = m["unit2"], (1 if m["dir2"] == "after" else -1), 1
    elif m["unit3"]:
        unit, n = m["unit3"], _count(m["n"])
        direction = 1 if m["dir3"].lower() in ("later", "after") else -1
    elif m["unit4"]:
        unit, direction, n = "year", -1, 1
    else:
        unit, direction, n = (m["unit5"] or m["unit6"] or m["unit7"]), 0, 0
    unit_l = unit.lower()
    is_wd = unit_l in _WEEKDAYS
    base = (
        ctx.last_period if unit_l == "year" and direction and ctx.last_period is not None else ctx.narrative
    )
    if direction == 0 and unit_l in ("year", "month"):
        # "in June 1998 … later that year": the year of the latest date read that lies in one
        # ("in April, and Canada later in the month": April, not a year named in between)
        fits = [
            d
            for d in reversed(ctx.recent)
            if d.earliest.year == d.latest.year and (unit_l == "year" or d.earliest.month == d.latest.month)
        ]
        base = fits[0] if fits else None
    if unit_l == "year" and base is None and m["unit4"]:
        base = ctx.published
    if unit_l == "year" and base is None and m["unit3"] and m["dir3"].lower() == "earlier":
        base = ctx.published
    if base is None or base.earliest is None or base.latest is None:
        raise _Decline(f"{m[0]!r} counts from a date the text does not give before it")
    if is_wd:
        if not base.is_day:
            raise _Decline(f"{m[0]!r} counts from {base.label}, not a day")
        a, wd = base.earliest, _WEEKDAYS[unit_l]
        if direction > 0:
            return relative.day(a + timedelta(days=(wd - a.weekday()) % 7 or 7))
        if direction < 0:
            return relative.day(a - timedelta(days=(a.weekday() - wd) % 7 or 7))
        return relative.day(a + timedelta(days=wd - a.weekday()))
    if unit_l == "year":
        if base.earliest.year != base.latest.year:
            raise _Decline(f"{m[0]!r} counts from {base.label}, longer than a year")
        lo, hi = base.earliest, base.latest
        try:
            lo2, hi2 = lo.replace(year=lo.year + direction * n), hi.replace(year=hi.year + direction * n)
        except ValueError:
            lo2, hi2 = (
                lo.replace(year=lo.year + direction * n, day=28),
                hi.replace(year=hi.year + direction * n, day=28),
            )
        if base.precision in (Precision.DAY, Precision.WEEK) or direction == 0:
            if direction == 0:
                return relative.year(lo.year)
            return relative.year(lo2.year)
        return _rebuilt(base, lo2, hi2)
    if unit_l == "month":
        if (base.earliest.year, base.earliest.month) != (base.latest.year, base.latest.month):
            raise _Decline(f"{m[0]!r} counts from {base.label}, longer than a month")
        return relative.month(*relative._shift_month(base.earliest.year, base.earliest.month, direction * n))
    if not base.is_day:
        raise _Decline(f"{m[0]!r} counts from {base.label}, not a day")
    if unit_l == "week":
        return relative.week(base.earliest + timedelta(weeks=direction * n))
    return relative.day(base.earliest + timedelta(days=direction * n))


@_rule("at_that_time", r"\b[Aa]t\s+(?:that|the)\s+time\b(?!\s+(?:of|when|that|to)\b)")
def _at_that_time(m, ctx):
    """ "At that time, he said": the date read last, in this paragraph or the one before."""
    if not ctx.recent:
        raise _Decline(f"{m[0]!r} refers to an earlier date, but no date precedes it")
    return ctx.recent[-1]

"""Relative phrases ("November last year", "next March", "on Saturday") resolved against an anchor.

The anchor is itself a FuzzyDate (a source's publication date may be "late May 2024"). A phrase is
resolved against the anchor's first and last possible day; if the two answers differ, the anchor is
too coarse for the phrase and we say so instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from . import labels
from .value import MONTH_NAMES, DateParseError, FuzzyDate, Precision, month_end

_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
_MONTHS.update({name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, 1)})
_MONTHS["sept"] = 9
_WEEKDAYS = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
WEEKDAY_RE = "|".join(_WEEKDAYS)


def day(d: date) -> FuzzyDate:
    return FuzzyDate(d, d, Precision.DAY, d.isoformat(), labels.day_label(d))


def week(d: date) -> FuzzyDate:
    monday = d - timedelta(days=d.weekday())
    sunday = monday + timedelta(days=6)
    return FuzzyDate(
        monday,
        sunday,
        Precision.WEEK,
        f"{monday.isoformat()}/{sunday.isoformat()}",
        labels.point_label(monday, sunday, Precision.WEEK),
    )


def month(year: int, m: int) -> FuzzyDate:
    return FuzzyDate(
        date(year, m, 1),
        month_end(year, m),
        Precision.MONTH,
        f"{year:04d}-{m:02d}",
        labels.month_label(year, m),
    )


def year(y: int) -> FuzzyDate:
    return FuzzyDate(date(y, 1, 1), date(y, 12, 31), Precision.YEAR, f"{y:04d}", str(y))


def _shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + delta
    return index // 12, index % 12 + 1


def _earlier_this(unit: str, a: date, later: bool) -> FuzzyDate:
    whole = {"year": year(a.year), "month": month(a.year, a.month), "week": week(a)}[unit]
    lo, hi = (a, whole.latest) if later else (whole.earliest, a)
    p = Precision(unit)
    edtf = f"{lo.isoformat()}/{hi.isoformat()}"
    return FuzzyDate(lo, hi, p, edtf, f"{'later' if later else 'earlier'} in {whole.label}")


def _ago(n: int, unit: str, a: date) -> FuzzyDate:
    if unit == "day":
        return day(a - timedelta(days=n))
    if unit == "week":
        return week(a - timedelta(weeks=n))
    if unit == "month":
        return month(*_shift_month(a.year, a.month, -n))
    return year(a.year - n)


def _named_month(m: int, a: date, which: str) -> FuzzyDate:
    if which == "next":
        y = a.year if m > a.month else a.year + 1
    elif which == "last":
        y = a.year if m < a.month else a.year - 1
    else:  # "this" / bare month name: the anchor's year
        y = a.year
    return month(y, m)


def _weekday(wd: int, a: date, which: str) -> FuzzyDate:
    back = (a.weekday() - wd) % 7
    if which == "next":
        return day(a + timedelta(days=(wd - a.weekday()) % 7 or 7))
    if which == "last":
        return day(a - timedelta(days=back or 7))
    # Bare "on Saturday" in a report: the most recent such day, the anchor's own day included.
    return day(a - timedelta(days=back))


Resolver = Callable[[date], FuzzyDate]
_RULES: list[tuple[re.Pattern, Callable[[re.Match], Resolver]]] = []


def _rule(pattern: str):
    def register(fn):
        _RULES.append((re.compile(rf"^(?:{pattern})$", re.I), fn))
        return fn

    return register


@_rule(r"(?:earlier |later )?(?:today|this (?:morning|afternoon|evening)|tonight)")
def _today(m):
    return day


@_rule(r"yesterday|tomorrow")
def _yesterday(m):
    delta = -1 if m[0].lower() == "yesterday" else 1
    return lambda a: day(a + timedelta(days=delta))


@_rule(rf"(?:on |this )?(?P<which>last |next |this )?(?P<wd>{WEEKDAY_RE})")
def _on_weekday(m):
    which = (m["which"] or "").strip().lower()
    wd = _WEEKDAYS[m["wd"].lower()]
    return lambda a: _weekday(wd, a, which)


@_rule(r"(?P<which>last|this|next|the past) (?P<unit>week|month|year)")
def _last_unit(m):
    which, unit = m["which"].lower(), m["unit"].lower()
    delta = {"last": -1, "the past": -1, "this": 0, "next": 1}[which]
    if unit == "week":
        return lambda a: week(a + timedelta(weeks=delta))
    if unit == "month":
        return lambda a: month(*_shift_month(a.year, a.month, delta))
    return lambda a: year(a.year + delta)


@_rule(r"(?P<edge>earlier|later) this (?P<unit>week|month|year)")
def _earlier_this_unit(m):
    unit, later = m["unit"].lower(), m["edge"].lower() == "later"
    return lambda a: _earlier_this(unit, a, later)


@_rule(rf"(?:in |on |the )?(?P<mon>{MONTH_RE})\.? (?P<which>last|this|next) year")
def _month_of_year(m):
    mon = _MONTHS[m["mon"].lower()]
    delta = {"last": -1, "this": 0, "next": 1}[m["which"].lower()]
    return lambda a: month(a.year + delta, mon)


@_rule(rf"(?:in |on )?(?P<which>last|next|this) (?P<mon>{MONTH_RE})\.?")
def _last_month_name(m):
    mon, which = _MONTHS[m["mon"].lower()], m["which"].lower()
    return lambda a: _named_month(mon, a, which)


@_rule(
    r"(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) "
    r"(?P<unit>day|week|month|year)s? ago"
)
def _n_ago(m):
    n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
    unit = m["unit"].lower()
    return lambda a: _ago(n, unit, a)


def match(text: str) -> Resolver | None:
    """The resolver for a relative phrase, or None when the text is not one."""
    for pattern, build in _RULES:
        m = pattern.match(text)
        if m:
            return build(m)
    return None


def resolve(text: str, resolver: Resolver, anchor: FuzzyDate | None) -> FuzzyDate:
    if anchor is None:
        raise DateParseError(
            f"{text!r} is relative and needs an anchor date (e.g. the source's publication date)"
        )
    if anchor.earliest is None or anchor.latest is None:
        raise DateParseError(f"{text!r} cannot be resolved against an open-ended anchor ({anchor.label})")
    first, last = resolver(anchor.earliest), resolver(anchor.latest)
    if first != last:
        raise DateParseError(
            f"{text!r} cannot be resolved: its anchor {anchor.label!r} is too coarse "
            f"(it could mean {first.label} or {last.label})"
        )
    return first

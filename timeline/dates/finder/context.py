"""The context an expression is read in (publication date, narrative date, the year a sentence
named, the last period named), the rule registry every recognition module adds its rules to, and
the normalisation helpers they share (a day, a year for a month that names none, a period
shifted by years, a count of units back or ahead)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .. import labels, relative
from ..edtf import parse_edtf
from ..value import DateParseError, FuzzyDate, Precision, month_end
from .patterns import _MONTHS, _NEAR_AHEAD_DAYS, _NUMBER_WORDS, FUTURE, PAST, WEAK_FUTURE, _Decline
from .tense import _tense

# --- the context an expression is read in --------------------------------------------------------


@dataclass
class _Context:
    text: str
    published: FuzzyDate | None
    sent_start: int = 0
    sent_end: int = 0
    narrative: FuzzyDate | None = None  # the last day-precise date of this or the previous paragraph
    narrative_age: int = 0  # paragraphs since it was read
    quarter: FuzzyDate | None = None  # the last quarter named ("the quarter" is that one)
    recent: list[FuzzyDate] = field(default_factory=list)  # bounded dates of this and the last paragraph
    recent_previous: int = 0  # how many of them the previous paragraph gave
    sentence_year: int | None = None  # a year named earlier in the sentence
    span_year: int | None = None  # the year the end of a range names ("24 February – 1 March 2024")
    last_period: FuzzyDate | None = None  # the last date of the sentence ("a year earlier" shifts it)
    start: int = 0
    end: int = 0
    reference_used: bool = False  # the expression being read needed the reference date

    def tense(self) -> str | None:
        return _tense(self.text, self.sent_start, self.start, self.end, self.sent_end)

    def anchored(self, build: Callable[[date], FuzzyDate], what: str) -> FuzzyDate:
        """``build`` applied to the publication date; unresolved when there is none or when its first
        and last day give different answers."""
        pub = self.published
        self.reference_used = True
        if pub is None or pub.earliest is None or pub.latest is None:
            raise _Decline(f"{what} is relative to the publication date, which is not given")
        first, last = build(pub.earliest), build(pub.latest)
        if (first.earliest, first.latest) != (last.earliest, last.latest):
            raise _Decline(f"{what}: the publication date ({pub.label}) is too coarse to place it")
        return first

    def year_for(self, month: int, day: int | None, what: str, tense: str | None = None):
        """The year of a month (and day) that names none: one named earlier in the sentence (unless
        the clause points forward), else the publication's moved by the tense. Past: the latest
        occurrence not after the publication (a day up to a month after it still counts: "gave no
        reason for the Jan. 14 deadline"); future: the first not before it; no tense: the nearest."""
        tense = tense or self.tense()
        if self.span_year is not None:
            return self.span_year
        if self.sentence_year is not None and tense != FUTURE:
            return self.sentence_year
        self.reference_used = True
        if tense == WEAK_FUTURE:
            tense = None

        def bounds(y: int) -> tuple[date, date]:
            if day:
                d = date(y, month, min(day, month_end(y, month).day))
                return d, d
            return date(y, month, 1), month_end(y, month)

        def pick(a: date) -> int:
            years = (a.year - 1, a.year, a.year + 1)
            if tense == PAST:
                slack = timedelta(days=31 if day else 0)
                return max(y for y in years if bounds(y)[0] <= a + slack)
            if tense == FUTURE:
                return min(y for y in years if bounds(y)[1] >= a)
            # no tense: a report looks back; an occurrence ahead only when it is near (within a
            # season) and nearer than the last one
            past = max(y for y in years if bounds(y)[0] <= a + timedelta(days=31 if day else 0))
            ahead = min(y for y in years if bounds(y)[1] >= a)
            if ahead != past and (bounds(ahead)[0] - a).days <= _NEAR_AHEAD_DAYS:
                if (bounds(ahead)[0] - a).days < (a - bounds(past)[1]).days:
                    return ahead
            return past

        return pick


Handler = Callable[[re.Match, _Context], FuzzyDate | None]


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern
    handler: Handler


_RULES: list[_Rule] = []


def _rule(name: str, pattern: str, flags: int = 0):
    def register(fn: Handler) -> Handler:
        _RULES.append(_Rule(name, re.compile(pattern, flags), fn))
        return fn

    return register


def _month_no(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _day_no(word: str) -> int:
    return int(re.match(r"\d+", word)[0])


def _day(y: int, m: int, d: int) -> FuzzyDate:
    try:
        return relative.day(date(y, m, d))
    except ValueError:
        raise _Decline(f"{y:04d}-{m:02d} has no day {d}") from None


def _whole(fd: FuzzyDate, part: str | None) -> FuzzyDate:
    """ "early December": December, with the qualifier in its label (the text does not say which
    days are early)."""
    if not part:
        return fd
    word = re.sub(r"\s+", " ", part.strip(" -")).lower()
    return replace(fd, label=f"{word} {fd.label}")


def _year_of(
    ctx: _Context,
    month: int,
    day: int | None,
    what: str,
    build: Callable[[int], FuzzyDate],
    tense: str | None = None,
):
    picked = ctx.year_for(month, day, what, tense)
    if isinstance(picked, int):
        return build(picked)
    return ctx.anchored(lambda a: build(picked(a)), what)


def _season(y: int, word: str) -> FuzzyDate:
    code = {"spring": 21, "summer": 22, "fall": 23, "autumn": 23, "winter": 24}[word.lower()]
    return parse_edtf(f"{y:04d}-{code}")


def _season_index(a: date) -> tuple[int, int]:
    """(year, season code) of the season ``a`` falls in; winter belongs to the year it starts in."""
    if a.month == 12:
        return a.year, 24
    if a.month <= 2:
        return a.year - 1, 24
    return a.year, 21 + (a.month - 3) // 3


def _shift(unit: str, n: int, a: date) -> FuzzyDate:
    if unit == "day":
        return relative.day(a + timedelta(days=n))
    if unit == "week":
        return relative.week(a + timedelta(weeks=n))
    if unit == "month":
        return relative.month(*relative._shift_month(a.year, a.month, n))
    if unit == "decade":
        y = a.year + 10 * n
        return FuzzyDate(
            date(y - y % 10, 1, 1),
            date(y - y % 10 + 9, 12, 31),
            Precision.DECADE,
            f"{y // 10:03d}X",
            f"{y - y % 10}s",
        )
    return relative.year(a.year + n)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _rebuilt(base: FuzzyDate, lo: date, hi: date) -> FuzzyDate:
    """``base`` moved to other years: the same kind of period (a quarter, a month) in another year."""
    shifted = lo.year - base.earliest.year
    edtf = base.edtf
    m = re.match(r"^(-?\d{4})(.*)$", edtf)
    if m and "/" not in edtf:
        try:
            return parse_edtf(f"{int(m[1]) + shifted:04d}{m[2]}")
        except DateParseError:
            pass
    return FuzzyDate(
        lo,
        hi,
        base.precision,
        f"{lo.isoformat()}/{hi.isoformat()}",
        labels.point_label(lo, hi, base.precision),
    )


# --- spans built on the dates found -------------------------------------------------------------


@dataclass
class _Hit:
    start: int
    end: int
    rule: _Rule
    match: re.Match
    value: FuzzyDate | None = None
    error: str | None = None
    anchored: bool = False  # read against the reference date (not from the text alone)

"""English date text to FuzzyDate: our own rules first, dateparser for the long tail.

dateparser is configured once (English only, one reused parser, a fixed relative base, the first day
of a month when no day is given) and only ever sees text that names its year, because left alone it
fills a missing year or day from today's date.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache

from . import labels, relative
from .edtf import looks_like_edtf, parse_edtf
from .relative import _MONTHS, MONTH_RE, WEEKDAY_RE
from .value import DateParseError, FuzzyDate, Precision, month_end

_APPROX = r"c\.|ca\.|circa|about|around|approximately|roughly|some time in|sometime in"
_UNCERTAIN = r"probably|possibly|perhaps|likely|reportedly"
_FILLER = r"on|in|during|as of|at|the|of"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>\d{4})"

_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_PARTS = {"early": 0, "mid": 1, "middle of": 1, "late": 2, "end of": 2, "beginning of": 0, "start of": 0}


def _norm(text: str) -> str:
    t = re.sub(r"\s+", " ", text).strip().strip(",;:")
    t = re.sub(r"\s*[–—]\s*", "–", t)  # en and em dashes join ranges
    return t.rstrip(".") if not t.endswith(("c.", "ca.", "..")) else t


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _day_date(y: int, m: int, d: int, text: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise DateParseError(f"{text!r}: {y:04d}-{m:02d} has no day {d}") from None


def _years_from(anchor_needed_text: str, build, anchor: FuzzyDate | None) -> FuzzyDate:
    """A phrase with no year ("3 March"): the year comes from the anchor, never from today."""
    return relative.resolve(anchor_needed_text, build, anchor)


# --- absolute forms we read ourselves (fast and exact) -------------------------------------------

_DMY = re.compile(
    rf"^(?:(?:{WEEKDAY_RE}),? )?(?P<d>\d{{1,2}}){_ORD} (?:of )?(?P<m>{MONTH_RE})\.?,?(?: (?P<y>\d{{4}}))?$",
    re.I,
)
_MDY = re.compile(
    rf"^(?:(?:{WEEKDAY_RE}),? )?(?P<m>{MONTH_RE})\.? (?P<d>\d{{1,2}}){_ORD}(?:,? (?P<y>\d{{4}}))?$", re.I
)
_MY = re.compile(rf"^(?P<m>{MONTH_RE})\.?,?(?: (?:of )?(?P<y>\d{{4}}))?$", re.I)
_Y = re.compile(r"^(?:the year )?(?P<y>\d{4})$")
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})(?:,? \d{1,2}(?:[:h]\d{2})+(?: ?[ap]m)?)?$", re.I
)
_ISO_TIME = re.compile(
    r"^(?P<d>\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)


def _absolute(t: str, anchor: FuzzyDate | None) -> FuzzyDate | None:
    if m := _ISO_TIME.match(t):
        return parse_edtf(m["d"])
    if m := _Y.match(t):
        return relative.year(int(m["y"]))
    for rx in (_DMY, _MDY):
        if m := rx.match(t):
            mon, d = _month(m["m"]), int(m["d"])
            if m["y"]:
                return relative.day(_day_date(int(m["y"]), mon, d, t))
            return _years_from(t, lambda a, mon=mon, d=d: relative.day(_day_date(a.year, mon, d, t)), anchor)
    if m := _MY.match(t):
        mon = _month(m["m"])
        if m["y"]:
            return relative.month(int(m["y"]), mon)
        return _years_from(t, lambda a: relative.month(a.year, mon), anchor)
    if m := _NUMERIC.match(t):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if a > 12 >= b:
            return relative.day(_day_date(y, b, a, t))
        if b > 12 >= a:
            return relative.day(_day_date(y, a, b, t))
        if a == b:
            return relative.day(_day_date(y, a, b, t))
        raise DateParseError(f"{t!r} is ambiguous: day/month or month/day? Write the month as a word")
    return None


# --- compound forms ------------------------------------------------------------------------------

_WEEK_OF = re.compile(r"^(?:the )?week (?:of|starting|beginning) (?P<inner>.+)$", re.I)
_DECADE = re.compile(r"^(?:the )?(?:(?P<part>early|mid|late)[- ])?(?P<y>\d{3})0['’]?s$", re.I)
_PART = re.compile(
    r"^(?P<part>early|mid|late|middle of|end of|beginning of|start of)[- ](?:the )?(?P<inner>.+)$", re.I
)
_SEASON = re.compile(r"^(?:the )?(?P<s>spring|summer|autumn|fall|winter)(?: of)? (?P<y>\d{4})$", re.I)
_DAY_RANGE_DMY = re.compile(
    rf"^(?P<d1>\d{{1,2}}){_ORD} ?(?:–|-|to|until) ?(?P<d2>\d{{1,2}}){_ORD} (?P<m>{MONTH_RE})\.?,?(?: (?P<y>\d{{4}}))?$",
    re.I,
)
_DAY_RANGE_MDY = re.compile(
    rf"^(?P<m>{MONTH_RE})\.? (?P<d1>\d{{1,2}}){_ORD} ?(?:–|-|to|until) ?(?P<d2>\d{{1,2}}){_ORD}(?:,? (?P<y>\d{{4}}))?$",
    re.I,
)
_RANGE = re.compile(
    r"^(?:between (?P<a1>.+?) and (?P<b1>.+)|from (?P<a2>.+?) (?:to|until|through) (?P<b2>.+)|"
    r"(?P<a3>.+?) ?(?:–| - | to | until | through ) ?(?P<b3>.+)|(?P<a4>.+?) or (?P<b4>.+))$",
    re.I,
)
_RANGE_WORDS = re.compile(r" or |–| - | to | until | through |^between |^from ", re.I)


def _thirds(fd: FuzzyDate, part: int, word: str) -> FuzzyDate:
    """early / mid / late part of a month, a year or a decade."""
    lo = fd.earliest
    if not _is_whole(fd):
        # "late 2022-38" (May–August, precision year), "early 2022/2023": not one whole unit, so
        # the thirds of its first month or year would not be its own early or late part.
        raise DateParseError(f"{word!r}: early/mid/late applies to one whole month, year or decade")
    if fd.precision is Precision.MONTH:
        cuts = [(1, 10), (11, 20), (21, month_end(lo.year, lo.month).day)][part]
        a, b = lo.replace(day=cuts[0]), lo.replace(day=cuts[1])
        ea, eb = a.isoformat(), b.isoformat()
    elif fd.precision is Precision.YEAR:
        first, last = [(1, 4), (5, 8), (9, 12)][part]
        a, b = date(lo.year, first, 1), month_end(lo.year, last)
        ea, eb = f"{lo.year:04d}-{first:02d}", f"{lo.year:04d}-{last:02d}"
    elif fd.precision is Precision.DECADE:
        first, last = [(0, 3), (3, 6), (6, 9)][part]
        a, b = date(lo.year + first, 1, 1), date(lo.year + last, 12, 31)
        ea, eb = f"{a.year:04d}", f"{b.year:04d}"
    else:
        raise DateParseError(f"{word!r}: early/mid/late applies to a month, a year or a decade")
    word = "mid" if part == 1 else ("early" if part == 0 else "late")
    sep = "-" if word == "mid" else " "
    return FuzzyDate(a, b, fd.precision, f"{ea}~/{eb}~", f"{word}{sep}{fd.label}", approximate=True)


def _is_whole(fd: FuzzyDate) -> bool:
    """True when ``fd`` is exactly one calendar month, year or decade (as its precision says)."""
    lo, hi = fd.earliest, fd.latest
    if lo is None or hi is None:
        return False
    if fd.precision is Precision.MONTH:
        return lo.day == 1 and hi == month_end(lo.year, lo.month)
    if fd.precision is Precision.YEAR:
        return (lo.month, lo.day) == (1, 1) and hi == date(lo.year, 12, 31)
    if fd.precision is Precision.DECADE:
        start = lo.year - lo.year % 10
        return lo == date(max(start, 1), 1, 1) and hi == date(start + 9, 12, 31)
    return True  # other precisions are refused by _thirds itself


def _span(start: FuzzyDate, end: FuzzyDate) -> FuzzyDate:
    if start.earliest and end.latest and end.latest < start.earliest:
        raise DateParseError(f"the end ({end.label}) is before the start ({start.label})")
    return FuzzyDate(
        start.earliest,
        end.latest,
        Precision.coarsest(start.precision, end.precision),
        f"{start.edtf.split('/')[0]}/{end.edtf.split('/')[-1]}",
        labels.span_label(start.label, end.label),
        approximate=start.approximate or end.approximate,
        uncertain=start.uncertain or end.uncertain,
    )


def _range(t: str, anchor: FuzzyDate | None) -> FuzzyDate | None:
    for rx in (_DAY_RANGE_DMY, _DAY_RANGE_MDY):
        if m := rx.match(t):
            mon, d1, d2 = _month(m["m"]), int(m["d1"]), int(m["d2"])

            def build(y: int, mon=mon, d1=d1, d2=d2) -> FuzzyDate:
                return _span(relative.day(_day_date(y, mon, d1, t)), relative.day(_day_date(y, mon, d2, t)))

            if m["y"]:
                return build(int(m["y"]))
            return _years_from(t, lambda a: build(a.year), anchor)
    m = _RANGE.match(t)
    if not m:
        return None
    a_text = m["a1"] or m["a2"] or m["a3"] or m["a4"]
    b_text = m["b1"] or m["b2"] or m["b3"] or m["b4"]
    try:
        end = _parse(b_text, anchor)
    except DateParseError:
        return None
    try:
        start = _parse(a_text, anchor)
    except DateParseError:
        # "February – March 2022", "24 February – 1 March 2022": the start borrows the end's year.
        if not end.earliest:
            return None
        start = _parse(f"{a_text} {end.earliest.year}", anchor)
    # "late May or early June 2024": one of the two, so the whole stretch, and uncertain.
    return _qualified(_span(start, end), False, True) if m["a4"] else _span(start, end)


# --- dateparser, the long tail -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _dateparser():
    from dateparser.date import DateDataParser  # slow import: only when our rules did not answer

    return DateDataParser(
        languages=["en"],
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_TIME_AS_PERIOD": True,
            "RELATIVE_BASE": datetime(2000, 1, 1),
            "PARSERS": ["custom-formats", "absolute-time"],
            "STRICT_PARSING": False,
        },
    )


# What dateparser could still read after our rules: a month or weekday name (or a misspelling that
# starts like one) or digits joined by . / - ("24.02.2022"). Text with none of these ("talks
# collapsed 2022", "X-17 4170") would only give a guess, and asking costs about a millisecond.
_DATEPARSER_HINT = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)|\d[./-]\d", re.I
)


def _with_dateparser(t: str) -> FuzzyDate | None:
    if not re.search(r"\b\d{4}\b", t):
        return None  # it would take the year from its relative base: a guess
    if not _DATEPARSER_HINT.search(t):
        return None
    data = _dateparser().get_date_data(t)
    if data is None or data.date_obj is None:
        return None
    d, period = data.date_obj.date(), data.period
    if str(d.year) not in t:
        return None
    if period == "year":
        return relative.year(d.year)
    if period == "month":
        return relative.month(d.year, d.month)
    if period == "week":
        return relative.week(d)
    return relative.day(d)


# --- the entry point -----------------------------------------------------------------------------


def _qualify_side(side: str, approximate: bool, uncertain: bool) -> str:
    if side in ("", ".."):
        return side
    if side[-1] in "~?%":
        approximate, uncertain = approximate or side[-1] in "~%", uncertain or side[-1] in "?%"
        side = side[:-1]
    return side + ("%" if approximate and uncertain else "~" if approximate else "?")


def _qualified(fd: FuzzyDate, approximate: bool, uncertain: bool) -> FuzzyDate:
    if not (approximate or uncertain):
        return fd
    edtf = "/".join(_qualify_side(side, approximate, uncertain) for side in fd.edtf.split("/"))
    return replace(
        fd,
        edtf=edtf,
        approximate=fd.approximate or approximate,
        uncertain=fd.uncertain or uncertain,
        # An inner "c." may already lead the label ("c. 10 June" inside a range): add one only if not.
        label=labels.qualify(
            fd.label, approximate=approximate and not fd.label.startswith("c. "), uncertain=uncertain
        ),
    )


def _parse(t: str, anchor: FuzzyDate | None) -> FuzzyDate:
    t = _norm(t)
    if not t:
        raise DateParseError("an empty string is not a date")
    if looks_like_edtf(t) and not _NUMERIC.match(t):
        try:
            return parse_edtf(t)
        except DateParseError:
            if " " not in t:  # a bare EDTF-shaped token: its own error is the clearest
                raise
    if m := re.match(rf"^(?:{_APPROX}) (?P<rest>.+)$", t, re.I):
        return _qualified(_parse(m["rest"], anchor), True, False)
    if m := re.match(rf"^(?:{_UNCERTAIN}) (?:in |on )?(?P<rest>.+)$", t, re.I):
        return _qualified(_parse(m["rest"], anchor), False, True)
    if t.endswith("?"):
        return _qualified(_parse(t[:-1], anchor), False, True)
    if resolver := relative.match(t):
        return relative.resolve(t, resolver, anchor)
    if m := re.match(rf"^(?:{_FILLER}) (?P<rest>.+)$", t, re.I):
        return _parse(m["rest"], anchor)
    if m := _WEEK_OF.match(t):
        inner = _parse(m["inner"], anchor)
        if inner.precision is not Precision.DAY or inner.is_span:
            raise DateParseError(f"{t!r}: 'the week of' needs a day")
        return replace(relative.week(inner.earliest), uncertain=inner.uncertain)
    if m := _DECADE.match(t):
        start = int(m["y"]) * 10
        decade = FuzzyDate(
            date(max(start, 1), 1, 1),
            date(start + 9, 12, 31),
            Precision.DECADE,
            f"{start // 10:03d}X",
            f"{start}s",
        )
        return _thirds(decade, _PARTS[m["part"].lower()], t) if m["part"] else decade
    if m := _SEASON.match(t):
        return parse_edtf(f"{m['y']}-{_SEASONS[m['s'].lower()]}")
    if _RANGE_WORDS.search(t) and (found := _range(t, anchor)):
        return found
    if m := _PART.match(t):
        return _thirds(_parse(m["inner"], anchor), _PARTS[m["part"].lower()], t)
    found = _absolute(t, anchor) or _range(t, anchor) or _with_dateparser(t)
    if found is None:
        raise DateParseError(f"could not understand {t!r} as a date")
    return found


def parse(text: str, anchor: FuzzyDate | str | None = None) -> FuzzyDate:
    """Read ``text`` (EDTF, ISO, English, or a relative phrase resolved against ``anchor``).

    ``anchor`` is a ``FuzzyDate`` or date text, read with ``parse`` itself ("23 December 2023").
    Raises ``DateParseError`` (a ``ValueError``) naming the text when it is not a date, is relative
    with no anchor, or its anchor is too coarse for it; naming the anchor when the anchor is text
    that is not a date; ``TypeError`` when the anchor is neither.
    """
    if not isinstance(text, str):
        raise DateParseError(f"expected date text, got {type(text).__name__}")
    return _cached_parse(text, _anchor(anchor))


def _anchor(anchor: FuzzyDate | str | None) -> FuzzyDate | None:
    if anchor is None or isinstance(anchor, FuzzyDate):
        return anchor
    if isinstance(anchor, str):
        try:
            return parse(anchor)
        except DateParseError as exc:
            raise DateParseError(f"the anchor {anchor!r} cannot be read: {exc}") from exc
    raise TypeError(
        f"the anchor must be a FuzzyDate or date text such as '2023-12-23', got {type(anchor).__name__}"
    )


# Plain ISO calendar dates ("2022-02-24", "2022-02", "2022"): most of what feeds and exports write.
# For these, every step of ``_parse`` comes down to ``parse_edtf(text)`` (normalising changes nothing,
# no rule is tried before the EDTF one, and its error is final for text without a space), so they go
# straight there; tests/test_dates_fast_paths.py checks that both ways agree, errors included.
_ISO_CALENDAR = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


@lru_cache(maxsize=16384)
def _cached_parse(text: str, anchor: FuzzyDate | None) -> FuzzyDate:
    if len(text) > 200:
        raise DateParseError(f"{text[:40]!r}…: a date text is at most 200 characters")
    if _ISO_CALENDAR.fullmatch(text):
        return parse_edtf(text)  # its ``text`` is already ``text``
    found = _parse(text, anchor)
    stripped = text.strip()
    # ``replace`` builds and validates a new FuzzyDate: skip it when the text is already right.
    return found if found.text == stripped else replace(found, text=stripped)


parse.cache_clear = _cached_parse.cache_clear  # type: ignore[attr-defined]
parse.cache_info = _cached_parse.cache_info  # type: ignore[attr-defined]

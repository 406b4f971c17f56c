"""EDTF (ISO 8601-2) strings to strict bounds.

Levels 0 and 1 — what a news timeline writes — are read by the regular expressions below in
microseconds. Level-2 shapes (sets, per-component qualifiers, exponential years, significant
digits) go to python-edtf, which is complete but takes ~8 ms a parse and fails on open intervals.

Bounds are (year, month, day) tuples so years outside Python's 1–9999 survive here; ``to_fuzzy``
turns them into storable dates and rejects what a ``date`` cannot hold.

Two documented choices where the specification leaves the bound open:
- an unknown interval end (``/2006``, ``2004-06-01/``) is unbounded, like ``..``: we do not know it,
  so we do not invent python-edtf's ±10 years;
- winter (season 24, and 28, the northern winter) and the southern summer (30) run from December of
  their year to the end of the next February, the meteorological season, rather than python-edtf's
  December only.

Sub-year groupings (codes 21–41: seasons, hemisphere seasons, quarters, quadrimesters, semesters)
are read here too, with the months of ``SUB_YEAR_MONTHS``. Their precision never claims more than
the grouping's length: ``season`` for the three-month groupings (21–36), ``year`` for the four- and
six-month ones (37–41), whose label says which part of the year ("first half of 2022").
python-edtf's grammar only has codes 25–41 on their own and unqualified; with a qualifier or as an
interval end they still go to it, and it refuses them.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from . import labels
from .value import DateParseError, FuzzyDate, Precision

Ymd = tuple[int, int, int]
NEG_INF: Ymd = (-(10**12), 1, 1)
POS_INF: Ymd = (10**12, 12, 31)

_YEAR = r"(?P<{p}y>-?(?:\d{{4}}|\d{{3}}X|\d{{2}}XX)|Y-?\d{{5,}})"
_POINT = (
    _YEAR
    + r"(?:-(?P<{p}m>\d\d|XX)(?:-(?P<{p}d>\d\d|XX)(?:T\d\d:\d\d:\d\d(?:Z|[+-]\d\d(?::?\d\d)?)?)?)?)?"
    + r"(?P<{p}q>[?~%])?"
)
_POINT_RE = re.compile("^" + _POINT.format(p="") + "$")
_SIDE_RE = re.compile(r"^(?:(?P<open>\.\.)|(?P<unknown>)|" + _POINT.format(p="") + ")$")

# EDTF sub-year grouping code: (first month, last month); a last month before the first is in the
# next year.
SUB_YEAR_MONTHS = {
    21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2),  # spring, summer, autumn, winter
    25: (3, 5), 26: (6, 8), 27: (9, 11), 28: (12, 2),  # the same, Northern Hemisphere
    29: (9, 11), 30: (12, 2), 31: (3, 5), 32: (6, 8),  # spring, summer, autumn, winter, Southern
    33: (1, 3), 34: (4, 6), 35: (7, 9), 36: (10, 12),  # quarters
    37: (1, 4), 38: (5, 8), 39: (9, 12),  # quadrimesters (four months)
    40: (1, 6), 41: (7, 12),  # semesters (halves)
}  # fmt: skip


def grouping_precision(code: int) -> Precision:
    """The unit a sub-year grouping is known to: no finer than its length (three months: a season)."""
    first, last = SUB_YEAR_MONTHS[code]
    return Precision.SEASON if (last - first) % 12 + 1 <= 3 else Precision.YEAR


def _days(y: int, m: int) -> int:
    # calendar.monthrange refuses years outside 1..9999; the Gregorian rule is the same anywhere.
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 30 if m in (4, 6, 9, 11) else 31


class _Point:
    __slots__ = ("lo", "hi", "precision", "approximate", "uncertain", "season", "open")

    def __init__(self, lo, hi, precision, approximate=False, uncertain=False, season=None, open=False):
        self.lo, self.hi, self.precision = lo, hi, precision
        self.approximate, self.uncertain, self.season, self.open = approximate, uncertain, season, open


def _qualifiers(q: str | None) -> tuple[bool, bool]:
    return q in ("~", "%"), q in ("?", "%")


def _point(m: re.Match, source: str, alone: bool = True) -> _Point:
    ys, ms, ds, q = m["y"], m["m"], m["d"], m["q"]
    approximate, uncertain = _qualifiers(q)
    if ys.startswith("Y"):
        year = int(ys[1:])
        if ms:
            raise DateParseError(f"{source!r}: a Y-prefixed year takes no month or day")
        return _Point((year, 1, 1), (year, 12, 31), Precision.YEAR, approximate, uncertain)
    if ys == "-0000":
        raise DateParseError(f"{source!r}: year -0000 is not a valid EDTF year")
    if "X" in ys:
        if ms and ms != "XX" or ds and ds != "XX" and ms == "XX":
            return _fallback_point(source)
        neg = ys.startswith("-")
        digits = ys.lstrip("-")
        lo_y, hi_y = int(digits.replace("X", "0")), int(digits.replace("X", "9"))
        if neg:
            lo_y, hi_y = -hi_y, -lo_y
        precision = Precision.DECADE if digits.count("X") == 1 else Precision.CENTURY
        return _Point((lo_y, 1, 1), (hi_y, 12, 31), precision, approximate, uncertain)
    year = int(ys)
    if not ms or ms == "XX":
        if ds and ds != "XX":
            return _fallback_point(source)  # XXXX-XX-23 style: level 2
        return _Point((year, 1, 1), (year, 12, 31), Precision.YEAR, approximate, uncertain)
    month = int(ms)
    if 21 <= month <= 41 and not ds:
        if month >= 25 and (q or not alone):
            return _fallback_point(source)  # level 2 grammar: python-edtf reads (and refuses) it
        first, last = SUB_YEAR_MONTHS[month]
        end_year = year + 1 if last < first else year
        return _Point(
            (year, first, 1),
            (end_year, last, _days(end_year, last)),
            grouping_precision(month),
            approximate,
            uncertain,
            season=month,
        )
    if not 1 <= month <= 12:
        raise DateParseError(f"{source!r}: month {ms} does not exist")
    if not ds or ds == "XX":
        return _Point(
            (year, month, 1), (year, month, _days(year, month)), Precision.MONTH, approximate, uncertain
        )
    day = int(ds)
    if not 1 <= day <= _days(year, month):
        raise DateParseError(f"{source!r}: {year:04d}-{month:02d} has no day {day}")
    return _Point((year, month, day), (year, month, day), Precision.DAY, approximate, uncertain)


def _fallback_point(source: str) -> _Point:
    lo, hi = _library_bounds(source)
    return _Point(lo, hi, _precision_of(lo, hi))


def _library_bounds(source: str) -> tuple[Ymd, Ymd]:
    if not source.startswith(("[", "{")) and any(c.isspace() for c in source):
        # Only sets ("[1667, 1668]") may hold a space: refuse the rest before pyparsing's ~3 ms.
        raise DateParseError(f"{source!r} is not a valid EDTF date")
    from edtf import parse_edtf  # imported lazily: pyparsing grammar set-up costs ~0.3 s

    try:
        parsed = parse_edtf(source)
        lo, hi = parsed.lower_strict(), parsed.upper_strict()
    except Exception as exc:  # the library raises its own exception types and TypeError on some shapes
        raise DateParseError(f"{source!r} is not a valid EDTF date") from exc
    return _ymd(lo, NEG_INF), _ymd(hi, POS_INF)


def _ymd(value, infinite: Ymd) -> Ymd:
    if isinstance(value, float):  # python-edtf returns ±inf floats for open ends
        return infinite
    return (value.tm_year, value.tm_mon, value.tm_mday)


def _precision_of(lo: Ymd, hi: Ymd) -> Precision:
    if lo == hi:
        return Precision.DAY
    full_months = lo[2] == 1 and hi[2] == _days(hi[0], hi[1])
    if full_months and lo[:2] == hi[:2]:
        return Precision.MONTH
    if full_months and lo[1:] == (1, 1) and hi[1:] == (12, 31):
        years = hi[0] - lo[0] + 1
        if years == 10 and lo[0] % 10 == 0:
            return Precision.DECADE  # "the 1960s"; 1667–1672 is a run of years, labelled as one
        return Precision.YEAR if years <= 10 else Precision.CENTURY
    return Precision.DAY if not full_months else Precision.MONTH if lo[0] == hi[0] else Precision.YEAR


@lru_cache(maxsize=4096)
def edtf_bounds(value: str) -> tuple[str, str]:
    """The strict bounds of an EDTF string as ISO strings; ``-inf``/``inf`` for open ends.

    Works for any year the grammar allows (the conformance suite has year 170000000)."""
    point, points = _parse(value)
    lo = points[0].lo if not points[0].open else NEG_INF
    hi = points[-1].hi if not points[-1].open else POS_INF
    return _iso(lo, "-inf"), _iso(hi, "inf")


def _iso(ymd: Ymd, infinite: str) -> str:
    if ymd in (NEG_INF, POS_INF):
        return infinite
    y, m, d = ymd
    sign = "-" if y < 0 else ""
    return f"{sign}{abs(y):04d}-{m:02d}-{d:02d}"


def _parse(value: str) -> tuple[bool, list[_Point]]:
    source = value.strip()
    if not source:
        raise DateParseError("an empty string is not a date")
    if "/" in source and not source.startswith(("[", "{")):
        sides = source.split("/")
        if len(sides) != 2:
            raise DateParseError(f"{source!r}: an EDTF interval has exactly one '/'")
        matches = [_SIDE_RE.match(s) for s in sides]
        if not all(matches):
            # A level-2 side (e.g. 2004-06-~01): the library reads the whole interval.
            lo, hi = _library_bounds(source)
            return False, [_Point(lo, lo, Precision.DAY), _Point(hi, hi, Precision.DAY)]
        points = [_side(m, source) for m in matches]
        if points[0].open and points[1].open:
            raise DateParseError(f"{source!r}: an interval needs at least one known end")
        if not points[0].open and not points[1].open and points[1].hi < points[0].lo:
            raise DateParseError(f"{source!r}: the interval ends before it starts")
        return False, points
    m = _POINT_RE.match(source)
    if m:
        return True, [_point(m, source)]
    return True, [_fallback_point(source)]


def _side(m: re.Match, source: str) -> _Point:
    if m["open"] is not None or m["unknown"] is not None:
        return _Point(NEG_INF, POS_INF, Precision.DAY, open=True)
    return _point(m, source, alone=False)


def _to_date(ymd: Ymd, source: str) -> date | None:
    if ymd in (NEG_INF, POS_INF):
        return None
    y, m, d = ymd
    if not 1 <= y <= 9999:
        raise DateParseError(f"{source!r}: year {y} is outside the supported range 1–9999")
    return date(y, m, d)


@lru_cache(maxsize=4096)
def parse_edtf(value: str) -> FuzzyDate:
    """An EDTF string as a storable ``FuzzyDate``; ``DateParseError`` if invalid or out of range."""
    source = value.strip()
    single, points = _parse(source)
    if single:
        p = points[0]
        lo, hi = _to_date(p.lo, source), _to_date(p.hi, source)
        if lo is None or hi is None:  # a level-2 set with an open end: [..1760-12-03]
            label = f"until {labels.day_label(hi)}" if lo is None else f"from {labels.day_label(lo)}"
        else:
            label = labels.qualify(
                labels.point_label(lo, hi, p.precision, p.season),
                approximate=p.approximate,
                uncertain=p.uncertain,
            )
        return FuzzyDate(lo, hi, p.precision, source, label, source, p.approximate, p.uncertain)
    a, b = points
    lo = None if a.open else _to_date(a.lo, source)
    hi = None if b.open else _to_date(b.hi, source)
    precision = Precision.coarsest(*(p.precision for p in points if not p.open))
    start = (
        "…"
        if a.open
        else labels.qualify(
            labels.point_label(lo, _to_date(a.hi, source), a.precision, a.season),
            approximate=a.approximate,
            uncertain=a.uncertain,
        )
    )
    end = (
        "…"
        if b.open
        else labels.qualify(
            labels.point_label(_to_date(b.lo, source), hi, b.precision, b.season),
            approximate=b.approximate,
            uncertain=b.uncertain,
        )
    )
    label = f"until {end}" if a.open else f"from {start}" if b.open else labels.span_label(start, end)
    return FuzzyDate(
        lo,
        hi,
        precision,
        source,
        label,
        source,
        any(p.approximate for p in points),
        any(p.uncertain for p in points),
    )


def looks_like_edtf(value: str) -> bool:
    """Cheap test used to route input: digits, X, and EDTF punctuation only."""
    return (
        bool(value)
        and re.fullmatch(r"[\dXYES\-/.?~%:T+Z\[\]{}, ]+", value) is not None
        and any(c.isdigit() for c in value)
    )

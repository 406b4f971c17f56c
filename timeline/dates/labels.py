"""Human labels for fuzzy dates: "24 February 2022", "September 2022", "c. 2022", "15–16 June 2024"."""

from __future__ import annotations

from datetime import date

from .value import MONTH_NAMES, Precision

SEASON_NAMES = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_ORDINALS = ("first", "second", "third", "fourth")


def grouping_label(code: int, lo: date, hi: date) -> str:
    """Label of an EDTF sub-year grouping (codes 21–41) that runs from ``lo`` to ``hi``.

    "spring 2022", "spring 2022 (Southern Hemisphere)", "first quarter of 2022",
    "January–April 2022" (a quadrimester), "second half of 2022".
    """
    year = _year(lo.year)
    if code <= 24:
        return f"{SEASON_NAMES[code]} {year}"
    if code <= 32:
        hemisphere = "Northern" if code <= 28 else "Southern"
        return f"{SEASON_NAMES[21 + (code - 25) % 4]} {year} ({hemisphere} Hemisphere)"
    if code <= 36:
        return f"{_ORDINALS[code - 33]} quarter of {year}"
    if code <= 39:
        return f"{MONTH_NAMES[lo.month - 1]}–{MONTH_NAMES[hi.month - 1]} {year}"
    return f"{_ORDINALS[code - 40]} half of {year}"


def day_label(d: date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {_year(d.year)}"


def month_label(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {_year(year)}"


def _year(year: int) -> str:
    return str(year) if year > 0 else f"{1 - year} BCE"


def point_label(lo: date, hi: date, precision: Precision, season: int | None = None) -> str:
    """Label of a date known to ``precision`` (not a span); ``season`` is an EDTF sub-year code."""
    if season:
        return grouping_label(season, lo, hi)
    if precision is Precision.DAY:
        # A level-2 set ([2024-05-21..2024-06-10]) is day-precise but may span several days.
        return day_label(lo) if lo == hi else span_label(day_label(lo), day_label(hi))
    if precision is Precision.WEEK:
        return f"week of {day_label(lo)}"
    if precision is Precision.MONTH:
        return month_label(lo.year, lo.month)
    if precision is Precision.YEAR:
        return _year(lo.year) if lo.year == hi.year else f"{_year(lo.year)}–{_year(hi.year)}"
    if precision is Precision.DECADE:
        return f"{lo.year}s"
    return f"{_year(lo.year)}–{_year(hi.year)}"


def qualify(label: str, *, approximate: bool, uncertain: bool) -> str:
    if approximate:
        label = f"c. {label}"
    if uncertain:
        label = f"{label}?"
    return label


def span_label(start_label: str, end_label: str) -> str:
    """Join two endpoint labels, sharing a common tail: "15–16 June 2024", "February–March 2022"."""
    a, b = start_label.split(" "), end_label.split(" ")
    shared = 0
    while shared < min(len(a), len(b)) - 1 and a[-1 - shared] == b[-1 - shared]:
        shared += 1
    if shared and len(a) > shared:
        head = " ".join(a[: len(a) - shared])
        return (
            f"{head}–{end_label}"
            if len(a) - shared == 1 and len(b) - shared == 1
            else (f"{head} – {end_label}")
        )
    return f"{start_label} – {end_label}"

"""The value every date phrase becomes: what is known about a date, and nothing more."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum


class DateParseError(ValueError):
    """A date text that cannot be understood, or cannot be resolved honestly."""


class Precision(StrEnum):
    """The unit a date is known to. Ordered from finest to coarsest."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"

    @property
    def rank(self) -> int:
        return list(Precision).index(self)

    @classmethod
    def coarsest(cls, *precisions: Precision) -> Precision:
        return max(precisions, key=lambda p: p.rank)


MONTH_NAMES = [calendar.month_name[m] for m in range(1, 13)]


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date known only to lie between ``earliest`` and ``latest`` (both inclusive).

    ``None`` for a bound means open (EDTF ``..``): the occurrence runs without a known limit.
    ``edtf`` is the canonical EDTF string, ``label`` the human form ("September 2022", "c. 2022"),
    ``text`` the words it was read from.
    """

    earliest: date | None
    latest: date | None
    precision: Precision
    edtf: str
    label: str
    text: str = ""
    approximate: bool = False
    uncertain: bool = False

    def __post_init__(self):
        if self.earliest is None and self.latest is None:
            raise DateParseError(f"{self.edtf!r}: a date needs at least one known bound")
        if self.earliest and self.latest and self.earliest > self.latest:
            raise DateParseError(
                f"{self.text or self.edtf!r}: the end ({self.latest.isoformat()}) is before "
                f"the start ({self.earliest.isoformat()})"
            )
        object.__setattr__(self, "precision", Precision(self.precision))

    @property
    def is_span(self) -> bool:
        """True when the date is an interval (``a/b``) rather than one point known to a precision."""
        return "/" in self.edtf

    @property
    def is_day(self) -> bool:
        return self.earliest is not None and self.earliest == self.latest

    def contains(self, other: FuzzyDate) -> bool:
        """True when every day ``other`` may mean is a day this date may mean."""
        lo_ok = self.earliest is None or (other.earliest is not None and other.earliest >= self.earliest)
        hi_ok = self.latest is None or (other.latest is not None and other.latest <= self.latest)
        return lo_ok and hi_ok

    def overlaps(self, start: date | None, end: date | None) -> bool:
        return (end is None or self.earliest is None or self.earliest <= end) and (
            start is None or self.latest is None or self.latest >= start
        )

    def with_text(self, text: str) -> FuzzyDate:
        return replace(self, text=text)

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
            "precision": str(self.precision),
            "edtf": self.edtf,
            "label": self.label,
            "approximate": self.approximate,
            "uncertain": self.uncertain,
        }

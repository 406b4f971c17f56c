"""What the finder returns: each date found (offsets and value), each expression it recognised but
would not resolve (with the reason), and the two together."""

from __future__ import annotations

from dataclasses import dataclass

from ..value import FuzzyDate


@dataclass(frozen=True)
class FoundDate:
    """A date expression in a text: its offsets (``text == source[start:end]``) and its value."""

    start: int
    end: int
    text: str
    value: FuzzyDate
    rule: str
    anchored: bool = False  # read against the reference date, not from the text alone (not in the JSON)

    def as_json(self) -> dict:
        v = self.value
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "earliest": v.earliest.isoformat() if v.earliest else None,
            "latest": v.latest.isoformat() if v.latest else None,
            "precision": str(v.precision),
            "approximate": v.approximate,
            "uncertain": v.uncertain,
            "edtf": v.edtf,
            "label": v.label,
        }


@dataclass(frozen=True)
class UnresolvedDate:
    """A date expression recognised in a text whose value could not be given honestly."""

    start: int
    end: int
    text: str
    reason: str
    rule: str = ""  # the recognition rule that found it (not part of the JSON)

    def as_json(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "reason": self.reason}


@dataclass
class Findings:
    dates: list[FoundDate]
    unresolved: list[UnresolvedDate]

    def as_json(self) -> dict:
        return {
            "dates": [d.as_json() for d in self.dates],
            "unresolved": [u.as_json() for u in self.unresolved],
        }

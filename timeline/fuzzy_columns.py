"""Store a FuzzyDate in plain, indexable columns and read it back.

Open bounds (EDTF ``..``) are stored as the smallest and largest dates a column can hold, so the
overlap query stays two plain comparisons that an ordinary B-tree index answers on both databases.
Those two days are therefore reserved: a known bound on either would read back as open, so it is
refused (``reserved_bound_error``) wherever a date is stored.
"""

from __future__ import annotations

from datetime import date

from .dates import FuzzyDate, Precision

OPEN_START = date(1, 1, 1)
OPEN_END = date(9999, 12, 31)
FIRST_STORABLE = date(1, 1, 2)
LAST_STORABLE = date(9999, 12, 30)


def reserved_bound_error(value: FuzzyDate) -> str | None:
    """Why ``value`` cannot be stored (a known bound on a day reserved for open ones), or None."""
    for bound in (value.earliest, value.latest):
        if bound == OPEN_START or bound == OPEN_END:
            which = "start" if bound == OPEN_START else "end"
            return (
                f"{bound.isoformat()} is reserved for an open {which}; dates must lie between "
                f"{FIRST_STORABLE.isoformat()} and {LAST_STORABLE.isoformat()}."
            )
    return None

PRECISION_CHOICES = [(p.value, p.value) for p in Precision]


class FuzzyDateAccessor:
    """``instance.date`` reads and writes a FuzzyDate from the model's ``<prefix>text``, ``<prefix>earliest``,
    ``<prefix>latest``, ``<prefix>precision``, ``<prefix>approximate``, ``<prefix>uncertain``,
    ``<prefix>edtf`` and ``<prefix>label`` columns."""

    NAMES = ("text", "earliest", "latest", "precision", "approximate", "uncertain", "edtf", "label")

    def __init__(self, prefix: str = "", **renamed: str):
        self.columns = {name: renamed.get(name, f"{prefix}{name}") for name in self.NAMES}

    def __get__(self, instance, owner=None) -> FuzzyDate | None:
        if instance is None:
            return self
        c = self.columns
        if not getattr(instance, c["edtf"]):
            return None
        earliest, latest = getattr(instance, c["earliest"]), getattr(instance, c["latest"])
        return FuzzyDate(
            earliest=None if earliest == OPEN_START else earliest,
            latest=None if latest == OPEN_END else latest,
            precision=getattr(instance, c["precision"]),
            edtf=getattr(instance, c["edtf"]),
            label=getattr(instance, c["label"]),
            text=getattr(instance, c["text"]),
            approximate=getattr(instance, c["approximate"]),
            uncertain=getattr(instance, c["uncertain"]),
        )

    def __set__(self, instance, value: FuzzyDate | None) -> None:
        c = self.columns
        if value is None:
            for name, empty in (
                ("text", ""),
                ("earliest", None),
                ("latest", None),
                ("precision", ""),
                ("approximate", False),
                ("uncertain", False),
                ("edtf", ""),
                ("label", ""),
            ):
                setattr(instance, c[name], empty)
            return
        error = reserved_bound_error(value)
        if error is not None:  # the services say so with the field's name; this is the last guard
            raise ValueError(error)
        setattr(instance, c["text"], value.text or value.label)
        setattr(instance, c["earliest"], value.earliest or OPEN_START)
        setattr(instance, c["latest"], value.latest or OPEN_END)
        setattr(instance, c["precision"], str(value.precision))
        setattr(instance, c["approximate"], value.approximate)
        setattr(instance, c["uncertain"], value.uncertain)
        setattr(instance, c["edtf"], value.edtf)
        setattr(instance, c["label"], value.label)

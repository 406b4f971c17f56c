"""A validator for TimelineJS3 documents, written from the official format page and checked against
the official examples in tests/data/timelinejs/ (see its README.md for where they come from).

Date parts may be ints or digit strings (the docs say numbers, every official example uses strings,
the library accepts both). Unknown keys are allowed, as the library ignores them.
"""

from __future__ import annotations

import re

DIGITS = re.compile(r"^-?\d*$")
_RANGES = {"month": (1, 12), "day": (1, 31), "hour": (0, 23), "minute": (0, 59), "second": (0, 59)}
TIMELINEJS2_KEYS = {"timeline", "startDate", "date", "headline"}


def _date(value, where: str, *, dated: bool = True) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: a date is an object"]
    errors = []
    if dated and value.get("year") in (None, ""):
        errors.append(f"{where}: year is required")
    for name in ("year", "millisecond", *_RANGES):
        if name not in value:
            continue
        part = value[name]
        if (
            isinstance(part, bool)
            or not isinstance(part, (int, str))
            or (isinstance(part, str) and not DIGITS.match(part))
        ):
            errors.append(f"{where}.{name}: {part!r} is neither an int nor a digit string")
            continue
        if name in _RANGES and part not in ("", "-"):
            lo, hi = _RANGES[name]
            if not lo <= int(part) <= hi:
                errors.append(f"{where}.{name}: {part} is outside {lo}..{hi}")
    for name in ("display_date", "format"):
        if name in value and not isinstance(value[name], str):
            errors.append(f"{where}.{name}: must be a string")
    return errors


def _slide(slide, where: str, *, title: bool = False) -> list[str]:
    if not isinstance(slide, dict):
        return [f"{where}: a slide is an object"]
    errors = []
    if not title and "start_date" not in slide:
        errors.append(f"{where}: start_date is required")
    for name in ("start_date", "end_date"):
        if name in slide:
            # The title slide has no place in time: the examples give it blank dates, which are ignored.
            errors += _date(slide[name], f"{where}.{name}", dated=not title)
    text = slide.get("text", {})
    if not isinstance(text, dict) or any(not isinstance(text.get(k, ""), str) for k in ("headline", "text")):
        errors.append(f"{where}.text: headline and text are strings")
    if "media" in slide and (not isinstance(slide["media"], dict) or "url" not in slide["media"]):
        errors.append(f"{where}.media: needs a url")
    for name in ("group", "display_date", "unique_id"):
        if name in slide and not isinstance(slide[name], str):
            errors.append(f"{where}.{name}: must be a string")
    if "autolink" in slide and not isinstance(slide["autolink"], bool):
        errors.append(f"{where}.autolink: must be a boolean")
    return errors


def validate(document) -> list[str]:
    """The ways ``document`` is not a TimelineJS3 document (an empty list when it is one)."""
    if not isinstance(document, dict):
        return ["the document is an object"]
    errors = [f"{key}: a TimelineJS2 key" for key in TIMELINEJS2_KEYS & set(document)]
    events = document.get("events")
    if not isinstance(events, list) or not events:
        return [*errors, "events: a non-empty list is required"]
    for n, slide in enumerate(events):
        errors += _slide(slide, f"events[{n}]")
    if "title" in document:
        errors += _slide(document["title"], "title", title=True)
    for n, era in enumerate(document.get("eras", [])):
        if not isinstance(era, dict) or "start_date" not in era or "end_date" not in era:
            errors.append(f"eras[{n}]: start_date and end_date are required")
        else:
            errors += _date(era["start_date"], f"eras[{n}].start_date") + _date(
                era["end_date"], f"eras[{n}].end_date"
            )
    if document.get("scale", "human") not in ("human", "cosmological"):
        errors.append("scale: 'human' or 'cosmological'")
    # A blank unique_id is derived from the headline by the library, as the examples rely on.
    ids = [
        s["unique_id"]
        for s in [*events, document.get("title", {})]
        if isinstance(s, dict) and s.get("unique_id")
    ]
    if len(ids) != len(set(ids)):
        errors.append("unique_id: must be unique across slides")
    return errors

"""Checking that a quote is what the source says, where it says it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


def locate_quote(*, text: str, quote: str, near: int | None = None) -> tuple[int, int]:
    """Offsets of ``quote`` in ``text``: the only occurrence, or the one at/after ``near``.

    An ambiguous quote (several occurrences and no hint) is an error rather than a silent first pick."""
    if not quote:
        raise ValidationError({"quote": "A citation needs a non-empty quote."})
    first = text.find(quote)
    if first < 0:
        raise ValidationError({"quote": f"The quote does not occur in the source text: {quote[:80]!r}"})
    if near is not None:
        at = text.find(quote, near)
        return (at, at + len(quote)) if at >= 0 else (first, first + len(quote))
    if text.find(quote, first + 1) >= 0:
        raise ValidationError(
            {"quote": "The quote occurs more than once in the source text; give char_start."}
        )
    return first, first + len(quote)


def check_quote(*, text: str, quote: str, char_start: int | None, char_end: int | None) -> None:
    """Raise ValidationError unless ``text[char_start:char_end] == quote``."""
    if char_start is None or char_end is None:
        raise ValidationError("A citation needs char_start and char_end.")
    if not 0 <= char_start < char_end <= len(text):
        raise ValidationError(
            {
                "char_start": f"Offsets {char_start}..{char_end} fall outside the source text (length {len(text)})."
            }
        )
    found = text[char_start:char_end]
    if found != quote:
        raise ValidationError(
            {
                "quote": f"The quote does not match the source text at {char_start}..{char_end}: "
                f"the text there reads {found[:80]!r}."
            }
        )


def render_highlighted(text: str, citations) -> str:
    """The article as HTML (everything escaped) with each cited span in a <mark> naming its event.
    Overlapping citations are merged into the first mark so the text is shown exactly once."""
    parts, cursor = [], 0
    for c in citations:
        start, end = max(c.char_start, cursor), c.char_end
        if end <= start:
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(format_html('<mark title="{}">{}</mark>', c.event.title, text[start:end]))
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe('<div style="white-space: pre-wrap; max-width: 60em">' + "".join(parts) + "</div>")

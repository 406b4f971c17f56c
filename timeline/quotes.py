"""Checking that a quote is what the source says, where it says it."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Segment:
    """A stretch of a source's text between two citation boundaries: ``citations`` are the quotes
    covering all of it (none, one, or several where quotes overlap), ``starts`` those beginning at
    its start and ``ends`` those ending at its end."""

    text: str
    citations: tuple = ()
    starts: tuple = ()
    ends: tuple = ()


def quote_segments(text: str, citations) -> list[Segment]:
    """``text`` cut at every citation's offsets (``char_start``/``char_end``, clamped to the text),
    so that overlapping and nested quotes each keep their own span: the page highlights each
    segment once, however many quotes cover it. Offsets are character positions, as stored."""
    spans = []
    for c in citations:
        start, end = max(0, min(c.char_start, len(text))), max(0, min(c.char_end, len(text)))
        if end > start:
            spans.append((start, end, c))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b <= a:
            continue
        segments.append(
            Segment(
                text[a:b],
                citations=tuple(c for s, e, c in spans if s <= a and e >= b),
                starts=tuple(c for s, _, c in spans if s == a),
                ends=tuple(c for _, e, c in spans if e == b),
            )
        )
    return segments

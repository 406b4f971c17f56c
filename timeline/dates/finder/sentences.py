"""Sentences and paragraphs of a plain text, as the finder's context needs them (a year named in a
sentence, the narrative date of a paragraph)."""

from __future__ import annotations

import re

# --- sentences and paragraphs --------------------------------------------------------------------

_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Co|Corp|Inc|Ltd|Jr|Sr|No|Vol|Rev|Prof|Mt|Ft|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.N|a\.m|p\.m|vs|etc|[A-Z])\.)$"
)
_SENT_END = re.compile(r"[.!?]['\"’”)]*(?=\s+['\"‘“(`]*[A-Z0-9])|\n")


def _sentences(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, starts a paragraph) of each sentence."""
    out = []
    start, new_para = 0, True
    for m in _SENT_END.finditer(text):
        if m.group(0) != "\n" and _ABBREV.search(text[max(0, m.start() - 6) : m.start() + 1]):
            if not re.search(
                r"\s+['\"‘“(`]*(?:The|A|An|He|She|It|They|We|I|In|On|But|And)\b", text[m.end() : m.end() + 10]
            ):
                continue
        end = m.end()
        if text[start:end].strip():
            out.append((start, end, new_para))
            new_para = False
        if m.group(0) == "\n" and (
            end >= len(text) or text[end : end + 1] == "\n" or text[start:end].strip() == ""
        ):
            new_para = True
        start = end
    if text[start:].strip():
        out.append((start, len(text), new_para))
    return out

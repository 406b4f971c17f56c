"""Finding the phrases in a sentence that may place an event in time.

This module only FINDS candidate phrases (regular expressions over month names, years, weekdays,
relative words) and says what each needs to be read: nothing (it names its year), a year from the
surrounding text, the publication date, or the date of the previous sentence ("At that time").
Reading them is ``timeline.dates``' job, always.

Things that only look like dates are not found: "may" the verb (month names must be capitalised),
times of day ("22h31", "10:30"), reference markers ("[12]": a number alone is never a date here),
word counts, "the 2022 to 2024 … government" banners (a bare year needs "in" or "during" and must
not start a range), durations ("120 days", "over the past three years", "nearly two and a half
years later": none fits a pattern), and numbers in URLs (a phrase inside a URL is dropped). A
phrase after "since", "until", "by", "before", "after", "every"… bounds a state or a repetition
rather than dating an event, so it is dropped too.

Some phrases are found only so that they are reported rather than lost: a half or quarter of a year
("the first half of 2023", which timeline.dates does not read) and a relative phrase counted from a
date nothing gives ("The following week", "a month later": ``UNRESOLVABLE``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
M = rf"(?:(?:{MONTH_FULL})\b|(?:{_MONTH_ABBR})\b\.?)"
MF = rf"(?:{MONTH_FULL})\b"
D = r"(?<![\d:/.])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:/]|h\d)"
Y = r"(?<![\d.,/$€£])(?:1[6-9]\d\d|20\d\d|21\d\d)(?![\d])"
WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
PREP = r"(?:\b(?:[Oo]n|[Ii]n|[Dd]uring|[Aa]s of)\s+)?"
FROM = r"(?:\b[Ff]rom\s+)?"
PART = r"(?:\b(?:[Ee]arly|[Ll]ate|[Mm]id)[- ]|(?:[Tt]he\s+)?(?:end|beginning|start|middle)\s+of\s+)"
DAY_SEP = r"(?:\s*[–—-]\s*|\s+(?:to|until)\s+)"
SPAN_SEP = r"(?:\s*[–—]\s*|\s+-\s+|\s+(?:to|until)\s+)"
NUMBER = r"(?:\d{1,3}|(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))"

# "around 2022", "c. 2022", "circa March 2022": timeline.dates reads them as approximate.
APPROX = r"(?:\b(?:[Aa]round|[Cc]irca|ca\.|c\.|[Aa]pproximately|[Rr]oughly)\s+)"
# One end of a range "between … and …": a day, a month or a season, perhaps with its year, or a year.
_SIDE = (
    rf"(?:{PART}?(?:{D}\s+(?:of\s+)?{M}|{M}\s+{D}|{M})(?:,?\s+{Y})?|{PART}?{Y}"
    rf"|(?:the\s+)?(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)(?:\s+of)?\s+{Y})"
)
# "between 10 and 14 March", "between March 10 and 14, 2022": a bare day borrows the other end's month.
_BETWEEN = rf"\b[Bb]etween\s+(?:{_SIDE}|{D})\s+and\s+(?:{_SIDE}|{D}(?:,?\s+{Y}|(?=\s*(?:[,.;:)]|$))))"
_UNIT = r"(?:day|week|month|year)"

# What a phrase needs before timeline.dates can read it. UNRESOLVABLE: a relative phrase that counts
# from a date the extractor cannot give it ("the following week"): always reported, never guessed.
NOTHING, YEAR, PUBLICATION, PREVIOUS = "nothing", "year", "publication", "previous"
UNRESOLVABLE = "unresolvable"

_BLOCKERS = {"since", "until", "till", "by", "before", "after", "every", "each", "from", "between"}
_DURATION_WORDS = {"the", "over", "for", "within", "throughout", "past"}


@dataclass(frozen=True)
class _Pattern:
    name: str
    regex: re.Pattern
    needs: str  # NOTHING/YEAR are decided per match (whether it names a year)
    split: str = ""  # "days" or "months": one phrase, several dates ("on 10 and 14 March")
    blockers: frozenset[str] = frozenset(_BLOCKERS)


def _p(name, pattern, needs=YEAR, split="", extra_blockers=()):
    return _Pattern(name, re.compile(pattern), needs, split, frozenset(_BLOCKERS | set(extra_blockers)))


PATTERNS = [
    _p(
        "iso",
        PREP + r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w/-])",
    ),
    # "5/6/2023", "24.02.2022" (timeline.dates refuses the ambiguous ones: they are then unresolved).
    _p("numeric", PREP + r"(?<![\w/.])\d{1,2}([/.])\d{1,2}\1\d{4}(?![\w/]|\.\d)"),
    _p(
        "week_of",
        PREP
        + rf"(?:[Tt]he\s+)?\b[Ww]eek\s+(?:of|starting|beginning)\s+(?:{D}\s+(?:of\s+)?{M}|{M}\s+{D})(?:,?\s+{Y})?",
    ),
    _p("span_dmy", PREP + FROM + rf"{D}\s+{M}(?:,?\s+{Y})?{SPAN_SEP}{D}\s+{M}(?:,?\s+{Y})?"),
    _p("span_mdy", PREP + FROM + rf"{M}\s+{D}(?:,?\s+{Y})?{SPAN_SEP}{M}\s+{D}(?:,?\s+{Y})?"),
    _p("days_dmy", PREP + FROM + rf"{D}{DAY_SEP}{D}\s+(?:of\s+)?{M}(?:,?\s+{Y})?"),
    _p("days_mdy", PREP + FROM + rf"{M}\s+{D}{DAY_SEP}{D}(?:,?\s+{Y})?"),
    _p(
        "and_days_dmy", PREP + rf"{D}(?:\s*,\s*{D})*,?\s+and\s+{D}\s+(?:of\s+)?{M}(?:,?\s+{Y})?", split="days"
    ),
    _p("and_days_mdy", PREP + rf"{M}\s+{D}(?:\s*,\s*{D})*,?\s+and\s+{D}(?:,?\s+{Y})?", split="days"),
    _p("day_dmy", PREP + APPROX + rf"?(?:{WD},?\s+)?(?:the\s+)?{D}\s+(?:of\s+)?{M}(?:,?\s+{Y})?"),
    _p("day_mdy", PREP + APPROX + rf"?(?:{WD},?\s+)?{M}\s+{D}(?:,?\s+{Y})?"),
    _p("months_or", PREP + rf"{PART}?{M}\s+or\s+{PART}?{M}(?:,?\s+{Y})?"),
    # One span, read as "A to B": "between 10 and 14 March 2022", "between March 2022 and June 2022".
    _p("between", _BETWEEN),
    _p("span_months", PREP + FROM + rf"{PART}?{M}(?:,?\s+{Y})?{SPAN_SEP}{PART}?{M}(?:,?\s+{Y})?"),
    _p("and_months", PREP + rf"{M}(?:\s*,\s*{M})*,?\s+and\s+{M}(?:,?\s+(?:of\s+)?{Y})?", split="months"),
    _p("month_year", PREP + APPROX + rf"?{PART}?{M}(?:,|\s+of)?\s+{Y}"),
    _p(
        "season",
        PREP + rf"(?:\bthe\s+)?\b(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)(?:\s+of)?\s+{Y}",
    ),
    _p("part_year", PREP + rf"{PART}{Y}"),
    # Halves and quarters: found so that they are reported (timeline.dates does not read them).
    _p(
        "half_year",
        PREP
        + rf"(?:(?:[Tt]he\s+)?\b(?:(?:first|second|latter)\s+half|(?:first|second|third|fourth|final|last)"
        rf"\s+quarter)\s+of\s+{Y}|\b(?:Q[1-4]|H[12])\s+{Y})",
    ),
    # "from 2022 to 2024", "from late 2022 to early 2023", "from 2022 to June 2023": one span.
    _p("span_from", rf"\b[Ff]rom\s+{_SIDE}(?:\s*[–—]\s*|\s+-\s+|\s+(?:to|until|through)\s+){_SIDE}"),
    _p("decade", PREP + r"\bthe\s+(?:(?:early|mid|late)[- ])?(?:1[6-9]|20)\d0s\b"),
    # A bare year only after a preposition, and not as the start of a range or banner ("2022 to 2024").
    _p("year", rf"\b(?:[Ii]n|[Dd]uring|[Tt]hroughout)\s+{Y}(?!\s*(?:[–—-]|to\b|and\b)\s*\d)(?![’']s)"),
    # Or after an approximation ("Around 2022,", "in c. 2022."), but not as a modifier ("around
    # 2022 presidential elections").
    _p(
        "approx_year",
        rf"(?:\b(?:[Ii]n|[Dd]uring)\s+)?(?:{APPROX}|(?<=\b[Ii]n\s)about\s+){Y}(?![’']s)(?!\s*[–—-]\s*\d|\s+[a-z])",
    ),
    _p("month_rel_year", PREP + rf"{M}\s+(?:last|this|next)\s+year\b", PUBLICATION),
    _p("rel_month", PREP + rf"\b(?:[Ll]ast|[Nn]ext|[Tt]his)\s+{MF}", PUBLICATION),
    _p("rel_edge", r"\b(?:[Ee]arlier|[Ll]ater)\s+this\s+(?:week|month|year)\b", PUBLICATION),
    _p(
        "rel_unit",
        r"\b(?:(?:[Ee]arly|[Ll]ate|[Mm]id)[- ])?(?:[Ll]ast|[Nn]ext|[Tt]his)\s+(?:week|month|year)\b(?![’']s)",
        PUBLICATION,
        extra_blockers=_DURATION_WORDS,
    ),
    _p(
        "rel_weekday",
        rf"\b(?:(?:[Oo]n|[Ll]ast|[Nn]ext|[Tt]his)\s+)?{WD}",
        PUBLICATION,
        extra_blockers={"the"},
    ),
    _p(
        "rel_day",
        r"\b(?:[Yy]esterday|[Tt]omorrow|[Tt]onight|[Tt]oday|this\s+(?:morning|afternoon|evening))\b(?![’']s)",
        PUBLICATION,
    ),
    _p("ago", rf"\b(?:(?:about|around)\s+)?{NUMBER}\s+(?:day|week|month|year)s?\s+ago\b", PUBLICATION),
    _p("in_month", rf"\b(?:[Ii]n|[Dd]uring)\s+(?:(?:early|late|mid)[- ])?{MF}(?!\.?\s*,?\s*\d)"),
    _p("part_month", rf"\b(?:[Ee]arly|[Ll]ate|[Mm]id)[- ]{MF}(?!\.?\s*,?\s*\d)"),
    _p(
        "previous",
        r"\b(?:[Aa]t\s+that\s+time|[Aa]t\s+the\s+time(?!\s+of\b)|(?:[Oo]n\s+|[Ii]n\s+)?(?:that|the)\s+same\s+(?:day|month|year)"
        r"|(?:[Ll]ater\s+)?[Tt]hat\s+(?:day|month|year)(?![’']s))\b",
        PREVIOUS,
    ),
    # Counted from a date the text gives elsewhere, or not at all: "The following week", "the day
    # after", "a month later", "that week". Not after a duration word ("over the next year").
    _p(
        "relative_unknown",
        rf"\b(?:(?:[Tt]he|[Tt]hat)\s+(?:following|next|previous|preceding|subsequent|prior)\s+"
        rf"(?:{_UNIT}|morning|afternoon|evening|night|weekend)|[Tt]he\s+{_UNIT}\s+(?:after|before)"
        rf"|(?:[Aa]|[Oo]ne)\s+{_UNIT}\s+(?:later|earlier)|(?:[Ll]ater\s+|[Ee]arlier\s+)?[Tt]hat\s+week"
        rf"|(?:[Tt]he|[Tt]hat)\s+same\s+week)\b(?![’']s)",
        UNRESOLVABLE,
        extra_blockers=_DURATION_WORDS - {"the"},
    ),
]

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_YEAR_IN = re.compile(Y)


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    text: str  # as written, with its preposition: "On February 24, 2022", "next March"
    parts: tuple[str, ...]  # what each date is read from: two for "on 10 and 14 March"
    needs: str  # NOTHING, YEAR, PUBLICATION or PREVIOUS
    pattern: str


def find_phrases(text: str, start: int = 0, end: int | None = None) -> list[DatePhrase]:
    """Date phrases in ``text[start:end]``, in order, offsets into ``text``; never overlapping
    (the longest wins: "10 and 14 March" over "14 March")."""
    end = len(text) if end is None else end
    found = []
    for order, pattern in enumerate(PATTERNS):
        for m in pattern.regex.finditer(text, start, end):
            if m.end() > m.start():
                found.append((m.start(), m.end(), order, pattern, _excluded(text, m, pattern)))
    found.sort(key=lambda f: (f[0] - f[1], f[0], f[2]))
    # An excluded phrase still claims its words: "since 24 February 2022" must not leave
    # "February 2022" behind as a date.
    claimed: list[tuple[int, int, _Pattern, bool]] = []
    for s, e, _, pattern, excluded in found:
        if all(e <= cs or s >= ce for cs, ce, _, _ in claimed):
            claimed.append((s, e, pattern, excluded))
    return [
        _phrase(text, s, e, pattern)
        for s, e, pattern, excluded in sorted(claimed, key=lambda c: c[0])
        if not excluded
    ]


def _excluded(text: str, m: re.Match, pattern: _Pattern) -> bool:
    s, e = m.start(), m.end()
    for url in _URL.finditer(text, max(0, s - 300), min(len(text), e + 300)):
        if url.start() < e and s < url.end():
            return True
    before = re.search(r"([A-Za-z]+)\W*$", text[max(0, s - 30) : s])
    phrase_head = m.group(0).split()[0].lower()
    return bool(
        before and before.group(1).lower() in pattern.blockers and phrase_head not in ("from", "between")
    )


def _phrase(text: str, s: int, e: int, pattern: _Pattern) -> DatePhrase:
    written = text[s:e]
    needs = pattern.needs
    if needs == YEAR and _YEAR_IN.search(written):
        needs = NOTHING
    # "from 15 to 16 June" is read as "15 to 16 June"; "throughout 2023" as "2023"; "between 10 and
    # 14 March" as "10 to 14 March" (the same span; timeline.dates reads that form of every range).
    readable = re.sub(r"^(?:[Ff]rom|[Tt]hroughout)\s+", "", written)
    if pattern.name == "between":
        readable = re.sub(r"^[Bb]etween\s+(.+?)\s+and\s+", r"\1 to ", written)
    if pattern.split == "days":
        parts = _split_days(readable)
    elif pattern.split == "months":
        parts = _split_months(readable)
    else:
        parts = (readable,)
    return DatePhrase(s, e, written, parts, needs, pattern.name)


_PREP_HEAD = re.compile(r"^(?:[Oo]n|[Ii]n|[Dd]uring|[Aa]s of)\s+")


def _split_days(readable: str) -> tuple[str, ...]:
    """ "on 10 and 14 March 2022" → "10 March 2022", "14 March 2022"; "March 10 and 14" likewise."""
    core = _PREP_HEAD.sub("", readable)
    month = re.search(M, core).group(0)
    year = _YEAR_IN.search(core)
    days = re.findall(
        D, core.replace(month, " ", 1).replace(year.group(0), " ") if year else core.replace(month, " ", 1)
    )
    tail = f" {year.group(0)}" if year else ""
    return tuple(f"{day} {month}{tail}" for day in days)


def _split_months(readable: str) -> tuple[str, ...]:
    """ "in September and October 2022" → "September 2022", "October 2022"."""
    core = _PREP_HEAD.sub("", readable)
    year = _YEAR_IN.search(core)
    tail = f" {year.group(0)}" if year else ""
    return tuple(f"{month}{tail}" for month in re.findall(M, core))

"""The date phrases of a sentence, as the extractor uses them: a thin adapter over the date finder.

Recognition and reading are the finder's (``timeline.dates.finder``): every date expression of the
article, with its value or the reason it has none, found once for the whole text. This module only
says which of them date an act, and what each needs to be read in the extractor's context:

- nothing (it names its year, or it is a span the finder closed: "from March to June 2022");
- a year from the surrounding text (a month or day without one: "on 3 March");
- the publication date (a relative phrase: "next March", "on Saturday", "two years ago");
- the date the narrative stands at ("the following day", "that same month"); one the finder could
  not read is reported as unresolved (``UNRESOLVABLE``), never guessed.

The finder leaves out what is not a date (durations, sets, times of day, "may" the verb, numbers).
What dates no act is left out here: the bounds of a state ("since 24 February 2022", "until
March", "by Jan. 14": open spans, or a phrase after "before", "after", "every"…), a year used as a
modifier ("the 2024 presidential election": no preposition places anything in it), a reporting
period as a modifier ("third-quarter profit") or a period's end ("the three months to September"),
a stretch ("over the past three years"), a comparison ("down from €3 a year earlier"), a possessive
"today's"/"this year's" (what it qualifies is no act), and anything inside a URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from timeline.dates import FuzzyDate
from timeline.dates.finder import Findings, find_dates

# What a phrase needs before it can be read in the extractor's context.
NOTHING, YEAR, PUBLICATION, PREVIOUS = "nothing", "year", "publication", "previous"
UNRESOLVABLE = "unresolvable"

# The finder's rules for a month, a day or a named day that names no year.
_YEARLESS_RULES = frozenset(
    {
        "md",
        "md_range",
        "dm_range",
        "day_and",
        "and_day",
        "md_name",
        "dm",
        "ordinal_day",
        "month",
        "season_bare",
        "holiday",
        "week_of",
    }
)
_BLOCKERS = frozenset({"since", "until", "till", "by", "before", "after", "every", "each"})
_PREPOSITION = re.compile(r"(?:\b(?:[Oo]n|[Ii]n|[Dd]uring|[Aa]s\s+of|[Tt]hroughout)\s+)$")
_YEAR_PREPOSITION = re.compile(
    r"\b(?:in|during|throughout|around|circa|about|c\.|ca\.|early|late|mid)[\s-]+$", re.I
)
_PERIOD_RULES = frozenset({"quarter", "half", "quarter_rel", "the_quarter", "q_form"})
_IN = re.compile(r"\b(?:[Ii]n|[Dd]uring|[Tt]hroughout)\s+(?:the\s+)?$")
# "down from €307 million a year earlier", "more than a year ago": a figure compared, no act
_COMPARED = re.compile(r"\b(?:from|than|with|versus|vs\.?)\s[^,;.]*\d[^,;.]*$")
_RELATIVE_HEAD = re.compile(r"(?:[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming)\s")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    text: str  # as written, with its preposition: "On February 24, 2022", "next March"
    core: str  # the expression the finder found: "February 24, 2022"
    needs: str  # NOTHING, YEAR, PUBLICATION, PREVIOUS or UNRESOLVABLE
    rule: str  # the finder's rule
    value: FuzzyDate | None  # the finder's reading, None when it declined
    reason: str = ""  # why the finder declined


def find_phrases(
    text: str, start: int = 0, end: int | None = None, *, findings: Findings | None = None
) -> list[DatePhrase]:
    """The phrases of ``text[start:end]`` that may date an act, in order, offsets into ``text``;
    ``findings`` is the finder's reading of the whole ``text`` (read here, without a publication
    date, when not given)."""
    if findings is None:
        findings = find_dates(text)
    end = len(text) if end is None else end
    items = [(d.start, d.end, d.rule, d.value, "", d.anchored) for d in findings.dates] + [
        (u.start, u.end, u.rule, None, u.reason, True) for u in findings.unresolved
    ]
    urls = [(m.start(), m.end()) for m in _URL.finditer(text, start, end)]
    phrases = []
    for s, e, rule, value, reason, anchored in sorted(items, key=lambda i: i[0]):
        if s < start or e > end or any(us < e and s < ue for us, ue in urls):
            continue
        if _dates_no_act(text, s, e, rule, value):
            continue
        lead = _PREPOSITION.search(text, max(start, s - 16), s)
        written_start = lead.start() if lead else s
        phrases.append(
            DatePhrase(
                written_start,
                e,
                text[written_start:e],
                text[s:e],
                _needs(text[s:e], rule, anchored),
                rule,
                value,
                reason,
            )
        )
    return phrases


def _needs(core: str, rule: str, anchored: bool) -> str:
    if rule in ("narrative", "at_that_time"):
        return PREVIOUS
    if not anchored:
        return NOTHING  # the text alone gave its value ("on 10 and 14 March 2022": both days)
    if rule in _YEARLESS_RULES and not _RELATIVE_HEAD.match(core):
        return YEAR
    return PUBLICATION


def _dates_no_act(text: str, s: int, e: int, rule: str, value: FuzzyDate | None) -> bool:
    if value is not None and (value.earliest is None or value.latest is None):
        return True  # "since 1990", "until Jan. 14": the bounds of a state
    word = re.search(r"([A-Za-z]+)\W*$", text[max(0, s - 30) : s])
    if word and word.group(1).lower() in _BLOCKERS:
        return True  # "before March", "every Monday"
    possessive = text[e : e + 2] in ("'s", "’s")
    if possessive and rule in ("rel_day", "rel_unit"):
        return True  # "today's facts", "this year's budget"
    if (
        rule in ("year", "year_range")
        and value is not None
        and not _YEAR_PREPOSITION.search(text[max(0, s - 12) : s])
        and not (value.approximate and not re.match(r"\s+[a-z]", text[e : e + 2]))
    ):
        return True  # "the 2024 presidential election", "for most of 2026": a modifier, a duration
    if rule in _PERIOD_RULES and (
        not _IN.search(text[max(0, s - 16) : s]) or re.search(r"-(?:quarter|half)$", text[s:e])
    ):
        return True  # "third-quarter profit": the period a figure covers, no act
    if rule == "month" and re.search(r"\b(?:to|through|ending|ended)\s+$", text[max(0, s - 10) : s]):
        return True  # "the three months to September": a period's end
    if rule == "past_n":
        return True  # "over the past three years trade fell": a stretch a state lasted, no act
    if rule == "narrative" and _COMPARED.search(text[max(0, s - 40) : s]):
        return True  # "down from €307 million a year earlier"
    return False

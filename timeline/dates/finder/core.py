"""The finder's entry point: candidates from every rule (longest match first), each read in its
context in text order, then joined into spans; a wire dateline's day as the reference date."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from .. import relative
from ..value import DateParseError, FuzzyDate, Precision
from . import deictic, explicit, named, narrative, periods, years
from .context import _RULES, _Context, _Hit, _month_no
from .patterns import MON, _Decline
from .results import Findings, FoundDate
from .sentences import _sentences
from .spans import _JOIN, _spans

# --- the entry point -----------------------------------------------------------------------------


_MONTHS_TRIGGER = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
# A word (or a digit) every match of a rule contains: a rule whose word is not in the text is not
# run at all (a short text is read in a fraction of the time; a long one has them all).
_TRIGGERS = {
    name: re.compile(pattern, re.I)
    for names, pattern in [
        (("mdy", "dmy", "md", "md_name", "day_and", "dm_range", "dm", "md_range", "and_day", "week_of", "month_year", "month", "month_rel_year"), _MONTHS_TRIGGER),
        (("iso", "numeric", "year", "year_range", "decade", "q_form", "ordinal_day"), r"\d"),
        (("century", "century_rel"), r"century"),
        (("season_year", "season_rel", "season_bare"), r"spring|summer|fall|autumn|winter"),
        (("holiday",), r"christmas|new\s+year|thanksgiving|independence|fourth|july|halloween|valentine|labor|memorial|luther|easter|good friday|election"),
        (("quarter", "half", "quarter_rel", "the_quarter"), r"quarter|half"),
        (("unit_edge", "year_end", "rel_unit", "rel_edge", "ago", "past_n"), r"week|month|year|day|decade|century|ago"),
        (("weekday", "rel_day"), r"day|tomorrow|tonight"),
        (("narrative",), r"day|week|month|year"),
        (("at_that_time",), r"time"),
    ]
    for name in names
}  # fmt: skip


# The rule modules, in the order their rules are tried: of two matches of the same length, the
# earlier rule's wins (an explicit date before a month, a month before a year, ...).
_BY_TYPE = (explicit, named, years, periods, deictic, narrative)
_ORDERED = sorted(_RULES, key=lambda r: [m.__name__ for m in _BY_TYPE].index(r.handler.__module__))


def _candidates(text: str) -> list[_Hit]:
    found = []
    present = {pattern.pattern: bool(pattern.search(text)) for pattern in set(_TRIGGERS.values())}
    for order, rule in enumerate(_ORDERED):
        trigger = _TRIGGERS.get(rule.name)
        if trigger is not None and not present[trigger.pattern]:
            continue
        for m in rule.regex.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), order, rule, m))
    found.sort(key=lambda f: (f[0] - f[1], f[2], f[0]))
    chosen: list[_Hit] = []
    taken: list[tuple[int, int]] = []
    for s, e, _, rule, m in found:
        if all(e <= cs or s >= ce for cs, ce in taken):
            taken.append((s, e))
            chosen.append(_Hit(s, e, rule, m))
    chosen.sort(key=lambda h: h.start)
    return chosen


_NAMES_YEAR = {
    "mdy",
    "dmy",
    "month_year",
    "season_year",
    "md_range",
    "dm_range",
    "year",
    "and_day",
    "day_and",
}


def _year_from_span_end(text: str, hits: list[_Hit], i: int) -> int | None:
    """The year the end of a range names, for a start that names none ("between May and June
    2004", "from March 3 to March 9, 2001")."""
    hit = hits[i]
    if hit.rule.name in _NAMES_YEAR:
        return None
    if i + 1 >= len(hits):
        return None
    nxt = hits[i + 1]
    year = nxt.match.groupdict().get("y") if nxt.rule.name in _NAMES_YEAR else None
    gap = text[hit.end : nxt.start]
    opener = re.search(
        r"\b(?:[Ff]rom|[Bb]etween)\s+(?:the\s+)?$", text[max(0, hit.start - 12) : hit.start]
    ) or re.match(r"(?:[Ff]rom|[Bb]etween)\s", text[hit.start : hit.end])  # a rule's own cue: "From March"
    if (
        year
        and (_JOIN.match(gap.replace(",", " ")) or gap.strip() == "or")
        and (opener or gap.strip() in ("-", "–", "—", "or") or nxt.rule.name == "and_day")
    ):
        return int(year)
    return None


_DATELINE = re.compile(
    rf"\A\s*[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+)*,\s+(?P<mon>{MON})\s+(?P<d>[1-9]|[12]\d|3[01])\b"
    r"(?:\s*\([^()\n]{1,40}\))?\s*(?:--|—|–|_|-)"
)


def _dateline_day(text: str, published: FuzzyDate | None) -> FuzzyDate | None:
    """The day of a wire dateline ("WASHINGTON, March 12 (Xinhua) --") opening the text: the day the
    report speaks from, which the publication date may follow by a day or two. Taken only when it
    lies within a week of a day-precise publication date (its year is that date's)."""
    m = _DATELINE.match(text)
    if m is None or published is None or not published.is_day or published.earliest is None:
        return None
    pub = published.earliest
    for y in (pub.year, pub.year - 1, pub.year + 1):
        try:
            day = date(y, _month_no(m["mon"]), int(m["d"]))
        except ValueError:
            continue
        if abs((day - pub).days) <= 7:
            return relative.day(day)
    return None


def find_dates(text: str, published: FuzzyDate | None = None) -> Findings:
    """Every date expression in ``text``, in order, read against the publication date ``published``
    (``None``: relative expressions are unresolved)."""
    hits = _candidates(text)
    sentences = _sentences(text)
    ctx = _Context(text=text, published=_dateline_day(text, published) or published)
    si = -1
    resolved: list[_Hit] = []
    for idx, hit in enumerate(hits):
        while si + 1 < len(sentences) and sentences[si + 1][0] <= hit.start:
            si += 1
            s_start, s_end, new_para = sentences[si]
            ctx.sent_start, ctx.sent_end = s_start, s_end
            ctx.sentence_year = None
            ctx.last_period = None
            if new_para:
                # The narrative date carries into the next paragraph (news paragraphs are a
                # sentence or two), not further.
                ctx.narrative_age += 1
                if ctx.narrative_age > 1:
                    ctx.narrative = None
                ctx.recent = ctx.recent[ctx.recent_previous :]
                ctx.recent_previous = len(ctx.recent)
        ctx.start, ctx.end = hit.start, hit.end
        borrowed = _year_from_span_end(text, hits, idx)
        if borrowed is not None:
            ctx.span_year = borrowed  # "from March 3 to March 9, 2001": the start's year too
        ctx.reference_used = False
        try:
            value = hit.rule.handler(hit.match, ctx)
        except (_Decline, DateParseError) as exc:
            hit.error = str(exc)
            resolved.append(hit)
            continue
        except (ValueError, OverflowError):
            # a reference at the edge of the calendar ("0001-01-01", "9999-12-31") and a
            # phrase that counts past it
            hit.error = f"{text[hit.start : hit.end]!r} falls outside the calendar (years 1 to 9999)"
            resolved.append(hit)
            continue
        finally:
            ctx.span_year = None
        if value is None:
            continue
        hit.value = value
        hit.anchored = ctx.reference_used
        resolved.append(hit)
        if value.is_day and value.earliest == value.latest:
            ctx.narrative, ctx.narrative_age = value, 0
        if value.earliest is not None and value.latest is not None:
            ctx.recent.append(value)
        # A year frames the months and days after it in its sentence when a full date names it
        # ("On March 3, 1994, … on March 5") or it opens the sentence ("In 1994, … in March"); not
        # a year in another clause ("joined in 1989 and became chief executive in April").
        if hit.rule.name in ("mdy", "dmy", "month_year", "season_year", "iso", "q_form") or (
            hit.rule.name == "year"
            and value.precision is Precision.YEAR
            and re.fullmatch(
                r"\s*(?:(?:[Ii]n|[Dd]uring|[Bb]y|[Ee]arly|[Ll]ate)\s+)?", text[ctx.sent_start : hit.start]
            )
        ):
            if value.earliest and value.earliest.year == value.latest.year:
                ctx.sentence_year = value.earliest.year
        if hit.rule.name != "narrative" and not (value.is_day and ctx.last_period is not None):
            # "profit for the quarter ended Sept. 30 fell from a year earlier": the quarter, not
            # the day that dates its end, is what a year earlier shifts
            ctx.last_period = value
        if hit.rule.name in ("quarter", "quarter_rel", "q_form") and value.precision is Precision.SEASON:
            ctx.quarter = value
    dates_out, unresolved = _spans(text, resolved)
    found = [FoundDate(s, e, text[s:e], replace(v, text=text[s:e]), r, a) for s, e, v, r, a in dates_out]
    return Findings(found, unresolved)


def read_text_file(raw: bytes) -> str:
    """A plain text file as the finder indexes it: UTF-8, a byte-order mark dropped, line endings
    as ``\\n``."""
    text = raw.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")

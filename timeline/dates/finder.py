"""Every date expression in running English text, and what each means: the project's temporal tagger.

``find_dates(text, published)`` returns the date expressions of ``text`` in order, each with its
offsets and its value (a ``FuzzyDate``), and the expressions it recognised but would not resolve
honestly (``unresolved``, with the reason). It is built as the rule-based taggers are (HeidelTime,
SUTime): recognition by rules grouped by expression type, normalisation separate from it, and the
reference date of an underspecified expression chosen by tense and context.

Recognition (``_RULES``): explicit dates ("Aug. 7, 1998", "7 August 1998", "1998-08-07"), a month
and day without a year ("the Oct. 23 shooting"), months, seasons, years (also as modifiers, "the
1996 Olympic bombing"), decades, centuries, weekdays, holidays, quarters, halves and fiscal years
("third-quarter loss", "fiscal 1989", "the current quarter", "last year's third quarter", "the
quarter" after one is named), ordinal days ("on the 15th"), relative expressions ("a year ago",
"last fall", "earlier this month", "year-earlier", "the past three months", "the end of the year")
and expressions counted from the date the narrative stands at ("the following Tuesday", "a day
later", "later that year", "later in the month"). Bounded and open spans are built on top: "since
1990" (open end), "until/by Jan. 14" (open start), "from … to …", "between … and …", "Aug. 7-9",
"1999-2000"; "April 24 and 25" is two days.

Not dates, never reported: durations ("three years", "for 10 days"), sets ("every Monday",
"on Mondays"), times of day, plain numbers, "may" the verb, a month name that is a person's name
("April Glaspie"), a four-digit number that counts something ("2000 troops") or names a product.

Normalisation, with an honest precision (never finer than the text): "early December" is December
(the text does not say which days are early), "fiscal 1989" is 1989 flagged approximate and
uncertain (the fiscal year's start is not stated), "two years ago" is approximate.

Reference date (``_Context``): the publication date for deictic expressions ("Thursday", "last
month"); the tense of the clause decides the direction (``_tense``: "plans to leave on Thursday" is
the coming Thursday, "left on Thursday" the past one, "expected to join in April" the coming April;
a weaker pointer forward, "would" or a plan without "to", takes the nearest occurrence; no tense
looks back unless the next occurrence is near); a full date, or a year opening the sentence, gives
its year to a month or day after it that names none; the date the narrative stands at (the last
day-precise date of this or the previous paragraph) anchors "the following Tuesday", "the next
day". With no reference, or one too coarse to decide, the expression is unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from . import labels, relative
from .edtf import parse_edtf
from .value import DateParseError, FuzzyDate, Precision, month_end

# --- building blocks -----------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "21st": 21,
}  # fmt: skip

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
# A month: its full name, or its abbreviation with a period ("Aug."); without the period only
# before a day ("Aug 7"), as "Jan" or "Mar" alone are names or words.
MON = rf"(?:(?:{_MONTH_FULL})\b|(?:{_MONTH_ABBR})\.|(?:{_MONTH_ABBR})\b(?=\s+\d))"
DAY = (
    r"(?<![\d,.$])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d,]\d|\d|:\d|\s*(?:%|percent\b|a\.m\.|p\.m\.))"
)
YEAR = r"(?<![\d$€£#.,])(?<!\d-)(?:1\d\d\d|20\d\d)(?![\d%]|,\d|\.\d)"
WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!s\b)"
SEASON = r"(?:spring|summer|fall|autumn|winter)"
PART = r"(?:(?:early|mid|late)[- ]?|(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:the\s+)?)"
ORD_NUM = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
COUNT = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
UNIT = r"(?:day|week|month|year|decade)"

PAST, FUTURE = "past", "future"
_NEAR_AHEAD_DAYS = 92
# A weaker pointer forward ("would", "could", a plan without "to", an infinitive further back): the
# occurrence nearest the reference date, whichever side, rather than the next one.
WEAK_FUTURE = "future?"


class _Decline(Exception):
    """An expression recognised as a date that cannot be resolved honestly: reported unresolved."""


@dataclass(frozen=True)
class FoundDate:
    """A date expression in a text: its offsets (``text == source[start:end]``) and its value."""

    start: int
    end: int
    text: str
    value: FuzzyDate
    rule: str

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


# --- tense --------------------------------------------------------------------------------------

_MODALS = {"will", "'ll", "shall", "would", "wo", "might", "should", "must", "could"}
# What often follows "to" without being a verb: "sentenced to death", "returned to power".
_NOT_INFINITIVE = {
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these",
    "those", "him", "them", "us", "me", "it", "death", "power", "office", "jail", "prison", "court",
    "hospital", "safety", "school", "work", "bed", "war", "life", "town", "home", "date", "be",
    "some", "all", "any", "each", "every", "no", "one", "two", "three", "nearly", "about", "more",
    "less", "over", "under", "around", "almost", "near", "where", "what", "whom", "fight",
}  # fmt: skip
# Verbs (and words) that point forward when "to" or "for" follows them: "plans to leave on Thursday",
# "is expected to join in April", "set for Nov. 3".
_TO_VERBS = {
    "plan", "plans", "planned", "planning", "expect", "expects", "expected", "hope", "hopes", "hoped",
    "intend", "intends", "intended", "aim", "aims", "aimed", "promise", "promises", "promised", "vow",
    "vows", "vowed", "pledge", "pledges", "pledged", "threaten", "threatens", "threatened", "agree",
    "agrees", "agreed", "decide", "decides", "decided", "want", "wants", "wanted", "prepare",
    "prepares", "prepared", "schedule", "scheduled", "set", "due", "going", "is", "are", "was", "were",
    "seek", "seeks", "sought", "ready", "likely", "about", "slated", "poised", "asked", "ordered",
}  # fmt: skip
# "to" after these is a preposition: "according to police", "compared to sales".
_TO_PREPOSITION = {
    "according", "compared", "prior", "next", "close", "similar", "due", "thanks", "up", "relative",
    "owing", "addition", "contrary", "regard", "respect", "attention", "access", "return", "trip",
    "visit", "journey", "way", "back", "went", "go", "goes", "came", "come", "moved", "fled", "sent",
}  # fmt: skip
_FORWARD = {"scheduled", "slated", "upcoming", "coming", "tentatively"}
# a verb that moves something later: what follows its "until"/"till" lies after the act ("postponed
# until Tuesday", "adjourned till Monday"), whatever the verb's own tense
_DEFER = {
    "postpone", "postponed", "postpones", "postponing", "delay", "delayed", "delays", "delaying",
    "defer", "deferred", "defers", "deferring", "adjourn", "adjourned", "adjourns", "adjourning",
    "suspend", "suspended", "suspends", "suspending", "extend", "extended", "extends", "extending",
}
# The present tense of a scheduled event points forward: "the law takes effect Jan. 1", "the
# session opens in March", "results are due in the fall".
_SCHEDULE_PRESENT = {
    "begins", "starts", "opens", "ends", "expires", "resumes", "takes", "arrives", "leaves", "meets",
    "returns", "closes", "convenes", "reconvenes", "kicks", "launches", "due",
}  # fmt: skip
# A plan names an event ahead of it: "planned a demonstration on Saturday" (when the date follows).
_PLAN_WORDS = {
    "plan",
    "plans",
    "planned",
    "planning",
    "schedule",
    "schedules",
    "expected",
    "expects",
    "expect",
}
_PAST_IRREGULAR = {
    "was", "were", "had", "did", "said", "told", "left", "met", "went", "came", "took", "made", "gave",
    "began", "held", "won", "lost", "fell", "rose", "saw", "found", "got", "sent", "spent", "struck",
    "fought", "brought", "bought", "thought", "sought", "led", "fled", "shot", "ran", "flew", "wrote",
    "spoke", "broke", "chose", "drove", "became", "built", "caught", "drew", "felt", "grew", "heard",
    "hid", "hung", "kept", "knew", "laid", "lit", "meant", "paid", "rode", "rang", "sank", "sat",
    "shook", "slept", "sold", "stood", "stole", "swore", "taught", "threw", "understood", "woke",
    "wore", "wept", "been", "dealt", "forgave", "overthrew", "withdrew", "underwent", "ago", "begun",
    "taken", "given", "seen", "written", "spoken", "chosen", "shown", "known", "done", "gone",
}  # fmt: skip
_NOT_VERBS_ED = {
    "hundred", "need", "speed", "indeed", "seed", "feed", "breed", "creed", "greed", "red", "bed",
    "shed", "united", "armed", "alleged", "so-called", "related", "based", "limited", "interested",
    "concerned", "involved", "unidentified", "proceed", "exceed", "succeed", "embed", "naked",
    "sacred", "wicked", "kindred", "hatred", "bloodshed", "watershed", "detailed", "advanced",
    "organized", "organised", "renewed", "repeated", "continued", "unprecedented", "biased",
}  # fmt: skip
_BE_PRESENT = {"is", "are", "am", "'s", "being"}
_BE_PAST = {"was", "were", "been"}
_PRESENT = {"says", "say", "is", "are", "am", "tells", "believes", "thinks", "insists"}
_CLAUSE_WORDS = {
    "where", "when", "which", "who", "whom", "whose", "because", "while", "although", "though", "if",
    "unless", "whether",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|[,;:()]|''|``|\"")


def _participle(w: str) -> bool:
    lw = w.lower()
    if lw in _PAST_IRREGULAR and lw not in ("was", "were", "had", "did", "ago"):
        return True
    return len(lw) > 4 and lw.endswith("ed") and lw not in _NOT_VERBS_ED and w[0].islower()


def _cue(words: list[str], i: int, before: bool = True) -> str | None:
    """The tense word ``words[i]`` signals in its place: PAST, FUTURE, "present", or None.
    ``before``: the word comes before the date expression (the date is then its object's)."""
    w = words[i]
    lw = w.lower()
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    prev = words[i - 1].lower() if i > 0 else ""
    if lw in _MODALS:
        return FUTURE if lw in ("will", "'ll", "shall", "wo") else WEAK_FUTURE
    if before and lw in _PLAN_WORDS and nxt not in ("to", "for"):
        return WEAK_FUTURE
    if not before and lw.endswith("ed") and lw in _TO_VERBS:
        return PAST  # "On Friday, the government planned to pay": the planning was on Friday
    if (
        before
        and lw == "to"
        and nxt.isalpha()
        and nxt.islower()
        and nxt not in _NOT_INFINITIVE
        and prev not in _TO_PREPOSITION
    ):
        if not nxt.endswith(("ing", "ed")) and (not nxt.endswith("s") or nxt.endswith("ss")):
            return WEAK_FUTURE  # "subpoenaed him to testify ... on Feb. 10"
    if before and lw == "as" and nxt in ("soon", "early", "late"):
        return FUTURE  # "as soon as Tuesday"
    if lw in _TO_VERBS and nxt in ("to", "for") and not (lw in ("is", "are", "was", "were") and nxt == "for"):
        return FUTURE  # "plans to leave", "set for", "was to leave on Thursday" (still ahead then)
    if lw in _FORWARD:
        return FUTURE
    if before and lw in _SCHEDULE_PRESENT and nxt != "to":
        return FUTURE
    if _participle(w) or lw in ("was", "were", "had", "did"):
        if prev in _BE_PRESENT:
            return "present"  # "the case is heard in May": a passive present
        if prev == "be":
            back = [x.lower() for x in words[max(0, i - 4) : i - 1]]
            return (
                (FUTURE if {"will", "'ll", "shall"} & set(back) else WEAK_FUTURE)
                if _MODALS & set(back)
                else None
            )
        if prev in ("has", "have", "had") or prev in _BE_PAST or lw in _PAST_IRREGULAR:
            return PAST
        return PAST
    if lw in _PRESENT:
        return "present"
    return None


def _tense(text: str, sent_start: int, start: int, end: int, sent_end: int) -> str | None:
    """The direction in time the clause around ``text[start:end]`` points to: PAST, FUTURE or None.

    The nearest tense cue before the expression in its clause decides ("he said he will leave on
    Thursday": will; "plans to leave on Thursday": plans to); with none, the nearest after it in its
    clause ("On Thursday, he left": left); an infinitive just before the expression ("to leave on
    Thursday") points forward. A present tense ("the case is heard in May") decides nothing."""
    words = _WORD.findall(text[sent_start:start])[-16:]
    low = [w.lower() for w in words]
    if "until" in low[-6:] or "till" in low[-6:]:
        # "postponed until Tuesday", "postponed the vote until Tuesday": after the act
        k = max(i for i, w in enumerate(low) if w in ("until", "till"))
        if k == len(low) - 1 and _DEFER & set(low[max(0, k - 5) : k]):
            return FUTURE
    modifier = text[start:end].lower().startswith("the ")
    # the infinitive just before: "to leave on Thursday", "to join in April"
    tail = [w.lower() for w in words[-4:]] if not modifier else []
    if len(tail) >= 2 and tail[-1] in ("on", "in", "by", "at", "until", "before", "after", "during"):
        tail = tail[:-1]
    if (
        len(tail) >= 2
        and tail[-2] == "to"
        and tail[-1].isalpha()
        and tail[-1] not in _NOT_INFINITIVE
        and (len(tail) < 3 or tail[-3] not in _TO_PREPOSITION)
        and words
        and not words[-1][:1].isupper()
    ):
        return FUTURE
    weak = None
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if w == "," and 0 < i < len(words) - 1 and words[i - 1][:1].isupper() and words[i + 1][:1].isupper():
            continue  # a list of names: "Poland, Hungary and the Czech Republic"
        if w in (",", ";", ":", "(", ")", "''", "``", '"') or w.lower() in _CLAUSE_WORDS:
            break
        cue = _cue(words, i)
        if cue == WEAK_FUTURE:
            # a weak pointer may be made strong by the verb it depends on ("is expected to join
            # the board in April"), not undone by a past one ("subpoenaed him to testify on …")
            weak = WEAK_FUTURE
            continue
        if cue is not None:
            if weak and cue != FUTURE:
                return weak
            return None if cue == "present" else cue
    if weak:
        return weak
    after = _WORD.findall(text[end:sent_end])[:32]
    fronted = bool(after) and after[0] == ","
    if fronted:
        after = after[1:]
    for i, w in enumerate(after):
        # a fronted date ("In January, a week after …, a bombing killed") belongs to the main
        # clause, which may come after an apposition: commas do not end the search then
        if (
            (w == "," and not fronted)
            or w in (";", ":", "(", ")", "''", "``", '"')
            or w.lower() in _CLAUSE_WORDS
        ):
            break
        cue = _cue(after, i, before=False)
        if cue is not None:
            return None if cue == "present" else cue
    return None


# --- the context an expression is read in --------------------------------------------------------


@dataclass
class _Context:
    text: str
    published: FuzzyDate | None
    sent_start: int = 0
    sent_end: int = 0
    narrative: FuzzyDate | None = None  # the last day-precise date of this or the previous paragraph
    narrative_age: int = 0  # paragraphs since it was read
    quarter: FuzzyDate | None = None  # the last quarter named ("the quarter" is that one)
    recent: list[FuzzyDate] = field(default_factory=list)  # bounded dates of this and the last paragraph
    recent_previous: int = 0  # how many of them the previous paragraph gave
    sentence_year: int | None = None  # a year named earlier in the sentence
    last_period: FuzzyDate | None = None  # the last date of the sentence ("a year earlier" shifts it)
    start: int = 0
    end: int = 0

    def tense(self) -> str | None:
        return _tense(self.text, self.sent_start, self.start, self.end, self.sent_end)

    def anchored(self, build: Callable[[date], FuzzyDate], what: str) -> FuzzyDate:
        """``build`` applied to the publication date; unresolved when there is none or when its first
        and last day give different answers."""
        pub = self.published
        if pub is None or pub.earliest is None or pub.latest is None:
            raise _Decline(f"{what} is relative to the publication date, which is not given")
        first, last = build(pub.earliest), build(pub.latest)
        if (first.earliest, first.latest) != (last.earliest, last.latest):
            raise _Decline(f"{what}: the publication date ({pub.label}) is too coarse to place it")
        return first

    def year_for(self, month: int, day: int | None, what: str, tense: str | None = None):
        """The year of a month (and day) that names none: one named earlier in the sentence (unless
        the clause points forward), else the publication's moved by the tense. Past: the latest
        occurrence not after the publication (a day up to a month after it still counts: "gave no
        reason for the Jan. 14 deadline"); future: the first not before it; no tense: the nearest."""
        tense = tense or self.tense()
        if self.sentence_year is not None and tense != FUTURE:
            return self.sentence_year
        if tense == WEAK_FUTURE:
            tense = None

        def bounds(y: int) -> tuple[date, date]:
            if day:
                d = date(y, month, min(day, month_end(y, month).day))
                return d, d
            return date(y, month, 1), month_end(y, month)

        def pick(a: date) -> int:
            years = (a.year - 1, a.year, a.year + 1)
            if tense == PAST:
                slack = timedelta(days=31 if day else 0)
                return max(y for y in years if bounds(y)[0] <= a + slack)
            if tense == FUTURE:
                return min(y for y in years if bounds(y)[1] >= a)
            # no tense: a report looks back; an occurrence ahead only when it is near (within a
            # season) and nearer than the last one
            past = max(y for y in years if bounds(y)[0] <= a + timedelta(days=31 if day else 0))
            ahead = min(y for y in years if bounds(y)[1] >= a)
            if ahead != past and (bounds(ahead)[0] - a).days <= _NEAR_AHEAD_DAYS:
                if (bounds(ahead)[0] - a).days < (a - bounds(past)[1]).days:
                    return ahead
            return past

        return pick


Handler = Callable[[re.Match, _Context], FuzzyDate | None]


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern
    handler: Handler


_RULES: list[_Rule] = []


def _rule(name: str, pattern: str, flags: int = 0):
    def register(fn: Handler) -> Handler:
        _RULES.append(_Rule(name, re.compile(pattern, flags), fn))
        return fn

    return register


def _month_no(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _day_no(word: str) -> int:
    return int(re.match(r"\d+", word)[0])


def _day(y: int, m: int, d: int) -> FuzzyDate:
    try:
        return relative.day(date(y, m, d))
    except ValueError:
        raise _Decline(f"{y:04d}-{m:02d} has no day {d}") from None


def _whole(fd: FuzzyDate, part: str | None) -> FuzzyDate:
    """ "early December": December, with the qualifier in its label (the text does not say which
    days are early)."""
    if not part:
        return fd
    word = re.sub(r"\s+", " ", part.strip(" -")).lower()
    return replace(fd, label=f"{word} {fd.label}")


def _year_of(
    ctx: _Context,
    month: int,
    day: int | None,
    what: str,
    build: Callable[[int], FuzzyDate],
    tense: str | None = None,
):
    picked = ctx.year_for(month, day, what, tense)
    if isinstance(picked, int):
        return build(picked)
    return ctx.anchored(lambda a: build(picked(a)), what)


def _season(y: int, word: str) -> FuzzyDate:
    code = {"spring": 21, "summer": 22, "fall": 23, "autumn": 23, "winter": 24}[word.lower()]
    return parse_edtf(f"{y:04d}-{code}")


def _season_index(a: date) -> tuple[int, int]:
    """(year, season code) of the season ``a`` falls in; winter belongs to the year it starts in."""
    if a.month == 12:
        return a.year, 24
    if a.month <= 2:
        return a.year - 1, 24
    return a.year, 21 + (a.month - 3) // 3


# --- rules: explicit dates ---------------------------------------------------------------------

_WD_PREFIX = rf"(?:{WD},?\s+)?"


@_rule("mdy", rf"{_WD_PREFIX}(?P<m>{MON})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR})")
def _mdy(m, ctx):
    return _day(int(m["y"]), _month_no(m["m"]), _day_no(m["d"]))


@_rule("dmy", rf"{_WD_PREFIX}(?:the\s+)?(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MON}),?\s+(?P<y>{YEAR})")
def _dmy(m, ctx):
    return _day(int(m["y"]), _month_no(m["m"]), _day_no(m["d"]))


@_rule("iso", r"(?<![\w/-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w/]|-\d)")
def _iso(m, ctx):
    return _day(int(m["y"]), int(m["m"]), int(m["d"]))


@_rule("numeric", r"(?<![\w/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\w/]|\.\d)")
def _numeric(m, ctx):
    a, b, y = int(m["a"]), int(m["b"]), m["y"]
    if len(y) == 2:
        raise _Decline("a two-digit year does not say its century")
    if a > 12 >= b:
        return _day(int(y), b, a)
    if b > 12 >= a or a == b:
        return _day(int(y), a, b)
    raise _Decline("day/month or month/day? the text does not say")


_WHICH = r"(?:(?P<which>\b[Ll]ast|\b[Nn]ext|\b[Tt]his\s+past|\b[Tt]his\s+coming)\s+)?"


@_rule("md", rf"{_WHICH}{_WD_PREFIX}(?P<m>{MON})\s+(?P<d>{DAY})(?!,?\s+(?:\d|[A-Z]))")
def _md(m, ctx):
    mon, d = _month_no(m["m"]), _day_no(m["d"])
    return _year_of(ctx, mon, d, repr(m[0]), lambda y: _day(y, mon, d), _which_tense(m))


def _which_tense(m: re.Match) -> str | None:
    which = (m.groupdict().get("which") or "").lower()
    return (
        PAST if which.endswith(("last", "past")) else FUTURE if which.endswith(("next", "coming")) else None
    )


@_rule(
    "week_of",
    rf"\b(?:[Tt]he\s+)?[Ww]eek\s+(?:of|starting|beginning)\s+(?:(?P<m>{MON})\s+(?P<d>{DAY})|(?P<d_>{DAY})\s+(?:of\s+)?(?P<m_>{MON}))(?:,?\s+(?P<y>{YEAR}))?",
)
def _week_of(m, ctx):
    mon, d = _month_no(m["m"] or m["m_"]), _day_no(m["d"] or m["d_"])
    if m["y"]:
        day_value = _day(int(m["y"]), mon, d)
    else:
        day_value = _year_of(ctx, mon, d, repr(m[0]), lambda y: _day(y, mon, d))
    return relative.week(day_value.earliest)


@_rule("md_range", rf"(?P<m>{MON})\s+(?P<d>{DAY})\s*[-–]\s*(?P<d2>{DAY})(?:,?\s+(?P<y>{YEAR}))?")
def _md_range(m, ctx):
    mon, d, d2 = _month_no(m["m"]), _day_no(m["d"]), _day_no(m["d2"])
    if d2 <= d:
        return None

    def build(y: int) -> FuzzyDate:
        return _closed_span(_day(y, mon, d), _day(y, mon, d2))

    if m["y"]:
        return build(int(m["y"]))
    return _year_of(ctx, mon, d, repr(m[0]), build)


@_rule(
    "and_day", r"(?<=\sand\s)(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b(?![\d.,:]\d|\s*(?:%|[A-Za-z(]))"
)
def _and_day(m, ctx):
    """ "on April 24 and 25": the second day takes the first's month (and year)."""
    first = re.search(
        rf"(?P<m>{MON})\s+(?P<d>{DAY})(?:,?\s+(?P<y>{YEAR}))?,?\s+and\s+$",
        ctx.text[max(0, m.start() - 30) : m.start()],
    )
    if first is None:
        return None
    mon, d = _month_no(first["m"]), _day_no(m["d"])
    if d <= _day_no(first["d"]):
        return None
    if first["y"]:
        return _day(int(first["y"]), mon, d)
    before = ctx.recent[-1] if ctx.recent else None
    if before is not None and before.is_day and before.earliest.month == mon:
        return _day(before.earliest.year, mon, d)  # the year the first day was given
    return _year_of(ctx, mon, d, repr(m[0]), lambda y: _day(y, mon, d))


@_rule("md_name", rf"{_WHICH}{_WD_PREFIX}(?P<m>{MON})\s+(?P<d>{DAY})(?=,?\s+[A-Z])")
def _md_before_name(m, ctx):
    return _md(m, ctx)


@_rule("dm", rf"{_WD_PREFIX}(?:the\s+)?(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MON})(?!,?\s+\d)")
def _dm(m, ctx):
    return _md(m, ctx)


@_rule(
    "ordinal_day",
    r"\b(?:on|by|until|since|before|after|for)\s+the\s+(?P<d>(?:3[01]|[12]\d|[1-9])(?:st|nd|rd|th))\b(?!\s+(?:of\s+)?[A-Za-z]*(?:century|anniversary|floor|time|day|week|month|year|round|place|straight|consecutive|percent|amendment|district|grade|birthday))",
)
def _ordinal_day(m, ctx):
    d = _day_no(m["d"])
    narrative = ctx.narrative or (
        ctx.published if ctx.published is not None and ctx.published.is_day else None
    )
    if narrative is None or not narrative.is_day:
        raise _Decline(f"{m[0]!r} names a day of a month the text does not give")
    a = narrative.earliest
    tense = ctx.tense()
    y, mon = a.year, a.month
    if tense == PAST and d > a.day and ctx.narrative is None:
        y, mon = relative._shift_month(y, mon, -1)
    elif tense == FUTURE and d < a.day:
        y, mon = relative._shift_month(y, mon, 1)
    return _day(y, mon, d)


@_rule("month_year", rf"(?P<part>{PART})?(?P<m>{MON}),?\s+(?:of\s+)?(?P<y>{YEAR})", re.I)
def _month_year(m, ctx):
    if not m["m"][0].isupper():
        return None
    return _whole(relative.month(int(m["y"]), _month_no(m["m"])), m["part"])


# --- months, seasons, holidays without a year ------------------------------------------------------

_MONTH_CUE = (
    r"(?:\b(?:[Ii]n|[Oo]n|[Dd]uring|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Tt]hrough|[Bb]efore|[Aa]fter|[Ff]rom|"
    r"to|and|or|of|[Ee]arly|[Ll]ate|[Mm]id|[Ll]ast|[Nn]ext|[Tt]his|[Tt]hat|[Ee]nd|[Bb]eginning|[Ss]tart|"
    r"[Mm]iddle|past|coming|[Ss]ince|between|[Bb]etween|[Tt]he)[\s-]+(?:(?:early|late|mid)[\s-]+)?(?:the\s+)?)"
)


@_rule(
    "month",
    rf"(?<![^\s(])(?P<cue>{_MONTH_CUE})?(?P<part>{PART})?(?P<m>(?:{_MONTH_FULL})\b|(?:{_MONTH_ABBR})\.)(?P<poss>['’]s\b)?(?!\s*\d|\s+(?:last|this|next)\b|-\d)",
)
def _month(m, ctx):
    word = m["m"]
    cue = (m["cue"] or "").strip().lower()
    if not (cue or m["part"] or m["poss"]):
        return None  # "April Glaspie", "May I": a month name alone is too often a name or a verb
    head = cue.split()[0] if cue else ""
    if re.match(r"\s+[A-Z]", ctx.text[m.end() : m.end() + 2]) and not (
        m["part"]
        or head
        in (
            "in",
            "since",
            "until",
            "till",
            "by",
            "during",
            "before",
            "after",
            "through",
            "early",
            "late",
            "mid",
            "last",
            "next",
            "this",
            "past",
        )
    ):
        return None  # "and April Glaspie": a name; "in March President Clinton …" stays a month
    if word == "May" and not (m["part"] or cue not in ("", "the", "and", "or", "to")):
        return None  # "May" the verb, "the May government"
    mon = _month_no(word)
    words = cue.split()
    head = words[0] if words else ""
    if head in ("last", "past", "next", "coming", "this", "that") and "the" not in words:
        which = {"past": "last", "coming": "next", "that": "this"}.get(head, head)
        value = ctx.anchored(lambda a: relative._named_month(mon, a, which), repr(m[0]))
    else:
        value = _year_of(ctx, mon, None, repr(m[0]), lambda y: relative.month(y, mon))
    part = m["part"] or next((w for w in words if w in ("early", "late", "mid")), None)
    return _whole(value, part)


@_rule(
    "month_rel_year",
    rf"(?P<part>{PART})?(?P<m>{MON})\s+(?:of\s+)?(?P<which>last|this|next)\s+year\b",
)
def _month_rel_year(m, ctx):
    mon = _month_no(m["m"])
    delta = {"last": -1, "this": 0, "next": 1}[m["which"]]
    return _whole(ctx.anchored(lambda a: relative.month(a.year + delta, mon), repr(m[0])), m["part"])


@_rule(
    "season_year",
    rf"(?P<part>{PART})?(?:the\s+)?(?P<s>{SEASON})\s+(?:of\s+)?(?P<y>{YEAR})",
    re.I,
)
def _season_year(m, ctx):
    return _whole(_season(int(m["y"]), m["s"]), m["part"])


@_rule(
    "season_rel",
    rf"\b(?P<which>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast|[Cc]oming|[Tt]his\s+past)\s+(?P<s>{SEASON})\b(?!['’]s\s+\w+\s+of)",
)
def _season_rel(m, ctx):
    which = m["which"].lower().split()[-1]
    target = {"spring": 21, "summer": 22, "fall": 23, "autumn": 23, "winter": 24}[m["s"].lower()]

    def build(a: date) -> FuzzyDate:
        y, code = _season_index(a)
        if which in ("last", "past"):
            # the latest such season that has ended ("last fall", said in December, is this year's)
            cand = y if target < code else y - 1
        elif which in ("next", "coming"):
            cand = y if target > code else y + 1
        else:  # this
            cand = y if target >= code or code == 24 else y
            if code == 24 and target != 24:
                cand = y + 1  # "this spring" said in January: the coming spring
        return _season(cand, m["s"])

    return ctx.anchored(build, repr(m[0]))


@_rule(
    "season_bare",
    rf"\b(?:[Ii]n|[Dd]uring|[Bb]y|[Uu]ntil|[Ss]ince|[Tt]his|[Tt]hrough)\s+(?:the\s+)?(?P<part>(?:early|late|mid)[- ]?)?(?P<s>{SEASON})\b(?!\s+(?:of|[A-Z]|\d)|['’]s)",
)
def _season_bare(m, ctx):
    target = {"spring": 21, "summer": 22, "fall": 23, "autumn": 23, "winter": 24}[m["s"].lower()]
    tense = ctx.tense()
    tense = None if tense == WEAK_FUTURE else tense
    this = m[0].lower().startswith("this")

    def build(a: date) -> FuzzyDate:
        y, code = _season_index(a)
        if this or tense is None:
            cand = y if not (code == 24 and target != 24) else y + 1
        elif tense == PAST:
            cand = y if target <= code else y - 1
        else:
            cand = y if target >= code else y + 1
        return _season(cand, m["s"])

    return _whole(ctx.anchored(build, repr(m[0])), m["part"])


def _thanksgiving(y: int) -> date:
    first = date(y, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _nth_weekday(y: int, mon: int, wd: int, n: int) -> date:
    if n > 0:
        first = date(y, mon, 1)
        return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    last = month_end(y, mon)
    return last - timedelta(days=(last.weekday() - wd) % 7)


def _easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(y, month, day + 1)


_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas eve": lambda y: date(y, 12, 24),
    "christmas day": lambda y: date(y, 12, 25),
    "christmas": lambda y: date(y, 12, 25),
    "new year's eve": lambda y: date(y, 12, 31),
    "new year's day": lambda y: date(y, 1, 1),
    "thanksgiving day": _thanksgiving,
    "thanksgiving": _thanksgiving,
    "independence day": lambda y: date(y, 7, 4),
    "the fourth of july": lambda y: date(y, 7, 4),
    "july fourth": lambda y: date(y, 7, 4),
    "halloween": lambda y: date(y, 10, 31),
    "valentine's day": lambda y: date(y, 2, 14),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "martin luther king day": lambda y: _nth_weekday(y, 1, 0, 3),
    "easter sunday": _easter,
    "easter": _easter,
    "good friday": lambda y: _easter(y) - timedelta(days=2),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),  # the US one
}
_HOLIDAY_RE = "|".join(
    re.escape(k).replace("'", "['’]").replace(r"\ ", r"\s+") for k in sorted(_HOLIDAYS, key=len, reverse=True)
)


@_rule(
    "holiday",
    rf"{_WHICH}\b(?P<h>{_HOLIDAY_RE})\b(?:,?\s+(?P<y>{YEAR}))?(?!\s+(?:[Tt]rees?|[Cc]ards?|[Ss]eason|[Hh]olidays?|[Ss]hopping|[Bb]reak|[Aa]greement|[Aa]ccords?|[Dd]eal|[Pp]arty|[Ss]ales?)\b)",
    re.I,
)
def _holiday(m, ctx):
    name = re.sub(r"\s+", " ", m["h"].lower()).replace("’", "'")
    if not m["h"][0].isupper() and not name.startswith("the"):
        return None
    when = _HOLIDAYS[name]
    if not m["y"] and re.match(r"\s+week\b", ctx.text[m.end() : m.end() + 8], re.I):
        # "Easter week": the week before the day to some, the week after it to others
        raise _Decline(f"{m[0]!r} week: the week before the day or the one after it, the text does not say")
    if m["y"]:
        return relative.day(when(int(m["y"])))
    probe = when(2001)
    return _year_of(ctx, probe.month, probe.day, repr(m[0]), lambda y: relative.day(when(y)), _which_tense(m))


# --- years, decades, centuries ------------------------------------------------------------------

_COUNTED = (
    r"people|persons|men|women|children|troops|soldiers|members|workers|students|jobs|dollars|miles|"
    r"feet|foot|meters|metres|kilometers|tons|tonnes|pounds|votes|units|cases|hours|years|days|"
    r"barrels|acres|homes|houses|vehicles|cars|rounds|pages|words|calories|degrees|copies|employees|"
    r"police|officers|refugees|residents|delegates|lawyers|participants|GMT|EST|EDT|PST|PDT|CST|CDT|"
    r"UTC|hrs|local|km|kg|lb|mph|yards|points|shares|seats|cents|francs|yen|marks|pesos|rubles|euros"
)
_YEAR_PREFIX_OK = {
    "in", "on", "of", "during", "since", "until", "till", "by", "before", "after", "from", "through",
    "and", "or", "to", "the", "early", "late", "mid", "between", "year", "fiscal", "throughout", "for",
    "around", "about", "circa", "summer", "spring", "fall", "autumn", "winter", "than", "as", "its",
    "his", "her", "their", "a", "that", "this", "at", "into", "when", "while", "like", "against",
    "election", "elections", "ended", "began", "compared", "with",
}  # fmt: skip


@_rule(
    "year",
    rf"(?P<fiscal>\b[Ff]iscal\s+(?:[Yy]ear\s+)?)?(?P<part>{PART})?(?:the\s+year\s+)?(?P<y>{YEAR})(?!\s*[-–]\s*\d|s\b|\s+(?:{_COUNTED})\b|\s*(?:a\.m\.|p\.m\.|B\.?C))",
    re.I,
)
def _year(m, ctx):
    y = int(m["y"])
    if m["part"] and not m["part"][0].isalpha():
        return None
    before = ctx.text[max(0, m.start() - 40) : m.start()]
    prev = re.search(r"([A-Za-z][\w.'’-]*)\W*$", before)
    if not (m["fiscal"] or m["part"]) and prev:
        word = prev.group(1)
        gap = before[prev.end(1) :]
        if word.lower() in (
            "no",
            "no.",
            "number",
            "flight",
            "route",
            "page",
            "room",
            "boeing",
            "airbus",
            "model",
            "version",
            "windows",
            "channel",
            "chapter",
            "article",
            "section",
            "highway",
            "interstate",
            "resolution",
        ):
            return None
        if "$" in gap or "#" in gap:
            return None
        if (
            word[0].isupper()
            and word.lower() not in _YEAR_PREFIX_OK
            and word.rstrip(".").lower() not in _MONTHS
            and not _sentence_initial(ctx.text, prev.start(1) + max(0, m.start() - 40), ctx)
            and gap.strip() == ""
        ):
            return None  # "Windows 2000", "Euro 2000", "Vision 2020": a name, not a year
    if not (1000 <= y <= 2099):
        return None
    if re.match(
        r"\s+(?:[A-Z][\w.]*\s+){1,2}(?:Avenue|Ave\.|Street|St\.|Road|Rd\.|Boulevard|Blvd\.|Drive|Lane|Way|Place|Highway)\b",
        ctx.text[m.end() : m.end() + 40],
    ):
        return None  # "1600 Pennsylvania Avenue": an address
    value = relative.year(y)
    if m["fiscal"]:
        return replace(
            value,
            edtf=f"{y:04d}%",
            label=f"fiscal {y} (its start is not stated)",
            approximate=True,
            uncertain=True,
        )
    return _whole(value, m["part"])


def _sentence_initial(text: str, pos: int, ctx: _Context) -> bool:
    """True when the word at ``pos`` opens its sentence (its capital says nothing then)."""
    return pos <= ctx.sent_start or text[ctx.sent_start : pos].strip(" \n\t\"'`(") == ""


@_rule("year_range", rf"(?P<y>{YEAR})\s*[-–]\s*(?P<y2>\d\d(?:\d\d)?)(?![\d%-]|\.\d|\s*(?:{_COUNTED})\b)")
def _year_range(m, ctx):
    """ "1999-2000", "the 1998-99 season": the years from the first to the second."""
    y, tail = int(m["y"]), m["y2"]
    y2 = int(tail) if len(tail) == 4 else y - y % 100 + int(tail)
    if len(tail) == 2 and y2 < y:
        y2 += 100
    if not (y < y2 <= y + 30):
        return None  # "1991-1" or a score, not a run of years
    return _closed_span(relative.year(y), relative.year(y2))


@_rule(
    "decade",
    r"\b(?:the\s+)?(?P<part>(?:early|mid|late)[- ]?)?(?:(?P<y>1\d\d0|20\d0)|['’](?P<yy>\d0))['’]?s\b",
    re.I,
)
def _decade(m, ctx):
    start = int(m["y"]) if m["y"] else 1900 + int(m["yy"])
    fd = FuzzyDate(
        date(start, 1, 1), date(start + 9, 12, 31), Precision.DECADE, f"{start // 10:03d}X", f"{start}s"
    )
    return _whole(fd, m["part"])


_CENTURY_ORD = "|".join(k for k in sorted(_ORDINAL_WORDS, key=len, reverse=True))


@_rule(
    "century",
    rf"\b(?:the\s+)?(?P<part>(?:early|mid|late)[- ]?)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>{_CENTURY_ORD}))[- ]century\b",
    re.I,
)
def _century(m, ctx):
    n = int(m["n"]) if m["n"] else _ORDINAL_WORDS[m["w"].lower()]
    return _whole(_century_value(n - 1), m["part"])


def _century_value(c: int) -> FuzzyDate:
    """The hundred years whose years start with ``c`` (TimeML's convention: the 20th century is
    1900–1999)."""
    lo = max(c * 100, 1)
    edtf = f"{c:02d}XX" if c else "0001/0099"  # there is no year 0: the first hundred years start at 1
    return FuzzyDate(date(lo, 1, 1), date(c * 100 + 99, 12, 31), Precision.CENTURY, edtf, f"{c * 100}s")


@_rule("century_rel", r"\b(?P<which>[Tt]his|[Ll]ast|[Nn]ext|[Pp]revious)\s+century\b(?!\s+(?:or|and))")
def _century_rel(m, ctx):
    delta = {"this": 0, "last": -1, "previous": -1, "next": 1}[m["which"].lower()]
    return ctx.anchored(lambda a: _century_value(a.year // 100 + delta), repr(m[0]))


# --- quarters, halves, fiscal years -------------------------------------------------------------


def _quarter_value(y: int, q: int) -> FuzzyDate:
    return parse_edtf(f"{y:04d}-{32 + q}")


def _half_value(y: int, h: int) -> FuzzyDate:
    return parse_edtf(f"{y:04d}-{39 + h}")


def _period_year(ctx: _Context, first_month: int, last_month: int, what: str) -> Callable[[date], int]:
    """The year of a quarter or half that names none: in the past tense (the default of a report)
    the latest one that has begun, in the future tense the nearest one that has not ended."""
    tense = ctx.tense()

    def pick(a: date) -> int:
        if tense in (FUTURE, WEAK_FUTURE):
            return a.year if (a.month <= last_month) else a.year + 1
        return a.year if first_month <= a.month else a.year - 1

    return pick


@_rule(
    "quarter",
    rf"(?P<the>\b[Tt]he\s+|\b[Ii]ts\s+|\b[Tt]his\s+|\b(?:[Ll]ast|[Tt]his|[Nn]ext)\s+year['’]s\s+)?(?:\b[Ff]iscal\s+)?\b(?P<q>{ORD_NUM}|final)[- ](?:fiscal[- ])?quarter\b(?:\s+(?:of\s+)?(?:(?P<fiscal>fiscal\s+)?(?P<y>{YEAR})|(?P<rel>this|last|next)\s+year))?",
    re.I,
)
def _quarter(m, ctx):
    word = m["q"].lower()
    q = {
        "first": 1,
        "1st": 1,
        "second": 2,
        "2nd": 2,
        "third": 3,
        "3rd": 3,
        "fourth": 4,
        "4th": 4,
        "final": 4,
        "last": 4,
    }[word]
    if word == "last" and not (m["y"] or m["rel"]):
        return None  # "the last quarter": the latest one, not necessarily the fourth
    fiscal = bool(m["fiscal"]) or "fiscal" in m[0].lower()
    if m["y"]:
        value = _quarter_value(int(m["y"]), q)
    elif m["rel"] or "year" in (m["the"] or "").lower():
        # "the third quarter of last year", "last year's third quarter"
        rel = (m["rel"] or m["the"]).split()[0].lower()
        delta = {"this": 0, "last": -1, "next": 1}[rel]
        value = ctx.anchored(lambda a: _quarter_value(a.year + delta, q), repr(m[0]))
    elif ctx.sentence_year is not None:
        value = _quarter_value(ctx.sentence_year, q)
    else:
        pick = _period_year(ctx, 3 * q - 2, 3 * q, repr(m[0]))
        value = ctx.anchored(lambda a: _quarter_value(pick(a), q), repr(m[0]))
    if fiscal:
        lo, hi = value.earliest, value.latest
        value = replace(
            value,
            # EDTF qualifies a grouping only at level 2, which the project does not read: the months
            edtf=f"{lo.year:04d}-{lo.month:02d}%/{hi.year:04d}-{hi.month:02d}%",
            approximate=True,
            uncertain=True,
            label=f"fiscal {value.label} (the fiscal year's start is not stated)",
        )
    return value


@_rule(
    "half",
    rf"\b(?:[Tt]he|[Ii]ts|[Tt]his\s+year['’]s|[Ll]ast\s+year['’]s)\s+(?P<h>first|second|latter)[- ]half\b(?:\s+of\s+(?:(?P<y>{YEAR})|(?P<rel>this|last|next)\s+year|the\s+year))?|\b(?P<h2>first|second)-half\b",
)
def _half(m, ctx):
    word = (m["h"] or m["h2"]).lower()
    h = 1 if word == "first" else 2
    after = ctx.text[m.end() : m.end() + 20]
    if not (m["y"] or m["rel"]) and re.match(r"\s+of\s+(?!the\s+year)", after):
        return None  # "the first half of the game"
    if m["y"]:
        return _half_value(int(m["y"]), h)
    if m["rel"]:
        delta = {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
        return ctx.anchored(lambda a: _half_value(a.year + delta, h), repr(m[0]))
    if "last year" in m[0].lower():
        return ctx.anchored(lambda a: _half_value(a.year - 1, h), repr(m[0]))
    if ctx.sentence_year is not None:
        return _half_value(ctx.sentence_year, h)
    pick = _period_year(ctx, 6 * h - 5, 6 * h, repr(m[0]))
    return ctx.anchored(lambda a: _half_value(pick(a), h), repr(m[0]))


@_rule(
    "quarter_rel",
    r"\b(?P<which>[Tt]his|[Ll]ast|[Nn]ext|[Tt]he\s+current|[Tt]he\s+coming|[Tt]he\s+previous|[Tt]he\s+past|[Tt]he\s+latest)\s+(?P<unit>quarter|half)\b(?!\s+(?:of|century))",
)
def _quarter_rel(m, ctx):
    which = m["which"].lower().split()[-1]
    delta = {
        "this": 0,
        "current": 0,
        "last": -1,
        "previous": -1,
        "past": -1,
        "latest": -1,
        "next": 1,
        "coming": 1,
    }[which]
    if which in ("last", "past") and re.search(
        r"\b(?:the|in|over|for|during)\s+$", ctx.text[max(0, m.start() - 8) : m.start()]
    ):
        return None  # "in the last quarter": the fourth, or the latest? the text does not say
    size = 3 if m["unit"].lower() == "quarter" else 6

    def build(a: date) -> FuzzyDate:
        index = (a.year * 12 + a.month - 1) // size + delta
        y, n = divmod(index, 12 // size)
        return _quarter_value(y, n + 1) if size == 3 else _half_value(y, n + 1)

    return ctx.anchored(build, repr(m[0]))


@_rule(
    "unit_edge",
    r"\b(?:[Tt]he\s+)?(?P<part>end|beginning|start|middle|turn)\s+of\s+(?P<which>the|this|next|last)\s+(?P<unit>year|month|week|decade|century)\b(?!['’]s|\s+(?:before|after|of|in)\b)",
)
def _unit_edge(m, ctx):
    """ "the end of the year", "the beginning of next month": the whole unit (the text does not say
    which days its end is), labelled with the part."""
    unit, which = m["unit"].lower(), m["which"].lower()
    if unit == "century" and m["part"].lower() == "turn":
        raise _Decline(f"{m[0]!r}: the years around a turn of the century are not one interval")
    delta = {"the": 0, "this": 0, "next": 1, "last": -1}[which]
    if unit == "decade":
        value = ctx.anchored(lambda a: _shift("decade", delta, a), repr(m[0]))
    elif unit == "century":
        value = ctx.anchored(lambda a: _century_value(a.year // 100 + delta), repr(m[0]))
    else:
        value = ctx.anchored(lambda a: _shift(unit, delta, a), repr(m[0]))
    return _whole(value, f"{m['part'].lower()} of")


@_rule(
    "the_quarter", r"\b[Tt]he\s+(?:latest\s+)?quarter\b(?!\s+(?:of|century|mile|point|hour|inch)\b|['’]s|-)"
)
def _the_quarter(m, ctx):
    """ "In the quarter, net income rose": the quarter the text has just named, if any."""
    return ctx.quarter


@_rule("year_end", r"\b(?:[Bb]y\s+|[Aa]t\s+)?(?P<w>[Yy]ear)[- ](?:end|'s\s+end)\b")
def _year_end(m, ctx):
    return _whole(ctx.anchored(lambda a: relative.year(a.year), repr(m[0])), "end of")


@_rule("q_form", rf"\b(?P<q>Q[1-4]|H[12])\s+(?P<y>{YEAR})")
def _q_form(m, ctx):
    n = int(m["q"][1])
    return _quarter_value(int(m["y"]), n) if m["q"][0] == "Q" else _half_value(int(m["y"]), n)


# --- weekdays and days relative to the publication ---------------------------------------------


@_rule(
    "weekday",
    rf"(?P<which>\b(?:[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming|[Tt]his\s+past|[Tt]his\s+coming|[Pp]ast)\s+)?(?<![Ee]very\s)(?<![Ee]ach\s)\b(?P<wd>{WD})",
)
def _weekday(m, ctx):
    before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
    if re.search(r"\b(?:every|each|following|previous|preceding|same)\s+$", before):
        return None
    if re.search(r"\b(?:a|an|any)\s+$", before) and not re.match(
        r"\s+(?:night|morning|afternoon|evening)", ctx.text[m.end() : m.end() + 12]
    ):
        return None  # "it was a Friday": some Friday, not a date
    if re.search(r"\b(?:black|good|super|cyber|ash|palm|holy|bloody|easter)\s+$", before):
        return None
    wd = _WEEKDAYS[m["wd"].lower()]
    which = (m["which"] or "").strip().lower().split()[-1] if m["which"] else ""
    if which == "past":
        which = "last"
    if which == "coming":
        which = "next"
    if not which:
        possessive = ctx.text[m.end() : m.end() + 2] in ("'s", "’s")
        # "Wednesday's ruling": a reported event, the past one
        tense = ctx.tense()
        if possessive and re.search(r"\b(?:ahead\s+of|awaiting|awaits|await)\s+$", before):
            tense = FUTURE  # "ahead of Thursday's vote"
        elif possessive and tense != FUTURE:
            tense = None  # "Friday's ruling": a reported event, unless the clause looks ahead
        which = "next" if tense == FUTURE else "nearest" if tense == WEAK_FUTURE else "last"
        exact = True
    else:
        exact = False

    def build(a: date) -> FuzzyDate:
        if which == "next":
            ahead = (wd - a.weekday()) % 7
            if not exact and ahead == 0:
                ahead = 7
            return relative.day(a + timedelta(days=ahead))
        if which == "last":
            back = (a.weekday() - wd) % 7
            if not exact and back == 0:
                back = 7
            return relative.day(a - timedelta(days=back))
        if which == "nearest":
            ahead, back = (wd - a.weekday()) % 7, (a.weekday() - wd) % 7
            return relative.day(a + timedelta(days=ahead) if ahead <= back else a - timedelta(days=back))
        # "this Friday": the one of the current week
        return relative.day(a + timedelta(days=wd - a.weekday()))

    return ctx.anchored(build, repr(m[0]))


@_rule(
    "rel_day",
    r"\b(?P<w>[Yy]esterday|[Tt]omorrow|[Tt]oday|[Tt]onight)\b(?!['’]s\s+(?:world|society|standards|youth|market|economy))",
)
def _rel_day(m, ctx):
    delta = {"yesterday": -1, "tomorrow": 1, "today": 0, "tonight": 0}[m["w"].lower()]
    return ctx.anchored(lambda a: relative.day(a + timedelta(days=delta)), repr(m[0]))


@_rule(
    "rel_unit",
    r"\b(?P<which>[Ll]ast|[Nn]ext|[Tt]his|[Tt]he\s+coming|[Tt]he\s+current)\s+(?P<fiscal>fiscal\s+)?(?P<unit>week|month|year)\b",
)
def _rel_unit(m, ctx):
    before = ctx.text[max(0, m.start() - 25) : m.start()].lower()
    possessive = ctx.text[m.end() : m.end() + 2] in ("'s", "’s")
    if (
        not possessive
        and re.search(r"\b(?:over|for|within|throughout|in|during)\s+(?:the\s+)?$", before)
        and m["which"].lower() in ("next",)
    ):
        return None  # "over the next year", "in the next month": a duration
    if re.search(r"\b(?:for|over|within|throughout)\s+(?:the\s+)?$", before) and m["which"].lower() == "last":
        return None  # "for the last year"
    which = m["which"].lower().split()[-1]
    delta = {"last": -1, "next": 1, "this": 0, "coming": 1, "current": 0}[which]
    unit = m["unit"].lower()
    if unit == "week":
        return ctx.anchored(lambda a: relative.week(a + timedelta(weeks=delta)), repr(m[0]))
    if unit == "month":
        return ctx.anchored(
            lambda a: relative.month(*relative._shift_month(a.year, a.month, delta)), repr(m[0])
        )
    value = ctx.anchored(lambda a: relative.year(a.year + delta), repr(m[0]))
    if m["fiscal"]:
        # "the current fiscal year": its start is not stated; the calendar year, flagged
        return replace(
            value,
            edtf=value.edtf + "%",
            approximate=True,
            uncertain=True,
            label=f"fiscal {value.label} (its start is not stated)",
        )
    return value


@_rule("rel_edge", r"\b(?P<edge>[Ee]arlier|[Ll]ater)\s+this\s+(?P<unit>week|month|year)\b")
def _rel_edge(m, ctx):
    unit = m["unit"].lower()
    # The text says only "in this month, before (or after) today": the month itself is what it
    # names, without inventing which part.
    if unit == "week":
        return ctx.anchored(relative.week, repr(m[0]))
    if unit == "month":
        return ctx.anchored(lambda a: relative.month(a.year, a.month), repr(m[0]))
    return ctx.anchored(lambda a: relative.year(a.year), repr(m[0]))


def _shift(unit: str, n: int, a: date) -> FuzzyDate:
    if unit == "day":
        return relative.day(a + timedelta(days=n))
    if unit == "week":
        return relative.week(a + timedelta(weeks=n))
    if unit == "month":
        return relative.month(*relative._shift_month(a.year, a.month, n))
    if unit == "decade":
        y = a.year + 10 * n
        return FuzzyDate(
            date(y - y % 10, 1, 1),
            date(y - y % 10 + 9, 12, 31),
            Precision.DECADE,
            f"{y // 10:03d}X",
            f"{y - y % 10}s",
        )
    return relative.year(a.year + n)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


@_rule("ago", rf"\b(?P<n>{COUNT})\s+(?P<unit>{UNIT})s?\s+ago\b", re.I)
def _ago(m, ctx):
    n, unit = _count(m["n"]), m["unit"].lower()
    if unit == "decade":
        raise _Decline(f"{m[0]!r}: some time about {n * 10} years before; no interval the text gives")
    period = ctx.last_period
    if (
        unit == "year"
        and n == 1
        and period is not None
        and period.precision in (Precision.SEASON, Precision.MONTH)
        and period.earliest is not None
        and period.latest is not None
        and "/" not in period.edtf
    ):
        # "third-quarter profit rose from $3 a year ago": that quarter, a year before
        lo, hi = period.earliest, period.latest
        return _rebuilt(
            period,
            lo.replace(year=lo.year - n),
            hi.replace(year=hi.year - n, day=month_end(hi.year - n, hi.month).day),
        )
    value = ctx.anchored(lambda a: _shift(unit, -n, a), repr(m[0]))
    if n > 1 and unit in ("year", "month"):
        # "two years ago": about then, not exactly the calendar year two back
        return replace(value, edtf=value.edtf + "~", approximate=True, label=f"c. {value.label}")
    return value


@_rule(
    "past_n",
    rf"\b(?:[Tt]he|[Tt]his)\s+(?P<which>past|last|previous|next|coming)\s+(?P<n>{COUNT})\s+(?P<unit>day|week|month|year|decade)s\b",
)
def _past_n(m, ctx):
    n, unit = _count(m["n"]), m["unit"].lower()
    back = m["which"].lower() in ("past", "last", "previous")
    if n < 2:
        return None

    def build(a: date) -> FuzzyDate:
        if unit == "day":
            other = a + timedelta(days=-n if back else n)
        elif unit == "week":
            other = a + timedelta(weeks=-n if back else n)
        else:
            months = n * (1 if unit == "month" else 12 if unit == "year" else 120)
            y, mo = relative._shift_month(a.year, a.month, -months if back else months)
            other = date(y, mo, min(a.day, month_end(y, mo).day))
        lo, hi = (other, a) if back else (a, other)
        return FuzzyDate(
            lo,
            hi,
            Precision.DAY,
            f"{lo.isoformat()}/{hi.isoformat()}",
            labels.span_label(labels.day_label(lo), labels.day_label(hi)),
        )

    return ctx.anchored(build, repr(m[0]))


# --- counted from the date the narrative stands at -----------------------------------------------


@_rule(
    "narrative",
    rf"\b(?:(?P<the>[Tt]he|[Tt]hat)\s+(?P<dir>following|next|previous|preceding|prior|same)\s+(?P<unit>day|week|month|year|{WD})"
    rf"|[Tt]he\s+(?P<unit2>day|week|month|year)\s+(?P<dir2>after|before)"
    # only when nothing it counts from follows: "the day before, he", not "the day before the vote",
    # "the day before authorities issued", "the day before returning", "the day before last Tuesday"
    rf"(?=\s*(?:[,.;:!?)\"”’]|''|--|\Z|\s(?:and|but|or|when|while|as|at|in|on|to|with|from|because|he|she|they|it|we)\b))"
    rf"|(?P<n>{COUNT})\s+(?P<unit3>day|week|month|year)s?\s+(?P<dir3>later|earlier)(?!\s+than)"
    rf"|(?P<unit4>year)-(?P<dir4>earlier|ago)"
    rf"|(?:[Ll]ater|[Ee]arlier)\s+(?:that\s+(?P<unit5>day|week|month|year)|in\s+the\s+(?P<unit7>week|month|year))\b"
    rf"(?!\s+(?:of|before|after)\b)"
    rf"|\b[Tt]hat\s+(?P<unit6>day|month|year)\b(?!['’]s))",
)
def _narrative(m, ctx):
    if m["unit"]:
        unit, d = m["unit"], m["dir"].lower()
        direction = 0 if d == "same" else (1 if d in ("following", "next") else -1)
        n = 1
    elif m["unit2"]:
        unit, direction, n = m["unit2"], (1 if m["dir2"] == "after" else -1), 1
    elif m["unit3"]:
        unit, n = m["unit3"], _count(m["n"])
        direction = 1 if m["dir3"].lower() in ("later", "after") else -1
    elif m["unit4"]:
        unit, direction, n = "year", -1, 1
    else:
        unit, direction, n = (m["unit5"] or m["unit6"] or m["unit7"]), 0, 0
    unit_l = unit.lower()
    is_wd = unit_l in _WEEKDAYS
    base = (
        ctx.last_period if unit_l == "year" and direction and ctx.last_period is not None else ctx.narrative
    )
    if direction == 0 and unit_l in ("year", "month"):
        # "in June 1998 … later that year": the year of the latest date read that lies in one
        # ("in April, and Canada later in the month": April, not a year named in between)
        fits = [
            d
            for d in reversed(ctx.recent)
            if d.earliest.year == d.latest.year and (unit_l == "year" or d.earliest.month == d.latest.month)
        ]
        base = fits[0] if fits else None
    if unit_l == "year" and base is None and m["unit4"]:
        base = ctx.published
    if unit_l == "year" and base is None and m["unit3"] and m["dir3"].lower() == "earlier":
        base = ctx.published
    if base is None or base.earliest is None or base.latest is None:
        raise _Decline(f"{m[0]!r} counts from a date the text does not give before it")
    if is_wd:
        if not base.is_day:
            raise _Decline(f"{m[0]!r} counts from {base.label}, not a day")
        a, wd = base.earliest, _WEEKDAYS[unit_l]
        if direction > 0:
            return relative.day(a + timedelta(days=(wd - a.weekday()) % 7 or 7))
        if direction < 0:
            return relative.day(a - timedelta(days=(a.weekday() - wd) % 7 or 7))
        return relative.day(a + timedelta(days=wd - a.weekday()))
    if unit_l == "year":
        if base.earliest.year != base.latest.year:
            raise _Decline(f"{m[0]!r} counts from {base.label}, longer than a year")
        lo, hi = base.earliest, base.latest
        try:
            lo2, hi2 = lo.replace(year=lo.year + direction * n), hi.replace(year=hi.year + direction * n)
        except ValueError:
            lo2, hi2 = (
                lo.replace(year=lo.year + direction * n, day=28),
                hi.replace(year=hi.year + direction * n, day=28),
            )
        if base.precision in (Precision.DAY, Precision.WEEK) or direction == 0:
            if direction == 0:
                return relative.year(lo.year)
            return relative.year(lo2.year)
        return _rebuilt(base, lo2, hi2)
    if unit_l == "month":
        if (base.earliest.year, base.earliest.month) != (base.latest.year, base.latest.month):
            raise _Decline(f"{m[0]!r} counts from {base.label}, longer than a month")
        return relative.month(*relative._shift_month(base.earliest.year, base.earliest.month, direction * n))
    if not base.is_day:
        raise _Decline(f"{m[0]!r} counts from {base.label}, not a day")
    if unit_l == "week":
        return relative.week(base.earliest + timedelta(weeks=direction * n))
    return relative.day(base.earliest + timedelta(days=direction * n))


def _rebuilt(base: FuzzyDate, lo: date, hi: date) -> FuzzyDate:
    """``base`` moved to other years: the same kind of period (a quarter, a month) in another year."""
    shifted = lo.year - base.earliest.year
    edtf = base.edtf
    m = re.match(r"^(-?\d{4})(.*)$", edtf)
    if m and "/" not in edtf:
        try:
            return parse_edtf(f"{int(m[1]) + shifted:04d}{m[2]}")
        except DateParseError:
            pass
    return FuzzyDate(
        lo,
        hi,
        base.precision,
        f"{lo.isoformat()}/{hi.isoformat()}",
        labels.point_label(lo, hi, base.precision),
    )


# --- spans built on the dates found -------------------------------------------------------------

_OPEN_START = re.compile(r"(?:\b(?P<w>[Ss]ince|[Ff]rom))\s+$")
_OPEN_END = re.compile(r"(?:\b(?P<w>[Uu]ntil|[Tt]ill|[Bb]y|[Uu]p\s+to|[Tt]hrough))\s+$")
_COUNTED_FROM = re.compile(r"\b[Tt]he\s+day\s+(?P<dir>before|after)\s+$")
_JOIN = re.compile(r"^\s*(?:[-–—]|to|until|through|till|and)\s*$")


@dataclass
class _Hit:
    start: int
    end: int
    rule: _Rule
    match: re.Match
    value: FuzzyDate | None = None
    error: str | None = None


def _side(value: FuzzyDate, first: bool) -> str:
    """``value``'s start (or end) as an EDTF interval side: its own EDTF's side when that reads
    back to the same bound; else the bound's month or day (a quarter or a half cannot be an
    interval's end in the EDTF levels the project reads)."""
    side = value.edtf.split("/")[0 if first else -1]
    bound = value.earliest if first else value.latest
    try:
        back = parse_edtf(f"{side}/.." if first else f"../{side}")  # readable as an interval's side
        if (back.earliest if first else back.latest) == bound:
            return side
    except DateParseError:
        pass
    whole_month = bound.day == 1 if first else bound == month_end(bound.year, bound.month)
    qualifier = (
        "%"
        if value.approximate and value.uncertain
        else "~"
        if value.approximate
        else "?"
        if value.uncertain
        else ""
    )
    return (f"{bound.year:04d}-{bound.month:02d}" if whole_month else bound.isoformat()) + qualifier


def _open_span(value: FuzzyDate, start_side: bool, word: str) -> FuzzyDate:
    if start_side:
        if value.earliest is None:
            return value
        return FuzzyDate(
            value.earliest,
            None,
            value.precision,
            f"{_side(value, True)}/..",
            f"since {value.label}",
            approximate=value.approximate,
            uncertain=value.uncertain,
        )
    if value.latest is None:
        return value
    return FuzzyDate(
        None,
        value.latest,
        value.precision,
        f"../{_side(value, False)}",
        f"{word} {value.label}",
        approximate=value.approximate,
        uncertain=value.uncertain,
    )


def _closed_span(a: FuzzyDate, b: FuzzyDate) -> FuzzyDate | None:
    if a.earliest is None or b.latest is None or b.latest < a.earliest:
        return None
    return FuzzyDate(
        a.earliest,
        b.latest,
        Precision.coarsest(a.precision, b.precision),
        f"{_side(a, True)}/{_side(b, False)}",
        labels.span_label(a.label, b.label),
        approximate=a.approximate or b.approximate,
        uncertain=a.uncertain or b.uncertain,
    )


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


# --- the entry point -----------------------------------------------------------------------------


_MONTHS_TRIGGER = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
# A word (or a digit) every match of a rule contains: a rule whose word is not in the text is not
# run at all (a short text is read in a fraction of the time; a long one has them all).
_TRIGGERS = {
    name: re.compile(pattern, re.I)
    for names, pattern in [
        (("mdy", "dmy", "md", "md_name", "dm", "md_range", "and_day", "week_of", "month_year", "month", "month_rel_year"), _MONTHS_TRIGGER),
        (("iso", "numeric", "year", "year_range", "decade", "q_form", "ordinal_day"), r"\d"),
        (("century", "century_rel"), r"century"),
        (("season_year", "season_rel", "season_bare"), r"spring|summer|fall|autumn|winter"),
        (("holiday",), r"christmas|new\s+year|thanksgiving|independence|fourth|july|halloween|valentine|labor|memorial|luther|easter|good friday|election"),
        (("quarter", "half", "quarter_rel", "the_quarter"), r"quarter|half"),
        (("unit_edge", "year_end", "rel_unit", "rel_edge", "ago", "past_n"), r"week|month|year|day|decade|century|ago"),
        (("weekday", "rel_day"), r"day|tomorrow|tonight"),
        (("narrative",), r"day|week|month|year"),
    ]
    for name in names
}  # fmt: skip


def _candidates(text: str) -> list[_Hit]:
    found = []
    present = {pattern.pattern: bool(pattern.search(text)) for pattern in set(_TRIGGERS.values())}
    for order, rule in enumerate(_RULES):
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


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """The expression without a leading preposition ("on Thursday" → "Thursday") or trailing
    punctuation; spans keep their "since", "until", "from", "between"."""
    seg = text[s:e]
    lead = re.match(
        r"(?:(?:[Oo]n|[Ii]n|[Dd]uring|[Oo]f|[Aa]nd|[Oo]r|to|[Aa]fter|[Bb]efore|[Tt]hat|[Aa]t|[Ss]ince|[Uu]ntil|"
        r"[Tt]ill|[Bb]y|[Tt]hrough|[Ff]rom|[Bb]etween)\s+)+",
        seg,
    )
    if lead and lead.end() < len(seg):
        s += lead.end()
    while e > s and text[e - 1] in " ,;:":
        e -= 1
    return s, e


_NAMES_YEAR = {"mdy", "dmy", "month_year", "season_year", "md_range", "year"}


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
    opener = re.search(r"\b(?:[Ff]rom|[Bb]etween)\s+(?:the\s+)?$", text[max(0, hit.start - 12) : hit.start])
    if year and _JOIN.match(gap.replace(",", " ")) and (opener or gap.strip() in ("-", "–", "—")):
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
    dates_out: list[tuple[int, int, FuzzyDate, str]] = []
    unresolved: list[UnresolvedDate] = []
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
        saved_year = ctx.sentence_year
        if borrowed is not None:
            ctx.sentence_year = borrowed  # "from March 3 to March 9, 2001": the start's year too
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
            if borrowed is not None:
                ctx.sentence_year = saved_year
        if value is None:
            continue
        hit.value = value
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
    # "the day before last Tuesday's hearing", "the day after Christmas": counted from that day
    for h in resolved:
        v = h.value
        if v is None or not v.is_day or v.earliest != v.latest:
            continue
        rel = _COUNTED_FROM.search(text, max(0, h.start - 20), h.start)
        if rel is None:
            continue
        step = timedelta(days=1)
        h.value = relative.day(v.earliest + step if rel["dir"].lower() == "after" else v.earliest - step)
        h.start = rel.start()
    # spans: "from A to B", "between A and B", "A-B", then "since A", "until B"
    i = 0
    merged: list[tuple[int, int, FuzzyDate | None, str | None, str]] = []
    while i < len(resolved):
        h = resolved[i]
        nxt = resolved[i + 1] if i + 1 < len(resolved) else None
        s, e = _trim(text, h.start, h.end)
        before = text[max(0, s - 12) : s]
        if nxt is not None and h.value is not None and nxt.value is not None:
            ns, ne = _trim(text, nxt.start, nxt.end)
            gap = text[e:ns]
            opener = re.search(r"\b(?P<w>[Ff]rom|[Bb]etween)\s+(?:the\s+)?$", before)
            joiner = _JOIN.match(gap)
            if (
                joiner
                and (opener or gap.strip() in ("-", "–", "—"))
                and ((opener and opener["w"].lower() == "between") == ("and" in gap))
            ):
                span = _closed_span(h.value, nxt.value)
                if span is not None:
                    start = s - (len(before) - opener.start()) if opener else s
                    merged.append((start, ne, span, None, "span"))
                    i += 2
                    continue
        if h.value is not None:
            o1 = _OPEN_START.search(before)
            o2 = _OPEN_END.search(before)
            if o1 and o1["w"].lower() == "since":
                merged.append(
                    (s - (len(before) - o1.start()), e, _open_span(h.value, True, "since"), None, "span")
                )
            elif o2 and h.value.latest is not None and not re.search(r"\bnot\s+(?:until|till)\s+$", before):
                word = re.sub(r"\s+", " ", o2["w"].lower())
                merged.append(
                    (s - (len(before) - o2.start()), e, _open_span(h.value, False, word), None, "span")
                )
            else:
                merged.append((s, e, h.value, None, h.rule.name))
        else:
            merged.append((s, e, None, h.error, h.rule.name))
        i += 1
    for s, e, value, error, rule in merged:
        if value is not None:
            dates_out.append((s, e, value, rule))
        else:
            unresolved.append(UnresolvedDate(s, e, text[s:e], error or "not resolved"))
    found = [FoundDate(s, e, text[s:e], replace(v, text=text[s:e]), r) for s, e, v, r in dates_out]
    return Findings(found, unresolved)


def read_text_file(raw: bytes) -> str:
    """A plain text file as the finder indexes it: UTF-8, a byte-order mark dropped, line endings
    as ``\\n``."""
    text = raw.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")

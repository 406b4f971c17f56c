"""Recognition rules for named periods without a year: months ("expected to join in April"), a month
counted from the year ("March of last year"), seasons ("last fall", "the spring of 1998") and
holidays ("Christmas", "Thanksgiving"); each takes the year that tense and context imply. A month
name that is a person's name or "may" the verb is not a date."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from .. import relative
from ..value import FuzzyDate, month_end
from .context import _month_no, _rule, _season, _season_index, _whole, _year_of
from .explicit import _WHICH, _which_tense
from .patterns import _MONTH_ABBR, _MONTH_FULL, MON, PART, PAST, SEASON, WEAK_FUTURE, YEAR, _Decline

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

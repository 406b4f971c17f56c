"""Recognition rules for expressions relative to the publication date: weekdays ("on Thursday", by
tense), "yesterday", "last month", "earlier this month", "a year ago" ("two years ago" is
approximate), "the past three months" as the interval it names. Sets ("every Monday") and
durations ("over the next year") are not dates."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from .. import labels, relative
from ..value import FuzzyDate, Precision, month_end
from .context import _count, _rebuilt, _rule, _shift, _whole
from .patterns import _WEEKDAYS, COUNT, FUTURE, UNIT, WD, WEAK_FUTURE, _Decline

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
    r"(?P<part>\b(?:[Ee]arly|[Ll]ate|[Mm]id)[- ])?"
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
    value = _whole(ctx.anchored(lambda a: relative.year(a.year + delta), repr(m[0])), m["part"])
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

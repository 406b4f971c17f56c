"""Spans built on the dates read: "from A to B", "between A and B", "A-B" (closed), "since A" (open
end), "until/by B" (open start), and "the day before/after A" counted from that day."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from .. import labels, relative
from ..edtf import parse_edtf
from ..value import DateParseError, FuzzyDate, Precision, month_end
from .context import _Hit
from .results import UnresolvedDate

_OPEN_START = re.compile(r"(?:\b(?P<w>[Ss]ince|[Ff]rom))\s+$")
_OPEN_END = re.compile(r"(?:\b(?P<w>[Uu]ntil|[Tt]ill|[Bb]y|[Uu]p\s+to|[Tt]hrough))\s+$")
_APPROX = re.compile(
    r"(?:\b(?:[Aa]round|[Cc]irca|[Aa]pproximately|[Rr]oughly)|\b[Cc]a?\.|(?<=\b[Ii]n\s)about)\s*$"
)
_COUNTED_FROM = re.compile(r"\b[Tt]he\s+day\s+(?P<dir>before|after)\s+$")
_JOIN = re.compile(r"^\s*(?:[-–—]|to|until|through|till|and)\s*$")


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


def _spans(
    text: str, resolved: list[_Hit]
) -> tuple[list[tuple[int, int, FuzzyDate, str, bool]], list[UnresolvedDate]]:
    """The dates read, joined into the spans the text makes of them ("from A to B", "between A and
    B", "A-B", "since A", "until B", "the day before A"): (start, end, value, rule) of each date,
    and the expressions left unresolved."""
    dates_out: list[tuple[int, int, FuzzyDate, str, bool]] = []
    unresolved: list[UnresolvedDate] = []
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
    # "around 2022", "c. March 2022", "in about 1990": that date, approximately
    for h in resolved:
        v = h.value
        if (
            v is None
            or h.anchored
            or v.approximate
            or "/" in v.edtf
            or v.earliest is None
            or v.latest is None
        ):
            continue  # an explicit date only: "get around Wednesday's ruling" is no approximation
        approx = _APPROX.search(text, max(0, h.start - 16), h.start)
        if approx is not None:
            h.value = replace(v, edtf=v.edtf + "~", approximate=True, label=f"c. {v.label}")
            h.start = approx.start()
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
                and (bool(opener and opener["w"].lower() == "between") == ("and" in gap))
            ):
                span = _closed_span(h.value, nxt.value)
                if span is not None:
                    start = s - (len(before) - opener.start()) if opener else s
                    merged.append((start, ne, span, None, "span"))
                    i += 2
                    continue
            if gap.strip() == "or" and h.value.precision == nxt.value.precision:
                # "late May or early June 2024", "Monday or Tuesday": one date, either of them; the
                # interval covering both, flagged uncertain
                span = _closed_span(h.value, nxt.value)
                if span is not None:
                    label = f"{h.value.label} or {nxt.value.label}"
                    merged.append((s, ne, replace(span, uncertain=True, label=label), None, "span"))
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
            anchored = any(h.anchored for h in resolved if h.value is not None and h.start < e and s < h.end)
            dates_out.append((s, e, value, rule, anchored))
        else:
            unresolved.append(UnresolvedDate(s, e, text[s:e], error or "not resolved", rule))
    return dates_out, unresolved


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """The expression without a leading preposition ("on Thursday" → "Thursday") or trailing
    punctuation; spans keep their "since", "until", "from", "between"."""
    seg = text[s:e]
    if re.match(r"[Aa]t\s+(?:that|the)\s+time$", seg):
        return s, e  # "At that time" is the expression as a whole
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

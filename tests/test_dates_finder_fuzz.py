"""The date finder on any text and any reference date: it never raises, and what it reports is
well formed (each text is its slice of the input, bounds in order, spans not overlapping)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import dates
from timeline.dates.edtf import parse_edtf
from timeline.dates.finder import find_dates

WORDS = [
    "on", "in", "since", "until", "by", "from", "to", "between", "and", "the", "last", "next", "this",
    "a", "year", "ago", "earlier", "later", "following", "day", "week", "month", "quarter", "half",
    "third-quarter", "fiscal", "Monday", "Friday's", "Jan.", "Feb", "May", "December", "spring",
    "fall", "will", "said", "plans", "to", "leave", "was", "1998", "2099", "1000", "1990s", "mid-",
    "19th", "century", "3rd", "31", "29", "Feb.", "-", "–", ",", ".", "\n\n", "Christmas", "Easter",
    "that", "same", "two", "years", "the past", "three months", "year-earlier", "5/6/2003", "'60s",
    "early", "late", "end", "of", "week of", "current", "Thanksgiving", "12/31/9999", "0001-01-01",
    "first", "second-half", "fourth-quarter", "last year's", "year-end", "latest", "and 25", "1999-2000",
]  # fmt: skip
REFERENCES = [
    "0001-01-01",
    "1998-08-07",
    "9999-12-31",
    "2000-02-29",
    "late May 2024",
    "2023",
    "198X",
    "1990/..",
    None,
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.sampled_from(REFERENCES))
def test_the_finder_never_raises_and_reports_well_formed_dates(words, reference):
    text = " ".join(words)
    published = dates.parse(reference) if reference else None
    result = find_dates(text, published)
    spans = sorted([(d.start, d.end) for d in result.dates] + [(u.start, u.end) for u in result.unresolved])
    for (_s1, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert e1 <= s2
    for d in result.dates:
        assert text[d.start : d.end] == d.text
        assert d.value.earliest is not None or d.value.latest is not None
        # its EDTF reads back to its bounds
        again = parse_edtf(d.value.edtf)
        assert (again.earliest, again.latest) == (d.value.earliest, d.value.latest)
        if d.value.earliest and d.value.latest:
            assert d.value.earliest <= d.value.latest
    for u in result.unresolved:
        assert text[u.start : u.end] == u.text and u.reason


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_the_finder_never_raises_on_arbitrary_text(text):
    find_dates(text, dates.parse("1998-08-07"))

"""The date reader's fast paths give exactly what the general path gives (they only skip its cost)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.dates import DateParseError, parse
from timeline.dates.text import _ISO_CALENDAR, _cached_parse, _parse


def _outcome(read, text):
    try:
        return read(text)
    except DateParseError as exc:
        return ("error", str(exc))


def _general(text):
    return replace(_parse(text, None), text=text.strip())


def _fast(text):
    return _cached_parse.__wrapped__(text, None)  # the uncached function: no earlier answer reused


@settings(max_examples=500, deadline=None)
@given(st.from_regex(_ISO_CALENDAR, fullmatch=True))
def test_an_iso_calendar_date_reads_as_the_general_path_reads_it(text):
    assert _outcome(_fast, text) == _outcome(_general, text)


@pytest.mark.parametrize(
    "text",
    ["2022-02-24", "2022-02", "2022", "2024-02-29", "2023-02-29", "2022-13", "2022-00", "2022-21", "2022-24",
     "2022-41", "2022-42", "2022-02-00", "2022-02-30", "0000", "0001-01-01", "9999-12-31", "0099"],
)
def test_iso_edge_cases_read_as_the_general_path_reads_them(text):
    assert _ISO_CALENDAR.fullmatch(text)
    assert _outcome(_fast, text) == _outcome(_general, text)


@pytest.mark.parametrize("text", [" 2022-02-24", "2022-02-24 ", "24 February 2022", "c. 2022", "2022-02-24?"])
def test_text_outside_the_iso_shape_takes_the_general_path(text):
    assert not _ISO_CALENDAR.fullmatch(text)
    assert _outcome(_fast, text) == _outcome(_general, text)


def test_a_parse_keeps_the_stripped_text_it_was_given():
    assert parse(" 24 February 2022 ").text == "24 February 2022"
    assert parse("2022-02-24").text == "2022-02-24"

"""Relative phrases resolve against an anchor (a source's publication date, maybe imprecise)."""

from datetime import date

import pytest

from timeline.dates import DateParseError, Precision, parse

D = date.fromisoformat
SATURDAY_23_DEC_2023 = parse("23/12/2023 22h31")  # seed 002's publication date
LATE_MAY_EARLY_JUNE_2024 = parse("late May or early June 2024")  # seed 000's, imprecise


@pytest.mark.parametrize(
    ("text", "anchor", "earliest", "latest", "precision", "label"),
    [
        (
            "November last year",
            LATE_MAY_EARLY_JUNE_2024,
            "2023-11-01",
            "2023-11-30",
            "month",
            "November 2023",
        ),
        ("next March", SATURDAY_23_DEC_2023, "2024-03-01", "2024-03-31", "month", "March 2024"),
        ("last week", SATURDAY_23_DEC_2023, "2023-12-11", "2023-12-17", "week", "week of 11 December 2023"),
        ("on Saturday", SATURDAY_23_DEC_2023, "2023-12-23", "2023-12-23", "day", "23 December 2023"),
        ("earlier today", SATURDAY_23_DEC_2023, "2023-12-23", "2023-12-23", "day", "23 December 2023"),
        ("this year", LATE_MAY_EARLY_JUNE_2024, "2024-01-01", "2024-12-31", "year", "2024"),
        ("yesterday", SATURDAY_23_DEC_2023, "2023-12-22", "2023-12-22", "day", "22 December 2023"),
        ("last Monday", SATURDAY_23_DEC_2023, "2023-12-18", "2023-12-18", "day", "18 December 2023"),
        ("next Monday", SATURDAY_23_DEC_2023, "2023-12-25", "2023-12-25", "day", "25 December 2023"),
        ("last month", SATURDAY_23_DEC_2023, "2023-11-01", "2023-11-30", "month", "November 2023"),
        ("last year", SATURDAY_23_DEC_2023, "2022-01-01", "2022-12-31", "year", "2022"),
        ("two years ago", SATURDAY_23_DEC_2023, "2021-01-01", "2021-12-31", "year", "2021"),
        ("3 March", parse("7 March 2022"), "2022-03-03", "2022-03-03", "day", "3 March 2022"),
        ("in September", SATURDAY_23_DEC_2023, "2023-09-01", "2023-09-30", "month", "September 2023"),
        ("earlier this year", SATURDAY_23_DEC_2023, "2023-01-01", "2023-12-23", "year", "earlier in 2023"),
    ],
)
def test_relative_phrase_resolves_against_its_anchor(text, anchor, earliest, latest, precision, label):
    value = parse(text, anchor)
    assert (value.earliest, value.latest) == (D(earliest), D(latest))
    assert value.precision == Precision(precision)
    assert value.label == label


def test_an_imprecise_anchor_is_enough_when_both_ends_agree():
    # "November last year" is 2023-11 whether the article came out on 21 May or 10 June 2024.
    assert parse("November last year", LATE_MAY_EARLY_JUNE_2024).edtf == "2023-11"


@pytest.mark.parametrize(
    "text",
    ["November last year", "next March", "on Saturday", "last week", "earlier today", "this year", "3 March"],
)
def test_relative_phrase_without_anchor_is_an_error_not_a_guess(text):
    with pytest.raises(DateParseError, match="needs an anchor"):
        parse(text)


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("on Saturday", parse("2023-12")),  # a month has four Saturdays
        ("last week", LATE_MAY_EARLY_JUNE_2024),
        ("November last year", parse("2023-12-20/2024-01-10")),  # straddles a new year
        ("yesterday", parse("2023")),
    ],
)
def test_an_anchor_too_coarse_for_the_phrase_is_an_error(text, anchor):
    with pytest.raises(DateParseError, match="too coarse"):
        parse(text, anchor)


def test_an_open_ended_anchor_cannot_resolve_anything():
    with pytest.raises(DateParseError, match="open-ended"):
        parse("last year", parse("2023-07/.."))


def test_a_text_anchor_is_read_like_a_date_text():
    assert parse("next March", anchor="23 December 2023") == parse("next March", SATURDAY_23_DEC_2023)
    assert parse("next March", anchor="23 December 2023").label == "March 2024"


def test_a_text_anchor_that_is_not_a_date_is_an_error_naming_the_anchor():
    with pytest.raises(DateParseError, match="the anchor 'sometime soon' cannot be read"):
        parse("next March", anchor="sometime soon")


def test_a_relative_text_anchor_is_an_error_naming_the_anchor():
    with pytest.raises(DateParseError, match="the anchor 'yesterday' cannot be read.*needs an anchor"):
        parse("next March", anchor="yesterday")


@pytest.mark.parametrize("anchor", [date(2023, 12, 23), 20231223, ["2023-12-23"]])
def test_an_anchor_that_is_neither_a_fuzzy_date_nor_text_is_a_type_error(anchor):
    with pytest.raises(TypeError, match="the anchor must be a FuzzyDate or date text"):
        parse("next March", anchor=anchor)

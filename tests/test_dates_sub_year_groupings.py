"""EDTF sub-year groupings (codes 21–41): labels and precision say what the code means, no more."""

from datetime import date

import pytest

from timeline.dates import DateParseError, Precision, parse

D = date.fromisoformat

GROUPINGS = [
    # code, earliest, latest, precision, label (all of 2022)
    (21, "2022-03-01", "2022-05-31", "season", "spring 2022"),
    (22, "2022-06-01", "2022-08-31", "season", "summer 2022"),
    (23, "2022-09-01", "2022-11-30", "season", "autumn 2022"),
    (24, "2022-12-01", "2023-02-28", "season", "winter 2022"),
    (25, "2022-03-01", "2022-05-31", "season", "spring 2022 (Northern Hemisphere)"),
    (26, "2022-06-01", "2022-08-31", "season", "summer 2022 (Northern Hemisphere)"),
    (27, "2022-09-01", "2022-11-30", "season", "autumn 2022 (Northern Hemisphere)"),
    (28, "2022-12-01", "2023-02-28", "season", "winter 2022 (Northern Hemisphere)"),
    (29, "2022-09-01", "2022-11-30", "season", "spring 2022 (Southern Hemisphere)"),
    (30, "2022-12-01", "2023-02-28", "season", "summer 2022 (Southern Hemisphere)"),
    (31, "2022-03-01", "2022-05-31", "season", "autumn 2022 (Southern Hemisphere)"),
    (32, "2022-06-01", "2022-08-31", "season", "winter 2022 (Southern Hemisphere)"),
    (33, "2022-01-01", "2022-03-31", "season", "first quarter of 2022"),
    (34, "2022-04-01", "2022-06-30", "season", "second quarter of 2022"),
    (35, "2022-07-01", "2022-09-30", "season", "third quarter of 2022"),
    (36, "2022-10-01", "2022-12-31", "season", "fourth quarter of 2022"),
    (37, "2022-01-01", "2022-04-30", "year", "January–April 2022"),
    (38, "2022-05-01", "2022-08-31", "year", "May–August 2022"),
    (39, "2022-09-01", "2022-12-31", "year", "September–December 2022"),
    (40, "2022-01-01", "2022-06-30", "year", "first half of 2022"),
    (41, "2022-07-01", "2022-12-31", "year", "second half of 2022"),
]


def test_every_code_from_21_to_41_is_covered():
    assert [g[0] for g in GROUPINGS] == list(range(21, 42))


@pytest.mark.parametrize(
    ("code", "earliest", "latest", "precision", "label"), GROUPINGS, ids=[str(g[0]) for g in GROUPINGS]
)
def test_sub_year_grouping_has_its_months_an_honest_label_and_precision(
    code, earliest, latest, precision, label
):
    value = parse(f"2022-{code}")
    assert (value.earliest, value.latest) == (D(earliest), D(latest))
    assert value.precision == Precision(precision)
    assert value.label == label
    assert value.edtf == f"2022-{code}"


@pytest.mark.parametrize("code", range(21, 42))
def test_sub_year_grouping_precision_is_never_finer_than_its_length(code):
    value = parse(f"2022-{code}")
    months = (value.latest.year - value.earliest.year) * 12 + value.latest.month - value.earliest.month + 1
    assert value.precision is not Precision.MONTH
    assert value.precision is (Precision.SEASON if months <= 3 else Precision.YEAR)


def test_a_range_of_quarters_shares_its_year_in_the_label():
    assert parse("between 2022-33 and 2022-35").label == "first–third quarter of 2022"


def test_a_quarter_outside_the_storable_years_still_has_bounds():
    from timeline.dates import edtf_bounds

    assert edtf_bounds("-0500-33") == ("-0500-01-01", "-0500-03-31")
    assert edtf_bounds("-0500-28") == ("-0500-12-01", "-0499-02-28")


@pytest.mark.parametrize("code", [24, 28, 30])
def test_a_grouping_running_into_year_10000_is_refused(code):
    with pytest.raises(DateParseError, match="outside the supported range"):
        parse(f"9999-{code}")


@pytest.mark.parametrize("text", ["2022-33~", "2022-40?", "2022-33/2022-36", "2022-25/.."])
def test_a_level_2_grouping_qualified_or_in_an_interval_stays_refused_as_python_edtf_does(text):
    with pytest.raises(DateParseError, match="not a valid EDTF date"):
        parse(text)


@pytest.mark.parametrize("text", ["late 2022-38", "early 2022-40", "early 2022/2023"])
def test_early_or_late_of_part_of_a_year_or_several_years_is_refused_not_moved_outside_it(text):
    # The thirds of a whole year would put "late May–August 2022" in September–December.
    with pytest.raises(DateParseError, match="one whole month, year or decade"):
        parse(text)

"""English date text: each phrase the foundation issue lists, with bounds, precision and label."""

from datetime import date

import pytest

from timeline.dates import DateParseError, Precision, parse

D = date.fromisoformat

CASES = [
    # text, earliest, latest, precision, edtf, label
    ("2022-02-24", "2022-02-24", "2022-02-24", "day", "2022-02-24", "24 February 2022"),
    ("2022-09", "2022-09-01", "2022-09-30", "month", "2022-09", "September 2022"),
    ("2022", "2022-01-01", "2022-12-31", "year", "2022", "2022"),
    ("2022-09~", "2022-09-01", "2022-09-30", "month", "2022-09~", "c. September 2022"),
    ("2023-11?", "2023-11-01", "2023-11-30", "month", "2023-11?", "November 2023?"),
    ("2022-XX", "2022-01-01", "2022-12-31", "year", "2022-XX", "2022"),
    ("2022-21", "2022-03-01", "2022-05-31", "season", "2022-21", "spring 2022"),
    ("2024-06-15/2024-06-16", "2024-06-15", "2024-06-16", "day", "2024-06-15/2024-06-16", "15–16 June 2024"),
    ("February 24, 2022", "2022-02-24", "2022-02-24", "day", "2022-02-24", "24 February 2022"),
    ("September 2022", "2022-09-01", "2022-09-30", "month", "2022-09", "September 2022"),
    ("15–16 June 2024", "2024-06-15", "2024-06-16", "day", "2024-06-15/2024-06-16", "15–16 June 2024"),
    ("June 15-16, 2024", "2024-06-15", "2024-06-16", "day", "2024-06-15/2024-06-16", "15–16 June 2024"),
    ("mid-July 2023", "2023-07-11", "2023-07-20", "month", "2023-07-11~/2023-07-20~", "mid-July 2023"),
    ("early 2022", "2022-01-01", "2022-04-30", "year", "2022-01~/2022-04~", "early 2022"),
    ("late 2023", "2023-09-01", "2023-12-31", "year", "2023-09~/2023-12~", "late 2023"),
    ("summer 2023", "2023-06-01", "2023-08-31", "season", "2023-22", "summer 2023"),
    ("winter 2022", "2022-12-01", "2023-02-28", "season", "2022-24", "winter 2022"),
    (
        "the week of 9 May 2022",
        "2022-05-09",
        "2022-05-15",
        "week",
        "2022-05-09/2022-05-15",
        "week of 9 May 2022",
    ),
    ("the 2020s", "2020-01-01", "2029-12-31", "decade", "202X", "2020s"),
    ("the early 2020s", "2020-01-01", "2023-12-31", "decade", "2020~/2023~", "early 2020s"),
    ("c. 2022", "2022-01-01", "2022-12-31", "year", "2022~", "c. 2022"),
    ("probably 2023", "2023-01-01", "2023-12-31", "year", "2023?", "2023?"),
    ("in 2022", "2022-01-01", "2022-12-31", "year", "2022", "2022"),
    ("as of November 2023", "2023-11-01", "2023-11-30", "month", "2023-11", "November 2023"),
    (
        "24 February – 1 March 2022",
        "2022-02-24",
        "2022-03-01",
        "day",
        "2022-02-24/2022-03-01",
        "24 February – 1 March 2022",
    ),
    ("February–March 2022", "2022-02-01", "2022-03-31", "month", "2022-02/2022-03", "February–March 2022"),
    ("between 2020 and 2022", "2020-01-01", "2022-12-31", "year", "2020/2022", "2020 – 2022"),
    (
        "late May or early June 2024",
        "2024-05-21",
        "2024-06-10",
        "month",
        "2024-05-21%/2024-06-10%",
        "late May – early June 2024?",
    ),
    ("Saturday, December 23, 2023", "2023-12-23", "2023-12-23", "day", "2023-12-23", "23 December 2023"),
    ("23/12/2023 22h31", "2023-12-23", "2023-12-23", "day", "2023-12-23", "23 December 2023"),
    ("Feb. 24th, 2022", "2022-02-24", "2022-02-24", "day", "2022-02-24", "24 February 2022"),
    (
        "c. 21 May – c. 10 June 2024",
        "2024-05-21",
        "2024-06-10",
        "day",
        "2024-05-21~/2024-06-10~",
        "c. 21 May – c. 10 June 2024",
    ),
    (
        "[2024-05-21..2024-06-10]",
        "2024-05-21",
        "2024-06-10",
        "day",
        "[2024-05-21..2024-06-10]",
        "21 May – 10 June 2024",
    ),
    ("2022-02-24T10:00:00Z", "2022-02-24", "2022-02-24", "day", "2022-02-24T10:00:00Z", "24 February 2022"),
]


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision", "edtf", "label"), CASES, ids=[c[0] for c in CASES]
)
def test_phrase_gives_bounds_precision_edtf_and_label(text, earliest, latest, precision, edtf, label):
    value = parse(text)
    assert (value.earliest, value.latest) == (D(earliest), D(latest))
    assert value.precision == Precision(precision)
    assert value.edtf == edtf
    assert value.label == label
    assert value.text == text


def test_a_month_is_never_its_first_day():
    september = parse("September 2022")
    assert september.earliest != september.latest
    assert not september.is_day


def test_approximate_and_uncertain_flags_follow_the_words():
    assert parse("c. 2022").approximate and not parse("c. 2022").uncertain
    assert parse("probably 2023").uncertain and not parse("probably 2023").approximate
    both = parse("late May or early June 2024")
    assert both.approximate and both.uncertain


def test_dates_do_not_depend_on_today(monkeypatch):
    # dateparser fills a missing day or year from today's date; our answers must not move.
    import timeline.dates.text as text_module

    first = parse("Feb. 24th, 2022")
    text_module.parse.cache_clear()
    assert parse("Feb. 24th, 2022") == first
    with pytest.raises(DateParseError):
        parse("February 24")  # no year and no anchor: an error, not this year


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Septembr 2022", "could not understand 'Septembr 2022'"),
        ("2023-02-30", "has no day 30"),
        ("2022-13", "month 13 does not exist"),
        ("", "empty"),
        ("120 days", "could not understand"),
        ("[12]", r"\[12\]"),
        ("16–15 June 2024", "before the start"),
        ("10 and 14 March 2022", "could not understand"),  # two dates, not a range: the extractor splits them
        ("2024/2022", "ends before it starts"),
        ("05/06/2024", "ambiguous"),
        ("x" * 300, "at most 200 characters"),
        ("X-17 4170", "could not understand 'X-17 4170'"),  # EDTF-shaped but spaced: not EDTF
        ("talks collapsed 2022", "could not understand"),  # a year among words that date nothing
    ],
)
def test_text_that_is_not_a_date_raises_a_value_error_naming_it(text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_an_edtf_set_may_hold_spaces_and_is_labelled_by_its_years():
    found = parse("[1667, 1668, 1670..1672]")
    assert (found.earliest, found.latest, found.label) == (date(1667, 1, 1), date(1672, 12, 31), "1667–1672")
    assert parse("{1960, 1961-12}").label == "1960–1961"


def test_a_date_outside_the_storable_years_is_refused_clearly():
    with pytest.raises(DateParseError, match="outside the supported range"):
        parse("Y17E7")


def test_an_interval_open_at_the_start_keeps_its_end_precision_and_says_until():
    value = parse("../2023")
    assert (value.earliest, value.latest) == (None, date(2023, 12, 31))
    assert value.precision == Precision.YEAR
    assert value.label == "until 2023"
    assert value.edtf == "../2023"


def test_an_interval_open_at_the_end_keeps_its_start_precision_and_says_from():
    value = parse("2023-09/..")
    assert (value.earliest, value.latest) == (date(2023, 9, 1), None)
    assert value.precision == Precision.MONTH
    assert value.label == "from September 2023"

"""timeline.dates.finder: every date expression in running text, with an honest value.

Every phrase here is written for these tests (none comes from an evaluation set). The reference
date is Wednesday 14 June 2023 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date

import pytest

from timeline import dates
from timeline.dates.finder import find_dates

WEDNESDAY = dates.parse("2023-06-14")


def found(text: str, published=WEDNESDAY):
    return find_dates(text, published)


def only(text: str, published=WEDNESDAY):
    """The one date found in ``text``, as (text, earliest, latest)."""
    result = found(text, published)
    assert not result.unresolved, result.unresolved
    (d,) = result.dates
    return d.text, d.value.earliest, d.value.latest


def day(iso: str) -> date:
    return date.fromisoformat(iso)


# --- offsets -------------------------------------------------------------------------------------


def test_every_date_expression_is_found_not_one_per_sentence_and_offsets_slice_the_text():
    text = "The envoy arrived Monday, met the minister on June 9 and left Aug. 2, 1999."
    result = found(text)
    assert [d.text for d in result.dates] == ["Monday", "June 9", "Aug. 2, 1999"]
    assert all(text[d.start : d.end] == d.text for d in result.dates)


def test_the_json_of_a_date_has_iso_days_and_its_qualifiers():
    (d,) = found("Sales fell in fiscal 2004.").dates
    js = d.as_json()
    assert (js["earliest"], js["latest"], js["precision"]) == ("2004-01-01", "2004-12-31", "year")
    assert js["approximate"] and js["uncertain"] and js["edtf"].endswith("%")
    assert set(js) == {
        "text",
        "start",
        "end",
        "earliest",
        "latest",
        "precision",
        "approximate",
        "uncertain",
        "edtf",
        "label",
    }


# --- anchoring by tense and context ----------------------------------------------------------------


def test_a_weekday_after_a_plan_is_the_coming_one():
    assert only("She plans to leave on Thursday.")[1] == day("2023-06-15")


def test_a_weekday_in_the_past_tense_is_the_past_one():
    assert only("She left on Thursday.")[1] == day("2023-06-08")


def test_a_weekday_after_will_is_the_next_one_even_days_ahead():
    assert only("The court will rule Monday.")[1] == day("2023-06-19")


def test_a_fronted_weekday_takes_the_tense_of_its_main_clause():
    assert only("On Tuesday, the two leaders signed the accord.")[1] == day("2023-06-13")


def test_a_weekdays_possessive_names_a_past_event():
    assert only("Lawyers said they would appeal Friday's ruling.")[1] == day("2023-06-09")


def test_a_month_and_day_without_a_year_in_the_past_tense_is_the_last_one():
    # 23 October is after the reference date: in a past-tense report it is last year's
    assert only("Police still have no suspect in the Oct. 23 shooting, which killed two.")[1] == day(
        "2022-10-23"
    )


def test_a_month_and_day_without_a_year_in_the_future_tense_is_the_next_one():
    published = dates.parse("2023-11-20")
    assert only("The rebuilt bridge will open on March 3.", published)[1] == day("2024-03-03")


def test_a_deadline_a_few_days_ahead_stays_in_the_publication_year_in_a_past_tense_sentence():
    published = dates.parse("2024-01-05")
    assert only("The ministry gave no reason for the Jan. 14 deadline.", published)[1] == day("2024-01-14")


def test_a_month_without_a_year_follows_the_tense():
    assert only("He is expected to join the board in April.")[1:] == (day("2024-04-01"), day("2024-04-30"))
    assert only("He joined the board in April.")[1:] == (day("2023-04-01"), day("2023-04-30"))


def test_a_month_takes_the_year_named_earlier_in_its_sentence_not_the_publications():
    result = found("In 2019 the mill closed in March.")
    assert [(d.text, d.value.earliest) for d in result.dates] == [
        ("2019", day("2019-01-01")),
        ("March", day("2019-03-01")),
    ]


def test_the_following_weekday_counts_from_the_date_the_narrative_stands_at():
    result = found("The panel met on May 2, 2021. The following Tuesday it published its report.")
    assert [d.value.earliest for d in result.dates] == [day("2021-05-02"), day("2021-05-04")]


def test_the_next_day_counts_from_the_narrative_date_and_is_unresolved_without_one():
    assert [
        d.value.earliest for d in found("On May 2, 2021 the court met. The next day it adjourned.").dates
    ] == [
        day("2021-05-02"),
        day("2021-05-03"),
    ]
    result = found("The next day it adjourned.")
    assert not result.dates and [u.text for u in result.unresolved] == ["The next day"]


def test_an_ordinal_day_is_a_day_of_the_current_month():
    assert only("The hearing was held on the 3rd.")[1] == day("2023-06-03")
    assert only("The vote is set for the 21st.")[1] == day("2023-06-21")


# --- quarters, halves, fiscal years ------------------------------------------------------------


def test_a_quarter_in_a_report_is_the_latest_that_has_begun():
    published = dates.parse("2023-10-26")
    assert only("The carmaker posted a third-quarter loss.", published)[1:] == (
        day("2023-07-01"),
        day("2023-09-30"),
    )
    # in June the third quarter has not begun: a report of its results is last year's
    assert only("The carmaker posted a third-quarter loss.")[1:] == (day("2022-07-01"), day("2022-09-30"))


def test_a_quarter_or_half_of_a_named_year():
    assert only("Output dropped in the fourth quarter of 2001.")[1:] == (day("2001-10-01"), day("2001-12-31"))
    assert only("Prices rose in the second half of 2010.")[1:] == (day("2010-07-01"), day("2010-12-31"))


def test_the_first_half_without_a_year_is_the_current_one_once_begun():
    assert only("Profits rose in the first half.")[1:] == (day("2023-01-01"), day("2023-06-30"))


def test_a_fiscal_year_whose_start_is_unknown_is_its_calendar_year_flagged():
    (d,) = found("The agency spent more in fiscal 1989.").dates
    assert (d.value.earliest, d.value.latest) == (day("1989-01-01"), day("1989-12-31"))
    assert d.value.approximate and d.value.uncertain


# --- relative references -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Sales were higher a year earlier.", ("2022-01-01", "2022-12-31")),
        ("He moved to Lyon a year ago.", ("2022-01-01", "2022-12-31")),
        ("Revenue fell below the year-earlier level.", ("2022-01-01", "2022-12-31")),
        ("The plant closed last fall.", ("2022-09-01", "2022-11-30")),
        ("The mayor resigned earlier this month.", ("2023-06-01", "2023-06-30")),
        ("Prices rose over the past three months.", ("2023-03-14", "2023-06-14")),
        ("The museum reopened last month.", ("2023-05-01", "2023-05-31")),
    ],
)
def test_relative_references_name_their_interval(sentence, expected):
    assert only(sentence)[1:] == tuple(map(day, expected))


def test_a_year_earlier_after_a_quarter_is_that_quarter_a_year_before():
    result = found("Profit rose in the third quarter of 2005 from a year earlier.")
    assert (result.dates[-1].value.earliest, result.dates[-1].value.latest) == (
        day("2004-07-01"),
        day("2004-09-30"),
    )


def test_two_years_ago_is_approximate():
    (d,) = found("The plant opened two years ago.").dates
    assert (d.value.earliest, d.value.approximate) == (day("2021-01-01"), True)


def test_relative_expressions_without_a_publication_date_are_unresolved_with_a_reason():
    result = found("The plant closed last fall and reopened on Thursday.", None)
    assert not result.dates
    assert [u.text for u in result.unresolved] == ["last fall", "Thursday"]
    assert all("publication date" in u.reason for u in result.unresolved)


# --- spans ---------------------------------------------------------------------------------------


def test_since_opens_the_end():
    assert only("The firm has grown since 1990.") == ("since 1990", day("1990-01-01"), None)


@pytest.mark.parametrize("word", ["until", "by"])
def test_until_and_by_open_the_start(word):
    published = dates.parse("2000-01-06")
    assert only(f"The boy must be returned {word} Jan. 14.", published) == (
        f"{word} Jan. 14",
        None,
        day("2000-01-14"),
    )


def test_not_until_is_a_point_not_a_span():
    published = dates.parse("2023-06-14")
    assert only("It was not until Tuesday that he spoke.", published)[1:] == (
        day("2023-06-13"),
        day("2023-06-13"),
    )


def test_from_to_and_between_and_are_one_span():
    assert only("The fair ran from March 3 to March 9, 2001.")[1:] == (day("2001-03-03"), day("2001-03-09"))
    assert only("Crime fell between 1994 and 1997.") == (
        "between 1994 and 1997",
        day("1994-01-01"),
        day("1997-12-31"),
    )
    assert only("The fair ran Aug. 7-9, 2001.")[1:] == (day("2001-08-07"), day("2001-08-09"))


# --- years, decades, centuries ---------------------------------------------------------------------


def test_a_year_used_as_a_modifier_is_a_date():
    assert only("The 1996 Olympic bombing still haunts the city.") == (
        "1996",
        day("1996-01-01"),
        day("1996-12-31"),
    )


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Rents soared in the 1980s.", ("1980-01-01", "1989-12-31")),
        ("The mid-1990s were calm.", ("1990-01-01", "1999-12-31")),  # no finer than the text
        ("The chapel dates to the 19th century.", ("1800-01-01", "1899-12-31")),
        ("The vote was held in early December 2004.", ("2004-12-01", "2004-12-31")),
    ],
)
def test_decades_centuries_and_parts_are_their_whole_unit(sentence, expected):
    assert only(sentence)[1:] == tuple(map(day, expected))


# --- what is not a date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The drought lasted three years.",
        "He stayed for 10 days.",
        "The council meets every Monday.",
        "Shops close on Sundays.",
        "The meeting starts at 10:30 a.m.",
        "The bank sold 2000 shares.",
        "Soldiers may leave the base.",
        "April Glaspie met the president.",
        "It was a Friday like any other.",
        "Flight 1998 landed safely.",
        "Nearly 2000 people marched.",
    ],
)
def test_durations_sets_times_numbers_verbs_and_names_are_not_dates(sentence):
    result = found(sentence)
    assert result.dates == [] and result.unresolved == []


def test_a_month_name_needs_a_cue_but_may_takes_more_than_the():
    assert only("Talks resume in May.")[1] == day("2023-05-01")
    assert found("They may resume. May I ask?").dates == []


def test_an_ambiguous_numeric_date_is_unresolved_not_guessed():
    result = found("The order dated 5/6/2003 was void.")
    assert not result.dates and "month" in result.unresolved[0].reason


# --- reporting periods relative to the publication ---------------------------------------------

OCTOBER = dates.parse("2011-10-26")


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Orders grew in the current quarter.", ("2011-10-01", "2011-12-31")),
        ("Margins narrowed last quarter.", ("2011-07-01", "2011-09-30")),
        ("The lender expects a recovery next quarter.", ("2012-01-01", "2012-03-31")),
        ("Third-quarter sales rose from a year ago.", ("2010-07-01", "2010-09-30")),
        ("Revenue in the third quarter beat the year-earlier quarter.", ("2010-07-01", "2010-09-30")),
        ("The mill will shut by the end of the year.", (None, "2011-12-31")),
        ("Talks resume at the beginning of next year.", ("2012-01-01", "2012-12-31")),
    ],
)
def test_reporting_periods_relative_to_the_publication(sentence, expected):
    last = found(sentence, OCTOBER).dates[-1]
    assert (last.value.earliest, last.value.latest) == tuple(day(x) if x else None for x in expected)


def test_in_the_last_quarter_is_not_guessed():
    assert found("Output dipped in the last quarter.", OCTOBER).dates == []


def test_a_narrative_date_reaches_the_next_paragraph_but_no_further():
    text = "The court sat on May 2, 2021.\n\nThe next day it ruled.\n\nOne more.\n\nThe next day it rested."
    result = found(text)
    assert [d.value.earliest for d in result.dates] == [day("2021-05-02"), day("2021-05-03")]
    assert [u.text for u in result.unresolved] == ["The next day"]


def test_the_quarter_is_the_quarter_just_named_and_nothing_without_one():
    text = "Acme posted third-quarter net of $5 million. In the quarter, sales rose."
    assert [(d.text, d.value.earliest) for d in found(text, OCTOBER).dates] == [
        ("third-quarter", day("2011-07-01")),
        ("the quarter", day("2011-07-01")),
    ]
    assert found("In the quarter, sales rose.", OCTOBER).dates == []


def test_a_scheduled_present_points_forward():
    published = dates.parse("1998-07-22")
    assert found("The law, passed in 1996, takes effect Jan. 1.", published).dates[-1].value.earliest == day(
        "1999-01-01"
    )


@pytest.mark.parametrize(
    "sentence",
    ["He lives at 1600 Pennsylvania Avenue.", "The Good Friday agreement held.", "Call 555-1998 today."],
)
def test_addresses_named_accords_and_phone_numbers_give_no_date(sentence):
    assert all(d.text not in ("1600", "Good Friday", "1998") for d in found(sentence).dates)


def test_later_that_year_is_the_year_of_the_date_just_read():
    result = found("He fled in June 1998 and returned later that year.")
    assert [(d.text, d.value.earliest, d.value.latest) for d in result.dates][-1] == (
        "later that year",
        day("1998-01-01"),
        day("1998-12-31"),
    )


@pytest.mark.parametrize(
    "sentence", ["The bank runs Windows 2000 on every desk.", "Tickets for Euro 2000 sold out."]
)
def test_a_year_after_a_name_is_part_of_the_name(sentence):
    assert found(sentence).dates == []


def test_a_year_that_opens_a_sentence_is_a_year():
    assert only("1998 was a hard year for the port.")[1] == day("1998-01-01")


def test_a_run_of_years_is_one_span_and_a_possessive_year_is_a_year():
    assert only("He chaired the board 1999-2000.")[1:] == (day("1999-01-01"), day("2000-12-31"))
    assert only("The 1998-99 season ended.")[1:] == (day("1998-01-01"), day("1999-12-31"))
    assert found("1998's harvest was poor.").dates[0].text == "1998"


def test_a_year_earlier_shifts_the_quarter_not_the_day_that_ends_it():
    text = "Profit for the third quarter ended Sept. 30 fell from a year earlier."
    last = found(text, OCTOBER).dates[-1]
    assert (last.text, last.value.earliest, last.value.latest) == (
        "a year earlier",
        day("2010-07-01"),
        day("2010-09-30"),
    )


def test_later_in_the_month_is_the_month_last_named_that_fits():
    text = "The premier will visit Peru in April, his first trip since 1984, and Chile later in the month."
    last = found(text).dates[-1]
    assert (last.text, last.value.earliest, last.value.latest) == (
        "later in the month",
        day("2024-04-01"),
        day("2024-04-30"),
    )


def test_quarters_named_by_year_words_and_fiscal_periods():
    assert only("Profit in last year's third quarter was higher.", OCTOBER)[1:] == (
        day("2010-07-01"),
        day("2010-09-30"),
    )
    assert only("In the latest quarter, sales rose.", OCTOBER)[1:] == (day("2011-07-01"), day("2011-09-30"))
    (d,) = found("Sales will rise in the current fiscal year.", OCTOBER).dates
    assert (d.value.earliest, d.value.uncertain, d.value.approximate) == (day("2011-01-01"), True, True)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Investors were cautious ahead of Thursday's vote.", "2023-06-15"),
        ("Voters will decide in Thursday's runoff.", "2023-06-15"),
        ("Police said the man, who was arrested Friday, will appear in court.", "2023-06-09"),
        ("The company said Tuesday it would cut 500 jobs.", "2023-06-13"),
    ],
)
def test_a_weekday_takes_the_tense_of_its_own_clause(sentence, expected):
    assert found(sentence).dates[0].value.earliest == day(expected)


def test_a_second_day_after_and_takes_the_first_days_month_and_year():
    published = dates.parse("1999-02-10")
    result = found("The summit will be held on April 24 and 25.", published)
    assert [(d.text, d.value.earliest) for d in result.dates] == [
        ("April 24", day("1999-04-24")),
        ("25", day("1999-04-25")),
    ]
    assert found("Talks began on March 3 and 25 people died.", published).dates[-1].text == "March 3"
    assert only("Between May 2 and 5, it rained.", published)[1:] == (day("1999-05-02"), day("1999-05-05"))


def test_a_month_before_a_capitalised_word_is_a_month_after_a_preposition_and_a_name_otherwise():
    assert only("In March President Lee signed the bill.")[1] == day("2023-03-01")
    assert found("He met April Glaspie and June Carter.").dates == []


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Two men were killed, according to police on Monday.", "2023-06-12"),
        ("He went to work on Monday.", "2023-06-12"),
        ("They agreed to meet Friday.", "2023-06-16"),
    ],
)
def test_to_is_an_infinitive_only_before_a_verb(sentence, expected):
    assert found(sentence).dates[0].value.earliest == day(expected)


@pytest.mark.parametrize(
    "sentence",
    [
        "The fiscal first quarter was weak.",
        "Sales fell in fiscal 1989.",
        "Sales will rise in the current fiscal year.",
        "The plant opened two years ago.",
        "Prices rose over the past three months.",
        "The firm has grown since 1990.",
        "Rents soared in the 1980s.",
        "The chapel dates to the 19th century.",
        "Output has risen since the second half of 1998.",
        "Sales rose from the first quarter of 1998 to the third quarter of 1999.",
    ],
)
def test_every_dates_edtf_reads_back_to_its_bounds(sentence):
    from timeline.dates.edtf import parse_edtf

    for d in found(sentence).dates:
        again = parse_edtf(d.value.edtf)
        assert (again.earliest, again.latest) == (d.value.earliest, d.value.latest)

"""timeline.dates.finder: written forms of days, ranges and approximations it reads.

Every phrase is written for these tests. The reference date is Wednesday 14 June 2023 unless a test
says otherwise.
"""

from __future__ import annotations

from datetime import date

import pytest

from timeline import dates
from timeline.dates.finder import find_dates

WEDNESDAY = dates.parse("2023-06-14")


def values(text: str, published=WEDNESDAY) -> list[tuple[str, str | None, str | None]]:
    return [
        (
            d.text,
            d.value.earliest.isoformat() if d.value.earliest else None,
            d.value.latest.isoformat() if d.value.latest else None,
        )
        for d in find_dates(text, published).dates
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The fair runs 3–5 May 2021 in Graz.", ("3–5 May 2021", "2021-05-03", "2021-05-05")),
        ("The fair ran from 3 to 5 May.", ("3 to 5 May", "2023-05-03", "2023-05-05")),
        ("The fair ran May 3 to 5, 2021.", ("May 3 to 5, 2021", "2021-05-03", "2021-05-05")),
        ("From May to July 2021, the fair ran.", ("From May to July 2021", "2021-05-01", "2021-07-31")),
        (
            "Talks are set for 28 February – 2 March 2021.",
            ("28 February – 2 March 2021", "2021-02-28", "2021-03-02"),
        ),
    ],
)
def test_a_range_of_days_is_one_span(text, expected):
    assert values(text) == [expected]


def test_the_end_of_a_range_gives_its_year_to_the_start_even_when_the_clause_looks_ahead():
    # "is planned for" points forward, which alone would take the next 28 February
    (v,) = values("The congress is planned for 28 February – 2 March 2021.")
    assert v[1:] == ("2021-02-28", "2021-03-02")


def test_two_days_joined_by_and_are_two_dates_with_the_month_and_year_they_share():
    assert values("The jury sat on 6 and 9 April 2021.") == [
        ("6", "2021-04-06", "2021-04-06"),
        ("9 April 2021", "2021-04-09", "2021-04-09"),
    ]
    assert values("The jury sat on April 6 and 9, 2021.") == [
        ("April 6", "2021-04-06", "2021-04-06"),
        ("9, 2021", "2021-04-09", "2021-04-09"),
    ]


def test_an_iso_timestamp_is_its_day_and_a_dotted_date_is_day_first():
    assert values("Filed 2021-04-06T09:30:00Z by the clerk.")[0][1:] == ("2021-04-06", "2021-04-06")
    assert values("Filed on 23.04.2021 by the clerk.") == [("23.04.2021", "2021-04-23", "2021-04-23")]


def test_a_dotted_date_both_of_whose_numbers_could_be_the_month_is_unresolved():
    result = find_dates("Filed on 04.06.2021 by the clerk.", WEDNESDAY)
    assert result.dates == []
    (u,) = result.unresolved
    assert "ambiguous" in u.reason


def test_around_or_circa_before_a_date_makes_it_approximate():
    for text, written in [
        ("Around 2011, the mill closed.", "Around 2011"),
        ("The mill closed c. 2011.", "c. 2011"),
        ("The mill closed in about 2011.", "about 2011"),
        ("The mill closed circa March 2011.", "circa March 2011"),
    ]:
        (d,) = find_dates(text, WEDNESDAY).dates
        assert d.text == written
        assert d.value.approximate
    (d,) = find_dates("They argued about 2011 for hours.", WEDNESDAY).dates
    assert not d.value.approximate


def test_one_date_or_another_is_one_uncertain_interval():
    (d,) = find_dates("The mill closed in late May or early June 2011.", WEDNESDAY).dates
    assert (d.text, d.value.earliest, d.value.latest) == (
        "late May or early June 2011",
        date(2011, 5, 1),
        date(2011, 6, 30),
    )
    assert d.value.uncertain


def test_a_part_before_last_year_is_kept_in_the_expression():
    assert values("Late last year, the mill closed.") == [("Late last year", "2022-01-01", "2022-12-31")]


def test_a_count_later_opening_a_sentence_is_counted_from_the_narrative_date():
    text = "The mill closed on 2 May 2011. A week later, it reopened."
    # a week later: the week it falls in, not a day the text does not name
    assert values(text)[-1] == ("A week later", "2011-05-09", "2011-05-15")


def test_at_that_time_is_the_date_read_last():
    text = "In March 2011 the mill closed. At that time, nobody protested."
    assert values(text)[-1] == ("At that time", "2011-03-01", "2011-03-31")
    (u,) = find_dates("At that time, nobody protested.", WEDNESDAY).unresolved
    assert "no date precedes it" in u.reason


def test_over_the_next_year_is_a_duration_not_a_date():
    result = find_dates("The mill closed on 2 May 2011. Over the next year, it was sold.", WEDNESDAY)
    assert [d.text for d in result.dates] == ["2 May 2011"]
    assert result.unresolved == []


def test_a_date_read_from_the_text_alone_is_not_marked_anchored_one_read_against_the_reference_is():
    a, b = find_dates("The mill closed on 2 May 2011 and reopened on Friday.", WEDNESDAY).dates
    assert (a.anchored, b.anchored) == (False, True)

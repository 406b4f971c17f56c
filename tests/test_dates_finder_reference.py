"""timeline.dates.finder: the reference an expression is read against, and what it counts from.

A wire dateline's day, a verb that moves something later ("postponed until"), "the day before"
counted from a day the text names, and the phrases that only look like one. Every phrase is
written for these tests. The reference date is Wednesday 14 June 2023 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date

from timeline import dates
from timeline.dates.finder import find_dates

WEDNESDAY = dates.parse("2023-06-14")


def values(text: str, published=WEDNESDAY) -> list[tuple[str, date | None, date | None]]:
    return [(d.text, d.value.earliest, d.value.latest) for d in find_dates(text, published).dates]


def day(iso: str) -> date:
    return date.fromisoformat(iso)


def test_a_wire_dateline_s_day_is_the_reference_when_the_paper_comes_out_a_day_later():
    saturday = dates.parse("2023-06-17")
    # the dateline is Friday 16 June: "today" is that day, and the Friday of a clause that looks
    # ahead is that day too, not the one a week after the publication
    text = "OSLO, June 16 (Reuters) -- The council voted today to close the port."
    assert values(text, saturday)[-1] == ("today", day("2023-06-16"), day("2023-06-16"))
    text = "OSLO, June 16 (Reuters) -- The ministers will sign the treaty on Friday."
    assert values(text, saturday)[-1] == ("Friday", day("2023-06-16"), day("2023-06-16"))


def test_a_dateline_far_from_the_publication_date_is_not_taken_as_the_reference():
    text = "OSLO, March 2 (Reuters) -- The council voted on Tuesday to close the port."
    assert values(text)[-1] == ("Tuesday", day("2023-06-13"), day("2023-06-13"))
    # the reference stays the publication (Wednesday 14 June): its past Tuesday is the 13th
    text = "OSLO, June 12 (Reuters) -- The council said on Monday it would vote."
    assert values(text)[-1] == ("Monday", day("2023-06-12"), day("2023-06-12"))


def test_postponed_until_a_weekday_is_the_coming_one_though_the_verb_is_past():
    (v,) = values("The regulator postponed until Friday any ruling on the merger.")
    assert v == ("until Friday", None, day("2023-06-16"))
    (v,) = values("The judge adjourned the hearing until Monday.")
    assert v == ("until Monday", None, day("2023-06-19"))


def test_until_a_weekday_after_a_past_tense_without_a_delay_is_still_the_past_one():
    (v,) = values("Until Monday, the police had named no suspect.")
    assert v == ("Until Monday", None, day("2023-06-12"))


def test_the_day_before_a_named_day_is_counted_from_that_day():
    (v,) = values("The day before last Friday's vote, the mayor resigned.")
    assert v == ("The day before last Friday", day("2023-06-08"), day("2023-06-08"))
    (v,) = values("Shops reopened the day after Christmas, 2022.")
    assert v[1:] == (day("2022-12-26"), day("2022-12-26"))


def test_the_day_before_an_event_or_a_clause_is_not_a_date():
    assert values("He toured the plant later in the day before flying home.") == []
    text = "She was last heard from on May 2, the day before officials opened an inquiry."
    assert values(text) == [("May 2", day("2023-05-02"), day("2023-05-02"))]


def test_the_day_before_standing_alone_counts_back_from_the_narrative_date():
    text = "The strike began on May 2. Talks had collapsed the day before, officials said."
    assert values(text)[-1] == ("the day before", day("2023-05-01"), day("2023-05-01"))


def test_a_possessive_next_week_after_in_is_a_date_not_a_duration():
    (v,) = values("Nobody working in next week's runoff would comment.")
    assert v == ("next week", day("2023-06-19"), day("2023-06-25"))
    assert values("Prices will rise in the next week.") == []


def test_easter_week_is_declined_as_the_text_does_not_say_which_week():
    result = find_dates("Pilgrims gathered as Easter week began.", WEDNESDAY)
    assert result.dates == []
    (u,) = result.unresolved
    assert "week" in u.reason


def test_decades_ago_names_the_years_it_counts_in_its_reason():
    (u,) = find_dates("The mine closed three decades ago.", WEDNESDAY).unresolved
    assert "30 years" in u.reason


def test_an_apposition_without_a_verb_takes_the_tense_of_the_sentence_before_it():
    # Monday 12 June: "is scheduled to" points ahead, across the apposition's commas
    monday = dates.parse("2023-06-12")
    text = "The envoy is scheduled to spend two days in Lisse, Arden, her first stop Tuesday morning."
    assert values(text, monday) == [("Tuesday", day("2023-06-13"), day("2023-06-13"))]

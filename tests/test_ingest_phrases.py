"""Finding date phrases, and not finding the things that only look like dates."""

import pytest

from timeline.ingest.phrases import NOTHING, PREVIOUS, PUBLICATION, YEAR, find_phrases


def phrases(text: str) -> list[str]:
    return [p.text for p in find_phrases(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Officials may extend the accord, and the talks may resume.",  # "may" the verb
        "May the patient side win.",
        "See https://cdn.example.test/images/12/3/2023/photo.jpg for the map.",  # a number in a URL
        "(Word Count: 398)",
        "(Word Count: 2022)",
        "as the court papers show [12], the claim [2022] stands.",  # reference markers
        "The session opened at 10:30, paused at 22h31 and closed at 9 p.m.",  # times of day
        "This was published under the 2022 to 2024 Sunak Conservative government.",  # a banner
        "The 2022–2024 government fell.",
        "They can extend the accord for 120 days.",  # durations
        "Nearly two and a half years later, nothing had changed.",
        "Over the past three years, trade fell.",
        "Talks have been taking place over the past several months.",
        "Prices rose over the last year and for the last month.",
        "The truce has held since 24 February 2022 and until March 2023.",  # bounds of a state
        "They meet every Monday.",  # a repetition
        "It rests on today's facts and this year's budget.",  # possessives
        "Russia intends to include them in the 2024 presidential election.",  # a year as a modifier
    ],
)
def test_things_that_only_look_like_dates_are_not_found(text):
    assert phrases(text) == []


def test_the_date_is_found_beside_a_time_of_day():
    assert phrases("At 10:30 on 3 March 2022 the talks began.") == ["on 3 March 2022"]


def test_a_reference_marker_does_not_become_a_day():
    assert phrases("Talks failed in March [12] and resumed [13] in April 2022.") == [
        "in March",
        "in April 2022",
    ]


def test_the_preposition_is_part_of_the_date_as_written():
    found = find_phrases("On February 24, 2022, Russia launched. As of November 2023, he said no.")
    assert [(p.text, p.needs) for p in found] == [
        ("On February 24, 2022", NOTHING),
        ("As of November 2023", NOTHING),
    ]


def test_two_days_joined_by_and_are_two_phrases_that_need_a_year():
    first, second = find_phrases("The review is on 10 and 14 March.")
    assert (first.text, second.text) == ("on 10", "14 March")
    assert first.needs == second.needs == YEAR


def test_us_style_days_with_a_shared_year_both_take_it_from_the_text():
    first, second = find_phrases("It meets on March 10 and 14, 2024.")
    assert [(p.value.earliest.isoformat(), p.needs) for p in (first, second)] == [
        ("2024-03-10", NOTHING),
        ("2024-03-14", NOTHING),
    ]


def test_a_range_is_one_phrase():
    (phrase,) = find_phrases("The conference is on 15–16 June 2024 in Bürgenstock.")
    assert (phrase.text, phrase.needs) == ("on 15–16 June 2024", NOTHING)
    assert phrase.value.edtf == "2024-06-15/2024-06-16"


def test_from_a_day_to_another_of_one_month_is_one_phrase():
    (phrase,) = find_phrases("Talks ran from 15 to 16 June.")
    assert phrase.core == "15 to 16 June"
    assert phrase.needs == YEAR


def test_the_longest_phrase_wins():
    assert phrases("On Saturday, 23 December 2023, it was reported.") == ["On Saturday, 23 December 2023"]
    assert phrases("in the 2024 presidential election next March") == ["next March"]


@pytest.mark.parametrize(
    "text, expected, needs",
    [
        ("In November last year, he declared", "In November last year", PUBLICATION),
        ("The election is next March.", "next March", PUBLICATION),
        ("The Times revealed on Saturday that", "on Saturday", PUBLICATION),
        ("Two years ago they agreed a ceasefire.", "Two years ago", PUBLICATION),
        ("Last week, the minister warned.", "Last week", PUBLICATION),
        ("They met in May.", "in May", YEAR),
        ("It happened in late May.", "in late May", YEAR),
        ("At that time, Putin indicated", "At that time", PREVIOUS),
        ("Later that year, the court ruled.", "Later that year", PREVIOUS),
        ("in late May or early June 2024", "in late May or early June 2024", NOTHING),
        ("Protests began in the spring of 2022.", "in the spring of 2022", NOTHING),
        ("It peaked in mid-2023.", "in mid-2023", NOTHING),
        ("The summit is planned for 24 February – 1 March 2024.", "24 February – 1 March 2024", NOTHING),
        ("It was signed on 2023-07-03 in Lisse.", "on 2023-07-03", NOTHING),
        ("It was signed on 2023-07-03T10:15Z in Lisse.", "on 2023-07-03T10:15Z", NOTHING),
        ("Late last year, the talks stalled.", "Late last year", PUBLICATION),
        ("Around 2022, prices rose.", "Around 2022", NOTHING),
    ],
)
def test_what_each_phrase_needs_to_be_read(text, expected, needs):
    (phrase,) = find_phrases(text)
    assert (phrase.text, phrase.needs) == (expected, needs)


def test_offsets_index_the_text_searched():
    text = "Intro. Then, on 3 March 2022, it began."
    (phrase,) = find_phrases(text, 7, len(text))
    assert text[phrase.start : phrase.end] == phrase.text == "on 3 March 2022"

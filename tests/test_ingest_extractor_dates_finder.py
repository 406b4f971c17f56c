"""The extractor reads a phrase relative to the publication date through the date finder
(timeline.dates.finder), so an event's date follows the tense of its sentence, as ``find_dates``
and POST /api/dates/find/ read it."""

from datetime import date

from timeline.dates import parse
from timeline.dates.finder import find_dates
from timeline.ingest.extractor import extract
from timeline.ingest.parties import PartyInfo, PartyMatcher

RUSSIA = PartyInfo("russia", "Russia", "state", ("Russia", "Kremlin", "Moscow"))
MATCHER = PartyMatcher([RUSSIA])
WEDNESDAY = parse("2023-06-14")


def first_date(text: str):
    (candidate,) = extract(text=text, published=WEDNESDAY, matcher=MATCHER).candidates
    return candidate.date.earliest


def test_a_planned_act_on_a_weekday_is_the_coming_weekday():
    assert first_date("Russia plans to send its envoy on Thursday.") == date(2023, 6, 15)


def test_a_past_act_on_a_weekday_is_the_past_weekday():
    assert first_date("Russia sent its envoy on Thursday.") == date(2023, 6, 8)


def test_a_month_without_a_year_follows_the_tense_against_the_publication():
    published = parse("2023-11-20")
    (candidate,) = extract(
        text="Russia will hold the vote on 3 March.", published=published, matcher=MATCHER
    ).candidates
    assert candidate.date.earliest == date(2024, 3, 3)


def test_the_extractor_and_the_finder_agree_on_the_date_of_a_phrase():
    text = "Russia said it would reopen the embassy on Friday."
    candidates = extract(text=text, published=WEDNESDAY, matcher=MATCHER).candidates
    # Two acts: the statement (dated by publication) and the reopening it announces (dated by the phrase).
    (candidate,) = [c for c in candidates if c.basis != "publication"]
    (found,) = find_dates(text, WEDNESDAY).dates
    assert (candidate.date.earliest, candidate.date.latest) == (found.value.earliest, found.value.latest)
    assert found.value.earliest == date(2023, 6, 16)  # "would": the nearest Friday, two days ahead

"""Kinds guessed outside politics: a vote of a council or board is no election, a court's ruling, a
sports result or a company's results is 'other', and ordinary English ("attacked the plan", "met
expectations", "a press conference") makes no military action or meeting. The kind of each dated
act comes from its own words, not from another act the same sentence tells."""

import pytest

from timeline.dates import parse
from timeline.ingest.extractor import PUBLICATION_BASIS, extract
from timeline.ingest.parties import PartyInfo, PartyMatcher

ARDEN = PartyInfo("arden", "Arden", "state", ("Arden",))
BELMORE = PartyInfo("belmore", "Belmore", "state", ("Belmore",))
COUNCIL = PartyInfo("halden-city-council", "Halden City Council", "organisation", ("Halden City Council",))
NORTHWIND = PartyInfo("northwind", "Northwind Freight", "organisation", ("Northwind Freight", "Northwind"))
ROVERS = PartyInfo("kessel-rovers", "Kessel Rovers", "organisation", ("Kessel Rovers", "Rovers"))
LISSE = PartyInfo("lisse-united", "Lisse United", "organisation", ("Lisse United",))
AALTO = PartyInfo("piet-aalto", "Piet Aalto", "person", ("Piet Aalto", "Aalto"))
MATCHER = PartyMatcher([ARDEN, BELMORE, COUNCIL, NORTHWIND, ROVERS, LISSE, AALTO])


def kinds(text: str, published: str = "Friday 14 February 2025") -> list[str]:
    return [c.kind for c in extract(text=text, published=parse(published), matcher=MATCHER).candidates]


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("Halden City Council voted 9-4 on Tuesday to approve the tram extension.", "other"),
        ("The board of governors voted on Thursday to raise tuition fees by 9%.", "other"),
        ("Shareholders voted on 3 February 2025 to approve the merger.", "other"),
        ("On Tuesday, Halden City Council voted to adopt the new noise ordinance.", "decree"),
        ("Voters in Halden elect a new mayor on 4 May 2027.", "election"),
        ("Students will elect a new union executive in March 2025.", "election"),
    ],
)
def test_a_vote_of_a_council_or_board_is_no_election(sentence, kind):
    assert kinds(sentence) == [kind]


@pytest.mark.parametrize(
    "sentence",
    [
        "The Supreme Court on Thursday struck down the protest law, ruling that it breached the constitution.",
        "A lower court had upheld the law in September 2023.",
        "Kessel Rovers beat Lisse United 2-1 in the cup final on Saturday.",
        "Lisse United, who had beaten Rovers 3-0 in the league in April 2024, finished without a trophy.",
        "Northwind Freight reported a 31% drop in third-quarter profit on Thursday.",
        "Northwind made a net profit of €212 million in the three months to September 2024.",
    ],
)
def test_rulings_sports_results_and_company_results_are_other(sentence):
    assert kinds(sentence) == ["other"]


@pytest.mark.parametrize(
    "sentence, wrong",
    [
        ("The striker attacked the near post in the 81st minute on Saturday.", "military_action"),
        ("Arden's opposition attacked the budget plan on Monday as reckless.", "military_action"),
        ("Northwind's results met analysts' expectations on Thursday.", "meeting"),
        ("Belmore's health minister gave a press conference on Monday.", "meeting"),
        ("Fans staged a pitch invasion after the final whistle on Saturday.", "military_action"),
    ],
)
def test_ordinary_english_makes_no_military_action_or_meeting(sentence, wrong):
    (kind,) = kinds(sentence)
    assert kind != wrong


@pytest.mark.parametrize(
    "sentence",
    [
        "Belmore's army shelled three villages in Arden on Friday.",
        "Militants attacked a police post in Arden on Friday, killing two officers.",
    ],
)
def test_acts_of_war_are_still_military_actions(sentence):
    assert kinds(sentence) == ["military_action"]


def test_each_date_of_a_sentence_takes_the_kind_of_its_own_clause():
    text = (
        "The dam was completed in August 2025, and Belmore's energy ministry has said it plans to start "
        "filling the reservoir in January 2026."
    )
    assert kinds(text) == ["other", "other"]  # not a statement: "has said" tells the January act


def test_a_date_inside_reported_speech_dates_what_is_reported_and_the_speech_is_a_statement():
    text = "Piet Aalto said his country would raise the matter at the river commission's meeting on 20 June."
    candidates = extract(text=text, published=parse("Wednesday 11 June 2025"), matcher=MATCHER).candidates
    assert [(c.kind, c.basis, c.date.label) for c in candidates] == [
        ("statement", PUBLICATION_BASIS, "11 June 2025?"),
        ("meeting", "text", "20 June 2025"),
    ]


def test_a_date_that_dates_the_speech_gives_no_second_event():
    text = "Piet Aalto warned on Tuesday that his country would leave the river commission."
    (candidate,) = extract(text=text, published=parse("Wednesday 11 June 2025"), matcher=MATCHER).candidates
    assert (candidate.kind, candidate.date.label) == ("statement", "10 June 2025")


def test_a_remark_about_a_referendum_is_a_statement_not_an_election():
    assert kinds("Piet Aalto said on Monday that his group would ask for a referendum.") == ["statement"]


def test_a_report_of_results_is_dated_by_its_day_not_taken_for_reported_speech():
    (candidate,) = extract(
        text="Northwind Freight reported a 31% drop in third-quarter profit on Thursday.",
        published=parse("Thursday 24 October 2024"),
        matcher=MATCHER,
    ).candidates
    assert (candidate.kind, candidate.date.label, dict(candidate.parties)) == (
        "other",
        "24 October 2024",
        {"northwind": "actor"},
    )

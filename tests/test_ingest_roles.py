"""Roles read from the sentence: who acts, who is hosted, targeted, told or mediates, and that a
party which did not take part ("not invited", "without") or is merely named is only mentioned."""

import pytest

from timeline.dates import parse
from timeline.ingest.extractor import extract
from timeline.ingest.parties import PartyInfo, PartyMatcher

RUSSIA = PartyInfo("russia", "Russia", "state", ("Russia", "Kremlin", "Moscow"))
UKRAINE = PartyInfo("ukraine", "Ukraine", "state", ("Ukraine",))
SWITZERLAND = PartyInfo("switzerland", "Switzerland", "state", ("Switzerland",))
PUTIN = PartyInfo("vladimir-putin", "Vladimir Putin", "person", ("Vladimir Putin", "Putin"), "russia")
ARDEN = PartyInfo("arden", "Arden", "state", ("Arden",))
BELMORE = PartyInfo("belmore", "Belmore", "state", ("Belmore",))
CALDER = PartyInfo("calder", "Calder", "state", ("Calder",))
VOSS = PartyInfo("mara-voss", "Mara Voss", "person", ("Mara Voss", "Voss"), "arden")
MARTEN = PartyInfo("ilse-marten", "Ilse Marten", "person", ("Ilse Marten", "Marten"), "belmore")
WREN = PartyInfo("tomas-wren", "Tomas Wren", "person", ("Tomas Wren", "Wren"), "arden")
UNIVERSITY = PartyInfo("halden-university", "Halden University", "organisation", ("Halden University",))
COURT = PartyInfo("belmore-supreme-court", "Supreme Court", "organisation", ("Supreme Court",), "belmore")
MATCHER = PartyMatcher(
    [RUSSIA, UKRAINE, SWITZERLAND, PUTIN, ARDEN, BELMORE, CALDER, VOSS, MARTEN, WREN, UNIVERSITY, COURT]
)


def roles(text: str, published: str = "Wednesday 11 June 2025") -> dict[str, str]:
    (candidate,) = extract(text=text, published=parse(published), matcher=MATCHER).candidates
    return dict(candidate.parties)


@pytest.mark.parametrize(
    "sentence, party",
    [
        ("Putin was not invited to peace talks held in Switzerland in June 2024.", "vladimir-putin"),
        ("Calder, which shares the river, was not invited to the talks in Arden on Tuesday.", "calder"),
        ("Arden and Belmore opened talks on Tuesday without Calder.", "calder"),
        ("Calder did not attend the summit Arden hosted on Tuesday.", "calder"),
    ],
)
def test_a_party_that_did_not_take_part_is_only_mentioned(sentence, party):
    assert roles(sentence)[party] == "mentioned"


def test_the_talks_a_party_was_not_invited_to_are_hosted_by_where_they_were_held():
    assert roles("Putin was not invited to peace talks held in Switzerland in June 2024.") == {
        "vladimir-putin": "mentioned",
        "switzerland": "host",
    }


def test_who_hosts_and_who_is_hosted():
    assert roles("Belmore's prime minister, Ilse Marten, hosted Voss for talks on Wednesday.") == {
        "belmore": "mentioned",
        "ilse-marten": "host",
        "mara-voss": "participant",
    }


def test_the_visitor_acts_and_the_visited_party_hosts():
    assert roles("Mara Voss visited Belmore on Tuesday.") == {"mara-voss": "actor", "belmore": "host"}


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Russia invaded Ukraine on 24 February 2022.", {"russia": "actor", "ukraine": "target"}),
        (
            "The war began in February 2022 when Russian forces entered Ukraine.",
            {"russia": "actor", "ukraine": "target"},
        ),
        (
            "Belmore's army shelled three villages in Arden's Tarn valley on Friday.",
            {"belmore": "actor", "arden": "target"},
        ),
    ],
)
def test_the_party_an_attack_is_aimed_at_is_its_target(sentence, expected):
    assert roles(sentence) == expected


def test_who_a_ceasefire_was_brokered_by_is_its_mediator():
    assert roles("Arden and Belmore agreed a ceasefire brokered by Calder in 2020.") == {
        "arden": "actor",
        "belmore": "actor",
        "calder": "mediator",
    }


def test_the_speaker_is_who_speaks_and_parties_in_what_is_said_are_mentioned():
    assert roles("On Sunday, Tomas Wren warned that Belmore must not fill its dam.") == {
        "tomas-wren": "speaker",
        "belmore": "mentioned",
    }


def test_a_party_accused_is_the_target_of_the_statement():
    assert roles("On Sunday, Tomas Wren accused Belmore of breaking a promise.") == {
        "tomas-wren": "speaker",
        "belmore": "target",
    }


def test_a_party_named_in_a_prepositional_phrase_is_not_the_subject():
    assert roles("President Mara Voss of Arden arrived in Belmore on Tuesday.") == {
        "mara-voss": "actor",
        "arden": "mentioned",
        "belmore": "host",
    }


def test_a_body_named_through_its_members_acts():
    assert roles("The board of governors of Halden University voted on Thursday to raise fees.") == {
        "halden-university": "actor"
    }


def test_a_possessive_before_the_party_that_acts_is_only_mentioned():
    assert roles("Belmore's Supreme Court on Thursday struck down the protest law.") == {
        "belmore-supreme-court": "actor",
        "belmore": "mentioned",
    }


def test_an_anonymous_source_in_a_partys_discussions_does_not_make_the_party_speak():
    text = "One source involved in Kremlin discussions revealed on Monday that Putin is ready for a truce."
    assert roles(text)["russia"] == "mentioned"


def test_the_subject_of_the_main_verb_acts_when_the_kinds_word_is_in_another_clause():
    text = "Arden and Belmore signed an agreement on Thursday, after talks mediated by Switzerland."
    assert roles(text, "Friday 3 April 2026") == {
        "arden": "actor",
        "belmore": "actor",
        "switzerland": "mediator",
    }

"""Matching party names and aliases in prose."""

from timeline.ingest.parties import PartyInfo, PartyMatcher

RUSSIA = PartyInfo("russia", "Russia", "state", ("Russia", "Kremlin", "Moscow"))
US = PartyInfo("united-states", "United States", "state", ("United States", "U.S.", "US"))
WAPO = PartyInfo(
    "the-washington-post", "The Washington Post", "media", ("The Washington Post", "Washington Post")
)
CITY = PartyInfo("washington-dc", "Washington", "place", ("Washington",))


def found(matcher: PartyMatcher, text: str) -> list[tuple[str, str]]:
    return [(m.slug, text[m.start : m.end]) for m in matcher.mentions(text)]


def test_aliases_resolve_to_their_party():
    matcher = PartyMatcher([RUSSIA])
    assert found(matcher, "The Kremlin and Moscow's envoys spoke for Russia.") == [
        ("russia", "Kremlin"),
        ("russia", "Moscow"),
        ("russia", "Russia"),
    ]


def test_matching_is_case_sensitive_so_us_is_not_the_united_states():
    matcher = PartyMatcher([US])
    assert found(matcher, "Let us see what the US and the U.S. officials say.") == [
        ("united-states", "US"),
        ("united-states", "U.S."),
    ]


def test_the_longest_name_wins():
    matcher = PartyMatcher([WAPO, CITY])
    assert found(matcher, "The Washington Post reported from Washington.") == [
        ("the-washington-post", "The Washington Post"),
        ("washington-dc", "Washington"),
    ]


def test_names_match_whole_words_only():
    matcher = PartyMatcher([RUSSIA])
    assert found(matcher, "Russian forces and Russians") == []


def test_metadata_names_are_looked_up_ignoring_case_and_by_slug():
    matcher = PartyMatcher([RUSSIA, US])
    assert matcher.by_name("kremlin") is RUSSIA
    assert matcher.by_name("united-states") is US
    assert matcher.by_name("Atlantis") is None


UKRAINE = PartyInfo("ukraine", "Ukraine", "state", ("Ukraine", "Kyiv"))
NATO = PartyInfo("nato", "NATO", "alliance", ("NATO",))


def test_a_name_running_into_another_proper_name_is_not_the_party():
    matcher = PartyMatcher([RUSSIA, UKRAINE, US])
    assert found(matcher, "The Kyiv Post, the Kyiv Independent and The Moscow Times reported it.") == []
    assert found(matcher, "The Kyiv Post’s editor wrote from Kyiv.") == [("ukraine", "Kyiv")]


def test_a_designation_date_word_or_known_name_after_a_name_keeps_the_party():
    matcher = PartyMatcher([RUSSIA, UKRAINE, US, NATO])
    assert found(matcher, "US President Biden, the Kremlin Spokesman and the US Army spoke.") == [
        ("united-states", "US"),
        ("russia", "Kremlin"),
        ("united-states", "US"),
    ]
    assert found(matcher, "Talks in Kyiv Monday with the US NATO envoy.") == [
        ("ukraine", "Kyiv"),
        ("united-states", "US"),
        ("nato", "NATO"),
    ]

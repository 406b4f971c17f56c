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

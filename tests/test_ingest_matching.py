"""When a candidate is an event we already have: the merge signal and its guards."""

import pytest

from timeline import services
from timeline.dates import parse
from timeline.ingest.extractor import Candidate
from timeline.ingest.matching import CITED, MERGE, event_for_candidate, merge_compatible


def candidate(
    date_text,
    *,
    kind="military_action",
    parties=(("russia", "actor"), ("ukraine", "mentioned")),
    start=0,
    end=10,
):
    value = parse(date_text)
    return Candidate(
        date=value,
        date_text=date_text,
        stored_date_text=date_text,
        basis="text",
        quote="x" * (end - start),
        char_start=start,
        char_end=end,
        parties=parties,
        kind=kind,
        title="t",
    )


@pytest.fixture
def invasion_day(db, russia, ukraine):
    return services.event_create(
        title="Russia launches its military operation",
        date="24 February 2022",
        kind="military_action",
        parties=[(russia, "actor"), (ukraine, "target")],
    )


def test_a_month_that_contains_the_day_with_the_same_kind_and_parties_merges(invasion_day):
    assert merge_compatible(event=invasion_day, candidate=candidate("February 2022"))


@pytest.mark.parametrize(
    "date_text, kind, parties",
    [
        ("March 2022", "military_action", (("russia", "actor"), ("ukraine", "mentioned"))),  # disjoint dates
        (
            "2022",
            "military_action",
            (("russia", "actor"), ("ukraine", "mentioned")),
        ),  # a year identifies nothing
        ("February 2022", "statement", (("russia", "speaker"), ("ukraine", "mentioned"))),  # another kind
        ("February 2022", "military_action", (("ukraine", "actor"),)),  # Russia is not among its parties
        ("February 2022", "military_action", (("russia", "actor"), ("belarus", "actor"))),  # Belarus acts too
        ("February 2022", "military_action", ()),  # nobody named
    ],
)
def test_what_keeps_two_reports_apart(invasion_day, date_text, kind, parties):
    assert not merge_compatible(
        event=invasion_day, candidate=candidate(date_text, kind=kind, parties=parties)
    )


def test_statements_of_the_same_month_are_not_merged(zelensky):
    said = services.event_create(
        title="Zelensky rules out talks",
        date="November 2023",
        kind="statement",
        parties=[(zelensky, "speaker")],
    )
    again = candidate("November 2023", kind="statement", parties=(("volodymyr-zelensky", "speaker"),))
    assert not merge_compatible(event=said, candidate=again)


def test_statements_of_the_same_day_are_merged(zelensky):
    said = services.event_create(
        title="Zelensky rules out talks", date="2023-11-20", kind="statement", parties=[(zelensky, "speaker")]
    )
    again = candidate("20 November 2023", kind="statement", parties=(("volodymyr-zelensky", "speaker"),))
    assert merge_compatible(event=said, candidate=again)


def test_an_event_citing_the_same_words_is_the_candidate(invasion, article_2024):
    (citation,) = invasion.citations.all()
    found = event_for_candidate(
        candidate=candidate("February 2022", start=citation.char_start, end=citation.char_end + 30),
        source=article_2024,
    )
    assert (found.event, found.how) == (invasion, CITED)


def test_the_same_words_with_an_incompatible_date_are_another_event(invasion, article_2024):
    (citation,) = invasion.citations.all()
    found = event_for_candidate(
        candidate=candidate("March 2022", start=citation.char_start, end=citation.char_end),
        source=article_2024,
    )
    assert found is None


def test_another_source_reporting_it_is_a_merge(invasion, article_2023):
    found = event_for_candidate(candidate=candidate("February 2022", start=0, end=40), source=article_2023)
    assert (found.event, found.how) == (invasion, MERGE)

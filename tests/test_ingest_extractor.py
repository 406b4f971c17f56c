"""The extractor: dates read with the right anchor, quotes with exact offsets, parties and kinds."""

from datetime import date

import pytest

from timeline.dates import parse
from timeline.ingest.article import read_article
from timeline.ingest.extractor import CONTEXT, PUBLICATION_BASIS, TEXT, extract
from timeline.ingest.parties import PartyInfo, PartyMatcher

RUSSIA = PartyInfo("russia", "Russia", "state", ("Russia", "Kremlin", "Moscow"))
UKRAINE = PartyInfo("ukraine", "Ukraine", "state", ("Ukraine",))
US = PartyInfo("united-states", "United States", "state", ("United States", "U.S."))
PUTIN = PartyInfo("vladimir-putin", "Vladimir Putin", "person", ("Vladimir Putin", "Putin"), "russia")
ZELENSKY = PartyInfo("volodymyr-zelensky", "Volodymyr Zelensky", "person", ("Zelensky",), "ukraine")
LAVROV = PartyInfo("sergei-lavrov", "Sergei Lavrov", "person", ("Sergei Lavrov", "Lavrov"), "russia")
NYT = PartyInfo("the-new-york-times", "The New York Times", "media", ("The New York Times",))
MATCHER = PartyMatcher([RUSSIA, UKRAINE, US, PUTIN, ZELENSKY, LAVROV, NYT])


def run(text: str, published: str | None = None, matcher: PartyMatcher = MATCHER):
    return extract(text=text, published=parse(published) if published else None, matcher=matcher)


def bounds(candidate):
    return candidate.date.earliest, candidate.date.latest, str(candidate.date.precision)


def test_a_missing_year_comes_from_an_earlier_date_in_the_paragraph_not_the_publication():
    (first, second) = run(
        "On 7 March 2022, the ministry approved it. Talks held on 3 March had failed.", "2023-06-01"
    ).candidates
    assert bounds(first) == (date(2022, 3, 7), date(2022, 3, 7), "day")
    assert bounds(second) == (date(2022, 3, 3), date(2022, 3, 3), "day")
    assert second.basis == CONTEXT
    assert second.date_text == "on 3 March"
    assert second.stored_date_text == "3 March 2022"  # "3 March" alone would read as 2023


def test_without_an_earlier_year_in_the_paragraph_the_publication_gives_it():
    text = "On 7 March 2022, the ministry approved it.\nTalks held on 3 March had failed."
    second = run(text, "2023-06-01").candidates[1]
    assert second.date.earliest == date(2023, 3, 3)
    assert second.basis == TEXT


def test_without_a_publication_date_an_earlier_year_in_the_article_gives_it():
    text = "On 7 March 2022, the ministry approved it.\nTalks held on 3 March had failed."
    second = run(text).candidates[1]
    assert second.date.earliest == date(2022, 3, 3)
    assert second.basis == CONTEXT


def test_a_relative_date_gives_its_year_to_what_follows():
    text = "In November last year, Zelensky declared it. On 3 December, he repeated it."
    second = run(text, "15 January 2024").candidates[1]
    assert second.date.earliest == date(2023, 12, 3)


def test_relative_phrases_are_read_against_the_publication_date():
    result = run(
        "In November last year, Russia declared it. Russia will hold an election next March.",
        "late May or early June 2024",
    )
    assert [bounds(c) for c in result.candidates] == [
        (date(2023, 11, 1), date(2023, 11, 30), "month"),
        (date(2025, 3, 1), date(2025, 3, 31), "month"),
    ]
    assert result.candidates[0].stored_date_text == "In November last year"


def test_a_relative_phrase_without_a_publication_date_is_unresolved_not_guessed():
    result = run("The New York Times revealed on Saturday that talks took place.")
    assert result.candidates == []
    (unresolved,) = result.unresolved
    assert unresolved.date_text == "on Saturday"
    assert "needs an anchor" in unresolved.reason


def test_a_weekday_against_a_publication_known_only_to_weeks_is_unresolved():
    result = run(
        "The New York Times revealed on Saturday that talks took place.", "late May or early June 2024"
    )
    assert result.candidates == []
    assert "too coarse" in result.unresolved[0].reason


def test_one_phrase_gives_two_events():
    result = run("Russia and Ukraine met on 10 and 14 March 2022 in Antalya.")
    assert [bounds(c) for c in result.candidates] == [
        (date(2022, 3, 10), date(2022, 3, 10), "day"),
        (date(2022, 3, 14), date(2022, 3, 14), "day"),
    ]
    assert result.candidates[0].quote == result.candidates[1].quote
    assert [c.stored_date_text for c in result.candidates] == ["10 March 2022", "14 March 2022"]


def test_a_range_is_one_event_with_a_span():
    (candidate,) = run("Ukraine hosts a summit on 15–16 June 2024.").candidates
    assert bounds(candidate) == (date(2024, 6, 15), date(2024, 6, 16), "day")
    assert candidate.date.edtf == "2024-06-15/2024-06-16"


def test_at_that_time_takes_the_date_of_the_sentence_before():
    # Zelensky, not Putin: Putin "at that time" would go on telling the Kremlin's act (one event).
    result = run(
        "Notably, in September 2022, the Kremlin made overtures. At that time, Zelensky indicated satisfaction."
    )
    second = result.candidates[1]
    assert bounds(second) == (date(2022, 9, 1), date(2022, 9, 30), "month")
    assert second.basis == CONTEXT
    assert second.stored_date_text == "September 2022"


def test_at_that_time_with_nothing_before_it_is_unresolved():
    result = run("At that time, Putin indicated satisfaction.")
    assert result.candidates == []
    assert "no date precedes it" in result.unresolved[0].reason


def test_a_coarser_date_in_the_same_sentence_is_only_context():
    (candidate,) = run("In 2022, on 24 February, Russia launched its invasion.").candidates
    assert bounds(candidate) == (date(2022, 2, 24), date(2022, 2, 24), "day")


def test_an_undated_report_of_a_statement_is_dated_by_the_publication_and_says_so():
    (candidate,) = run(
        "Putin stated that talks must rest on the facts.", "late May or early June 2024"
    ).candidates
    assert candidate.basis == PUBLICATION_BASIS
    assert bounds(candidate) == (date(2024, 5, 21), date(2024, 6, 10), "month")
    assert candidate.date_text == "late May or early June 2024"


def test_an_undated_statement_in_a_day_dated_article_is_uncertain_not_precise():
    (candidate,) = run("Putin stated that talks must rest on the facts.", "23 December 2023").candidates
    assert candidate.date.uncertain
    assert candidate.date_text == "23 December 2023?"


def test_a_position_in_the_present_tense_holds_as_of_the_publication():
    (candidate,) = run("Russia maintains its claim over four regions.", "23 December 2023").candidates
    assert candidate.date_text == "as of 23 December 2023"
    assert not candidate.date.uncertain


def test_a_previously_reported_act_is_dated_up_to_the_publication():
    (candidate,) = run(
        "The New York Times previously reported that talks failed.", "23 December 2023"
    ).candidates
    assert candidate.date.earliest is None
    assert candidate.date.latest == date(2023, 12, 23)


@pytest.mark.parametrize(
    "sentence",
    [
        "Zelensky has asserted that ceding territory is not an option.",  # present perfect: no time
        "Sources indicate that talks are possible.",  # nobody known speaks
        "The situation remains complex.",
    ],
)
def test_undated_sentences_without_a_reported_act_give_nothing(sentence):
    assert run(sentence, "23 December 2023").candidates == []


def test_a_pronoun_refers_to_the_person_named_before_it():
    text = "The situation is complex as Zelensky has asserted it. In November 2023, he declared talks impossible."
    (candidate,) = run(text).candidates
    assert candidate.parties == (("volodymyr-zelensky", "speaker"),)


def test_a_title_before_a_name_is_not_a_second_party():
    (candidate,) = run(
        "In May 2024, Russia's Foreign Minister Sergei Lavrov echoed the sentiment."
    ).candidates
    assert candidate.parties == (("sergei-lavrov", "speaker"),)


def test_the_party_an_overture_comes_from_is_the_actor():
    (candidate,) = run(
        "In September 2022, the U.S. officials received overtures from the Kremlin."
    ).candidates
    assert candidate.kind == "proposal"
    assert candidate.parties == (("russia", "actor"), ("united-states", "recipient"))


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("On February 24, 2022, Russia launched a military operation in Ukraine.", "military_action"),
        ("Zelensky signed a decree in 2022 making negotiations with Putin impossible.", "decree"),
        ("Russia intends to include them in the 2024 presidential election next March.", "election"),
        ("In September 2022, the Kremlin made overtures for a truce.", "proposal"),
        ("The New York Times revealed on Saturday that talks took place.", "report"),
        ("In November 2023, Zelensky declared talks impossible.", "statement"),
        ("In 2023, Russia maintained its claim over four regions.", "annexation"),
    ],
)
def test_the_kind_is_guessed_from_the_words(sentence, kind):
    (candidate,) = run(sentence, "23 December 2023").candidates
    assert candidate.kind == kind


def test_quotes_are_the_text_at_their_offsets_in_every_article(seed_articles, articles_dir):
    articles = [*seed_articles.values(), *(read_article(p) for p in sorted(articles_dir.glob("*.txt")))]
    checked = 0
    for article in articles:
        for candidate in extract(text=article.body, published=article.published, matcher=MATCHER).candidates:
            assert article.body[candidate.char_start : candidate.char_end] == candidate.quote
            checked += 1
    assert checked > 20


def test_every_stored_date_text_reads_back_to_the_candidates_date(seed_articles, articles_dir):
    articles = [*seed_articles.values(), *(read_article(p) for p in sorted(articles_dir.glob("*.txt")))]
    for article in articles:
        published = article.published
        for candidate in extract(text=article.body, published=published, matcher=MATCHER).candidates:
            again = parse(candidate.stored_date_text, published)
            assert (again.earliest, again.latest, again.edtf) == (
                candidate.date.earliest,
                candidate.date.latest,
                candidate.date.edtf,
            )

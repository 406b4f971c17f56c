"""Date phrases the extractor used to cut short, misread or drop without notice: "the week of",
ranges with "between" and "from", approximate and dotted dates, phrases timeline.dates cannot read,
relative phrases nothing resolves, and a party's name inside an outlet's name."""

import json
from datetime import date
from io import StringIO

from django.core.management import call_command

from timeline.dates import parse
from timeline.ingest.extractor import PUBLICATION_BASIS, extract
from timeline.ingest.parties import PartyInfo, PartyMatcher
from timeline.ingest.phrases import find_phrases

RUSSIA = PartyInfo("russia", "Russia", "state", ("Russia", "Kremlin", "Moscow"))
UKRAINE = PartyInfo("ukraine", "Ukraine", "state", ("Ukraine", "Kyiv"))
CHINA = PartyInfo("china", "China", "state", ("China", "Beijing"))
PUTIN = PartyInfo("vladimir-putin", "Vladimir Putin", "person", ("Vladimir Putin", "Putin"), "russia")
MATCHER = PartyMatcher([RUSSIA, UKRAINE, CHINA, PUTIN])
PUBLISHED = "July 17, 2023"


def run(text: str, published: str | None = PUBLISHED):
    return extract(text=text, published=parse(published) if published else None, matcher=MATCHER)


def bounds(candidate):
    return candidate.date.earliest, candidate.date.latest, str(candidate.date.precision)


def test_the_week_of_a_day_is_that_week_not_the_day():
    (candidate,) = run("The delegations met in the week of 9 May 2022.").candidates
    assert bounds(candidate) == (date(2022, 5, 9), date(2022, 5, 15), "week")
    assert candidate.date_text == "in the week of 9 May 2022"


def test_the_week_of_a_day_without_its_year_takes_the_publication_year():
    (candidate,) = run("The delegations met the week of 9 May.").candidates
    assert (candidate.date.earliest.year, str(candidate.date.precision)) == (2023, "week")


def test_between_two_us_style_days_is_one_span_not_its_end():
    (candidate,) = run("Between March 10 and March 14, 2022, Russia shelled Kyiv.").candidates
    assert bounds(candidate) == (date(2022, 3, 10), date(2022, 3, 14), "day")
    assert candidate.date_text == "Between March 10 and March 14, 2022"


def test_between_two_bare_days_of_a_month_is_one_span_not_nothing():
    result = run("Between 10 and 14 March 2022, Russia shelled Kyiv.")
    (candidate,) = result.candidates
    assert bounds(candidate) == (date(2022, 3, 10), date(2022, 3, 14), "day")
    assert result.unresolved == []
    # The phrase as written does not read back; what is stored does.
    assert candidate.stored_date_text == "10–14 March 2022"


def test_between_is_read_as_the_same_span_written_with_to():
    (phrase,) = find_phrases("Between March 10 and 14, 2022, Russia shelled Kyiv.")
    assert phrase.value.edtf == find_phrases("From March 10 to 14, 2022, Russia shelled Kyiv.")[0].value.edtf
    assert phrase.value.edtf == "2022-03-10/2022-03-14"


def test_from_one_month_to_another_is_one_span_not_its_end():
    (candidate,) = run("From March 2022 to June 2022, Russia shelled Kyiv.").candidates
    assert bounds(candidate) == (date(2022, 3, 1), date(2022, 6, 30), "month")


def test_from_a_part_of_a_year_to_another_is_one_span():
    # "late 2022" is 2022 as the finder reads it: the text does not say which months are late
    (candidate,) = run("From late 2022 to early 2023, Russia shelled Kyiv.").candidates
    assert (candidate.date.earliest, candidate.date.latest) == (date(2022, 1, 1), date(2023, 12, 31))


def test_two_days_joined_by_and_without_between_stay_two_events():
    result = run("Russia shelled Kyiv on 10 and 14 March 2022.")
    assert [bounds(c) for c in result.candidates] == [
        (date(2022, 3, 10), date(2022, 3, 10), "day"),
        (date(2022, 3, 14), date(2022, 3, 14), "day"),
    ]


def test_between_numbers_that_are_not_dates_is_not_a_range():
    assert find_phrases("Trade between Russia and Ukraine fell between 2 and 3 percent.") == []


def test_around_a_year_is_that_year_approximately():
    (candidate,) = run("Around 2022, Russia tested new missiles.").candidates
    assert bounds(candidate) == (date(2022, 1, 1), date(2022, 12, 31), "year")
    assert candidate.date.approximate and candidate.date.edtf == "2022~"


def test_c_dot_before_a_year_is_that_year_approximately_and_ends_no_sentence():
    (candidate,) = run("Russia tested new missiles in c. 2022.").candidates
    assert candidate.date.edtf == "2022~"
    assert candidate.quote == "Russia tested new missiles in c. 2022."


def test_around_a_day_keeps_its_approximation():
    (candidate,) = run("Around 24 February 2022, Russia shelled Kyiv.").candidates
    assert candidate.date.edtf == "2022-02-24~"


def test_a_year_after_around_that_modifies_a_noun_is_not_a_date():
    assert find_phrases("Around 2022 presidential elections were held.") == []


def test_a_dotted_day_month_year_is_read():
    (candidate,) = run("On 24.02.2022 Russia invaded Ukraine.").candidates
    assert bounds(candidate) == (date(2022, 2, 24), date(2022, 2, 24), "day")


def test_an_ambiguous_dotted_date_is_unresolved_with_the_reason():
    result = run("On 12.05.2023 Russia shelled Kyiv.")
    assert result.candidates == []
    (unresolved,) = result.unresolved
    assert unresolved.date_text == "On 12.05.2023"
    assert "ambiguous" in unresolved.reason


def test_a_half_year_is_read_as_its_six_months():
    result = run("In the first half of 2023, Russia shelled Kyiv.")
    (candidate,) = result.candidates
    assert (candidate.date.earliest, candidate.date.latest) == (date(2023, 1, 1), date(2023, 6, 30))
    assert candidate.date_text == "In the first half of 2023"


def test_a_relative_phrase_it_cannot_resolve_is_unresolved_not_dated_by_the_publication():
    result = run("The following week, China proposed a peace plan.")
    assert result.candidates == []
    (unresolved,) = result.unresolved
    assert unresolved.date_text == "The following week"
    assert "counts from a date the text does not give" in unresolved.reason


def test_other_relative_phrases_it_cannot_resolve_are_unresolved_too():
    for sentence, written in [
        ("A week later, China proposed a peace plan.", "A week later"),
        ("The next day, China proposed a peace plan.", "The next day"),
        ("Later that week, China proposed a peace plan.", "Later that week"),
    ]:
        result = run(sentence)
        assert result.candidates == [], sentence
        assert [u.date_text for u in result.unresolved] == [written]


def test_a_duration_over_the_next_year_is_not_a_date_and_the_statement_keeps_its_publication_date():
    (candidate,) = run("Putin said Russia will build 100 tanks over the next year.").candidates
    assert candidate.basis == PUBLICATION_BASIS


def test_the_same_month_takes_the_month_before_it():
    result = run("In May 2022, Russia shelled Kyiv. China protested the same month.")
    assert [bounds(c) for c in result.candidates] == [(date(2022, 5, 1), date(2022, 5, 31), "month")] * 2


def test_a_party_name_inside_an_outlets_name_gives_no_event():
    assert run("The Kyiv Post reported nothing new.").candidates == []


def test_extract_events_reads_the_spans_and_lists_what_it_cannot_read(articles_dir, fictional_parties):
    out = StringIO()
    call_command(
        "extract_events",
        str(articles_dir / "ranges_and_unread_phrases.txt"),
        "--published",
        PUBLISHED,
        "--format",
        "json",
        stdout=out,
    )
    (line,) = [json.loads(raw) for raw in out.getvalue().splitlines()]
    assert [(e["earliest"], e["latest"], e["precision"]) for e in line["events"]] == [
        ("2022-05-09", "2022-05-15", "week"),
        ("2022-03-10", "2022-03-14", "day"),
        ("2022-03-01", "2022-06-30", "month"),
        ("2022-03-10", "2022-03-14", "day"),
        ("2022-03-10", "2022-03-10", "day"),
        ("2022-03-14", "2022-03-14", "day"),
        ("2022-01-01", "2022-12-31", "year"),
        ("2022-01-01", "2022-12-31", "year"),
        ("2022-02-24", "2022-02-24", "day"),
        ("2023-01-01", "2023-06-30", "year"),  # the first half of 2023
    ]
    assert all(e["basis"] != PUBLICATION_BASIS for e in line["events"])  # nothing guessed
    assert [u["date_text"] for u in line["unresolved"]] == ["The following week"]
    assert "counts from a date the text does not give" in line["unresolved"][0]["reason"]

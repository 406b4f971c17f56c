"""timeline.ingest.phrases: the extractor's date phrases are the finder's findings that date an act.

Every phrase is written for these tests. Publication: Wednesday 14 June 2023.
"""

from datetime import date

from timeline.dates import parse
from timeline.ingest.extractor import extract
from timeline.ingest.parties import PartyInfo, PartyMatcher
from timeline.ingest.phrases import find_phrases

ACME = PartyInfo("acme", "Acme", "organisation", ("Acme",))
MATCHER = PartyMatcher([ACME])
WEDNESDAY = parse("2023-06-14")


def dated(text: str, published=WEDNESDAY) -> list[tuple[date, date]]:
    result = extract(text=text, published=published, matcher=MATCHER)
    return [(c.date.earliest, c.date.latest) for c in result.candidates]


def test_a_finder_rule_reaches_the_extractor_a_wire_dateline_s_day():
    saturday = parse("2023-06-17")
    text = "OSLO, June 16 (Reuters) -- Acme closed its Oslo plant today."
    assert dated(text, saturday)[-1] == (date(2023, 6, 16), date(2023, 6, 16))


def test_a_quarter_used_as_a_modifier_dates_no_act_the_weekday_does():
    text = "Acme reported a 12% fall in second-quarter sales on Monday."
    assert dated(text) == [(date(2023, 6, 12), date(2023, 6, 12))]


def test_the_end_of_a_reporting_period_dates_no_act():
    assert [p.core for p in find_phrases("Acme earned €3 million in the six months to March.")] == []


def test_a_stretch_and_a_comparison_date_no_act():
    assert find_phrases("Over the past four years Acme sales fell.") == []
    text = "On 2 May 2023 Acme earned €3 million, up from €2 million a year earlier."
    assert [p.core for p in find_phrases(text)] == ["2 May 2023"]


def test_a_year_or_a_range_of_years_used_as_a_modifier_dates_no_act():
    assert find_phrases("Acme backed the 2019–2021 board and the 2024 merger plan.") == []
    assert [p.core for p in find_phrases("Acme was founded in 2019.")] == ["2019"]


def test_the_bounds_of_a_state_date_no_act_but_a_closed_span_does():
    assert find_phrases("Acme has been profitable since 2019 and until March 2023.") == []
    (phrase,) = find_phrases("From March to June 2022, Acme rationed fuel.")
    assert phrase.value.edtf == "2022-03/2022-06"


def test_a_yearless_date_in_a_clause_that_looks_ahead_keeps_the_finder_s_year_over_the_paragraph_s():
    text = "Acme froze hiring in 2021. Acme will elect a new board in March."
    assert dated(text)[-1] == (date(2024, 3, 1), date(2024, 3, 31))


def test_a_yearless_past_date_takes_the_year_its_paragraph_named():
    text = "Acme froze hiring on 3 April 2021. On 9 May, Acme cut wages."
    assert dated(text)[-1] == (date(2021, 5, 9), date(2021, 5, 9))

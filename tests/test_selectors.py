"""The one date-range query: overlap semantics on the stored bounds, and its window parsing."""

from datetime import date

import pytest

from timeline import services
from timeline.selectors import date_window, events_for_party, events_in_range

D = date.fromisoformat


def titles(qs):
    return sorted(e.title for e in qs)


@pytest.fixture
def decree(db):
    return services.event_create(title="Zelensky's decree", date="in 2022", kind="decree")


def test_a_month_event_overlaps_a_window_inside_that_month(invasion, overtures):
    found = events_in_range(start=D("2022-09-15"), end=D("2022-09-20"))
    assert titles(found) == [overtures.title]


def test_a_year_window_finds_day_month_and_year_events(invasion, overtures, decree):
    lo, hi = date_window(start="2022", end="2022")
    assert titles(events_in_range(start=lo, end=hi)) == sorted(
        [invasion.title, overtures.title, decree.title]
    )


def test_an_open_start_window_finds_what_ends_before_its_end(invasion, overtures):
    lo, hi = date_window(end="2022-02")
    assert (lo, hi) == (None, D("2022-02-28"))
    assert titles(events_in_range(start=lo, end=hi)) == [invasion.title]


def test_within_requires_the_whole_event_inside_the_window(overtures, decree):
    lo, hi = date_window(start="2022-09", end="2022-12")
    assert titles(events_in_range(start=lo, end=hi, match="within")) == [overtures.title]
    assert titles(events_in_range(start=lo, end=hi)) == sorted([overtures.title, decree.title])


def test_window_bounds_widen_outward():
    assert date_window(start="2022-09", end="September 2022") == (D("2022-09-01"), D("2022-09-30"))


def test_window_errors_name_the_bound():
    with pytest.raises(ValueError, match="^start: could not understand 'Septembr 2022'"):
        date_window(start="Septembr 2022")
    with pytest.raises(ValueError, match="^end: .*ends before start"):
        date_window(start="2023", end="2022")


def test_an_open_ended_event_overlaps_every_later_window(db):
    services.event_create(title="Occupation", date="2014-02/..")
    assert titles(events_in_range(start=D("2030-01-01"), end=D("2030-12-31"))) == ["Occupation"]


def test_events_for_party_filters_by_role(invasion, russia, ukraine):
    assert list(events_for_party(party=ukraine)) == [invasion]
    assert list(events_for_party(party=ukraine, role="actor")) == []

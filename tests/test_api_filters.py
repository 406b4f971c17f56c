"""Filtering /api/events/: the date window, every filter, the nested lists, and that every field of
Event is filtered or deliberately left out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from api.filters import EventFilterSet
from timeline import id_lists, services
from timeline.models import Event

from .api_helpers import titles

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("drafts_public"),  # reads drafts as an anonymous client (conftest)
]

INVASION = "Russia launches its military operation in Ukraine"
OVERTURES = "The Kremlin makes truce overtures to U.S. officials"
DECREE = "Ukraine decrees that talks with Putin are impossible"
STATEMENTS = "Statements that talks need Crimea back"


def get(client, query: str) -> set[str]:
    return set(titles(client.get(f"/api/events/?{query}")))


# --- the date window -----------------------------------------------------------------------------


def test_a_few_days_in_september_2022_find_the_overtures_but_not_the_invasion(api_client, timeline):
    found = get(api_client, "start=2022-09-15&end=2022-09-20")
    assert OVERTURES in found
    assert INVASION not in found


def test_the_year_2022_finds_the_invasion_the_overtures_and_the_decree(api_client, timeline):
    assert get(api_client, "start=2022&end=2022") == {INVASION, OVERTURES, DECREE}


def test_an_end_alone_finds_what_began_by_then(api_client, timeline):
    assert get(api_client, "end=2022-02") == {INVASION, DECREE}


def test_a_start_alone_finds_what_was_still_going_on(api_client, timeline):
    assert get(api_client, "start=2023") == {STATEMENTS}


def test_an_imprecise_start_widens_to_its_first_day(api_client, timeline):
    # 2022-09 starts on 1 September: the whole of September is inside, so the overtures are too.
    assert OVERTURES in get(api_client, "start=2022-09&end=2022-09&match=within")
    assert OVERTURES not in get(api_client, "start=2022-09-02&end=2022-09&match=within")


def test_an_imprecise_end_widens_to_its_last_day(api_client, timeline):
    assert OVERTURES in get(api_client, "start=2022-09-01&end=2022-09&match=within")
    assert OVERTURES not in get(api_client, "start=2022-09-01&end=2022-09-29&match=within")


def test_within_keeps_only_events_entirely_inside_the_window(api_client, timeline):
    # The decree (all of 2022) overlaps September 2022 but is not inside it.
    assert get(api_client, "start=2022-09&end=2022-09") == {OVERTURES, DECREE}
    assert get(api_client, "start=2022-09&end=2022-09&match=within") == {OVERTURES}


@pytest.mark.parametrize("start", ["September 2022", "2022-09", "Sept 2022", "2022-09-01/2022-09-30"])
def test_bounds_are_read_by_the_fuzzy_date_module(api_client, timeline, start):
    assert get(api_client, f"start={start}&end={start}&match=within") == {OVERTURES}


def test_edtf_qualifiers_are_accepted_in_a_bound(api_client, timeline):
    assert get(api_client, "start=2022-09~&end=2022-09~&match=within") == {OVERTURES}


def test_open_ended_events_match_windows_on_their_open_side(api_client, russia):
    services.event_create(title="Occupation ongoing", date="2022-02-24/..", parties=[(russia, "actor")])
    assert get(api_client, "start=2030&end=2030") == {"Occupation ongoing"}
    assert get(api_client, "end=2021") == set()


# --- the other filters ---------------------------------------------------------------------------


@pytest.fixture(params=[0, 5_000], ids=["semi-join", "ids-read-first"])
def either_plan(request, monkeypatch):
    """A party's (or place's) events are read first when at most id_lists.FEW_EVENTS, else a
    semi-join: the filters' tests hold for both."""
    monkeypatch.setattr(id_lists, "FEW_EVENTS", request.param)


def test_party_finds_events_the_party_takes_part_in(api_client, timeline, either_plan):
    assert get(api_client, "party=volodymyr-zelensky") == {DECREE}


def test_repeated_parties_must_all_take_part(api_client, timeline, either_plan):
    assert get(api_client, "party=russia") == {INVASION, OVERTURES, STATEMENTS}
    assert get(api_client, "party=russia&party=ukraine") == {INVASION}
    assert get(api_client, "party=ukraine&party=volodymyr-zelensky") == {DECREE}


def test_role_with_party_requires_that_role(api_client, timeline, either_plan):
    assert get(api_client, "party=russia&role=actor") == {INVASION, OVERTURES}
    assert get(api_client, "party=russia&role=target") == {STATEMENTS}
    assert get(api_client, "party=ukraine&role=target") == {INVASION}


def test_role_with_several_parties_applies_to_each(api_client, timeline, either_plan):
    assert get(api_client, "party=russia&party=ukraine&role=actor") == set()
    assert get(api_client, "party=ukraine&party=volodymyr-zelensky&role=actor") == {DECREE}


def test_a_party_in_no_event_in_the_window_is_an_empty_page(api_client, timeline, either_plan):
    assert get(api_client, "party=volodymyr-zelensky&start=2023-01-01") == set()
    assert get(api_client, "party=russia&party=volodymyr-zelensky") == set()


def test_role_alone_finds_events_where_some_party_has_it(api_client, timeline):
    assert get(api_client, "role=target") == {INVASION, STATEMENTS}


def test_kind_filters_and_repeats_as_any_of(api_client, timeline):
    assert get(api_client, "kind=proposal") == {OVERTURES}
    assert get(api_client, "kind=proposal&kind=decree") == {OVERTURES, DECREE}


def test_source_finds_the_events_citing_it(api_client, timeline, article_2023, article_2024):
    assert get(api_client, f"source={article_2023.pk}") == {OVERTURES}
    assert get(api_client, f"source={article_2024.pk}") == {INVASION, STATEMENTS}
    assert get(api_client, f"source={article_2023.pk}&source={article_2024.pk}") == {
        INVASION,
        OVERTURES,
        STATEMENTS,
    }


def test_status_filters(api_client, timeline):
    services.event_update(event=timeline["decree"], status="reviewed")
    assert get(api_client, "status=reviewed") == {DECREE}
    assert get(api_client, "status=draft") == {INVASION, OVERTURES, STATEMENTS}


def test_precision_filters_and_repeats_as_any_of(api_client, timeline):
    assert get(api_client, "precision=day") == {INVASION}
    assert get(api_client, "precision=month") == {OVERTURES, STATEMENTS}
    assert get(api_client, "precision=year&precision=day") == {INVASION, DECREE}


def test_approximate_and_uncertain_filter_on_the_date_qualifiers(api_client, timeline):
    services.event_create(title="Talks, roughly", date="c. 2023")
    services.event_create(title="Talks, maybe", date="2023?")
    assert get(api_client, "approximate=true") == {"Talks, roughly"}
    assert get(api_client, "uncertain=true") == {"Talks, maybe"}
    assert "Talks, roughly" not in get(api_client, "approximate=false")


def test_place_filters_and_repeats_as_any_of(api_client, timeline):
    kyiv = services.place_create(name="Kyiv", kind="city")
    minsk = services.place_create(name="Minsk", kind="city")
    services.event_update(event=timeline["invasion"], places=[kyiv])
    services.event_update(event=timeline["decree"], places=[kyiv, minsk])
    assert get(api_client, "place=kyiv") == {INVASION, DECREE}
    assert get(api_client, "place=minsk&place=kyiv") == {INVASION, DECREE}
    assert get(api_client, "place=minsk") == {DECREE}


@pytest.mark.parametrize("list_limit", [1, 5_000])
def test_a_place_with_more_events_than_are_listed_is_filtered_as_one_with_few(api_client, timeline, monkeypatch, list_limit):
    # Up to FEW_EVENTS events, a place's event ids are read first and drive the query; past
    # it, a semi-join. Both give the same events, with a window and without.
    monkeypatch.setattr(id_lists, "FEW_EVENTS", list_limit)
    kyiv = services.place_create(name="Kyiv", kind="city")
    services.event_update(event=timeline["invasion"], places=[kyiv])
    services.event_update(event=timeline["decree"], places=[kyiv])
    assert get(api_client, "place=kyiv") == {INVASION, DECREE}
    window = "start=2022-02-24&end=2022-03-31"
    assert get(api_client, f"place=kyiv&{window}") == get(api_client, window) & {INVASION, DECREE}


def test_q_searches_titles(api_client, timeline):
    assert get(api_client, "q=truce") == {OVERTURES}


def test_q_searches_summaries(api_client, timeline):
    assert get(api_client, "q=presidential") == {DECREE}


def test_q_searches_cited_quotes(api_client, timeline):
    # "never-before-reported" occurs only in the overtures' quote, not in any title or summary.
    assert get(api_client, "q=reported") == {OVERTURES}
    assert get(api_client, "q=Crimea") == {STATEMENTS}


def test_q_needs_every_word(api_client, timeline):
    assert get(api_client, "q=Kremlin truce") == {OVERTURES}
    assert get(api_client, "q=Kremlin decree") == set()


@pytest.mark.postgres_only
def test_q_uses_english_full_text_search_on_postgresql(api_client, timeline, settings):
    if settings.DB_VENDOR != "postgresql":
        pytest.skip("PostgreSQL full-text search")
    # Stemming: "decreeing" and "decrees" share the stem "decre".
    assert get(api_client, "q=decreeing") == {DECREE}
    # websearch syntax: an excluded word.
    assert get(api_client, "q=talks -crimea") == {DECREE}


def test_updated_since_finds_events_changed_since(api_client, timeline):
    Event.objects.update(updated=timezone.now() - timedelta(days=10))
    services.event_update(event=timeline["overtures"], summary="Reported in December 2023.")
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert get(api_client, f"updated_since={since.replace('+', '%2B')}") == {OVERTURES}


def test_updated_since_reads_a_naive_date_time_as_utc(api_client, timeline):
    Event.objects.update(updated=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%S")
    assert get(api_client, f"updated_since={since}") == set()


def test_id_takes_a_comma_separated_list(api_client, timeline):
    ids = f"{timeline['invasion'].pk},{timeline['decree'].pk}"
    assert get(api_client, f"id={ids}") == {INVASION, DECREE}


def test_key_finds_a_curated_event(api_client, timeline):
    services.event_update(event=timeline["overtures"], key="kremlin-truce-overtures")
    assert get(api_client, "key=kremlin-truce-overtures") == {OVERTURES}


def test_filters_combine(api_client, timeline, article_2024):
    assert get(api_client, f"party=russia&start=2023&source={article_2024.pk}&q=Crimea") == {STATEMENTS}
    assert get(api_client, "party=russia&kind=proposal&end=2022-02") == set()


# --- order ---------------------------------------------------------------------------------------


def test_events_come_in_chronological_order_by_default(api_client, timeline):
    # earliest, then latest: the decree (2022-01-01..12-31) starts before the invasion (02-24).
    assert titles(api_client.get("/api/events/")) == [DECREE, INVASION, OVERTURES, STATEMENTS]


def test_ordering_minus_date_reverses_the_order(api_client, timeline):
    assert titles(api_client.get("/api/events/?ordering=-date")) == [STATEMENTS, OVERTURES, INVASION, DECREE]


def test_events_with_the_same_start_are_ordered_by_end_then_id(api_client):
    a = services.event_create(title="A", date="2022")
    b = services.event_create(title="B", date="2022-01-01")
    c = services.event_create(title="C", date="2022-01-01")
    assert b.pk < c.pk and a.pk < b.pk
    assert titles(api_client.get("/api/events/")) == ["B", "C", "A"]


def test_ordering_updated_lists_the_latest_changes_last(api_client, timeline):
    services.event_update(event=timeline["invasion"], summary="changed last")
    assert titles(api_client.get("/api/events/?ordering=updated"))[-1] == INVASION
    assert titles(api_client.get("/api/events/?ordering=-updated"))[0] == INVASION


# --- nested lists --------------------------------------------------------------------------------


def test_party_events_lists_what_the_party_takes_part_in(api_client, timeline):
    assert titles(api_client.get("/api/parties/ukraine/events/")) == [DECREE, INVASION]


def test_party_events_takes_the_event_filters_too(api_client, timeline):
    assert titles(api_client.get("/api/parties/russia/events/?start=2022-09&end=2022-09")) == [OVERTURES]
    assert titles(api_client.get("/api/parties/russia/events/?role=target")) == [STATEMENTS]


def test_source_events_lists_what_cites_the_source(api_client, timeline, article_2024):
    assert titles(api_client.get(f"/api/sources/{article_2024.pk}/events/")) == [INVASION, STATEMENTS]
    assert titles(api_client.get(f"/api/sources/{article_2024.pk}/events/?start=2023")) == [STATEMENTS]


def test_source_events_with_another_source_lists_what_cites_both(api_client, timeline, article_2024, article_2023):
    # `source` alone means "any of"; under a source's URL it must narrow, never widen, the list.
    assert titles(api_client.get(f"/api/sources/{article_2024.pk}/events/?source={article_2023.pk}")) == []
    assert titles(api_client.get(f"/api/sources/{article_2024.pk}/events/?source={article_2024.pk}")) == [INVASION, STATEMENTS]


def test_nested_lists_of_unknown_parents_are_404(api_client, timeline):
    assert api_client.get("/api/parties/atlantis/events/").status_code == 404
    assert api_client.get("/api/sources/999999/events/").status_code == 404


# --- coverage ------------------------------------------------------------------------------------


def test_every_event_field_has_a_filter_or_a_reason_to_have_none():
    filtered = {f.field_name.split("__")[0] for f in EventFilterSet.base_filters.values()}
    filters = set(EventFilterSet.base_filters)
    for field in Event._meta.get_fields():
        name = field.name
        if name in filtered:
            continue
        if name in EventFilterSet.covered:
            named = set(EventFilterSet.covered[name].split("/"))
            assert named <= filters, f"{name}: covered by unknown filters {named - filters}"
            continue
        assert EventFilterSet.excluded.get(name, "").strip(), f"Event.{name} has no filter and no reason"


def test_the_coverage_lists_name_real_fields():
    names = {f.name for f in Event._meta.get_fields()}
    assert set(EventFilterSet.covered) <= names
    assert set(EventFilterSet.excluded) <= names


def test_updated_since_sees_a_citation_added_later(api_client, timeline, article_2023):
    Event.objects.update(updated=timezone.now() - timedelta(days=10))
    services.citation_add(event=timeline["decree"], source=article_2023, quote="U.S. officials")
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert get(api_client, f"updated_since={since}") == {DECREE}


def test_updated_since_sees_a_party_added_later(api_client, timeline, zelensky):
    Event.objects.update(updated=timezone.now() - timedelta(days=10))
    services.participation_add(event=timeline["overtures"], party=zelensky, role="recipient")
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert get(api_client, f"updated_since={since}") == {OVERTURES}


@pytest.mark.postgres_only
def test_text_search_lists_few_matches_from_the_gin_index_on_postgresql(timeline, settings):
    if settings.DB_VENDOR != "postgresql":
        pytest.skip("PostgreSQL GIN index")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from timeline import selectors

    # No statistics on a new table: the matches are listed first, by the index.
    with CaptureQueriesContext(connection) as queries:
        assert [e.title for e in selectors.events_matching(q="truce")] == [OVERTURES]
    listing = next(q["sql"] for q in queries.captured_queries if "@@" in q["sql"])
    with connection.cursor() as cursor:
        # Four rows: make the planner show whether the GIN index can answer the match at all (an
        # ordered index scan, filtering every row, would otherwise also avoid the sequential scan).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {listing}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "event_search_vector_gin" in plan

"""Keyset pagination: stable pages in both orders and directions, bounded page sizes, opaque cursors,
and a constant number of queries per page, without COUNT and without OFFSET."""

from __future__ import annotations

import base64
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline import services

from .api_helpers import pages_both_ways, titles, walk

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("drafts_public"),  # reads drafts as an anonymous client (conftest)
]


@pytest.fixture
def crowded_day(db):
    """Nine events sharing their first day, three sharing their last too: only (earliest, latest, id)
    orders them, which is what the cursor must carry."""
    events = []
    for n, date in enumerate(["2022", "2022-01", "2022-01-01"] * 3):
        events.append(services.event_create(title=f"event {n} ({date})", date=date))
    return events


def expected_order(events, *, reverse=False):
    ordered = sorted(events, key=lambda e: (e.earliest, e.latest, e.pk), reverse=reverse)
    return [e.title for e in ordered]


def test_walking_the_next_links_visits_every_event_once_in_order(api_client, crowded_day):
    events = walk(api_client, "/api/events/?page_size=2")
    assert [e["title"] for e in events] == expected_order(crowded_day)


def test_walking_backwards_with_previous_links_gives_the_same_pages(api_client, crowded_day):
    forward, backward = pages_both_ways(api_client, "/api/events/?page_size=4")
    assert list(reversed(backward)) == forward[:-1]


def test_the_first_page_has_no_previous_link_and_the_last_no_next(api_client, crowded_day):
    first = api_client.get("/api/events/?page_size=5").json()
    assert first["previous"] is None and first["next"]
    last = api_client.get(first["next"]).json()
    assert last["next"] is None and last["previous"]


def test_reverse_order_pages_walk_newest_first(api_client, crowded_day):
    events = walk(api_client, "/api/events/?ordering=-date&page_size=4")
    assert [e["title"] for e in events] == expected_order(crowded_day, reverse=True)


def test_pages_do_not_shift_when_an_earlier_event_is_added(api_client, crowded_day):
    first = api_client.get("/api/events/?page_size=3").json()
    services.event_create(title="added before the cursor", date="1990")
    rest = walk(api_client, first["next"])
    seen = [e["title"] for e in first["results"] + rest]
    assert seen == expected_order(crowded_day)


def test_the_default_page_holds_fifty_events(api_client):
    for n in range(51):
        services.event_create(title=f"e{n}", date="2022")
    page = api_client.get("/api/events/").json()
    assert len(page["results"]) == 50 and page["next"]


@pytest.mark.parametrize("size", ["0", "201", "-1", "ten", "1.5", "٣"])
def test_a_page_size_outside_1_to_200_is_a_400(api_client, size):
    response = api_client.get(f"/api/events/?page_size={size}")
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_page_size_200_is_allowed(api_client, crowded_day):
    assert len(titles(api_client.get("/api/events/?page_size=200"))) == len(crowded_day)


def _cursor(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%%%",
        _cursor("a string"),
        _cursor(["earliest,latest,id", "n", "2022-01-01", "2022-12-31"]),  # a value short
        _cursor(["earliest,latest,id", "x", "2022-01-01", "2022-12-31", 1]),  # no such direction
        _cursor(["earliest,latest,id", "n", "2022-13-01", "2022-12-31", 1]),  # no such month
        _cursor(["earliest,latest,id", "n", "2022-01-01", "2022-12-31", "one"]),
        _cursor(["earliest,latest,id", "n", "2022-01-01", "2022-12-31", 2**70]),  # beyond 64 bits
        _cursor(["earliest,latest,id", "n", ["2022-01-01"], "2022-12-31", 1]),
        _cursor(["-earliest,-latest,-id", "n", "2022-01-01", "2022-12-31", 1]),  # another ordering
    ],
)
def test_a_cursor_that_cannot_be_used_is_a_400(api_client, crowded_day, cursor):
    response = api_client.get(f"/api/events/?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["cursor"][0].startswith("cannot use this cursor")


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
def test_a_cursor_time_beyond_the_calendar_in_utc_is_a_400(api_client, crowded_day, moment):
    cursor = _cursor(["updated,id", "n", moment, 15])
    response = api_client.get(f"/api/events/?ordering=updated&cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["cursor"][0].startswith("cannot use this cursor")


def test_a_cursor_made_for_one_ordering_is_refused_for_another(api_client, crowded_day):
    next_link = api_client.get("/api/events/?page_size=2").json()["next"]
    response = api_client.get(next_link + "&ordering=-date")
    assert response.status_code == 400
    assert "another ordering" in response.json()["cursor"][0]


# --- cost ----------------------------------------------------------------------------------------


@pytest.fixture
def many_events(russia, ukraine, article_2024):
    """201 events, each with two parties, a citation and a place: enough for a page of 200 and a next."""
    kyiv = services.place_create(name="Kyiv", kind="city")
    quote = "On February 24, 2022, Russia launched a military operation in Ukraine"
    for n in range(201):
        services.event_create(
            title=f"event {n}",
            date=f"2022-{1 + n % 12:02d}",
            parties=[(russia, "actor"), (ukraine, "target")],
            citations=[services.CitationInput(source=article_2024, quote=quote)],
            places=[kyiv],
        )


def _queries_for(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("size", [1, 50, 200])
def test_a_page_takes_a_fixed_number_of_queries_whatever_its_size(
    api_client, many_events, size, django_assert_max_num_queries
):
    # The change stamp (the page's validators, api/caching.py), the page's keys, then one statement
    # building its events' JSON with their parties, citations (with sources and publishers) and places.
    with django_assert_max_num_queries(3):
        page = api_client.get(f"/api/events/?page_size={size}").json()
    assert len(page["results"]) == size
    assert all(len(e["parties"]) == 2 and len(e["citations"]) == 1 for e in page["results"])


@pytest.mark.parametrize("fmt", ["csv", "ics", "timelinejs"])
def test_an_export_takes_the_same_queries_for_1_or_200_events(api_client, many_events, fmt):
    # The exports read the rows the listing selector loaded, never a query per event.
    counts = {len(_queries_for(api_client, f"/api/events/?format={fmt}&page_size={n}")) for n in (1, 200)}
    assert len(counts) == 1 and counts.pop() <= 4


def test_the_admin_exports_take_the_same_queries_for_1_or_200_events(many_events, staff_client):
    from timeline.models import Event

    ids = list(Event.objects.order_by("id").values_list("id", flat=True))
    counts = set()
    for chosen in (ids[:1], ids[:200]):
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.post(
                "/admin/timeline/event/", {"action": "export_json", "_selected_action": chosen}
            )
        assert response.status_code == 200 and response["Content-Disposition"].endswith('events.json"')
        counts.add(len(captured.captured_queries))
    assert len(counts) == 1


def test_filtered_pages_cost_the_same_at_every_size(api_client, many_events):
    counts = {
        len(_queries_for(api_client, f"/api/events/?party=russia&role=actor&page_size={n}"))
        for n in (1, 50, 200)
    }
    assert len(counts) == 1


def test_no_request_counts_the_table(api_client, many_events):
    for sql in _queries_for(api_client, "/api/events/?page_size=50&party=russia"):
        assert "COUNT(" not in sql.upper()


def test_a_deep_page_is_a_keyset_seek_not_an_offset(api_client, many_events):
    first = api_client.get("/api/events/?page_size=50").json()
    third = api_client.get(api_client.get(first["next"]).json()["next"]).json()
    assert third["results"]
    queries = _queries_for(api_client, api_client.get(first["next"]).json()["next"])
    assert len(queries) == len(_queries_for(api_client, "/api/events/?page_size=50"))
    assert not any("OFFSET" in sql.upper() for sql in queries)

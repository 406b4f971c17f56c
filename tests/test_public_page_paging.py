"""Issue 17: the public timeline is paged (a page of 200,000 events was 970 KB and took a second),
with next and previous links that keep the filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from timeline import views
from timeline.models import Event


def _in_order():
    return list(Event.objects.order_by("earliest", "latest", "id").values_list("pk", flat=True))


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(views, "PAGE_LIMIT", 2)


def test_the_timeline_shows_a_page_of_events_with_a_link_to_the_next(client, timeline, two_a_page):
    response = client.get(reverse("timeline-page"))
    assert response.status_code == 200
    shown = [event.pk for _, events in response.context["years"] for event in events]
    assert shown == _in_order()[:2]
    assert response.context["next_link"] == "?page=2" and response.context["previous_link"] is None
    assert 'rel="next" href="?page=2"' in response.content.decode()


def test_the_last_page_links_back_and_not_on(client, timeline, two_a_page):
    response = client.get(reverse("timeline-page"), {"page": "2"})
    shown = [event.pk for _, events in response.context["years"] for event in events]
    assert shown == _in_order()[2:4]
    assert response.context["next_link"] is None
    assert response.context["previous_link"] == "?page=1"


def test_page_links_keep_the_filters(client, timeline, russia, two_a_page):
    response = client.get(reverse("timeline-page"), {"party": russia.slug, "start": "2022"})
    assert response.context["next_link"] == f"?party={russia.slug}&start=2022&page=2"


def test_a_page_that_is_not_a_number_in_range_is_a_400_naming_it(client, timeline):
    for page in ("0", "x", str(views.MAX_PAGE + 1)):
        response = client.get(reverse("timeline-page"), {"page": page})
        assert response.status_code == 400
        assert "page" in response.context["errors"]


# These tests read the events their fixtures create (drafts) as an anonymous client: drafts shown.
_marks = globals().get("pytestmark", [])
pytestmark = [*(_marks if isinstance(_marks, list) else [_marks]), pytest.mark.usefixtures("drafts_public")]


def test_a_window_is_read_from_its_bounded_index_ranges_and_pages_the_same(client, timeline, two_a_page):
    # With a start, the page's keys come from the window's three bounded index ranges (one UNION ALL
    # statement, timeline.overlap), not an OFFSET over a walk from the table's first event; each page
    # shows the same events in the same order as the window itself.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from timeline import selectors

    window = selectors.events_in_range(start=selectors.date_window(start="2022")[0], queryset=Event.objects.all())
    expected = list(window.order_by("earliest", "latest", "id").values_list("pk", flat=True))
    assert len(expected) > 2
    shown, page = [], 1
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("timeline-page"), {"start": "2022", "page": str(page)})
        assert response.status_code == 200
        shown += [event.pk for _, events in response.context["years"] for event in events]
        assert any("UNION ALL" in q["sql"] for q in queries.captured_queries)
        if not response.context["next_link"]:
            break
        page += 1
    assert page > 1 and shown == expected


def test_a_page_past_the_last_is_a_404_that_says_so(client, timeline, two_a_page):
    # It was a 200 reading "Events 101–100 … No events match", with a link back.
    response = client.get(reverse("timeline-page"), {"start": "2022", "page": "50"})
    assert response.status_code == 404
    assert "there is no page 50" in response.content.decode()
    assert response.context["count"] == 0


def test_the_party_list_offers_parties_of_events_the_reader_may_see(client, timeline, russia, settings):
    from timeline import services

    settings.TIMELINE_PUBLIC_DRAFTS = False  # the fixtures' events are drafts: one is made public
    Event.objects.filter(pk=timeline["invasion"].pk).update(status=Event.Status.REVIEWED)
    hidden = services.party_create(name="Only in a draft", kind="group")
    draft = services.event_create(title="A draft", date="2022-05-01")  # a draft: not public
    services.participation_add(event=draft, party=hidden, role="actor")
    page = client.get(reverse("timeline-page"), {"party": russia.slug}).content.decode()
    assert f'<option value="{russia.slug}" selected>{russia.name}</option>' in page
    assert hidden.slug not in page

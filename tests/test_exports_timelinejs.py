"""The TimelineJS export as TimelineJS gets it: a title slide saying what was asked for and how many
matched, seasons, decades and centuries drawn as spans, summaries that keep their line breaks, an
empty result that is still a document TimelineJS opens, and a cut that the document itself tells.
Every document is checked by the validator written from the official format page (tests/timelinejs.py,
../shared/reference/timelinejs/README.md)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from api.renderers import TimelineJSRenderer
from timeline import services

from . import timelinejs
from .api_helpers import content

pytestmark = pytest.mark.django_db


def document(api_client, query: str = "", path: str = "/api/events/") -> dict:
    response = api_client.get(f"{path}?format=timelinejs{query}")
    assert response.status_code == 200
    data = json.loads(content(response))
    assert timelinejs.validate(data) == []
    return data


def slides(data: dict) -> dict[str, dict]:
    return {s["text"]["headline"]: s for s in data["events"]}


def test_the_title_slide_names_the_filters_and_counts_the_events(api_client, timeline):
    data = document(api_client, "&party=russia")
    title = data["title"]
    assert "start_date" not in title  # a title slide has no place in time
    assert title["text"]["headline"] == "Timeline events (party: russia)"
    assert title["text"]["text"] == "<p>3 events matching party: russia.</p>"
    assert len(data["events"]) == 3


def test_the_title_slide_of_a_nested_list_names_its_parent(api_client, timeline):
    data = document(api_client, path="/api/parties/ukraine/events/")
    assert data["title"]["text"]["headline"] == "Timeline events (party: ukraine)"
    assert data["title"]["text"]["text"] == "<p>2 events matching party: ukraine.</p>"


def test_what_was_asked_for_is_escaped_in_the_title(api_client, timeline):
    data = document(api_client, "&q=<b>talks</b>")
    assert data["title"]["text"]["headline"] == "Timeline events (q: &lt;b&gt;talks&lt;/b&gt;)"


@pytest.mark.parametrize(
    ("date", "start", "end"),
    [
        ("summer 2022", {"year": 2022, "month": 6}, {"year": 2022, "month": 8, "day": 31}),
        ("winter 2022", {"year": 2022, "month": 12}, {"year": 2023, "month": 2, "day": 28}),
        ("the 1990s", {"year": 1990}, {"year": 1999, "month": 12, "day": 31}),
        ("19XX", {"year": 1900}, {"year": 1999, "month": 12, "day": 31}),
    ],
)
def test_a_season_decade_or_century_is_drawn_as_the_span_it_is(api_client, date, start, end):
    event = services.event_create(title="Stretch", date=date)
    [slide] = document(api_client)["events"]
    assert (slide["start_date"], slide["end_date"]) == (start, end)
    assert slide["display_date"] == event.date_label


def test_a_day_month_or_year_stays_a_point(api_client, timeline):
    assert all("end_date" not in s for s in document(api_client)["events"])


def test_a_summary_keeps_its_paragraphs_and_line_breaks(api_client):
    services.event_create(
        title="Talks", date="2024", summary="First line\nsecond line <b>\r\n\r\nA new paragraph"
    )
    [slide] = document(api_client)["events"]
    assert slide["text"]["text"] == "<p>First line<br>second line &lt;b&gt;</p><p>A new paragraph</p>"


def test_an_empty_result_is_a_document_timelinejs_opens_saying_nothing_matched(api_client, timeline):
    data = document(api_client, "&start=1990&end=1991")
    assert data["title"]["text"]["text"] == "<p>No events matching start: 1990 · end: 1991.</p>"
    [slide] = data["events"]  # TimelineJS refuses a document without events
    today = timezone.now().date()
    assert slide["start_date"] == {"year": today.year, "month": today.month, "day": today.day}
    assert slide["text"]["headline"] == "No events"
    assert "start: 1990 · end: 1991" in slide["text"]["text"]


def test_an_empty_database_says_there_are_no_events_yet(api_client, db):
    data = document(api_client)
    assert data["title"]["text"]["text"] == "<p>There are no events yet.</p>"


def test_a_cut_export_says_so_in_its_title_and_links_to_the_rest(api_client, timeline, monkeypatch):
    monkeypatch.setattr(TimelineJSRenderer, "export_cap", 3)
    response = api_client.get("/api/events/?format=timelinejs")
    data = json.loads(content(response))
    assert timelinejs.validate(data) == []
    assert len(data["events"]) == 3
    link = response["Link"][1 : response["Link"].index(">")]
    text = data["title"]["text"]["text"]
    assert text.startswith("<p>The first 3 events: more match")
    assert f'<a href="{link.replace("&", "&amp;")}">' in text
    rest = json.loads(content(api_client.get(link)))
    assert [s["text"]["headline"] for s in rest["events"]] == ["Statements that talks need Crimea back"]
    assert rest["title"]["text"]["text"] == "<p>1 event.</p>"
    assert "Link" not in api_client.get(link)


def test_the_admin_s_export_has_a_title_slide_too(staff_client, invasion, overtures):
    response = staff_client.post(
        "/admin/timeline/event/",
        {"action": "export_timelinejs", "_selected_action": [invasion.pk, overtures.pk]},
    )
    data = json.loads(response.content)
    assert timelinejs.validate(data) == []
    assert data["title"]["text"]["text"] == "<p>2 events.</p>"


# These tests read the events their fixtures create (drafts) as an anonymous client: drafts shown.
_marks = globals().get("pytestmark", [])
pytestmark = [*(_marks if isinstance(_marks, list) else [_marks]), pytest.mark.usefixtures("drafts_public")]

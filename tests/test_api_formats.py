"""The representations of an event list: JSON (default), CSV, iCalendar and TimelineJS, how the
exports are streamed and paged, and how the format is chosen."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from icalendar import Calendar

from api.pagination import KeysetPagination
from api.renderers import ORJSONRenderer
from timeline import services

from . import timelinejs
from .api_helpers import content

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("drafts_public"),  # reads drafts as an anonymous client (conftest)
]

TIMELINEJS_EXAMPLES = Path(__file__).parent / "data" / "timelinejs"


# --- JSON ----------------------------------------------------------------------------------------


def test_json_is_the_default_and_rendered_by_orjson(api_client, timeline):
    response = api_client.get("/api/events/")
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.accepted_renderer, ORJSONRenderer)
    assert api_client.get("/api/events/?format=json").json() == response.json()


def test_an_event_carries_its_date_parties_citations_and_links(api_client, timeline, article_2023, nyt):
    overtures = timeline["overtures"]
    event = api_client.get(f"/api/events/{overtures.pk}/").json()
    assert event["id"] == overtures.pk
    assert event["url"] == "http://testserver" + reverse("event-detail", args=[overtures.pk])
    assert (event["title"], event["kind"], event["status"]) == (overtures.title, "proposal", "draft")
    assert event["date"] == {
        "text": "September 2022",
        "earliest": "2022-09-01",
        "latest": "2022-09-30",
        "precision": "month",
        "edtf": "2022-09",
        "label": "September 2022",
        "approximate": False,
        "uncertain": False,
    }
    assert event["parties"] == [{"slug": "russia", "name": "Russia", "kind": "state", "role": "actor"}]
    [citation] = event["citations"]
    assert article_2023.text[citation["char_start"] : citation["char_end"]] == citation["quote"]
    assert citation["source"] == {
        "id": article_2023.pk,
        "title": article_2023.title,
        "publisher": {"slug": nyt.slug, "name": nyt.name},
        "article_url": "https://example.org/ceasefire",
        "published": article_2023.published.as_dict(),
        "url": "http://testserver" + reverse("source-detail", args=[article_2023.pk]),
    }
    assert event["created"].startswith(str(overtures.created.date()))


def test_a_span_covers_the_whole_occurrence_with_an_edtf_interval(api_client):
    event = services.event_create(title="Summit", date="15 June 2024", end="16 June 2024", kind="meeting")
    data = api_client.get(f"/api/events/{event.pk}/").json()["date"]
    assert (data["earliest"], data["latest"]) == ("2024-06-15", "2024-06-16")
    assert data["edtf"] == "2024-06-15/2024-06-16"
    assert data["text"] == "15 June 2024 – 16 June 2024"
    assert data["label"] == "15–16 June 2024"


def test_open_bounds_are_null(api_client):
    since = services.event_create(title="Occupation", date="2022-02-24/..")
    until = services.event_create(title="Ceasefire holds", date="../2023-06")
    assert api_client.get(f"/api/events/{since.pk}/").json()["date"]["latest"] is None
    assert api_client.get(f"/api/events/{until.pk}/").json()["date"]["earliest"] is None


def test_a_relative_date_names_the_source_that_anchored_it(api_client, timeline, article_2024):
    data = api_client.get(f"/api/events/{timeline['statements'].pk}/").json()
    assert data["anchor_source"] == article_2024.pk
    assert data["date"]["edtf"] == "2023-11"


# --- CSV -----------------------------------------------------------------------------------------


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(content(response).decode())))


def test_csv_has_one_row_per_event_with_flat_date_and_party_columns(api_client, timeline):
    response = api_client.get("/api/events/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="events.csv"'
    rows = {row["title"]: row for row in csv_rows(response)}
    assert len(rows) == 4
    invasion = rows["Russia launches its military operation in Ukraine"]
    assert invasion["date_earliest"] == invasion["date_latest"] == "2022-02-24"
    assert (invasion["date_precision"], invasion["date_edtf"], invasion["date_label"]) == (
        "day",
        "2022-02-24",
        "24 February 2022",
    )
    assert (invasion["date_approximate"], invasion["date_uncertain"]) == ("false", "false")
    assert invasion["parties"] == "russia;ukraine"
    assert invasion["party_roles"] == "russia:actor;ukraine:target"
    assert invasion["source_ids"] == str(timeline["invasion"].citations.get().source_id)
    assert rows["Ukraine decrees that talks with Putin are impossible"]["date_latest"] == "2022-12-31"


def test_csv_exports_the_filtered_list_in_order(api_client, timeline):
    rows = csv_rows(api_client.get("/api/events/?format=csv&party=russia&ordering=-date"))
    assert [r["title"] for r in rows] == [
        "Statements that talks need Crimea back",
        "The Kremlin makes truce overtures to U.S. officials",
        "Russia launches its military operation in Ukraine",
    ]


def test_csv_leaves_open_bounds_empty(api_client):
    services.event_create(title="Occupation", date="2022-02-24/..")
    [row] = csv_rows(api_client.get("/api/events/?format=csv"))
    assert (row["date_earliest"], row["date_latest"]) == ("2022-02-24", "")


def test_csv_keeps_commas_quotes_and_newlines_inside_cells(api_client):
    services.event_create(title='Talks "resume", again', date="2024", summary="line one\nline two")
    [row] = csv_rows(api_client.get("/api/events/?format=csv"))
    assert (row["title"], row["summary"]) == ('Talks "resume", again', "line one\nline two")


def test_an_empty_csv_still_has_its_header(api_client, db):
    text = content(api_client.get("/api/events/?format=csv")).decode()
    assert text.startswith("id,url,key,title") and text.count("\n") == 1


# --- iCalendar -----------------------------------------------------------------------------------


def calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(content(response))


def test_ics_has_one_all_day_vevent_per_event_with_an_exclusive_end(api_client, timeline):
    cal = calendar(api_client.get("/api/events/?format=ics"))
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 4
    for event in timeline.values():
        vevent = events[event.title]
        assert vevent["DTSTART"].dt == event.earliest
        assert vevent["DTEND"].dt == event.latest + timedelta(days=1)
        assert type(vevent["DTSTART"].dt) is date  # all-day: a DATE, not a DATE-TIME
        assert vevent["DTSTAMP"].dt.tzinfo is not None
    assert events["The Kremlin makes truce overtures to U.S. officials"]["DTEND"].dt == date(2022, 10, 1)


def test_ics_uids_are_stable_and_unique(api_client, timeline, settings):
    first = [str(e["UID"]) for e in calendar(api_client.get("/api/events/?format=ics")).walk("VEVENT")]
    services.event_update(event=timeline["invasion"], summary="edited")
    second = [str(e["UID"]) for e in calendar(api_client.get("/api/events/?format=ics")).walk("VEVENT")]
    assert first == second
    assert len(set(first)) == 4
    assert f"{timeline['invasion'].key}@{settings.SITE_DOMAIN}" in first


def test_ics_is_valid_rfc_5545_text(api_client, timeline):
    body = content(api_client.get("/api/events/?format=ics"))
    lines = body.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
    assert b"\n" not in body.replace(b"\r\n", b"")  # CRLF line ends only
    assert all(len(line) <= 75 for line in lines)  # folded
    for vevent in Calendar.from_ical(body).walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert required in vevent
        assert vevent["DTEND"].dt > vevent["DTSTART"].dt


def test_ics_shows_an_open_ended_event_on_its_known_day(api_client):
    services.event_create(title="Occupation", date="2022-02-24/..")
    [vevent] = calendar(api_client.get("/api/events/?format=ics")).walk("VEVENT")
    assert (vevent["DTSTART"].dt, vevent["DTEND"].dt) == (date(2022, 2, 24), date(2022, 2, 25))
    assert "Open-ended" in str(vevent["DESCRIPTION"])


def test_ics_describes_the_fuzzy_date_and_the_sources(api_client, timeline, article_2023):
    cal = calendar(api_client.get(f"/api/events/?format=ics&source={article_2023.pk}"))
    [vevent] = cal.walk("VEVENT")
    description = str(vevent["DESCRIPTION"])
    assert "September 2022 (2022-09)" in description
    assert article_2023.title in description and article_2023.url in description


# --- TimelineJS ----------------------------------------------------------------------------------


def timelinejs_document(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.timelinejs+json"
    return json.loads(content(response))


@pytest.mark.parametrize(
    "path", sorted(p.name for p in TIMELINEJS_EXAMPLES.glob("*.json") if "legacy" not in p.name)
)
def test_the_validator_accepts_every_official_timelinejs3_example(path):
    assert timelinejs.validate(json.loads((TIMELINEJS_EXAMPLES / path).read_text())) == []


def test_the_validator_rejects_the_timelinejs2_shape():
    legacy = json.loads((TIMELINEJS_EXAMPLES / "legacy_timelinejs2_example.json").read_text())
    assert timelinejs.validate(legacy)


def test_the_timelinejs_export_is_a_valid_timelinejs3_document(api_client, timeline):
    services.event_create(title="Summit", date="15 June 2024", end="16 June 2024", kind="meeting")
    services.event_create(title="Occupation", date="2022-02-24/..")
    document = timelinejs_document(api_client.get("/api/events/?format=timelinejs"))
    assert timelinejs.validate(document) == []
    assert len(document["events"]) == 6


def test_timelinejs_dates_carry_only_the_parts_the_precision_supports(api_client, timeline):
    slides = {
        s["text"]["headline"]: s
        for s in timelinejs_document(api_client.get("/api/events/?format=timelinejs"))["events"]
    }
    assert slides["Russia launches its military operation in Ukraine"]["start_date"] == {
        "year": 2022,
        "month": 2,
        "day": 24,
    }
    assert slides["The Kremlin makes truce overtures to U.S. officials"]["start_date"] == {
        "year": 2022,
        "month": 9,
    }
    assert slides["Ukraine decrees that talks with Putin are impossible"]["start_date"] == {"year": 2022}
    assert all("end_date" not in s for s in slides.values())


def test_a_timelinejs_span_ends_at_its_end_with_the_end_s_own_precision(api_client):
    services.event_create(title="Summit", date="15 June 2024", end="16 June 2024")
    services.event_create(title="Offensive", date="24 February 2022", end="March 2022")
    slides = {
        s["text"]["headline"]: s
        for s in timelinejs_document(api_client.get("/api/events/?format=timelinejs"))["events"]
    }
    assert slides["Summit"]["end_date"] == {"year": 2024, "month": 6, "day": 16}
    assert slides["Offensive"]["start_date"] == {"year": 2022, "month": 2, "day": 24}
    assert slides["Offensive"]["end_date"] == {"year": 2022, "month": 3}


def test_timelinejs_slides_label_group_and_identify_events(api_client, timeline):
    document = timelinejs_document(api_client.get("/api/events/?format=timelinejs&kind=proposal"))
    [slide] = document["events"]
    assert slide["display_date"] == "September 2022"
    assert slide["group"] == "Proposal / overture"
    assert slide["unique_id"] == f"event-{timeline['overtures'].pk}"


def test_timelinejs_text_is_escaped_html(api_client):
    services.event_create(title="<script>alert(1)</script> & co", date="2024", summary="a < b")
    [slide] = timelinejs_document(api_client.get("/api/events/?format=timelinejs"))["events"]
    assert slide["text"]["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    assert slide["text"]["text"] == "<p>a &lt; b</p>"


# --- how exports page, and how a format is chosen ------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "ics", "timelinejs"])
def test_exports_are_streamed(api_client, timeline, fmt):
    assert api_client.get(f"/api/events/?format={fmt}").streaming


def test_an_export_carries_more_than_a_json_page(api_client):
    for n in range(60):
        services.event_create(title=f"e{n}", date="2022")
    response = api_client.get("/api/events/?format=csv")
    assert len(csv_rows(response)) == 60
    assert "Link" not in response


@pytest.mark.parametrize("fmt", ["csv", "ics"])
def test_csv_and_ics_carry_every_matching_event_however_many(api_client, timeline, monkeypatch, fmt):
    monkeypatch.setattr(KeysetPagination, "export_page_size", 3)  # what caps a page_size and timelinejs
    response = api_client.get(f"/api/events/?format={fmt}")
    body = content(response)
    count = len(body.splitlines()) - 1 if fmt == "csv" else len(Calendar.from_ical(body).walk("VEVENT"))
    assert count == 4
    assert "Link" not in response


def test_an_export_asked_for_in_pages_links_to_the_rest(api_client, timeline):
    first = api_client.get("/api/events/?format=csv&page_size=3")
    assert [r["title"] for r in csv_rows(first)] == [
        "Ukraine decrees that talks with Putin are impossible",
        "Russia launches its military operation in Ukraine",
        "The Kremlin makes truce overtures to U.S. officials",
    ]
    link = first["Link"]
    assert link.endswith('>; rel="next"')
    rest = api_client.get(link[1 : link.index(">")])
    assert [r["title"] for r in csv_rows(rest)] == ["Statements that talks need Crimea back"]
    assert "Link" not in rest


def test_an_export_takes_a_page_size(api_client, timeline):
    response = api_client.get("/api/events/?format=ics&page_size=1")
    assert len(calendar(response).walk("VEVENT")) == 1
    assert "format=ics" in response["Link"]


@pytest.mark.parametrize(
    ("accept", "media_type"), [("text/csv", "text/csv"), ("text/calendar", "text/calendar")]
)
def test_the_accept_header_chooses_a_format_too(api_client, timeline, accept, media_type):
    response = api_client.get("/api/events/", HTTP_ACCEPT=accept)
    assert response["Content-Type"].startswith(media_type)


def test_format_wins_over_the_accept_header(api_client, timeline):
    response = api_client.get("/api/events/?format=csv", HTTP_ACCEPT="application/json")
    assert response["Content-Type"].startswith("text/csv")


def test_a_bad_filter_in_an_export_is_a_json_400(api_client, timeline):
    response = api_client.get("/api/events/?format=ics&start=Septembr 2022")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"start": ["could not understand 'Septembr 2022' as a date"]}


def test_exports_are_for_event_lists_only(api_client, timeline):
    response = api_client.get(f"/api/events/{timeline['invasion'].pk}/?format=csv")
    assert response.status_code == 400
    assert "format" in response.json()
    assert api_client.get("/api/parties/?format=ics").status_code == 400


def test_nested_event_lists_export_too(api_client, timeline):
    rows = csv_rows(api_client.get("/api/parties/ukraine/events/?format=csv"))
    assert {r["title"] for r in rows} == {
        "Ukraine decrees that talks with Putin are impossible",
        "Russia launches its military operation in Ukraine",
    }


def test_an_export_read_in_chunks_keeps_every_event_s_related_rows(api_client, timeline, monkeypatch):
    from api.viewsets import EventListMixin

    monkeypatch.setattr(EventListMixin, "export_chunk_size", 1)
    rows = {r["title"]: r for r in csv_rows(api_client.get("/api/events/?format=csv"))}
    assert (
        rows["Russia launches its military operation in Ukraine"]["party_roles"]
        == "russia:actor;ukraine:target"
    )
    assert (
        rows["Ukraine decrees that talks with Putin are impossible"]["parties"]
        == "ukraine;volodymyr-zelensky"
    )


def test_the_browsable_api_renders_the_list_for_a_browser(api_client, timeline):
    response = api_client.get("/api/events/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Russia launches its military operation in Ukraine" in response.content.decode()

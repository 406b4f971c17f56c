"""Each export of the events list at a path of its own (/api/events.csv, .ics, .timelinejs; issue 18):
the file ``?format=`` gives, whatever the Accept header says, with the list's filters, paging, draft
rule and export throttle. (The OpenAPI side, one operation per format, is test_api_schema.py's.)"""

from __future__ import annotations

import csv
import io
import json

import pytest
from icalendar import Calendar

from api.throttling import AnonExportThrottle, AnonThrottle
from timeline import services

from .api_helpers import content

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "ics", "timelinejs"]


def csv_titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in csv.DictReader(io.StringIO(content(response).decode()))]


def vevents(body: bytes) -> list[tuple[str, str, str]]:
    return [(str(e["UID"]), str(e["SUMMARY"]), e["DTSTART"].to_ical().decode()) for e in Calendar.from_ical(body).walk("VEVENT")]


@pytest.mark.usefixtures("drafts_public")
def test_each_path_serves_the_file_format_gives(api_client, timeline):
    query = "start=2022&end=2023&party=russia"
    by_path = api_client.get(f"/api/events.csv?{query}")
    assert content(by_path) == content(api_client.get(f"/api/events/?format=csv&{query}"))
    assert len(csv_titles(api_client.get(f"/api/events.csv?{query}"))) == 3  # Russia's events of 2022–2023
    by_path, by_format = (
        content(api_client.get(f"/api/events.ics?{query}")),
        content(api_client.get(f"/api/events/?format=ics&{query}")),
    )
    assert vevents(by_path) == vevents(by_format) and len(vevents(by_path)) == 3
    assert json.loads(content(api_client.get(f"/api/events.timelinejs?{query}"))) == json.loads(
        content(api_client.get(f"/api/events/?format=timelinejs&{query}"))
    )


@pytest.mark.usefixtures("drafts_public")
@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("csv", "text/csv; charset=utf-8"), ("ics", "text/calendar; charset=utf-8"), ("timelinejs", "application/vnd.timelinejs+json")],
)
def test_a_path_serves_its_format_whatever_the_accept_header_says(api_client, timeline, fmt, media_type):
    response = api_client.get(f"/api/events.{fmt}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == media_type
    assert response.streaming


@pytest.mark.usefixtures("drafts_public")
def test_an_export_path_pages_with_a_link_to_the_rest_on_the_same_path(api_client, timeline):
    first = api_client.get("/api/events.csv?page_size=3")
    link = first["Link"]
    assert link.startswith("<http://testserver/api/events.csv?") and link.endswith('>; rel="next"')
    rest = api_client.get(link[1 : link.index(">")])
    assert len(csv_titles(first)) == 3 and len(csv_titles(rest)) == 1
    assert "Link" not in rest


@pytest.mark.usefixtures("drafts_public")
def test_a_calendar_says_to_refresh_from_the_path_it_was_read_from(api_client, timeline):
    calendar = Calendar.from_ical(content(api_client.get("/api/events.ics?party=russia")))
    assert str(calendar["SOURCE"]) == "http://testserver/api/events.ics?party=russia"
    assert str(calendar["X-WR-CALNAME"]) == "Timeline events (party: russia)"


def test_another_format_asked_of_an_export_path_is_a_400_naming_it(api_client, db):
    response = api_client.get("/api/events.csv?format=ics")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["format"]
    assert api_client.get("/api/events.csv?format=csv").status_code == 200


def test_a_bad_filter_on_an_export_path_is_a_json_400(api_client, db):
    response = api_client.get("/api/events.ics?start=Septembr 2022")
    assert response.status_code == 400
    assert response.json() == {"start": ["could not understand 'Septembr 2022' as a date"]}


def test_options_on_an_export_path_describes_it_in_json(api_client, db):
    response = api_client.options("/api/events.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "GET" in response["Allow"]


def test_an_export_path_only_reads(token_client, db):
    assert token_client.post("/api/events.csv", {"title": "x", "date": "2022"}, format="json").status_code == 405
    assert token_client.get("/api/events.json").status_code == 404  # the list's own path serves JSON


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_paths_leave_drafts_out_for_anonymous_readers(api_client, invasion, overtures, fmt):
    services.event_update(event=overtures, status="reviewed")
    body = content(api_client.get(f"/api/events.{fmt}")).decode()
    assert overtures.title in body
    assert invasion.title not in body


def test_export_paths_count_against_the_export_rate(api_client, invasion, monkeypatch):
    rates = {"anon": "100/minute", "export": "2/minute"}
    for throttle in (AnonThrottle, AnonExportThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", rates)
    statuses = [api_client.get(url).status_code for url in ("/api/events.csv", "/api/events/?format=ics", "/api/events.timelinejs")]
    assert statuses == [200, 200, 429]
    assert api_client.get("/api/events/").status_code == 200

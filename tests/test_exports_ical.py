"""The iCalendar export as calendars read it: UIDs that are the same for the same event wherever it
is stored and different between sites, and a calendar that names itself and says how often to
refresh. Read back with two independent libraries from PyPI: icalendar and vobject."""

from __future__ import annotations

import pytest
import vobject
from icalendar import Calendar

from timeline import exchange, selectors, services
from timeline.models import Event

from .api_helpers import content

pytestmark = pytest.mark.django_db


def ics(api_client, query: str = "") -> bytes:
    response = api_client.get(f"/api/events/?format=ics{query}")
    assert response.status_code == 200
    return content(response)


def uids_by_title(body: bytes) -> dict[str, str]:
    return {str(e["SUMMARY"]): str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT")}


def test_a_uid_is_the_event_s_key_at_the_site_s_domain(api_client, timeline, settings):
    settings.SITE_DOMAIN = "timeline.example.org"
    uids = uids_by_title(ics(api_client))
    assert uids == {e.title: f"{e.key}@timeline.example.org" for e in timeline.values()}


def test_the_same_events_in_another_database_keep_their_uids(api_client, timeline):
    """As after a dump loaded elsewhere or an import: other ids, the same keys, the same UIDs."""
    first = uids_by_title(ics(api_client))
    records = [exchange.event_record(e) for e in selectors.events_for_listing(Event.objects.order_by("id"))]
    ids_before = set(Event.objects.values_list("id", flat=True))
    Event.objects.all().delete()
    services.event_create(title="An event only the other database has", date="1999")
    result = exchange.import_records(records)
    assert result.errors == [] and result.created == 4
    assert not ids_before & set(Event.objects.values_list("id", flat=True))  # every id changed
    second = uids_by_title(ics(api_client))
    assert {title: second[title] for title in first} == first


def test_two_sites_give_the_same_events_different_uids(api_client, timeline, settings):
    settings.SITE_DOMAIN = "one.example.org"
    one = set(uids_by_title(ics(api_client)).values())
    settings.SITE_DOMAIN = "other.example.net"
    other = set(uids_by_title(ics(api_client)).values())
    assert len(one) == len(other) == 4
    assert not one & other


def test_the_calendar_is_named_for_what_was_asked_and_says_when_to_refresh(api_client, timeline):
    body = ics(api_client, "&party=russia&kind=proposal")
    calendar = Calendar.from_ical(body)
    assert str(calendar["NAME"]) == "Timeline events (party: russia · kind: proposal)"
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"])
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT12H\r\n" in body
    assert str(calendar["SOURCE"]) == "http://testserver/api/events/?format=ics&party=russia&kind=proposal"
    assert "party: russia · kind: proposal" in str(calendar["DESCRIPTION"])


def test_a_nested_list_names_its_parent_and_an_unfiltered_one_is_just_events(api_client, timeline):
    nested = Calendar.from_ical(content(api_client.get("/api/parties/ukraine/events/?format=ics")))
    assert str(nested["NAME"]) == "Timeline events (party: ukraine)"
    assert str(Calendar.from_ical(ics(api_client))["NAME"]) == "Timeline events"


def test_a_name_with_commas_and_semicolons_is_escaped_text(api_client, timeline):
    body = ics(api_client, "&q=talks,%20truce;%20ceasefire")
    assert b"\r\nNAME:Timeline events (q: talks\\, truce\\; ceasefire)\r\n" in body
    assert vobject.readOne(body.decode()).x_wr_calname.value == "Timeline events (q: talks, truce; ceasefire)"


def test_vobject_reads_the_calendar_and_every_event(api_client, timeline, settings):
    settings.SITE_DOMAIN = "timeline.example.org"
    calendar = vobject.readOne(ics(api_client).decode())
    assert calendar.x_wr_calname.value == "Timeline events"
    events = {e.summary.value: e for e in calendar.vevent_list}
    assert set(events) == {e.title for e in timeline.values()}
    overtures = timeline["overtures"]
    vevent = events[overtures.title]
    assert vevent.uid.value == f"{overtures.key}@timeline.example.org"
    assert (vevent.dtstart.value.isoformat(), vevent.dtend.value.isoformat()) == ("2022-09-01", "2022-10-01")
    assert "September 2022" in vevent.description.value


def test_vobject_reads_the_refresh_interval_and_unique_uids_from_the_export_s_own_path(api_client, timeline):
    calendar = vobject.readOne(content(api_client.get("/api/events.ics")).decode())
    refresh = calendar.contents["refresh-interval"][0]
    assert (refresh.value, refresh.params["VALUE"]) == ("PT12H", ["DURATION"])
    assert calendar.x_published_ttl.value == "PT12H"
    uids = [vevent.uid.value for vevent in calendar.vevent_list]
    assert len(uids) == len(set(uids)) == 4


# These tests read the events their fixtures create (drafts) as an anonymous client: drafts shown.
_marks = globals().get("pytestmark", [])
pytestmark = [*(_marks if isinstance(_marks, list) else [_marks]), pytest.mark.usefixtures("drafts_public")]

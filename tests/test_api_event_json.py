"""An event's JSON as the database builds it (api/event_json.py), on SQLite and on PostgreSQL: every
column as the models hold it, open bounds as null, nested rows in their documented order."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from rest_framework.fields import DateTimeField

from api.event_json import event_data, events_json
from api.representation import Links
from timeline import services
from timeline.fuzzy_columns import OPEN_END, OPEN_START
from timeline.models import Citation, Event, Participation, Party, Source

pytestmark = pytest.mark.usefixtures("drafts_public")  # reads drafts as an anonymous client (conftest)

EVENTS = "http://testserver/api/events/"
SOURCES = "http://testserver/api/sources/"


@pytest.fixture
def links(rf):
    return Links(rf.get("/"))


def _bound(value, reserved):
    return None if value is None or value == reserved else value.isoformat()


def _date(text, earliest, latest, precision, edtf, label, approximate, uncertain):
    return {"text": text, "earliest": _bound(earliest, OPEN_START), "latest": _bound(latest, OPEN_END),
            "precision": precision, "edtf": edtf, "label": label, "approximate": approximate, "uncertain": uncertain}


def _ref(party: Party | None):
    return None if party is None else {"slug": party.slug, "name": party.name}


def expected(event: Event) -> dict:
    """The representation written out from the models in Python: the oracle for the SQL."""
    event = Event.objects.get(pk=event.pk)
    participations = Participation.objects.filter(event=event).select_related("party").order_by("role", "party__name", "id")
    citations = Citation.objects.filter(event=event).select_related("source__publisher", "attributed_to").order_by(
        "source_id", "char_start", "id")
    places = event.places.order_by("name", "id")

    def published(s: Source):
        if not s.published_edtf:
            return None
        return _date(s.published_text, s.published_earliest, s.published_latest, s.published_precision,
                     s.published_edtf, s.published_label, s.published_approximate, s.published_uncertain)

    return {
        "id": event.pk,
        "url": f"{EVENTS}{event.pk}/",
        "key": event.key,
        "title": event.title,
        "summary": event.summary,
        "kind": event.kind,
        "status": event.status,
        "date": _date(f"{event.date_text} – {event.end_text}" if event.end_text else event.date_text,
                      event.earliest, event.latest, event.precision, event.edtf, event.date_label,
                      event.approximate, event.uncertain),
        "anchor_source": event.date_anchor_id,
        "parties": [{"slug": p.party.slug, "name": p.party.name, "kind": p.party.kind, "role": p.role}
                    for p in participations],
        "citations": [
            {"source": {"id": c.source.pk, "title": c.source.title, "publisher": _ref(c.source.publisher),
                        "article_url": c.source.url, "published": published(c.source), "url": f"{SOURCES}{c.source.pk}/"},
             "quote": c.quote, "char_start": c.char_start, "char_end": c.char_end, "attributed_to": _ref(c.attributed_to)}
            for c in citations
        ],
        "places": [{"slug": p.slug, "name": p.name, "kind": p.kind} for p in places],
        "created": DateTimeField().to_representation(event.created),
        "updated": DateTimeField().to_representation(event.updated),
    }


@pytest.fixture
def rich_event(db, russia, ukraine, zelensky, article_2023, article_2024):
    """Every branch at once: a span, parties in several roles, citations of two sources (one with a
    publisher, one attributed to a speaker), places, text that JSON must escape."""
    kyiv = services.place_create(name="Kyiv", kind="city")
    bucha = services.place_create(name="Bucha", kind="city")
    event = services.event_create(
        title='The "Kremlin" \\ talks\n\ttab \u00e9\u00e8 \U0001f54a\ufe0f end',
        summary="line one\r\nline two \u2028 \x01 control",
        date="September 2022",
        end="next March",
        anchor=article_2023,
        kind="proposal",
        parties=[(ukraine, "target"), (russia, "actor"), (zelensky, "actor")],
        citations=[
            services.CitationInput(source=article_2023, quote="overtures from the Kremlin", attributed_to=zelensky),
            services.CitationInput(source=article_2024, quote="Russia launched a military operation"),
        ],
        places=[kyiv, bucha],
    )
    return event


def test_an_event_reads_as_the_models_hold_it(rich_event, links):
    served = event_data(rich_event.pk, links=links)
    assert served == expected(rich_event)
    assert [p["slug"] for p in served["parties"]] == ["russia", "volodymyr-zelensky", "ukraine"]
    assert [p["slug"] for p in served["places"]] == ["bucha", "kyiv"]
    assert served["citations"][0]["attributed_to"] == {"slug": "volodymyr-zelensky", "name": "Volodymyr Zelensky"}
    assert " – " in served["date"]["text"]


def test_open_bounds_are_null_and_an_undated_source_has_no_published(db, links):
    source = services.source_create(title="Undated", text="Talks were held at some point.")
    event = services.event_create(title="Open start", date="../2022-01-25",
                                  citations=[services.CitationInput(source=source, quote="Talks were held")])
    since = services.event_create(title="Open end", date="2022-02-24/..")
    served = event_data(event.pk, links=links)
    assert served["date"]["earliest"] is None and served["date"]["latest"] == "2022-01-25"
    assert event_data(since.pk, links=links)["date"]["latest"] is None
    assert event_data(since.pk, links=links) == expected(since)
    assert served["citations"][0]["source"]["published"] is None
    assert served["citations"][0]["source"]["publisher"] is None
    assert served["parties"] == [] and served["places"] == []
    assert served == expected(event)


@pytest.mark.parametrize("microsecond", [0, 250_000, 7])
def test_time_stamps_read_as_every_other_time_stamp_of_the_api(overtures, article_2023, russia, links, api_client,
                                                                microsecond):
    moment = dt.datetime(2024, 5, 1, 12, 0, 0, microsecond, tzinfo=dt.UTC)
    Event.objects.filter(pk=overtures.pk).update(created=moment, updated=moment)
    Source.objects.filter(pk=article_2023.pk).update(created=moment, updated=moment)
    Party.objects.filter(pk=russia.pk).update(created=moment, updated=moment)
    written = moment.isoformat().replace("+00:00", "Z")
    served = event_data(overtures.pk, links=links)
    assert served["created"] == served["updated"] == written
    assert api_client.get(f"/api/sources/{article_2023.pk}/").json()["updated"] == written
    assert api_client.get("/api/parties/russia/").json()["updated"] == written


def test_events_that_do_not_exist_are_left_out(overtures, links):
    assert list(events_json([overtures.pk, 10**12], links=links)) == [overtures.pk]
    assert events_json([], links=links) == {}


def test_a_list_page_passes_the_database_json_through(api_client, timeline):
    response = api_client.get("/api/events/?page_size=3")
    assert response["Content-Type"] == "application/json"
    page = orjson.loads(response.content)
    for event in page["results"]:
        assert event == expected(Event.objects.get(pk=event["id"]))


def test_a_list_page_in_the_browsable_api_and_indented_carries_the_same_events(api_client, timeline):
    plain = orjson.loads(api_client.get("/api/events/").content)["results"]
    indented = api_client.get("/api/events/", HTTP_ACCEPT="application/json; indent=4")
    assert b'\n    "results": [\n        {\n            "id": ' in indented.content
    assert orjson.loads(indented.content)["results"] == plain
    two = api_client.get("/api/events/", HTTP_ACCEPT="application/json; indent=2")
    assert b'\n  "results": [\n    {\n      "id": ' in two.content
    html = api_client.get("/api/events/?format=api", HTTP_ACCEPT="text/html").content.decode()
    assert "The Kremlin makes truce overtures to U.S. officials" in html and "&quot;parties&quot;" in html


def test_an_event_deleted_while_its_detail_is_read_is_a_404(api_client, overtures, monkeypatch):
    from api.views import EventViewSet

    found = EventViewSet.get_object

    def found_then_deleted(self):
        event = found(self)
        Event.objects.filter(pk=event.pk).delete()  # another request's delete, in between
        return event

    monkeypatch.setattr(EventViewSet, "get_object", found_then_deleted)
    response = api_client.get(f"/api/events/{overtures.pk}/")
    assert response.status_code == 404
    assert "deleted" in response.json()["detail"]

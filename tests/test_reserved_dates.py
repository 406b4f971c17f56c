"""The two days that stand for open bounds (0001-01-01 for an open start, 9999-12-31 for an open end,
timeline/fuzzy_columns.py) are refused as known bounds wherever a date is stored: an event's date
and end, a source's publication date, in the services, the API, the admin and the bulk import.
Otherwise "9999-12-31" would read back as open-ended and "../9999-12-31" as open on both sides."""

from __future__ import annotations

import orjson
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from timeline import services
from timeline.bulk_import import BadRecord, import_file
from timeline.models import Event, Source

END = "9999-12-31 is reserved for an open end; dates must lie between 0001-01-02 and 9999-12-30."
START = "0001-01-01 is reserved for an open start; dates must lie between 0001-01-02 and 9999-12-30."


@pytest.mark.parametrize(
    ("date", "end", "field", "message"),
    [
        ("9999-12-31", "", "date", END),
        ("0001-01-01", "", "date", START),
        ("../9999-12-31", "", "date", END),
        ("0001-01-01/..", "", "date", START),
        ("9999", "", "date", END),  # the year 9999 ends on the reserved day
        ("2020", "9999-12-31", "end", END),
        ("0001-01-01", "2020", "date", START),
    ],
)
def test_a_known_bound_on_a_reserved_day_is_refused_naming_the_field(db, date, end, field, message):
    with pytest.raises(ValidationError) as info:
        services.event_create(title="x", date=date, end=end)
    assert info.value.message_dict == {field: [message]}
    assert not Event.objects.exists()


def test_the_days_next_to_the_reserved_ones_are_stored_and_read_back_as_known(db):
    event = services.event_create(title="Edges", date="0001-01-02", end="9999-12-30")
    stored = Event.objects.get(pk=event.pk).date
    assert (stored.earliest.isoformat(), stored.latest.isoformat()) == ("0001-01-02", "9999-12-30")


def test_open_bounds_are_still_accepted(db):
    event = services.event_create(title="Occupation", date="2014-02/..")
    assert Event.objects.get(pk=event.pk).date.latest is None


def test_an_update_to_a_reserved_day_is_refused_and_changes_nothing(invasion):
    with pytest.raises(ValidationError) as info:
        services.event_update(event=invasion, date="9999-12-31")
    assert info.value.message_dict == {"date": [END]}
    invasion.refresh_from_db()
    assert invasion.edtf == "2022-02-24"


def test_a_fuzzy_date_given_directly_is_checked_too(db):
    with pytest.raises(ValidationError) as info:
        services.event_create(title="x", date=services.dates.parse("../9999-12-31"))
    assert info.value.message_dict == {"date": [END]}


def test_a_source_published_on_a_reserved_day_is_refused(db):
    with pytest.raises(ValidationError) as info:
        services.source_create(title="x", text="Some text.", published="9999-12-31")
    assert info.value.message_dict == {"published": [END]}
    assert not Source.objects.exists()


def test_the_api_answers_a_reserved_day_with_a_400_naming_the_field(token_client, db):
    response = token_client.post("/api/events/", {"title": "x", "date": "9999-12-31"}, format="json")
    assert response.status_code == 400
    assert response.json()["date"] == [END]
    response = token_client.post("/api/events/", {"title": "x", "date": "2020", "end": "9999-12-31"}, format="json")
    assert response.status_code == 400 and response.json()["end"] == [END]
    response = token_client.post("/api/sources/", {"title": "x", "text": "t", "published": "0001-01-01"}, format="json")
    assert response.status_code == 400 and START in str(response.json())
    assert not Event.objects.exists() and not Source.objects.exists()


def test_the_admin_refuses_a_reserved_day_as_a_form_error(staff_client, db):
    from .test_admin import event_form

    response = staff_client.post(reverse("admin:timeline_event_add"), event_form(date_text="9999-12-31"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date_text"] == [END]
    response = staff_client.post(
        reverse("admin:timeline_source_add"), {"title": "x", "text": "Some text.", "published_text": "0001-01-01",
                                               "language": "en"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published_text"] == [START]
    assert not Event.objects.exists() and not Source.objects.exists()


@pytest.mark.parametrize(
    ("record", "field", "message"),
    [
        ({"type": "event", "title": "x", "date": "9999-12-31"}, "date", END),
        ({"type": "event", "title": "x", "date": "2020", "end": "9999-12-31"}, "end", END),
        ({"type": "source", "key": "s", "title": "x", "text": "t", "published": "0001-01-01"}, "published", START),
    ],
)
def test_the_bulk_import_refuses_a_reserved_day_naming_line_and_field(db, tmp_path, record, field, message):
    path = tmp_path / "in.jsonl"
    path.write_bytes(orjson.dumps({"type": "party", "slug": "p", "name": "P", "kind": "state"}) + b"\n"
                     + orjson.dumps(record) + b"\n")
    with pytest.raises(BadRecord) as caught:
        import_file(path=path)
    assert (caught.value.line, caught.value.field, caught.value.message) == (2, field, message)
    assert not Event.objects.exists() and not Source.objects.exists()


def test_the_calendar_export_of_the_last_storable_day_works(api_client, db):
    services.event_create(title="Far future", date="9999-12-30", status="reviewed")
    response = api_client.get("/api/events/?format=ics")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"SUMMARY:Far future" in body

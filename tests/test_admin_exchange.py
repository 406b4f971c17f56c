"""Admin import and export of events: the API's write format, validated by the API's rules."""

import json

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

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

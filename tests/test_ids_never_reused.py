"""An id is never given twice (issue 17): a row created after another was deleted, by whichever
path (the API, the admin, the bulk import), gets a new id, so the deleted row's history and URL are
never another row's. SQLite's tables are AUTOINCREMENT; PostgreSQL's sequences never go back."""

from __future__ import annotations

import orjson
import pytest
from django.urls import reverse

from tests.test_admin import event_form
from timeline import services
from timeline.bulk_import import import_file
from timeline.models import Event, Party, Source


def import_records(tmp_path, records, name="in.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return import_file(path=path)


def create_by_api(token_client, tmp_path, title):
    response = token_client.post("/api/events/", {"title": title, "date": "2023"}, format="json")
    assert response.status_code == 201, response.content
    return Event.objects.get(pk=response.json()["id"])


def create_by_admin(staff_client, tmp_path, title):
    response = staff_client.post(reverse("admin:timeline_event_add"), event_form(title=title))
    assert response.status_code == 302, response.content
    return Event.objects.get(title=title)


def create_by_import(client, tmp_path, title):
    import_records(tmp_path, [{"type": "event", "title": title, "date": "2023"}], name=f"{title}.jsonl")
    return Event.objects.get(title=title)


CREATORS = {"api": create_by_api, "admin": create_by_admin, "import": create_by_import}


@pytest.fixture
def client_for(request, token_client, staff_client):
    return {"api": token_client, "admin": staff_client, "import": None}


@pytest.mark.parametrize("first", CREATORS)
@pytest.mark.parametrize("then", CREATORS)
def test_an_event_created_after_the_newest_was_deleted_gets_a_new_id(db, tmp_path, client_for, first, then):
    CREATORS[first](client_for[first], tmp_path, "Kept")
    newest = CREATORS[first](client_for[first], tmp_path, "Deleted")
    deleted_id = newest.pk
    newest.delete()
    created = CREATORS[then](client_for[then], tmp_path, "Created after")
    assert created.pk > deleted_id
    assert not created.history.filter(title="Deleted").exists()


@pytest.mark.parametrize("then", CREATORS)
def test_an_import_that_adds_no_event_does_not_wind_the_ids_back(db, tmp_path, client_for, then):
    services.event_create(title="Kept", date="2023")
    newest = services.event_create(title="Deleted", date="2023")
    deleted_id = newest.pk
    newest.delete()
    import_records(tmp_path, [{"type": "party", "slug": "arden", "name": "Arden", "kind": "state"}])
    created = CREATORS[then](client_for[then], tmp_path, "Created after")
    assert created.pk > deleted_id


def test_imported_parties_and_sources_never_take_a_deleted_id(db, tmp_path):
    services.party_create(name="Kept", kind="state")
    gone_party = services.party_create(name="Gone", kind="state")
    services.source_create(title="Kept", text="A kept text.")
    gone_source = services.source_create(title="Gone", text="A deleted text.")
    deleted = (gone_party.pk, gone_source.pk)
    gone_party.delete()
    gone_source.delete()
    import_records(tmp_path, [
        {"type": "party", "slug": "arden", "name": "Arden", "kind": "state"},
        {"type": "source", "key": "s", "title": "New", "text": "A new text."},
    ])
    assert Party.objects.get(slug="arden").pk > deleted[0]
    assert Source.objects.get(title="New").pk > deleted[1]


def test_a_create_after_an_import_never_collides_with_the_imported_ids(db, tmp_path, token_client):
    import_records(tmp_path, [
        {"type": "party", "slug": "arden", "name": "Arden", "kind": "state"},
        {"type": "source", "key": "s", "title": "New", "text": "A new text."},
        {"type": "event", "title": "Imported", "date": "2023", "parties": [{"party": "arden"}]},
    ])
    party = services.party_create(name="Belmore", kind="state")
    source = services.source_create(title="Another", text="Another text.")
    event = create_by_api(token_client, tmp_path, "After the import")
    assert party.pk > Party.objects.get(slug="arden").pk
    assert source.pk > Source.objects.get(title="New").pk
    assert event.pk > Event.objects.get(title="Imported").pk

"""Concurrent changes of one event through the API (issue 17): a PATCH writes only the fields it
was given, onto the event as stored when it is written; ETag and If-Match let a client make its
change only if nobody changed the object since it read it (412 Precondition Failed otherwise, 428
when the server requires If-Match).

Another client's change is made to land inside the request, between the moment the view reads the
event and the moment the service writes it (where it landed in a third to a half of the tester's
concurrent runs), by wrapping the view's ``get_object``."""

from __future__ import annotations

import pytest

from api.views import EventViewSet
from timeline import services
from timeline.models import Event, Party

pytestmark = pytest.mark.django_db


def url(event) -> str:
    return f"/api/events/{event.pk}/"


@pytest.fixture
def meanwhile(monkeypatch):
    """``meanwhile(change)``: the next event the API reads is changed by ``change(event_id)`` right
    after the view has read it, as another client's request finishing first would."""

    def arrange(change):
        original = EventViewSet.get_object
        done = []

        def get_object(view):
            event = original(view)
            if not done:
                done.append(True)
                change(event.pk)
            return event

        monkeypatch.setattr(EventViewSet, "get_object", get_object)

    return arrange


def another_client_sets_summary(text):
    return lambda pk: services.event_update(event=Event.objects.get(pk=pk), summary=text)


# --- a PATCH writes only its own fields ----------------------------------------------------------


def test_a_patch_keeps_a_field_another_client_changed_after_the_event_was_read(token_client, overtures, meanwhile):
    meanwhile(another_client_sets_summary("Summary written by client B"))
    response = token_client.patch(url(overtures), {"title": "Title written by client A"}, format="json")
    assert response.status_code == 200, response.json()
    stored = Event.objects.get(pk=overtures.pk)
    assert stored.title == "Title written by client A"
    assert stored.summary == "Summary written by client B"
    assert response.json()["summary"] == "Summary written by client B"


def test_a_patch_of_the_parties_keeps_a_title_changed_meanwhile(token_client, overtures, ukraine, meanwhile):
    meanwhile(lambda pk: services.event_update(event=Event.objects.get(pk=pk), title="Retitled by B"))
    response = token_client.patch(url(overtures), {"parties": [{"party": "ukraine", "role": "target"}]}, format="json")
    assert response.status_code == 200, response.json()
    stored = Event.objects.get(pk=overtures.pk)
    assert stored.title == "Retitled by B"
    assert list(stored.participations.values_list("party__slug", "role")) == [("ukraine", "target")]


def test_updating_a_stale_instance_through_the_service_writes_only_the_given_fields(overtures):
    stale = Event.objects.get(pk=overtures.pk)
    services.event_update(event=Event.objects.get(pk=overtures.pk), summary="B's summary", status="reviewed")
    services.event_update(event=stale, title="A's title")
    stored = Event.objects.get(pk=overtures.pk)
    assert (stored.title, stored.summary, stored.status) == ("A's title", "B's summary", "reviewed")
    assert stale.summary == "B's summary"  # the caller's instance now holds what is stored


# --- ETag -----------------------------------------------------------------------------------------


def test_an_event_answers_with_an_etag_that_each_change_replaces(token_client, overtures):
    first = token_client.get(url(overtures))["ETag"]
    assert first.startswith('"') and first.endswith('"') and not first.startswith("W/")
    patched = token_client.patch(url(overtures), {"summary": "new"}, format="json")
    assert patched["ETag"] != first
    assert token_client.get(url(overtures))["ETag"] == patched["ETag"]


def test_changing_only_an_events_citations_or_places_gives_it_a_new_etag(token_client, overtures, article_2023):
    before = token_client.get(url(overtures))["ETag"]
    token_client.patch(url(overtures), {"citations": []}, format="json")
    after_citations = token_client.get(url(overtures))["ETag"]
    services.participation_add(event=overtures, party=Party.objects.get(slug="russia"), role="speaker")
    after_participation = token_client.get(url(overtures))["ETag"]
    assert len({before, after_citations, after_participation}) == 3


def test_a_created_event_party_and_source_answer_with_the_etag_a_get_gives(token_client):
    # Each read right after its create: a GET's ETag also names the state of everything else the API
    # shows (api/caching.py), which the next create changes.
    for url, data in [
        ("/api/events/", {"title": "T", "date": "2022"}),
        ("/api/parties/", {"name": "Arden", "kind": "state"}),
        ("/api/sources/", {"title": "S", "text": "Some words."}),
    ]:
        created = token_client.post(url, data, format="json")
        assert created.status_code == 201, created.json()
        assert created["ETag"] == token_client.get(created["Location"])["ETag"]


def test_parties_and_sources_answer_with_an_etag_that_a_change_replaces(api_client, russia, article_2023):
    party_etag = api_client.get(f"/api/parties/{russia.slug}/")["ETag"]
    source_etag = api_client.get(f"/api/sources/{article_2023.pk}/")["ETag"]
    russia.description = "changed"
    russia.save()
    article_2023.author = "changed"
    article_2023.save()
    assert api_client.get(f"/api/parties/{russia.slug}/")["ETag"] != party_etag
    assert api_client.get(f"/api/sources/{article_2023.pk}/")["ETag"] != source_etag
    assert party_etag != source_etag


def test_a_save_never_gives_two_states_one_version(overtures, russia, article_2023):
    for row in (overtures, russia, article_2023):
        versions = {type(row).objects.get(pk=row.pk).version}
        for _ in range(3):
            stale = type(row).objects.get(pk=row.pk)
            stale.save()
            versions.add(type(row).objects.get(pk=row.pk).version)
        assert len(versions) == 4


# --- If-Match -------------------------------------------------------------------------------------


def test_a_patch_with_the_current_etag_is_made(token_client, overtures):
    etag = token_client.get(url(overtures))["ETag"]
    response = token_client.patch(url(overtures), {"title": "New"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert Event.objects.get(pk=overtures.pk).title == "New"


def test_a_patch_with_a_stale_etag_is_412_and_writes_nothing(token_client, overtures):
    stale = token_client.get(url(overtures))["ETag"]
    token_client.patch(url(overtures), {"summary": "B's summary"}, format="json")
    response = token_client.patch(url(overtures), {"title": "A's title"}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert "changed" in response.json()["detail"]
    assert response["ETag"] == token_client.get(url(overtures))["ETag"] != stale
    assert Event.objects.get(pk=overtures.pk).title != "A's title"


def test_a_change_landing_after_the_if_match_check_is_still_refused_with_412(token_client, overtures, meanwhile):
    etag = token_client.get(url(overtures))["ETag"]
    meanwhile(another_client_sets_summary("B's summary"))
    response = token_client.patch(url(overtures), {"summary": "A's summary"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412, response.json()
    assert Event.objects.get(pk=overtures.pk).summary == "B's summary"


def test_a_put_with_a_stale_etag_is_412(token_client, overtures):
    stale = token_client.get(url(overtures))["ETag"]
    token_client.patch(url(overtures), {"summary": "B"}, format="json")
    body = {"title": "Replaced", "date": "2022"}
    assert token_client.put(url(overtures), body, format="json", HTTP_IF_MATCH=stale).status_code == 412
    current = token_client.get(url(overtures))["ETag"]
    assert token_client.put(url(overtures), body, format="json", HTTP_IF_MATCH=current).status_code == 200


def test_a_delete_with_a_stale_etag_is_412_and_with_the_current_one_deletes(token_client, overtures):
    stale = token_client.get(url(overtures))["ETag"]
    token_client.patch(url(overtures), {"summary": "B"}, format="json")
    assert token_client.delete(url(overtures), HTTP_IF_MATCH=stale).status_code == 412
    assert Event.objects.filter(pk=overtures.pk).exists()
    current = token_client.get(url(overtures))["ETag"]
    assert token_client.delete(url(overtures), HTTP_IF_MATCH=current).status_code == 204
    assert not Event.objects.filter(pk=overtures.pk).exists()


def test_if_match_takes_a_list_and_star(token_client, overtures):
    etag = token_client.get(url(overtures))["ETag"]
    listed = token_client.patch(url(overtures), {"summary": "1"}, format="json", HTTP_IF_MATCH=f'"other", {etag}')
    assert listed.status_code == 200
    assert token_client.patch(url(overtures), {"summary": "2"}, format="json", HTTP_IF_MATCH="*").status_code == 200


def test_a_weak_etag_or_another_objects_etag_never_matches(token_client, overtures, invasion):
    etag = token_client.get(url(overtures))["ETag"]
    other = token_client.get(url(invasion))["ETag"]
    assert token_client.patch(url(overtures), {"summary": "x"}, format="json", HTTP_IF_MATCH=f"W/{etag}").status_code == 412
    assert token_client.patch(url(overtures), {"summary": "x"}, format="json", HTTP_IF_MATCH=other).status_code == 412
    assert token_client.patch(url(overtures), {"summary": "x"}, format="json", HTTP_IF_MATCH="garbage").status_code == 412
    assert Event.objects.get(pk=overtures.pk).summary != "x"


def test_without_if_match_a_write_is_made_unless_the_server_requires_it(token_client, overtures, settings):
    assert token_client.patch(url(overtures), {"summary": "free"}, format="json").status_code == 200
    settings.API_REQUIRE_IF_MATCH = True
    for response in (
        token_client.patch(url(overtures), {"summary": "x"}, format="json"),
        token_client.put(url(overtures), {"title": "x", "date": "2022"}, format="json"),
        token_client.delete(url(overtures)),
    ):
        assert response.status_code == 428
        assert "If-Match" in response.json()["detail"]
    assert Event.objects.get(pk=overtures.pk).summary == "free"
    etag = token_client.get(url(overtures))["ETag"]
    assert token_client.patch(url(overtures), {"summary": "y"}, format="json", HTTP_IF_MATCH=etag).status_code == 200


# --- the OpenAPI document ---------------------------------------------------------------------------


def test_the_schema_documents_etag_if_match_412_and_428(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    detail = schema["paths"]["/api/events/{id}/"]
    for method in ("put", "patch", "delete"):
        headers = [p["name"] for p in detail[method]["parameters"] if p["in"] == "header"]
        assert "If-Match" in headers
        assert {"409", "412", "428"} <= set(detail[method]["responses"])
        assert "ETag" in detail[method]["responses"]["412"]["headers"]
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    for path in ("/api/parties/{slug}/", "/api/sources/{id}/"):
        assert "ETag" in schema["paths"][path]["get"]["responses"]["200"]["headers"]


def test_a_fixture_reset_that_changes_a_row_gives_it_a_new_version_never_an_old_one(tmp_path, russia):
    import json

    from timeline.ingest.fixtures import fixture_file_load

    russia.description = "edited by hand"
    russia.save()
    edited = Party.objects.get(pk=russia.pk).version
    record = {"model": "timeline.party", "fields": {"name": "Russia", "slug": "russia", "kind": "state",
                                                     "aliases": ["Kremlin"], "description": "from the fixture",
                                                     "created": "2024-06-15T00:00:00Z", "updated": "2024-06-15T00:00:00Z"}}
    path = tmp_path / "parties.json"
    path.write_text(json.dumps([record]))
    fixture_file_load(path=path)  # a plain load keeps the editor's change (load_seeds' rule)
    assert Party.objects.get(pk=russia.pk).description == "edited by hand"
    fixture_file_load(path=path, reset=True)  # an explicit reset writes the fixture over it
    reloaded = Party.objects.get(pk=russia.pk)
    assert reloaded.description == "from the fixture"
    assert reloaded.version > edited
    fixture_file_load(path=path, reset=True)  # the same again: unchanged, the same version
    assert Party.objects.get(pk=russia.pk).version == reloaded.version

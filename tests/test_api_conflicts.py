"""Writes racing other writes answer 400, 404 or 409 with a JSON body naming the conflict, never a
500 (issue 17): sixteen clients creating the same party slug, place slug, source text or URL,
Wikidata id or event key; a DELETE racing a PATCH; a deadlock.

The race is made to happen where it did for the tester: another request's row lands after this
request's checks and before its INSERT (``race_after`` wraps the check), or the event is deleted
after the view read it (``meanwhile``). (The competing row is written in the test's own transaction
and goes when the refused request rolls back: what is checked is the answer.)"""

from __future__ import annotations

import pytest
from django.db import OperationalError, transaction

from api.views import EventViewSet
from timeline import concurrency, services
from timeline.models import Event, Party, Place, Source

pytestmark = pytest.mark.django_db


def race_after(monkeypatch, owner, name, compete):
    """The first call of ``owner.name`` runs, then ``compete()`` stores the competing row."""
    original = getattr(owner, name)
    calls = []

    def checked(*args, **kwargs):
        result = original(*args, **kwargs)
        if not calls:
            calls.append(True)
            compete()
        return result

    monkeypatch.setattr(owner, name, checked)


@pytest.fixture
def meanwhile(monkeypatch):
    def arrange(change):
        original = EventViewSet.get_object

        def get_object(view):
            event = original(view)
            change(event.pk)
            return event

        monkeypatch.setattr(EventViewSet, "get_object", get_object)

    return arrange


# --- creates racing creates: the answer a later duplicate gets ----------------------------------


def test_a_party_slug_taken_between_the_check_and_the_insert_is_a_400_naming_slug(token_client, monkeypatch):
    race_after(monkeypatch, Party, "full_clean", lambda: Party.objects.create(name="Arden", slug="arden", kind="state"))
    response = token_client.post("/api/parties/", {"name": "Arden", "kind": "state"}, format="json")
    assert response.status_code == 400, response.content
    assert "slug" in response.json()


def test_a_wikidata_id_taken_meanwhile_is_a_400_naming_it(token_client, monkeypatch):
    race_after(monkeypatch, Party, "full_clean",
               lambda: Party.objects.create(name="Other", slug="other", kind="state", wikidata_id="Q212"))
    response = token_client.post("/api/parties/", {"name": "Ukraine", "kind": "state", "wikidata_id": "Q212"}, format="json")
    assert response.status_code == 400, response.content
    assert "Wikidata id" in str(response.json())


def test_a_place_slug_taken_meanwhile_is_a_400_naming_slug(token_client, monkeypatch):
    race_after(monkeypatch, Place, "full_clean", lambda: Place.objects.create(name="Kyiv", slug="kyiv"))
    response = token_client.post("/api/places/", {"name": "Kyiv", "kind": "city"}, format="json")
    assert response.status_code == 400, response.content
    assert "slug" in response.json()


def test_a_source_text_stored_meanwhile_is_the_400_a_second_copy_gets(token_client, monkeypatch):
    race_after(monkeypatch, Source, "full_clean", lambda: Source.objects.create(title="First", text="The same words."))
    response = token_client.post("/api/sources/", {"title": "Second", "text": "The same words."}, format="json")
    assert response.status_code == 400, response.content
    assert "already stored" in str(response.json()["text"])


def test_a_source_url_stored_meanwhile_is_a_400_naming_it(token_client, monkeypatch):
    race_after(monkeypatch, Source, "full_clean",
               lambda: Source.objects.create(title="First", text="One text.", url="https://example.org/a"))
    body = {"title": "Second", "text": "Another text.", "article_url": "https://example.org/a"}
    response = token_client.post("/api/sources/", body, format="json")
    assert response.status_code == 400, response.content
    assert "URL" in str(response.json())


def test_an_event_key_taken_meanwhile_is_a_400_naming_key(token_client, monkeypatch):
    race_after(monkeypatch, Event, "full_clean",
               lambda: services.event_create(title="Other", date="2021", key="the-key"))
    response = token_client.post("/api/events/", {"title": "Mine", "date": "2022", "key": "the-key"}, format="json")
    assert response.status_code == 400, response.content
    assert "key" in response.json()


def test_a_unique_violation_no_check_caught_is_a_409_naming_the_constraint(token_client, russia, monkeypatch):
    def clashing_create(**kwargs):
        with transaction.atomic():
            return Party.objects.create(name="Russia again", slug="russia", kind="state")

    monkeypatch.setattr(services, "party_create", clashing_create)
    response = token_client.post("/api/parties/", {"name": "Russia again", "kind": "state"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["fields"] == ["slug"] and body["constraint"] and "slug" in body["detail"]


# --- a DELETE racing a PATCH ----------------------------------------------------------------------


def test_a_patch_of_an_event_deleted_after_it_was_read_is_a_404_and_does_not_bring_it_back(token_client, overtures, meanwhile):
    meanwhile(lambda pk: Event.objects.filter(pk=pk).delete())
    response = token_client.patch(f"/api/events/{overtures.pk}/", {"title": "Still here?"}, format="json")
    assert response.status_code == 404
    assert "deleted" in response.json()["detail"]
    assert not Event.objects.filter(pk=overtures.pk).exists()


def test_a_patch_of_the_parties_of_an_event_deleted_meanwhile_is_a_404(token_client, overtures, ukraine, meanwhile):
    meanwhile(lambda pk: Event.objects.filter(pk=pk).delete())
    body = {"parties": [{"party": "ukraine", "role": "target"}]}
    response = token_client.patch(f"/api/events/{overtures.pk}/", body, format="json")
    assert response.status_code == 404
    assert not Event.objects.filter(pk=overtures.pk).exists()
    assert not ukraine.participations.exists()


def test_a_delete_of_an_event_deleted_meanwhile_is_a_404(token_client, overtures, meanwhile):
    meanwhile(lambda pk: Event.objects.filter(pk=pk).delete())
    response = token_client.delete(f"/api/events/{overtures.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"]


# --- deadlocks and serialization failures (PostgreSQL) ---------------------------------------------


class _Deadlock(Exception):
    sqlstate = "40P01"


def deadlock() -> OperationalError:
    try:
        raise OperationalError("deadlock detected") from _Deadlock()
    except OperationalError as exc:
        return exc


def test_a_deadlock_that_outlasts_the_retries_is_a_409_to_retry(token_client, overtures, monkeypatch):
    def always(**kwargs):
        raise deadlock()

    monkeypatch.setattr(services, "event_update", always)
    response = token_client.patch(f"/api/events/{overtures.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 409
    assert response.json()["retry"] is True


@pytest.mark.django_db(transaction=True)
def test_a_write_chosen_as_deadlock_victim_is_run_again(monkeypatch):
    monkeypatch.setattr(concurrency.time, "sleep", lambda seconds: None)
    attempts = []

    @concurrency.retry_on_conflict
    def write():
        attempts.append(True)
        if len(attempts) < 3:
            raise deadlock()
        return "written"

    assert write() == "written" and len(attempts) == 3


@pytest.mark.django_db(transaction=True)
def test_a_write_that_keeps_deadlocking_gives_up_after_a_bounded_number_of_tries(monkeypatch):
    monkeypatch.setattr(concurrency.time, "sleep", lambda seconds: None)
    attempts = []

    @concurrency.retry_on_conflict
    def write():
        attempts.append(True)
        raise deadlock()

    with pytest.raises(concurrency.WriteConflict):
        write()
    assert len(attempts) == concurrency.RETRY_ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_an_event_referring_to_a_party_deleted_meanwhile_is_a_409(token_client, overtures, monkeypatch):
    doomed = services.party_create(name="Doomed", kind="state")
    original = services.event_update

    def delete_then_update(**kwargs):
        Party.objects.filter(pk=doomed.pk).delete()
        return original(**kwargs)

    monkeypatch.setattr(services, "event_update", delete_then_update)
    response = token_client.patch(f"/api/events/{overtures.pk}/", {"parties": [{"party": "doomed"}]}, format="json")
    assert response.status_code == 409, response.content
    assert "deleted" in response.json()["detail"]
    assert list(Event.objects.get(pk=overtures.pk).participations.values_list("party__slug", flat=True)) == ["russia"]


def test_a_key_given_to_another_event_meanwhile_is_a_400_naming_key(token_client, overtures, invasion, monkeypatch):
    def take_key():
        Event.objects.filter(pk=invasion.pk).update(key="wanted-key")

    race_after(monkeypatch, Event, "full_clean", take_key)
    response = token_client.patch(f"/api/events/{overtures.pk}/", {"key": "wanted-key"}, format="json")
    assert response.status_code == 400, response.content
    assert "key" in response.json()

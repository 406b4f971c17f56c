"""Writing through the API: events with text or EDTF dates, parties by slug, citations by source id;
parties, places and sources; all through timeline.services, all or nothing; and who may write."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from timeline import services
from timeline.models import Citation, Event, Participation, Party, Place, Source

from .api_helpers import titles

pytestmark = pytest.mark.django_db

OVERTURES_QUOTE = (
    "in September 2022, the U.S. officials received never-before-reported overtures from the Kremlin"
)


def create(client, **body):
    return client.post("/api/events/", body, format="json")


# --- creating events -----------------------------------------------------------------------------


def test_an_event_is_created_from_a_date_in_words(token_client):
    response = create(token_client, title="Truce overtures", date="September 2022", kind="proposal")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["date"]["edtf"] == "2022-09"
    assert (data["date"]["earliest"], data["date"]["latest"]) == ("2022-09-01", "2022-09-30")
    assert response["Location"] == data["url"]
    assert Event.objects.get(pk=data["id"]).kind == "proposal"


def test_an_event_is_created_from_edtf(token_client):
    data = create(token_client, title="Autumn talks", date="2022-09/2022-10~").json()
    assert data["date"]["edtf"] == "2022-09/2022-10~"
    assert (data["date"]["earliest"], data["date"]["latest"], data["date"]["approximate"]) == (
        "2022-09-01",
        "2022-10-31",
        True,
    )


def test_an_end_makes_a_span(token_client):
    data = create(token_client, title="Summit", date="15 June 2024", end="16 June 2024").json()
    assert data["date"]["edtf"] == "2024-06-15/2024-06-16"


def test_a_relative_date_is_resolved_against_the_anchor_source(token_client, article_2024):
    data = create(
        token_client, title="Crimea statements", date="November last year", anchor_source=article_2024.pk
    ).json()
    assert data["date"]["edtf"] == "2023-11"
    assert data["anchor_source"] == article_2024.pk


def test_parties_are_given_by_slug_with_their_roles(token_client, russia, ukraine):
    parties = [{"party": "russia", "role": "actor"}, {"party": "ukraine", "role": "target"}]
    data = create(token_client, title="Invasion", date="2022-02-24", parties=parties).json()
    assert [(p["slug"], p["role"]) for p in data["parties"]] == [("russia", "actor"), ("ukraine", "target")]


def test_a_party_s_role_defaults_to_actor(token_client, russia):
    data = create(token_client, title="Invasion", date="2022-02-24", parties=[{"party": "russia"}]).json()
    assert data["parties"][0]["role"] == "actor"


def test_a_citation_needs_only_the_source_and_the_quote(token_client, article_2023):
    citations = [{"source": article_2023.pk, "quote": OVERTURES_QUOTE}]
    data = create(token_client, title="Overtures", date="September 2022", citations=citations).json()
    [citation] = data["citations"]
    assert article_2023.text[citation["char_start"] : citation["char_end"]] == OVERTURES_QUOTE
    assert citation["source"]["id"] == article_2023.pk


def test_a_citation_may_give_its_offsets(token_client, article_2023):
    start = article_2023.text.index(OVERTURES_QUOTE)
    citations = [
        {
            "source": article_2023.pk,
            "quote": OVERTURES_QUOTE,
            "char_start": start,
            "char_end": start + len(OVERTURES_QUOTE),
        }
    ]
    response = create(token_client, title="Overtures", date="September 2022", citations=citations)
    assert response.status_code == 201
    assert response.json()["citations"][0]["char_start"] == start


def test_places_are_given_by_slug(token_client):
    services.place_create(name="Kyiv", kind="city")
    data = create(token_client, title="Strike", date="2022-10-10", places=["kyiv"]).json()
    assert data["places"] == [{"slug": "kyiv", "name": "Kyiv", "kind": "city"}]


def test_a_created_event_is_found_by_its_quote(token_client, article_2023):
    create(
        token_client,
        title="Overtures",
        date="September 2022",
        citations=[{"source": article_2023.pk, "quote": OVERTURES_QUOTE}],
    )
    # A draft: found by an editor (anonymous readers see reviewed events, tests/test_drafts_visibility.py).
    assert titles(token_client.get("/api/events/?q=never-before-reported")) == ["Overtures"]


# --- refused writes ------------------------------------------------------------------------------


def test_a_date_that_cannot_be_read_is_a_400_on_date(token_client):
    response = create(token_client, title="x", date="Septembr 2022")
    assert response.status_code == 400
    assert response.json() == {"date": ["could not understand 'Septembr 2022' as a date"]}


def test_an_end_before_the_start_is_a_400_on_end(token_client):
    response = create(token_client, title="x", date="2023", end="2022")
    assert response.status_code == 400
    assert list(response.json()) == ["end"]


def test_a_relative_date_without_anchor_is_a_400(token_client):
    response = create(token_client, title="x", date="November last year")
    assert response.status_code == 400
    assert "date" in response.json()


def test_an_unknown_party_is_a_400_naming_the_entry(token_client, russia):
    response = create(
        token_client, title="x", date="2022", parties=[{"party": "russia"}, {"party": "atlantis"}]
    )
    assert response.status_code == 400
    assert response.json() == {"parties": {"1": {"party": ["no party 'atlantis'"]}}}


def test_a_quote_not_in_the_source_is_a_400_naming_the_citation(token_client, article_2023):
    citations = [
        {"source": article_2023.pk, "quote": OVERTURES_QUOTE},
        {"source": article_2023.pk, "quote": "Putin resigned"},
    ]
    response = create(token_client, title="x", date="2022", citations=citations)
    assert response.status_code == 400
    errors = response.json()["citations"]
    assert list(errors) == ["1"] and "does not occur" in errors["1"]["quote"][0]


def test_offsets_that_do_not_frame_the_quote_are_a_400(token_client, article_2023):
    citations = [
        {
            "source": article_2023.pk,
            "quote": OVERTURES_QUOTE,
            "char_start": 0,
            "char_end": len(OVERTURES_QUOTE),
        }
    ]
    response = create(token_client, title="x", date="2022", citations=citations)
    assert response.status_code == 400
    assert "does not match" in response.json()["citations"]["0"]["quote"][0]


def test_a_duplicate_key_is_a_400_on_key(token_client):
    assert create(token_client, title="a", date="2022", key="the-key").status_code == 201
    response = create(token_client, title="b", date="2022", key="the-key")
    assert response.status_code == 400
    assert "key" in response.json()


def test_a_failing_service_writes_nothing(token_client, russia, article_2023, monkeypatch):
    # The serializer accepts the citation; the service then fails after the event row exists.
    def refuse(event, citation):
        raise ValidationError({"quote": "refused by the service"})

    monkeypatch.setattr(services, "_add_citation", refuse)
    response = create(
        token_client,
        title="Overtures",
        date="September 2022",
        parties=[{"party": "russia"}],
        citations=[{"source": article_2023.pk, "quote": OVERTURES_QUOTE}],
    )
    assert response.status_code == 400
    assert response.json() == {"quote": ["refused by the service"]}
    assert (Event.objects.count(), Participation.objects.count(), Citation.objects.count()) == (0, 0, 0)


def test_a_failing_update_changes_nothing(token_client, overtures, article_2023, ukraine, monkeypatch):
    def refuse(event, citation):
        raise ValidationError("no")

    monkeypatch.setattr(services, "_add_citation", refuse)
    response = token_client.patch(
        f"/api/events/{overtures.pk}/",
        {
            "title": "Renamed",
            "parties": [{"party": "ukraine"}],
            "citations": [{"source": article_2023.pk, "quote": OVERTURES_QUOTE}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["no"]}
    overtures.refresh_from_db()
    assert overtures.title == "The Kremlin makes truce overtures to U.S. officials"
    assert list(overtures.participations.values_list("party__slug", flat=True)) == ["russia"]
    assert overtures.citations.count() == 1


# --- updating and deleting -----------------------------------------------------------------------


def test_patch_changes_only_what_it_names(token_client, overtures):
    response = token_client.patch(
        f"/api/events/{overtures.pk}/", {"summary": "Reported in 2023."}, format="json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["summary"] == "Reported in 2023."
    assert data["date"]["edtf"] == "2022-09" and [p["slug"] for p in data["parties"]] == ["russia"]
    assert len(data["citations"]) == 1


def test_patch_with_a_new_date_redates_the_event(token_client, overtures):
    data = token_client.patch(
        f"/api/events/{overtures.pk}/", {"date": "late September 2022"}, format="json"
    ).json()
    assert (data["date"]["earliest"], data["date"]["latest"]) == ("2022-09-21", "2022-09-30")


def test_a_list_given_replaces_the_current_one(token_client, invasion):
    data = token_client.patch(
        f"/api/events/{invasion.pk}/", {"parties": [{"party": "ukraine", "role": "actor"}]}, format="json"
    ).json()
    assert [(p["slug"], p["role"]) for p in data["parties"]] == [("ukraine", "actor")]
    assert token_client.get(f"/api/events/{invasion.pk}/").json()["parties"] == data["parties"]


def test_an_empty_end_removes_a_span(token_client):
    event = services.event_create(title="Summit", date="15 June 2024", end="16 June 2024")
    data = token_client.patch(f"/api/events/{event.pk}/", {"end": ""}, format="json").json()
    assert data["date"]["edtf"] == "2024-06-15"


def test_put_needs_the_title_and_the_date(token_client, overtures):
    response = token_client.put(f"/api/events/{overtures.pk}/", {"summary": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"title", "date"}
    response = token_client.put(
        f"/api/events/{overtures.pk}/", {"title": "Overtures", "date": "2022-09"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Overtures"


def test_delete_removes_the_event(token_client, overtures):
    assert token_client.delete(f"/api/events/{overtures.pk}/").status_code == 204
    assert not Event.objects.filter(pk=overtures.pk).exists()
    assert token_client.get(f"/api/events/{overtures.pk}/").status_code == 404


# --- parties, places, sources --------------------------------------------------------------------


def test_a_party_is_created_with_a_slug_from_its_name(token_client, ukraine):
    response = token_client.post(
        "/api/parties/",
        {"name": "Andriy Yermak", "kind": "person", "affiliation": "ukraine", "aliases": ["Yermak"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "andriy-yermak"
    assert Party.objects.get(slug="andriy-yermak").affiliation == ukraine
    assert token_client.get("/api/parties/andriy-yermak/").json()["aliases"] == ["Yermak"]


def test_a_duplicate_party_slug_or_a_bad_wikidata_id_is_a_400(token_client, russia):
    response = token_client.post("/api/parties/", {"name": "Russia", "kind": "state"}, format="json")
    assert response.status_code == 400 and "slug" in response.json()
    response = token_client.post(
        "/api/parties/", {"name": "NATO", "kind": "alliance", "wikidata_id": "7184"}, format="json"
    )
    assert response.status_code == 400 and "wikidata_id" in response.json()


def test_a_place_is_created_inside_its_parent(token_client):
    services.place_create(name="Ukraine", kind="country")
    response = token_client.post(
        "/api/places/", {"name": "Kyiv", "kind": "city", "parent": "ukraine"}, format="json"
    )
    assert response.status_code == 201
    assert Place.objects.get(slug="kyiv").parent.slug == "ukraine"


def test_a_source_is_created_with_its_text_and_publication_date(token_client, nyt):
    body = {
        "title": "Talks",
        "text": "Talks resumed on Monday.",
        "published": "2024-03-04",
        "publisher": nyt.slug,
        "article_url": "https://example.org/talks",
    }
    response = token_client.post("/api/sources/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["published"]["edtf"] == "2024-03-04"
    assert data["publisher"] == {"slug": nyt.slug, "name": nyt.name}
    assert Source.objects.get(pk=data["id"]).url == "https://example.org/talks"


def test_the_same_article_twice_is_a_400(token_client, article_2023):
    response = token_client.post(
        "/api/sources/", {"title": "Again", "text": article_2023.text}, format="json"
    )
    assert response.status_code == 400
    assert "text" in response.json()


def test_a_publisher_must_be_a_media_party(token_client, russia):
    response = token_client.post(
        "/api/sources/", {"title": "x", "text": "y", "publisher": "russia"}, format="json"
    )
    assert response.status_code == 400
    assert "publisher" in response.json()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_parties_places_and_sources_cannot_be_changed_or_deleted_here(
    token_client, russia, article_2023, method
):
    for url in ("/api/parties/russia/", f"/api/sources/{article_2023.pk}/"):
        assert getattr(token_client, method)(url, {}, format="json").status_code == 405


# --- who may write -------------------------------------------------------------------------------


def test_anonymous_users_read_but_do_not_write(api_client, overtures):
    services.event_update(event=overtures, status="reviewed")  # anonymous readers see reviewed events
    assert api_client.get("/api/events/").status_code == 200
    assert api_client.get(f"/api/events/{overtures.pk}/").status_code == 200
    response = create(api_client, title="x", date="2022")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert api_client.delete(f"/api/events/{overtures.pk}/").status_code == 401
    assert Event.objects.count() == 1


def test_a_user_without_the_model_permission_is_refused(django_user_model, overtures):
    user = django_user_model.objects.create_user("reader", password="a-long-password-123")
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/events/").status_code == 200
    assert create(client, title="x", date="2022").status_code == 403
    assert client.patch(f"/api/events/{overtures.pk}/", {"title": "y"}, format="json").status_code == 403
    assert client.delete(f"/api/events/{overtures.pk}/").status_code == 403
    assert (
        client.post("/api/parties/", {"name": "NATO", "kind": "alliance"}, format="json").status_code == 403
    )


def test_each_write_needs_its_own_permission(django_user_model, overtures):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("adder", password="a-long-password-123")
    user.user_permissions.add(Permission.objects.get(codename="add_event"))
    client = APIClient()
    client.force_authenticate(user)
    assert create(client, title="x", date="2022").status_code == 201
    assert client.patch(f"/api/events/{overtures.pk}/", {"title": "y"}, format="json").status_code == 403
    assert client.delete(f"/api/events/{overtures.pk}/").status_code == 403


def test_an_invalid_token_is_a_401_even_for_reading(overtures):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/events/").status_code == 401


def test_the_browser_writes_with_its_session_and_a_csrf_token(staff_client):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = staff_client.cookies
    body = '{"title": "From the browser", "date": "2024"}'
    assert browser.post("/api/events/", body, content_type="application/json").status_code == 403
    browser.get("/api/events/?format=api")  # the browsable API sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post("/api/events/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


@pytest.mark.parametrize("places", [{}, {"kyiv": 1}, "kyiv"])
def test_places_that_are_not_a_list_are_a_400(token_client, places):
    response = token_client.post("/api/events/", {"title": "Shelling", "date": "2022", "places": places}, format="json")
    assert response.status_code == 400
    assert "places" in response.json()
    assert not Event.objects.filter(title="Shelling").exists()


@pytest.mark.parametrize("field, value", [("key", 0), ("title", 12), ("date", 2022), ("summary", True)])
def test_a_number_or_boolean_for_a_text_field_is_a_400_naming_it(token_client, field, value):
    body = {"title": "Shelling", "date": "2022", field: value}
    response = token_client.post("/api/events/", body, format="json")
    assert response.status_code == 400
    assert response.json()[field][0].startswith("must be a string")
    assert not Event.objects.exists()

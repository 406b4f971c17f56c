"""Drafts are for editors (issue 17): machine-extracted, unreviewed events are not shown to anonymous
readers, by the API (lists, details, exports, a party's and a source's events) or the public pages;
editors see them (and filter by status); ``TIMELINE_PUBLIC_DRAFTS`` opens them to everyone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from timeline import services

from .api_helpers import titles


@pytest.fixture
def published(db, invasion, overtures):
    """``overtures`` reviewed, ``invasion`` still a draft (as the services create it)."""
    services.event_update(event=overtures, status="reviewed")
    assert invasion.status == "draft"
    return {"draft": invasion, "reviewed": overtures}


LISTS = [
    "/api/events/",
    "/api/parties/russia/events/",
    "/api/events/?q=Russia",
]


@pytest.mark.parametrize("url", LISTS)
def test_an_anonymous_list_shows_reviewed_events_only(api_client, published, url):
    shown = titles(api_client.get(url))
    assert published["draft"].title not in shown
    if "q=" not in url:
        assert published["reviewed"].title in shown


def test_a_source_s_events_hide_its_drafts_from_anonymous_readers(api_client, published):
    source_id = published["draft"].citations.get().source_id
    assert titles(api_client.get(f"/api/sources/{source_id}/events/")) == []
    source_id = published["reviewed"].citations.get().source_id
    assert titles(api_client.get(f"/api/sources/{source_id}/events/")) == [published["reviewed"].title]


def test_a_draft_s_detail_is_a_404_to_anonymous_readers(api_client, client, published):
    assert api_client.get(f"/api/events/{published['draft'].pk}/").status_code == 404
    assert api_client.get(f"/api/events/{published['reviewed'].pk}/").status_code == 200
    assert client.get(f"/events/{published['draft'].pk}/").status_code == 404
    assert client.get(f"/events/{published['reviewed'].pk}/").status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "ics", "timelinejs"])
def test_exports_to_anonymous_readers_leave_drafts_out(api_client, published, fmt):
    body = b"".join(api_client.get(f"/api/events/?format={fmt}").streaming_content).decode()
    assert published["draft"].title not in body
    assert published["reviewed"].title in body


def test_the_public_timeline_page_leaves_drafts_out(client, published):
    page = client.get("/").content.decode()
    assert published["reviewed"].title in page
    assert published["draft"].title not in page
    assert 'value="ukraine"' not in page  # only a draft names Ukraine: not offered as a filter


def test_an_anonymous_status_filter_for_drafts_finds_nothing(api_client, published):
    assert titles(api_client.get("/api/events/?status=draft")) == []


def test_an_editor_sees_drafts_and_filters_by_status(token_client, published):
    assert set(titles(token_client.get("/api/events/"))) == {published["draft"].title, published["reviewed"].title}
    assert titles(token_client.get("/api/events/?status=draft")) == [published["draft"].title]
    assert titles(token_client.get("/api/events/?status=reviewed")) == [published["reviewed"].title]
    assert token_client.get(f"/api/events/{published['draft'].pk}/").status_code == 200


def test_a_staff_user_who_may_view_events_sees_drafts_on_the_public_pages(client, published, django_user_model):
    user = django_user_model.objects.create_user("reader", password="a-long-password-123", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(user)
    assert published["draft"].title in client.get("/").content.decode()
    assert client.get(f"/events/{published['draft'].pk}/").status_code == 200


def test_a_user_without_event_permissions_is_a_reader(published, django_user_model):
    user = django_user_model.objects.create_user("someone", password="a-long-password-123")
    client = APIClient()
    client.force_authenticate(user)
    assert titles(client.get("/api/events/")) == [published["reviewed"].title]


def test_the_setting_opens_drafts_to_everyone(api_client, client, published, settings):
    settings.TIMELINE_PUBLIC_DRAFTS = True
    assert published["draft"].title in titles(api_client.get("/api/events/"))
    assert api_client.get(f"/api/events/{published['draft'].pk}/").status_code == 200
    assert client.get(f"/events/{published['draft'].pk}/").status_code == 200

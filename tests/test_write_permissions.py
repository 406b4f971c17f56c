"""Every write path checks the permission for what it does to each row (issue 17).

One table lists the writes a user can ask for: the API's (POST, PUT, PATCH, DELETE), the admin's add,
change and delete pages, every admin action, the history's revert, the admin's import (a new record
and a record updating a stored event) and the merge. Each is tried by a user who has every other
permission but one it needs: it must be refused (a 403/405, or an error naming the permission) and
no row may change. The same request by a user with every permission does change something, so each
row of the table is a write that a missing check would let through."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.test_admin import event_form
from timeline.models import Event

MODELS = ("event", "party", "place", "source", "participation", "citation")
EMPTY_INLINES = {
    f"{prefix}-{name}": value
    for prefix in ("participations", "citations")
    for name, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))
}


@pytest.fixture
def rows(invasion, overtures, russia, article_2023):
    from timeline import services

    place = services.place_create(name="Kyiv", kind="city")
    overtures.__class__.objects.filter(pk=overtures.pk).update(earliest="2022-09-02")  # for re-resolving
    spare = services.source_create(title="Spare", text="A source no event cites.")
    return {"invasion": invasion, "overtures": overtures, "party": russia, "place": place, "source": article_2023,
            "spare source": spare}


def user_without(django_user_model, missing: str | None):
    """A staff user with add/change/delete/view of every timeline model except ``missing``."""
    user = django_user_model.objects.create_user(f"u-{missing or 'all'}", password="a-long-password-123", is_staff=True)
    perms = Permission.objects.filter(content_type__app_label="timeline", codename__regex=rf"^(add|change|delete|view)_({'|'.join(MODELS)})$")
    if missing:
        perms = perms.exclude(codename=missing)
    user.user_permissions.set(perms)
    return user


# --- the write paths ---------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def admin(user):
    client = Client()
    client.force_login(user)
    return client


def changelist_action(model, action, selected, **extra):
    def run(user, rows):
        return admin(user).post(
            reverse(f"admin:timeline_{model}_changelist"),
            {"action": action, ACTION_CHECKBOX_NAME: [rows[name].pk for name in selected], **extra},
        )
    return run


def party_form(**changes):
    return {"name": "Arden", "slug": "arden", "kind": "state", "aliases_text": "", "description": "",
            "wikidata_id": "", "affiliation": "", **changes}


def place_form(**changes):
    return {"name": "Minsk", "slug": "minsk", "kind": "city", "parent": "", **changes}


def source_form(**changes):
    return {"title": "A new source", "publisher": "", "via": "", "url": "", "author": "", "language": "en",
            "published_text": "2024", "text": "A text no other source has.", **changes}


def revert(model, name):
    def run(user, rows):
        obj = rows[name]
        first = obj.history.earliest()
        obj.__class__.objects.filter(pk=obj.pk).update()  # unchanged
        if model == "event":
            data = {**event_form(title=first.title, date_text=first.date_text, kind=first.kind, status=first.status), "summary": "Reverted"}
        else:
            data = party_form(name=first.name, slug=first.slug, kind=first.kind, description="Reverted")
        return admin(user).post(reverse(f"admin:timeline_{model}_simple_history", args=[obj.pk, first.history_id]), data)
    return run


def admin_import(record_of):
    def run(user, rows):
        content = json.dumps([record_of(rows)]).encode()
        return admin(user).post(reverse("admin:timeline_event_import"), {"file": SimpleUploadedFile("events.json", content)})
    return run


@dataclass
class Write:
    name: str
    needs: tuple[str, ...]
    run: object


def _api(method, url, data=None):
    return lambda user, rows: getattr(api(user), method)(url(rows), data, format="json")


WRITES = [
    # the API
    Write("api POST event", ("add_event",), _api("post", lambda r: "/api/events/", {"title": "New", "date": "2023"})),
    Write("api PUT event", ("change_event",), _api("put", lambda r: f"/api/events/{r['invasion'].pk}/", {"title": "Replaced", "date": "2021"})),
    Write("api PATCH event", ("change_event",), _api("patch", lambda r: f"/api/events/{r['invasion'].pk}/", {"status": "reviewed"})),
    Write("api DELETE event", ("delete_event",), _api("delete", lambda r: f"/api/events/{r['invasion'].pk}/")),
    Write("api POST party", ("add_party",), _api("post", lambda r: "/api/parties/", {"name": "Arden", "kind": "state"})),
    Write("api POST place", ("add_place",), _api("post", lambda r: "/api/places/", {"name": "Minsk", "kind": "city"})),
    Write("api POST source", ("add_source",), _api("post", lambda r: "/api/sources/", {"title": "New", "text": "A new text."})),
    # the admin's pages
    Write("admin add event", ("add_event",), lambda u, r: admin(u).post(reverse("admin:timeline_event_add"), event_form(title="New"))),
    Write("admin change event", ("change_event",), lambda u, r: admin(u).post(
        reverse("admin:timeline_event_change", args=[r["invasion"].pk]),
        {**event_form(title="Changed", date_text="February 24, 2022", kind="military_action"), **EMPTY_INLINES})),
    Write("admin delete event", ("delete_event",), lambda u, r: admin(u).post(reverse("admin:timeline_event_delete", args=[r["invasion"].pk]), {"post": "yes"})),
    Write("admin add party", ("add_party",), lambda u, r: admin(u).post(reverse("admin:timeline_party_add"), party_form())),
    Write("admin change party", ("change_party",), lambda u, r: admin(u).post(
        reverse("admin:timeline_party_change", args=[r["party"].pk]), party_form(name="Russia", slug="russia", description="Changed"))),
    Write("admin delete place", ("delete_place",), lambda u, r: admin(u).post(reverse("admin:timeline_place_delete", args=[r["place"].pk]), {"post": "yes"})),
    Write("admin add place", ("add_place",), lambda u, r: admin(u).post(reverse("admin:timeline_place_add"), place_form())),
    Write("admin change place", ("change_place",), lambda u, r: admin(u).post(
        reverse("admin:timeline_place_change", args=[r["place"].pk]), place_form(name="Kyiv", slug="kyiv", kind="region"))),
    Write("admin add source", ("add_source",), lambda u, r: admin(u).post(reverse("admin:timeline_source_add"), source_form())),
    Write("admin change source", ("change_source",), lambda u, r: admin(u).post(
        reverse("admin:timeline_source_change", args=[r["source"].pk]),
        source_form(title="Changed", text=r["source"].text, published_text="2023-12-23"))),
    Write("admin delete source", ("delete_source",), lambda u, r: admin(u).post(
        reverse("admin:timeline_source_delete", args=[r["spare source"].pk]), {"post": "yes"})),
    # the admin's actions
    Write("action mark reviewed", ("change_event",), changelist_action("event", "mark_reviewed", ["invasion", "overtures"])),
    Write("action re-resolve dates", ("change_event",), changelist_action("event", "re_resolve_dates", ["overtures"])),
    Write("action merge", ("change_event", "delete_event"), changelist_action(
        "event", "merge_events", ["invasion", "overtures"], apply="1", survivor="")),
    Write("action delete events", ("delete_event",), changelist_action("event", "delete_selected", ["invasion"], post="yes")),
    Write("action delete places", ("delete_place",), changelist_action("place", "delete_selected", ["place"], post="yes")),
    # the history's revert
    Write("revert event", ("change_event",), revert("event", "invasion")),
    Write("revert party", ("change_party",), revert("party", "party")),
    # the admin's import
    Write("import a new event", ("add_event",), admin_import(lambda r: {"title": "Imported", "date": "2023"})),
    Write("import over a stored event", ("change_event",), admin_import(
        lambda r: {"key": r["invasion"].key, "title": "Overwritten", "date": "2020", "status": "reviewed"})),
]


def _fix_merge_survivor(write, rows):
    if write.name == "action merge":
        survivor = rows["invasion"].pk

        def run(user, rows, inner=write.run):
            return admin(user).post(
                reverse("admin:timeline_event_changelist"),
                {"action": "merge_events", ACTION_CHECKBOX_NAME: [rows["invasion"].pk, rows["overtures"].pk],
                 "apply": "1", "survivor": survivor},
            )
        return run
    return write.run


CASES = [(w, missing) for w in WRITES for missing in w.needs]


@pytest.mark.parametrize("write, missing", CASES, ids=[f"{w.name} without {m}" for w, m in CASES])
def test_a_write_is_refused_to_a_user_lacking_its_permission(db, rows, write, missing, django_user_model, timeline_snapshot):
    user = user_without(django_user_model, missing)
    before = timeline_snapshot()
    response = _fix_merge_survivor(write, rows)(user, rows)
    assert timeline_snapshot() == before
    refused = response.status_code in (403, 405) or (
        response.status_code in (200, 400) and "permission" in response.content.decode()
    ) or _action_refused(response)
    assert refused, (response.status_code, response.content[:500])


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_the_same_write_by_a_user_with_every_permission_changes_something(db, rows, write, django_user_model, timeline_snapshot):
    user = user_without(django_user_model, None)
    before = timeline_snapshot()
    response = _fix_merge_survivor(write, rows)(user, rows)
    assert response.status_code in (200, 201, 204, 302), (response.status_code, response.content[:500])
    assert timeline_snapshot() != before


def _action_refused(response) -> bool:
    """An action the user may not run is not offered: Django answers "No action selected", or the
    action refuses with a message naming the permission."""
    from django.contrib.messages import get_messages

    page = response.content.decode() if response.status_code == 200 else ""
    if "No action selected" in page or (page and 'name="action"' not in page):
        return True  # refused, or no action offered at all (a user who may run none)
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    return response.status_code == 302 and any("No action selected" in t or "permission" in t for t in texts)


def test_write_methods_the_api_does_not_offer_are_refused_to_everyone(db, rows, django_user_model, timeline_snapshot):
    user = user_without(django_user_model, None)
    before = timeline_snapshot()
    client = api(user)
    for url in (f"/api/parties/{rows['party'].slug}/", f"/api/places/{rows['place'].slug}/", f"/api/sources/{rows['source'].pk}/"):
        for method in ("put", "patch", "delete"):
            assert getattr(client, method)(url, {"name": "x"}, format="json").status_code == 405, (method, url)
    assert timeline_snapshot() == before


def test_an_anonymous_client_writes_nothing_through_the_api(db, rows, timeline_snapshot):
    before = timeline_snapshot()
    client = APIClient()
    assert client.post("/api/events/", {"title": "New", "date": "2023"}, format="json").status_code in (401, 403)
    assert client.patch(f"/api/events/{rows['invasion'].pk}/", {"title": "x"}, format="json").status_code in (401, 403)
    assert client.delete(f"/api/events/{rows['invasion'].pk}/").status_code in (401, 403)
    assert timeline_snapshot() == before


def test_an_import_naming_a_stored_event_needs_change_and_says_so(db, rows, django_user_model):
    user = user_without(django_user_model, "change_event")
    records = [{"title": "Fine", "date": "2023"}, {"key": rows["invasion"].key, "title": "Overwritten", "date": "2020"}]
    response = admin(user).post(
        reverse("admin:timeline_event_import"),
        {"file": SimpleUploadedFile("events.json", json.dumps(records).encode())},
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f"record 2: updating event {rows['invasion'].key!r} needs the permission to change events" in page
    assert not Event.objects.filter(title__in=["Fine", "Overwritten"]).exists()
    assert Event.objects.get(pk=rows["invasion"].pk).citations.exists()


"""Faults and permissions: a database outage is a 503, editors get write permissions."""

from django.contrib.auth.models import Group
from django.db import OperationalError

from timeline.apps import EDITORS_GROUP


def test_a_database_outage_is_a_503_with_a_json_body(client, db, monkeypatch):
    from timeline import views

    def outage(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.selectors, "events_with_details", outage)
    response = client.get("/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert response["Retry-After"]


def test_editors_group_can_write_the_domain(db):
    perms = set(Group.objects.get(name=EDITORS_GROUP).permissions.values_list("codename", flat=True))
    assert {
        "add_event",
        "change_event",
        "delete_event",
        "add_citation",
        "change_party",
        "add_source",
    } <= perms


def test_repeated_failed_admin_logins_are_locked_out(client, django_user_model, settings):
    django_user_model.objects.create_superuser("editor", "e@example.org", "a-long-password-123")
    statuses = [
        client.post("/admin/login/?next=/admin/", {"username": "editor", "password": "wrong"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": "a-long-password-123"}
    )
    assert locked.status_code == 429
    assert "/admin/" not in locked.get("Location", "")

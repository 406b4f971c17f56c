"""The request-size limit: one default for every view (a JSON 413, read from Content-Length), and a
larger one only where a view declares it (the admin's import, up to exchange.MAX_IMPORT_BYTES)."""

from django.urls import reverse

from timeline import admin_actions, exchange

MIB = 1024 * 1024


def post_raw(client, url, size):
    return client.generic("POST", url, b"x" * size, content_type="application/octet-stream")


def test_the_import_view_declares_the_import_limit_plus_the_multipart_envelope():
    assert exchange.MAX_IMPORT_BYTES < admin_actions.IMPORT_BODY_LIMIT < exchange.MAX_IMPORT_BYTES + MIB


def test_a_larger_body_is_allowed_only_for_the_view_that_declares_it(staff_client, settings):
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MIB
    other = post_raw(staff_client, reverse("admin:timeline_event_add"), size)
    assert other.status_code == 413 and other.json()["code"] == "request_too_large"
    imported = post_raw(staff_client, reverse("admin:timeline_event_import"), size)
    assert imported.status_code != 413  # read by the import view (here: not a file upload)


def test_an_unknown_url_over_the_limit_is_still_a_json_413(client, settings):
    response = post_raw(client, "/no/such/page/", settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"


def test_an_anonymous_upload_over_the_import_limit_reads_nothing_and_ends_at_the_login(client, db):
    url = reverse("admin:timeline_event_import")
    response = post_raw(client, url, admin_actions.IMPORT_BODY_LIMIT + 1)
    assert response.status_code == 303
    assert client.get(response["Location"])["Location"].startswith(reverse("admin:login"))

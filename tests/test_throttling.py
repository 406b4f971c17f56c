"""Issue 17: the anonymous throttles cannot be dodged with a made-up X-Forwarded-For, count in a
cache every worker shares, and give exports and the public page their own, lower rates; the admin's
login lockout reads the client's address the same way, so behind a proxy one client cannot lock
everyone out of an account."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache

from api.throttling import AnonExportThrottle, AnonThrottle, PublicPageThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    def set_rates(**rates):
        merged = {"anon": "100/minute", "export": "100/minute", "public_page": "100/minute", **rates}
        for throttle in (AnonThrottle, AnonExportThrottle, PublicPageThrottle):
            monkeypatch.setattr(throttle, "THROTTLE_RATES", merged)

    return set_rates


def test_a_made_up_x_forwarded_for_does_not_escape_the_anonymous_throttle(api_client, rates):
    rates(anon="3/minute")
    statuses = [
        api_client.get("/api/parties/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_behind_trusted_proxies_each_client_is_counted_by_the_address_our_proxy_saw(api_client, rates, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    rates(anon="2/minute")

    def get(forwarded):
        return api_client.get("/api/parties/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded).status_code

    # What the client writes left of our proxy's entry changes nothing.
    assert [get(f"{fake}, 203.0.113.7") for fake in ("1.1.1.1", "2.2.2.2", "3.3.3.3")] == [200, 200, 429]
    assert get("203.0.113.8") == 200  # another client behind the same proxy has its own count


def test_throttle_counts_are_kept_where_every_worker_reads_them(api_client, rates, settings):
    rates(anon="5/minute")
    for _ in range(3):
        assert api_client.get("/api/parties/").status_code == 200
    # Another process opens the same cache afresh and sees the three requests.
    location = settings.CACHES["throttle"]["LOCATION"]
    other_worker = FileBasedCache(location, {})
    key = AnonThrottle.cache_format % {"scope": "anon", "ident": "127.0.0.1"}
    assert len(other_worker.get(key)) == 3
    assert caches["throttle"]._dir == other_worker._dir


def test_anonymous_exports_have_their_own_lower_rate(api_client, rates, invasion):
    rates(export="2/minute")
    assert [api_client.get("/api/events/?format=csv").status_code for _ in range(3)] == [200, 200, 429]
    assert api_client.get("/api/events/").status_code == 200  # pages of JSON are not exports


def test_the_public_page_has_its_own_rate_and_says_when_to_come_back(client, rates, invasion):
    rates(public_page="2/minute")
    assert [client.get("/").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_behind_a_proxy_failed_logins_lock_out_only_the_client_that_made_them(client, settings, django_user_model):
    settings.TRUSTED_PROXY_COUNT = 1
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-123")

    def login(password, client_address):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": password},
            REMOTE_ADDR="192.0.2.1",  # the proxy
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("wrong", "203.0.113.66")
    assert login("a-long-password-123", "203.0.113.66").status_code == 429  # the attacker is locked out
    assert login("a-long-password-123", "203.0.113.7").status_code == 302  # the editor is not


def test_an_unwritable_throttle_cache_lets_requests_through_and_logs_it(api_client, settings, tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.CACHES = {**settings.CACHES, "throttle": {**settings.CACHES["throttle"], "LOCATION": str(blocker / "cache")}}
    assert api_client.get("/api/parties/").status_code == 200
    assert "throttle cache unusable" in caplog.text


def test_finding_dates_is_counted_in_the_cache_every_worker_shares(api_client, rates, settings):
    """The costliest anonymous endpoint (up to 50,000 characters of text) is counted with the rest of
    the API, where every worker reads: not in one process's memory, where each worker counted alone."""
    rates(anon="2/minute")
    statuses = [api_client.post("/api/dates/find/", {"text": "on 24 February 2022"}, format="json").status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]
    key = AnonThrottle.cache_format % {"scope": "anon", "ident": "127.0.0.1"}
    assert len(FileBasedCache(settings.CACHES["throttle"]["LOCATION"], {}).get(key)) == 2

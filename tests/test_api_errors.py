"""Bad input of every kind is a 400 JSON response naming the parameter or field and why; nothing
a client sends makes a 500; anonymous clients are throttled."""

from __future__ import annotations

import pytest
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 501


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("start=Septembr 2022", "start"),
        ("end=the day after tomorrow", "end"),
        ("start=November last year", "start"),  # relative, and a window has no anchor
        ("start=2022-02-30", "start"),
        ("start=10000", "start"),
        ("match=sideways", "match"),
        ("party=atlantis", "party"),
        ("party=russia&party=atlantis", "party"),
        ("party=%00", "party"),
        ("party=rus sia", "party"),
        ("role=king", "role"),
        ("kind=war", "kind"),
        ("status=done", "status"),
        ("precision=hour", "precision"),
        ("approximate=maybe", "approximate"),
        ("uncertain=1", "uncertain"),
        ("source=abc", "source"),
        ("source=999999", "source"),
        ("source=99999999999999999999999", "source"),
        ("place=atlantis", "place"),
        ("q=%00", "q"),
        (f"q={TOO_LONG}", "q"),
        ("key=%00", "key"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=0001-01-01T00:00:00%2B14:00", "updated_since"),
        ("id=a", "id"),
        ("id=0", "id"),
        ("id=99999999999999999999", "id"),
        ("ordering=title", "ordering"),
        ("page_size=abc", "page_size"),
        ("cursor=abc", "cursor"),
        ("format=xml", "format"),
    ],
)
def test_a_bad_query_parameter_is_a_400_naming_it(api_client, russia, query, parameter):
    response = api_client.get(f"/api/events/?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == [parameter]
    assert all(isinstance(message, str) and message for message in body[parameter])


@pytest.mark.parametrize("value", ["50%d", "100%", "%(x)s"])
def test_a_percent_sign_in_a_bad_value_is_reported_verbatim(api_client, value):
    quoted = value.replace("%", "%25")
    for parameter in ("start", "party", "place"):
        response = api_client.get(f"/api/events/?{parameter}={quoted}")
        assert response.status_code == 400
        assert value in response.json()[parameter][0]
    assert value in api_client.get(f"/api/parties/?affiliation={quoted}").json()["affiliation"][0]


def test_the_message_says_what_could_not_be_read(api_client):
    response = api_client.get("/api/events/?start=Septembr 2022")
    assert response.json() == {"start": ["could not understand 'Septembr 2022' as a date"]}


def test_an_end_before_the_start_is_a_400_on_end(api_client):
    response = api_client.get("/api/events/?start=2023&end=2022-06")
    assert response.status_code == 400
    assert response.json() == {"end": ["'2022-06' ends before start '2023' begins"]}


def test_an_unknown_party_is_named(api_client, russia):
    response = api_client.get("/api/events/?party=russia&party=atlantis")
    assert response.json() == {"party": ["no party 'atlantis'"]}


@pytest.mark.parametrize("query", ["start=2022&start=2023", "status=draft&status=reviewed", "q=truce&q=war"])
def test_a_single_valued_parameter_given_twice_is_a_400_naming_it(api_client, query):
    name = query.partition("=")[0]
    response = api_client.get(f"/api/events/?{query}")
    assert response.status_code == 400
    assert response.json() == {name: ["give one value, not 2"]}


@pytest.mark.parametrize("path", ["/api/events/", "/api/parties/", "/api/sources/"])
def test_an_empty_updated_since_is_a_400_not_an_unfiltered_list(api_client, path):
    response = api_client.get(f"{path}?updated_since=")
    assert response.status_code == 400
    assert "updated_since" in response.json()


@pytest.mark.parametrize("query", ["match=", "kind=", "status=", "approximate=", "source=", "ordering=", "page_size="])
def test_an_empty_value_for_a_parameter_that_is_not_text_is_a_400(api_client, query):
    response = api_client.get(f"/api/events/?{query}")
    assert response.status_code == 400
    assert query.rstrip("=") in response.json()


def test_an_empty_text_parameter_means_left_out(api_client, timeline):
    assert api_client.get("/api/events/?start=&end=&q=").status_code == 200


def test_a_repeatable_parameter_may_be_given_twice(api_client, russia, ukraine):
    assert api_client.get("/api/events/?party=russia&party=ukraine&kind=statement&kind=proposal").status_code == 200


def test_several_bad_parameters_are_reported_together(api_client):
    response = api_client.get("/api/events/?kind=war&status=done&start=nonsense")
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "status", "start"}


def test_filters_of_the_other_lists_are_checked_too(api_client):
    for url, parameter in [
        ("/api/parties/?kind=planet", "kind"),
        ("/api/parties/?affiliation=atlantis", "affiliation"),
        ("/api/places/?parent=atlantis", "parent"),
        ("/api/sources/?publisher=%00", "publisher"),
        ("/api/sources/?updated_since=soon", "updated_since"),
        ("/api/parties/?page_size=1000", "page_size"),
    ]:
        response = api_client.get(url)
        assert response.status_code == 400, url
        assert list(response.json()) == [parameter]


# --- bodies --------------------------------------------------------------------------------------


def test_a_body_that_is_not_json_is_a_400(token_client):
    response = token_client.post("/api/events/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_body_that_is_not_an_object_is_a_400(token_client):
    response = token_client.post("/api/events/", [1, 2], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x\x00", "date": "2022"}, "title"),
        ({"title": "x", "date": "2022\x00"}, "date"),
        ({"title": "x" * 301, "date": "2022"}, "title"),
        ({"title": "x", "date": "2022", "kind": "war"}, "kind"),
        ({"title": "x", "date": "2022", "anchor_source": 10**30}, "anchor_source"),
        ({"title": "x", "date": "2022", "anchor_source": "first"}, "anchor_source"),
        ({"title": "x", "date": "2022", "parties": "russia"}, "parties"),
        ({"title": "x", "date": "2022", "parties": [{"party": "\x00"}]}, "parties"),
        ({"title": "x", "date": "2022", "places": ["atlantis"]}, "places"),
        (
            {"title": "x", "date": "2022", "citations": [{"source": 1, "quote": "q", "char_start": -1}]},
            "citations",
        ),
        ({"title": "x", "date": "2022", "key": "not a slug"}, "key"),
        ({"title": "x", "date": ["2022"]}, "date"),
    ],
)
def test_a_bad_field_is_a_400_naming_it(token_client, russia, body, field):
    response = token_client.post("/api/events/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_body_in_a_media_type_the_api_does_not_read_is_a_415(token_client):
    response = token_client.post("/api/events/", "title: x", content_type="text/yaml")
    assert response.status_code == 415
    assert "text/yaml" in response.json()["detail"]


def test_a_lone_surrogate_in_a_string_is_a_400(token_client):
    # Valid JSON, but not encodable as UTF-8 for the database.
    response = token_client.post(
        "/api/events/", '{"title": "x", "date": "\\ud800"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "date" in response.json()


# --- everything else -----------------------------------------------------------------------------


def test_an_unknown_event_is_a_json_404(api_client):
    for url in ("/api/events/12345/", "/api/events/99999999999999999999999/"):
        response = api_client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "No Event matches the given query."}


def test_an_unknown_party_or_source_is_a_404(api_client):
    assert api_client.get("/api/parties/atlantis/").status_code == 404
    assert api_client.get("/api/sources/424242/").status_code == 404


def test_a_method_not_offered_is_a_405(token_client, overtures):
    assert token_client.post(f"/api/events/{overtures.pk}/", {}, format="json").status_code == 405


def test_a_method_not_offered_is_a_405_even_with_a_format_the_method_has_not(token_client):
    response = token_client.generic("TRACE", "/api/events/?format=csv")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")


def test_anonymous_requests_are_throttled_with_a_retry_after(api_client, token_client, monkeypatch):
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "3/minute")
    assert [api_client.get("/api/events/").status_code for _ in range(3)] == [200, 200, 200]
    response = api_client.get("/api/events/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "throttled" in response.json()["detail"]
    # Authenticated clients are not counted as anonymous ones.
    assert [token_client.get("/api/events/").status_code for _ in range(5)] == [200] * 5


def test_any_other_path_under_the_api_is_a_json_404(api_client, token_client):
    for url in (
        "/api/events/abc/",
        "/api/events/1.5/",
        "/api/parties/no%20such/",
        "/api/nothing-here/",
        "/api/events/%0A/",
    ):
        response = api_client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found."}
    assert token_client.delete("/api/events/abc/").status_code == 404


def test_a_missing_trailing_slash_is_redirected(api_client):
    response = api_client.get("/api/events?kind=decree")
    assert response.status_code == 301
    assert response["Location"] == "/api/events/?kind=decree"

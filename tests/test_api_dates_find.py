"""POST /api/dates/find/: the date finder over HTTP, the same JSON as ``manage.py find_dates``."""

from __future__ import annotations

import pytest
from rest_framework.throttling import AnonRateThrottle

from api.dates_find import MAX_TEXT_CHARS

pytestmark = pytest.mark.django_db
URL = "/api/dates/find/"


def post(client, body):
    return client.post(URL, body, format="json")


def test_every_date_in_the_text_is_returned_with_offsets(api_client):
    text = "The envoy, who arrived Monday, will leave on Oct. 23."
    response = post(api_client, {"text": text, "published": "2023-06-14"})
    assert response.status_code == 200
    body = response.json()
    assert body["published"]["earliest"] == "2023-06-14"
    assert [(d["text"], d["earliest"]) for d in body["dates"]] == [
        ("Monday", "2023-06-12"),
        ("Oct. 23", "2023-10-23"),
    ]
    assert all(text[d["start"] : d["end"]] == d["text"] for d in body["dates"])
    assert body["unresolved"] == []


def test_the_anchor_source_gives_the_publication_date(api_client, article_2023):
    body = post(api_client, {"text": "Talks resumed yesterday.", "anchor_source": article_2023.pk}).json()
    assert body["dates"][0]["earliest"] == "2023-12-22"


def test_without_a_reference_relative_expressions_are_unresolved(api_client):
    body = post(api_client, {"text": "Talks resumed yesterday."}).json()
    assert body["published"] is None and body["dates"] == []
    assert body["unresolved"][0]["text"] == "yesterday"


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "text"),
        ({"text": 5}, "text"),
        ({"text": "x" * (MAX_TEXT_CHARS + 1)}, "text"),
        ({"text": "on Monday", "published": "Septembr 2022"}, "published"),
        ({"text": "on Monday", "anchor_source": 424242}, "anchor_source"),
        ({"text": "on Monday", "anchor_source": "abc"}, "anchor_source"),
        ({"text": "on Monday", "published": "2023-06-14", "anchor_source": 1}, "anchor_source"),
    ],
)
def test_a_bad_request_is_a_400_naming_the_field(api_client, body, field):
    response = post(api_client, body)
    assert response.status_code == 400
    assert field in response.json()


def test_a_body_that_is_not_an_object_is_a_400(api_client):
    assert post(api_client, ["text"]).status_code == 400


def test_anonymous_clients_are_throttled(api_client, monkeypatch):
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    assert [post(api_client, {"text": "in 2004"}).status_code for _ in range(3)] == [200, 200, 429]


def test_the_endpoint_is_in_the_openapi_schema(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/dates/find/"]["post"]
    assert operation["operationId"] == "dates_find"
    assert "FindDatesRequest" in str(operation["requestBody"])

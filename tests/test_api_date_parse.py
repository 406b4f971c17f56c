"""/api/dates/parse/: the admin's live date preview reads text with the same code that saves it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_month_is_read_as_a_month(api_client):
    body = api_client.get("/api/dates/parse/", {"text": "September 2022"}).json()
    assert (body["earliest"], body["latest"], body["precision"], body["edtf"]) == ("2022-09-01", "2022-09-30", "month", "2022-09")


def test_a_relative_phrase_is_resolved_against_the_anchor_sources_publication(api_client, article_2023):
    body = api_client.get("/api/dates/parse/", {"text": "next March", "anchor_source": article_2023.pk}).json()
    assert body["edtf"] == f"{article_2023.published.earliest.year + 1}-03"


def test_a_relative_phrase_without_an_anchor_is_an_error_about_the_text(api_client):
    response = api_client.get("/api/dates/parse/", {"text": "next March"})
    assert response.status_code == 400
    assert "anchor" in response.json()["text"][0]


def test_an_empty_anchor_source_means_no_anchor(api_client):
    assert api_client.get("/api/dates/parse/", {"text": "2022", "anchor_source": ""}).status_code == 200


@pytest.mark.parametrize("raw", ["abc", "424242", "1e3", "99999999999999999999999"])
def test_an_anchor_source_that_names_no_source_is_a_400(api_client, raw):
    response = api_client.get("/api/dates/parse/", {"text": "next March", "anchor_source": raw})
    assert response.status_code == 400
    assert response.json()["anchor_source"][0].startswith("no source")


def test_unreadable_text_is_a_400_naming_it(api_client):
    response = api_client.get("/api/dates/parse/", {"text": "Septembr 2022"})
    assert response.status_code == 400
    assert "Septembr 2022" in response.json()["text"][0]

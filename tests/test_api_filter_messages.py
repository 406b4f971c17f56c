"""A filter error tells the client what would have been valid."""

import pytest


@pytest.mark.parametrize(
    "query, parameter, valid",
    [
        ("kind=foo", "kind", ["military_action", "statement", "other"]),
        ("precision=weird", "precision", ["day", "month", "year", "decade"]),
        ("ordering=zzz", "ordering", ["date", "-date", "updated", "-updated"]),
        ("status=bogus", "status", ["draft", "reviewed"]),
    ],
)
def test_a_choice_error_lists_the_valid_values(api_client, db, query, parameter, valid):
    response = api_client.get(f"/api/events/?{query}")
    assert response.status_code == 400
    (message,) = response.json()[parameter]
    assert message.startswith(f"'{query.split('=')[1]}' is not one of: ")
    for value in valid:
        assert value in message.split(": ", 1)[1].rstrip(".").split(", ")


def test_a_party_kind_error_lists_the_party_kinds(api_client, db):
    (message,) = api_client.get("/api/parties/?kind=x").json()["kind"]
    assert "person, state, organisation" in message


def test_updated_since_in_words_is_refused_with_an_example_of_what_is_read(api_client, db):
    response = api_client.get("/api/events/", {"updated_since": "last week"})
    assert response.status_code == 400
    (message,) = response.json()["updated_since"]
    assert "ISO 8601" in message and "2024-01-31" in message and "'last week'" in message


def test_updated_since_as_a_day_still_works(api_client, db):
    assert api_client.get("/api/events/", {"updated_since": "2024-01-31"}).status_code == 200


def test_ids_may_be_repeated_as_client_generators_send_them_or_comma_separated(api_client, db):
    from timeline import services

    a, b, c = (services.event_create(title=t, date="2022", status="reviewed") for t in ("A", "B", "C"))
    repeated = api_client.get(f"/api/events/?id={a.pk}&id={c.pk}").json()["results"]
    commas = api_client.get(f"/api/events/?id={a.pk},{c.pk}").json()["results"]
    assert {e["id"] for e in repeated} == {e["id"] for e in commas} == {a.pk, c.pk}


def test_too_many_ids_repeated_are_refused_like_too_many_with_commas(api_client, db):
    query = "&".join(f"id={i}" for i in range(1, 102))
    assert api_client.get(f"/api/events/?{query}").status_code == 400

"""Small helpers shared by the API tests."""

from __future__ import annotations


def titles(response) -> list[str]:
    """Titles of the events in a JSON page, in order."""
    assert response.status_code == 200, response.content[:500]
    return [event["title"] for event in response.json()["results"]]


def content(response) -> bytes:
    """The body of a plain or a streamed response."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def walk(client, url: str) -> list[dict]:
    """Every event of a list, following next links to the end."""
    events = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        page = response.json()
        events += page["results"]
        url = page["next"]
    return events

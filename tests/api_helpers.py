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


def pages_both_ways(client, url: str) -> tuple[list[list[str]], list[list[str]]]:
    """The titles of each page following next links from ``url`` to the end, then of each page
    following previous links back from the last page (in the order visited)."""
    forward = []
    while url:
        page = client.get(url).json()
        forward.append([e["title"] for e in page["results"]])
        last, url = page, page["next"]
    backward, url = [], last["previous"]
    while url:
        page = client.get(url).json()
        backward.append([e["title"] for e in page["results"]])
        url = page["previous"]
    return forward, backward

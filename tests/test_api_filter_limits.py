"""Issue 17: no filter lets one anonymous request hold a database worker. Every repeatable parameter
has a documented limit (a 400 past it, maxItems in the schema), and the worst request within the
limits makes the same queries, of the same shape, as a request with one value each: several parties
are one grouped subquery, not a join per party (40 of those took PostgreSQL 12 s to plan)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import filters
from timeline import services
from timeline.models import Event, Participation, Party, Place

pytestmark = pytest.mark.django_db

LIMITED = {
    "party": filters.MAX_PARTIES,
    "source": filters.MAX_REFERENCES,
    "place": filters.MAX_REFERENCES,
    "kind": len(Event.Kind.choices),
}


@pytest.fixture
def parties():
    return [services.party_create(name=f"Party {n}", kind=Party.Kind.STATE) for n in range(filters.MAX_PARTIES)]


def _events(api_client, query: str):
    response = api_client.get(f"/api/events/?{query}")
    assert response.status_code == 200, response.content
    return {event["title"] for event in response.json()["results"]}


@pytest.mark.parametrize("name", sorted(LIMITED))
def test_a_repeatable_parameter_past_its_limit_is_a_400_naming_the_limit(api_client, name):
    limit = LIMITED[name]
    query = "&".join(f"{name}={value}" for value in range(limit + 1))
    response = api_client.get(f"/api/events/?{query}")
    assert response.status_code == 400
    assert response.json()[name] == [f"give at most {limit} values, not {limit + 1}"]


def test_more_comma_separated_ids_than_the_limit_is_a_400(api_client):
    ids = ",".join(str(n) for n in range(1, filters.MAX_IDS + 2))
    response = api_client.get(f"/api/events/?id={ids}")
    assert response.status_code == 400
    assert response.json()["id"] == [f"give at most {filters.MAX_IDS} values, not {filters.MAX_IDS + 1}"]


def test_a_search_of_more_words_than_the_limit_is_a_400(api_client):
    words = " ".join(f"w{n}" for n in range(filters.MAX_SEARCH_WORDS + 1))
    response = api_client.get("/api/events/", {"q": words})
    assert response.status_code == 400
    assert response.json()["q"] == [f"give at most {filters.MAX_SEARCH_WORDS} words, not {filters.MAX_SEARCH_WORDS + 1}"]


def test_the_schema_documents_each_limit_as_max_items(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/events/"]["get"]["parameters"]}
    for name, limit in {**LIMITED, "id": filters.MAX_IDS}.items():
        assert parameters[name]["schema"]["maxItems"] == limit, name
    assert str(filters.MAX_SEARCH_WORDS) in parameters["q"]["description"]


def test_every_party_given_must_take_part_in_the_role_given(token_client, parties):
    api_client = token_client  # the events are drafts, which anonymous readers do not see
    services.event_create(title="All of them", date="2022", kind="meeting", parties=[(p, "actor") for p in parties])
    services.event_create(title="All but one", date="2022", kind="meeting", parties=[(p, "actor") for p in parties[1:]])
    services.event_create(
        title="One as target", date="2022", kind="meeting", parties=[(parties[0], "target"), *((p, "actor") for p in parties[1:])]
    )
    everyone = "&".join(f"party={p.slug}" for p in parties)
    assert _events(api_client, everyone) == {"All of them", "One as target"}
    assert _events(api_client, f"{everyone}&role=actor") == {"All of them"}
    some = "&".join(f"party={p.slug}" for p in parties[:3])
    assert _events(api_client, f"{some}&party={parties[0].slug}") == {"All of them", "One as target"}  # one named twice


def _queries(api_client, query: str) -> list[str]:
    """The SQL of every query a request makes."""
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(f"/api/events/?{query}")
    assert response.status_code == 200, response.content
    return [q["sql"] for q in captured.captured_queries]


def test_parties_at_the_limit_are_one_grouped_subquery_not_a_join_each(api_client, parties):
    # Every party given must take part: one query over participations, grouped by event and read
    # first (timeline.id_lists), whatever the number of parties; never a join per party.
    participations = Participation._meta.db_table
    counts = []
    for named in (parties[:2], parties):
        sql = _queries(api_client, "&".join(f"party={p.slug}" for p in named))
        grouped = [q for q in sql if participations in q and "GROUP BY" in q]
        assert len(grouped) == 1, sql
        assert re.search(r"GROUP BY .* HAVING COUNT\(DISTINCT", grouped[0]), grouped[0]
        reads = re.compile(rf'(FROM|JOIN) "?{participations}"?')
        assert all(len(reads.findall(q)) <= 1 for q in sql), sql  # the table read once, never joined per party
        counts.append(len(sql))
    assert counts[0] == counts[1]


def test_every_filter_at_its_limits_makes_the_queries_one_value_each_makes(api_client, parties, invasion, article_2024):
    places = [Place.objects.create(name=f"Place {n}", slug=f"place-{n}", kind=Place.Kind.CITY) for n in range(filters.MAX_REFERENCES)]
    sources = [article_2024.pk] * filters.MAX_REFERENCES
    words = " ".join(f"word{n}" for n in range(filters.MAX_SEARCH_WORDS))

    def query(n_parties, n_places, n_sources, n_ids, kinds, precisions, q):
        return "&".join(
            [
                "start=2000&end=2030&match=overlap&role=actor&status=draft&approximate=false&uncertain=false",
                "updated_since=2000-01-01T00:00:00Z&ordering=-date",
                *(f"party={p.slug}" for p in parties[:n_parties]),
                *(f"place={p.slug}" for p in places[:n_places]),
                *(f"source={s}" for s in sources[:n_sources]),
                "id=" + ",".join(str(n) for n in range(1, n_ids + 1)),
                *(f"kind={k}" for k in kinds),
                *(f"precision={p}" for p in precisions),
                f"q={q}",
            ]
        )

    from timeline.fuzzy_columns import PRECISION_CHOICES

    kinds, precisions = [k for k, _ in Event.Kind.choices], [p for p, _ in PRECISION_CHOICES]
    def shapes(sql: list[str]) -> list[tuple[int, ...]]:
        return [tuple(q.count(keyword) for keyword in ("SELECT", "JOIN", "GROUP BY", "HAVING")) for q in sql]

    one = _queries(api_client, query(2, 1, 1, 1, kinds[:1], precisions[:1], "word0"))
    worst = _queries(api_client, query(len(parties), len(places), len(sources), filters.MAX_IDS, kinds, precisions, words))
    # As many queries, each of the same shape: as many subqueries and joins, only longer lists of values.
    assert shapes(worst) == shapes(one), (one, worst)

"""?q= reads the same on SQLite (FTS5, timeline.text_search) as on PostgreSQL (websearch_to_tsquery
over the GIN index): every case below runs on both and expects the same events. On SQLite the
index is kept by triggers: edits, deletes, citations and the bulk import all show in it at once."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.api_helpers import titles
from timeline import id_lists, services, text_search
from timeline.bulk_import import import_file
from timeline.models import Event

TALKS = "Peace talks resume in Geneva"
TRUCE = "Truce declared"
CAFE = "Café bombing"
COLLAPSE = "Talks collapse"
DECREE = "Decree on mobilisation"

EVENTS = [
    (TALKS, "2022-03-01", "Negotiators met for the first time since the war began."),
    (TRUCE, "2022-04-01", "A ceasefire ends the war in the north."),
    (CAFE, "2022-05-01", "An attack on a café near the border."),
    (COLLAPSE, "2022-06-01", "The peace process failed; the talking stopped."),
    (DECREE, "2022-07-01", "The president signed a decree."),
]


@pytest.fixture
def events(db):
    return {
        title: services.event_create(title=title, date=day, summary=summary, status=Event.Status.REVIEWED)
        for title, day, summary in EVENTS
    }


def search(client, q: str) -> set[str]:
    return set(titles(client.get("/api/events/", {"q": q})))


CASES = [
    ("talks", {TALKS, COLLAPSE}),
    ("talking", {TALKS, COLLAPSE}),  # stemmed: talks, talking and talk are one word
    ("TRUCE", {TRUCE}),
    ("decrees", {DECREE}),
    ("peace talks", {TALKS, COLLAPSE}),  # every word, anywhere
    ('"peace talks"', {TALKS}),  # a phrase: the words together, in order
    ('"ends the war"', {TRUCE}),  # a stop word inside a phrase
    ("the war", {TALKS, TRUCE}),  # stop words dropped
    ("the", set()),  # nothing but stop words: nothing, as on PostgreSQL
    ("war -north", {TALKS}),
    ("-war", {CAFE, COLLAPSE, DECREE}),
    ("truce or bombing", {TRUCE, CAFE}),
    ("truce or -war", {TRUCE, CAFE, COLLAPSE, DECREE}),
    ('-"peace talks" peace', {COLLAPSE}),
    ("--war", {TALKS, TRUCE}),  # two minus signs cancel
    ("café", {CAFE}),
    ("cafe", set()),  # accents count (PostgreSQL's english config keeps them)
    ("NOT war", {TALKS, TRUCE}),  # "not" is a stop word, not an operator
    ("war AND peace", {TALKS}),
    ("war OR", {TALKS, TRUCE}),
    ("- war", {CAFE, COLLAPSE, DECREE}),  # a minus sign apart from its word still excludes it
    ("talks|-war", {COLLAPSE}),  # tsquery's operators are not websearch syntax: skipped
    ("(-war", {CAFE, COLLAPSE, DECREE}),
    ("truce - or bombing", set()),  # "- or": an excluded stop word, not an or: truce and bombing
    # FTS5 syntax in the input is text, never syntax: no 500, the same answer as PostgreSQL.
    ('"', set()),
    ("*", set()),
    ("OR", set()),
    ("-", set()),
    ("NEAR(", {CAFE}),  # "near" is a word like any other
    ("NEAR(war peace)", set()),  # "near" is a word to find
    ('"unclosed war', set()),
    ("war*", {TALKS, TRUCE}),
    ("^war", {TALKS, TRUCE}),
    ("search_text:war", set()),
    ("{search_text}: war", set()),
    ("(war", {TALKS, TRUCE}),
    ("war) OR (truce", {TALKS, TRUCE}),
    ("war''", {TALKS, TRUCE}),
    ("\\ war", {TALKS, TRUCE}),
    ('war "" peace', {TALKS}),
]


@pytest.mark.parametrize(("q", "expected"), CASES, ids=[q for q, _ in CASES])
def test_q_reads_the_same_on_both_databases(api_client, events, q, expected):
    assert search(api_client, q) == expected


def test_q_finds_an_edited_title_and_forgets_the_old_one(api_client, events):
    services.event_update(event=events[TRUCE], title="Armistice declared")
    assert search(api_client, "armistice") == {"Armistice declared"}
    assert search(api_client, "truce") == set()


def test_q_forgets_a_deleted_event(api_client, events):
    services.event_delete(event=events[TALKS])
    assert search(api_client, "war") == {TRUCE}
    assert search(api_client, "-war") == {CAFE, COLLAPSE, DECREE}


def test_q_finds_a_cited_quote_once_added_and_not_once_removed(api_client, events):
    source = services.source_create(title="Report", text="The envoy spoke of a fragile armistice.", published="2022")
    quote = services.CitationInput(source=source, quote="a fragile armistice")
    services.event_update(event=events[DECREE], citations=[quote])
    assert search(api_client, "fragile") == {DECREE}
    services.event_update(event=events[DECREE], citations=[])
    assert search(api_client, "fragile") == set()


def test_q_combines_with_the_other_filters(api_client, events):
    assert set(titles(api_client.get("/api/events/", {"q": "war", "start": "2022-04"}))) == {TRUCE}


# --- SQLite: the index itself --------------------------------------------------------------------


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 index is SQLite's; PostgreSQL searches through its GIN index")


def index_matches_the_events() -> bool:
    """FTS5's own check of an external-content index against the table it indexes."""
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"INSERT INTO {text_search.TABLE}({text_search.TABLE}, rank) VALUES ('integrity-check', 1)")
        except Exception as exc:  # sqlite3.DatabaseError: "database disk image is malformed"
            if "malformed" in str(exc) or "corrupt" in str(exc):
                return False
            raise
    return True


def test_the_sqlite_search_reads_the_fts5_index(sqlite_only, events):
    from django.test.utils import CaptureQueriesContext

    from timeline import selectors

    with CaptureQueriesContext(connection) as queries:
        assert {e.title for e in selectors.events_matching(q="peace talks")} == {TALKS, COLLAPSE}
    sql = [q["sql"] for q in queries.captured_queries]
    assert any(f"FROM {text_search.TABLE} WHERE {text_search.TABLE} MATCH" in s for s in sql), sql
    assert not any("LIKE" in s for s in sql), sql


def test_a_common_word_checked_per_event_finds_the_same_events(sqlite_only, api_client, events, monkeypatch):
    # Past FTS_LIST_LIMIT matches the search checks each event against the index (a correlated
    # MATCH) rather than listing the matches: the same answers either way.
    from timeline import search as search_reads
    from timeline import selectors

    monkeypatch.setattr(search_reads, "FTS_LIST_LIMIT", 0)
    assert "rowid = " in str(selectors.events_matching(q="war -north").query)
    for q, expected in CASES:
        assert search(api_client, q) == expected, q


def test_the_index_stays_exact_through_edits_and_deletes(sqlite_only, events):
    services.event_update(event=events[TRUCE], title="Armistice declared", summary="")
    services.event_delete(event=events[CAFE])
    Event.objects.filter(pk=events[DECREE].pk).update(search_text="raw sql edit")
    assert index_matches_the_events()


def test_an_index_out_of_step_is_detected(sqlite_only, events):
    # The check above can fail: change the text behind the triggers' back.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {text_search.TABLE}_au")
        cursor.execute("UPDATE timeline_event SET search_text = 'something else entirely'")
    assert not index_matches_the_events()


def test_bulk_imported_events_are_searchable(sqlite_only, db, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"type": "event", "key": "a", "title": "Envoys gather", "date": "2021", "status": "reviewed"}\n'
        '{"type": "event", "key": "b", "title": "Summit postponed", "date": "2021", "status": "reviewed"}\n'
    )
    import_file(path=path)
    assert set(Event.objects.filter(pk__in=_matching("envoy")).values_list("title", flat=True)) == {"Envoys gather"}
    assert index_matches_the_events()


def test_the_migration_indexes_the_events_already_stored(sqlite_only, events):
    text_search.drop_index(connection)
    Event.objects.filter(pk=events[CAFE].pk).update(search_text="stored before the index")
    assert text_search.ensure_index(connection, create=True)
    assert set(_matching("stored")) == {events[CAFE].pk}
    assert len(_matching("war")) == 2
    assert index_matches_the_events()


def test_migrate_puts_back_triggers_a_table_rebuild_dropped(sqlite_only, events):
    # Django's SQLite schema editor alters a table by copying it and dropping the old one, triggers
    # and all; every migrate ends by putting them back and reindexing.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {text_search.TABLE}_ai")
        cursor.execute(f"DROP TRIGGER {text_search.TABLE}_ad")
    services.event_delete(event=events[CAFE])
    assert text_search.ensure_index(connection)
    assert not text_search.ensure_index(connection)  # nothing missing: nothing done
    services.event_create(title="Envoys gather", date="2021", status=Event.Status.REVIEWED)
    assert len(_matching("envoy")) == 1
    assert index_matches_the_events()


def test_a_word_limit_keeps_the_match_small(sqlite_only, api_client, events):
    # 20 hostile words at most (MAX_SEARCH_WORDS): still one MATCH, still no syntax error.
    response = api_client.get("/api/events/", {"q": " ".join(['"NEAR(war*', "-OR", "AND)", "^x:y"] * 5)})
    assert response.status_code == 200


def _matching(word: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {text_search.TABLE} WHERE {text_search.TABLE} MATCH %s", [f'"{word}"'])
        return [row[0] for row in cursor.fetchall()]



# --- PostgreSQL: the index read first when the statistics say the matches are few -----------------


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN index and its statistics")


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timeline_event")


@pytest.mark.parametrize("analysed", [False, True], ids=["no-statistics", "analysed"])
@pytest.mark.parametrize("few", [0, 5_000], ids=["walk-past-0", "list-up-to-5000"])
def test_q_reads_the_same_however_postgresql_reads_the_matches(postgresql_only, api_client, events, monkeypatch,
                                                               analysed, few):
    # Listed from the index first (few matches), or checked per event as the date order walks (the
    # statistics or the index itself say many): the same answers to every case.

    monkeypatch.setattr(id_lists, "FEW_EVENTS", few)
    if analysed:
        analyze()
    for q, expected in CASES:
        assert search(api_client, q) == expected, q


def test_a_rare_word_is_listed_from_the_index_and_a_common_one_walked(postgresql_only, db, monkeypatch):
    # The planner prices a word outside its most-common list at up to 0.5 % of the table; at
    # 1,000,000 events it walked every event for a word in one (a 503). The statistics' lexemes
    # decide here: a word they do not list is looked up in the index first.
    from django.test.utils import CaptureQueriesContext

    from timeline import selectors

    monkeypatch.setattr(id_lists, "FEW_EVENTS", 20)
    for n in range(60):
        services.event_create(title=f"Truce talks, round {n}", date=f"2022-03-{n % 28 + 1:02d}",
                              status=Event.Status.REVIEWED)
    services.event_create(title="Zebra crossing", date="2022-04-01", status=Event.Status.REVIEWED)
    analyze()

    def read(q: str) -> tuple[list[str], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            found = [e.title for e in selectors.events_matching(q=q).order_by("earliest", "id")]
        return found, [query["sql"] for query in queries.captured_queries]

    found, sql = read("zebra")
    assert found == ["Zebra crossing"]
    assert any("LIMIT 21" in s and "@@" in s for s in sql), sql  # the index, read first
    assert "@@" not in sql[-1] and "= ANY(" in sql[-1], sql[-1]  # the events, by id

    found, sql = read("truce")
    assert len(found) == 60
    assert not any("LIMIT 21" in s for s in sql), sql  # 60 of 61 events: no listing tried
    assert "ts_match_vq(" in sql[-1] and "@@" not in sql[-1], sql[-1]  # each event checked as the order walks


def test_a_query_of_stop_words_matches_nothing_without_reading_the_events(postgresql_only, events):
    from django.test.utils import CaptureQueriesContext

    from timeline import selectors

    with CaptureQueriesContext(connection) as queries:
        assert list(selectors.events_matching(q="the of and")) == []
    assert len(queries.captured_queries) == 1  # the query parsed; no event read


# --- the estimate itself --------------------------------------------------------------------------

SHARES = {"truce": 0.5, "talk": 0.4, "armi": 0.3}


@pytest.mark.parametrize(
    ("tsquery", "share"),
    [
        ("'truce'", 0.5),
        ("'zebra'", 0.0),  # not among the most common: rarer than any that is
        ("'truce' & 'talk'", 0.4),  # all of them: as many as the rarest at most
        ("'truce' & 'zebra'", 0.0),
        ("'truce' <-> 'talk'", 0.4),
        ("'truce' <2> 'talk'", 0.4),
        ("'talk' | 'armi'", 0.7),  # either: as many as both at most
        ("'truce' | 'zebra'", 0.5),
        ("'truce' | 'talk' | 'armi'", 1.0),
        ("!'armi'", 1.0),  # a NOT: anything
        ("'talk' & !'armi'", 0.4),
        ("( 'zebra' | 'armi' ) & 'talk'", 0.3),
        ("!( 'truce' & 'talk' )", 1.0),
        ("'it''s'", 0.0),  # a quote inside a lexeme
        ("'truce':* & 'talk':AB", 0.4),  # prefix and weight marks
        ("", 1.0),  # nothing read: no estimate that could skip a plan
    ],
)
def test_the_share_of_events_a_tsquery_can_match_is_bounded_by_the_statistics(tsquery, share):
    assert text_search.tsquery_share(tsquery, SHARES) == pytest.approx(share)

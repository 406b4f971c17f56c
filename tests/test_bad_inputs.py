"""The bad-input catalogue (issues 7 and 17): every way in — API query parameters, API bodies, the public
pages, admin change lists, forms and imports,
fixture files, article files and bulk-import files — answers a malformed, impossible or hostile input with a clear 4xx
or an error naming the field (or file and record), and writes nothing.

Each table row is one case; ``CASES_TRIED`` counts them (the report quotes it). "Nothing written"
is checked by comparing every row of every timeline table, history included, before and after.
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token

from timeline.ingest.article import read_article
from timeline.ingest.errors import IngestError
from timeline.ingest.fixtures import fixture_file_load

from .test_admin import event_form

ROOT = Path(__file__).resolve().parent.parent
SQL = "'; DROP TABLE timeline_event; --"
HTML = '<script>alert("x")</script>'


def user_and_token_count():
    return get_user_model().objects.count(), Token.objects.count()


@pytest.fixture
def unchanged(timeline_snapshot):
    """Asserts at teardown that no timeline row (history included) was added, changed or removed."""
    before = timeline_snapshot()
    yield
    assert timeline_snapshot() == before, "a refused input wrote to the database"


# --- API query parameters ------------------------------------------------------------------------
# (query string, the parameter the 400 must name)
QUERY_CASES = [
    ("start=Septembr 2022", "start"),
    ("start=2023-02-30", "start"),  # an impossible day
    ("start=2023-13", "start"),  # an impossible month
    ("end=2022-00-10", "end"),
    ("start=2023&end=2022-06", "end"),  # end before start
    ("start=" + "9" * 400, "start"),  # absurdly long
    ("start=" + SQL, "start"),
    ("start=" + HTML, "start"),
    ("start=next March", "start"),  # relative: no anchor for a query
    ("match=sideways", "match"),
    ("page_size=0", "page_size"),
    ("page_size=-5", "page_size"),
    ("page_size=1000000000", "page_size"),  # huge page sizes are refused, not served
    ("page_size=ten", "page_size"),
    ("cursor=not-a-cursor", "cursor"),
    ("cursor=" + SQL, "cursor"),
    ("precision=fortnight", "precision"),
    ("kind=" + HTML, "kind"),
    ("status=published", "status"),
    ("approximate=maybe", "approximate"),
    ("uncertain=2", "uncertain"),
    ("source=abc", "source"),
    ("source=" + SQL, "source"),
    ("role=emperor", "role"),
    ("party=atlantis", "party"),  # unknown slug
    ("party=" + SQL, "party"),
    ("place=" + HTML, "place"),
    ("updated_since=yesterday", "updated_since"),
    ("updated_since=2024-02-30T00:00:00Z", "updated_since"),
    ("id=1,two,3", "id"),
    ("ordering=" + SQL, "ordering"),
    ("party=russia\x00", "party"),  # NUL: PostgreSQL cannot even compare it (a 500 there before)
    ("kind=\x00", "kind"),
    ("source=" + "9" * 20, "source"),  # beyond any 64-bit id
    ("cursor=" + base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode(), "cursor"),  # RecursionError before
    ("cursor=" + base64.urlsafe_b64encode(b'["earliest,latest,id","n",[[["2022"]]],"2022",1]').decode(), "cursor"),
    ("cursor=" + "A" * 100_000, "cursor"),
]


@pytest.mark.parametrize(("query", "field"), QUERY_CASES, ids=[q[:40] for q, _ in QUERY_CASES])
def test_a_bad_query_parameter_is_a_400_naming_it(api_client, timeline, query, field):
    response = api_client.get("/api/events/", {k: v for k, _, v in [p.partition("=") for p in query.split("&")]})
    assert response.status_code == 400, (query, response.status_code, response.content[:300])
    body = response.json()
    assert field in body, body
    # The error text is data, not markup: nothing the client sent is echoed as live HTML.
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("fmt", ["csv", "ics", "timelinejs"])
def test_a_bad_query_on_an_export_is_a_json_400(api_client, timeline, fmt):
    response = api_client.get("/api/events/", {"format": fmt, "start": "2023-02-30"})
    assert response.status_code == 400
    assert "start" in response.json()


# --- API bodies ----------------------------------------------------------------------------------

VALID = {"title": "Truce overtures", "date": "September 2022", "kind": "proposal"}
QUOTE = "in September 2022, the U.S. officials received never-before-reported overtures from the Kremlin"


def body(**changes):
    data = dict(VALID)
    for name, value in changes.items():
        if value is ...:
            data.pop(name)
        else:
            data[name] = value
    return data


# (description, JSON body — or a callable given the article source to build one, expected status,
#  the field the error must name; "citations" errors are nested by index)
BODY_CASES = [
    ("missing title", body(title=...), 400, "title"),
    ("missing date", body(date=...), 400, "date"),
    ("empty date", body(date=""), 400, "date"),
    ("malformed date", body(date="Septembr 2022"), 400, "date"),
    ("impossible day", body(date="2023-02-30"), 400, "date"),
    ("impossible EDTF month", body(date="2023-13"), 400, "date"),
    ("year 0", body(date="0000-01-01"), 400, "date"),
    ("year beyond 9999", body(date="10000"), 400, "date"),
    ("end before start", body(date="2023", end="2022-06"), 400, "end"),
    ("unreadable end", body(end="soonish"), 400, "end"),
    ("relative date without anchor", body(date="next March"), 400, "date"),
    ("date too long", body(date="2022 " * 100), 400, "date"),
    ("title too long", body(title="x" * 301), 400, "title"),
    ("unknown kind", body(kind="invasion"), 400, "kind"),
    ("unknown status", body(status="published"), 400, "status"),
    ("bad key slug", body(key="not a slug!"), 400, "key"),
    ("title as a list", body(title=["a", "b"]), 400, "title"),
    ("date as an object", body(date={"year": 2022}), 400, "date"),
    ("unknown party slug", body(parties=[{"party": "atlantis"}]), 400, "parties"),
    ("SQL as party slug", body(parties=[{"party": SQL}]), 400, "parties"),
    ("unknown role", body(parties=[{"party": "russia", "role": "emperor"}]), 400, "parties"),
    ("unknown place slug", body(places=["atlantis"]), 400, "places"),
    ("anchor is no source", body(anchor_source=999999), 400, "anchor_source"),
    ("citation of no source", body(citations=[{"source": 999999, "quote": "x"}]), 400, "citations"),
    ("quote not in the source", lambda s: body(citations=[{"source": s, "quote": "Putin resigned"}]), 400, "citations"),
    (
        "quote with curly quotes the source lacks",
        lambda s: body(citations=[{"source": s, "quote": "\u201cin September 2022\u201d"}]),
        400,
        "citations",
    ),
    (
        "offsets that do not match the quote",
        lambda s: body(citations=[{"source": s, "quote": QUOTE, "char_start": 0, "char_end": len(QUOTE)}]),
        400,
        "citations",
    ),
    (
        "offsets beyond the text",
        lambda s: body(citations=[{"source": s, "quote": QUOTE, "char_start": 10**6, "char_end": 10**6 + 96}]),
        400,
        "citations",
    ),
    ("negative offset", lambda s: body(citations=[{"source": s, "quote": QUOTE, "char_start": -1}]), 400, "citations"),
    ("empty quote", lambda s: body(citations=[{"source": s, "quote": ""}]), 400, "citations"),
    ("HTML in the date", body(date=HTML), 400, "date"),
    ("SQL in the date", body(date=SQL), 400, "date"),
    ("the day reserved for an open end", body(date="9999-12-31"), 400, "date"),
    ("the day reserved for an open start", body(date="0001-01-01"), 400, "date"),
    ("an open start up to the reserved day", body(date="../9999-12-31"), 400, "date"),
    ("an end on the reserved day", body(date="2020", end="9999-12-31"), 400, "end"),
    ("NUL in the title", body(title="Truce\x00"), 400, "title"),
    ("NUL in a party slug", body(parties=[{"party": "russia\x00"}]), 400, "parties"),  # a 500 on PostgreSQL before
    ("NUL in a place slug", body(places=["\x00"]), 400, "places"),
    ("NUL in a field name", {**VALID, "ti\x00tle": "x"}, 400, "ti\x00tle"),
    ("a 20-digit anchor source", body(anchor_source=10**20), 400, "anchor_source"),
    ("a 20-digit cited source", body(citations=[{"source": 10**20, "quote": "x"}]), 400, "citations"),
]


@pytest.mark.parametrize(("name", "data", "status", "field"), BODY_CASES, ids=[c[0] for c in BODY_CASES])
def test_a_bad_event_body_is_refused_naming_the_field_and_writes_nothing(
    token_client, timeline, article_2023, unchanged, name, data, status, field
):
    if callable(data):
        data = data(article_2023.pk)
    response = token_client.post("/api/events/", data, format="json")
    assert response.status_code == status, (name, response.status_code, response.content[:300])
    assert field in response.json(), response.json()


# Raw bodies: (description, bytes, content type, expected status)
RAW_CASES = [
    ("truncated JSON", b'{"title": "Truce", "date": "September 20', "application/json", 400),
    ("JSON list instead of object", b"[1, 2, 3]", "application/json", 400),
    ("JSON null", b"null", "application/json", 400),
    ("not UTF-8", b'{"title": "\xff\xfe", "date": "2022"}', "application/json", 400),
    ("NaN is not JSON", b'{"title": "x", "date": "2022", "char_start": NaN}', "application/json", 400),
    ("XML body", b"<event><title>x</title></event>", "application/xml", 415),
    ("deeply nested JSON", b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
]


@pytest.mark.parametrize(("name", "raw", "content_type", "status"), RAW_CASES, ids=[c[0] for c in RAW_CASES])
def test_a_malformed_request_body_is_a_4xx_and_writes_nothing(token_client, timeline, unchanged, name, raw, content_type, status):
    response = token_client.generic("POST", "/api/events/", raw, content_type=content_type)
    assert response.status_code == status, (name, response.status_code, response.content[:300])
    error = response.json()
    assert error.get("detail") or error.get("non_field_errors"), error


def test_an_oversized_body_is_a_413_before_it_is_read(token_client, timeline, unchanged, settings):
    # Larger than DATA_UPLOAD_MAX_MEMORY_SIZE: refused from the Content-Length alone.
    huge = json.dumps(body(summary="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))).encode()
    response = token_client.generic("POST", "/api/events/", huge, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_body_just_under_the_limit_is_read(token_client, timeline, settings):
    # The limit is not so tight that a long article cannot be stored (a source's text is its body).
    text = "Word. " * ((settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 10_000) // 6)
    response = token_client.post("/api/sources/", {"title": "A long article", "text": text}, format="json")
    assert response.status_code == 201, response.content[:300]


SOURCE_CASES = [
    ("missing text", {"title": "x"}, "text"),
    ("publisher is not media", {"title": "x", "text": "t", "publisher": "russia"}, "publisher"),
    ("bad published date", {"title": "x", "text": "t", "published": "2023-02-30"}, "published"),
    ("published on a reserved day", {"title": "x", "text": "t", "published": "9999-12-31"}, "published"),
    ("javascript URL", {"title": "x", "text": "t", "article_url": "javascript:alert(1)"}, "article_url"),
    ("duplicate text", {"title": "again", "text": "SAME_AS_ARTICLE"}, "text"),
]


@pytest.mark.parametrize(("name", "data", "field"), SOURCE_CASES, ids=[c[0] for c in SOURCE_CASES])
def test_a_bad_source_body_is_a_400_naming_the_field(token_client, timeline, article_2023, unchanged, name, data, field):
    data = {k: (article_2023.text if v == "SAME_AS_ARTICLE" else v) for k, v in data.items()}
    response = token_client.post("/api/sources/", data, format="json")
    assert response.status_code == 400, (name, response.content[:300])
    assert field in json.dumps(response.json()), response.json()


PARTY_CASES = [
    ("duplicate slug", {"name": "Russia again", "slug": "russia", "kind": "state"}, "slug"),
    ("unknown kind", {"name": "Atlantis", "kind": "myth"}, "kind"),
    ("slug with HTML", {"name": "X", "slug": HTML, "kind": "state"}, "slug"),
]


@pytest.mark.parametrize(("name", "data", "field"), PARTY_CASES, ids=[c[0] for c in PARTY_CASES])
def test_a_bad_party_body_is_a_400_naming_the_field(token_client, timeline, unchanged, name, data, field):
    response = token_client.post("/api/parties/", data, format="json")
    assert response.status_code == 400, (name, response.content[:300])
    assert field in response.json(), response.json()


@pytest.mark.parametrize(
    "path",
    ["/api/events/999999/", "/api/events/abc/", "/api/parties/atlantis/", "/api/sources/999999/events/"],
)
def test_unknown_ids_and_slugs_are_json_404s(api_client, timeline, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"]


# --- admin forms ---------------------------------------------------------------------------------

ADMIN_CASES = [
    ("malformed date", {"date_text": "Septembr 2022"}, "date_text"),
    ("impossible date", {"date_text": "2023-02-30"}, "date_text"),
    ("end before start", {"date_text": "2023", "end_text": "2022-06"}, "end_text"),
    ("empty title", {"title": ""}, "title"),
    ("unknown kind", {"kind": "invasion"}, "kind"),
    ("SQL in the date", {"date_text": SQL}, "date_text"),
]


@pytest.mark.parametrize(("name", "changes", "field"), ADMIN_CASES, ids=[c[0] for c in ADMIN_CASES])
def test_a_bad_admin_event_form_is_a_form_error_and_writes_nothing(staff_client, timeline, unchanged, name, changes, field):
    response = staff_client.post(reverse("admin:timeline_event_add"), event_form(**changes))
    assert response.status_code == 200, name
    assert field in response.context["adminform"].form.errors


def test_an_admin_citation_quote_not_in_the_source_is_a_form_error(staff_client, timeline, article_2023, unchanged):
    response = staff_client.post(
        reverse("admin:timeline_event_add"),
        event_form(
            **{
                "citations-TOTAL_FORMS": "1",
                "citations-0-source": str(article_2023.pk),
                "citations-0-quote": "Putin resigned",
            }
        ),
    )
    assert response.status_code == 200
    assert any("quote" in errors for fs in response.context["inline_admin_formsets"] for errors in fs.formset.errors)


# --- fixture files -------------------------------------------------------------------------------


def _first_event_record() -> dict:
    records = json.loads((ROOT / "fixtures" / "04_events.json").read_text())
    return next(r for r in records if r["model"] == "timeline.event")


def _event_file(**fields) -> bytes:
    record = copy.deepcopy(_first_event_record())
    record["fields"]["key"] = "a-new-event"
    record["fields"].update(fields)
    return json.dumps([record]).encode()


# (description, file bytes, words the error must contain)
FIXTURE_CASES = [
    ("truncated JSON", b'[{"model": "timeline.party", "fields": {"name": "Ru', "not valid JSON"),
    ("not UTF-8", b'[{"model": "timeline.party", "fields": {"name": "\xff"}}]', "not UTF-8"),
    ("not a list", b'{"model": "timeline.party"}', "JSON list"),
    ("unknown model", b'[{"model": "auth.user", "fields": {}}]', "auth.user"),
    ("a pk", b'[{"model": "timeline.place", "pk": 1, "fields": {"name": "X", "slug": "x"}}]', "pk"),
    ("impossible date", _event_file(date_text="2023-02-30"), "date_text"),
    ("end before start", _event_file(date_text="2023", end_text="2022-06"), "end"),
    ("date columns disagree with the text", _event_file(earliest="2022-02-23"), "earliest"),
    ("unknown place slug", _event_file(places=[["atlantis"]]), "a-new-event"),
    ("unknown party kind", b'[{"model": "timeline.party", "fields": {"name": "X", "slug": "x", "kind": "myth"}}]', "kind"),
]


@pytest.mark.parametrize(("name", "data", "words"), FIXTURE_CASES, ids=[c[0] for c in FIXTURE_CASES])
def test_a_bad_fixture_file_is_refused_naming_the_file_and_writes_nothing(
    db, fixtures_dir, tmp_path, timeline_snapshot, name, data, words
):
    for base in ("01_places.json", "02_parties.json", "03_sources.json"):
        fixture_file_load(path=fixtures_dir / base)
    before = timeline_snapshot()
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    with pytest.raises(IngestError) as raised:
        fixture_file_load(path=path)
    assert str(path) in str(raised.value)
    assert words in str(raised.value), str(raised.value)
    assert timeline_snapshot() == before


# --- article files -------------------------------------------------------------------------------

ARTICLE_CASES = [
    ("latin-1 bytes", "Headline\n\nCaf\xe9 talks on 3 March 2022.\n".encode("latin-1"), "not UTF-8"),
    ("UTF-16", "Headline\n\nTalks on 3 March 2022.\n".encode("utf-16"), "not UTF-8"),
    ("empty file", b"", "empty"),
    ("only whitespace", b"  \n\n\t\n", "empty"),
    ("headline only", b"Just a headline\n", "no body"),
]


@pytest.mark.parametrize(("name", "data", "words"), ARTICLE_CASES, ids=[c[0] for c in ARTICLE_CASES])
def test_a_bad_article_file_is_an_error_naming_the_file(tmp_path, name, data, words):
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    with pytest.raises(IngestError) as raised:
        read_article(path)
    assert str(path) in str(raised.value) and words in str(raised.value), str(raised.value)


def test_extract_events_reports_an_undecodable_file_and_fails(db, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "bad.txt"
    path.write_bytes(b"Headline\n\n\xff\xfe broken\n")
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 1 file"):
        call_command("extract_events", str(path), "--format", "json", stdout=StringIO(), stderr=err)
    assert "not UTF-8" in err.getvalue() and str(path) in err.getvalue()


# --- bulk-import files (manage.py import_events) ----------------------------------------------------

IMPORT_TEXT = "In September 2022, the Kremlin made overtures."
IMPORT_HEAD = [  # lines 1-4: fine, and written by nothing when a later line is bad
    {"type": "party", "slug": "arden", "name": "Arden", "kind": "state", "wikidata_id": "Q42"},
    {"type": "party", "slug": "ledger", "name": "The Ledger", "kind": "media"},
    {"type": "source", "key": "a1", "title": "Overtures", "text": IMPORT_TEXT, "published": "2023-12-23",
     "publisher": "ledger"},
    {"type": "event", "key": "good", "title": "Truce overtures", "date": "September 2022", "kind": "proposal",
     "parties": [{"party": "arden", "role": "actor"}],
     "citations": [{"source": "a1", "quote": "the Kremlin made overtures", "char_start": 19, "char_end": 45}]},
]


def event_line(**changes) -> dict:
    record = {"type": "event", "title": "Overtures again", "date": "September 2022", "kind": "proposal"}
    record.update(changes)
    return {k: v for k, v in record.items() if v is not ...}


def _lines(records) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode()) + b"\n" for r in records)


def _utf16_file() -> bytes:
    return _lines(IMPORT_HEAD).decode().encode("utf-16")


# (description, the bad line — or the whole file —, the line and the field the error must name, words in it)
IMPORT_CASES = [
    ("truncated JSON line", b'{"type": "event", "title": "Truce", "date": "September 20', 5, "(record)", "not valid JSON"),
    ("a line that is not an object", b"[1, 2, 3]", 5, "(record)", "JSON object"),
    ("unknown record type", {"type": "place", "slug": "kyiv"}, 5, "type", "must be 'party', 'source' or 'event'"),
    ("record without a type", {"title": "x", "date": "2022"}, 5, "type", "not None"),
    ("unknown party slug", event_line(parties=[{"party": "atlantis"}]), 5, "parties[0].party", "no party 'atlantis'"),
    ("SQL as party slug", event_line(parties=[{"party": SQL}]), 5, "parties[0].party", "no party"),
    ("unknown role", event_line(parties=[{"party": "arden", "role": "emperor"}]), 5, "parties[0].role", "Unknown role"),
    ("a role that is not text", event_line(parties=[{"party": "arden", "role": ["actor"]}]), 5, "parties[0].role",
     "Unknown role ['actor']"),
    ("a Wikidata id another party has in the file",
     {"type": "party", "slug": "arden-again", "name": "Arden again", "kind": "state", "wikidata_id": "Q42"}, 5,
     "wikidata_id", "Q42 is already the Wikidata id of party 'arden'"),
    ("a quote not in its source", event_line(citations=[{"source": "a1", "quote": "Putin resigned"}]), 5,
     "citations[0].quote", "does not occur"),
    ("offsets that do not match the quote",
     event_line(citations=[{"source": "a1", "quote": "the Kremlin made overtures", "char_start": 0, "char_end": 26}]),
     5, "citations[0].quote", "does not match"),
    ("a negative offset", event_line(citations=[{"source": "a1", "quote": "the Kremlin", "char_start": -1}]), 5,
     "citations[0].char_start", "≥ 0"),
    ("citation of an unknown source", event_line(citations=[{"source": "zz", "quote": "x"}]), 5,
     "citations[0].source", "no source"),
    ("unknown anchor source", event_line(date="next March", anchor_source="zz"), 5, "anchor_source", "no source"),
    ("bad date", event_line(date="Septembr 2022"), 5, "date", "Septembr 2022"),
    ("impossible day", event_line(date="2023-02-30"), 5, "date", "2023-02-30"),
    ("missing date", event_line(date=...), 5, "date", "required"),
    ("end before start", event_line(date="2023", end="2022-06"), 5, "end", "before the start"),
    ("relative date without an anchor", event_line(date="next March"), 5, "date", "anchor"),
    ("the day reserved for an open end", event_line(date="9999-12-31"), 5, "date", "reserved for an open end"),
    ("HTML in the date", event_line(date=HTML), 5, "date", "could not"),
    ("unknown kind", event_line(kind="invasion"), 5, "kind", "not a valid choice"),
    ("bad key slug", event_line(key="not a slug!"), 5, "key", "slug"),
    ("an event key used twice", event_line(key="good"), 5, "key", "used twice"),
    ("title too long", event_line(title="x" * 301), 5, "title", "at most 300"),
    ("source without text", {"type": "source", "key": "b1", "title": "x"}, 5, "text", "full text"),
    ("source with a bad publication date", {"type": "source", "key": "b1", "title": "x", "text": "t",
                                            "published": "2023-13"}, 5, "published", "2023-13"),
    ("publisher that is not media", {"type": "source", "key": "b1", "title": "x", "text": "t", "publisher": "arden"},
     5, "publisher", "not a media party"),
    ("party of an unknown kind", {"type": "party", "slug": "x", "name": "X", "kind": "myth"}, 5, "kind",
     "not a valid choice"),
    ("a line that is not UTF-8", b'{"type": "event", "title": "Caf\xe9 talks", "date": "2022"}', 5, "(record)",
     "not UTF-8"),
    ("a file in UTF-16", _utf16_file(), 1, "(record)", "not UTF-8"),
    # NUL: stored by SQLite, a raw DataError traceback on PostgreSQL before.
    ("NUL in an event title", event_line(title="Truce\x00"), 5, "title", "NUL character"),
    ("NUL in a summary", event_line(summary="\x00"), 5, "summary", "NUL character"),
    ("NUL in a party name", {"type": "party", "slug": "x", "name": "X\x00", "kind": "state"}, 5, "name",
     "NUL character"),
    ("NUL in an alias", {"type": "party", "slug": "x", "name": "X", "kind": "state", "aliases": ["a", "b\x00"]}, 5,
     "aliases[1]", "NUL character"),
    ("NUL in a source's text", {"type": "source", "key": "b1", "title": "x", "text": "t\x00"}, 5, "text",
     "NUL character"),
    ("NUL in a quote", event_line(citations=[{"source": "a1", "quote": "the Kremlin\x00"}]), 5,
     "citations[0].quote", "NUL character"),
    ("NUL in a field name", {**event_line(), "n\x00te": "x"}, 5, "n\\0te", "NUL character"),
    # 900 deep parses (orjson stops at 1,024) but cannot be shown in a message: a RecursionError before.
    ("deeply nested value", b'{"type": "event", "title": "x", "date": "2022", "parties": [{"party": "arden", "role": '
     + b"[" * 900 + b"]" * 900 + b"}]}", 5, "(record)", "nested more than 32 levels deep"),
    ("nesting beyond the parser's limit", b'{"type": "event", "parties": ' + b"[" * 5000 + b"]" * 5000 + b"}", 5,
     "(record)", "not valid JSON"),
]


@pytest.mark.parametrize(("name", "bad", "line", "field", "words"), IMPORT_CASES, ids=[c[0] for c in IMPORT_CASES])
def test_a_bad_import_file_is_refused_naming_line_and_field_and_writes_nothing(
    timeline, tmp_path, unchanged, name, bad, line, field, words
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "events.jsonl"
    path.write_bytes(bad if line == 1 else _lines([*IMPORT_HEAD, bad]))
    with pytest.raises(CommandError) as raised:
        call_command("import_events", str(path), "--no-progress", stdout=StringIO())
    message = str(raised.value)
    assert message.startswith(f"{path}: line {line}: {field}: "), message
    assert words in message and message.endswith("nothing was imported"), message


# --- public pages (every query parameter, hostile values) ---------------------------------------------

BIG = "9" * 20
# (description, value): each is sent as every parameter of every public page.
HOSTILE_VALUES = [
    ("NUL", "\x00"),
    ("NUL after text", "russia\x00"),
    ("20-digit number", BIG),
    ("negative number", "-1"),
    ("10,000 characters", "x" * 10_000),
    ("SQL", SQL),
    ("HTML", HTML),
    ("lone surrogate escape", "\\ud800"),
]
PUBLIC_PAGES = [("/", ["start", "end", "party", "kind", "unknown"]), ("event", ["start", "unknown"])]


@pytest.mark.parametrize(("what", "value"), HOSTILE_VALUES, ids=[v[0] for v in HOSTILE_VALUES])
@pytest.mark.parametrize(("page", "params"), PUBLIC_PAGES, ids=[p[0] for p in PUBLIC_PAGES])
def test_a_hostile_query_parameter_on_a_public_page_is_a_4xx_or_ignored(client, timeline, page, params, what, value):
    url = f"/events/{timeline['invasion'].pk}/" if page == "event" else page
    for param in params:
        response = client.get(url, {param: value})
        assert response.status_code in (200, 400), (url, param, what, response.status_code)
        if "\x00" in value:  # refused, naming the parameter (a 500 on PostgreSQL before)
            assert response.status_code == 400 and param in response.content.decode(), (param, response.content[:300])


@pytest.mark.parametrize("raw", ["party=%ff%fe", "start=%ED%A0%80", "kind=%00", "%00=1", "party=a%00b&kind=x"])
def test_a_raw_query_string_on_the_timeline_page_is_a_4xx_or_ignored(client, timeline, raw):
    response = client.get(f"/?{raw}")
    assert response.status_code in (200, 400), (raw, response.status_code)
    assert response.status_code == 400 or "%00" not in raw


def test_a_nul_in_a_path_or_a_form_field_is_a_400_naming_it(client, staff_client, timeline):
    assert client.get("/events/%00/").status_code in (400, 404)
    response = client.post(reverse("admin:login"), {"username": "editor\x00", "password": "x"})
    assert response.status_code == 400 and "username" in response.content.decode()
    response = staff_client.get(reverse("admin:timeline_event_change", args=["1\x00"]))
    assert response.status_code == 400 and "path" in response.content.decode()


# --- admin change lists of every registered model (filters, search, ordering, pages) ------------------

ADMIN_LIST_VALUES = ["\x00", "abc", BIG, "-1", "0", "x" * 5_000]


def _registered_models():
    from django.contrib import admin

    return sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", _registered_models(), ids=lambda m: m._meta.label)
def test_every_admin_change_list_answers_bad_filters_with_a_4xx_or_ignores_them(staff_client, timeline, model):
    from django.contrib import admin

    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = staff_client.get(url)
    assert response.status_code == 200
    changelist = response.context["cl"]
    params = {"q", "o", "p", "all", "_to_field", "unknown"}
    for spec in changelist.filter_specs:
        params.update(spec.expected_parameters())
    date_field = admin.site._registry[model].date_hierarchy
    if date_field:
        params.update(f"{date_field}__{part}" for part in ("year", "month", "day"))
    failures = []
    for param in sorted(params):
        for value in ADMIN_LIST_VALUES:
            status = staff_client.get(url, {param: value}).status_code
            # 400: refused naming it; 200: ignored or searched; 302: Django's own redirect of an unknown lookup.
            if status >= 500 or ("\x00" in value and status != 400):
                failures.append((param, value[:20], status))
    assert not failures, failures


DATE_HIERARCHY_CASES = [
    ({"earliest__year": BIG}, "earliest__year"),  # OverflowError in Django's date hierarchy: a 500 before
    ({"earliest__year": "2022", "earliest__month": BIG}, "earliest__month"),
    ({"earliest__year": "0"}, "earliest__year"),
    ({"earliest__year": "2022", "earliest__month": "13"}, "earliest__month"),
    ({"earliest__year": "2022", "earliest__month": "2", "earliest__day": "30"}, "day is out of range"),
    ({"earliest__year": "9999", "earliest__month": "12", "earliest__day": "31"}, "out of range"),  # the next day
    ({"parties__id__exact": "abc"}, "expected a number"),  # Django redirected to ?e=1 and said nothing
]


@pytest.mark.parametrize(("query", "words"), DATE_HIERARCHY_CASES, ids=[w for _, w in DATE_HIERARCHY_CASES])
def test_a_bad_change_list_filter_is_a_400_page_naming_it(staff_client, timeline, query, words):
    response = staff_client.get(reverse("admin:timeline_event_changelist"), query)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert reverse("admin:timeline_event_changelist") in response.content.decode()  # a way back


# --- admin add and change forms: ids that are not ids -------------------------------------------------

BAD_IDS = ["abc", BIG, "-1", "1.5"]


def _choice_fields(response):
    """(posted name, field name, formset or None) of every model-choice field on an admin form page."""
    from django.forms import ModelChoiceField

    form = response.context["adminform"].form
    found = [(name, name, None) for name, f in form.fields.items() if isinstance(f, ModelChoiceField)]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        found += [
            (f"{formset.prefix}-0-{name}", name, formset)
            for name, f in formset.empty_form.fields.items()
            if isinstance(f, ModelChoiceField) and name != formset.fk.name
        ]
    return found


def _management(response):
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
                     f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data


@pytest.mark.parametrize("model", _registered_models(), ids=lambda m: m._meta.label)
def test_every_admin_form_answers_an_id_that_is_not_one_with_a_form_error(staff_client, timeline, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    page = staff_client.get(url)
    if page.status_code == 403:  # no one adds these (django-axes' logs)
        return
    assert page.status_code == 200
    failures = []
    for posted, name, formset in _choice_fields(page):
        for bad in BAD_IDS:
            # As the initial value from the address bar (?date_anchor=abc): the form is drawn with it.
            shown = staff_client.get(url, {posted: bad})
            if shown.status_code != 200:
                failures.append(("GET", posted, bad, shown.status_code))
            response = staff_client.post(url, {**_management(page), posted: bad})
            if response.status_code != 200:
                failures.append(("POST", posted, bad, response.status_code))
                continue
            if formset is None:
                errors = response.context["adminform"].form.errors.get(name)
            else:
                inline = next(i for i in response.context["inline_admin_formsets"] if i.formset.prefix == formset.prefix)
                errors = inline.formset.errors[0].get(name)
            if not errors:
                failures.append(("POST", posted, bad, "no error on the field"))
    assert not failures, failures


def test_a_bad_id_posted_to_an_event_form_writes_nothing(staff_client, timeline, unchanged):
    for field in ("date_anchor", "places"):
        response = staff_client.post(reverse("admin:timeline_event_add"), event_form(**{field: BIG}))
        assert response.status_code == 200 and field in response.context["adminform"].form.errors


# --- admin import (upload) ----------------------------------------------------------------------------


def _json(records) -> bytes:
    return json.dumps(records).encode()


# (description, file name, content, words the error must contain)
ADMIN_IMPORT_CASES = [
    ("deeply nested JSON", "events.json", b"[" * 100_000 + b"]" * 100_000, "nested more than"),  # RecursionError
    ("nested 40 deep", "events.json", b"[" * 40 + b"]" * 40, "nested more than 32"),
    ("NUL in a title", "events.json", _json([{"title": "Truce\x00", "date": "2022"}]), "record 1: title"),
    ("NUL in a party slug", "events.json", _json([{"title": "x", "date": "2022", "parties": [{"party": "\x00"}]}]),
     "record 1: parties[0].party"),
    ("NUL in the second record", "events.json", _json([{"title": "x", "date": "2022"}, {"title": "y", "date": "\x00"}]),
     "record 2: date"),
    ("NUL in a CSV cell", "events.csv", b"title,date\nTruce\x00,2022\n", "record 1: title"),
    ("deep citations in a CSV cell", "events.csv",
     b'title,date,citations\nTruce,2022,"' + b"[" * 5_000 + b"]" * 5_000 + b'"\n', "record 1: citations"),
    ("a 20-digit anchor source", "events.json", _json([{"title": "x", "date": "2022", "anchor_source": 10**20}]),
     "anchor_source"),
    ("NaN", "events.json", b'[{"title": NaN, "date": "2022"}]', "title"),
    ("not UTF-8", "events.json", b'[{"title": "\xff"}]', "not UTF-8"),
    ("wrong extension", "events.xml", b"<events/>", "expected a .json or .csv file"),
]


@pytest.mark.parametrize(("name", "filename", "content", "words"), ADMIN_IMPORT_CASES, ids=[c[0] for c in ADMIN_IMPORT_CASES])
def test_a_bad_admin_import_file_is_a_400_naming_the_record_and_field_and_writes_nothing(
    staff_client, timeline, unchanged, name, filename, content, words
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff_client.post(
        reverse("admin:timeline_event_import"), {"file": SimpleUploadedFile(filename, content)}
    )
    assert response.status_code == 400, (name, response.status_code)
    assert words in " ".join(response.context["errors"]), response.context["errors"]


CASES_TRIED = (
    len(QUERY_CASES) + 3 + len(BODY_CASES) + len(RAW_CASES) + 2 + len(SOURCE_CASES) + len(PARTY_CASES) + 4
    + len(ADMIN_CASES) + 1 + len(FIXTURE_CASES) + len(ARTICLE_CASES) + 1 + len(IMPORT_CASES)
    + len(HOSTILE_VALUES) * sum(len(params) for _, params in PUBLIC_PAGES) + 5 + 3
    + len(_registered_models()) * (1 + len(ADMIN_LIST_VALUES)) + len(DATE_HIERARCHY_CASES)
    + len(_registered_models()) * len(BAD_IDS) + 1 + len(ADMIN_IMPORT_CASES)
)


def test_the_catalogue_has_at_least_fifty_cases():
    assert CASES_TRIED >= 50


# These tests read the events their fixtures create (drafts) as an anonymous client: drafts shown.
_marks = globals().get("pytestmark", [])
pytestmark = [*(_marks if isinstance(_marks, list) else [_marks]), pytest.mark.usefixtures("drafts_public")]

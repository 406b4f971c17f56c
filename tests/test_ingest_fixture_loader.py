"""Loading fixture files: natural keys, idempotence, and refusing inconsistent records."""

import json

import pytest

from timeline.ingest.errors import IngestError
from timeline.ingest.fixtures import fixture_file_load
from timeline.models import Citation, Event, Party, content_hash

T = "2024-06-15T00:00:00Z"
TEXT = "On 7 March 2022, Arden and Belmore met. They agreed nothing."


def write(tmp_path, records, name="fixture.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def party(slug, kind="state", affiliation=None, **extra):
    fields = {"name": slug.title(), "slug": slug, "kind": kind, "aliases": [], "created": T, "updated": T}
    fields["affiliation"] = [affiliation] if affiliation else None
    return {"model": "timeline.party", "fields": {**fields, **extra}}


def source(text=TEXT, **extra):
    fields = {"title": "Talks", "text": text, "content_hash": content_hash(text), "created": T, "updated": T}
    return {"model": "timeline.source", "fields": {**fields, **extra}}


def event(key="arden-belmore-meet", date_text="7 March 2022", end_text="", **extra):
    fields = {
        "key": key,
        "title": "Arden and Belmore meet",
        "kind": "meeting",
        "status": "reviewed",
        "date_text": date_text,
        "end_text": end_text,
        "date_anchor": None,
        "earliest": "2022-03-07",
        "latest": "2022-03-07",
        "precision": "day",
        "approximate": False,
        "uncertain": False,
        "edtf": "2022-03-07",
        "date_label": "7 March 2022",
        "created": T,
        "updated": T,
    }
    return {"model": "timeline.event", "fields": {**fields, **extra}}


def participation(party_slug="arden", role="actor", key="arden-belmore-meet"):
    return {
        "model": "timeline.participation",
        "fields": {"event": [key], "party": [party_slug], "role": role},
    }


def citation(quote="Arden and Belmore met", start=17, end=38, key="arden-belmore-meet"):
    return {
        "model": "timeline.citation",
        "fields": {
            "event": [key],
            "source": [content_hash(TEXT)],
            "quote": quote,
            "char_start": start,
            "char_end": end,
        },
    }


def valid_records():
    return [party("arden"), party("belmore"), source(), event(), participation(), citation()]


def test_a_consistent_file_loads_with_natural_keys(tmp_path, db):
    report = fixture_file_load(path=write(tmp_path, valid_records()))
    assert (report.created, report.updated, report.unchanged) == (6, 0, 0)
    loaded = Event.objects.get(key="arden-belmore-meet")
    assert loaded.citations.get().quote == "Arden and Belmore met"
    assert "Arden and Belmore met" in loaded.search_text  # kept by the services, not by the fixture


def test_loading_twice_changes_nothing(tmp_path, timeline_snapshot):
    path = write(tmp_path, valid_records())
    fixture_file_load(path=path)
    before = timeline_snapshot()
    report = fixture_file_load(path=path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)
    assert timeline_snapshot() == before


def test_a_changed_record_updates_its_row_in_place(tmp_path, db):
    fixture_file_load(path=write(tmp_path, [party("arden")]))
    report = fixture_file_load(path=write(tmp_path, [party("arden", description="A state.")]))
    assert (report.created, report.updated) == (0, 1)
    assert Party.objects.get(slug="arden").description == "A state."


def broken(tmp_path, index, record):
    records = valid_records()
    records[index] = record
    return write(tmp_path, records, "broken.json")


@pytest.mark.parametrize(
    "index, record, message",
    [
        (
            3,
            event(date_text="16 June 2024", end_text="15 June 2024"),
            r"record 4 \(timeline.event 'arden-belmore-meet'\): end: the end .* is before the start",
        ),
        (
            3,
            event(earliest="2022-03-01"),
            r"record 4 .*earliest: stored .*2022, 3, 1.* reads as .*2022, 3, 7",
        ),
        (3, event(date_text="when pigs fly"), r"record 4 .*date_text: could not understand"),
        (3, event(key=None), r"record 4 .*key: A curated event needs a key"),
        (
            4,
            participation(party_slug="atlantis"),
            r"record 5 \(timeline.participation 'arden-belmore-meet / atlantis / actor'\): cannot read the record: Party matching query does not exist",
        ),
        (4, participation(role="villain"), r"record 5 .*role: Value 'villain' is not a valid choice"),
        (
            5,
            citation(quote="Arden and Belmore fought"),
            r"record 6 .*quote: The quote does not match the source text at 17..38",
        ),
        (
            5,
            citation(start=50, end=90),
            r"record 6 .*char_start: Offsets 50..90 fall outside the source text",
        ),
        (2, source(content_hash="0" * 64), r"record 3 .*content_hash: does not match the text"),
        (2, source(published_text="someday"), r"record 3 .*published_text: could not understand"),
        (
            0,
            party("arden", affiliation="atlantis"),
            r"record 1 \(timeline.party 'arden'\): cannot read the record",
        ),
        (
            0,
            {"model": "timeline.party", "pk": 1, "fields": party("arden")["fields"]},
            r'record 1 .*remove "pk"',
        ),
        (0, {"model": "auth.user", "fields": {}}, r"record 1: model 'auth.user' is not one of"),
    ],
)
def test_an_inconsistent_record_is_refused_naming_file_and_record_and_nothing_is_kept(
    tmp_path, timeline_snapshot, index, record, message
):
    before = timeline_snapshot()
    path = broken(tmp_path, index, record)
    with pytest.raises(IngestError, match=rf"broken.json: {message}"):
        fixture_file_load(path=path)
    assert timeline_snapshot() == before
    assert not Citation.objects.exists()


def test_invalid_json_is_refused_with_its_line(tmp_path, db):
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"model": "timeline.party",\n  }\n]', encoding="utf-8")
    with pytest.raises(IngestError, match="bad.json: not valid JSON: .* line 3"):
        fixture_file_load(path=path)


def test_an_undecodable_fixture_is_refused(tmp_path, db):
    path = tmp_path / "latin.json"
    path.write_bytes('[{"model": "timeline.party", "fields": {"name": "Zürich"}}]'.encode("latin-1"))
    with pytest.raises(IngestError, match="latin.json: not UTF-8 text"):
        fixture_file_load(path=path)


def test_the_curated_parties_load_with_affiliations_and_aliases(seed_parties):
    from timeline.selectors import party_for_name

    assert party_for_name("Kremlin").slug == party_for_name("Moscow").slug == "russia"
    assert {party_for_name(n).slug for n in ("Zelensky", "Zelenskyy", "Volodymyr Zelensky")} == {
        "volodymyr-zelensky"
    }
    assert seed_parties["vladimir-putin"].affiliation == seed_parties["russia"]
    assert seed_parties["volodymyr-zelensky"].wikidata_id == "Q3881"

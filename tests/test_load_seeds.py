"""``manage.py load_seeds``: one idempotent loader; a broken input changes nothing."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from timeline.ingest.seeds import seeds_load
from timeline.models import Citation, Event, Participation, Party, Place, Source


def counts():
    return {m.__name__: m.objects.count() for m in (Party, Place, Source, Event, Participation, Citation)}


def load(*args) -> str:
    out = StringIO()
    call_command("load_seeds", "--no-progress", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_first_run_shows_the_seed_timeline(db):
    output = load()
    assert counts()["Event"] == 19
    assert not Event.objects.filter(status="draft").exists()  # every extracted candidate is curated
    assert counts()["Source"] == 2
    assert "the timeline holds 19 event(s) (19 reviewed, 0 draft), 2 source(s), 16 parties" in output


def test_running_twice_creates_nothing(db, timeline_snapshot):
    load()
    first, rows = counts(), timeline_snapshot()
    output = load()
    assert counts() == first
    assert timeline_snapshot() == rows
    assert output.startswith("Nothing new")


def test_the_seed_articles_are_ingested_against_the_curated_events(db, fixtures_dir, seeds_dir):
    report = seeds_load(fixtures_dir=fixtures_dir, seeds_dir=seeds_dir, progress=False)
    # One candidate per act, as the curated events have it: Putin's visit and the remark told in three
    # sentences (000), the Kremlin's overtures and Putin's satisfaction "at that time" (002).
    assert [(r.known, len(r.created), len(r.cited)) for r in report.articles] == [(10, 0, 0), (7, 0, 0)]


def test_without_curated_events_the_seeds_become_drafts_with_one_invasion(
    db, fixtures_dir, seeds_dir, tmp_path
):
    parties_only = tmp_path / "fixtures"
    parties_only.mkdir()
    for name in ("01_places.json", "02_parties.json"):
        shutil.copy(fixtures_dir / name, parties_only / name)
    load("--fixtures", parties_only, "--seeds", seeds_dir)
    assert Event.objects.filter(status="draft").count() == 16  # 10 + 7 candidates, the invasion merged
    invasion = Event.objects.get(kind="military_action", precision="day")
    assert invasion.citations.values("source").distinct().count() == 2


def test_progress_is_shown_when_asked(db, fixtures_dir, seeds_dir, capsys):
    seeds_load(fixtures_dir=fixtures_dir, seeds_dir=seeds_dir, progress=True)
    err = capsys.readouterr().err
    assert "checking" in err and "loading" in err


def test_every_seed_event_party_and_source_starts_with_a_history_record(db):
    load()
    for model in (Event, Party, Source):
        for row in model.objects.all():
            first = row.history.earliest()
            assert first.history_type == "+", row
            assert first.history_user is None
    fixture_event = Event.objects.get(key="russia-launches-military-operation-in-ukraine")
    assert fixture_event.history.get().history_change_reason == "loaded from fixtures"
    assert Party.objects.get(slug="russia").history.get().history_change_reason == "loaded from fixtures"


def test_a_seed_event_edited_by_an_editor_can_be_reverted_to_what_was_loaded(db, staff_client):
    from django.urls import reverse

    from timeline import services

    load()
    event = Event.objects.get(key="russia-launches-military-operation-in-ukraine")
    loaded = (event.title, event.date_text, event.edtf)
    services.event_update(event=event, title="A wrong title", date="2022")
    original = event.history.earliest()
    assert event.history.count() == 2 and original.history_type == "+"
    page = staff_client.get(
        reverse("admin:timeline_event_simple_history", args=[event.pk, original.history_id])
    )
    assert page.status_code == 200 and loaded[0] in page.content.decode()
    original.instance.save()  # what the admin's Revert does
    event.refresh_from_db()
    assert (event.title, event.date_text, event.edtf) == loaded


def test_a_changed_fixture_record_is_a_change_in_the_history(db, inputs):
    load("--fixtures", inputs / "fixtures", "--seeds", inputs / "seeds")
    path = inputs / "fixtures" / "02_parties.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    records[0]["fields"]["description"] = "Edited in the fixture."
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    load("--fixtures", inputs / "fixtures", "--seeds", inputs / "seeds")
    party = Party.objects.get(slug=records[0]["fields"]["slug"])
    latest = party.history.latest()
    assert (latest.history_type, latest.description) == ("~", "Edited in the fixture.")
    assert latest.history_change_reason == "updated from fixtures"
    assert party.history.count() == 2


def test_the_places_of_the_issue_are_curated_inside_their_countries(db):
    load()
    places = {p.slug: (p.name, p.kind, p.parent.slug if p.parent else None) for p in Place.objects.all()}
    assert places["kyiv"] == ("Kyiv", "city", "ukraine")
    assert places["minsk"] == ("Minsk", "city", "belarus")
    assert places["burgenstock"] == ("Bürgenstock", "site", "switzerland")
    for slug in ("crimea", "kherson-oblast", "donetsk-oblast", "luhansk-oblast", "zaporizhzhia-oblast"):
        assert places[slug][1:] == ("region", "ukraine")
    first = counts()
    load()
    assert counts() == first and first["Place"] == 11


# --- broken inputs ---------------------------------------------------------------------------------


@pytest.fixture
def inputs(tmp_path, fixtures_dir, seeds_dir):
    """Copies of fixtures/ and seeds/ to break."""
    shutil.copytree(fixtures_dir, tmp_path / "fixtures")
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    return tmp_path


def edit_events(inputs, change):
    path = inputs / "fixtures" / "04_events.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def the_event(records, key):
    return next(r for r in records if r["model"] == "timeline.event" and r["fields"]["key"] == key)


def end_before_start(records):
    the_event(records, "russian-presidential-election-march-2024")["fields"]["end_text"] = "February 2024"


def unknown_party(records):
    records.append(
        {
            "model": "timeline.participation",
            "fields": {
                "event": ["russian-presidential-election-march-2024"],
                "party": ["atlantis"],
                "role": "actor",
            },
        }
    )


def quote_not_matching(records):
    citation = next(r for r in records if r["model"] == "timeline.citation")
    citation["fields"]["quote"] = citation["fields"]["quote"].replace("Russia", "Russland", 1)


def undecodable_seed(inputs):
    (inputs / "seeds" / "002_5bcc111514ab2c29.txt").write_bytes(b"Headline\n\xe9t\xe9 2023 \xff\n")


def manifest_naming_a_missing_file(inputs):
    path = inputs / "seeds" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["003_missing.txt"] = {"published": "2024"}
    path.write_text(json.dumps(manifest), encoding="utf-8")


def manifest_unknown_publisher(inputs):
    path = inputs / "seeds" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["002_5bcc111514ab2c29.txt"]["publisher"] = "The Daily Nowhere"
    path.write_text(json.dumps(manifest), encoding="utf-8")


BROKEN = [
    (
        lambda inputs: edit_events(inputs, end_before_start),
        r"04_events.json: record \d+ \(timeline.event 'russian-presidential-election-march-2024'\): end: the end",
    ),
    (
        lambda inputs: edit_events(inputs, unknown_party),
        r"04_events.json: record \d+ \(timeline.participation 'russian-presidential-election-march-2024 / atlantis / actor'\)",
    ),
    (
        lambda inputs: edit_events(inputs, quote_not_matching),
        r"04_events.json: record \d+ \(timeline.citation 'russia-launches-military-operation-in-ukraine @ 0..69'\): quote: The quote does not match",
    ),
    (undecodable_seed, r"002_5bcc111514ab2c29.txt: not UTF-8 text: byte 9"),
    (manifest_naming_a_missing_file, r"manifest.json: 003_missing.txt: names no article file"),
    (
        manifest_unknown_publisher,
        r"002_5bcc111514ab2c29.txt: manifest entry for .*: publisher: 'The Daily Nowhere'",
    ),
]


@pytest.mark.parametrize(
    "break_it, message",
    BROKEN,
    ids=[
        "end-before-start",
        "unknown-party",
        "quote-not-matching",
        "undecodable",
        "missing-file",
        "unknown-publisher",
    ],
)
def test_a_broken_input_stops_with_its_file_and_record_and_changes_nothing(
    inputs, timeline_snapshot, break_it, message
):
    break_it(inputs)
    before = timeline_snapshot()
    with pytest.raises(CommandError, match=message):
        load("--fixtures", inputs / "fixtures", "--seeds", inputs / "seeds")
    assert timeline_snapshot() == before  # not even the valid files before the broken one


def test_a_broken_input_leaves_a_loaded_timeline_as_it_was(inputs, timeline_snapshot):
    load("--fixtures", inputs / "fixtures", "--seeds", inputs / "seeds")
    edit_events(inputs, end_before_start)
    before = timeline_snapshot()
    with pytest.raises(CommandError, match="nothing was loaded"):
        load("--fixtures", inputs / "fixtures", "--seeds", inputs / "seeds")
    assert timeline_snapshot() == before


# --- editors' work survives a restart (issue 17) ---------------------------------------------------

INVASION = "russia-launches-military-operation-in-ukraine"


def test_an_editors_patch_survives_the_next_load_and_is_named(db, token_client):
    from django.utils import timezone

    load()
    event = Event.objects.get(key=INVASION)
    before_patch = timezone.now()
    response = token_client.patch(
        f"/api/events/{event.pk}/",
        {"summary": "Corrected by an editor.", "parties": [{"party": "russia", "role": "actor"}]},
        format="json",
    )
    assert response.status_code == 200
    event.refresh_from_db()
    edited = (event.summary, sorted(event.participations.values_list("party__slug", "role")), event.updated)
    output = load()
    event.refresh_from_db()
    assert (event.summary, sorted(event.participations.values_list("party__slug", "role")), event.updated) == edited
    assert event.updated >= before_patch
    assert Event.objects.filter(updated__gte=before_patch).filter(pk=event.pk).exists()  # sync clients see it
    assert f"04_events.json: record 1 (timeline.event '{INVASION}'): changed since it was loaded" in output
    assert "deleted since it was loaded" in output  # the participation the PATCH removed


def test_a_first_load_dates_its_rows_now_not_as_the_fixture_file_does(db):
    from django.utils import timezone

    started = timezone.now()
    load()
    for model in (Place, Party, Source, Event, Participation, Citation):
        assert not model.objects.filter(updated__lt=started).exists(), model


def _change_place():
    Place.objects.filter(slug="kyiv").update(name="Kiev (edited)")
    return lambda: Place.objects.get(slug="kyiv").name == "Kiev (edited)"


def _delete_place():
    Place.objects.filter(slug="minsk").delete()
    return lambda: not Place.objects.filter(slug="minsk").exists()


def _change_party():
    from timeline import services  # noqa: F401

    party = Party.objects.get(slug="russia")
    party.description = "Edited."
    party.save()
    return lambda: Party.objects.get(slug="russia").description == "Edited."


def _change_source():
    source = Source.objects.order_by("pk").first()
    source.title = "Edited title"
    source.save()
    return lambda: Source.objects.filter(title="Edited title").exists()


def _change_event():
    event = Event.objects.get(key=INVASION)
    event.summary, event.status = "Edited summary.", "draft"
    event.save()
    return lambda: Event.objects.filter(key=INVASION, summary="Edited summary.", status="draft").exists()


def _delete_event():
    Event.objects.filter(key=INVASION).delete()
    return lambda: not Event.objects.filter(key=INVASION).exists() and not Event.objects.filter(
        earliest="2022-02-24", kind="military_action"
    ).exists()  # not back as a draft from the seed article either


def _delete_participation():
    Participation.objects.filter(event__key=INVASION, party__slug="ukraine").delete()
    return lambda: not Participation.objects.filter(event__key=INVASION, party__slug="ukraine").exists()


def _change_citation():
    citation = Citation.objects.filter(event__key=INVASION).order_by("pk").first()
    citation.attributed_to = Party.objects.get(slug="ukraine")
    citation.save()
    pk = citation.pk
    return lambda: Citation.objects.get(pk=pk).attributed_to_id == Party.objects.get(slug="ukraine").pk


def _delete_citation():
    citations = Citation.objects.filter(event__key=INVASION)
    n = citations.count()
    citations.order_by("pk").first().delete()
    return lambda: Citation.objects.filter(event__key=INVASION).count() == n - 1


EDITS = [
    _change_place,
    _delete_place,
    _change_party,
    _change_source,
    _change_event,
    _delete_event,
    _delete_participation,
    _change_citation,
    _delete_citation,
]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__.lstrip("_") for e in EDITS])
def test_a_row_changed_or_deleted_since_it_was_loaded_is_left_alone(db, edit):
    load()
    still_edited = edit()
    output = load()
    assert still_edited()
    assert "Left alone, changed or deleted since they were loaded (" in output


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__.lstrip("_") for e in EDITS])
def test_reset_writes_the_fixtures_back(db, edit, timeline_snapshot):
    load()
    pristine = counts()
    still_edited = edit()
    load("--reset")
    assert not still_edited()
    assert counts() == pristine


def test_reset_is_dated_now_and_recorded_in_the_history(db):
    from django.utils import timezone

    load()
    _change_event()
    _change_party()
    started = timezone.now()
    load("--reset")
    event, party = Event.objects.get(key=INVASION), Party.objects.get(slug="russia")
    assert event.summary != "Edited summary." and event.status == "reviewed"
    for row in (event, party):
        assert row.updated >= started
        latest = row.history.latest()
        assert (latest.history_type, latest.history_change_reason) == ("~", "reset to the fixtures")
    assert load().startswith("Nothing new")  # and what reset wrote is the loader's again


def test_a_fixture_change_still_updates_a_row_nobody_edited_dated_now(db, inputs):
    from django.utils import timezone

    load("--fixtures", inputs / "fixtures", "--seeds", inputs / "seeds")
    edit_events(inputs, lambda records: the_event(records, INVASION)["fields"].update(summary="New fixture text."))
    started = timezone.now()
    load("--fixtures", inputs / "fixtures", "--seeds", inputs / "seeds")
    event = Event.objects.get(key=INVASION)
    assert event.summary == "New fixture text." and event.updated >= started


def test_a_fixture_change_does_not_overwrite_an_editors_change(db, inputs):
    load("--fixtures", inputs / "fixtures", "--seeds", inputs / "seeds")
    _change_event()
    edit_events(inputs, lambda records: the_event(records, INVASION)["fields"].update(summary="New fixture text."))
    output = load("--fixtures", inputs / "fixtures", "--seeds", inputs / "seeds")
    assert Event.objects.get(key=INVASION).summary == "Edited summary."
    assert "changed since it was loaded" in output


def test_a_database_seeded_before_the_ledger_keeps_its_editors_changes(db, token_client):
    """Rows loaded by the loader before it kept ``SeedRecord``s: the history says who wrote last."""
    from timeline.models import SeedRecord

    load()
    SeedRecord.objects.all().delete()
    event = Event.objects.get(key=INVASION)
    token_client.patch(
        f"/api/events/{event.pk}/", {"parties": [{"party": "russia", "role": "actor"}]}, format="json"
    )
    load()
    assert list(event.participations.values_list("party__slug", flat=True)) == ["russia"]
    _change_party()
    load()
    assert Party.objects.get(slug="russia").description == "Edited."

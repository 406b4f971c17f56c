"""``manage.py extract_events``: one JSON line per file, nothing written."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> list[dict]:
    out = StringIO()
    call_command("extract_events", *map(str, args), "--format", "json", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_json_line_per_file_with_source_and_events(seeds_dir, seed_parties):
    lines = run(seeds_dir / "000_899649ddc2179241.txt", seeds_dir / "002_5bcc111514ab2c29.txt")
    assert [line["file"].rsplit("/", 1)[1] for line in lines] == [
        "000_899649ddc2179241.txt",
        "002_5bcc111514ab2c29.txt",
    ]
    undated, relayed = lines
    assert undated["source"]["publisher"] is None
    assert undated["source"]["published"]["earliest"] == "2024-05-21"
    assert undated["source"]["published"]["uncertain"] is True
    assert relayed["source"]["publisher"] == "ICARO Media Group"
    assert relayed["source"]["published"]["edtf"] == "2023-12-23"
    invasion = undated["events"][0]
    assert {
        k: invasion[k] for k in ("date_text", "earliest", "latest", "precision", "edtf", "label", "kind")
    } == {
        "date_text": "On February 24, 2022",
        "earliest": "2022-02-24",
        "latest": "2022-02-24",
        "precision": "day",
        "edtf": "2022-02-24",
        "label": "24 February 2022",
        "kind": "military_action",
    }
    assert invasion["parties"] == ["russia", "ukraine"]
    assert invasion["quote"].startswith("On February 24, 2022, Russia launched")


def test_offsets_index_the_text_a_source_stores(seeds_dir, seed_articles, seed_parties):
    (line,) = run(seeds_dir / "002_5bcc111514ab2c29.txt")
    body = seed_articles["002"].body
    assert line["source"]["length"] == len(body)
    for event in line["events"]:
        assert body[event["char_start"] : event["char_end"]] == event["quote"]


def test_latest_is_inclusive_and_a_range_is_one_event(tmp_path, db):
    path = tmp_path / "summit.txt"
    path.write_text(
        "Summit\nJune 1, 2024\n\nLeaders will meet on 15–16 June 2024 in Lucerne.\n", encoding="utf-8"
    )
    (line,) = run(path)
    (event,) = line["events"]
    assert (event["earliest"], event["latest"], event["edtf"]) == (
        "2024-06-15",
        "2024-06-16",
        "2024-06-15/2024-06-16",
    )


def test_published_overrides_the_article_and_anchors_relative_dates(articles_dir, db):
    (line,) = run(articles_dir / "byline_published_label.txt", "--published", "Thursday, 7 March 2024")
    assert line["source"]["published"]["earliest"] == "2024-03-07"
    assert line["events"][0]["earliest"] == "2024-03-04"  # "on Monday" before 7 March 2024


def test_an_article_with_no_dates_prints_an_empty_list(articles_dir, db):
    (line,) = run(articles_dir / "opinion_without_dates.txt")
    assert line["events"] == [] and line["unresolved"] == []


def test_relative_dates_without_a_publication_date_are_listed_as_unresolved(tmp_path, db):
    path = tmp_path / "undated.txt"
    path.write_text(
        "Talks\nThe New York Times revealed on Saturday that talks took place.\n", encoding="utf-8"
    )
    (line,) = run(path)
    assert line["events"] == []
    assert line["unresolved"][0]["date_text"] == "on Saturday"


def test_nothing_is_written_to_the_database(seeds_dir, seed_parties, timeline_snapshot):
    before = timeline_snapshot()
    run(*sorted(seeds_dir.glob("*.txt")))
    assert timeline_snapshot() == before


def test_a_bad_publication_date_is_refused(seeds_dir, db):
    with pytest.raises(CommandError, match="--published: could not understand"):
        run(seeds_dir / "000_899649ddc2179241.txt", "--published", "around teatime")


def test_an_unreadable_file_is_named_and_the_others_still_print(tmp_path, seeds_dir, db):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Headline\n\xff\xfe not text\n")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command(
            "extract_events", str(bad), str(seeds_dir / "000_899649ddc2179241.txt"), stdout=out, stderr=err
        )
    assert "bad.txt: not UTF-8 text" in err.getvalue()
    assert len(out.getvalue().splitlines()) == 1

"""``manage.py find_dates``: every date expression of plain text files, one JSON line per file."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from timeline.models import Event, Source


def run(*args) -> list[dict]:
    out = StringIO()
    call_command("find_dates", *map(str, args), stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_json_line_per_file_with_every_date_and_the_unresolved(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("The minister resigned Monday. The next day her deputy left.\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("The bridge opened on 3 May 1999 and closed in 2004.", encoding="utf-8")
    lines = run(a, b, "--published", "2023-06-14", "--format", "json")
    assert [line["file"] for line in lines] == [str(a), str(b)]
    assert lines[0]["published"]["earliest"] == "2023-06-14"
    assert [(d["text"], d["earliest"], d["latest"]) for d in lines[0]["dates"]] == [
        ("Monday", "2023-06-12", "2023-06-12"),
        ("The next day", "2023-06-13", "2023-06-13"),
    ]
    assert [(d["text"], d["earliest"], d["latest"]) for d in lines[1]["dates"]] == [
        ("3 May 1999", "1999-05-03", "1999-05-03"),
        ("2004", "2004-01-01", "2004-12-31"),
    ]
    assert lines[1]["unresolved"] == []


def test_offsets_index_the_decoded_text_without_bom_and_with_unix_line_endings(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("\ufeffHeadline\r\n\r\nThe fair opened on Aug. 7, 2001.\r\n".encode())
    (line,) = run(path, "--format", "json")
    text = "Headline\n\nThe fair opened on Aug. 7, 2001.\n"
    (d,) = line["dates"]
    assert text[d["start"] : d["end"]] == d["text"] == "Aug. 7, 2001"


def test_the_manifest_gives_each_file_its_publication_date(tmp_path):
    (tmp_path / "one.txt").write_text("Talks resumed yesterday.", encoding="utf-8")
    (tmp_path / "two.txt").write_text("Talks resumed yesterday.", encoding="utf-8")
    manifest = tmp_path / "list.json"
    manifest.write_text(
        json.dumps({"one.txt": {"published": "2001-03-02"}, "two.txt": {"published": "4 May 2010"}})
    )
    one, two = run(tmp_path / "one.txt", tmp_path / "two.txt", "--manifest", manifest)
    assert one["dates"][0]["earliest"] == "2001-03-01"
    assert two["dates"][0]["earliest"] == "2010-05-03"


def test_without_a_publication_date_relative_expressions_are_unresolved(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Talks resumed yesterday.", encoding="utf-8")
    (line,) = run(path)
    assert line["published"] is None and line["dates"] == []
    assert [u["text"] for u in line["unresolved"]] == ["yesterday"]


@pytest.mark.django_db
def test_it_writes_nothing_to_the_database(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Leaders met on 3 May 1999.", encoding="utf-8")
    run(path, "--published", "2000-01-01")
    assert Source.objects.count() == Event.objects.count() == 0


def test_a_bad_publication_date_or_an_unreadable_file_is_a_command_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("On 3 May 1999.", encoding="utf-8")
    with pytest.raises(CommandError, match="--published"):
        run(path, "--published", "Septembr 2022")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9 on 3 May 1999".encode("latin-1"))
    with pytest.raises(CommandError, match="1 of 2"):
        run(path, bad)


def test_text_format_lists_each_date_with_its_label(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Leaders met on 3 May 1999.", encoding="utf-8")
    out = StringIO()
    call_command("find_dates", str(path), "--format", "text", stdout=out)
    assert "3 May 1999" in out.getvalue()

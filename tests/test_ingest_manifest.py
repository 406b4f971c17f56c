"""The seed manifest: per-file metadata, checked before it is trusted."""

import json

import pytest

from timeline.ingest.errors import IngestError
from timeline.ingest.manifest import manifest_entry, manifest_load


def write(tmp_path, content) -> str:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_the_seed_manifest_fills_in_what_the_seed_texts_lack(seeds_dir):
    manifest = manifest_load(seeds_dir / "manifest.json")
    undated = manifest_entry(manifest, seeds_dir / "000_899649ddc2179241.txt")
    assert undated["published_text"] == "late May or early June 2024"
    assert "publisher" not in undated and "url" not in undated
    relayed = manifest_entry(manifest, seeds_dir / "002_5bcc111514ab2c29.txt")
    assert relayed["via"] == "The New York Times"


def test_a_file_the_manifest_does_not_list_gets_an_empty_entry(seeds_dir):
    assert manifest_entry(manifest_load(seeds_dir / "manifest.json"), "elsewhere/999_new.txt") == {}


def test_notes_are_kept_out_of_the_metadata(tmp_path):
    manifest = manifest_load(write(tmp_path, {"a.txt": {"published": "2024", "notes": "why"}}))
    assert manifest == {"a.txt": {"published_text": "2024"}}


def test_an_unknown_field_names_the_file_and_entry(tmp_path):
    with pytest.raises(IngestError, match=r"manifest.json: a.txt: unknown field\(s\) date"):
        manifest_load(write(tmp_path, {"a.txt": {"date": "2024"}}))


def test_a_publication_date_the_fuzzy_date_module_cannot_read_is_refused(tmp_path):
    with pytest.raises(IngestError, match="a.txt: published: .*could not understand"):
        manifest_load(write(tmp_path, {"a.txt": {"published": "sometime soonish"}}))


def test_a_bad_language_code_is_refused(tmp_path):
    with pytest.raises(IngestError, match="language: 'English'"):
        manifest_load(write(tmp_path, {"a.txt": {"language": "English"}}))


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text('{"a.txt": {"title": "x",}}', encoding="utf-8")
    with pytest.raises(IngestError, match="manifest.json: not valid JSON: .* line 1"):
        manifest_load(path)

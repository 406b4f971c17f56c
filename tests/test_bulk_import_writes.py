"""How the bulk import writes: what it changes on the connection is put back, and the rows are the same."""

from __future__ import annotations

import pytest
from django.db import connection

from timeline.bulk_import import BadRecord, import_file
from timeline.models import Event

from .test_bulk_import import EVENT, MEDIA, PARTY, SOURCE, write_jsonl


def _cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite page-cache setting")
def test_the_import_gives_the_connection_its_page_cache_size_back(db, tmp_path):
    before = _cache_size()
    import_file(path=write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT]))
    assert _cache_size() == before
    assert Event.objects.filter(key="overtures").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite page-cache setting")
def test_a_refused_import_gives_the_page_cache_size_back_too(db, tmp_path):
    before = _cache_size()
    with pytest.raises(BadRecord):
        import_file(path=write_jsonl(tmp_path / "in.jsonl", [PARTY, {**EVENT, "date": "not a date"}]))
    assert _cache_size() == before

"""How the bulk import writes: errors in the order of the file, and the same rows whatever the batches."""

from __future__ import annotations

import pytest

from timeline import bulk_writer
from timeline.bulk_import import BadRecord, import_file
from timeline.models import Event

from .test_bulk_import import EVENT, MEDIA, PARTY, SOURCE, write_jsonl


def test_a_write_error_of_a_batch_is_reported_before_a_bad_record_after_it(transactional_db, tmp_path, monkeypatch):
    # One event a batch: the database refuses the first batch's parties (here: written to a table
    # that does not exist) while the import reads on; the bad date of the next batch must not hide
    # that earlier error.
    monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", 1)
    for name in ("_insert", "_copy_sql"):
        real = getattr(bulk_writer, name)
        monkeypatch.setattr(bulk_writer, name, lambda table, columns, *rest, real=real: real(
            "no_such_table" if table == "timeline_party" else table, columns, *rest))
    records = [PARTY, MEDIA, SOURCE, EVENT, {**EVENT, "key": "later", "date": "not a date"}]
    with pytest.raises(Exception) as caught:
        import_file(path=write_jsonl(tmp_path / "in.jsonl", records))
    assert not isinstance(caught.value, BadRecord)
    assert "no_such_table" in str(caught.value)
    assert not Event.objects.exists()


def test_rows_are_the_same_whatever_the_batch_size(transactional_db, tmp_path, monkeypatch):
    records = [PARTY, MEDIA, SOURCE, *({**EVENT, "key": f"e{n}"} for n in range(7))]
    path = write_jsonl(tmp_path / "in.jsonl", records)
    rows = []
    for every, size in ((1, 8 << 20), (3, 8 << 20), (1000, 8 << 20), (1000, 1)):  # 1 byte: a record a batch
        monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", every)
        monkeypatch.setattr("timeline.bulk_import.FLUSH_BYTES", size)
        import_file(path=path)
        rows.append(sorted(Event.objects.values_list("key", "date_text", "edtf", "participations__party__slug",
                                                     "citations__quote")))
        Event.objects.all().delete()
    assert rows[0] == rows[1] == rows[2] == rows[3] and len(rows[0]) == 7


"""Bulk import (timeline.bulk_import, manage.py import_events): the API's rules, all or nothing."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from django.core.management import CommandError, call_command

from bench.generate import generate
from timeline import quotes, services
from timeline.bulk_import import BadRecord, import_file
from timeline.models import Citation, Event, Participation, Party, Source

ROOT = Path(__file__).resolve().parent.parent

PARTY = {"type": "party", "slug": "russia", "name": "Russia", "kind": "state"}
MEDIA = {"type": "party", "slug": "nyt", "name": "The New York Times", "kind": "media"}
SOURCE = {"type": "source", "key": "a1", "title": "Overtures", "text": "In September 2022, the Kremlin made overtures.",
          "published": "2023-12-23", "publisher": "nyt"}
EVENT = {"type": "event", "key": "overtures", "title": "Truce overtures", "date": "September 2022", "kind": "proposal",
         "parties": [{"party": "russia", "role": "actor"}],
         "citations": [{"source": "a1", "quote": "the Kremlin made overtures", "char_start": 19, "char_end": 45}]}


@pytest.fixture(autouse=True, params=["reader process", "one process"])
def reader_process(request, settings) -> bool:
    """Every test here twice: records read in a forked child (the default) and in one process."""
    settings.IMPORT_READER_PROCESS = request.param == "reader process"
    return settings.IMPORT_READER_PROCESS


def write_jsonl(path: Path, records) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in (Party, Source, Event, Participation, Citation)}


def test_imported_event_has_the_columns_the_services_compute(db, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT])
    import_file(path=path)
    event = Event.objects.get(key="overtures")
    assert event.date == services.resolve_date(text="September 2022")
    assert event.date_text == "September 2022"
    assert [(p.party.slug, p.role) for p in event.participations.all()] == [("russia", "actor")]
    citation = event.citations.get()
    quotes.check_quote(text=citation.source.text, quote=citation.quote,
                       char_start=citation.char_start, char_end=citation.char_end)
    assert citation.source.publisher.slug == "nyt"
    assert citation.source.published.edtf == "2023-12-23"
    assert "the Kremlin made overtures" in event.search_text
    event.full_clean()


def test_imported_participations_and_citations_carry_the_import_time(db, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT])
    import_file(path=path)
    event = Event.objects.get(key="overtures")
    rows = [*event.participations.all(), *event.citations.all()]
    assert len(rows) == 2
    assert {(row.created, row.updated) for row in rows} == {(event.created, event.created)}


def test_generated_file_imports_and_a_second_run_changes_nothing(db, tmp_path):
    path = tmp_path / "gen.jsonl"
    with path.open("wb") as out:
        generate(events=300, out=out, seed=3, parties=50, sources=100)
    stats = import_file(path=path)
    first = counts()
    assert first["Event"] == stats.events == 300
    assert first["Party"] == 50 and first["Source"] == 100
    assert first["Citation"] == stats.citations > 300
    again = import_file(path=path)
    assert again.events == 0 and again.skipped_events == 300
    assert counts() == first


def test_new_rows_after_an_import_get_fresh_ids(db, tmp_path):
    import_file(path=write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT]))
    party = services.party_create(name="Ukraine", kind="state")
    assert party.id > Party.objects.get(slug="russia").id


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"date": "the day after never"}, "date", "could not understand"),
        ({"end": "1 January 2020"}, "end", "is before the start"),
        ({"kind": "party"}, "kind", "not a valid choice"),
        ({"parties": [{"party": "nobody", "role": "actor"}]}, "parties[0].party", "no party 'nobody'"),
        ({"parties": [{"party": "russia", "role": "boss"}]}, "parties[0].role", "Unknown role"),
        ({"citations": [{"source": "zz", "quote": "x"}]}, "citations[0].source", "no source"),
        ({"citations": [{"source": "a1", "quote": "the Kremlin made overtures", "char_start": 18, "char_end": 44}]},
         "citations[0].quote", "does not match"),
        ({"title": ""}, "title", "required"),
    ],
)
def test_a_bad_record_names_its_line_and_field_and_nothing_is_written(db, tmp_path, change, field, words):
    good = {**EVENT, "key": "good"}
    path = write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, good, {**EVENT, **change}])
    before = counts()
    with pytest.raises(BadRecord) as caught:
        import_file(path=path)
    assert (caught.value.line, caught.value.field) == (5, field)
    assert words in caught.value.message
    assert counts() == before


def test_the_command_reports_the_line(db, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [PARTY, {**EVENT, "citations": []}, {"type": "place"}])
    with pytest.raises(CommandError, match=r"line 3: type: .*nothing was imported"):
        call_command("import_events", str(path), "--no-progress")
    assert not Event.objects.exists()


def test_an_interrupted_import_says_so_and_writes_nothing(db, tmp_path, monkeypatch):
    from timeline.bulk_import import Importer

    real = Importer._flush

    def interrupted(self, batch, pending_keys):
        real(self, batch, pending_keys)
        raise KeyboardInterrupt  # Ctrl-C after the first batch was written

    monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", 1)
    monkeypatch.setattr(Importer, "_flush", interrupted)
    path = write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT, {**EVENT, "key": "second"}])
    with pytest.raises(CommandError, match=r"interrupted; nothing was imported") as caught:
        call_command("import_events", str(path), "--no-progress")
    assert caught.value.returncode == 130
    assert set(counts().values()) == {0}


def _manage(database: Path, *args: str, **env: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONDONTWRITEBYTECODE": "1", **env}
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _table_counts(database: Path) -> dict:
    with sqlite3.connect(database) as db:
        return {t: db.execute(f"SELECT COUNT(*) FROM timeline_{t}").fetchone()[0]
                for t in ("party", "source", "event", "participation", "citation")}


def open_for_writing(fifo: Path, run: subprocess.Popen, *, wait: float = 120) -> int:
    """The writing end of the named pipe ``fifo``, once ``run`` (an import of it) has opened it."""
    deadline = time.monotonic() + wait
    while True:  # until the import has the pipe open (Django starting up)
        try:
            end = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no one has it open for reading yet
                raise
            assert run.poll() is None, run.communicate()[1].decode()
            assert time.monotonic() < deadline, "the import never opened its file"
            time.sleep(0.05)
    os.set_blocking(end, True)
    return end


def write_lines(end: int, content: bytes, *, fraction: float) -> None:
    """The first ``fraction`` of ``content``, whole lines, written into the pipe ``end``: the write
    returns when the import has read all but what the pipe holds (64 KiB)."""
    part = memoryview(content)[: content.rindex(b"\n", 0, int(len(content) * fraction)) + 1]
    while part:
        part = part[os.write(end, part):]


def test_an_import_killed_half_way_leaves_nothing_and_a_rerun_completes(tmp_path, reader_process, migrated_sqlite):
    data = tmp_path / "gen.jsonl"
    with data.open("wb") as out:
        generate(events=12_000, out=out, seed=5, parties=200, sources=2_000)
    mode = {"IMPORT_READER_PROCESS": "1" if reader_process else "0"}
    killed, clean = migrated_sqlite(tmp_path / "killed.sqlite3"), migrated_sqlite(tmp_path / "clean.sqlite3")

    # Read from a named pipe that stays open, the import cannot finish however fast the machine; a
    # 1 MiB page cache spills its uncommitted pages to the WAL early (64 MiB would hold them all).
    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo)
    run = _manage(killed, "import_events", str(fifo), "--no-progress", SQLITE_CACHE_MIB="1", **mode)
    end = open_for_writing(fifo, run)
    write_lines(end, data.read_bytes(), fraction=0.7)  # past the first batch (FLUSH_EVERY events)
    wal, deadline = Path(f"{killed}-wal"), time.monotonic() + 120
    # Half-way: batches have been written to the WAL but the transaction is not committed.
    while not wal.exists() or wal.stat().st_size < 1_000_000:
        assert run.poll() is None, run.communicate()[1].decode()
        assert time.monotonic() < deadline, "no batch reached the WAL"
        time.sleep(0.02)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    os.close(end)
    run.stderr.close()
    assert set(_table_counts(killed).values()) == {0}

    rerun, fresh = (_manage(db, "import_events", str(data), "--no-progress", **mode) for db in (killed, clean))
    assert rerun.wait() == 0 and fresh.wait() == 0, rerun.communicate()[1].decode() + fresh.communicate()[1].decode()
    assert _table_counts(killed) == _table_counts(clean)
    assert _table_counts(killed)["event"] == 12_000


def test_the_same_article_twice_is_stored_once_and_a_url_twice_is_refused(db, tmp_path, monkeypatch):
    monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", 1)  # the copies fall in different batches
    copy = {**SOURCE, "key": "a2"}
    second = {**EVENT, "key": "second", "citations": [{**EVENT["citations"][0], "source": "a2"}]}
    import_file(path=write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT, copy, second]))
    assert Source.objects.count() == 1
    assert Citation.objects.count() == 2
    one = {"type": "source", "key": "b1", "title": "One", "text": "One.", "url": "https://example.org/1"}
    cites_one = {**EVENT, "key": "third", "citations": [{"source": "b1", "quote": "One.", "char_start": 0, "char_end": 4}]}
    two = {"type": "source", "key": "b2", "title": "Two", "text": "Two.", "url": "https://example.org/1"}
    with pytest.raises(BadRecord) as caught:
        import_file(path=write_jsonl(tmp_path / "clash.jsonl", [one, cites_one, two]))
    assert (caught.value.line, caught.value.field) == (3, "url")
    assert not Source.objects.filter(url="https://example.org/1").exists()


def _generated(seed: int, events: int = 2000) -> bytes:
    import io

    out = io.BytesIO()
    generate(events=events, out=out, seed=seed, parties=40, sources=60)
    return out.getvalue()


def test_the_generator_is_deterministic_for_a_seed():
    assert _generated(1) == _generated(1)
    assert _generated(1) != _generated(2)


def test_generated_dates_have_the_documented_mix_of_precisions():
    from collections import Counter

    from timeline import dates

    shapes = Counter()
    for line in _generated(4).splitlines():
        record = orjson.loads(line)
        if record["type"] != "event":
            continue
        fuzzy = dates.parse(record["date"])
        if record.get("end") or fuzzy.approximate or fuzzy.earliest is None or fuzzy.latest is None:
            shapes["other"] += 1
        else:
            shapes[str(fuzzy.precision)] += 1
    total = sum(shapes.values())
    assert abs(shapes["day"] / total - 0.60) < 0.04
    assert abs(shapes["month"] / total - 0.25) < 0.04
    assert abs(shapes["year"] / total - 0.12) < 0.03
    assert 0.01 < shapes["other"] / total < 0.06


def _keyless(n: int, **extra) -> dict:
    record = {k: v for k, v in EVENT.items() if k != "key"}
    return {**record, "title": f"Truce overtures {n % 3}", **extra}


def test_events_without_keys_get_readable_keys_numbered_in_file_order(db, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, *(_keyless(n) for n in range(5))])
    import_file(path=path)
    assert sorted(Event.objects.values_list("key", flat=True)) == [
        "truce-overtures-0-2022-09", "truce-overtures-0-2022-09-2",
        "truce-overtures-1-2022-09", "truce-overtures-1-2022-09-2",
        "truce-overtures-2-2022-09",
    ]
    # The key the services would give: the same event made through the API has the same base.
    assert services.event_create(title="Truce overtures 2", date="September 2022").key == "truce-overtures-2-2022-09-2"


def test_a_file_without_keys_imported_twice_adds_its_events_once(db, tmp_path, monkeypatch):
    monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", 4)  # several batches
    path = tmp_path / "gen.jsonl"
    with path.open("wb") as out:
        generate(events=60, out=out, seed=7, parties=10, sources=10)
    records = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    for r in records:
        if r["type"] == "event":
            r.pop("key")
            r["title"] = "Same title"  # the dates differ; some coincide, and are numbered
    path = write_jsonl(tmp_path / "keyless.jsonl", records)
    first = import_file(path=path)
    stored = counts()
    assert first.events == stored["Event"] == 60
    again = import_file(path=path)
    assert (again.events, again.skipped_events) == (0, 60)
    assert counts() == stored
    call_command("import_events", str(path), "--no-progress", stdout=open(os.devnull, "w"))
    assert counts() == stored


def test_a_keyless_record_whose_key_is_stored_is_skipped(db, tmp_path):
    services.party_create(name="Russia", kind="state")
    services.event_create(title="Truce overtures", date="September 2022")  # truce-overtures-2022-09
    stats = import_file(path=write_jsonl(tmp_path / "in.jsonl", [MEDIA, SOURCE, _keyless(0, title="Truce overtures")]))
    assert (stats.events, stats.skipped_events) == (0, 1)
    assert Event.objects.count() == 1


def test_generated_keys_cost_no_query_per_event(db, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import_file(path=write_jsonl(tmp_path / "first.jsonl", [PARTY, MEDIA, SOURCE, EVENT]))  # not empty now
    used = []
    for n in (10, 300):
        path = write_jsonl(tmp_path / f"{n}.jsonl", [SOURCE, *(_keyless(i, title=f"Event {n}.{i}") for i in range(n))])
        with CaptureQueriesContext(connection) as queries:
            assert import_file(path=path).events == n
        used.append(len(queries))
    assert used[0] == used[1], used


def test_a_party_with_the_wikidata_id_of_a_stored_party_is_refused_by_line(db, tmp_path):
    services.party_create(name="Russian Federation", kind=Party.Kind.STATE, slug="russian-federation", wikidata_id="Q159")
    with pytest.raises(BadRecord) as refused:
        import_file(path=write_jsonl(tmp_path / "in.jsonl", [{**PARTY, "wikidata_id": "Q159"}]))
    assert str(refused.value) == "line 1: wikidata_id: Q159 is already the Wikidata id of party 'russian-federation'"
    assert not Party.objects.filter(slug=PARTY["slug"]).exists()

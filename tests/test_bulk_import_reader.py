"""The bulk import's reader process: records read and checked in a forked child while the import's
own process writes. The same rows and the same errors as in one process; the child never queries,
and never outlives the import."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.generate import generate
from timeline import bulk_import
from timeline.bulk_import import BadRecord, Importer, import_file
from timeline.models import Citation, Event, Participation, Party, Source

from .test_bulk_import import (
    EVENT,
    MEDIA,
    PARTY,
    ROOT,
    SOURCE,
    _table_counts,
    counts,
    open_for_writing,
    write_jsonl,
    write_lines,
)

pytestmark = pytest.mark.skipif(not bulk_import.CAN_FORK, reason="the reader process needs fork and two cores")


@pytest.fixture(autouse=True)
def _ctrl_c_raises_keyboard_interrupt():
    """Ctrl-C as in a terminal: Python's own handler in this process, and so in the imports it
    starts. A shell's background job (``make test &``, CI's two suites side by side) starts with
    SIGINT ignored, and an ignored disposition is inherited across exec: an import started from
    there would never see Ctrl-C at all, whatever the import does (seen in CI: both Ctrl-C tests)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _rows() -> dict:
    # Ids relative to each table's first: ids are never reused, so a second import after deleting
    # the first's rows starts past them; the order in which ids are given must still be the same.
    def relative(rows, *id_columns):
        rows = sorted(rows)
        base = {c: min((r[c] for r in rows if r[c] is not None), default=0) for c in id_columns}
        return [tuple(v - base[i] if i in base and v is not None else v for i, v in enumerate(r)) for r in rows]

    sources = relative(Source.objects.values_list("id", "title", "content_hash", "published_edtf", "publisher__slug"), 0)
    first_source = min(Source.objects.values_list("id", flat=True), default=0)
    events = relative(Event.objects.values_list("id", "key", "date_text", "edtf", "earliest", "latest",
                                                "precision", "date_anchor_id", "search_text"), 0)
    return {
        "parties": relative(Party.objects.values_list("id", "slug", "name", "kind", "aliases", "wikidata_id"), 0),
        "sources": sources,
        "events": [(*e[:7], None if e[7] is None else e[7] - first_source, e[8]) for e in events],
        "participations": sorted(Participation.objects.values_list("event__key", "party__slug", "role")),
        "citations": sorted(Citation.objects.values_list("event__key", "source__content_hash", "quote",
                                                         "char_start", "char_end", "attributed_to__slug")),
    }


def _generated(tmp_path: Path, events: int = 600) -> Path:
    path = tmp_path / "gen.jsonl"
    with path.open("wb") as out:
        generate(events=events, out=out, seed=3, parties=40, sources=120)
    return path


def test_the_records_are_read_in_another_process(db, tmp_path, monkeypatch, settings):
    settings.IMPORT_READER_PROCESS = True
    pids = tmp_path / "pids"
    real = Importer._record

    def record(self, line, *args):
        with pids.open("a") as out:  # the child's own write: only a file crosses the fork
            out.write(f"{os.getpid()}\n")
        return real(self, line, *args)

    monkeypatch.setattr(Importer, "_record", record)
    import_file(path=write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT]))
    readers = set(pids.read_text().split())
    assert len(readers) == 1 and str(os.getpid()) not in readers
    assert Event.objects.filter(key="overtures").exists()


def test_one_process_and_two_store_the_same_rows(db, tmp_path, monkeypatch, settings):
    monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", 50)  # many batches through the pipe
    path = _generated(tmp_path)
    stored = []
    for reader in (True, False):
        settings.IMPORT_READER_PROCESS = reader
        stats = import_file(path=path)
        stored.append((stats, _rows()))
        for model in (Citation, Participation, Event, Source, Party):
            model.objects.all().delete()
    (stats_two, rows_two), (stats_one, rows_one) = stored
    assert stats_two == stats_one and stats_two.events == 600 and stats_two.parties == 40
    # Ids too: the child gives the parties theirs, this process the sources' and events'.
    assert rows_two == rows_one


def test_a_bad_record_read_in_the_child_names_its_line_and_writes_nothing(db, tmp_path, monkeypatch, settings):
    settings.IMPORT_READER_PROCESS = True
    monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", 1)  # the batches before it were written
    records = [PARTY, MEDIA, SOURCE, EVENT, {**EVENT, "key": "second"}, {**EVENT, "key": "bad", "date": "soonish"}]
    with pytest.raises(BadRecord) as caught:
        import_file(path=write_jsonl(tmp_path / "in.jsonl", records))
    assert (caught.value.line, caught.value.field) == (6, "date")
    assert set(counts().values()) == {0}


def test_a_bug_in_the_reader_process_is_raised_by_the_import_with_its_traceback(db, tmp_path, monkeypatch, settings):
    settings.IMPORT_READER_PROCESS = True

    def broken(self, line, *args):
        raise ZeroDivisionError("a bug in the reader")

    monkeypatch.setattr(Importer, "_event", broken)
    with pytest.raises(RuntimeError, match=r"(?s)reader process failed.*ZeroDivisionError: a bug in the reader"):
        import_file(path=write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT]))
    assert set(counts().values()) == {0}
    assert multiprocessing.active_children() == []


def test_the_reader_process_may_not_query_the_database(db, tmp_path, monkeypatch, settings):
    # Its connection is a copy of the writer's, mid-transaction: a query there would be a bug.
    settings.IMPORT_READER_PROCESS = True
    real = Importer._party

    def querying(self, *args):
        Party.objects.count()
        return real(self, *args)

    monkeypatch.setattr(Importer, "_party", querying)
    with pytest.raises(RuntimeError, match="must not query the database"):
        import_file(path=write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT]))
    assert set(counts().values()) == {0}


def test_a_reader_process_that_dies_ends_the_import_with_an_error(db, tmp_path, monkeypatch, settings):
    settings.IMPORT_READER_PROCESS = True
    monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", 1)

    def dying(self, line, *args):
        os._exit(3)  # as if killed: no message, the pipe just ends

    monkeypatch.setattr(Importer, "_source", dying)
    with pytest.raises(RuntimeError, match=r"reader process ended before the file did \(exit code 3\)"):
        import_file(path=write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT]))
    assert set(counts().values()) == {0}


def test_the_reader_process_ends_when_the_writer_fails(transactional_db, tmp_path, monkeypatch, settings):
    settings.IMPORT_READER_PROCESS = True
    monkeypatch.setattr("timeline.bulk_import.FLUSH_EVERY", 5)
    real = Importer._flush

    def failing(self, batch, pending_keys):
        if self.stats.events:  # the second batch of events
            raise OSError("disk full")
        return real(self, batch, pending_keys)

    monkeypatch.setattr(Importer, "_flush", failing)
    with pytest.raises(OSError, match="disk full"):
        import_file(path=_generated(tmp_path))
    assert multiprocessing.active_children() == []
    assert not Event.objects.exists()


def test_a_failure_of_the_readers_pipe_thread_ends_the_import_instead_of_hanging(db, tmp_path, monkeypatch, settings):
    settings.IMPORT_READER_PROCESS = True

    def out_of_memory(pipe, data):
        raise MemoryError

    monkeypatch.setattr("timeline.bulk_import._write_all", out_of_memory)
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the import hung"))
    signal.alarm(60)
    try:
        with pytest.raises(RuntimeError, match=r"reader process ended before the file did \(exit code 1\)"):
            import_file(path=write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT]))
    finally:
        signal.alarm(0)
    assert multiprocessing.active_children() == []
    assert set(counts().values()) == {0}


def test_the_import_reads_in_its_own_process_when_it_cannot_fork(db, tmp_path, monkeypatch, settings):
    settings.IMPORT_READER_PROCESS = True

    class NoFork:
        def Process(self, **kwargs):  # noqa: N802 - multiprocessing's name
            return SimpleNamespace(start=lambda: (_ for _ in ()).throw(OSError(11, "Resource temporarily unavailable")))

    monkeypatch.setattr("timeline.bulk_import.multiprocessing.get_context", lambda method: NoFork())
    stats = import_file(path=write_jsonl(tmp_path / "in.jsonl", [PARTY, MEDIA, SOURCE, EVENT]))
    assert stats.events == 1 and Event.objects.filter(key="overtures").exists()


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _import_from_a_pipe(tmp_path: Path, data: Path, database: Path) -> tuple[subprocess.Popen, int, list[int]]:
    """``import_events`` started on a named pipe, with the first half of ``data`` written into it:
    (the process, the pipe's writing end, its reader processes).

    When the write returns, the reader process has read most of what was written (a pipe holds
    64 KiB), so it is running, and it has passed the point where it ignores Ctrl-C (it does before
    it reads); and the import cannot finish, however fast the machine, before the pipe is closed.
    Timing the signal instead (half a second after the reader appeared) failed once in a fresh
    clone's ``make test``: the import had already finished and exited 0."""
    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo)
    # PYTHONFAULTHANDLER: a SIGABRT (sent by a test that waited too long) prints every thread's stack.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONFAULTHANDLER": "1"}
    run = subprocess.Popen([sys.executable, "manage.py", "import_events", str(fifo), "--no-progress"], cwd=ROOT,
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    end = open_for_writing(fifo, run)
    write_lines(end, data.read_bytes(), fraction=0.5)
    readers = _children(run.pid)
    assert readers, "the file was read, but by no reader process"
    return run, end, readers


def _wait_gone(readers: list[int]) -> None:
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in readers):
        assert time.monotonic() < deadline, "the reader process outlived the import"
        time.sleep(0.05)


@pytest.fixture
def large_file_and_database(tmp_path, migrated_sqlite) -> tuple[Path, Path]:
    """A file of more than two batches, and a migrated SQLite file to import it into."""
    data = tmp_path / "gen.jsonl"
    with data.open("wb") as out:
        generate(events=12_000, out=out, seed=5, parties=200, sources=2_000)
    database = migrated_sqlite(tmp_path / "import.sqlite3")
    return data, database


def test_a_killed_import_leaves_no_reader_process_behind(large_file_and_database, tmp_path):
    data, database = large_file_and_database
    run, end, readers = _import_from_a_pipe(tmp_path, data, database)
    assert all(_alive(pid) for pid in readers)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    os.close(end)  # the rest of the file is "read" at once: the reader then finds no one to send it to
    _wait_gone(readers)
    run.stderr.close()
    assert set(_table_counts(database).values()) == {0}


def test_ctrl_c_ends_the_import_and_its_reader_with_one_message_and_no_traceback(large_file_and_database, tmp_path):
    data, database = large_file_and_database
    run, end, readers = _import_from_a_pipe(tmp_path, data, database)
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    try:
        _, errors = run.communicate(timeout=120)
    except subprocess.TimeoutExpired:  # where it hangs, for whoever reads the failure
        for pid in (run.pid, *readers):
            if _alive(pid):
                os.kill(pid, signal.SIGABRT)
        _, errors = run.communicate(timeout=30)
        pytest.fail(f"Ctrl-C did not end the import within 120 s; its stacks:\n{errors.decode()}")
    os.close(end)
    errors = errors.decode()
    assert run.returncode == 130, errors
    assert "interrupted; nothing was imported" in errors
    assert "Traceback" not in errors
    _wait_gone(readers)
    assert set(_table_counts(database).values()) == {0}


def test_ctrl_c_handed_to_another_thread_still_ends_the_wait_for_the_reader(settings):
    """A process-directed SIGINT goes to whichever thread the kernel picks (tqdm's monitor thread is
    in every import). Only the main thread raises KeyboardInterrupt, and only when it runs Python:
    blocked in read() on the reader's pipe, it never did, and the import hung after Ctrl-C (CI)."""
    import threading

    from timeline.bulk_import import _reader

    settings.IMPORT_READER_PROCESS = True
    read_end, write_end = os.pipe()  # the reader's input: nothing comes until the watchdog writes
    lines = open(read_end, "rb")  # noqa: SIM115 - the reader process reads it
    bystander = threading.Thread(target=time.sleep, args=(3,), daemon=True)
    bystander.start()
    handed = threading.Timer(0.3, signal.pthread_kill, args=(bystander.ident, signal.SIGINT))
    # Before the fix the wait never ended: after 5 s a line comes, the wait ends without the
    # KeyboardInterrupt, and the test fails instead of hanging.
    watchdog = threading.Timer(5, os.write, args=(write_end, b"a line\n"))
    handed.start()
    watchdog.start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt), _reader(lambda lines: iter(lines), lines) as batches:
            next(batches)
        assert time.monotonic() - started < 3
    finally:
        watchdog.cancel()
        handed.cancel()
        lines.close()
        try:
            os.close(write_end)
        except OSError:
            pass

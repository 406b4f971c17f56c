"""Import speed, side by side on the same rows: our ``import_events`` against Django's ``loaddata``
of the equivalent fixture, raw ``sqlite3.executemany`` and psycopg ``COPY`` of the very rows our
import wrote (the floors: no parsing, no validation). Each writer starts from a freshly migrated
database, so every one also maintains the same indexes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TABLES = ("party", "source", "event", "participation", "citation")


def _manage(*args: str, database_url: str, check: bool = True) -> tuple[float, float]:
    """Run manage.py; (seconds, peak RSS MiB) of its largest process: wait4's rusage counts the
    processes it waited for too, such as the import's reader process (checked: a child of 400 MiB
    under a small parent gives 411 MiB)."""
    env = {**os.environ, "DATABASE_URL": database_url}
    started = time.perf_counter()
    process = subprocess.Popen([PY, "manage.py", *args], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if check and os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def migrated_sqlite(path: Path, *, template: Path) -> Path:
    """A fresh migrated SQLite database (a copy of one migrated template: migrating takes seconds)."""
    if not template.exists():
        _manage("migrate", "--noinput", "-v0", database_url=f"sqlite:///{template}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, path)
    return path


def rows_of(db: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    with sqlite3.connect(db) as con:
        out = {}
        for table in TABLES:
            cursor = con.execute(f"SELECT * FROM timeline_{table}")
            out[table] = ([c[0] for c in cursor.description], cursor.fetchall())
        return out


def project_pragmas() -> list[str]:
    """The PRAGMAs every SQLite connection of the project runs (settings' ``init_command``): WAL,
    synchronous=NORMAL, foreign_keys=ON (the schema's foreign keys checked on every insert, as for
    our import; sqlite3's own default skipped them, ~1.5 s of the 100,000-event floor) and the page
    cache (SQLITE_CACHE_MIB). The floor gets exactly what our import's connection has; read in a
    child process so that this one's settings stay unloaded."""
    code = ("from django.conf import settings; "
            "print(settings.DATABASES['default']['OPTIONS']['init_command'])")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "timeline.settings", "DATABASE_URL": "sqlite:///unused.sqlite3"}
    init = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    return [p.strip() for p in init.split(";") if p.strip()]


def raw_sqlite(rows: dict, db: Path) -> float:
    """Plain executemany in one transaction, the rows prepared in memory beforehand, on a connection
    set up like the project's."""
    con = sqlite3.connect(db, isolation_level=None)
    for pragma in project_pragmas():
        con.execute(pragma)
    started = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for table in TABLES:
        columns, data = rows[table]
        marks = ", ".join("?" * len(columns))
        con.execute("SELECT 1")
        con.executemany(f"INSERT INTO timeline_{table} ({', '.join(columns)}) VALUES ({marks})", data)
    con.execute("COMMIT")
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def raw_copy(rows: dict, database_url: str) -> float:
    """psycopg COPY of the same rows, one transaction (SQLite's 0/1 booleans made booleans)."""
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as con:
        booleans = {}
        for table in TABLES:
            found = con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND data_type = 'boolean'",
                (f"timeline_{table}",)).fetchall()
            booleans[table] = {r[0] for r in found}
        prepared = {}
        for table in TABLES:
            columns, data = rows[table]
            flags = [i for i, c in enumerate(columns) if c in booleans[table]]
            if flags:
                data = [tuple(bool(v) if i in flags else v for i, v in enumerate(row)) for row in data]
            prepared[table] = (columns, data)
        # The lookups above opened a transaction: ended here, the one below is a real transaction
        # whose COMMIT (where PostgreSQL checks the deferred foreign keys, ~4.5 s of 100,000 events)
        # falls inside the clock, as our import's commit does. Before, it was a savepoint and the
        # clock stopped before the commit.
        con.commit()
        started = time.perf_counter()
        with con.transaction(), con.cursor() as cursor:
            for table in TABLES:
                columns, data = prepared[table]
                with cursor.copy(f"COPY timeline_{table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
        return time.perf_counter() - started


def fresh_postgres(name: str, base_url: str) -> str:
    import psycopg

    admin = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    url = base_url.rsplit("/", 1)[0] + "/" + name
    _manage("migrate", "--noinput", "-v0", database_url=url)
    return url


def run(*, data: Path, work: Path, loaddata_data: Path, postgres_url: str | None) -> dict:
    """``data``: the JSONL to import; ``loaddata_data``: the (smaller or same) JSONL whose fixture
    loaddata is timed against our import of that same file."""
    template = work / "template.sqlite3"
    results: dict = {}
    ours_db = migrated_sqlite(work / "ours.sqlite3", template=template)
    results["ours_sqlite_s"], results["ours_sqlite_rss_mib"] = _manage(
        "import_events", str(data), "--no-progress", database_url=f"sqlite:///{ours_db}")
    rows = rows_of(ours_db)
    results["rows"] = {t: len(rows[t][1]) for t in TABLES}
    results["raw_sqlite_s"] = raw_sqlite(rows, migrated_sqlite(work / "raw.sqlite3", template=template))

    if postgres_url:
        url = fresh_postgres("bench_import_ours", postgres_url)
        results["ours_postgres_s"], results["ours_postgres_rss_mib"] = _manage(
            "import_events", str(data), "--no-progress", database_url=url)
        results["raw_copy_s"] = raw_copy(rows, fresh_postgres("bench_import_copy", postgres_url))

    # loaddata against our import of the same (possibly smaller) file; the same file is not
    # imported twice.
    same = Path(loaddata_data) == Path(data)
    if same:
        dumped = ours_db
        results["ours_small_s"] = results["ours_sqlite_s"]
    else:
        dumped = migrated_sqlite(work / "small.sqlite3", template=template)
        results["ours_small_s"], _ = _manage("import_events", str(loaddata_data), "--no-progress",
                                             database_url=f"sqlite:///{dumped}")
    fixture = work / "fixture.json"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{dumped}"}
    with fixture.open("w") as out:
        subprocess.run([PY, "manage.py", "dumpdata", *(f"timeline.{t}" for t in TABLES), "--indent", "0"],
                       cwd=ROOT, env=env, stdout=out, check=True, stderr=subprocess.DEVNULL)
    loaded = migrated_sqlite(work / "loaddata.sqlite3", template=template)
    results["loaddata_s"], results["loaddata_rss_mib"] = _manage(
        "loaddata", str(fixture), database_url=f"sqlite:///{loaded}")
    results["small_rows"] = {t: n for t, n in zip(TABLES, _counts(loaded), strict=True)}
    # The dumped set's rows through raw executemany: how fast anything can write them, and so
    # the most any importer could be faster than loaddata.
    results["raw_small_s"] = (results["raw_sqlite_s"] if same else
                              raw_sqlite(rows_of(dumped), migrated_sqlite(work / "raw-small.sqlite3", template=template)))
    return results


def _counts(db: Path) -> list[int]:
    with sqlite3.connect(db) as con:
        return [con.execute(f"SELECT COUNT(*) FROM timeline_{t}").fetchone()[0] for t in TABLES]

"""How the bulk import writes its rows: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

On PostgreSQL the ``COPY`` of one batch runs in a second thread while the import prepares the next
(with the reader process of ``bulk_import``, receiving and flushing it; in one process, reading and
checking it too): the server's side of a ``COPY`` (parsing the rows, the indexes, the constraint
triggers) was a third of the import, spent with the import idle in psycopg's ``wait`` (profile: 14 s
of 36 s), and the server then idled while the import read the next batch. Only one batch is ever in
flight, and the connection is never used by both threads at once: ``write`` and ``wait`` (called
before any other query of the import) first wait for the batch before. An error writing that batch
is raised there, in the import's thread, so it is reported before anything later in the file, as
when the writes were made one after the other (tests/test_bulk_import_writes.py).

SQLite writes in the import's own thread. sqlite3's ``executemany`` takes the GIL back for every
row, and beside a busy thread each take waits for the switch interval: measured ~15x slower. One
``INSERT … SELECT FROM json_each(?)`` a batch avoids that, but costs ~1.4x the CPU of
``executemany``, cuts texts at an escaped NUL, and only paid off with a second core free, which a
shared machine did not have: not worth it.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection


class Writer:
    """``write(tables)`` writes each ``(model, columns, rows)`` in order; use as a context manager
    so that the last batch is waited for (and its error raised) whatever happens."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.vendor = connection.vendor
        self.log = connection.queries_logged  # the raw cursor bypasses Django's log: keep COPY visible
        postgres = self.vendor == "postgresql"
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="import-copy") if postgres else None
        self._pending: Future | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            # An error of the batch in flight came from earlier in the file than one raised meanwhile
            # by the import's thread: it replaces it, as it would have come first.
            self.wait()
        finally:
            if self._thread is not None:
                self._thread.shutdown()
        return False

    def write(self, tables: list[tuple]) -> None:
        self.wait()
        todo = [(model._meta.db_table, columns, rows) for model, columns, rows in tables if rows]
        if self._thread is None:
            for table, columns, rows in todo:
                self.cursor.executemany(_insert(table, columns, "%s"), rows)
        else:
            copies = [(_copy_sql(table, columns), rows) for table, columns, rows in todo]
            self._pending = self._thread.submit(_copy, self.cursor.cursor, copies)

    def wait(self) -> None:
        """Until the batch handed over is written; raises what writing it raised."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        while True:  # in steps, so that a Ctrl-C handed to another thread is raised here (bulk_import)
            try:
                timings = pending.result(timeout=0.2)
                break
            except TimeoutError:
                continue
        if self.log:
            connection.queries_log.extend({"sql": sql, "time": f"{seconds:.3f}"} for sql, seconds in timings)


def _insert(table: str, columns: list[str], mark: str) -> str:
    q = connection.ops.quote_name
    return f"INSERT INTO {q(table)} ({', '.join(map(q, columns))}) VALUES ({', '.join([mark] * len(columns))})"


def _copy_sql(table: str, columns: list[str]) -> str:
    q = connection.ops.quote_name
    return f"COPY {q(table)} ({', '.join(map(q, columns))}) FROM STDIN"


# The writer thread's side: only the psycopg cursor handed to it, never Django's connection
# (thread-bound), and every statement built beforehand in the import's thread.

def _copy(raw_cursor, copies: list[tuple[str, list]]) -> list[tuple[str, float]]:
    timings = []
    for sql, rows in copies:
        started = time.monotonic()
        with raw_cursor.copy(sql) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)
        timings.append((f"{sql} -- {len(rows)} rows", time.monotonic() - started))
    return timings

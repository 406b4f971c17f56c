"""The change stamp's triggers (``timeline.models.ChangeStamp``, migration 0008), moved out of the
way of one large write on SQLite.

SQLite has no statement triggers: each row written fires its own, and the bulk import writes every
party, source, event, participation and citation row (about 8 a event). ``moved_on_once`` drops the
insert triggers for the block and makes them again from their own stored text, then moves the stamp on
once. That is exactly what the triggers would have done, because the block runs inside a write
transaction of SQLite's, which holds the database's write lock (``BEGIN IMMEDIATE``): no other
connection can write meanwhile, and nobody else sees the missing triggers or the rows before the
commit, which brings the triggers, the rows and the stamp's new value together. A block that raises
is rolled back with the transaction, the dropped triggers with it. PostgreSQL's triggers fire once
per statement already: nothing to do there.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

SQLITE_BUMP = (
    "INSERT INTO timeline_changestamp (id, generation, changed) "
    "VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (id) DO UPDATE SET generation = generation + 1, changed = excluded.changed"
)


@contextmanager
def moved_on_once(cursor):
    """Around a large write inside a transaction: on SQLite, the stamp moved on once instead of once
    per row (see the module's docstring)."""
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("moved_on_once needs the write transaction the block runs in")
    # The insert triggers alone: an import inserts. Any other write in the block still fires its own
    # trigger, which is only slower.
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_change\\_stamp\\_insert' ESCAPE '\\'"
    )
    saved = cursor.fetchall()
    for name, _ in saved:
        cursor.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in saved:
        cursor.execute(sql)
    cursor.execute(SQLITE_BUMP)

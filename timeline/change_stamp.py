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


# The tables whose rows the API shows: migration 0008_change_stamp gives each its triggers.
TABLES = (
    "timeline_event",
    "timeline_participation",
    "timeline_citation",
    "timeline_event_places",
    "timeline_party",
    "timeline_source",
    "timeline_place",
)


def ensure_sqlite_triggers(connection) -> list[str]:
    """SQLite, after every ``migrate``: put back the change-stamp triggers a later migration dropped.

    Django's SQLite schema editor alters a table by copying it into a new one and dropping the old,
    and the old table's triggers go with it; without this, a migration on timeline_event (say) would
    leave its writes unseen by every validator, and readers would keep a stale copy. Nothing happens
    on other databases or before migration 0008 made the stamp. Returns the triggers made again."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {name for _, name in cursor.fetchall()}
        if "timeline_changestamp" not in present:
            return []
        made = []
        for table in TABLES:
            for operation in ("INSERT", "UPDATE", "DELETE"):
                name = f"{table}_change_stamp_{operation.lower()}"
                if table in present and name not in present:
                    cursor.execute(f"CREATE TRIGGER {name} AFTER {operation} ON {table} "
                                   f"FOR EACH ROW BEGIN {SQLITE_BUMP}; END")
                    made.append(name)
        if made:  # writes may have gone unseen meanwhile: every validator changes
            cursor.execute(SQLITE_BUMP)
        return made

"""An event's dates copied onto its places' rows, so ``?place=`` reads a window from one index.

``?place=`` lists a place's events first (``timeline.id_lists``) and the page then looks each one up
to check it against the date window. A place holding 6,667 of 1,000,000 events, 111 of them in a
two-year window, cost 6,667 primary-key probes for those 111 on PostgreSQL (18 ms of SQL, 3.55× the
plain range query; bench/filters_bench.py). With the event's ``earliest`` and ``latest`` on the
through table (``event_earliest``, ``event_latest``) and an index ``(place_id, event_latest,
event_earliest, event_id)``, the window is applied while the place's rows are listed, inside the
index, and only the events in it are looked up.

The through table is Django's own (``Event.places``: a model of our own would take the places out
of the admin's and the API's forms), so the two columns are the database's alone, kept by triggers
made in migration 0015, whoever writes (the services, ``.set()``, the admin, raw SQL, an import):

- a row added to the table takes its event's dates (PostgreSQL: ``BEFORE INSERT``; SQLite: an
  ``AFTER INSERT`` update of the row);
- an event whose ``earliest`` or ``latest`` changes passes them to its rows.

A migration that rebuilds ``timeline_event`` or the through table on SQLite (Django's way to alter a
table there) drops triggers, and a rebuilt through table loses the columns: ``ensure`` runs after
every migrate and puts back what is missing, copying the dates afresh. The listing is a pre-filter:
the page's own query still checks each event's dates, so a copy can only cost speed, never a row
that belongs to the answer, as long as it is not stale; the tests check every write path keeps it.
"""

from __future__ import annotations

from django.db.models import BooleanField, F, Func

TABLE = "timeline_event_places"
COLUMNS = {"earliest": "event_earliest", "latest": "event_latest"}
INDEX = "event_places_place_dates_idx"
COPY_ON_INSERT = "event_places_dates_on_insert"
COPY_ON_EVENT_UPDATE = "event_dates_to_places"
# SQLite has no BEFORE … OR UPDATE OF in one trigger: a row moved to another event (SQL by hand) has
# a trigger of its own there, as PostgreSQL's insert trigger covers it.
COPY_ON_MOVE = "event_places_dates_on_move"

_BACKFILL = (f"UPDATE {TABLE} SET event_earliest = (SELECT e.earliest FROM timeline_event e WHERE e.id = {TABLE}.event_id), "
             f"event_latest = (SELECT e.latest FROM timeline_event e WHERE e.id = {TABLE}.event_id)")
_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} (place_id, event_latest, event_earliest, event_id)"

POSTGRESQL = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS event_earliest date, ADD COLUMN IF NOT EXISTS event_latest date",
    f"""CREATE OR REPLACE FUNCTION {COPY_ON_INSERT}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT e.earliest, e.latest INTO NEW.event_earliest, NEW.event_latest
        FROM timeline_event e WHERE e.id = NEW.event_id;
        RETURN NEW;
    END $$""",
    f"DROP TRIGGER IF EXISTS {COPY_ON_INSERT} ON {TABLE}",
    f"CREATE TRIGGER {COPY_ON_INSERT} BEFORE INSERT OR UPDATE OF event_id ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {COPY_ON_INSERT}()",
    f"""CREATE OR REPLACE FUNCTION {COPY_ON_EVENT_UPDATE}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} SET event_earliest = NEW.earliest, event_latest = NEW.latest WHERE event_id = NEW.id;
        RETURN NULL;
    END $$""",
    f"DROP TRIGGER IF EXISTS {COPY_ON_EVENT_UPDATE} ON timeline_event",
    f"CREATE TRIGGER {COPY_ON_EVENT_UPDATE} AFTER UPDATE OF earliest, latest ON timeline_event FOR EACH ROW "
    f"WHEN (OLD.earliest IS DISTINCT FROM NEW.earliest OR OLD.latest IS DISTINCT FROM NEW.latest) "
    f"EXECUTE FUNCTION {COPY_ON_EVENT_UPDATE}()",
    _BACKFILL,
    _INDEX_SQL,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS {COPY_ON_EVENT_UPDATE} ON timeline_event",
    f"DROP FUNCTION IF EXISTS {COPY_ON_EVENT_UPDATE}()",
    f"DROP TRIGGER IF EXISTS {COPY_ON_INSERT} ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {COPY_ON_INSERT}()",
    f"DROP INDEX IF EXISTS {INDEX}",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS event_earliest, DROP COLUMN IF EXISTS event_latest",
]

# SQLite's trigger body for a row that is new or names another event: its event's dates copied onto it.
_COPY_INTO_NEW_ROW = (
    f"UPDATE {TABLE} SET event_earliest = (SELECT e.earliest FROM timeline_event e WHERE e.id = NEW.event_id), "
    f"event_latest = (SELECT e.latest FROM timeline_event e WHERE e.id = NEW.event_id) WHERE id = NEW.id; END"
)
_SQLITE_TRIGGERS = {
    COPY_ON_INSERT: (
        f"CREATE TRIGGER {COPY_ON_INSERT} AFTER INSERT ON {TABLE} FOR EACH ROW BEGIN "
        f"{_COPY_INTO_NEW_ROW}"
    ),
    COPY_ON_MOVE: (
        f"CREATE TRIGGER {COPY_ON_MOVE} AFTER UPDATE OF event_id ON {TABLE} FOR EACH ROW BEGIN "
        f"{_COPY_INTO_NEW_ROW}"
    ),
    COPY_ON_EVENT_UPDATE: (
        f"CREATE TRIGGER {COPY_ON_EVENT_UPDATE} AFTER UPDATE OF earliest, latest ON timeline_event FOR EACH ROW "
        f"WHEN OLD.earliest IS NOT NEW.earliest OR OLD.latest IS NOT NEW.latest BEGIN "
        f"UPDATE {TABLE} SET event_earliest = NEW.earliest, event_latest = NEW.latest WHERE event_id = NEW.id; END"
    ),
}


def install(connection) -> None:
    """Migration 0015: the columns, their triggers, the copy of every event's dates and the index."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in POSTGRESQL:
                cursor.execute(statement)
        else:
            ensure(connection)


def uninstall(connection) -> None:
    """Migration 0015 reversed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in POSTGRESQL_REVERSE:
                cursor.execute(statement)
            return
        for name in _SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        for column in COLUMNS.values():
            if column in _sqlite_columns(cursor):
                cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN {column}")


def _sqlite_columns(cursor) -> set[str]:
    cursor.execute(f"PRAGMA table_info({TABLE})")
    return {row[1] for row in cursor.fetchall()}


def ensure(connection) -> list[str]:
    """SQLite, after every ``migrate`` (and by migration 0015): put back the columns and triggers a
    table rebuild dropped, and copy the dates again if anything was missing. Returns what was made.
    Nothing happens on PostgreSQL (it alters tables in place) or before the through table exists."""
    if connection.vendor != "sqlite":
        return []
    made: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')")
        present = {name for _, name in cursor.fetchall()}
        if TABLE not in present or "timeline_event" not in present:
            return []
        columns = _sqlite_columns(cursor)
        for column in COLUMNS.values():
            if column not in columns:
                cursor.execute(f"ALTER TABLE {TABLE} ADD COLUMN {column} date NULL")
                made.append(column)
        for name, sql in _SQLITE_TRIGGERS.items():
            if name not in present:
                cursor.execute(sql)
                made.append(name)
        if made:  # writes may have gone uncopied meanwhile
            cursor.execute(_BACKFILL)
        if INDEX not in present:
            cursor.execute(_INDEX_SQL)
            made.append(INDEX)
    return made


class CopiedDates(Func):
    """A through row's copied dates meet ``bounds``: ``[("earliest" | "latest", "<=" | ">=", date)]``,
    the window ``selectors.events_in_range`` applied to the events, said of the copies."""

    output_field = BooleanField()

    def __init__(self, bounds):
        self.bounds = [(COLUMNS[field], op, value) for field, op, value in bounds]
        if any(op not in ("<=", ">=") for _, op, _ in self.bounds):
            raise ValueError("CopiedDates: only <= and >= bounds")
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        pk, _ = compiler.compile(self.get_source_expressions()[0])
        alias = pk.rsplit(".", 1)[0]  # the through table as this query names it
        parts, params = [], []
        for column, op, value in self.bounds:
            parts.append(f"{alias}.{connection.ops.quote_name(column)} {op} %s")
            params.append(connection.ops.adapt_datefield_value(value))
        return "(" + " AND ".join(parts) + ")", params

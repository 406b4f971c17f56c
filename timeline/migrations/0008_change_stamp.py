"""The change stamp (``timeline.models.ChangeStamp``) and the triggers that move it on.

Every table whose rows the API shows gets a trigger that, after any insert, update or delete (and,
on PostgreSQL, truncate), adds one to ``generation`` and sets ``changed``, in the same transaction as
the write: the stamp a reader sees changes exactly when a write to those tables commits.

- PostgreSQL: one trigger per table, FOR EACH STATEMENT (a bulk insert of thousands of rows bumps it
  once). The bump's row lock is held until the writer commits, so writers to these tables commit one
  after another; each bump therefore gives a new value, and a reader never sees a write without its
  bump. ``clock_timestamp()`` is the time of the write.
- SQLite: FOR EACH ROW (SQLite has no statement triggers); writers are one at a time anyway.

The bump is an upsert, so a stamp row deleted or truncated (``manage.py flush``) is made again.
"""

from django.db import migrations, models

TABLES = (
    "timeline_event",
    "timeline_participation",
    "timeline_citation",
    "timeline_event_places",
    "timeline_party",
    "timeline_source",
    "timeline_place",
)

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION timeline_change_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO timeline_changestamp (id, generation, changed) VALUES (1, 1, clock_timestamp())
    ON CONFLICT (id) DO UPDATE
        SET generation = timeline_changestamp.generation + 1, changed = EXCLUDED.changed;
    RETURN NULL;
END
$$;
"""

SQLITE_BUMP = (
    "INSERT INTO timeline_changestamp (id, generation, changed) "
    "VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (id) DO UPDATE SET generation = generation + 1, changed = excluded.changed"
)


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER {table}_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION timeline_change_stamp_bump()"
                )
            cursor.execute("INSERT INTO timeline_changestamp (id, generation, changed) VALUES (1, 1, clock_timestamp())")
        elif connection.vendor == "sqlite":
            for table in TABLES:
                for operation in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER {table}_change_stamp_{operation.lower()} AFTER {operation} ON {table} "
                        f"FOR EACH ROW BEGIN {SQLITE_BUMP}; END"
                    )
            cursor.execute(
                "INSERT INTO timeline_changestamp (id, generation, changed) "
                "VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now'))"
            )
        else:
            raise NotImplementedError(f"no change-stamp triggers for {connection.vendor}")


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_change_stamp ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS timeline_change_stamp_bump()")
        else:
            for table in TABLES:
                for operation in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_change_stamp_{operation}")


class Migration(migrations.Migration):
    dependencies = [("timeline", "0007_merge_0006_row_versions_0006_seed_record")]

    operations = [
        migrations.CreateModel(
            name="ChangeStamp",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("generation", models.BigIntegerField(default=0)),
                ("changed", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

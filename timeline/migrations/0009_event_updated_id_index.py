"""An index on (updated, id) for the ``ordering=updated`` / ``-updated`` lists (syncing clients'
``?updated_since=…&ordering=updated``), on PostgreSQL only.

Those lists are ordered by (updated, id). On PostgreSQL the ``updated`` index alone does not give
that order: an import stamps thousands of events with one time, so the planner read every event
changed since the given time and sorted them (a parallel sequential scan, 0.24 s a page at 200,000
events; bench/filters_bench.py). With (updated, id) the page is read in order and the walk stops
when it is full. SQLite needs nothing: its index on ``updated`` ends with the rowid, the id.
"""

from django.db import migrations

INDEX = "event_updated_id_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON timeline_event (updated, id)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0008_event_search_fts5"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

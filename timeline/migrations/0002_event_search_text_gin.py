"""A GIN index for the API's full-text search (`?q=`) over Event.search_text, on PostgreSQL only.

The indexed expression must be the one timeline.selectors.events_matching queried (until migration 0012 stored the vector):
``to_tsvector('english'::regconfig, search_text)``. SQLite has no such index; its fallback is a LIKE.
"""

from django.db import migrations

INDEX = "event_search_text_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON timeline_event "
        "USING GIN (to_tsvector('english'::regconfig, search_text))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

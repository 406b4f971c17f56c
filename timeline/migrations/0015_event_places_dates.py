"""An event's dates copied onto its places' rows, kept by triggers, and an index on them:
``?place=`` applies the date window while it lists a place's events (``timeline.place_dates``).

The ``(place_id, event_id)`` index of migration 0014 is dropped: the new index begins with
``place_id`` and ends with ``event_id``, so it also serves a listing without a window.
"""

from django.db import migrations

from timeline import place_dates

OLD_INDEX = "event_places_place_event_idx"


def forwards(apps, schema_editor):
    place_dates.install(schema_editor.connection)
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def backwards(apps, schema_editor):
    place_dates.uninstall(schema_editor.connection)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON timeline_event_places (place_id, event_id)")


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0014_event_places_place_event_idx"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

"""A covering index of an event's places by place: ``(place_id, event_id)``.

``?place=`` reads the events at a place first when they are few (``timeline.id_lists``). Django's
index on the through table's ``place_id`` alone made that read look each row up in the table: 9 ms of a
40 ms page for a place with 6,667 of 1,000,000 events on SQLite (bench/filters_bench.py). The through
table is Django's own (``Event.places``), so the index is made here rather than in a model's Meta.
"""

from django.db import migrations

INDEX = "event_places_place_event_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0013_event_filter_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON timeline_event_places (place_id, event_id)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]

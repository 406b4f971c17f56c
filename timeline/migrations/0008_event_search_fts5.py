"""The text search's index on SQLite: an FTS5 table over Event.search_text, kept by triggers.

PostgreSQL has its GIN index (0002) and gets nothing here. On SQLite this creates
``timeline_event_fts`` (external content: the text stays in timeline_event only), the triggers that
keep it in step with every insert, update and delete, and indexes the events already stored.
See ``timeline.text_search``.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from timeline import text_search

    text_search.ensure_index(schema_editor.connection, create=True)


def drop_index(apps, schema_editor):
    from timeline import text_search

    text_search.drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0007_merge_0006_row_versions_0006_seed_record"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

"""PostgreSQL's text search reads a stored ``tsvector`` (``search_vector``) instead of computing
``to_tsvector('english', search_text)`` for every event it checks.

A common word's page is read by walking the date order and checking each event (a GIN list of
600,000 matches would cost more than the page): computed per event, the check cost about 30 µs, and
twenty common words checked over a two-year window at 1,000,000 events took 0.5 s. Stored, the
column is kept by PostgreSQL itself (``GENERATED ALWAYS … STORED``: the ORM, the bulk import's
``COPY`` and raw SQL cannot leave it out of step), at the cost of the vector's bytes in each row.
Its GIN index replaces the expression index of migration 0002, and ``ANALYZE`` keeps its lexemes'
statistics, which ``timeline.selectors`` reads to choose between listing matches and walking.

The column is not a model field: SQLite has no ``tsvector`` (it searches an FTS5 table, migration
0008), and nothing but the search reads it.
"""

from django.db import migrations

OLD_INDEX = "event_search_text_gin"
COLUMN, INDEX = "search_vector", "event_search_vector_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE timeline_event ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
        "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON timeline_event USING GIN ({COLUMN})")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON timeline_event "
        "USING GIN (to_tsvector('english'::regconfig, search_text))"
    )
    schema_editor.execute(f"ALTER TABLE timeline_event DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0011_event_finite_span_idx"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

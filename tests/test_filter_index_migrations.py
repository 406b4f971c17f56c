"""Migrations 0012–0015 (issue 19): PostgreSQL's stored tsvector, the filters' indexes. Events stored
before them are searchable after them, and the migrations reverse and apply again on both databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from timeline import selectors, services
from timeline.models import Event

BEFORE = [("timeline", "0011_event_finite_span_idx")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def _latest():
    return [(app, name) for app, name in MigrationExecutor(connection).loader.graph.leaf_nodes() if app == "timeline"]


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        names = set()
        for table in ("timeline_event", "timeline_event_places"):
            names |= set(connection.introspection.get_constraints(cursor, table))
        return names


@pytest.mark.django_db(transaction=True)
def test_events_stored_before_the_migrations_are_found_after_them_and_the_migrations_reverse():
    services.event_create(title="Truce talks in Geneva", date="2022-03-01", status=Event.Status.REVIEWED)
    _migrate(BEFORE)
    try:
        gone = _indexes()
        assert "event_uncertain_idx" not in gone and "event_places_place_dates_idx" not in gone
        if connection.vendor == "postgresql":
            assert "event_search_vector_gin" not in gone and "event_search_text_gin" in gone
    finally:
        _migrate(_latest())
    back = _indexes()
    assert {"event_uncertain_idx", "event_approximate_idx", "event_places_place_dates_idx"} <= back
    assert "event_places_place_event_idx" not in back  # 0014's, replaced by 0015's
    if connection.vendor == "postgresql":
        assert "event_search_vector_gin" in back and "event_search_text_gin" not in back
    assert [e.title for e in selectors.events_matching(q="truce")] == ["Truce talks in Geneva"]

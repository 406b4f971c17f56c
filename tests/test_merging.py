"""events_merge: one event out of duplicates, in one transaction."""

import pytest
from django.core.exceptions import ValidationError

from timeline import services
from timeline.merging import events_merge
from timeline.models import Citation, Event, Participation

QUOTE_2024 = "On February 24, 2022, Russia launched a military operation in Ukraine"
QUOTE_2023 = "in September 2022, the U.S. officials received never-before-reported overtures from the Kremlin"


@pytest.fixture
def duplicate(db, russia, ukraine, zelensky, article_2023):
    """The invasion again, as a draft citing the other article, with a role the original lacks."""
    return services.event_create(
        title="Russian forces enter Ukraine",
        date="February 2022",
        kind="military_action",
        parties=[(russia, "actor"), (zelensky, "mentioned")],
        citations=[services.CitationInput(source=article_2023, quote=QUOTE_2023)],
    )


def test_citations_and_participations_move_to_the_survivor(invasion, duplicate, zelensky, article_2023):
    survivor = events_merge(survivor=invasion, others=[duplicate])
    assert not Event.objects.filter(pk=duplicate.pk).exists()
    assert sorted(survivor.citations.values_list("quote", flat=True)) == sorted([QUOTE_2024, QUOTE_2023])
    assert set(survivor.participations.values_list("party__slug", "role")) == {
        ("russia", "actor"),
        ("ukraine", "target"),
        ("volodymyr-zelensky", "mentioned"),
    }
    assert survivor.date_text == "February 24, 2022"  # the survivor keeps its own (more precise) date
    assert QUOTE_2023 in Event.objects.get(pk=survivor.pk).search_text


def test_duplicates_are_dropped_not_doubled(invasion, russia, article_2024):
    twin = services.event_create(
        title="Invasion",
        date="2022-02-24",
        kind="military_action",
        parties=[(russia, "actor")],
        citations=[services.CitationInput(source=article_2024, quote=QUOTE_2024)],
    )
    events_merge(survivor=invasion, others=[twin])
    assert Citation.objects.filter(event=invasion).count() == 1
    assert Participation.objects.filter(event=invasion, party=russia, role="actor").count() == 1
    assert Event.objects.count() == 1


@pytest.fixture
def curated(monkeypatch):
    """Keys that the fixtures define (the real ones are read from fixtures/*.json)."""
    keys = {"russia-invades", "russia-enters"}
    monkeypatch.setattr("timeline.merging.curated_event_keys", lambda: keys)
    return keys


def test_events_with_generated_keys_merge_and_the_survivor_keeps_its_key(invasion, duplicate, curated):
    kept = invasion.key
    survivor = events_merge(survivor=invasion, others=[duplicate])
    assert Event.objects.get(pk=survivor.pk).key == kept
    assert Event.objects.count() == 1


def test_a_curated_key_moves_to_a_survivor_without_one(invasion, duplicate, curated):
    Event.objects.filter(pk=invasion.pk).update(key="russia-invades")
    survivor = events_merge(survivor=duplicate, others=[Event.objects.get(pk=invasion.pk)])
    assert Event.objects.get(pk=survivor.pk).key == "russia-invades"


def test_two_curated_events_are_not_merged(invasion, duplicate, curated):
    Event.objects.filter(pk=invasion.pk).update(key="russia-invades")
    Event.objects.filter(pk=duplicate.pk).update(key="russia-enters")
    with pytest.raises(ValidationError, match="keys russia-invades, russia-enters"):
        events_merge(survivor=Event.objects.get(pk=invasion.pk), others=[Event.objects.get(pk=duplicate.pk)])
    assert Event.objects.count() == 2


def test_the_curated_keys_are_those_of_the_fixture_events():
    from timeline.merging import curated_event_keys

    keys = curated_event_keys()
    assert "russia-launches-military-operation-in-ukraine" in keys
    assert len(keys) >= 8


def test_the_survivor_cannot_be_among_the_others(invasion):
    with pytest.raises(ValidationError, match="cannot also be one of"):
        events_merge(survivor=invasion, others=[invasion])


def test_nothing_to_merge_is_an_error(invasion):
    with pytest.raises(ValidationError, match="Nothing to merge"):
        events_merge(survivor=invasion, others=[])


def test_a_vanished_event_stops_the_merge_and_changes_nothing(invasion, duplicate, overtures):
    ghost = Event.objects.get(pk=overtures.pk)
    Event.objects.filter(pk=overtures.pk).delete()
    with pytest.raises(ValidationError, match="no longer exist"):
        events_merge(survivor=invasion, others=[duplicate, ghost])
    assert Event.objects.filter(pk=duplicate.pk).exists()
    assert duplicate.citations.count() == 1

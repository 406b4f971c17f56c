"""Events read from the database are the instances Django's own ``Model.from_db`` builds."""

from __future__ import annotations

from django.db import models
from django.db.models.signals import post_init

from timeline.models import Event


def _fields(event: Event) -> dict:
    return {name: value for name, value in event.__dict__.items() if name != "_state"}


def test_a_loaded_event_equals_the_one_django_builds(invasion):
    row = Event.objects.filter(pk=invasion.pk).values_list(*[f.attname for f in Event._meta.concrete_fields]).get()
    names = [f.attname for f in Event._meta.concrete_fields]
    ours = Event.from_db("default", names, row)
    django = models.Model.from_db.__func__(Event, "default", names, row)
    assert _fields(ours) == _fields(django)
    assert (ours._state.adding, ours._state.db) == (django._state.adding, django._state.db) == (False, "default")


def test_a_loaded_event_with_deferred_fields_loads_them_on_access(invasion):
    event = Event.objects.defer("search_text", "summary").get(pk=invasion.pk)
    assert event.get_deferred_fields() == {"search_text", "summary"}
    assert event.summary == invasion.summary
    assert "summary" in event.__dict__


def test_a_loaded_event_saves_changes_and_refreshes(invasion, article_2024):
    event = Event.objects.get(pk=invasion.pk)
    event.title = "Renamed"
    event.date_anchor = article_2024
    event.save()
    stored = Event.objects.get(pk=invasion.pk)
    assert (stored.title, stored.date_anchor_id, stored.date_anchor) == ("Renamed", article_2024.pk, article_2024)
    stored.refresh_from_db()
    assert stored.title == "Renamed"


def test_a_post_init_receiver_still_sees_loaded_events(invasion):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=Event)
    try:
        Event.objects.get(pk=invasion.pk)
    finally:
        post_init.disconnect(receiver, sender=Event)
    assert invasion.pk in seen


def test_events_have_no_init_of_their_own_that_loading_would_skip():
    # Event.from_db builds instances without __init__: an __init__ added to Event or a parent
    # would silently not run for loaded events.
    assert Event.__init__ is models.Model.__init__

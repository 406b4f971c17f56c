"""A served page is freed when its response is, not left to Python's cycle collector.

DRF's response and list serializer sit in reference cycles (the view holds the response, the
response its own renderer context, a list serializer its child and back). Everything a page
reached then lived until the collector ran, and the collector's passes over those objects cost a
tenth of a page's time (bench/RESULTS.md).
"""

from __future__ import annotations

import gc
from collections import Counter

import pytest
from django.test import RequestFactory

from api.filters import EventFilterSet
from api.views import EventViewSet

pytestmark = pytest.mark.usefixtures("drafts_public")  # reads drafts as an anonymous client (conftest)


@pytest.fixture
def collector_paused():
    gc.collect()
    gc.disable()
    yield
    gc.set_debug(0)
    gc.garbage.clear()
    gc.enable()


def _cyclic_garbage_after(view, path: str, **kwargs) -> Counter:
    response = view(RequestFactory().get(path), **kwargs)
    response.render()
    assert response.status_code == 200, response.content[:500]
    del response
    gc.set_debug(gc.DEBUG_SAVEALL)
    gc.collect()
    return Counter(type(obj).__name__ for obj in gc.garbage)


def test_an_event_page_leaves_no_event_or_row_dict_to_the_cycle_collector(invasion, overtures, collector_paused):
    left = _cyclic_garbage_after(EventViewSet.as_view({"get": "list"}), "/api/events/?start=2022&end=2024")
    assert left["Event"] == 0
    assert left["ListedParticipation"] == left["ListedCitation"] == left["ListedSource"] == 0
    # The page's JSON dicts (one per event, party, citation…) are gone with the response; what the
    # collector still finds is the request's own small cycles (filters, form, view and request).
    assert left["dict"] < 60, left


def test_an_event_detail_leaves_no_event_to_the_cycle_collector(invasion, collector_paused):
    left = _cyclic_garbage_after(EventViewSet.as_view({"get": "retrieve"}), f"/api/events/{invasion.pk}/", pk=invasion.pk)
    assert left["Event"] == 0


def test_each_filter_form_gets_its_own_fields_and_errors():
    first = EventFilterSet({"start": "not a date at all"})
    second = EventFilterSet({"start": "2022-09"})
    assert first.form.fields["start"] is not second.form.fields["start"]
    assert not first.is_valid() and "start" in first.form.errors
    assert second.is_valid(), second.form.errors
    assert EventFilterSet({"start": "2022-09", "end": "2022"}).form.fields.keys() == first.form.fields.keys()


def test_validating_and_rendering_filter_forms_leaves_the_shared_fields_as_they_were(api_client, invasion):
    fields = EventFilterSet({}).get_form_class().base_fields  # built once, shared from here on
    before = {name: dict(vars(field)) for name, field in fields.items()}
    for query in ("party=russia&party=ukraine&start=2022", "party=atlantis", "source=1&place=kyiv", ""):
        assert api_client.get(f"/api/events/?{query}").status_code in (200, 400)
        assert api_client.get(f"/api/events/?{query}&format=api", HTTP_ACCEPT="text/html").status_code in (200, 400)
    assert {name: dict(vars(field)) for name, field in fields.items()} == before
    assert all(getattr(field, "queryset", None) is None or field.queryset._result_cache is None for field in fields.values())

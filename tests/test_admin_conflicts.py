"""The admin's change forms do not overwrite a change saved after they were opened (issue 17): the
form carries the version it showed, and a save of a row changed since is refused with a message
naming the fields that changed and who changed them; nothing is written. Events, parties, sources."""

from __future__ import annotations

import pytest
from django.urls import reverse

from timeline import services
from timeline.models import Event, Party, Source

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    return reverse(f"admin:timeline_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(page) -> dict:
    """What the browser would post back unchanged: the form's and every inline's current values."""
    assert page.status_code == 200
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value

    put(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            put(form)
    return data


def errors(response) -> str:
    return " ".join(response.context["adminform"].form.non_field_errors())


def test_the_change_form_carries_the_version_it_shows(staff_client, overtures):
    page = staff_client.get(change_url(overtures))
    assert page.context["adminform"].form["seen_version"].value() == Event.objects.get(pk=overtures.pk).version
    assert 'name="seen_version"' in page.content.decode()


def test_saving_an_event_form_opened_before_another_change_is_refused_naming_the_field(staff_client, overtures):
    data = form_data(staff_client.get(change_url(overtures)))
    services.event_update(event=Event.objects.get(pk=overtures.pk), summary="Written by a colleague")
    data["title"] = "My title"
    response = staff_client.post(change_url(overtures), data)
    assert response.status_code == 200
    message = errors(response)
    assert "changed" in message and "summary" in message
    stored = Event.objects.get(pk=overtures.pk)
    assert stored.summary == "Written by a colleague"
    assert stored.title != "My title"


def test_the_refusal_names_who_made_the_other_change(staff_client, overtures, django_user_model):
    data = form_data(staff_client.get(change_url(overtures)))
    colleague = django_user_model.objects.create_superuser("colleague", "c@example.org", "a-long-password-456")
    from django.test import Client

    other = Client()
    other.force_login(colleague)
    theirs = form_data(other.get(change_url(overtures)))
    theirs["status"] = "reviewed"
    assert other.post(change_url(overtures), theirs).status_code == 302
    data["title"] = "Mine"
    message = errors(staff_client.post(change_url(overtures), data))
    assert "colleague" in message and "status" in message
    assert Event.objects.get(pk=overtures.pk).status == "reviewed"


def test_a_change_of_an_events_parties_only_is_named_as_such(staff_client, overtures, ukraine):
    data = form_data(staff_client.get(change_url(overtures)))
    services.participation_add(event=overtures, party=ukraine, role="target")
    response = staff_client.post(change_url(overtures), data)
    assert "parties, citations or places" in errors(response)
    assert overtures.participations.filter(party=ukraine).exists()


def test_an_event_form_opened_after_the_last_change_saves(staff_client, overtures):
    services.event_update(event=Event.objects.get(pk=overtures.pk), summary="Earlier change")
    data = form_data(staff_client.get(change_url(overtures)))
    data["title"] = "My title"
    response = staff_client.post(change_url(overtures), data)
    assert response.status_code == 302, errors(response)
    stored = Event.objects.get(pk=overtures.pk)
    assert (stored.title, stored.summary) == ("My title", "Earlier change")


def test_a_party_form_opened_before_another_change_is_refused_naming_the_field(staff_client, russia):
    data = form_data(staff_client.get(change_url(russia)))
    russia.aliases = [*russia.aliases, "Russian Federation"]
    russia.save()
    data["description"] = "Mine"
    response = staff_client.post(change_url(russia), data)
    assert "aliases" in errors(response)
    stored = Party.objects.get(pk=russia.pk)
    assert "Russian Federation" in stored.aliases and stored.description != "Mine"


def test_a_source_form_opened_before_another_change_is_refused_naming_the_field(staff_client, article_2023):
    data = form_data(staff_client.get(change_url(article_2023)))
    article_2023.author = "A colleague's correction"
    article_2023.save()
    data["title"] = "Mine"
    response = staff_client.post(change_url(article_2023), data)
    assert "author" in errors(response)
    stored = Source.objects.get(pk=article_2023.pk)
    assert (stored.author, stored.title) == ("A colleague's correction", article_2023.title)


def test_a_party_form_opened_after_the_last_change_saves(staff_client, russia):
    data = form_data(staff_client.get(change_url(russia)))
    data["description"] = "Mine"
    assert staff_client.post(change_url(russia), data).status_code == 302
    assert Party.objects.get(pk=russia.pk).description == "Mine"

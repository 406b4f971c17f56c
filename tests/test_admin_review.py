"""The editors' review workflow: quotes in the list, mark reviewed, merge, re-resolve dates."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from timeline import services
from timeline.models import Citation, Event

CHANGELIST = reverse("admin:timeline_event_changelist")


@pytest.fixture
def duplicate_invasion(russia, ukraine, article_2023):
    """The invasion as a second article reports it, less precisely: a draft from ingestion."""
    source = services.source_create(
        title="Second report", text="The war began in February 2022 when Russian forces entered Ukraine."
    )
    return services.event_create(
        title="Russian forces enter Ukraine",
        date="February 2022",
        kind="military_action",
        parties=[(russia, "actor"), (ukraine, "target")],
        citations=[
            services.CitationInput(
                source=source, quote="began in February 2022 when Russian forces entered Ukraine"
            )
        ],
    )


def test_review_queue_shows_drafts_with_their_source_quote(staff_client, overtures):
    html = staff_client.get(CHANGELIST, {"status__exact": "draft"}).content.decode()
    assert overtures.title in html
    assert "never-before-reported overtures" in html


def test_mark_reviewed_action(staff_client, overtures):
    staff_client.post(CHANGELIST, {"action": "mark_reviewed", ACTION_CHECKBOX_NAME: [overtures.pk]})
    overtures.refresh_from_db()
    assert overtures.status == "reviewed"
    assert overtures.history.first().history_user.username == "editor"


def test_merge_asks_which_event_to_keep_and_proposes_the_most_precise(
    staff_client, invasion, duplicate_invasion
):
    response = staff_client.post(
        CHANGELIST, {"action": "merge_events", ACTION_CHECKBOX_NAME: [invasion.pk, duplicate_invasion.pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].initial["survivor"] == invasion
    assert Event.objects.count() == 2  # nothing happens before the editor confirms


def test_merge_moves_citations_to_the_survivor_and_deletes_the_duplicate(
    staff_client, invasion, duplicate_invasion
):
    quotes = set(Citation.objects.values_list("quote", flat=True))
    response = staff_client.post(
        CHANGELIST,
        {
            "action": "merge_events",
            "apply": "Merge",
            "survivor": invasion.pk,
            ACTION_CHECKBOX_NAME: [invasion.pk, duplicate_invasion.pk],
        },
    )
    assert response.status_code == 302
    assert list(Event.objects.all()) == [invasion]
    assert set(invasion.citations.values_list("quote", flat=True)) == quotes
    assert invasion.participations.count() == 2  # duplicates of the same party and role dropped
    assert invasion.precision == "day"


def test_merge_needs_two_events(staff_client, invasion):
    response = staff_client.post(
        CHANGELIST, {"action": "merge_events", ACTION_CHECKBOX_NAME: [invasion.pk]}, follow=True
    )
    assert "at least two" in response.content.decode()


def test_re_resolve_dates_follows_a_corrected_anchor(staff_client, article_2024):
    event = services.event_create(
        title="Zelensky's condition", date="November last year", anchor=article_2024
    )
    article_2024.published = services.dates.parse("2025-02")
    article_2024.save()
    staff_client.post(CHANGELIST, {"action": "re_resolve_dates", ACTION_CHECKBOX_NAME: [event.pk]})
    event.refresh_from_db()
    assert event.edtf == "2024-11"


def test_history_can_revert_an_event(staff_client, invasion):
    first = invasion.history.earliest()
    services.event_update(event=invasion, title="A wrong title")
    url = reverse("admin:timeline_event_simple_history", args=[invasion.pk, first.history_id])
    page = staff_client.get(url)
    assert page.status_code == 200
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(
        {
            "title": first.title,
            "date_text": first.date_text,
            "kind": first.kind,
            "status": first.status,
            "end_text": "",
            "summary": first.summary,
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    invasion.refresh_from_db()
    assert invasion.title == first.title


def test_re_resolve_dates_saves_only_the_events_whose_date_changed(staff_client, article_2024, overtures):
    moved = services.event_create(
        title="Zelensky's condition", date="November last year", anchor=article_2024
    )
    article_2024.published = services.dates.parse("2025-02")
    article_2024.save()
    for event in (moved, overtures):
        event.refresh_from_db()
    before = {e.pk: (e.history.count(), e.updated) for e in (moved, overtures)}
    response = staff_client.post(
        CHANGELIST,
        {"action": "re_resolve_dates", ACTION_CHECKBOX_NAME: [moved.pk, overtures.pk]},
        follow=True,
    )
    assert "1 event(s) changed" in response.content.decode()
    moved.refresh_from_db()
    overtures.refresh_from_db()
    assert moved.edtf == "2024-11" and moved.history.count() == before[moved.pk][0] + 1
    assert moved.history.first().history_type == "~"
    assert (overtures.history.count(), overtures.updated) == before[overtures.pk]  # no "Changed" entry


def test_re_resolve_dates_reports_a_date_that_no_longer_reads(staff_client, article_2024):
    event = services.event_create(title="Condition", date="November last year", anchor=article_2024)
    article_2024.published = None
    article_2024.save()
    response = staff_client.post(
        CHANGELIST, {"action": "re_resolve_dates", ACTION_CHECKBOX_NAME: [event.pk]}, follow=True
    )
    html = response.content.decode()
    assert "0 event(s) changed" in html and "needs an anchor" in html
    assert event.history.count() == 1

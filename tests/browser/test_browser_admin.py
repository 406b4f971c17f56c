"""An editor in a real browser: log in, type a free-text date, pick two parties, save."""

import pytest

from timeline.models import Event

pytestmark = pytest.mark.django_db(transaction=True)


def choose_autocomplete(page, container_selector, text):
    page.click(f"{container_selector} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_editor_adds_a_month_event_with_two_parties_and_sees_month_precision(logged_in, russia, ukraine):
    page = logged_in
    page.goto("/admin/timeline/event/add/")
    page.fill("#id_title", "The Kremlin makes truce overtures")
    page.select_option("#id_kind", "proposal")
    page.fill("#id_date_text", "September 2022")
    preview = page.locator("[data-preview-for=id_date_text]")
    preview.get_by_text("2022-09-01 – 2022-09-30").wait_for()
    assert "month" in preview.inner_text()
    choose_autocomplete(page, "#participations-0", "Russia")
    choose_autocomplete(page, "#participations-1", "Ukraine")
    page.select_option("#id_participations-1-role", "target")
    page.click("input[name=_continue]")
    page.get_by_text("was added successfully").wait_for()
    assert page.locator(".fieldBox.field-precision > .readonly").inner_text() == "month"
    assert page.locator(".fieldBox.field-edtf > .readonly").inner_text() == "2022-09"
    assert page.locator(".fieldBox.field-bounds > .readonly").inner_text() == "2022-09-01 – 2022-09-30"
    event = Event.objects.get()
    assert event.precision == "month"
    assert sorted(event.participations.values_list("party__slug", flat=True)) == ["russia", "ukraine"]


def test_date_preview_resolves_relative_text_against_the_anchor_source(logged_in, article_2023):
    page = logged_in
    page.goto("/admin/timeline/event/add/")
    page.fill("#id_date_text", "next March")
    preview = page.locator("[data-preview-for=id_date_text]")
    preview.get_by_text("needs an anchor").wait_for()
    choose_autocomplete(page, ".field-date_anchor", article_2023.title[:20])
    preview.get_by_text("March 2024").wait_for()
    assert "2024-03-01 – 2024-03-31" in preview.inner_text()


def test_editor_merges_two_drafts_and_citations_move(logged_in, russia, ukraine, article_2023, article_2024):
    from timeline import services

    keep = services.event_create(
        title="Russia launches its military operation",
        date="February 24, 2022",
        kind="military_action",
        parties=[(russia, "actor")],
        citations=[
            services.CitationInput(
                source=article_2024,
                quote="On February 24, 2022, Russia launched a military operation in Ukraine",
            )
        ],
    )
    source = services.source_create(
        title="Second report", text="It began in February 2022 when Russian forces entered Ukraine."
    )
    drop = services.event_create(
        title="Russian forces enter Ukraine",
        date="February 2022",
        kind="military_action",
        parties=[(russia, "actor")],
        citations=[
            services.CitationInput(
                source=source, quote="began in February 2022 when Russian forces entered Ukraine"
            )
        ],
    )
    page = logged_in
    page.goto("/admin/timeline/event/?status__exact=draft")
    page.check(f"input[name=_selected_action][value='{keep.pk}']")
    page.check(f"input[name=_selected_action][value='{drop.pk}']")
    page.select_option("select[name=action]", "merge_events")
    page.click("button[name=index]")
    page.get_by_text("Keep which event?").wait_for()
    page.check(f"input[name=survivor][value='{keep.pk}']")
    page.click("input[name=apply]")
    page.get_by_text("Merged 1 event(s)").wait_for()
    assert not Event.objects.filter(pk=drop.pk).exists()
    assert sorted(keep.citations.values_list("source__title", flat=True)) == sorted(
        [article_2024.title, "Second report"]
    )

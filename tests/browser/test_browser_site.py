"""The public pages and the admin's events list at a desktop's and a phone's width, in a real
browser: nothing cut off on the right, the chart drawn for the width, quotes marked on a source."""

from __future__ import annotations

import pytest

from timeline import services
from timeline.models import Event

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def published(invasion, overtures, statements):
    Event.objects.update(status="reviewed")
    return invasion, overtures, statements


def overflow(page) -> int:
    """How far the page reaches beyond the viewport on the right (0: nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_on_a_phone_the_chart_fits_the_screen_and_is_the_narrow_layout(phone, published, artifacts):
    phone.goto("/")
    chart = phone.locator("figure.chart > svg:visible")
    assert chart.count() == 1 and chart.get_attribute("class") == "chart-narrow"
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    for mark in chart.locator("a.mark").all():  # every mark and label inside the screen
        mark_box = mark.bounding_box()
        assert mark_box["x"] >= 0 and mark_box["x"] + mark_box["width"] <= PHONE["width"]
    assert overflow(phone) == 0
    label = chart.locator("text.label").first.bounding_box()
    assert label["height"] >= 9  # drawn near its size, not a wide chart shrunk to a third
    phone.screenshot(path=artifacts / "timeline-phone.png", full_page=True)


def test_at_1280_the_wide_chart_shows_days_as_points_and_labels_them(page, published, artifacts):
    invasion, overtures, _ = published
    page.goto("/")
    chart = page.locator("figure.chart > svg:visible")
    assert chart.get_attribute("class") == "chart-wide"
    day = chart.locator(f"a[href='/events/{invasion.pk}/']")
    assert day.locator("circle").count() == 1 and day.locator("rect").count() == 0
    assert day.locator("text.label").text_content().startswith("Russia launches")
    assert overflow(page) == 0
    page.locator("figure.chart").screenshot(path=artifacts / "timeline-chart-1280.png")


def test_a_source_page_marks_its_quotes_and_fits_a_phone(phone, published, article_2023, artifacts):
    _, overtures, _ = published
    phone.goto(f"/sources/{article_2023.pk}/")
    marks = phone.locator(".article-text mark")
    assert "never-before-reported overtures" in " ".join(marks.all_inner_texts())
    assert overflow(phone) == 0
    phone.screenshot(path=artifacts / "source-phone.png", full_page=True)
    phone.goto(f"/events/{overtures.pk}/")
    phone.get_by_role("link", name="in context").click()
    phone.wait_for_url(f"**/sources/{article_2023.pk}/#c*")


def test_the_admin_events_list_shows_every_column_at_1280(logged_in, published, artifacts, db):
    source = services.source_create(title="Long report " * 10, text="Start. " + "A long quoted passage. " * 30)
    services.event_create(
        title="An event with a long quote and a long title " * 3,
        date="late May or early June 2024",
        kind="annexation",
        citations=[services.CitationInput(source=source, quote=("A long quoted passage. " * 30).strip())],
    )
    page = logged_in
    page.goto("/admin/timeline/event/?status__exact=draft")
    assert page.locator("h1").inner_text() == "Review queue: drafts to review"
    page.goto("/admin/timeline/event/")
    assert page.locator("h1").inner_text() == "Events"
    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth - e.clientWidth") <= 0  # no column cut off
    updated = page.locator("#changelist th.column-updated_on").bounding_box()
    assert updated["x"] + updated["width"] <= 1280
    page.screenshot(path=artifacts / "admin-events-1280.png")

"""A reader on the public timeline page in a real browser."""

import pytest

from timeline import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_filtering_to_2022_shows_invasion_and_overtures_not_2023(
    page, invasion, overtures, statements, artifacts
):
    page.goto("/")
    page.locator("article.event h3").get_by_text(statements.title).wait_for()
    page.screenshot(path=artifacts / "timeline.png", full_page=True)
    page.fill("input[name=start]", "2022")
    page.fill("input[name=end]", "2022")
    page.click("button[type=submit]")
    page.wait_for_url("**/?start=2022&end=2022*")
    body = page.locator("main").inner_text()
    assert invasion.title in body and overtures.title in body
    assert statements.title not in body
    page.screenshot(path=artifacts / "timeline-2022.png", full_page=True)
    assert (artifacts / "timeline.png").stat().st_size > 10_000


def test_imprecise_dates_are_drawn_wider_than_days(page, invasion, overtures):
    page.goto("/")
    chart = page.locator("figure.chart > svg:visible")  # the layout shown at this width
    day = chart.locator(f"a[href='/events/{invasion.pk}/'] circle").bounding_box()
    month = chart.locator(f"a[href='/events/{overtures.pk}/'] rect").bounding_box()
    assert month["width"] > day["width"]


def test_a_script_title_is_shown_as_text(page, db):
    services.event_create(title="<script>alert(1)</script>", date="2022")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto("/")
    page.locator("article.event h3").get_by_text("<script>alert(1)</script>").wait_for()
    assert dialogs == []


def test_event_page_shows_the_quote_and_source(page, overtures, article_2023):
    page.goto(f"/events/{overtures.pk}/")
    assert "never-before-reported overtures" in page.locator("blockquote").inner_text()
    assert page.locator(f"a[href='{article_2023.url}']").count() == 1

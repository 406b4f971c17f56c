"""The Content-Security-Policy in a real browser: the public pages, the admin (lists, a form with its
autocomplete widgets, history), the browsable API and Swagger UI all work under it, and Chromium
reports no violation on any of them (it logs each one to the console)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def violations(page):
    """Every CSP violation the page reports: Chromium's console message and the page's own event."""
    found = []
    page.on("console", lambda m: found.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return found


def test_the_public_pages_work_under_the_policy(page, violations, invasion):
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("article.event").first.wait_for()
    # The kind's colour now comes from a class, not a style attribute: still applied.
    colour = page.locator("article.event").first.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert colour == "rgb(192, 57, 43)"  # --military_action
    page.goto(f"/events/{invasion.pk}/")
    page.get_by_text(invasion.title).first.wait_for()
    assert violations == []


def test_the_admin_works_under_the_policy(logged_in, violations, invasion, russia):
    page = logged_in
    for path in ("/admin/", "/admin/timeline/event/", "/admin/timeline/party/", "/admin/auth/user/",
                 f"/admin/timeline/event/{invasion.pk}/history/", f"/admin/timeline/event/{invasion.pk}/change/"):
        page.goto(path)
        page.locator("#content").wait_for()
    page.goto("/admin/timeline/event/add/")
    page.click("#participations-0 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Rus")
    page.locator(".select2-results__option:has-text('Russia')").wait_for()
    page.keyboard.press("Escape")
    page.fill("#id_date_text", "September 2022")
    page.locator("[data-preview-for=id_date_text]").get_by_text("2022-09-01 – 2022-09-30").wait_for()
    assert violations == []


def test_swagger_ui_and_the_browsable_api_work_under_the_policy(page, violations, invasion):
    page.goto("/api/docs/")
    page.locator(".opblock-tag").first.wait_for(timeout=30_000)  # the operations, read from /api/schema/
    page.goto("/api/events/", wait_until="load")
    page.get_by_text(invasion.title).first.wait_for()
    assert violations == []

"""Our TimelineJS export opened in TimelineJS3 itself (the published library, fetched by
`make browsers` into tests/browser/vendor/), in Debian's Chromium: the document is what the library
draws, not only what our validator accepts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from timeline import services

pytestmark = pytest.mark.django_db(transaction=True)

VENDOR = Path(__file__).parent / "vendor"
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/__timelinejs__/timeline.css">
<script src="/__timelinejs__/timeline.js"></script></head>
<body><div id="timeline-embed" style="width: 1200px; height: 700px"></div>
<script>
fetch(new URLSearchParams(location.search).get("src"))
  .then((response) => response.json())
  .then((data) => { window.timeline = new TL.Timeline("timeline-embed", data); })
  .catch((error) => { window.failure = String(error); });
</script></body></html>"""


@pytest.fixture
def timelinejs(page, live_server):
    """Open an export of ours in TimelineJS3: the library and a page that loads the export are
    served from the live server's origin by the browser itself, so the export is fetched same-origin."""
    found = sorted(VENDOR.glob("timelinejs-*/timeline.js"))
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("TimelineJS3 is missing: run `make browsers`")
        pytest.skip("TimelineJS3 is missing: `make browsers` fetches it")
    library = found[-1].parent

    def serve(route):
        name = route.request.url.split("/__timelinejs__/", 1)[1].split("?", 1)[0]
        if name == "index.html":
            route.fulfill(status=200, content_type="text/html", body=PAGE)
        elif name in ("timeline.js", "timeline.css"):
            route.fulfill(status=200, path=str(library / name))
        else:
            route.fulfill(status=404, body="")

    page.route(f"{live_server.url}/__timelinejs__/**", serve)

    def open_export(query: str):
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        src = f"/api/events/?format=timelinejs{query}"
        page.goto(f"/__timelinejs__/index.html?src={src.replace('&', '%26')}")
        page.locator("#timeline-embed .tl-slide").first.wait_for(state="attached")
        page.wait_for_function("window.timeline && window.timeline.ready")
        assert page.evaluate("window.failure || null") is None
        assert errors == []
        return page

    return open_export


def test_an_empty_result_opens_with_a_title_slide_saying_nothing_matched(timelinejs, artifacts, db):
    services.event_create(title="Outside the range", date="2022")
    page = timelinejs("&start=1990&end=1991")
    assert page.locator(".tl-message-full").count() == 0  # TimelineJS shows its errors there
    title = page.locator("#title")
    title.wait_for()
    assert "No events matching start: 1990 · end: 1991." in title.inner_text()
    assert page.locator("#no-events").count() == 1
    page.screenshot(path=artifacts / "timelinejs-empty.png")


def test_a_season_and_a_decade_are_drawn_as_spans_and_a_day_as_a_point(timelinejs, artifacts, db):
    season = services.event_create(title="A summer", date="summer 2022")
    decade = services.event_create(title="A decade", date="the 1990s")
    day = services.event_create(title="A day", date="24 February 2022")
    page = timelinejs("")
    assert page.locator(".tl-message-full").count() == 0
    classes = {
        event.title: page.locator(f"#event-{event.pk}-marker").get_attribute("class")
        for event in (season, decade, day)
    }
    assert "tl-timemarker-with-end" in classes["A summer"]
    assert "tl-timemarker-with-end" in classes["A decade"]
    assert "tl-timemarker-with-end" not in classes["A day"]
    title = page.locator("#title").inner_text()
    assert "3 events." in title
    page.screenshot(path=artifacts / "timelinejs-spans.png")


def test_a_summary_s_line_breaks_survive_in_the_slide(timelinejs, db):
    event = services.event_create(title="Talks", date="2024", summary="First line\nsecond line\n\nNew paragraph")
    page = timelinejs("")
    page.evaluate(f"window.timeline.goToId('event-{event.pk}')")
    slide = page.locator(f"#event-{event.pk} .tl-text-content")
    slide.wait_for()
    assert slide.locator("br").count() == 1 and slide.locator("p").count() == 2

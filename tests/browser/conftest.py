"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, never a downloaded build)
against pytest-django's live server. Under CI a missing browser fails the run; locally it skips
with the command that installs it (`make browsers`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests make around it
# are ordinary synchronous code, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    if os.environ.get("CI") == "true":
        return  # let the fixture fail loudly: CI must run these tests
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}; `make browsers` installs it")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make browsers` (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def editor(transactional_db, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-123")
    return {"username": "editor", "password": "a-long-password-123"}


@pytest.fixture
def logged_in(page, editor):
    page.goto("/admin/login/")
    page.fill("#id_username", editor["username"])
    page.fill("#id_password", editor["password"])
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


@pytest.fixture(autouse=True)
def _browser_pages_show_drafts(settings):
    """The browser tests draw the events their fixtures create, which are drafts (as the services
    make them); who sees drafts by default is tests/test_drafts_visibility.py's."""
    settings.TIMELINE_PUBLIC_DRAFTS = True

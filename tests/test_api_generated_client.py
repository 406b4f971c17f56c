"""A client generated from our /api/schema/ by openapi-python-client (from PyPI) works against a live
server as generated, without a hand edit (issue 18): it lists events by date range following ``next``
to the end, reads one event, fetches exports through their own operations, and writes with a token.

The generator runs once for the module, in a temporary directory, on the schema the live server
serves; the package is imported from there. Its formatting post-hooks (ruff) are switched off: they
only restyle the code, and the test is about what the code does. Locally a missing generator skips;
under CI (CI=true) it fails, since `make install` installs it (pyproject's test extras)."""

from __future__ import annotations

import csv
import importlib
import io
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar

from timeline import services
from timeline.models import Event

PACKAGE = "timeline_api_client"
CONFIG = f"""\
project_name_override: timeline-api-client
package_name_override: {PACKAGE}
post_hooks: []
"""

pytestmark = pytest.mark.usefixtures("transactional_db")


def _generator() -> str | None:
    """The generator's command, installed next to this interpreter by `make install`."""
    command = Path(sys.executable).with_name("openapi-python-client")
    return str(command) if command.exists() else None


@pytest.fixture(scope="module")
def client_package(django_db_setup, live_server, tmp_path_factory):
    # django_db_setup first: the test database is then dropped after the live server has stopped
    # (and closed its connection), not before.
    command = _generator()
    if command is None:
        message = "openapi-python-client is not installed: `make install` (pyproject.toml's test extras) installs it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    where = tmp_path_factory.mktemp("generated-client")
    (where / "config.yaml").write_text(CONFIG)
    run = subprocess.run(
        [command, "generate", "--url", f"{live_server.url}/api/schema/", "--meta", "none", "--config", "config.yaml"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # The generator reports every part of the document it could not turn into code as a warning.
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(where))
    importlib.invalidate_caches()
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture
def generated(client_package, live_server, editor_token):
    """The generated package's operations and clients: anonymous, and with an editor's token."""
    operations = {
        name: importlib.import_module(f"{PACKAGE}.api.events.{name}")
        for name in (
            "events_list",
            "events_retrieve",
            "events_partial_update",
            "events_create",
            "events_export_csv",
            "events_export_ics",
            "events_export_timelinejs",
        )
    }
    client = importlib.import_module(f"{PACKAGE}.client")
    anonymous = client.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    editor = client.AuthenticatedClient(
        base_url=live_server.url, token=editor_token, prefix="Token", raise_on_unexpected_status=True
    )
    with anonymous, editor:  # closed after the test: a kept-alive connection holds a server thread and its database session
        yield {"models": importlib.import_module(f"{PACKAGE}.models"), **operations, "anonymous": anonymous, "editor": editor}


def chronological(events, *years: str) -> list[str]:
    """The titles of the events of those years, in the API's order: (earliest, latest, id)."""
    ordered = sorted(events, key=lambda e: (e.earliest, e.latest, e.pk))
    return [e.title for e in ordered if e.title[-4:] in years]


@pytest.fixture
def events():
    """Reviewed events (anonymous readers see them) from 2021 to 2024, seven of them in 2022–2023."""
    made = [
        services.event_create(title=f"Event of {date}", date=date, summary="A summary.\nIts second line.")
        for date in ("2021", "March 2022", "September 2022", "late 2022", "2023", "June 2023", "15 June 2023",
                     "December 2023", "2024")
    ]
    Event.objects.update(status="reviewed")
    return made


def test_the_generated_client_lists_a_date_range_following_next_to_the_end(generated, events):
    pages, cursor = [], None
    while True:
        kwargs = {"cursor": cursor} if cursor else {}
        page = generated["events_list"].sync(
            client=generated["anonymous"], start="2022", end="2023", page_size=2, **kwargs
        )
        pages.append([event.title for event in page.results])
        if page.next_ is None:
            break
        (cursor,) = parse_qs(urlsplit(page.next_).query)["cursor"]
    assert [title for page in pages for title in page] == chronological(events, "2022", "2023")
    assert [len(page) for page in pages] == [2, 2, 2, 1]


def test_the_generated_client_reads_one_event_and_sends_ids_as_it_does(generated, events):
    june = next(e for e in events if e.title == "Event of 15 June 2023")
    event = generated["events_retrieve"].sync(id=june.pk, client=generated["anonymous"])
    assert (event.title, event.date.precision, event.date.earliest.isoformat()) == (june.title, "day", "2023-06-15")
    assert event.summary == "A summary.\nIts second line."
    some = generated["events_list"].sync(client=generated["anonymous"], id=[events[0].pk, june.pk])
    assert [e.id for e in some.results] == [events[0].pk, june.pk]


def test_the_generated_client_fetches_each_export_through_its_own_operation(generated, events):
    anonymous = generated["anonymous"]
    response = generated["events_export_csv"].sync_detailed(client=anonymous, start="2022", end="2022", bom=True)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == chronological(events, "2022")
    assert rows[0]["summary"] == "A summary.\nIts second line."

    calendar = generated["events_export_ics"].sync(client=anonymous, start="2023", end="2023")
    assert isinstance(calendar, str)
    vevents = Calendar.from_ical(calendar).walk("VEVENT")
    assert [str(v["SUMMARY"]) for v in vevents] == chronological(events, "2023")

    document = generated["events_export_timelinejs"].sync(client=anonymous, start="2024")
    assert [slide.text.headline for slide in document.events] == ["Event of 2024"]
    assert "1 event" in document.title.text.text
    nothing = generated["events_export_timelinejs"].sync(client=anonymous, start="1900", end="1901")
    assert [slide.unique_id for slide in nothing.events] == ["no-events"]  # still a document, still parsed


def test_the_generated_client_writes_with_a_token(generated, events):
    models = generated["models"]
    march = events[1]
    patched = generated["events_partial_update"].sync(
        id=march.pk, client=generated["editor"], body=models.PatchedEventWrite(title="Renamed in March 2022")
    )
    assert patched.title == "Renamed in March 2022"
    march.refresh_from_db()
    assert march.title == "Renamed in March 2022"

    created = generated["events_create"].sync(
        client=generated["editor"], body=models.EventWrite(title="Talks resume", date="2025")
    )
    assert (created.date.earliest.isoformat(), created.date.latest.isoformat()) == ("2025-01-01", "2025-12-31")
    assert Event.objects.get(pk=created.id).title == "Talks resume"

    refused = generated["events_partial_update"].sync_detailed(
        id=march.pk, client=generated["anonymous"], body=models.PatchedEventWrite(title="Anonymous")
    )
    assert refused.status_code == 401

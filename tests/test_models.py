"""Model rules: quotes match their offsets, constraints hold, fuzzy dates round-trip through columns."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from timeline import services
from timeline.dates import parse
from timeline.models import Citation, Event, Party, Source


def test_a_quote_must_equal_the_source_text_at_its_offsets(invasion, article_2024):
    citation = invasion.citations.get()
    assert article_2024.text[citation.char_start : citation.char_end] == citation.quote
    citation.char_start += 1
    with pytest.raises(ValidationError, match="does not match the source text"):
        citation.full_clean()


def test_offsets_outside_the_text_are_rejected(invasion, article_2024):
    bad = Citation(event=invasion, source=article_2024, quote="x", char_start=10_000, char_end=10_001)
    with pytest.raises(ValidationError, match="outside the source text"):
        bad.full_clean()


def test_citation_service_finds_offsets_from_the_quote(invasion, article_2024):
    citation = services.citation_add(event=invasion, source=article_2024, quote="In November last year")
    assert article_2024.text[citation.char_start : citation.char_end] == "In November last year"


def test_citation_service_refuses_a_quote_not_in_the_source(invasion, article_2024):
    with pytest.raises(ValidationError, match="does not occur"):
        services.citation_add(event=invasion, source=article_2024, quote="Russia surrendered")
    assert invasion.citations.count() == 1


def test_the_database_refuses_an_event_ending_before_it_starts(invasion):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=invasion.pk).update(earliest="2023-01-01", latest="2022-01-01")


def test_the_database_refuses_reversed_citation_offsets(invasion, article_2024):
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(event=invasion, source=article_2024, quote="O", char_start=5, char_end=5)


def test_fuzzy_date_round_trips_through_the_event_columns(overtures):
    stored = Event.objects.get(pk=overtures.pk)
    assert stored.date == parse("September 2022")
    assert (stored.earliest.isoformat(), stored.latest.isoformat()) == ("2022-09-01", "2022-09-30")
    assert stored.precision == "month" and stored.date_label == "September 2022"


def test_open_bounds_are_stored_as_column_limits_and_read_back_as_none(db):
    event = services.event_create(title="Occupation of Crimea", date="2014-02/..")
    stored = Event.objects.get(pk=event.pk)
    assert stored.date.earliest.isoformat() == "2014-02-01"
    assert stored.date.latest is None
    assert stored.latest.isoformat() == "9999-12-31"


def test_the_same_article_is_never_stored_twice(article_2024):
    with pytest.raises(ValidationError, match="already stored"):
        services.source_create(title="Copy", text="  " + article_2024.text.replace(" ", "  "))
    again, created = services.source_get_or_create(title="Copy", text=article_2024.text)
    assert again == article_2024 and not created
    assert Source.objects.count() == 1


def test_a_source_url_is_unique_when_given(article_2023):
    with pytest.raises(ValidationError, match="URL"):
        services.source_create(title="Other", text="Different text.", url=article_2023.url)
    services.source_create(title="No URL 1", text="One text.")
    services.source_create(title="No URL 2", text="Another text.")
    assert Source.objects.filter(url="").count() == 2


def test_source_publication_date_is_fuzzy(article_2024):
    assert article_2024.published.label == "late May – early June 2024?"
    assert article_2024.published_precision == "month"
    assert article_2024.published.uncertain


def test_wikidata_id_must_be_a_q_number(db):
    with pytest.raises(ValidationError, match="Wikidata"):
        services.party_create(name="Nobody", kind="person", wikidata_id="212")
    assert services.party_create(name="Ukraine", kind="state", wikidata_id="Q212").wikidata_id == "Q212"


def test_aliases_make_one_party(zelensky):
    from timeline.selectors import party_for_name

    for name in ("Zelensky", "Zelenskyy", "Volodymyr Zelensky", "zelensky"):
        assert party_for_name(name) == zelensky
    assert party_for_name("Putin") is None


def test_a_party_can_be_affiliated_but_not_to_itself(zelensky, ukraine):
    assert zelensky.affiliation == ukraine
    ukraine.affiliation = ukraine
    with pytest.raises(ValidationError, match="itself"):
        ukraine.full_clean()


def test_every_model_has_a_docstring():
    from django.apps import apps

    for model in apps.get_app_config("timeline").get_models():
        if model.__name__.startswith("Historical"):
            continue
        doc = model.__doc__ or ""
        assert doc and not doc.startswith(f"{model.__name__}("), f"{model.__name__} has no docstring"


def test_history_records_who_changed_events_parties_and_sources(invasion, russia, article_2024):
    assert invasion.history.count() == 1
    services.event_update(event=invasion, title="Russia invades Ukraine")
    assert invasion.history.count() == 2
    assert invasion.history.first().title == "Russia invades Ukraine"
    assert Party.history.filter(slug="russia").exists()
    assert Source.history.filter(id=article_2024.pk).exists()


def test_an_event_saved_without_a_key_gets_one_whoever_saves_it(db):
    # The admin's form and scripts save the model directly, not through the services.
    event = Event(title="Bürgenstock summit", kind="meeting")
    event.date = parse("15–16 June 2024")
    event.date_text = "15–16 June 2024"
    event.save()
    assert Event.objects.get(pk=event.pk).key == "burgenstock-summit-2024-06-15-2024-06-16"
    assert event.history.get().key == event.key


def test_the_database_refuses_an_event_without_a_key(invasion):
    for empty in (None, ""):
        with pytest.raises(IntegrityError), transaction.atomic():
            Event.objects.filter(pk=invasion.pk).update(key=empty)


def test_a_key_taken_by_a_concurrent_writer_meanwhile_makes_the_save_take_the_next(db, monkeypatch):
    services.event_create(title="Summit", date="2024", key="summit-2024")
    from timeline.models import EventManager

    real, calls = EventManager.free_key, []

    def stale(self, base):  # what a writer saw before the other one committed
        calls.append(base)
        return "summit-2024" if len(calls) == 1 else real(self, base)

    monkeypatch.setattr(EventManager, "free_key", stale)
    event = services.event_create(title="Summit", date="2024")
    assert event.key == "summit-2024-2" and len(calls) == 2
    assert Event.objects.count() == 2


def test_participations_and_citations_record_when_they_were_made_and_last_changed(invasion):
    participation, citation = invasion.participations.first(), invasion.citations.first()
    assert participation.created is not None and citation.created is not None
    made, before = participation.created, participation.updated
    participation.role = "participant"
    participation.save()
    participation.refresh_from_db()
    assert participation.created == made and participation.updated > before

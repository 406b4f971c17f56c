"""Writes: all-or-nothing, dates read through the fuzzy-date module, anchors from sources."""

import pytest
from django.core.exceptions import ValidationError

from timeline import services
from timeline.models import Citation, Event, Participation


def test_relative_event_date_resolves_against_the_anchor_source(article_2024):
    event = services.event_create(
        title="Zelensky's condition", date="November last year", anchor=article_2024
    )
    assert (event.edtf, event.precision, event.date_label) == ("2023-11", "month", "November 2023")
    assert event.date_text == "November last year"


def test_relative_date_without_anchor_is_a_field_error(db):
    with pytest.raises(ValidationError) as info:
        services.event_create(title="x", date="next March")
    assert "needs an anchor" in info.value.message_dict["date"][0]


def test_an_optional_end_makes_a_span(db):
    event = services.event_create(title="Bürgenstock summit", date="15 June 2024", end="16 June 2024")
    assert (event.edtf, event.date_label) == ("2024-06-15/2024-06-16", "15–16 June 2024")
    assert event.end_text == "16 June 2024"


def test_an_end_before_the_start_is_refused(db):
    with pytest.raises(ValidationError) as info:
        services.event_create(title="x", date="16 June 2024", end="15 June 2024")
    assert "before the start" in info.value.message_dict["end"][0]
    assert Event.objects.count() == 0


def test_a_failing_citation_leaves_nothing_half_written(russia, article_2024):
    with pytest.raises(ValidationError):
        services.event_create(
            title="x",
            date="2022",
            parties=[(russia, "actor")],
            citations=[services.CitationInput(source=article_2024, quote="not in the text")],
        )
    assert (Event.objects.count(), Participation.objects.count(), Citation.objects.count()) == (0, 0, 0)


def test_unknown_role_is_refused(invasion, russia):
    with pytest.raises(ValidationError, match="Unknown role"):
        services.participation_add(event=invasion, party=russia, role="villain")


def test_update_replaces_parties_and_re_reads_the_date(invasion, russia):
    services.event_update(event=invasion, date="2022-02-24~", parties=[(russia, "actor")])
    invasion.refresh_from_db()
    assert invasion.approximate and invasion.date_label == "c. 24 February 2022"
    assert list(invasion.participations.values_list("party__slug", "role")) == [("russia", "actor")]


def test_update_refuses_unknown_fields(invasion):
    with pytest.raises(ValidationError):
        services.event_update(event=invasion, earliest="2020-01-01")


def test_redate_follows_a_corrected_anchor(article_2024):
    event = services.event_create(title="x", date="November last year", anchor=article_2024)
    article_2024.published = services.dates.parse("2025-01-15")
    article_2024.save()
    services.event_redate(event=event)
    assert event.edtf == "2024-11"


def test_search_text_holds_title_summary_and_quotes(invasion):
    invasion.refresh_from_db()
    assert "Russia launches" in invasion.search_text
    assert "On February 24, 2022, Russia launched" in invasion.search_text


# --- keys ----------------------------------------------------------------------------------------


def test_an_event_created_without_a_key_gets_a_readable_one_from_its_title_and_date(db):
    event = services.event_create(title="Truce overtures", date="September 2022")
    assert Event.objects.get(pk=event.pk).key == "truce-overtures-2022-09"


def test_a_key_already_taken_gets_a_numeric_suffix(db):
    keys = [services.event_create(title="Truce overtures", date="September 2022").key for _ in range(3)]
    assert keys == ["truce-overtures-2022-09", "truce-overtures-2022-09-2", "truce-overtures-2022-09-3"]
    services.event_create(title="Other", date="2022", key="truce-overtures-2022-09-5")
    more = [services.event_create(title="Truce overtures", date="September 2022").key for _ in range(2)]
    assert more == ["truce-overtures-2022-09-4", "truce-overtures-2022-09-6"]


def test_a_key_after_many_collisions_is_still_free(db):
    for _ in range(14):
        services.event_create(title="Statement", date="2023-11")
    assert Event.objects.filter(key__startswith="statement-2023-11").count() == 14
    assert services.event_create(title="Statement", date="2023-11").key == "statement-2023-11-15"


def test_a_long_or_non_latin_title_gives_a_trimmed_slug(db):
    long = services.event_create(title="The Kremlin makes truce overtures " * 8, date="2022-09-15")
    assert long.key.startswith("the-kremlin-makes-truce-overtures-") and long.key.endswith("-2022-09-15")
    assert len(long.key) <= 120 and "--" not in long.key
    assert services.event_create(title="Переговоры в Минске", date="2022").key == "event-2022"


def test_a_given_key_is_kept_and_a_duplicate_refused(db):
    assert services.event_create(title="x", date="2022", key="curated-one").key == "curated-one"
    with pytest.raises(ValidationError) as info:
        services.event_create(title="y", date="2022", key="curated-one")
    assert "key" in info.value.message_dict
    assert Event.objects.count() == 1


def test_an_update_without_a_key_keeps_the_key(db):
    event = services.event_create(title="Truce overtures", date="September 2022")
    services.event_update(event=event, key=None, title="The Kremlin's truce overtures", date="2022-09-20")
    assert Event.objects.get(pk=event.pk).key == "truce-overtures-2022-09"  # stable: not re-made
    services.event_update(event=event, key="kremlin-truce-overtures")
    assert Event.objects.get(pk=event.pk).key == "kremlin-truce-overtures"

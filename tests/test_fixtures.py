"""The curated fixtures: loadable with loaddata, idempotent, and faithful to the seed texts."""

from datetime import date

import pytest
from django.core.management import call_command

from timeline import services
from timeline.ingest.fixtures import fixture_file_load
from timeline.models import Citation, Event, Party, Source
from timeline.quotes import check_quote


@pytest.fixture
def fixture_files(fixtures_dir):
    return sorted(fixtures_dir.glob("*.json"))


@pytest.fixture
def curated(db, fixture_files):
    for path in fixture_files:
        fixture_file_load(path=path)


def test_loaddata_loads_them_and_loading_twice_changes_nothing(fixture_files, timeline_snapshot):
    call_command("loaddata", *map(str, fixture_files), verbosity=0)
    before = timeline_snapshot()
    assert Event.objects.count() >= 16
    call_command("loaddata", *map(str, fixture_files), verbosity=0)
    assert timeline_snapshot() == before


def test_every_curated_record_passes_the_loaders_checks(fixture_files, db):
    reports = [fixture_file_load(path=path) for path in fixture_files]
    assert all(r.updated == 0 and r.unchanged == 0 for r in reports)
    assert sum(r.created for r in reports) > 100


@pytest.mark.parametrize(
    "key, earliest, latest, precision, seeds",
    [
        (
            "russia-launches-military-operation-in-ukraine",
            date(2022, 2, 24),
            date(2022, 2, 24),
            "day",
            {"000", "002"},
        ),
        ("kremlin-truce-overtures-to-us-officials", date(2022, 9, 1), date(2022, 9, 30), "month", {"002"}),
        (
            "zelensky-decree-rules-out-negotiations-with-putin",
            date(2022, 1, 1),
            date(2022, 12, 31),
            "year",
            {"000"},
        ),
        ("zelensky-talks-only-once-crimea-returned", date(2023, 11, 1), date(2023, 11, 30), "month", {"000"}),
        (
            "zelensky-not-ready-for-talks-until-withdrawal",
            date(2023, 11, 1),
            date(2023, 11, 30),
            "month",
            {"002"},
        ),
        ("nyt-reports-putin-open-to-ceasefire", date(2023, 12, 23), date(2023, 12, 23), "day", {"002"}),
        ("russian-presidential-election-march-2024", date(2024, 3, 1), date(2024, 3, 31), "month", {"002"}),
        (
            "putin-in-belarus-talks-on-facts-on-the-ground",
            date(2024, 5, 21),
            date(2024, 6, 10),
            "month",
            {"000"},
        ),
    ],
)
def test_the_issues_events_are_dated_as_the_text_dates_them(curated, key, earliest, latest, precision, seeds):
    event = Event.objects.get(key=key)
    assert (event.earliest, event.latest, event.precision) == (earliest, latest, precision)
    assert event.status == "reviewed"
    cited = {c.source.title for c in event.citations.select_related("source")}
    titles = {"000": "Putin Expresses Readiness", "002": "Russian President Putin Expresses"}
    assert {seed for seed, title in titles.items() if any(t.startswith(title) for t in cited)} == seeds


def test_the_invasion_has_two_citations_one_per_seed(curated):
    invasion = Event.objects.get(key="russia-launches-military-operation-in-ukraine")
    assert invasion.citations.values("source").distinct().count() == 2
    assert set(invasion.participations.values_list("party__slug", "role")) == {
        ("russia", "actor"),
        ("ukraine", "target"),
    }


def test_putins_words_are_quoted_and_attributed_to_him(curated):
    event = Event.objects.get(key="putin-in-belarus-talks-on-facts-on-the-ground")
    quote = event.citations.get(attributed_to__slug="vladimir-putin").quote
    assert quote.startswith("There is talk again about the necessity of returning to negotiations.")
    assert event.date.uncertain  # as imprecise as the source's own date
    assert (event.earliest, event.latest) == (
        event.date_anchor.published_earliest,
        event.date_anchor.published_latest,
    )


def test_every_quote_is_the_source_text_at_its_offsets(curated):
    citations = Citation.objects.select_related("source")
    assert citations.count() >= 20
    for citation in citations:
        check_quote(
            text=citation.source.text,
            quote=citation.quote,
            char_start=citation.char_start,
            char_end=citation.char_end,
        )


def test_every_event_date_reads_back_from_its_date_text(curated):
    for event in Event.objects.select_related("date_anchor"):
        fuzzy = services.resolve_date(text=event.date_text, end=event.end_text, anchor=event.date_anchor)
        assert (fuzzy.earliest, fuzzy.edtf) == (event.date.earliest, event.edtf), event.key


def test_events_dated_by_a_publication_say_so(curated):
    by_publication = Event.objects.filter(
        date_text__in=["late May or early June 2024", "as of late May or early June 2024", "../2023-12-23"]
    )
    assert by_publication.count() >= 7
    for event in by_publication:
        assert any(word in event.summary for word in ("publication", "article of", "previously")), event.key


def test_a_report_made_previously_has_an_open_start_not_one_from_outside_the_text(curated):
    report = Event.objects.get(key="washington-post-biden-administration-encouraged-openness")
    assert (report.date.earliest, report.date.latest, report.edtf) == (None, date(2023, 12, 23), "../2023-12-23")
    in_2021 = Event.objects.filter(earliest__lte=date(2021, 12, 31), latest__gte=date(2021, 1, 1))
    assert report in in_2021  # an open start overlaps any earlier window, as it should
    assert report.date.label == "until 23 December 2023"


def test_talks_still_to_come_are_found_on_their_actual_days_and_the_exclusion_is_dated_as_of_publication(curated):
    summit_days = Event.objects.filter(earliest__lte=date(2024, 6, 16), latest__gte=date(2024, 6, 15))
    assert "swiss-peace-conference" in set(summit_days.values_list("key", flat=True))
    conference = Event.objects.get(key="swiss-peace-conference")
    assert (conference.date.earliest, conference.date.latest) == (date(2024, 5, 21), None)
    exclusion = Event.objects.get(key="putin-not-invited-to-swiss-peace-talks")
    assert exclusion.date_text.startswith("as of ")
    assert set(exclusion.participations.values_list("party__slug", "role")) == {
        ("switzerland", "actor"),
        ("vladimir-putin", "target"),
    }


@pytest.mark.parametrize(
    "key, earliest, latest, party, role",
    [
        ("zelensky-no-talks-while-putin-in-power", date(2023, 12, 23), date(2023, 12, 23), "volodymyr-zelensky", "speaker"),
        ("ukraine-regains-territory-september-2022", date(2022, 9, 1), date(2022, 9, 30), "ukraine", "actor"),
    ],
)
def test_the_curators_missing_events_are_there(curated, key, earliest, latest, party, role):
    event = Event.objects.get(key=key)
    assert (event.earliest, event.latest) == (earliest, latest)
    assert (party, role) in set(event.participations.values_list("party__slug", "role"))


def test_roles_say_who_signals_and_who_hosts(curated):
    nyt = Event.objects.get(key="nyt-reports-putin-open-to-ceasefire")
    assert ("vladimir-putin", "actor") in set(nyt.participations.values_list("party__slug", "role"))
    visit = Event.objects.get(key="putin-in-belarus-talks-on-facts-on-the-ground")
    hosts = set(visit.participations.filter(role="host").values_list("party__slug", flat=True))
    assert hosts == {"belarus", "alexander-lukashenko"}


def test_every_event_has_parties_and_evidence(curated):
    for event in Event.objects.all():
        assert event.participations.exists(), event.key
        assert event.citations.exists(), event.key


def test_the_sources_are_the_seed_bodies_the_reader_gives(curated, seed_articles):
    for article in seed_articles.values():
        source = Source.objects.get(text=article.body)
        assert source.title == article.title
        assert source.published_text == article.published_text
    relayed = Source.objects.get(text=seed_articles["002"].body)
    assert (relayed.publisher.name, relayed.via.name) == ("ICARO Media Group", "The New York Times")


def test_the_parties_of_the_seeds_are_all_there(curated):
    names = set(Party.objects.values_list("name", flat=True))
    assert {
        "Russia",
        "Ukraine",
        "Vladimir Putin",
        "Volodymyr Zelensky",
        "Alexander Lukashenko",
        "Belarus",
        "Sergei Lavrov",
        "Viola Amherd",
        "Switzerland",
        "China",
        "United States",
        "NATO",
        "The New York Times",
        "The Washington Post",
        "German News Agency",
        "ICARO Media Group",
    } <= names
    media = set(Party.objects.filter(kind="media").values_list("slug", flat=True))
    assert {"the-new-york-times", "the-washington-post", "german-news-agency", "icaro-media-group"} <= media

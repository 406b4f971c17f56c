"""Ingesting articles: sources stored once, candidates merged across sources, drafts for the rest."""

from datetime import date

import pytest

from timeline import services
from timeline.ingest.article import parse_article
from timeline.ingest.errors import IngestError
from timeline.ingest.ingestion import article_ingest
from timeline.models import Citation, Event, Source


def invasions():
    return Event.objects.filter(
        kind="military_action", earliest__lte=date(2022, 2, 28), latest__gte=date(2022, 2, 1)
    )


@pytest.mark.parametrize("order", [("000", "002"), ("002", "000")])
def test_the_invasion_reported_by_both_seeds_is_one_event_with_two_citations(
    seed_articles, seed_parties, order
):
    for key in order:
        article_ingest(article=seed_articles[key])
    (invasion,) = invasions()
    assert (invasion.earliest, invasion.latest, invasion.precision) == (
        date(2022, 2, 24),
        date(2022, 2, 24),
        "day",
    )
    quotes = sorted(invasion.citations.values_list("quote", flat=True))
    assert len(quotes) == 2
    assert quotes[0].startswith("On February 24, 2022, Russia launched a military operation in Ukraine")
    assert quotes[1].startswith("The conflict between Russia and Ukraine began in February 2022")


def test_a_draft_takes_the_more_precise_date_of_a_later_source(seed_articles, seed_parties):
    first = article_ingest(article=seed_articles["002"])
    (month,) = invasions()
    assert month.precision == "month"
    second = article_ingest(article=seed_articles["000"])
    (day,) = invasions()
    assert day.pk == month.pk
    assert (day.earliest, day.precision, day.date_text) == (date(2022, 2, 24), "day", "On February 24, 2022")
    assert day.date_anchor == second.source
    assert [e.pk for e in second.redated] == [day.pk]
    assert first.source != second.source


def test_ingesting_an_article_again_adds_nothing(seed_articles, seed_parties, timeline_snapshot):
    article_ingest(article=seed_articles["002"])
    before = timeline_snapshot()
    report = article_ingest(article=seed_articles["002"])
    assert not report.changed
    assert report.known == 7
    assert timeline_snapshot() == before


def test_the_two_november_2023_statements_of_zelensky_stay_two_events(seed_articles, seed_parties):
    for key in ("000", "002"):
        article_ingest(article=seed_articles[key])
    november = Event.objects.filter(earliest=date(2023, 11, 1), latest=date(2023, 11, 30))
    assert november.count() == 2
    assert {e.citations.get().source.title[:7] for e in november} == {"Putin E", "Russian"}


def test_a_reviewed_event_only_gains_the_citation(seed_articles, seed_parties, russia_invasion_reviewed):
    report = article_ingest(article=seed_articles["000"])  # gives the day; a draft would take it
    russia_invasion_reviewed.refresh_from_db()
    assert russia_invasion_reviewed.status == "reviewed"
    assert russia_invasion_reviewed.date_text == "February 2022"
    assert russia_invasion_reviewed.citations.count() == 2
    assert set(russia_invasion_reviewed.participations.values_list("party__slug", flat=True)) == {"russia"}
    assert russia_invasion_reviewed.pk in {c.event_id for c in report.cited}


@pytest.fixture
def russia_invasion_reviewed(seed_parties, seed_articles):
    """A reviewed invasion event that cites only a made-up source, dated to a month-wide window."""
    other = services.source_create(title="Elsewhere", text="Russia invaded Ukraine in February 2022.")
    return services.event_create(
        title="Russia invades Ukraine",
        date="February 2022",
        kind="military_action",
        status="reviewed",
        parties=[(seed_parties["russia"], "actor")],
        citations=[services.CitationInput(source=other, quote="Russia invaded Ukraine in February 2022.")],
    )


def test_new_candidates_become_drafts_with_parties_and_exact_quotes(seed_articles, seed_parties):
    report = article_ingest(article=seed_articles["002"])
    assert len(report.created) == 7 and len(report.cited) == 0  # the overtures and "At that time" are one
    assert {e.status for e in report.created} == {"draft"}
    for citation in Citation.objects.filter(source=report.source):
        assert report.source.text[citation.char_start : citation.char_end] == citation.quote
    election = Event.objects.get(kind="election")
    assert (election.earliest, election.date_text, election.date_anchor) == (
        date(2024, 3, 1),
        "next March",
        report.source,
    )
    assert list(election.participations.values_list("party__slug", "role")) == [("russia", "actor")]


def test_the_source_keeps_the_manifest_metadata(seed_articles, seed_parties):
    report = article_ingest(article=seed_articles["002"])
    source = Source.objects.get(pk=report.source.pk)
    assert (source.publisher.slug, source.via.slug) == ("icaro-media-group", "the-new-york-times")
    assert source.text == seed_articles["002"].body
    assert source.published.earliest == date(2023, 12, 23)


def test_an_unknown_publisher_named_by_the_manifest_is_an_error(seed_parties):
    article = parse_article(
        "Headline\n\nOn 3 March 2022, Russia attacked Ukraine.",
        path="x.txt",
        overrides={"publisher": "The Daily Nowhere"},
    )
    with pytest.raises(
        IngestError,
        match="x.txt: manifest entry for x.txt: publisher: 'The Daily Nowhere' is not a known party",
    ):
        article_ingest(article=article)
    assert not Source.objects.exists()


def test_an_unknown_publisher_read_from_the_header_is_only_a_warning(seed_parties):
    article = parse_article(
        "Headline\nThe Daily Nowhere\n3 March 2022\n\nOn 3 March 2022, Russia attacked Ukraine."
    )
    report = article_ingest(article=article)
    assert report.source.publisher is None
    assert report.warnings == [
        "publisher: 'The Daily Nowhere' is not a known party (add it to the parties fixture); left empty"
    ]


def test_a_publisher_must_be_a_media_party(seed_parties):
    article = parse_article(
        "Headline\n\nOn 3 March 2022, Russia attacked Ukraine.", overrides={"via": "Russia"}
    )
    with pytest.raises(IngestError, match="via: Russia is a state party; a via must be a media party"):
        article_ingest(article=article)

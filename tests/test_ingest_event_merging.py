"""One event per act: sentences that go on telling an act already found are folded into it, and
only those — another party's reaction, a standing position, a remark long after the act, stay
events of their own."""

from datetime import date

from timeline.dates import parse
from timeline.ingest.article import read_article
from timeline.ingest.extractor import extract
from timeline.ingest.ingestion import article_ingest
from timeline.ingest.parties import PartyInfo, PartyMatcher
from timeline.models import Event

ARDEN = PartyInfo("arden", "Arden", "state", ("Arden",))
BELMORE = PartyInfo("belmore", "Belmore", "state", ("Belmore",))
CALDER = PartyInfo("calder", "Calder", "state", ("Calder",))
WREN = PartyInfo("tomas-wren", "Tomas Wren", "person", ("Tomas Wren", "Wren"), "arden")
VOSS = PartyInfo("mara-voss", "Mara Voss", "person", ("Mara Voss", "Voss"), "arden")
MARTEN = PartyInfo("ilse-marten", "Ilse Marten", "person", ("Ilse Marten", "Marten"), "belmore")
ROVERS = PartyInfo("kessel-rovers", "Kessel Rovers", "organisation", ("Kessel Rovers", "Rovers"))
REYES = PartyInfo("sofia-reyes", "Sofia Reyes", "person", ("Sofia Reyes", "Reyes"), "kessel-rovers")
UNIVERSITY = PartyInfo("halden-university", "Halden University", "organisation", ("Halden University",))
HADDAD = PartyInfo("noor-haddad", "Noor Haddad", "person", ("Noor Haddad", "Haddad"))
ORTIZ = PartyInfo("lena-ortiz", "Lena Ortiz", "person", ("Lena Ortiz", "Ortiz"))
MATCHER = PartyMatcher([ARDEN, BELMORE, CALDER, WREN, VOSS, MARTEN, ROVERS, REYES, UNIVERSITY, HADDAD, ORTIZ])


def run(text: str, published: str):
    return extract(text=text, published=parse(published), matcher=MATCHER).candidates


def test_a_remark_told_in_three_sentences_is_one_event(articles_dir):
    article = read_article(articles_dir / "minister_warning_three_sentences.txt")
    candidates = extract(text=article.body, published=article.published, matcher=MATCHER).candidates
    remarks = [c for c in candidates if "Wren" in c.quote]
    (remark,) = remarks
    assert (remark.date.earliest, remark.date.latest) == (date(2025, 11, 2), date(2025, 11, 2))
    assert remark.quote.startswith("Arden's foreign minister Tomas Wren warned on Sunday")
    assert remark.quote.endswith("Wren told the programme.")
    assert article.body[remark.char_start : remark.char_end] == remark.quote
    assert remark.kind == "statement"
    assert dict(remark.parties)["tomas-wren"] == "speaker"


def test_the_seed_visit_and_the_remark_made_on_it_are_one_event(seed_articles, seed_parties):
    from timeline.ingest.selectors import party_matcher

    article = seed_articles["000"]
    candidates = extract(
        text=article.body,
        published=article.published,
        published_text=article.published_text,
        matcher=party_matcher(),
    ).candidates
    visit = [c for c in candidates if "utilized his visit to Belarus" in c.quote]
    assert len(visit) == 1
    assert "However, Putin emphasized" in visit[0].quote and "Putin stated, 'There is talk" in visit[0].quote
    assert not any("Putin stated" in c.quote for c in candidates if c is not visit[0])
    assert dict(visit[0].parties)["vladimir-putin"] == "actor"


def test_a_remark_made_at_the_act_joins_it_and_takes_its_date():
    text = (
        "Kessel Rovers won the Belmore Cup on Saturday, beating Lisse 2-1 in the final.\n"
        '"This is for everyone," Rovers manager Sofia Reyes said after the match.'
    )
    (final,) = run(text, "Sunday 18 May 2025")
    assert final.date.earliest == date(2025, 5, 17)
    assert final.quote == text
    assert dict(final.parties) == {"kessel-rovers": "actor", "sofia-reyes": "speaker"}  # the club's manager


def test_a_sentence_tied_to_the_acts_time_by_the_actors_own_leader_joins_it(seed_articles, seed_parties):
    from timeline.ingest.selectors import party_matcher

    article = seed_articles["002"]
    candidates = extract(text=article.body, published=article.published, matcher=party_matcher()).candidates
    (overtures,) = [c for c in candidates if "overtures from the Kremlin" in c.quote]
    assert overtures.quote.endswith(
        "At that time, Putin indicated his satisfaction with the amount of land his troops had captured."
    )
    assert dict(overtures.parties) == {
        "russia": "actor",
        "united-states": "recipient",
        "ukraine": "mentioned",
        "vladimir-putin": "speaker",
    }  # as the curated event in fixtures/04_events.json


def test_another_party_tied_to_the_acts_time_is_its_own_event():
    text = "In September 2022, Arden made overtures to Belmore. At that time, Calder indicated its support."
    assert len(run(text, "Saturday 23 December 2023")) == 2


def test_another_partys_reaction_is_its_own_statement():
    text = (
        "The board of governors of Halden University voted on Thursday to raise tuition fees. "
        "Student union president Noor Haddad said the decision would price out students."
    )
    vote, reaction = run(text, "Friday 28 February 2025")
    assert (vote.kind, vote.date.earliest) == ("other", date(2025, 2, 27))
    assert (reaction.kind, reaction.date.earliest) == ("statement", date(2025, 2, 28))
    assert dict(reaction.parties) == {"noor-haddad": "speaker"}


def test_an_undated_remark_does_not_join_an_act_of_long_ago():
    text = "In March 2023, Lena Ortiz proposed the extension. Ortiz said the first contracts would be signed soon."
    proposal, remark = run(text, "Wednesday 9 April 2025")
    assert proposal.kind == "proposal" and proposal.date.earliest == date(2023, 3, 1)
    assert remark.kind == "statement" and remark.date.earliest == date(2025, 4, 9)


def test_a_standing_position_is_no_continuation_of_a_remark():
    text = "Tomas Wren said Arden would wait. Arden insists that the treaty must stand."
    assert len(run(text, "Monday 3 November 2025")) == 2


def test_a_new_act_of_the_same_party_later_the_same_day_stays_apart():
    text = "Mara Voss visited Belmore on Tuesday. Later, Voss said talks with Calder had failed."
    assert len(run(text, "Wednesday 11 June 2025")) == 2


def test_a_party_not_invited_to_the_talks_joins_them_as_mentioned_not_as_another_event():
    text = (
        "Belmore's prime minister, Ilse Marten, hosted Voss for talks on Wednesday. "
        "Calder, which shares the Kessel river with both countries, was not invited to the talks."
    )
    (talks,) = run(text, "Wednesday 11 June 2025")
    assert talks.quote == text
    assert dict(talks.parties)["calder"] == "mentioned"
    assert dict(talks.parties)["ilse-marten"] == "host"


def test_two_dates_of_one_sentence_stay_two_events():
    text = "Arden and Belmore met on 10 and 14 March 2022 in Lisse."
    assert len(run(text, "17 July 2023")) == 2


def test_ingesting_the_three_sentence_remark_makes_one_event_citing_all_three(
    articles_dir, fictional_parties
):
    report = article_ingest(article=read_article(articles_dir / "minister_warning_three_sentences.txt"))
    remark = Event.objects.get(citations__quote__contains="Wren told the programme")
    (citation,) = remark.citations.all()
    assert citation.quote.startswith("Arden's foreign minister Tomas Wren warned on Sunday")
    assert report.source.text[citation.char_start : citation.char_end] == citation.quote
    assert (remark.earliest, remark.kind) == (date(2025, 11, 2), "statement")
    assert set(remark.participations.values_list("party__slug", "role")) == {
        ("tomas-wren", "speaker"),
        ("arden", "mentioned"),
        ("belmore", "target"),
    }
    assert Event.objects.filter(citations__quote__contains="Wren").count() == 1


def test_a_trend_forecast_for_a_date_is_no_event_but_the_remark_is_a_statement():
    text = "Chief executive Anika Saar said the company expected demand to recover next year."
    matcher = PartyMatcher([PartyInfo("anika-saar", "Anika Saar", "person", ("Anika Saar", "Saar"))])
    (remark,) = extract(text=text, published=parse("Thursday 24 October 2024"), matcher=matcher).candidates
    assert (remark.kind, remark.date.earliest, remark.date.latest) == (
        "statement",
        date(2024, 10, 24),
        date(2024, 10, 24),
    )


def test_a_planned_act_for_a_date_is_still_an_event():
    text = "Mara Voss said Arden would hold a review of the treaty in March 2026."
    dates = [c.date.label for c in run(text, "Monday 3 November 2025")]
    assert "March 2026" in dates

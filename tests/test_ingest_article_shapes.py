"""The extractor on articles of shapes the seeds do not have (tests/articles/, fictional)."""

from datetime import date

from timeline.ingest.article import read_article
from timeline.ingest.extractor import extract
from timeline.ingest.selectors import party_matcher


def found(path):
    article = read_article(path)
    result = extract(text=article.body, published=article.published, matcher=party_matcher())
    return result, [(c.date.earliest, c.date.latest, str(c.date.precision)) for c in result.candidates]


def test_a_us_press_release(articles_dir, fictional_parties):
    result, dates = found(articles_dir / "us_press_release.txt")
    assert dates == [
        (date(2023, 6, 15), date(2023, 6, 16), "day"),  # "On June 15–16, 2023": one event, a span
        (date(2023, 7, 3), date(2023, 7, 3), "day"),
        (date(2023, 7, 10), date(2023, 7, 10), "day"),  # "on July 10": the year of July 3, 2023
        (date(2024, 3, 10), date(2024, 3, 10), "day"),  # "on March 10 and 14, 2024": two events
        (date(2024, 3, 14), date(2024, 3, 14), "day"),
        (date(2023, 7, 17), date(2023, 7, 17), "day"),  # "on Monday", published Monday July 17, 2023
        (date(2023, 8, 1), date(2023, 8, 31), "month"),  # "next month"
    ]
    # "negotiators from Arden and Belmore met": both met, both act.
    assert result.candidates[0].parties[:2] == (("arden", "actor"), ("belmore", "actor"))
    assert result.unresolved == []


def test_a_uk_article_with_image_url_reference_marker_and_banner(articles_dir, fictional_parties):
    result, dates = found(articles_dir / "uk_news_with_image.txt")
    assert dates == [
        (date(2022, 3, 7), date(2022, 3, 7), "day"),
        (date(2022, 3, 3), date(2022, 3, 3), "day"),  # "on 3 March" after "7 March 2022", published 2023
        (date(2023, 6, 15), date(2023, 6, 16), "day"),
        (date(2023, 12, 19), date(2023, 12, 19), "day"),  # "on Tuesday" before Friday 22 December 2023
        (
            date(2024, 1, 1),
            date(2024, 12, 31),
            "year",
        ),  # "in early 2024" (which months, the text does not say); not the 2022 to 2024 banner
    ]
    texts = [c.date_text for c in result.candidates]
    assert not any("12/3/2023" in t or "2022 to 2024" in t or "412" in t for t in texts)


def test_a_byline_article_with_relative_dates(articles_dir, fictional_parties):
    result, dates = found(articles_dir / "byline_published_label.txt")
    assert dates == [
        (date(2024, 1, 8), date(2024, 1, 8), "day"),  # "on Monday", published Thursday 11 January 2024
        (date(2024, 1, 1), date(2024, 1, 7), "week"),  # "Last week"
        (date(2022, 1, 1), date(2022, 12, 31), "year"),  # "two years ago"; not "every Friday since 2019"
        (date(2024, 2, 24), date(2024, 3, 1), "day"),
        (date(2023, 11, 1), date(2023, 11, 30), "month"),
    ]
    assert result.candidates[1].parties == (("tomas-wren", "speaker"),)


def test_an_article_without_dates_gives_no_events(articles_dir, fictional_parties):
    result, dates = found(articles_dir / "opinion_without_dates.txt")
    assert dates == []
    assert result.unresolved == []

"""Reading article files: headline, whichever header lines there are, body, footer noise."""

from datetime import date

import pytest

from timeline.ingest.article import parse_article, read_article
from timeline.ingest.errors import IngestError


def test_a_headline_only_article_has_its_whole_rest_as_body(seeds_dir):
    path = seeds_dir / "000_899649ddc2179241.txt"
    article = read_article(path)
    raw = path.read_text(encoding="utf-8")
    assert article.title == "Putin Expresses Readiness for Peace Talks Amidst Ukraine War"
    assert (article.publisher, article.section, article.published_text, article.image_url) == ("", "", "", "")
    assert article.body.startswith("On February 24, 2022, Russia launched")
    assert article.body.endswith("strategic calculations of both Russia and Ukraine.")
    assert article.body in raw


def test_the_manifest_dates_an_undated_seed_as_an_uncertain_window_not_a_day(seed_articles):
    published = seed_articles["000"].published
    assert (published.earliest, published.latest) == (date(2024, 5, 21), date(2024, 6, 10))
    assert published.uncertain
    assert not published.is_day


def test_header_lines_give_image_publisher_section_and_date(seeds_dir):
    article = read_article(seeds_dir / "002_5bcc111514ab2c29.txt")
    assert article.image_url.startswith("https://icaro.icaromediagroup.com/system/images/photos/15954685/")
    assert article.url == ""
    assert article.publisher == "ICARO Media Group"
    assert article.section == "Politics"
    assert article.published_text == "23/12/2023 22h31"
    assert article.published.earliest == article.published.latest == date(2023, 12, 23)


def test_footer_noise_is_not_body_text(seeds_dir):
    article = read_article(seeds_dir / "002_5bcc111514ab2c29.txt")
    assert article.body.endswith("willingness of both sides to engage in productive negotiations.")
    for noise in ("Word Count", "398", "The views expressed", "Related"):
        assert noise not in article.body


def test_a_press_release_with_a_us_date_line(articles_dir):
    article = read_article(articles_dir / "us_press_release.txt")
    assert article.publisher == "The Office of the President"
    assert article.section == "Press release"
    assert article.published.earliest == date(2023, 7, 17)
    assert article.body.startswith("On June 15–16, 2023")
    assert "###" not in article.body


def test_a_uk_article_with_image_url_and_related_links(articles_dir):
    article = read_article(articles_dir / "uk_news_with_image.txt")
    assert article.image_url.endswith("1703240000-pipeline.jpg")
    assert (article.publisher, article.section) == ("The Northern Ledger", "World")
    assert article.published.earliest == date(2023, 12, 22)
    assert article.body.endswith("lawyers said at 14:30 GMT.")
    assert "what we know so far" not in article.body


def test_a_byline_and_a_labelled_date_time_line(articles_dir):
    article = read_article(articles_dir / "byline_published_label.txt")
    assert article.author == "Jane Doe"
    assert article.published_text == "Thursday, 11 January 2024 09:15 GMT"
    assert article.published.earliest == date(2024, 1, 11)
    assert article.publisher == ""


def test_a_known_publisher_is_recognised_even_after_the_date():
    article = parse_article(
        "Headline\n5 May 2024\nThe Northern Ledger\n\nA first paragraph that is long enough to be body text here.",
        known_publishers=["The Northern Ledger"],
    )
    assert article.publisher == "The Northern Ledger"
    assert article.body == "A first paragraph that is long enough to be body text here."


def test_crlf_and_byte_order_mark_are_normalised(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes(
        "\ufeffHeadline\r\nJuly 17, 2023\r\n\r\nFirst paragraph.\r\nSecond paragraph.\r\n".encode()
    )
    article = read_article(path)
    assert article.title == "Headline"
    assert article.body == "First paragraph.\nSecond paragraph."


def test_undecodable_bytes_are_refused_with_the_file_and_byte(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Headline\nCaf\u00e9 society met on 3 March 2022.\n".encode("latin-1"))
    with pytest.raises(IngestError, match=r"latin1\.txt: not UTF-8 text: byte 12"):
        read_article(path)


def test_an_article_without_body_is_refused(tmp_path):
    path = tmp_path / "bare.txt"
    path.write_text("Only a headline\nPolitics\n22 December 2022\n", encoding="utf-8")
    with pytest.raises(IngestError, match="bare.txt: no body text"):
        read_article(path)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(IngestError, match="empty.txt: the file is empty"):
        read_article(path)


def test_manifest_values_override_the_header(seeds_dir):
    article = read_article(
        seeds_dir / "002_5bcc111514ab2c29.txt",
        overrides={"published_text": "December 2023", "via": "The New York Times"},
    )
    assert article.published_text == "December 2023"
    assert article.via == "The New York Times"
    assert article.from_manifest == {"published_text", "via"}
    assert article.publisher == "ICARO Media Group"

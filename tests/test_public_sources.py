"""A source's public page, /sources/<id>/: its facts, its text with every cited quote highlighted at
its offsets (escaped, overlaps shown once), the events citing it, drafts kept from anonymous readers."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from timeline import services
from timeline.models import Citation, Event, Party

MARK = re.compile(r"<mark[^>]*>(.*?)</mark>", re.S)


def page(client, source):
    response = client.get(reverse("source-page", args=[source.pk]))
    assert response.status_code == 200
    return response.content.decode()


def article_text(html: str) -> str:
    """The text as a reader sees it: the article's element with the quote numbers and tags removed."""
    body = html[html.index('<div class="article-text">') :]
    body = body[: body.index("</div>")]
    body = re.sub(r'<a class="qref"[^>]*>.*?</a>', "", body)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", body.removeprefix('<div class="article-text">')))


def marked(html: str) -> list[str]:
    return [htmllib.unescape(m) for m in MARK.findall(html)]


def reviewed(title, source, *quotes, date="2022", **offsets):
    citations = [services.CitationInput(source=source, quote=q, **offsets) for q in quotes]
    return services.event_create(title=title, date=date, status="reviewed", citations=citations)


@pytest.fixture
def ledger(db):
    return services.party_create(name="The Ledger", kind=Party.Kind.MEDIA, slug="the-ledger")


def test_the_page_shows_publisher_outlet_and_the_publication_date_as_known(client, article_2023, overtures):
    html = page(client, article_2023)
    assert article_2023.title in html
    assert "The New York Times" in html
    assert "23 December 2023" in html and "uncertain" not in html
    assert f'href="{article_2023.url}"' in html


def test_an_uncertain_window_is_shown_as_such_and_a_missing_publisher_as_not_known(client, article_2024):
    html = page(client, article_2024)
    assert "late May – early June 2024?" in html
    assert "2024-05-21" in html and "2024-06-10" in html  # the window it may mean
    assert ">uncertain<" in html and "approximate" in html
    assert "not known" in html  # no publisher
    assert "no address known" in html  # no URL


def test_a_source_without_a_publication_date_says_so(client, db):
    source = services.source_create(title="Undated", text="Something was said.")
    html = page(client, source)
    assert re.search(r"<dt>Published</dt>\s*<dd>not known", html)


def test_the_text_is_shown_whole_with_the_quote_marked(client, article_2024, invasion):
    Event.objects.filter(pk=invasion.pk).update(status="reviewed")
    html = page(client, article_2024)
    assert article_text(html) == article_2024.text
    assert marked(html) == [invasion.citations.get().quote]


def test_the_mark_is_at_the_citations_offsets_not_the_first_occurrence(client, db):
    text = "Talks failed. Then, in March, talks failed again."
    source = services.source_create(title="Repeats", text=text)
    second = text.rindex("talks failed")
    event = reviewed("Second failure", source, "talks failed", char_start=second, char_end=second + 12)
    html = page(client, source)
    body = html[html.index('<div class="article-text">') :]
    assert body.index("<mark") > body.index("Then, in March")  # the second occurrence is marked
    assert marked(html) == ["talks failed"]
    assert f'href="/events/{event.pk}/"' in body and f'id="c{event.citations.get().pk}"' in body


def test_overlapping_quotes_show_the_text_once_with_the_shared_part_marked_as_overlap(client, db):
    text = "The minister said the ceasefire would hold until the spring thaw came."
    source = services.source_create(title="Overlaps", text=text)
    reviewed("First", source, "said the ceasefire would hold")
    reviewed("Second", source, "ceasefire would hold until the spring")
    reviewed("Nested", source, "would")
    html = page(client, source)
    assert article_text(html) == text
    assert "".join(marked(html)) == "said the ceasefire would hold until the spring"
    overlaps = [htmllib.unescape(m) for m in re.findall(r'<mark class="quote overlap">(.*?)</mark>', html)]
    assert overlaps == ["ceasefire ", "would", " hold"]
    assert len(re.findall(r'<a class="qref"', html)) == 3  # one number after each quote


def test_the_text_and_quotes_are_escaped(client, db):
    text = 'He wrote <script>alert("x")</script> & left; <b>bold</b> claims.'
    source = services.source_create(title="<i>Hostile</i> & title", text=text)
    reviewed("<img src=x onerror=alert(1)>", source, '<script>alert("x")</script> & left')
    html = page(client, source)
    assert "<script>" not in html and "<b>bold" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;i&gt;Hostile&lt;/i&gt; &amp; title" in html
    assert article_text(html) == text
    assert marked(html) == ['<script>alert("x")</script> & left']


def test_offsets_beyond_the_text_do_not_break_the_page(client, db):
    source = services.source_create(title="Short", text="Short text here.")
    event = reviewed("Cites it", source, "text here")
    Citation.objects.filter(event=event).update(char_end=500)  # written around the services
    html = page(client, source)
    assert article_text(html) == "Short text here."
    assert marked(html) == ["text here."]


def test_the_events_citing_it_are_listed_in_date_order_and_linked(client, db):
    source = services.source_create(title="Two events", text="First this happened. Then that happened.")
    later = reviewed("Then that", source, "Then that happened", date="2023")
    earlier = reviewed("First this", source, "First this happened", date="2022")
    html = page(client, source)
    listing = html[html.index('<ol class="citing">') : html.index("</ol>")]
    assert listing.index(earlier.title) < listing.index(later.title)
    assert f'href="{earlier.get_absolute_url()}"' in listing


def test_drafts_are_hidden_from_anonymous_readers(client, db):
    source = services.source_create(title="Mixed", text="A reviewed claim. A draft claim.")
    reviewed("Reviewed event", source, "A reviewed claim.")
    services.event_create(
        title="Secret draft event",
        date="2022",
        citations=[services.CitationInput(source=source, quote="A draft claim.")],
    )
    html = page(client, source)
    assert "Reviewed event" in html
    assert "Secret draft event" not in html
    assert marked(html) == ["A reviewed claim."]


def test_editors_see_drafts_with_a_badge(client, db, django_user_model):
    source = services.source_create(title="Mixed", text="A reviewed claim. A draft claim.")
    reviewed("Reviewed event", source, "A reviewed claim.")
    services.event_create(
        title="Draft event",
        date="2022",
        citations=[services.CitationInput(source=source, quote="A draft claim.")],
    )
    reader = django_user_model.objects.create_user("reader", password="a-long-password-123")
    client.force_login(reader)  # logged in, but no right to see drafts
    assert "Draft event" not in page(client, source)
    reader.user_permissions.add(Permission.objects.get(codename="view_event"))
    reader = django_user_model.objects.get(pk=reader.pk)  # permissions are cached on the instance
    client.force_login(reader)
    html = page(client, source)
    assert "Draft event" in html and '<span class="badge">draft</span>' in html
    assert marked(html) == ["A reviewed claim.", "A draft claim."]


def test_staff_see_drafts(staff_client, article_2023, overtures):
    assert overtures.status == "draft"
    assert overtures.title in page(staff_client, article_2023)


def test_an_unknown_source_is_a_404(client, db):
    assert client.get(reverse("source-page", args=[999999])).status_code == 404
    assert client.get("/sources/not-a-number/").status_code == 404


def test_events_and_the_timeline_link_to_the_source_page(client, article_2023, overtures):
    Event.objects.filter(pk=overtures.pk).update(status="reviewed")
    url = reverse("source-page", args=[article_2023.pk])
    event_html = client.get(overtures.get_absolute_url()).content.decode()
    assert f'href="{url}"' in event_html
    citation = overtures.citations.get()
    assert f'href="{url}#c{citation.pk}"' in event_html  # the quote in context
    assert f'href="{url}"' in client.get(reverse("timeline-page")).content.decode()


def test_the_page_costs_the_same_queries_for_one_citing_event_or_twenty(
    client, db, django_assert_num_queries
):
    words = [f"<{i}>" for i in range(20)]
    source = services.source_create(title="Many", text=" ".join(words))
    reviewed("Event 0", source, words[0])
    with django_assert_num_queries(2) as one:
        page(client, source)
    for i in range(1, 20):
        reviewed(f"Event {i}", source, words[i])
    with django_assert_num_queries(len(one.captured_queries)):
        html = page(client, source)
    assert len(marked(html)) == 20


def test_the_public_pages_carry_no_inline_style_or_script(client, article_2023, overtures):
    """Ready for a Content-Security-Policy without 'unsafe-inline': colours come from classes."""
    Event.objects.filter(pk=overtures.pk).update(status="reviewed")
    for url in (
        reverse("timeline-page"),
        overtures.get_absolute_url(),
        reverse("source-page", args=[article_2023.pk]),
    ):
        html = client.get(url).content.decode()
        assert "style=" not in html and "<script" not in html, url

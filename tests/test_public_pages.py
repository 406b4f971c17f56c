"""The public timeline page and event pages: filters, spans, escaping."""

import pytest
from django.urls import reverse

from timeline import services

pytestmark = pytest.mark.usefixtures("drafts_public")  # reads drafts as an anonymous client (conftest)


def test_the_timeline_lists_events_in_order_with_their_labels(client, invasion, overtures, statements):
    response = client.get(reverse("timeline-page"))
    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(t) for t in (invasion.title, overtures.title, statements.title)]
    assert positions == sorted(positions)
    assert "September 2022" in html and "24 February 2022" in html


def test_filtering_to_2022_hides_the_november_2023_statement(client, invasion, overtures, statements):
    html = client.get(reverse("timeline-page"), {"start": "2022", "end": "2022"}).content.decode()
    assert invasion.title in html and overtures.title in html
    assert statements.title not in html


def test_party_and_kind_filters_use_the_api_parameters(client, invasion, overtures, statements, ukraine):
    html = client.get(reverse("timeline-page"), {"party": ukraine.slug}).content.decode()
    assert invasion.title in html and overtures.title not in html
    html = client.get(reverse("timeline-page"), {"kind": "proposal"}).content.decode()
    assert overtures.title in html and invasion.title not in html


def test_a_bad_filter_is_shown_as_an_error(client, invasion):
    response = client.get(reverse("timeline-page"), {"start": "Septembr 2022"})
    assert response.status_code == 400
    assert "could not understand" in response.content.decode()
    assert client.get(reverse("timeline-page"), {"party": "nobody"}).status_code == 400


def test_imprecise_dates_are_drawn_as_spans_not_points(client, invasion, overtures):
    response = client.get(reverse("timeline-page"))
    bars = {bar.event_id: bar for bar in response.context["chart"].bars}
    assert bars[overtures.pk].width > bars[invasion.pk].width
    assert bars[invasion.pk].point and not bars[overtures.pk].point


def test_everything_from_the_database_is_escaped(client, db):
    services.event_create(title="<script>alert(1)</script>", date="2022")
    html = client.get(reverse("timeline-page")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_event_page_shows_quotes_and_source_links(client, overtures, article_2023):
    html = client.get(overtures.get_absolute_url()).content.decode()
    assert "never-before-reported overtures" in html
    assert f'href="{article_2023.url}"' in html
    assert "2022-09-01 – 2022-09-30" in html


def test_unknown_event_page_is_404(client, db):
    assert client.get(reverse("event-page", args=[999])).status_code == 404


def test_pages_load_nothing_from_outside(client, invasion):
    html = client.get(reverse("timeline-page")).content.decode()
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_a_source_cited_twice_by_one_event_is_listed_once(client, overtures, article_2023):
    services.citation_add(
        event=overtures, source=article_2023, quote="The New York Times revealed on Saturday"
    )
    html = client.get(reverse("timeline-page")).content.decode()
    assert html.count(f">{article_2023.title}</a>") == 1

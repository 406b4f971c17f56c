"""The admin as an editor uses it: free-text dates, parties inline, form errors instead of 500s."""

import pytest
from django.urls import reverse

from timeline.models import Event

ADD_URL = reverse("admin:timeline_event_add")


def event_form(**overrides):
    data = {
        "title": "The Kremlin makes truce overtures",
        "summary": "",
        "kind": "proposal",
        "status": "draft",
        "date_text": "September 2022",
        "end_text": "",
        "date_anchor": "",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "participations-MIN_NUM_FORMS": "0",
        "participations-MAX_NUM_FORMS": "1000",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def form_errors(response):
    if response.status_code != 200:
        return ""
    ctx = response.context
    return (
        [ctx["adminform"].form.errors]
        + [fs.formset.errors for fs in ctx["inline_admin_formsets"]]
        + [fs.formset.non_form_errors() for fs in ctx["inline_admin_formsets"]]
    )


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_editor_adds_a_month_event_with_two_parties(staff_client, russia, ukraine):
    response = staff_client.post(
        ADD_URL,
        event_form(
            **{
                "participations-TOTAL_FORMS": "2",
                "participations-0-party": russia.pk,
                "participations-0-role": "actor",
                "participations-1-party": ukraine.pk,
                "participations-1-role": "target",
            }
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = Event.objects.get()
    assert (event.precision, event.earliest.isoformat(), event.latest.isoformat()) == (
        "month",
        "2022-09-01",
        "2022-09-30",
    )
    assert event.edtf == "2022-09" and event.date_label == "September 2022"
    assert sorted(event.participations.values_list("party__slug", flat=True)) == ["russia", "ukraine"]
    change = staff_client.get(reverse("admin:timeline_event_change", args=[event.pk]))
    assert "2022-09-01 – 2022-09-30" in change.content.decode()
    assert b"September 2022" in change.content


@pytest.mark.parametrize(
    ("date_text", "message"),
    [
        ("Septembr 2022", "could not understand"),
        ("2023-02-30", "has no day 30"),
        ("next March", "needs an anchor"),
    ],
)
def test_a_bad_date_is_a_form_error_not_a_500(staff_client, date_text, message):
    response = staff_client.post(ADD_URL, event_form(date_text=date_text))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in errors["date_text"][0]
    assert Event.objects.count() == 0


def test_relative_date_resolves_against_the_chosen_anchor_source(staff_client, article_2023):
    response = staff_client.post(ADD_URL, event_form(date_text="next March", date_anchor=article_2023.pk))
    assert response.status_code == 302, form_errors(response)
    assert Event.objects.get().edtf == "2024-03"


def test_an_inline_citation_with_a_wrong_quote_is_a_form_error(staff_client, article_2023):
    response = staff_client.post(
        ADD_URL,
        event_form(
            **{
                "citations-TOTAL_FORMS": "1",
                "citations-0-source": article_2023.pk,
                "citations-0-quote": "words the article never printed",
            }
        ),
    )
    assert response.status_code == 200
    assert Event.objects.count() == 0


def test_an_inline_citation_gets_its_offsets_from_the_quote(staff_client, article_2023):
    quote = "in September 2022, the U.S. officials received"
    response = staff_client.post(
        ADD_URL,
        event_form(
            **{
                "citations-TOTAL_FORMS": "1",
                "citations-0-source": article_2023.pk,
                "citations-0-quote": quote,
            }
        ),
    )
    assert response.status_code == 302, form_errors(response)
    citation = Event.objects.get().citations.get()
    assert article_2023.text[citation.char_start : citation.char_end] == quote
    assert quote in Event.objects.get().search_text


def test_event_history_page_lists_changes(staff_client, invasion):
    response = staff_client.get(reverse("admin:timeline_event_history", args=[invasion.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["event", "party", "source", "place"])
def test_admin_lists_and_search_work(staff_client, invasion, model):
    response = staff_client.get(reverse(f"admin:timeline_{model}_changelist"), {"q": "Russia"})
    assert response.status_code == 200


def test_event_list_filters_by_kind_precision_status_and_party(staff_client, invasion, overtures, russia):
    url = reverse("admin:timeline_event_changelist")
    for params in (
        {"kind__exact": "proposal"},
        {"precision__exact": "month"},
        {"status__exact": "draft"},
        {"parties__id__exact": russia.pk},
    ):
        response = staff_client.get(url, params)
        assert response.status_code == 200
    assert response.context["cl"].result_count == 2


def test_party_autocomplete_answers(staff_client, russia):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "timeline", "model_name": "participation", "field_name": "party", "term": "Kreml"},
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "Russia"


def test_source_admin_reads_a_fuzzy_publication_date(staff_client):
    response = staff_client.post(
        reverse("admin:timeline_source_add"),
        {
            "title": "An undated article",
            "text": "Some text.",
            "language": "en",
            "url": "",
            "published_text": "late May or early June 2024",
        },
    )
    assert response.status_code == 302
    from timeline.models import Source

    assert Source.objects.get().published_label == "late May – early June 2024?"


def test_source_admin_bad_publication_date_is_a_form_error(staff_client):
    response = staff_client.post(
        reverse("admin:timeline_source_add"),
        {"title": "x", "text": "Some text.", "language": "en", "published_text": "the other day"},
    )
    assert response.status_code == 200
    assert "published_text" in response.context["adminform"].form.errors


def test_source_page_highlights_cited_quotes_and_lists_events(staff_client, overtures, article_2023):
    html = staff_client.get(reverse("admin:timeline_source_change", args=[article_2023.pk])).content.decode()
    quote = overtures.citations.get().quote
    assert f'<mark title="{overtures.title}">{quote}</mark>' in html
    assert overtures.title in html and "September 2022" in html


def test_source_text_is_escaped_in_the_highlight(staff_client, db):
    from timeline import services

    source = services.source_create(title="x", text="<b>bold</b> claim on 2022-02-24.")
    html = staff_client.get(reverse("admin:timeline_source_change", args=[source.pk])).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_event_form_loads_the_live_date_preview(staff_client):
    html = staff_client.get(ADD_URL).content.decode()
    assert "timeline/admin/date_preview.js" in html


def cite(*citations):
    """Inline citation rows: (source, quote) pairs."""
    data = {"citations-TOTAL_FORMS": str(len(citations))}
    for i, (source, quote) in enumerate(citations):
        data[f"citations-{i}-source"] = source.pk
        data[f"citations-{i}-quote"] = quote
    return data


OVERTURES_QUOTE = "in September 2022, the U.S. officials received"
INVASION_QUOTE = "On February 24, 2022, Russia launched a military operation in Ukraine"


def test_a_relative_date_without_an_anchor_is_anchored_on_the_one_cited_source(staff_client, article_2023):
    response = staff_client.post(
        ADD_URL, event_form(date_text="next March", **cite((article_2023, OVERTURES_QUOTE)))
    )
    assert response.status_code == 302, form_errors(response)
    event = Event.objects.get()
    assert event.edtf == "2024-03"  # March after the article's 23 December 2023
    assert event.date_anchor == article_2023


def test_one_source_cited_twice_is_still_one_anchor(staff_client, article_2023):
    second = "never-before-reported overtures from the Kremlin"
    response = staff_client.post(
        ADD_URL,
        event_form(date_text="next March", **cite((article_2023, OVERTURES_QUOTE), (article_2023, second))),
    )
    assert response.status_code == 302, form_errors(response)
    assert Event.objects.get().date_anchor == article_2023


def test_an_absolute_date_with_one_cited_source_gets_no_anchor(staff_client, article_2023):
    response = staff_client.post(ADD_URL, event_form(**cite((article_2023, OVERTURES_QUOTE))))
    assert response.status_code == 302, form_errors(response)
    assert Event.objects.get().date_anchor is None


def test_a_relative_date_citing_several_sources_asks_for_an_anchor_among_them(
    staff_client, article_2023, article_2024
):
    response = staff_client.post(
        ADD_URL,
        event_form(
            date_text="next March", **cite((article_2023, OVERTURES_QUOTE), (article_2024, INVASION_QUOTE))
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    message = " ".join(errors["date_text"])
    assert "needs an anchor" in message and "choose the date anchor among them" in message
    assert article_2023.title in message and article_2024.title in message
    assert article_2023.title in errors["date_anchor"][0]
    assert Event.objects.count() == 0


def test_a_deleted_citation_row_does_not_count_as_a_cited_source(staff_client, article_2023, article_2024):
    data = event_form(
        date_text="next March", **cite((article_2023, OVERTURES_QUOTE), (article_2024, INVASION_QUOTE))
    )
    data["citations-1-DELETE"] = "on"
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 302, form_errors(response)
    assert Event.objects.get().date_anchor == article_2023


def test_a_cited_source_without_a_publication_date_cannot_anchor(staff_client, db):
    from timeline import services

    undated = services.source_create(title="Undated", text="Talks will resume next March, he said.")
    response = staff_client.post(
        ADD_URL, event_form(date_text="next March", **cite((undated, "Talks will resume next March")))
    )
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.errors["date_text"])
    assert "needs an anchor" in message and "“Undated” has no publication date" in message


def test_an_unreadable_date_with_cited_sources_is_not_blamed_on_the_anchor(
    staff_client, article_2023, article_2024
):
    response = staff_client.post(
        ADD_URL,
        event_form(
            date_text="Septembr 2022", **cite((article_2023, OVERTURES_QUOTE), (article_2024, INVASION_QUOTE))
        ),
    )
    errors = response.context["adminform"].form.errors
    assert "could not understand" in errors["date_text"][0]
    assert "anchor" not in " ".join(errors["date_text"]) and "date_anchor" not in errors


def test_the_anchor_help_text_says_the_cited_source_is_used(staff_client):
    html = staff_client.get(ADD_URL).content.decode()
    assert "resolved against the cited source when the citations below cite exactly one" in html

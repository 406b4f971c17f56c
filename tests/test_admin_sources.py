"""The source form refuses what would break the data: a second copy of a stored article, and a new
text under which a citation's quote is no longer the text at its offsets."""

from django.urls import reverse

from timeline import services
from timeline.models import Source

ADD_URL = reverse("admin:timeline_source_add")


def source_form(**overrides):
    data = {"title": "A copy", "text": "Some text.", "language": "en", "url": "", "published_text": ""}
    data.update(overrides)
    return data


def change_url(source):
    return reverse("admin:timeline_source_change", args=[source.pk])


def text_errors(response):
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["adminform"].form.errors.get("text", []))


def test_adding_a_source_with_a_stored_text_is_a_form_error_naming_the_stored_source(
    staff_client, article_2023
):
    response = staff_client.post(ADD_URL, source_form(text=article_2023.text))
    errors = text_errors(response)
    assert "already stored (same content hash)" in errors
    assert article_2023.title in errors and change_url(article_2023) in errors
    assert Source.objects.count() == 1


def test_a_copy_differing_only_in_whitespace_is_the_same_article(staff_client, article_2023):
    copy = "  " + article_2023.text.replace(" ", "\n  ", 3) + "\n"
    errors = text_errors(staff_client.post(ADD_URL, source_form(text=copy)))
    assert "already stored (same content hash)" in errors and article_2023.title in errors


def test_editing_a_source_to_another_sources_text_is_a_form_error(staff_client, article_2023, article_2024):
    data = source_form(title=article_2024.title, text=article_2023.text)
    errors = text_errors(staff_client.post(change_url(article_2024), data))
    assert "already stored" in errors and article_2023.title in errors
    article_2024.refresh_from_db()
    assert article_2024.text != article_2023.text


def test_saving_a_source_unchanged_is_not_a_second_copy_of_itself(staff_client, overtures, article_2023):
    data = source_form(title="A better title", text=article_2023.text, published_text="2023-12-23")
    assert staff_client.post(change_url(article_2023), data).status_code == 302
    article_2023.refresh_from_db()
    assert article_2023.title == "A better title"


def test_editing_a_source_text_that_breaks_a_citation_is_refused_listing_it(
    staff_client, overtures, article_2023
):
    citation = overtures.citations.get()
    before = article_2023.text
    edited = "UPDATE: " + before  # every offset moves by 8 characters
    errors = text_errors(
        staff_client.post(change_url(article_2023), source_form(title=article_2023.title, text=edited))
    )
    assert "breaks 1 citation(s)" in errors
    assert overtures.title in errors and citation.quote[:40] in errors
    assert f"{citation.char_start}..{citation.char_end}" in errors
    assert f"at {citation.char_start + 8}..{citation.char_end + 8}" in errors  # where the quote moved
    article_2023.refresh_from_db()
    assert article_2023.text == before
    assert article_2023.history.count() == 1


def test_editing_a_source_text_that_removes_a_quote_is_refused(staff_client, overtures, article_2023):
    edited = article_2023.text.replace("never-before-reported", "unreported")
    errors = text_errors(
        staff_client.post(change_url(article_2023), source_form(title=article_2023.title, text=edited))
    )
    assert "breaks 1 citation(s)" in errors and overtures.title in errors


def test_editing_a_source_text_after_its_cited_quotes_is_saved(staff_client, overtures, article_2023):
    edited = article_2023.text + " A correction was appended."
    response = staff_client.post(change_url(article_2023), source_form(title=article_2023.title, text=edited))
    assert response.status_code == 302
    article_2023.refresh_from_db()
    assert article_2023.text == edited
    citation = overtures.citations.get()
    assert edited[citation.char_start : citation.char_end] == citation.quote


def test_a_new_source_with_a_new_text_is_still_added(staff_client, article_2023):
    assert staff_client.post(ADD_URL, source_form(text="A different article.")).status_code == 302
    assert services.source_get_or_create(title="x", text="A different article.")[1] is False

"""The bulk import's inline field checks agree with Django's own validation (they only skip its cost)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.bulk_import import _PLAIN_URL, BadRecord, _field_checker, _plain_url
from timeline.models import Event, Party, Source


@settings(max_examples=300, deadline=None)
@given(st.from_regex(_PLAIN_URL, fullmatch=True))
def test_every_url_the_fast_path_accepts_django_accepts_too(url):
    if _plain_url(url):
        URLValidator()(url)  # raises if the fast path let through what Django refuses


@pytest.mark.parametrize(
    "url",
    ["https://пример.рф/статья", "http://192.168.0.1/a", "http://[::1]:8000/", "ftp://example.org/file",
     "https://user:pw@example.org/", "https://example.org?q=1"],
)
def test_a_valid_url_outside_the_fast_path_is_still_accepted(url):
    check = _field_checker(Source)
    assert not _plain_url(url)
    assert check("url", url, 1) == url


@pytest.mark.parametrize(
    "url", ["example.org/a", "https://exa mple.org/", "javascript:alert(1)", "https://-bad-.org/", "http://x"]
)
def test_an_invalid_url_gets_djangos_message_with_the_line(url):
    with pytest.raises(BadRecord) as caught:
        _field_checker(Source)("url", url, 7)
    assert (caught.value.line, caught.value.field) == (7, "url")
    assert "Enter a valid URL." in caught.value.message


@pytest.mark.parametrize(
    ("model", "name", "value"),
    [(Event, "key", "has space"), (Event, "key", "é-accent"), (Party, "slug", "a/b"), (Party, "slug", ""),
     (Party, "wikidata_id", "X12"), (Party, "kind", "planet"), (Event, "title", "x" * 301)],
)
def test_inline_checks_refuse_what_field_clean_refuses(model, name, value):
    field = model._meta.get_field(name)
    with pytest.raises(ValidationError):
        field.clean(value, None)
    with pytest.raises(BadRecord):
        _field_checker(model)(name, value, 1)


@pytest.mark.parametrize(
    ("model", "name", "value"),
    [(Event, "key", "invasion-2022_a"), (Party, "slug", "russia"), (Party, "wikidata_id", "Q212"),
     (Party, "wikidata_id", ""), (Event, "summary", "")],
)
def test_inline_checks_accept_what_field_clean_accepts(model, name, value):
    assert model._meta.get_field(name).clean(value, None) == value
    assert _field_checker(model)(name, value, 1) == value

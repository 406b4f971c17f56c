"""The bulk import's inline field checks agree with Django's own validation (they only skip its cost)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.bulk_import import _PLAIN_URL, BadRecord, _field_checks, _plain_url
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
    assert not _plain_url(url)
    assert _field_checks(Source)["url"](url, 1) == url


@pytest.mark.parametrize(
    "url", ["example.org/a", "https://exa mple.org/", "javascript:alert(1)", "https://-bad-.org/", "http://x"]
)
def test_an_invalid_url_gets_djangos_message_with_the_line(url):
    with pytest.raises(BadRecord) as caught:
        _field_checks(Source)["url"](url, 7)
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
        _field_checks(model)[name](value, 1)


@pytest.mark.parametrize(
    ("model", "name", "value"),
    [(Event, "key", "invasion-2022_a"), (Party, "slug", "russia"), (Party, "wikidata_id", "Q212"),
     (Party, "wikidata_id", ""), (Event, "summary", "")],
)
def test_inline_checks_accept_what_field_clean_accepts(model, name, value):
    assert model._meta.get_field(name).clean(value, None) == value
    assert _field_checks(model)[name](value, 1) == value


def _text_fields():
    return [(m, f.name) for m in (Party, Source, Event) for f in m._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField", "SlugField")]


def _django_accepts(field, value) -> bool:
    try:
        field.clean(value, None)
    except ValidationError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_text_fields()), st.data())
def test_each_fields_inline_check_accepts_exactly_what_field_clean_accepts(model_and_name, data):
    model, name = model_and_name
    field = model._meta.get_field(name)
    choices = [str(v) for v, _ in field.flatchoices] if field.choices else []
    value = data.draw(st.one_of(
        st.sampled_from(choices or [""]),
        st.from_regex(r"[-a-zA-Z0-9_]{0,160}", fullmatch=True),  # slugs, keys, ids, around the length limits
        st.from_regex(r"Q[0-9]{0,25}", fullmatch=True),
        st.text(max_size=12),
        st.text(min_size=295, max_size=305, alphabet="ab"),
    ))
    accepted = _django_accepts(field, value)
    try:
        result = _field_checks(model)[name](value, 3)
    except BadRecord as exc:
        assert not accepted, (name, value)
        assert (exc.line, exc.field) == (3, name)
    else:
        assert accepted, (name, value)
        assert result == field.clean(value, None)

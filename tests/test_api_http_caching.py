"""HTTP caching for readers (issue 19, api/caching.py): validators on lists, objects and exports,
304 Not Modified while they hold, a new validator after any change the response shows (whichever way
it was written), Cache-Control and Vary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.test import APIClient

from timeline import services
from timeline.models import ChangeStamp, Event, Party

from .api_helpers import content

LIST = "/api/events/?start=2022&end=2023"
EXPORTS = ("csv", "ics", "timelinejs")


@pytest.fixture
def reviewed(invasion, overtures):
    for event in (invasion, overtures):
        services.event_update(event=event, status=Event.Status.REVIEWED)
    return invasion, overtures


@pytest.fixture
def anon():
    return APIClient()


def revalidate(client, url, response, **headers):
    """The same GET again, as a cache holding ``response`` would send it."""
    return client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], **headers)


def test_an_unchanged_list_is_answered_304_with_its_validators_and_no_body(anon, reviewed):
    first = anon.get(LIST)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    again = revalidate(anon, LIST, first)
    assert again.status_code == 304
    assert content(again) == b"" and not again.has_header("Content-Length")
    for header in ("ETag", "Cache-Control", "Vary"):
        assert again[header] == first[header]


def test_a_304_of_a_list_or_an_event_costs_one_query_and_reads_no_rows(anon, reviewed, django_assert_num_queries):
    for url in (LIST, f"/api/events/{reviewed[0].pk}/"):
        first = anon.get(url)
        with django_assert_num_queries(1):  # the change stamp, by its primary key
            assert revalidate(anon, url, first).status_code == 304


def test_an_events_tag_does_not_validate_another_event(anon, reviewed):
    invasion, overtures = reviewed
    tag = anon.get(f"/api/events/{invasion.pk}/")["ETag"]
    forged = tag.replace(f'"event-{invasion.pk}-', f'"event-{overtures.pk}-')
    assert anon.get(f"/api/events/{overtures.pk}/", HTTP_IF_NONE_MATCH=forged).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda events, russia: services.event_create(title="New", date="2022-05-01", kind="other",
                                                                  status="reviewed"), id="create"),
        pytest.param(lambda events, russia: services.event_update(event=events[0], title="Changed"), id="update"),
        pytest.param(lambda events, russia: services.event_delete(event=events[1]), id="delete"),
        pytest.param(lambda events, russia: services.event_update(event=events[1], status="draft"), id="unreview"),
        # A party renamed changes no event's version, but the events show its name.
        pytest.param(lambda events, russia: Party.objects.filter(pk=russia.pk).update(name="Rossiya"), id="party-rename"),
    ],
)
def test_every_change_the_list_may_show_gives_it_a_new_validator(anon, reviewed, russia, change):
    first = anon.get(LIST)
    change(reviewed, russia)
    after = revalidate(anon, LIST, first)
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert revalidate(anon, LIST, after).status_code == 304


def test_a_write_that_bypasses_the_services_still_changes_the_validators(anon, reviewed):
    """The stamp is moved by the database's triggers: raw SQL is seen like any service."""
    invasion, _ = reviewed
    detail = f"/api/events/{invasion.pk}/"
    first_list, first_detail = anon.get(LIST), anon.get(detail)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE timeline_citation SET quote = quote WHERE event_id = %s", [invasion.pk])
    assert revalidate(anon, LIST, first_list).status_code == 200
    assert revalidate(anon, detail, first_detail).status_code == 200


def test_an_event_is_answered_304_until_a_party_it_shows_is_renamed(anon, reviewed, russia):
    invasion, _ = reviewed
    detail = f"/api/events/{invasion.pk}/"
    first = anon.get(detail)
    assert first["ETag"].startswith(f'"event-{invasion.pk}-v{invasion.version}.')
    assert revalidate(anon, detail, first).status_code == 304
    russia.name = "Rossiya"
    russia.save()
    renamed = revalidate(anon, detail, first)
    assert renamed.status_code == 200 and "Rossiya" in renamed.content.decode()
    assert renamed["ETag"] != first["ETag"]


def test_the_etag_a_reader_gets_is_the_one_if_match_accepts(token_client, reviewed):
    invasion, _ = reviewed
    detail = f"/api/events/{invasion.pk}/"
    etag = token_client.get(detail)["ETag"]
    changed = token_client.patch(detail, {"summary": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200
    # The answer to the change carries the ETag a GET now gives, so a client can keep it as read.
    assert revalidate(token_client, detail, changed).status_code == 304
    assert token_client.patch(detail, {"summary": "y"}, format="json", HTTP_IF_MATCH=etag).status_code == 412


def test_parties_sources_and_places_are_answered_304_and_per_object(anon, reviewed, russia, ukraine, article_2024):
    urls = [f"/api/parties/{russia.slug}/", f"/api/sources/{article_2024.pk}/", "/api/parties/", "/api/sources/"]
    for url in urls:
        first = anon.get(url)
        assert first.status_code == 200, url
        assert revalidate(anon, url, first).status_code == 304, url
    # A tag is only good for what it was made for: another party's is not this one's.
    russia_tag = anon.get(f"/api/parties/{russia.slug}/")["ETag"]
    assert anon.get(f"/api/parties/{ukraine.slug}/", HTTP_IF_NONE_MATCH=russia_tag).status_code == 200


def test_a_places_weak_tag_names_its_url(anon, db):
    services.place_create(name="Kyiv", slug="kyiv", kind="city")
    services.place_create(name="Lviv", slug="lviv", kind="city")
    kyiv = anon.get("/api/places/kyiv/")
    assert kyiv.status_code == 200 and kyiv["ETag"].startswith('W/"')
    assert revalidate(anon, "/api/places/kyiv/", kyiv).status_code == 304
    assert anon.get("/api/places/lviv/", HTTP_IF_NONE_MATCH=kyiv["ETag"]).status_code == 200


def test_another_query_page_or_format_has_another_validator(anon, reviewed):
    first = anon.get(LIST)
    for other in (LIST + "&kind=proposal", LIST + "&page_size=1", LIST + "&ordering=-date", LIST + "&format=csv"):
        response = anon.get(other, HTTP_IF_NONE_MATCH=first["ETag"])
        assert response.status_code == 200 and response["ETag"] != first["ETag"], other


def test_anonymous_and_editor_validators_differ_and_editors_are_private(anon, token_client, reviewed, invasion):
    services.event_update(event=invasion, status=Event.Status.DRAFT)  # only an editor sees it
    public, editor = anon.get(LIST), token_client.get(LIST)
    assert public["ETag"] != editor["ETag"]
    assert public["Cache-Control"] == "public, no-cache"
    assert editor["Cache-Control"] == "private, no-cache"
    # The anonymous reader's tag does not validate the editor's list (which shows the draft), nor the reverse.
    assert token_client.get(LIST, HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 200
    assert anon.get(LIST, HTTP_IF_NONE_MATCH=editor["ETag"]).status_code == 200
    draft = f"/api/events/{invasion.pk}/"
    editor_detail = token_client.get(draft)
    assert anon.get(draft, HTTP_IF_NONE_MATCH=editor_detail["ETag"]).status_code == 404


def test_vary_and_cache_control_come_from_the_settings(anon, reviewed, settings):
    settings.API_CACHE_CONTROL = "public, max-age=0, must-revalidate"
    response = anon.get(LIST)
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert {"Accept", "Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.parametrize("fmt", EXPORTS)
def test_exports_are_answered_304_until_a_change(anon, reviewed, fmt):
    url = f"{LIST}&format={fmt}"
    first = anon.get(url)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    content(first)
    assert revalidate(anon, url, first).status_code == 304
    services.event_update(event=reviewed[0], title="Changed")
    after = revalidate(anon, url, first)
    assert after.status_code == 200 and b"Changed" in content(after)


def test_an_exports_304_is_not_counted_by_the_export_throttle(anon, reviewed, monkeypatch):
    from api.throttling import AnonExportThrottle, AnonThrottle

    for throttle in (AnonThrottle, AnonExportThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", {"anon": "100/minute", "export": "2/minute"})
    url = f"{LIST}&format=csv"
    first = anon.get(url)
    content(first)
    assert [revalidate(anon, url, first).status_code for _ in range(4)] == [304] * 4
    assert anon.get(url).status_code == 200  # the second export
    assert anon.get(url).status_code == 429


def settle(seconds: int = 10) -> None:
    """Date the stamp back, as if the last change were ``seconds`` old (not a watched table)."""
    ChangeStamp.objects.filter(pk=1).update(changed=timezone.now() - timedelta(seconds=seconds))


def test_if_modified_since_is_answered_304_and_if_none_match_takes_precedence(anon, reviewed):
    settle()
    first = anon.get(LIST)
    last_modified = first["Last-Modified"]
    assert anon.get(LIST, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert anon.get(LIST, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200
    # If-None-Match that does not match wins over an If-Modified-Since that would.
    assert anon.get(LIST, HTTP_IF_MODIFIED_SINCE=last_modified, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200
    services.event_update(event=reviewed[0], title="Changed")
    settle(seconds=3)
    assert anon.get(LIST, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200


def test_last_modified_waits_until_the_last_change_has_settled(anon, reviewed):
    """HTTP dates have whole seconds: a change made in the same second as the last one could not move
    Last-Modified, so none is sent for a change less than api.caching.SETTLE old."""
    assert not anon.get(LIST).has_header("Last-Modified")
    settle()
    assert anon.get(LIST).has_header("Last-Modified")


def test_if_modified_since_never_turns_an_error_into_304(anon, reviewed):
    settle()
    future = http_date((timezone.now() + timedelta(days=1)).timestamp())
    assert anon.get("/api/events/999999/", HTTP_IF_MODIFIED_SINCE=future).status_code == 404
    assert anon.get("/api/events/?start=nonsense", HTTP_IF_MODIFIED_SINCE=future).status_code == 400


def test_if_none_match_star_and_head(anon, reviewed):
    assert anon.get(LIST, HTTP_IF_NONE_MATCH="*").status_code == 304
    assert anon.get("/api/events/999999/", HTTP_IF_NONE_MATCH="*").status_code == 404
    first = anon.head(LIST)
    assert first.status_code == 200 and first.has_header("ETag")
    assert anon.head(LIST, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_nested_lists_are_validated_too(anon, reviewed, russia):
    url = f"/api/parties/{russia.slug}/events/"
    first = anon.get(url)
    assert first.status_code == 200
    assert revalidate(anon, url, first).status_code == 304
    assert anon.get("/api/parties/nobody/events/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404


def test_a_deleted_stamp_row_is_made_again_by_the_next_write_with_a_new_validator(anon, reviewed):
    first = anon.get(LIST)
    ChangeStamp.objects.all().delete()  # as manage.py flush does
    services.event_update(event=reviewed[0], title="Changed")
    assert ChangeStamp.objects.get(pk=1).generation >= 1
    assert revalidate(anon, LIST, first).status_code == 200


def _triggers() -> list:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        else:
            cursor.execute("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1")
        return cursor.fetchall()


def test_a_bulk_import_gives_new_validators_and_leaves_the_triggers_as_they_were(anon, reviewed, tmp_path):
    import orjson

    from timeline.bulk_import import BadRecord, import_file

    triggers = _triggers()
    assert len(triggers) >= 7
    first = anon.get(LIST)
    party = {"type": "party", "slug": "arden", "name": "Arden", "kind": "state"}
    event = {"type": "event", "key": "imported", "title": "Imported", "date": "2022-03-01", "kind": "other",
             "status": "reviewed", "parties": [{"party": "arden", "role": "actor"}]}
    good = tmp_path / "good.jsonl"
    good.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in (party, event)))
    import_file(path=good)
    after = revalidate(anon, LIST, first)
    assert after.status_code == 200 and b"Imported" in after.content
    assert _triggers() == triggers
    # A failed import writes nothing: the triggers are back (rolled back with it), the stamp as it was.
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(orjson.dumps({**event, "key": "other", "title": ""}) + b"\n")
    stamp = ChangeStamp.objects.get(pk=1).generation
    with pytest.raises(BadRecord):
        import_file(path=bad)
    assert _triggers() == triggers
    assert ChangeStamp.objects.get(pk=1).generation == stamp
    assert revalidate(anon, LIST, after).status_code == 304
    Party.objects.filter(slug="arden").update(name="Arden Republic")  # and they still fire
    assert revalidate(anon, LIST, after).status_code == 200


@pytest.mark.parametrize("fmt", EXPORTS)
def test_an_exports_own_path_is_validated_like_its_format_parameter(anon, reviewed, fmt):
    url = f"/api/events.{fmt}?start=2022&end=2023"
    first = anon.get(url)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    content(first)
    assert revalidate(anon, url, first).status_code == 304
    services.event_update(event=reviewed[1], title="Changed")
    assert revalidate(anon, url, first).status_code == 200


def test_migrate_puts_back_change_stamp_triggers_a_table_rebuild_dropped(anon, reviewed):
    # Django's SQLite schema editor alters a table by copying it and dropping the old one, triggers
    # and all: every migrate ends by putting the stamp's triggers back (timeline.apps).
    from timeline import change_stamp

    if connection.vendor != "sqlite":
        assert change_stamp.ensure_sqlite_triggers(connection) == []  # statement triggers, never rebuilt
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER timeline_event_change_stamp_update")
    assert change_stamp.ensure_sqlite_triggers(connection) == ["timeline_event_change_stamp_update"]
    assert change_stamp.ensure_sqlite_triggers(connection) == []  # nothing missing: nothing done
    first = anon.get(LIST)
    Event.objects.filter(pk=reviewed[0].pk).update(title="Renamed by a bulk update")
    assert revalidate(anon, LIST, first).status_code == 200

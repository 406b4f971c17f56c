"""Lossless round trips (issue 7).

1. The documented backup (README, "Reliability and security"): ``dumpdata auth.group auth.user
   --natural-foreign`` and ``dumpdata timeline`` (YAML), loaded with ``loaddata`` into a truly fresh database
   (a new SQLite file; a new PostgreSQL database too when the suite runs on PostgreSQL, migrated and
   nothing else, in another process) gives back every row of every timeline table exactly, ids, dates
   and history records included (who made each change too), and the users with their groups and
   permissions.
2. The API's JSON export, written back through the API (POST per event), gives events equal in
   everything a client can write: title, summary, kind, status, key, date (EDTF, bounds, precision,
   qualifiers), parties with roles, places and citations (source, quote, offsets).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from psycopg import sql

from timeline.ingest.fixtures import fixture_file_load
from timeline.models import Citation, Event, Participation, Party, Place, Source

from .api_helpers import walk

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seeded(db, fixtures_dir, timeline, token_client, editor):
    """The curated seed fixtures (fuzzy, relative, uncertain, spans) and the API examples, with
    edits so that history holds more than creations: some by the services (no user), some by an
    editor through the API (``history_user``), and the history of an event whose anchor source was
    deleted since (a history row pointing at a row that is gone)."""
    for path in sorted(fixtures_dir.glob("*.json")):
        fixture_file_load(path=path)
    from timeline import services

    services.event_update(event=timeline["overtures"], title="The Kremlin's truce overtures", status="reviewed")
    services.event_update(event=timeline["decree"], date="2022-09-30", summary="Decree of 30 September.")
    editor.groups.add(Group.objects.get(name="editors"))
    response = token_client.patch(
        f"/api/events/{timeline['invasion'].pk}/", {"summary": "Edited by an editor."}, format="json"
    )
    assert response.status_code == 200, response.content[:300]
    anchor = services.source_create(title="Gone", text="Talks are planned for next March.", published="2023-05-01")
    planned = services.event_create(title="Talks planned", date="next March", anchor=anchor)
    services.event_update(event=planned, date="March 2024", anchor=None)
    anchor.delete()
    return timeline


def snapshot(*, milliseconds: bool) -> dict:
    """Every row of every timeline table (history included) and the users, their groups and their
    permissions (by name: a fresh database numbers permissions its own way). Django's JSON serializer
    writes date-times to the millisecond (ECMA-262): with ``milliseconds`` they are compared to the
    millisecond; everything else must be identical. Plain strings, so that another process can
    print it as JSON."""

    def rows(queryset):
        def value(v):
            if milliseconds and isinstance(v, datetime):
                return v.replace(microsecond=v.microsecond // 1000 * 1000)
            return v

        return sorted(repr(tuple(map(value, row))) for row in queryset)

    tables = {  # the change stamp counts writes (a load is one), not data: left out
        model._meta.label: rows(model._base_manager.order_by("pk").values_list())
        for model in apps.get_app_config("timeline").get_models()
        if model._meta.model_name != "changestamp"
    }
    User = get_user_model()
    tables["auth.User"] = rows(User.objects.order_by("pk").values_list())
    tables["auth.User.groups"] = rows(User.groups.through.objects.values_list("user__username", "group__name"))
    tables["auth.User.user_permissions"] = rows(
        User.user_permissions.through.objects.values_list("user__username", "permission__codename")
    )
    tables["auth.Group.permissions"] = rows(
        Group.permissions.through.objects.values_list("group__name", "permission__codename")
    )
    return tables


# --- a truly fresh database, in another process ----------------------------------------------------


def _manage(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("TEST_DATABASE_NAME", None)
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _postgres(database: str, *statements: sql.Composable) -> None:
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def targets():
    yield pytest.param("sqlite", id="fresh-sqlite-file")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # Databases of their own on the same server: never the development or the test database.
        yield pytest.param("postgresql", id="fresh-postgresql-database")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """Per kind of database, one migrated and otherwise untouched database to copy: a fresh one is
    then a copy (``CREATE DATABASE … TEMPLATE`` on PostgreSQL) instead of a migration per test."""
    templates = {}

    def template(target: str) -> str:
        if target not in templates:
            if target == "sqlite":
                path = tmp_path_factory.mktemp("fresh") / "template.sqlite3"
                _manage(f"sqlite:///{path}", "migrate", "--noinput", "-v0")
                templates[target] = str(path)
            else:
                name = "timeline_roundtrip_template"
                _postgres(name, sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)),
                          sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                _manage(f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{name}", "migrate", "--noinput", "-v0")
                templates[target] = name
        return templates[target]

    return template


@pytest.fixture
def fresh_database(migrated, tmp_path):
    """A callable giving the URL of a new database, just migrated: no user, no timeline row."""

    def make(target: str) -> str:
        if target == "sqlite":
            path = tmp_path / "fresh.sqlite3"
            shutil.copyfile(migrated("sqlite"), path)
            return f"sqlite:///{path}"
        name, template = "timeline_roundtrip_fresh", migrated("postgresql")
        _postgres(name, sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)),
                  sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
        return f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{name}"

    return make


def _snapshot_of(database_url: str, *, milliseconds: bool) -> dict:
    code = (
        "import json; from tests.test_roundtrip import snapshot; "
        f"print('SNAPSHOT=' + json.dumps(snapshot(milliseconds={milliseconds})))"
    )
    out = _manage(database_url, "shell", "-c", code)
    return json.loads(next(line for line in out.splitlines() if line.startswith("SNAPSHOT="))[9:])


@pytest.mark.parametrize("target", list(targets()))
# YAML keeps every value exactly; JSON writes date-times to the millisecond. (Not XML: Django's XML
# deserializer strips the whitespace around every value, so a search text or quote ending in a
# newline or a space comes back changed.)
@pytest.mark.parametrize(("fmt", "exact"), [("yaml", True), ("json", False)])
def test_the_documented_dump_loaded_into_a_fresh_database_restores_every_row(
    seeded, tmp_path, fresh_database, target, fmt, exact
):
    before = snapshot(milliseconds=not exact)
    assert len(before["timeline.Event"]) >= 20
    # Fixture rows are loaded raw (no history); the API-made events and the edits have history.
    assert len(before["timeline.HistoricalEvent"]) >= 6 and before["timeline.HistoricalParty"]
    assert "'api-editor'" in " ".join(before["auth.User"]) and before["auth.User.groups"]
    assert Event.history.filter(history_user__username="api-editor").exists()

    # README: the users first (by natural key: a fresh database numbers permissions its own way,
    # and groups are named), then the timeline with its ids, which its history rows refer to.
    users, timeline = tmp_path / f"users.{fmt}", tmp_path / f"timeline.{fmt}"
    call_command("dumpdata", "auth.group", "auth.user", "--natural-foreign", "--format", fmt,
                 "--output", str(users), verbosity=0)
    call_command("dumpdata", "timeline", "--format", fmt, "--output", str(timeline), verbosity=0)

    database = fresh_database(target)
    empty = _snapshot_of(database, milliseconds=False)
    assert not any(rows for name, rows in empty.items() if name != "auth.Group.permissions")

    _manage(database, "loaddata", str(users), str(timeline), "-v0")
    after = _snapshot_of(database, milliseconds=not exact)
    assert after.keys() == before.keys()
    for table, rows in before.items():
        lost, gained = sorted(set(rows) - set(after[table])), sorted(set(after[table]) - set(rows))
        assert after[table] == rows, f"{table} differs after the round trip: {lost[:3]} became {gained[:3]}"


def _empty_the_timeline_tables():
    # Dependants first; history tables have no foreign keys into them.
    for model in (Citation, Participation, Event, Source, Party, Place):
        model._base_manager.all().delete()
    for model in apps.get_app_config("timeline").get_models():
        model._base_manager.all().delete()


def test_a_natural_key_dump_of_events_created_without_a_key_loads_back(db, timeline, tmp_path):
    """Events made by the services (and so by ingestion, the admin, the API) without a key have one,
    so participations and citations, which name their event by its key, load back to the right one."""
    assert all(Event.objects.values_list("key", flat=True))
    dump = tmp_path / "natural.json"
    call_command("dumpdata", "timeline.party", "timeline.place", "timeline.source", "timeline.event",
                 "timeline.participation", "timeline.citation", "--natural-foreign", "--natural-primary",
                 "--output", str(dump), verbosity=0)
    def rows():
        return sorted(
            Citation.objects.values_list("event__key", "source__content_hash", "quote", "char_start")
        ), sorted(Participation.objects.values_list("event__key", "party__slug", "role"))

    before = rows()
    _empty_the_timeline_tables()
    call_command("loaddata", str(dump), verbosity=0)
    assert Event.objects.count() == 4
    assert rows() == before


WRITABLE = ("title", "summary", "kind", "status", "key")


def _as_write(event: dict) -> dict:
    """What a client posts to re-create an exported event: the date as its words, with the anchor
    source that resolves a relative phrase. (Its EDTF alone keeps the bounds and qualifiers but not
    the precision: "late May or early June 2024" is a month-precision window whose EDTF,
    2024-05-21%/2024-06-10%, reads back as two days.)"""
    return {
        **{name: event[name] for name in WRITABLE},
        "date": event["date"]["text"],
        "anchor_source": event["anchor_source"],
        "parties": [{"party": p["slug"], "role": p["role"]} for p in event["parties"]],
        "places": [p["slug"] for p in event["places"]],
        "citations": [
            {
                "source": c["source"]["id"],
                "quote": c["quote"],
                "char_start": c["char_start"],
                "char_end": c["char_end"],
                "attributed_to": c["attributed_to"]["slug"] if c["attributed_to"] else None,
            }
            for c in event["citations"]
        ],
    }


def _comparable(event: dict) -> dict:
    date = event["date"]
    return {
        **{name: event[name] for name in WRITABLE},
        "date": date,
        "parties": sorted((p["slug"], p["role"]) for p in event["parties"]),
        "places": sorted(p["slug"] for p in event["places"]),
        "citations": sorted(
            (c["source"]["id"], c["quote"], c["char_start"], c["char_end"], json.dumps(c["attributed_to"]))
            for c in event["citations"]
        ),
    }


def test_the_api_json_export_written_back_through_the_api_gives_the_same_events(seeded, token_client):
    exported = walk(token_client, "/api/events/?page_size=200")
    assert len(exported) >= 20
    assert any(e["citations"] for e in exported) and any(e["places"] for e in exported)
    assert any(e["date"]["uncertain"] for e in exported) and any("/" in e["date"]["edtf"] for e in exported)

    for event in exported:
        assert token_client.delete(f"/api/events/{event['id']}/").status_code == 204
    assert not Event.objects.exists()

    for event in exported:
        response = token_client.post("/api/events/", _as_write(event), format="json")
        assert response.status_code == 201, (event["title"], response.content[:500])

    again = walk(token_client, "/api/events/?page_size=200")
    assert sorted(map(_comparable, again), key=repr) == sorted(map(_comparable, exported), key=repr)

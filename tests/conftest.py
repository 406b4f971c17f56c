"""Shared fixtures: a few parties and sources from the seed articles, and logged-in clients."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline import services
from timeline.models import Party

ROOT_DIR = Path(__file__).resolve().parent.parent

INVASION_TEXT = (
    "On February 24, 2022, Russia launched a military operation in Ukraine, which has since escalated. "
    "In November last year, he declared peace negotiations could only proceed once Crimea is back."
)
OVERTURES_TEXT = (
    "The New York Times revealed on Saturday that these informal diplomatic engagements have been taking place. "
    "Notably, in September 2022, the U.S. officials received never-before-reported overtures from the Kremlin "
    "for a truce as Ukraine regained control of significant portions of its territory."
)


@pytest.fixture
def russia(db):
    return services.party_create(name="Russia", kind=Party.Kind.STATE, aliases=["Kremlin", "Moscow"])


@pytest.fixture
def ukraine(db):
    return services.party_create(name="Ukraine", kind=Party.Kind.STATE, aliases=["Kyiv"])


@pytest.fixture
def zelensky(db, ukraine):
    return services.party_create(
        name="Volodymyr Zelensky",
        kind=Party.Kind.PERSON,
        slug="volodymyr-zelensky",
        aliases=["Zelensky", "Zelenskyy"],
        affiliation=ukraine,
        wikidata_id="Q3881",
    )


@pytest.fixture
def nyt(db):
    return services.party_create(name="The New York Times", kind=Party.Kind.MEDIA, slug="the-new-york-times")


@pytest.fixture
def article_2024(db):
    """An article only placed in late May or early June 2024, like seed 000."""
    return services.source_create(
        title="Putin Expresses Readiness for Peace Talks",
        text=INVASION_TEXT,
        published="late May or early June 2024",
    )


@pytest.fixture
def article_2023(db, nyt):
    """An article published on Saturday 23 December 2023, like seed 002."""
    return services.source_create(
        title="Putin Expresses Willingness to Discuss Ceasefire",
        text=OVERTURES_TEXT,
        published="2023-12-23",
        publisher=nyt,
        url="https://example.org/ceasefire",
    )


@pytest.fixture
def invasion(db, russia, ukraine, article_2024):
    quote = "On February 24, 2022, Russia launched a military operation in Ukraine"
    return services.event_create(
        title="Russia launches its military operation in Ukraine",
        date="February 24, 2022",
        kind="military_action",
        parties=[(russia, "actor"), (ukraine, "target")],
        citations=[services.CitationInput(source=article_2024, quote=quote)],
    )


@pytest.fixture
def overtures(db, russia, article_2023):
    quote = "in September 2022, the U.S. officials received never-before-reported overtures from the Kremlin"
    return services.event_create(
        title="The Kremlin makes truce overtures to U.S. officials",
        date="September 2022",
        kind="proposal",
        parties=[(russia, "actor")],
        citations=[services.CitationInput(source=article_2023, quote=quote)],
    )


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-123")
    client.force_login(user)
    return client


# --- seeds and ingestion ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fixtures_dir():
    return ROOT / "fixtures"


@pytest.fixture
def seeds_dir():
    return ROOT / "seeds"


@pytest.fixture
def articles_dir():
    """Articles written for the tests, in shapes the seeds do not have (see tests/articles/README.md)."""
    return Path(__file__).resolve().parent / "articles"


@pytest.fixture
def seed_parties(db, fixtures_dir):
    """The curated places and parties, loaded the way load_seeds loads them."""
    from timeline.ingest.fixtures import fixture_file_load

    for name in ("01_places.json", "02_parties.json"):
        fixture_file_load(path=fixtures_dir / name)
    return {p.slug: p for p in Party.objects.all()}


@pytest.fixture
def seed_articles(seeds_dir):
    """The two seed articles as the reader gives them, with their manifest entries applied."""
    from timeline.ingest.article import read_article
    from timeline.ingest.manifest import manifest_entry, manifest_load

    manifest = manifest_load(seeds_dir / "manifest.json")
    return {
        path.name[:3]: read_article(
            path, overrides=manifest_entry(manifest, path), known_publishers=["ICARO Media Group"]
        )
        for path in sorted(seeds_dir.glob("*.txt"))
    }


@pytest.fixture
def fictional_parties(db):
    """The parties of the articles under tests/articles/."""
    arden = services.party_create(name="Arden", kind=Party.Kind.STATE)
    belmore = services.party_create(name="Belmore", kind=Party.Kind.STATE)
    return {
        "arden": arden,
        "belmore": belmore,
        "mara-voss": services.party_create(
            name="Mara Voss", kind=Party.Kind.PERSON, aliases=["Voss"], affiliation=arden
        ),
        "tomas-wren": services.party_create(
            name="Tomas Wren", kind=Party.Kind.PERSON, aliases=["Wren"], affiliation=arden
        ),
        "the-northern-ledger": services.party_create(name="The Northern Ledger", kind=Party.Kind.MEDIA),
    }


@pytest.fixture
def timeline_snapshot(db):
    """A callable returning every row of every timeline table (history included), to prove that
    something changed nothing. The change stamp is left out: it counts writes, not changes (a row
    written again as it was moves it on, and readers' caches fetch once more), and
    tests/test_api_http_caching.py holds its rules."""
    from django.apps import apps

    from timeline.models import ChangeStamp

    def snapshot():
        return {
            model._meta.label: sorted(map(repr, model._base_manager.order_by("pk").values_list()))
            for model in apps.get_app_config("timeline").get_models()
            if model is not ChangeStamp
        }

    return snapshot


# --- API fixtures --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_throttle_history(settings, tmp_path_factory):
    """The anonymous throttles count requests in the ``throttle`` cache (files shared by workers):
    each test has its own directory of them, so whether a test is throttled never depends on which
    tests ran before it, nor on another test run in the same checkout. Files even when the
    environment names a SHARED_CACHE_URL (tests/test_shared_cache.py brings its own Redis)."""
    from django.core.cache import cache

    from timeline.settings import shared_cache_config

    settings.CACHES = {
        **settings.CACHES,
        "throttle": shared_cache_config(url="", prefix="throttle", directory=str(tmp_path_factory.mktemp("throttle"))),
        "replica_pins": shared_cache_config(url="", prefix="replica-pins", directory=str(tmp_path_factory.mktemp("pins"))),
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def decree(db, ukraine, zelensky):
    """A year-precision event, like the seed's 2022 decree."""
    return services.event_create(
        title="Ukraine decrees that talks with Putin are impossible",
        date="2022",
        kind="decree",
        summary="A presidential decree rules out negotiations.",
        parties=[(zelensky, "actor"), (ukraine, "actor")],
    )


@pytest.fixture
def statements(db, article_2024, russia):
    """A month-precision event read from a relative phrase ("November last year") anchored on the
    publication date of the article that reports it, like the seed's 2023-11 statements."""
    quote = "he declared peace negotiations could only proceed once Crimea is back"
    return services.event_create(
        title="Statements that talks need Crimea back",
        date="November last year",
        anchor=article_2024,
        kind="statement",
        parties=[(russia, "target")],
        citations=[services.CitationInput(source=article_2024, quote=quote)],
    )


@pytest.fixture
def timeline(invasion, overtures, decree, statements):
    """The four dated events the API examples talk about, by name."""
    return {"invasion": invasion, "overtures": overtures, "decree": decree, "statements": statements}


@pytest.fixture
def drafts_public(settings):
    """Drafts shown to anonymous readers too (``TIMELINE_PUBLIC_DRAFTS``), for the tests of reading
    events whatever their status (filters, formats, pages, query counts): the events the fixtures
    create are drafts, as the services make them. Who sees drafts by default is
    tests/test_drafts_visibility.py's."""
    settings.TIMELINE_PUBLIC_DRAFTS = True


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def editor(db, django_user_model):
    """A user allowed to add, change and delete events, parties, places and sources (not a superuser)."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "api-editor", "api-editor@example.org", "a-long-password-123"
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="timeline",
            codename__regex=r"^(add|change|delete)_(event|party|place|source)$",
        )
    )
    return user


@pytest.fixture
def editor_token(editor):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=editor).key


@pytest.fixture
def token_client(editor_token):
    """An API client authenticated as ``editor`` with a token, as a script would be."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {editor_token}")
    return client


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory):
    """One SQLite file migrated by ``manage.py migrate`` in a process of its own (3-4 s of CPU),
    made once a session; tests that run commands against a file database start from a copy."""
    import os
    import subprocess
    import sys

    path = tmp_path_factory.mktemp("migrated") / "template.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT_DIR, env=env, check=True)
    return path


@pytest.fixture
def migrated_sqlite(_migrated_sqlite_template):
    """``migrated_sqlite(path)``: a migrated SQLite database at ``path`` (a copy of one migrated file)."""
    import shutil

    def make(path):
        shutil.copyfile(_migrated_sqlite_template, path)
        return path

    return make


# A PostgreSQL cluster of the tests' own (issue 19: replicas, PgBouncer), made once per run when asked for.
# Made in the background once the tests are collected, if any of them needs it (the two hooks).
from tests.pg_throwaway import pytest_collection_finish, pytest_sessionfinish, throwaway_primary  # noqa: E402, F401

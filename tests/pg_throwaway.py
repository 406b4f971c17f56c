"""A PostgreSQL cluster of the tests' own, for what the shared server cannot give them (issue 19: a
streaming replica to stop and pause, a PgBouncer in front). It is reliability/db_outage.py's Cluster
(initdb into a temporary directory, a free port; the shared server is never touched), migrated once
per run, with an editor's API token; the tests start gunicorn processes on it.

Only on the PostgreSQL run of the suite (the features are PostgreSQL's). There, missing binaries or a
cluster that cannot be made skip the test locally and fail it under CI=true."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "reliability"))

from common import free_port, manage, request, server  # noqa: E402
from db_outage import PG_BIN, Cluster  # noqa: E402

__all__ = ["DATABASE", "EDITOR", "PASSWORD", "PG_BIN", "Cluster", "Primary", "free_port", "request", "require", "server", "throwaway_primary"]
DATABASE = "timeline_throwaway"


def require(condition: bool, why: str) -> None:
    """Skip the test for ``why`` locally; under CI=true fail it (a prerequisite is never skipped there)."""
    if not condition:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{why} (CI=true: failing instead of skipping)")
        pytest.skip(why)


def require_postgresql_run() -> None:
    from django.conf import settings

    if settings.DB_VENDOR != "postgresql":
        pytest.skip("a PostgreSQL feature: runs in `make test` with DATABASE_URL=postgres://…")


@dataclass
class Primary:
    cluster: Cluster
    directory: Path
    token: str

    @property
    def url(self) -> str:
        return self.cluster.url_for(DATABASE)


EDITOR = "load-editor"
PASSWORD = "a-long-password-for-throwaway-19"


def _prepare(cluster: Cluster) -> str:
    """What reliability/common.py's prepare_database makes (a migrated database, an editor with a
    token), with one manage.py process instead of three: the rest is SQL. The editor can also sign
    in to the admin with PASSWORD."""
    import secrets

    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    cluster.sql(f"CREATE DATABASE {DATABASE}")
    manage(cluster.url_for(DATABASE), "migrate", "--noinput", "-v", "0")
    token = secrets.token_hex(20)
    # Few iterations: the hash is only as strong as this throwaway needs (Django upgrades it at login).
    password = PBKDF2PasswordHasher().encode(PASSWORD, secrets.token_hex(8), iterations=1000)
    cluster.sql(
        "WITH u AS (INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,"
        f" is_staff, is_active, date_joined) VALUES ('{password}', false, '{EDITOR}', '', '', '', true, true,"
        " now()) RETURNING id), g AS (INSERT INTO auth_user_groups (user_id, group_id) SELECT u.id, g.id"
        " FROM u, auth_group g WHERE g.name = 'editors' RETURNING user_id)"
        f" INSERT INTO authtoken_token (key, user_id, created) SELECT '{token}', user_id, now() FROM g",
        DATABASE,
    )
    return token


def _make_primary() -> Primary:
    directory = Path(tempfile.mkdtemp(prefix="pg-throwaway-"))
    cluster = Cluster(directory / "primary", free_port())
    try:
        cluster.init()
        cluster.start()
        return Primary(cluster, directory, _prepare(cluster))
    except BaseException:
        _remove(Primary(cluster, directory, ""))
        raise


def _remove(primary: Primary) -> None:
    primary.cluster.stop()
    shutil.rmtree(primary.directory, ignore_errors=True)


# Made in the background from the moment the run's tests are collected, if one of them needs it:
# on the PostgreSQL run of `make test` the rest of the suite runs meanwhile (initdb and the
# migrations took ~15 s on a busy 2-core machine).
_early: Future | None = None


def pytest_collection_finish(session) -> None:
    global _early
    if not any("throwaway_primary" in getattr(item, "fixturenames", ()) for item in session.items):
        return
    from django.conf import settings

    if settings.DB_VENDOR == "postgresql" and (PG_BIN / "initdb").exists():
        _early = ThreadPoolExecutor(1, thread_name_prefix="pg-throwaway").submit(_make_primary)


def pytest_sessionfinish(session) -> None:
    # Made but never used (its tests deselected or failed before asking): removed all the same.
    if _early is not None and not getattr(_early, "used", False):
        try:
            _remove(_early.result())
        except Exception:  # noqa: BLE001 - it was never made: nothing to remove
            pass


@pytest.fixture(scope="session")
def throwaway_primary():
    """A running cluster with the project's database migrated and an editor token (once per run)."""
    require_postgresql_run()
    require((PG_BIN / "initdb").exists(), f"PostgreSQL's binaries are not in PG_BIN ({PG_BIN})")
    future = _early or ThreadPoolExecutor(1).submit(_make_primary)
    future.used = True
    try:
        primary = future.result()
    except Exception as exc:  # noqa: BLE001 - named in the skip or the failure
        require(False, f"could not make a throwaway PostgreSQL cluster: {exc}")
    try:
        yield primary
    finally:
        _remove(primary)

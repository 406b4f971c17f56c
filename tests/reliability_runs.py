"""What the tests that run a reliability/ script share: the database the script runs on."""

from __future__ import annotations

import os

import pytest


def suite_database(name: str) -> list:
    """The suite's kind of database, as one pytest parameter: a SQLite file (the test makes it) when
    the suite runs on SQLite; on PostgreSQL, the database ``name`` of the same server, never the
    development or the test database. A SQLite file's run in the PostgreSQL suite would repeat, to
    the byte, the one of the SQLite suite."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return [pytest.param(url.rsplit("/", 1)[0] + f"/{name}", id="postgresql")]
    return [pytest.param(None, id="sqlite-file")]

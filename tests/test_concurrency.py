"""Concurrent writers (issue 7), a small version of `make reliability`: 4 clients × 25 event
creations at once through the API of a real gunicorn server with 4 worker processes. Every
acknowledged write is stored, none is lost, no request gets a 5xx — on a SQLite file ("database is
locked" must turn into waiting: timeout=30 and BEGIN IMMEDIATE) and, when the suite runs on
PostgreSQL, on a separate database of the same server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .reliability_runs import suite_database

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "reliability" / "concurrent_writes.py"


@pytest.mark.parametrize("database", suite_database("timeline_rel_concurrency"))
def test_concurrent_api_writers_lose_nothing_and_get_no_server_error(tmp_path, database):
    database = database or f"sqlite:///{tmp_path}/concurrency.sqlite3"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--database", database, "--clients", "4", "--per-client", "25"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["requests"] == 100
    assert summary["statuses"] == {"201": 100}, summary
    assert summary["lost"] == 0 and summary["stored"] == 100, summary
    assert summary["stored_without_acknowledgement"] == 0
    assert result.returncode == 0, result.stderr[-2000:]


# These tests read the events their fixtures create (drafts) as an anonymous client: drafts shown.
_marks = globals().get("pytestmark", [])
pytestmark = [*(_marks if isinstance(_marks, list) else [_marks]), pytest.mark.usefixtures("drafts_public")]

"""Concurrent changes through a real gunicorn server (issue 17), a small version of
reliability/concurrent_patch.py: clients PATCH different fields of the same events at once (half
with If-Match), then create, change and delete events and race for party slugs. No acknowledged
change is lost, no deleted event comes back, no request gets a 5xx; on a SQLite file and, when the
suite runs on PostgreSQL, on a separate database of the same server. (Before the fix, the same run
lost 6 of 31 acknowledged fields on SQLite.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .reliability_runs import suite_database

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "reliability" / "concurrent_patch.py"


@pytest.mark.parametrize("database", suite_database("timeline_rel_concurrent_patch"))
def test_concurrent_patches_deletes_and_creates_lose_nothing_and_get_no_server_error(tmp_path, database):
    database = database or f"sqlite:///{tmp_path}/patch.sqlite3"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--database", database, "--clients", "8", "--per-client", "10"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    runs = {s["run"]: s for s in map(json.loads, result.stdout.strip().splitlines()[-2:])}
    patch, mixed = runs["patch"], runs["mixed"]
    assert patch["acknowledged_writes"] == 80 and patch["fields_checked"] > 0, patch
    assert patch["lost_updates"] == 0, patch["lost_examples"]
    assert mixed["lost_updates"] == mixed["lost_creates"] == mixed["deleted_but_stored"] == 0, mixed
    assert mixed["contended_party_slugs_created_twice"] == 0, mixed
    assert patch["server_errors"] == mixed["server_errors"] == 0
    assert result.returncode == 0, result.stderr[-2000:]


# These tests read the events their fixtures create (drafts) as an anonymous client: drafts shown.
_marks = globals().get("pytestmark", [])
pytestmark = [*(_marks if isinstance(_marks, list) else [_marks]), pytest.mark.usefixtures("drafts_public")]

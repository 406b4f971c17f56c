"""Faults (issue 7): PostgreSQL stopped while requests arrive. A throwaway cluster of its own
(reliability/db_outage.py: initdb on a free port; the shared server is never stopped), a gunicorn
server on it, readers and writers throughout. While it is down every request is a 503 JSON with a
Retry-After; once it is back the service answers again by itself within seconds; no acknowledged
write is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a PostgreSQL outage: run by the suite on PostgreSQL (the cluster is its own, not the suite's)",
)
@pytest.mark.skipif(
    not (PG_BIN / "initdb").exists() and not os.environ.get("CI"),
    reason="PostgreSQL binaries are not installed (PG_BIN); under CI this fails instead",
)
def test_postgresql_stopping_gives_503s_and_the_service_recovers_by_itself():
    result = subprocess.run(
        [sys.executable, str(ROOT / "reliability" / "db_outage.py"), "--outage", "3"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.stdout.strip(), result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    during = summary["during_outage"]
    assert during and set(during) <= {"read 503", "write 503"}, summary
    assert summary["outage_503_all_json_with_code"] and summary["outage_503_all_with_retry_after"]
    assert summary["server_errors_other_than_503"] == 0 and summary["connection_errors"] == 0
    assert summary["recovery_seconds_read"] is not None and summary["recovery_seconds_read"] < 10, summary
    assert summary["recovery_seconds_write"] is not None and summary["recovery_seconds_write"] < 10, summary
    assert summary["lost_writes"] == 0
    assert result.returncode == 0

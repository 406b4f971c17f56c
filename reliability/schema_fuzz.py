"""A dedicated schemathesis run (issue 7): every operation of the OpenAPI document, N generated
requests each (default 100: well over 1,000 in all), with an editor's token so writes run, against a
gunicorn server on a fresh SQLite file holding the seed timeline. Checks: no server error, status
codes, content types and bodies as documented.

    .venv/bin/python reliability/schema_fuzz.py [--max-examples 100] [--seed 7]

The server's access log counts what was really sent: the summary gives requests per status class
and the number of 5xx. Exits non-zero if schemathesis finds a failure or any 5xx was served.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, manage, prepare_database, project_env, server  # noqa: E402

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
# Every check but positive_data_acceptance: a request can fit the schema and still be refused for
# what it means (an unknown slug, a quote not in the source, text that is no date): a 400 naming it.
CHECKS = "all"
EXCLUDED_CHECKS = "positive_data_acceptance"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--phases",
        default="examples,fuzzing",
        help="schemathesis phases (its coverage and stateful phases add thousands of slow cases)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{tmp}/fuzz.sqlite3"
        token = prepare_database(database)
        manage(database, "load_seeds")
        access_log = Path(tmp) / "access.log"
        with server(database, workers=args.workers, access_log=access_log) as (host, port, _):
            result = subprocess.run(
                [
                    SCHEMATHESIS,
                    "run",
                    f"http://{host}:{port}/api/schema/",
                    "--header",
                    f"Authorization: Token {token}",
                    "--checks",
                    CHECKS,
                    "--exclude-checks",
                    EXCLUDED_CHECKS,
                    "--max-examples",
                    str(args.max_examples),
                    "--seed",
                    str(args.seed),
                    "--phases",
                    args.phases,
                    "--continue-on-failure",
                    "--no-color",
                ],
                cwd=ROOT,
                env=project_env(database),
                capture_output=True,
                text=True,
            )
        lines = [line.split() for line in access_log.read_text().splitlines() if len(line.split()) >= 3]
    api = [parts for parts in lines if parts[1].startswith("/api/") and parts[1] != "/api/schema/"]
    statuses = Counter(parts[-1][0] + "xx" for parts in api)
    summary = {
        "requests": len(api),
        "operations": len({(p[0], p[1]) for p in api}),
        "statuses": dict(sorted(statuses.items())),
        "server_errors": statuses.get("5xx", 0),
        "schemathesis_exit_code": result.returncode,
        "schemathesis_summary": [line for line in result.stdout.splitlines() if any(w in line for w in ("passed", "failed", "Test cases", "generated", "Operations", "errors"))][-8:],
    }
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-20000:] + result.stderr[-5000:])
    print(json.dumps(summary))
    return 0 if result.returncode == 0 and summary["server_errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

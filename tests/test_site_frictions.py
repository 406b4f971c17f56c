"""Small frictions a new user met: the favicon, the schema in a browser, banners, `make admin` without a terminal."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("timeline/favicon.svg")


def test_pages_link_their_icon(client, db):
    assert b'rel="icon"' in client.get("/").content


def test_the_api_root_links_the_schema_as_json_a_browser_shows(client, db):
    links = client.get("/api/", HTTP_ACCEPT="application/json").json()
    response = client.get(links["schema_json"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["openapi"].startswith("3.")


def test_commands_print_no_axes_banner():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stdout + result.stderr


@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="make admin needs the project's .venv")
def test_make_admin_without_a_terminal_says_how_and_fails(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SUPERUSER_")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'admin.sqlite3'}"
    result = subprocess.run(
        ["make", "--no-print-directory", "admin"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "DJANGO_SUPERUSER_USERNAME" in result.stderr
    assert "skipped" not in result.stdout + result.stderr

"""Production settings (issue 7): DJANGO_ENV=production refuses to start half-configured, passes
Django's deployment checklist without a warning, and turns on the hardened settings; API tokens can
be revoked. Settings are read at import, so each configuration runs in its own process."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(64)
PRODUCTION = {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "timeline.example.org"}

SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in %r}, default=str))
"""


def run(args: list[str], **env) -> subprocess.CompletedProcess:
    """A Python process in the project with a clean DJANGO_*/DATABASE_URL environment plus ``env``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "API_"))}
    base["DJANGO_SETTINGS_MODULE"] = "timeline.settings"
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env={**base, **env}, timeout=120
    )


def settings_of(names: list[str], **env) -> dict:
    result = run(["-c", SHOW_SETTINGS % (names,)], **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("missing", "env"),
    [
        ("DJANGO_SECRET_KEY", {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}),
        ("DJANGO_ALLOWED_HOSTS", {k: v for k, v in PRODUCTION.items() if k != "DJANGO_ALLOWED_HOSTS"}),
        ("DJANGO_SECRET_KEY", {**PRODUCTION, "DJANGO_SECRET_KEY": "  "}),
        ("DJANGO_ALLOWED_HOSTS", {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""}),
    ],
)
def test_production_refuses_to_start_without_a_secret_key_and_allowed_hosts(missing, env):
    result = run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_ENV=production" in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_SECRET_KEY": "dev-insecure-key-change-me-for-production-use-only-0123456789"}, "development key"),
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG=1 is refused"),
    ],
)
def test_production_refuses_the_development_key_and_debug(env, message):
    result = run(["manage.py", "check"], **{**PRODUCTION, **env})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_deployment_checklist_passes_without_a_warning():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_fails_the_deployment_checklist():
    # The check above can fail: without DJANGO_ENV=production the same command reports warnings.
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode != 0


def test_production_turns_on_the_hardened_settings():
    s = settings_of(
        [
            "DEBUG",
            "ALLOWED_HOSTS",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_HSTS_SECONDS",
            "SECURE_SSL_REDIRECT",
            "SECURE_CONTENT_TYPE_NOSNIFF",
            "X_FRAME_OPTIONS",
            "MIDDLEWARE",
            "REST_FRAMEWORK",
            "DATA_UPLOAD_MAX_MEMORY_SIZE",
        ],
        **PRODUCTION,
    )
    assert s["DEBUG"] is False
    assert s["ALLOWED_HOSTS"] == ["timeline.example.org"]
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] and s["X_FRAME_OPTIONS"] == "DENY"
    assert "django.middleware.csrf.CsrfViewMiddleware" in s["MIDDLEWARE"]
    assert "axes.middleware.AxesMiddleware" in s["MIDDLEWARE"]
    assert "timeline.middleware.DatabaseUnavailableMiddleware" in s["MIDDLEWARE"]
    assert "timeline.middleware.RequestSizeLimitMiddleware" in s["MIDDLEWARE"]
    assert "api.throttling.AnonThrottle" in s["REST_FRAMEWORK"]["DEFAULT_THROTTLE_CLASSES"]
    assert s["DATA_UPLOAD_MAX_MEMORY_SIZE"] <= 10 * 1024 * 1024


def test_a_revoked_token_is_refused_with_401(api_client, editor_token, timeline):
    body = {"title": "Truce overtures", "date": "September 2022"}
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {editor_token}")
    assert api_client.post("/api/events/", body, format="json").status_code == 201
    # Revoking a token is deleting it (admin "Tokens", or Token.objects.filter(user=…).delete()).
    Token.objects.filter(key=editor_token).delete()
    response = api_client.post("/api/events/", body, format="json")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_an_empty_database_url_means_the_embedded_sqlite_file():
    databases = settings_of(["DATABASES"], DATABASE_URL="")["DATABASES"]
    assert databases["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert databases["default"]["NAME"].endswith("db.sqlite3")


def test_a_database_url_with_an_unknown_scheme_names_the_variable():
    result = run(["manage.py", "check"], DATABASE_URL="mysqlx://host/name")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL: Scheme 'mysqlx://' is unknown" in result.stderr


PG = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/timeline"}


def test_postgresql_connections_bind_client_side_and_prepare_nothing_by_default():
    options = settings_of(["DATABASES"], **PG)["DATABASES"]["default"]["OPTIONS"]
    assert "server_side_binding" not in options and "prepare_threshold" not in options


def test_pg_prepare_threshold_binds_server_side_and_prepares_repeated_statements():
    options = settings_of(["DATABASES"], **PG, PG_PREPARE_THRESHOLD="5")["DATABASES"]["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5


def test_a_pg_prepare_threshold_that_is_not_a_number_is_refused_by_name():
    result = run(["-c", "import django; django.setup()"], **PG, PG_PREPARE_THRESHOLD="often")
    assert result.returncode != 0
    assert "PG_PREPARE_THRESHOLD must be a whole number or empty, not 'often'" in result.stderr


SQLITE = {"DATABASE_URL": "sqlite:////tmp/settings-check.sqlite3"}


def test_sqlite_connections_get_a_64_mib_page_cache_by_default():
    options = settings_of(["DATABASES"], **SQLITE)["DATABASES"]["default"]["OPTIONS"]
    assert "PRAGMA cache_size=-65536;" in options["init_command"]


def test_sqlite_cache_mib_sets_the_page_cache_and_a_bad_value_is_refused_by_name():
    options = settings_of(["DATABASES"], **SQLITE, SQLITE_CACHE_MIB="8")["DATABASES"]["default"]["OPTIONS"]
    assert "PRAGMA cache_size=-8192;" in options["init_command"]
    result = run(["-c", "import django; django.setup()"], **SQLITE, SQLITE_CACHE_MIB="lots")
    assert result.returncode != 0
    assert "SQLITE_CACHE_MIB must be a whole number of MiB (1 or more), not 'lots'" in result.stderr


def test_import_reader_process_is_on_by_default_off_with_0_and_a_bad_value_is_refused_by_name():
    assert settings_of(["IMPORT_READER_PROCESS"], **SQLITE)["IMPORT_READER_PROCESS"] is True
    assert settings_of(["IMPORT_READER_PROCESS"], **SQLITE, IMPORT_READER_PROCESS="0")["IMPORT_READER_PROCESS"] is False
    result = run(["-c", "import django; django.setup()"], **SQLITE, IMPORT_READER_PROCESS="yes")
    assert result.returncode != 0
    assert "IMPORT_READER_PROCESS must be 1 or 0, not 'yes'" in result.stderr

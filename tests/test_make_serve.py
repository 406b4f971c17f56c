"""`make serve` (issue 17): the production server runs the production settings whatever DJANGO_ENV
says, refuses to start without a secret key of its own (saying how to make one), answers without a
debug page, sends a Content-Security-Policy, and does not announce the server software."""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or not (ROOT / ".venv" / "bin" / "gunicorn").exists(),
    reason="needs make and the project's .venv (make install)",
)


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "TEST_DATABASE"))}
    return {**env, **extra}


def test_make_serve_without_a_secret_key_refuses_and_says_how_to_make_one():
    result = subprocess.run(["make", "--no-print-directory", "serve"], cwd=ROOT, env=_env(), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode != 0
    assert "export DJANGO_SECRET_KEY='" in result.stdout
    assert "make run" in result.stdout  # where the development server is


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, **headers) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_make_serve_runs_the_production_settings_and_hides_the_server_software(tmp_path):
    port = _free_port()
    env = _env(
        DJANGO_ENV="development",  # what a shell may have exported: `make serve` is production regardless
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",  # plain HTTP here; behind the proxy it redirects
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    run = subprocess.Popen(["make", "--no-print-directory", "serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                response = _get(port, "/no-such-page/")
                break
            except OSError:
                assert run.poll() is None, run.stdout.read().decode()[-3000:]
                assert time.monotonic() < deadline, "make serve did not start"
                time.sleep(0.5)
        assert response.status == 404
        assert b"URLconf" not in response.body  # DEBUG's 404 page lists the URL patterns
        assert response.getheader("Server") is None
        assert "default-src 'self'" in response.getheader("Content-Security-Policy")
        # As the TLS proxy in front forwards it: only the production settings trust the header, and
        # then send HSTS.
        events = _get(port, "/api/events/?format=json", **{"X-Forwarded-Proto": "https"})
        assert events.status == 200 and events.getheader("Server") is None
        assert events.getheader("Strict-Transport-Security")
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.communicate(timeout=60)

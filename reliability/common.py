"""Shared by the reliability scripts: a throwaway database, a real server process, an editor token."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def project_env(database_url: str, **extra) -> dict:
    """The environment of a server or manage.py process on ``database_url`` (development settings,
    DEBUG off so no query log grows under load)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TEST_DATABASE"))}
    # DJANGO_ENV named: gunicorn.conf.py makes production the default for a server started bare.
    env.update(DATABASE_URL=database_url, DJANGO_ENV="development", DJANGO_DEBUG="0", PYTHONDONTWRITEBYTECODE="1", LOG_LEVEL="WARNING")
    env.update(extra)
    return env


def manage(database_url: str, *args: str, check=True) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=project_env(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare_database(database_url: str) -> str:
    """Create (PostgreSQL) and migrate the database; return an editor's API token."""
    manage(database_url, "ensure_database")
    manage(database_url, "migrate", "--noinput", "-v", "0")
    out = manage(
        database_url,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User\n"
        "from rest_framework.authtoken.models import Token\n"
        "u, _ = User.objects.get_or_create(username='load-editor')\n"
        "u.groups.add(Group.objects.get(name='editors'))\n"
        "print('TOKEN=' + Token.objects.get_or_create(user=u)[0].key)",
    )
    return next(line[6:] for line in out.splitlines() if line.startswith("TOKEN="))


def shell_json(database_url: str, code: str):
    """Run ``code`` (which prints one JSON line prefixed with JSON=) in manage.py shell."""
    out = manage(database_url, "shell", "-c", code)
    return json.loads(next(line[5:] for line in out.splitlines() if line.startswith("JSON=")))


@contextlib.contextmanager
def server(database_url: str, *, workers: int = 4, threads: int = 1, port: int | None = None, access_log=None, env=None):
    """A gunicorn process serving the project on a free port; yields (host, port, process).
    ``env``: more environment variables for it (settings, e.g. DATABASE_REPLICA_URLS)."""
    port = port or free_port()
    log_args = ["--access-logfile", str(access_log), "--access-logformat", "%(m)s %(U)s %(s)s"] if access_log else []
    # The server's log goes to a file, never to a pipe nobody reads while it runs: an outage logs a
    # warning per 503, and once the pipe's 64 KiB were full every worker blocked writing to it.
    errors = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(
        [
            GUNICORN,
            "timeline.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
            *log_args,
        ],
        cwd=ROOT,
        env=project_env(database_url, **(env or {})),
        stdout=subprocess.DEVNULL,
        stderr=errors,
        text=True,
    )
    proc.errors = errors
    try:
        wait_until_serving("127.0.0.1", port, proc)
        yield "127.0.0.1", port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        errors.close()


def wait_until_serving(host: str, port: int, proc=None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            proc.errors.seek(0)
            raise RuntimeError(f"the server exited: {proc.errors.read()[-3000:]}")
        try:
            status, _, _ = request(host, port, "GET", "/api/")
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not start")


def request(host, port, method, path, body=None, headers=None, conn=None, timeout=60):
    """One HTTP request; returns (status, headers, parsed JSON or raw bytes)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        hdrs = {"Accept": "application/json", **(headers or {})}
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=hdrs)
        response = conn.getresponse()
        raw = response.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw
        return response.status, dict(response.getheaders()), payload
    finally:
        if own:
            conn.close()

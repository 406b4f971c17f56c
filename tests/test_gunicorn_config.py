"""gunicorn as `make serve` runs it: a long streamed response (a full export) is not cut at the worker timeout."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_response_streaming_longer_than_the_worker_timeout_arrives_whole():
    port = _free_port()
    server = subprocess.Popen(
        [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "--timeout", "2", "--chdir", str(ROOT / "tests" / "data"),
         "--bind", f"127.0.0.1:{port}", "slow_stream_app:app"],
        env={"PATH": "/usr/bin:/bin", "SLOW_STREAM_SECONDS": "6", "DJANGO_ENV": "development"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            lines = response.read().decode().split()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    # A sync worker is killed at the timeout (2 s) mid-stream: the client got 1-2 lines of 6.
    assert lines == [str(i) for i in range(6)], output
    assert "WORKER TIMEOUT" not in output

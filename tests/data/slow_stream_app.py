"""A WSGI app that streams one line a second for SLOW_STREAM_SECONDS seconds (tests/test_gunicorn_config.py)."""

import os
import time


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def body():
        for i in range(int(os.environ.get("SLOW_STREAM_SECONDS", "5"))):
            time.sleep(1)
            yield f"{i}\n".encode()

    return body()

"""gunicorn's configuration (gunicorn reads ./gunicorn.conf.py by itself; `make serve` names it too).

- The production settings: gunicorn is the production server, so ``DJANGO_ENV`` is ``production``
  unless the environment says otherwise (the settings then refuse to start without a secret key and
  allowed hosts, and DEBUG is off: an error is never a debug page showing the settings).
- No ``Server: gunicorn`` header: gunicorn has no setting for it and writes it itself, after the
  application (a middleware cannot remove it), so its response's default headers are filtered here,
  in the master, before the workers are forked.
"""

import os

from gunicorn.http import wsgi

os.environ.setdefault("DJANGO_ENV", "production")

_default_headers = wsgi.Response.default_headers


def _without_server_header(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _without_server_header

# Threaded workers (issue 18: full exports). A sync worker tells the master it is alive only between
# requests, so a streamed export of a million events (minutes) was killed at gunicorn's 30 s timeout
# and the client got a silently cut file; a gthread worker's main loop keeps reporting while its
# threads serve. The database budgets (API_STATEMENT_TIMEOUT_MS, API_LOCK_TIMEOUT_MS) bound what a
# request may cost instead. GUNICORN_THREADS sets the threads a worker (default 4).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

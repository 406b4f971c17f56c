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

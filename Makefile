# Everything a new user or CI needs: `make run` and `make test` build the virtualenv themselves.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
WEB_CONCURRENCY ?= 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run serve test lint admin bench bench-10m bench-quick clean browsers pgbouncer redis fuzz reliability dates-quality

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Migrate, load the seed timeline, serve on 127.0.0.1:$(PORT) (DATABASE_URL honoured).
run: install
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	@if $(PY) manage.py help load_seeds >/dev/null 2>&1; then $(PY) manage.py load_seeds; fi
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production server: gunicorn with static files from whitenoise, on the production settings
# (DJANGO_ENV=production: DEBUG off, a secret key and allowed hosts required). `make run` is the
# development server.
serve: export DJANGO_ENV := production
serve: install
	@if [ -z "$${DJANGO_SECRET_KEY:-}" ]; then \
	  echo "make serve runs the production settings and needs a secret key of your own, kept secret and the same on every start:"; \
	  echo "  export DJANGO_SECRET_KEY='$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')'"; \
	  echo "and the host names it answers to, e.g.: export DJANGO_ALLOWED_HOSTS=timeline.example.org"; \
	  echo "(For the development server, with DEBUG on and the public development key: make run)"; \
	  exit 1; fi
	@if [ -z "$${DJANGO_ALLOWED_HOSTS:-}" ]; then \
	  echo "make serve runs the production settings and needs the host names it answers to, e.g.:"; \
	  echo "  export DJANGO_ALLOWED_HOSTS=timeline.example.org   (127.0.0.1 to try it locally)"; \
	  exit 1; fi
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn timeline.wsgi -c gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers $(WEB_CONCURRENCY) --access-logfile -

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browsers:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: 'sudo apt-get install chromium' (browser tests skip locally, fail under CI)"; \
	  fi; \
	fi

# PgBouncer, for the tests that run the project behind it in transaction mode (issue 19,
# tests/test_db_pooler.py: they skip locally without it and fail under CI=true).
pgbouncer:
	@if ! command -v pgbouncer >/dev/null && [ ! -x /usr/sbin/pgbouncer ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null; \
	  else \
	    echo "PgBouncer is missing: 'sudo apt-get install pgbouncer' (its tests skip locally, fail under CI)"; \
	  fi; \
	fi

# redis-server, for the tests of SHARED_CACHE_URL (issue 19, tests/test_shared_cache.py: a throwaway
# server on a socket of its own; they skip locally without it and fail under CI=true) and the bench.
redis:
	@if ! command -v redis-server >/dev/null && [ ! -x /usr/bin/redis-server ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	  else \
	    echo "redis-server is missing: 'sudo apt-get install redis-server' (its tests skip locally, fail under CI)"; \
	  fi; \
	fi

# TimelineJS3 itself, for the browser tests that open our TimelineJS export in it: the published npm
# package (MPL-2.0), pinned and checked by hash, kept out of git (tests/browser/vendor/).
TIMELINEJS_VERSION := 3.9.11
TIMELINEJS_DIR     := tests/browser/vendor/timelinejs-$(TIMELINEJS_VERSION)

$(TIMELINEJS_DIR)/timeline.js:
	@if ! command -v npm >/dev/null; then echo "npm is missing: the TimelineJS browser tests will skip ('apt-get install npm')"; exit 0; fi; \
	set -e; mkdir -p $(TIMELINEJS_DIR); cd $(TIMELINEJS_DIR); \
	npm pack --silent @knight-lab/timelinejs@$(TIMELINEJS_VERSION) >/dev/null; \
	tar -xzf knight-lab-timelinejs-$(TIMELINEJS_VERSION).tgz package/dist/js/timeline.js package/dist/css/timeline.css; \
	mv package/dist/js/timeline.js package/dist/css/timeline.css .; rm -rf package knight-lab-timelinejs-*.tgz; \
	printf '%s  %s\n' 02f1843ae167f83435140be3b3228a6574cae9720e4774ae7d0050a790c9f93e timeline.js \
	  bf78018d195b3b47e934585b78da0c0b620868c3f29b923164dcf302235484f4 timeline.css | sha256sum --quiet -c \
	  || { rm -f timeline.js timeline.css; echo "TimelineJS $(TIMELINEJS_VERSION) does not match its pinned hash"; exit 1; }

browsers: $(TIMELINEJS_DIR)/timeline.js

test: install browsers pgbouncer redis
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .

# Benchmarks (bench/RESULTS.md): never part of `make test`. bench-quick stays under 10 minutes on
# 2 cores; bench takes longer (1,000,000 events are generated and imported for the HTTP part).
$(VENV)/.bench-installed: $(VENV)/.installed | redis
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: 'sudo apt-get install wrk'"; exit 1; fi; }
	touch $@

bench-quick: $(VENV)/.bench-installed
	$(PY) -m bench.run --quick

bench: $(VENV)/.bench-installed
	$(PY) -m bench.run

# 10,000,000 events imported into PostgreSQL and served once (issue 19): import time, database size,
# p50/p99 of the range query and of a deep page, RSS. Not part of `make bench`: about 11 GB of
# generated data, ~30 GB of database and an hour or more on 2 cores (bench/RESULTS.md).
bench-10m: $(VENV)/.bench-installed
	$(PY) -m bench.scale --events 10000000

# An editor account (a superuser). On a terminal it asks; without one (a script, CI, docker exec
# without -t) it reads DJANGO_SUPERUSER_USERNAME / _PASSWORD / _EMAIL, and says so when they are unset.
admin: install
	$(PY) manage.py migrate --noinput
	@if [ -n "$${DJANGO_SUPERUSER_USERNAME:-}" ]; then \
	  $(PY) manage.py createsuperuser --noinput; \
	elif [ -t 0 ]; then \
	  $(PY) manage.py createsuperuser; \
	else \
	  echo "make admin: no terminal to ask for a username and password. Either run it in a terminal, or set" >&2; \
	  echo "  DJANGO_SUPERUSER_USERNAME=editor DJANGO_SUPERUSER_PASSWORD='a long passphrase' DJANGO_SUPERUSER_EMAIL=you@example.org make admin" >&2; \
	  exit 1; \
	fi

# Issue 7. fuzz: schemathesis over every API operation against a real server (100 generated
# requests per operation, with an editor token) and the date-parser properties at 5,000 examples each.
fuzz: install
	$(PY) reliability/schema_fuzz.py --max-examples 100
	FUZZ_EXAMPLES=5000 $(PY) -m pytest -q tests/test_fuzz_dates.py

# Issue 7. reliability: 8 concurrent API writers x 250 events on a SQLite file (and on PostgreSQL
# when DATABASE_URL names one), then PostgreSQL stopped and restarted under load (a throwaway cluster).
reliability: install
	$(PY) reliability/concurrent_writes.py --clients 8 --per-client 250
	@case "$${DATABASE_URL:-}" in postgres*) \
	  $(PY) reliability/concurrent_writes.py --clients 8 --per-client 250 --database "$${DATABASE_URL%/*}/timeline_reliability_load";; esac
	$(PY) reliability/db_outage.py --outage 5

clean:
	rm -rf $(VENV) db.sqlite3* test_db*.sqlite3* staticfiles .pytest_cache bench/work

# The date finder beside chrono-node and dateparser on the TimeML development set (read in place
# from ../shared/reference/timeml; see bench/dates_quality.py). Needs node and npm.
dates-quality: install
	$(PY) -m bench.dates_quality

# Everything a new user or CI needs: `make run` and `make test` build the virtualenv themselves.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
WEB_CONCURRENCY ?= 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run serve test lint admin bench bench-quick clean browsers fuzz reliability

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

test: install browsers
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .

# Benchmarks (bench/RESULTS.md): never part of `make test`. bench-quick stays under 10 minutes on
# 2 cores; bench takes longer (1,000,000 events are generated and imported for the HTTP part).
$(VENV)/.bench-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: 'sudo apt-get install wrk'"; exit 1; fi; }
	touch $@

bench-quick: $(VENV)/.bench-installed
	$(PY) -m bench.run --quick

bench: $(VENV)/.bench-installed
	$(PY) -m bench.run

admin: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createsuperuser

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

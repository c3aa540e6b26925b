# The single entry point: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432
# `make run PORT=8001 HOST=…`: another port or address (README.md).
HOST ?= 127.0.0.1
PORT ?= 8000
# The development server runs with DEBUG on (and its development secret key).
DEV_ENV := DEBUG=1 PUBLIC_BASE_URL=http://$(HOST):$(PORT)
# Tests run with DEBUG off, as production does, so they need a (throwaway) key.
TEST_ENV := SECRET_KEY=test-only-not-a-secret
DEMO_USER ?= demo
DEMO_PASSWORD ?= demo-ngoai-vu-2026

.PHONY: run test install messages migrate demo test-sqlite test-postgres lint clean bench load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP) messages

# Compiled translations are built, not committed (gettext ships with our machines).
messages: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py compilemessages -v0 --ignore=$(VENV)

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_reference
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py ensure_demo_login $(DEMO_USER) --password '$(DEMO_PASSWORD)'

run: demo
	@echo
	@echo "  Admin:     http://$(HOST):$(PORT)/admin/"
	@echo "  Login:     $(DEMO_USER) / $(DEMO_PASSWORD)   (local demo account)"
	@echo "  API:       http://$(HOST):$(PORT)/api/v1/   (token: DEBUG=1 $(BIN)/python manage.py issue_token $(DEMO_USER) --scopes read,write,personal-data)"
	@echo "  API docs:  http://$(HOST):$(PORT)/api/docs/"
	@echo "  Calendar:  http://$(HOST):$(PORT)/calendar/public.ics   (public feed; your own: admin → Calendar feeds)"
	@echo
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: test-sqlite test-postgres lint

test-sqlite: install
	$(TEST_ENV) $(BIN)/pytest -q -p no:cacheprovider

# PostgreSQL half: required in CI, skipped with a message elsewhere when no server answers.
test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		$(TEST_ENV) DATABASE_URL=$(PG_URL)/crm $(BIN)/pytest -q -p no:cacheprovider; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL is not reachable at $(PG_URL) and CI is set: failing." >&2; exit 1; \
	else \
		echo "*** PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL half of the suite. ***"; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks (not part of `make test`): bench/README.md. Sizes: BENCH_PEOPLE, BENCH_ORGANIZATIONS,
# BENCH_INTERACTIONS; BENCH_DATABASES=sqlite to skip PostgreSQL; BENCH_REPEAT runs per operation.
bench: install
	PG_URL=$(PG_URL) $(BIN)/python -m bench

# Load and fault runs (not part of `make test`): two gunicorn instances on a PostgreSQL cluster
# of their own and Redis, 50 clients for 60 s, then PostgreSQL restarted under load (FAULT=0
# skips that). Results: load/results/latest.md. See load/README.md.
FAULT ?= 1
LOAD_STAMP := $(VENV)/.installed-load
$(LOAD_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,load]'
	touch $@

load: install $(LOAD_STAMP)
	FAULT=$(FAULT) bash load/run.sh

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache

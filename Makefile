# BackRelief — the two commands are `make run` and `make test` (README quick start).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/dev.lock
FRONT_STAMP := var/frontend/.built
# Extra pytest arguments for the test targets, e.g. PYTEST_ARGS="--junitxml=var/ci/unit.xml" (.ci/run).
PYTEST_ARGS ?=
# Extra benchmark arguments, e.g. BENCH_ARGS=--large (10,000 therapists / 1,000,000 bookings).
BENCH_ARGS ?=

.PHONY: help
help:
	@echo "make run          set everything up and serve on http://127.0.0.1:8000"
	@echo "make test         format check, lint, types and the test suite"
	@echo "make test-postgres  database tests against PostgreSQL (DATABASE_URL or loopback)"
	@echo "make test-browser Playwright + axe-core browser tests (needs Debian's chromium)"
	@echo "make bench        benchmarks -> var/bench/results.json;  make bench-smoke: tiny version"
	@echo "                  (BENCH_ARGS=--large: booking figures at 10,000 therapists)"
	@echo "make fmt          format the code;  make lock: re-pin dependencies"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python $(LOCK) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python $(LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

.PHONY: install
install: $(STAMP) frontend messages

$(FRONT_STAMP): frontend/package.json frontend/package-lock.json frontend/build.mjs
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	node frontend/build.mjs
	@touch $(FRONT_STAMP)

.PHONY: frontend
frontend: $(FRONT_STAMP)

.PHONY: messages
messages: $(STAMP)
	@cd src/backrelief && ../../$(BIN)/django-admin compilemessages --ignore=.venv -v0

.PHONY: run
run: install
	$(BIN)/backrelief run --setup --worker

.PHONY: test
test: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy src bench
	$(BIN)/pytest -n auto -m "not browser and not postgres_only" --hypothesis-profile=$${HYPOTHESIS_PROFILE:-dev} $(PYTEST_ARGS)

.PHONY: test-postgres
test-postgres: install
	BACKRELIEF_REQUIRE_POSTGRES=1 DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/backrelief} \
	  $(BIN)/pytest -n auto -m "db and not sqlite_only" --hypothesis-profile=ci $(PYTEST_ARGS)

.PHONY: test-browser
test-browser: install
	$(BIN)/pytest -m browser -p no:xdist $(PYTEST_ARGS)

.PHONY: bench
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

.PHONY: bench-smoke
bench-smoke: install
	$(BIN)/python bench/run.py --smoke

.PHONY: fmt
fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: lock
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements/dev.lock -q
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements/prod.lock -q

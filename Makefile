# clinic-intake: `make run` serves the kiosk, `make test` runs every check. Both work from nothing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

# Debian packages: WeasyPrint's libraries at run time; a browser, PDF tools, PostgreSQL and
# Redis for tests.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 cups-client
TEST_DEBS := chromium poppler-utils fonts-dejavu-core postgresql nginx-light cups printer-driver-cups-pdf \
	redis-server
# `make run-production`: nginx in front of gunicorn.
PROD_DEBS := nginx-light redis-server

.PHONY: install install-dev run test test-fast test-postgres lint translations instance db debs-run debs-test bench \
	clean

install: debs-run $(VENV)/.runtime translations instance

install-dev: install debs-test $(VENV)/.dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every package pinned with its hashes (pip-compile; docs/security.md): pip refuses anything else.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

debs-run:
	@scripts/debs.sh $(RUN_DEBS)

debs-test:
	@scripts/debs.sh $(TEST_DEBS)

translations: $(VENV)/.runtime
	@for dir in translations/*/; do \
	  if ls $$dir*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	    $(BIN)/pybabel -q compile --use-fuzzy -d $$dir || exit 1; \
	  fi; \
	done

# instance/ holds the secret key, the audit key (it keys the audit chain's HMACs and must never
# sit beside the database in a backup), the SQLite database and the audit head; none is ever
# committed. Owner-only: the folder 0700, the keys 0600 (the app keeps the rest 0600).
instance:
	@mkdir -p instance
	@chmod 700 instance
	@for key in secret_key audit_key; do \
	  if [ ! -s instance/$$key ]; then \
	    (umask 077; $(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > instance/$$key); \
	    echo "wrote a new instance/$$key"; \
	  fi; \
	  chmod 600 instance/$$key; \
	done

db: install
	$(FLASK) db upgrade heads

# This machine only: gunicorn on loopback whatever HOST says (zsh and tcsh set HOST to the
# machine's name). Its sync workers read requests themselves, so two clients sending their headers
# slowly freeze it: on a network nginx must read requests first, which is `make run-production`.
run: db
	@echo "make run: serving http://127.0.0.1:$(PORT)/ on this machine only; for the network use \
	make run-production (nginx in front of gunicorn)"
	$(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) wsgi:app

# Production on one machine: nginx on HOST:PORT in front of gunicorn on instance/gunicorn.sock
# (README "Running in production"; deploy/). The script migrates first, as `make db` does.
.PHONY: run-production
run-production: install
	@scripts/debs.sh $(PROD_DEBS)
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) scripts/run-production.sh

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/bandit --quiet --recursive clinic --severity-level medium

# Tests run on both cores (pytest-xdist), a test file's tests on one worker, so a module's
# fixtures (216 vignette PDFs, a production server) are made once. (Not --dist loadgroup: with
# pytest 9.2 and pytest-xdist 3.8 it no longer groups anything, pytest-xdist issue #1386.)
PYTEST := $(BIN)/pytest -n 2 --dist loadfile

# The full gate: lint, type checks, security scan and every test (browser and slow ones too).
test: install-dev lint
	$(PYTEST)

# The suites that reach the database, on PostgreSQL (TEST_DATABASE_URL, e.g. from
# scripts/test-postgres.sh): CI runs `make test` on SQLite, then this.
test-postgres: install-dev
	@test -n "$$TEST_DATABASE_URL" || { echo "set TEST_DATABASE_URL (scripts/test-postgres.sh)"; exit 2; }
	$(PYTEST) -m "database and not browser"

# A quick loop while working: no real browser, no slow test, no lint. `make test` is the gate.
test-fast: install-dev
	$(PYTEST) -m "not browser and not slow" -q

# Where people wait: kiosk pages, submit and print against a real gunicorn server, triage, the
# render worker's memory, alert latency (docs/performance.md; about 4 minutes). Writes
# bench/out/latest.json. The staff pages at scale are `make bench-scale`.
bench: install-dev
	$(BIN)/python -m bench

# The staff pages with a year of a busy clinic (100,000 intakes) on SQLite and on PostgreSQL
# (Debian's, started by scripts/test-postgres.sh: run as root, as in CI; about 8 minutes);
# writes bench/out/scale.json and fails when a goal is missed (docs/scaling.md).
.PHONY: bench-scale
bench-scale: install-dev
	$(BIN)/python -m bench.scale

# Two app servers (gunicorn, two workers each) behind nginx on one PostgreSQL and one Redis, on
# this machine (as root, as in CI: it starts Debian's PostgreSQL): 8 kiosks x 25 journeys with
# one server killed midway, a login lockout across servers, a handout printed on the other
# server, `audit verify` at the end. Writes bench/out/cluster.json; fails if an intake is lost or
# duplicated (README "Scaling out"). `make test` runs a short version.
.PHONY: cluster-check
cluster-check: install-dev
	$(BIN)/python -m bench.cluster

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts

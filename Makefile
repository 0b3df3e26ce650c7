# clinic-intake: `make run` serves the kiosk, `make test` runs every check. Both work from nothing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

# Debian packages: WeasyPrint's libraries at run time; a browser, PDF tools and PostgreSQL for tests.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_DEBS := chromium poppler-utils fonts-dejavu-core postgresql

.PHONY: install install-dev run test lint translations instance db debs-run debs-test bench clean

install: debs-run $(VENV)/.runtime translations instance

install-dev: install debs-test $(VENV)/.dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
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

# instance/ holds the secret key and the SQLite database; neither is ever committed.
instance:
	@mkdir -p instance
	@if [ ! -s instance/secret_key ]; then \
	  umask 077; $(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > instance/secret_key; \
	  echo "wrote a new instance/secret_key"; \
	fi

db: install
	$(FLASK) db upgrade heads

run: db
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/bandit --quiet --recursive clinic --severity-level medium

test: install-dev lint
	$(BIN)/pytest

bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts

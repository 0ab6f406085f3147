# Bimeh Mall developer entry points. `make help` lists them.
#
#   make install   .venv + requirements-dev.txt, npm ci, static/vendor/ (incremental)
#   make lint      ruff check + ruff format --check + lint-imports (the layers, pyproject.toml)
#   make test      install, lint, pytest (no test collected = failure)
#   make run       the portal on http://127.0.0.1:$(PORT)/ with worker and beat, no servers needed
#   make e2e       browser journeys only (REQUIRE_SERVICES=1 turns a missing Chromium into a failure)
#   make bench     scripts/bench.py, when there is one
#   make load      scripts/loadtest.py: gunicorn + PostgreSQL + Redis on loopback under wrk (not part of make test)
#   make migrate   manage.py migrate
#   make clean     generated files (keeps .venv, node_modules and var/); distclean: those too

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

export PORT
# Playwright (Python and npm) never downloads a browser here: tests use Debian's Chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

PIP_STAMP := $(VENV)/.requirements-installed
NPM_STAMP := node_modules/.package-lock.json
VENDOR_STAMP := static/vendor/vazirmatn/vazirmatn.css

.PHONY: help install lint test run e2e bench load migrate clean distclean

help:
	@sed -n 's/^#   //p' Makefile

install: $(PIP_STAMP) $(VENDOR_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(PIP_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(VENDOR_STAMP): $(NPM_STAMP) scripts/vendor_assets.py
	$(BIN)/python scripts/vendor_assets.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# pytest's exit code 5 means "no tests were collected": a run that tests nothing fails.
define run_pytest
	set +e; $(BIN)/python -m pytest $(1); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make: pytest collected no tests; that counts as a failure." >&2; exit 1; fi; \
	exit $$rc
endef

test: install lint
	@$(call run_pytest,$(PYTEST_ARGS))

run: install
	$(BIN)/python scripts/run_portal.py

e2e: install
	@$(call run_pytest,-m e2e $$([ -d tests/e2e ] && echo tests/e2e) $(PYTEST_ARGS))

bench: install
	@if [ -f scripts/bench.py ]; then $(BIN)/python scripts/bench.py; \
	else echo "No benchmarks yet (scripts/bench.py does not exist)."; fi

load: install
	$(BIN)/python scripts/loadtest.py $(LOAD_ARGS)

migrate: install
	$(BIN)/python manage.py migrate --noinput

clean:
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -name __pycache__ -type d -print0 \
		| xargs -0 rm -rf
	rm -rf .pytest_cache .ruff_cache staticfiles static/vendor artifacts

distclean: clean
	rm -rf $(VENV) node_modules var

# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Django 6 needs Python >= 3.12: take the newest one found (pyenv's included).
PYTHON ?= $(shell for c in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 python3; do \
	p=$$(command -v $$c 2>/dev/null) || continue; \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/partybuilding
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
AXE_CORE_VERSION := 4.11.0
VNU_JAR_VERSION := 26.9.27

.PHONY: run test browser install migrate seed lint typecheck format lock messages check-python clean serve ci api-gate

check-python:
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 not found (Django 6 needs it). Install python3.12+ or set PYTHON=..."; exit 1; }

$(BIN)/.installed: requirements/lock.txt pyproject.toml | check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --requirement requirements/lock.txt
	@touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py seed_demo

## make run: virtualenv, install, migrate the SQLite default, demo data, server on $(HOST):$(PORT) (defaults 127.0.0.1:8000)
run: seed
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: the whole suite on PostgreSQL (DATABASE_URL) with Redis for the broker tests
test: install browser
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} TEST_REDIS_URL=$${TEST_REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

## make browser: Debian's Chromium and CJK fonts for the browser tests (Playwright drives /usr/bin/chromium;
## never `playwright install`, whose downloads fail on intranets)
## and the page checkers of tests/standards: axe-core (injected by the browser tests) and the Nu HTML
## checker (vnu-jar, run on a headless Java), from npm into node_modules/ (git-ignored; no install
## scripts: vnu-jar's would download a Java)
browser:
	@command -v chromium >/dev/null && dpkg -s fonts-noto-cjk >/dev/null 2>&1 || \
		(apt-get update && apt-get install -y chromium chromium-driver fonts-noto-cjk)
	@command -v java >/dev/null && command -v npm >/dev/null || \
		(apt-get update && apt-get install -y default-jre-headless npm)
	@grep -qs '"version": "$(AXE_CORE_VERSION)"' node_modules/axe-core/package.json && \
		grep -qs '"version": "$(VNU_JAR_VERSION)"' node_modules/vnu-jar/package.json || \
		npm install --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
			axe-core@$(AXE_CORE_VERSION) vnu-jar@$(VNU_JAR_VERSION)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make typecheck: mypy with django-stubs and djangorestframework-stubs (settings in pyproject.toml [tool.mypy]),
## then the list of modules exempt from disallow_untyped_defs checked to have only shrunk
typecheck: install
	env -u DJANGO_SETTINGS_MODULE $(BIN)/mypy .
	$(BIN)/python .ci/annotated_functions.py --check-exempt

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'staticfiles/*' \
		--ignore 'node_modules/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*' --ignore 'node_modules/*'

## make lock: re-resolve pyproject's pins into requirements/lock.txt (needs the registry)
lock: check-python
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --upgrade pip
	.lockenv/bin/pip install --quiet ".[dev]"
	.lockenv/bin/pip freeze --exclude partybuilding > requirements/lock.txt
	rm -rf .lockenv

## make api-gate: schemathesis over /api/schema/ with a staff and a secretary token (a few minutes; needs
## PostgreSQL at 127.0.0.1:5432). No baseline: any 5xx or schema violation fails it.
api-gate: install
	bash .ci/api_gate.sh

## make ci: what CI runs (.ci/run): tests, lint, migrations, deploy check, Docker files, both smoke runs
ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

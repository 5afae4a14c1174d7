# Khuyến công management system: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# A Python >= 3.12: from PATH first, then pyenv's newest.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	  c=$$(command -v $$p 2>/dev/null) && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$c; exit 0; }; \
	done; \
	if command -v pyenv >/dev/null 2>&1; then \
	  for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])' | sort -V -r); do \
	    c="$$(pyenv root)/versions/$$v/bin/python"; [ -x "$$c" ] && { echo $$c; exit 0; }; \
	  done; \
	fi)
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(PYTHON) -m uv
endif
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

BENCH_SQLITE ?= sqlite:///$(CURDIR)/var/bench.sqlite3
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/khuyencong_bench

.PHONY: help run test ci bench setup python uv deps static db demo serve lint typecheck layers migrations-check \
	translations translations-check deploy-check pytest chromium system-packages runtime-packages otp fixture clean

help:
	@echo "make run    - install everything, prepare the demo database and serve http://$(HOST):$(PORT) with a task worker"
	@echo "make test   - lint, types, layering, migrations and translations checks, then the whole test suite"
	@echo "make otp USER=quantri - current two-factor code of a demo account"
	@echo "make bench  - national-scale benchmarks on SQLite and PostgreSQL (results in bench/results/)"

python:
	@if [ -z "$(PYTHON)" ]; then echo "No Python >= 3.12 found on PATH or in pyenv. Install one (e.g. pyenv install 3.13)." >&2; exit 1; fi

uv: python
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || { \
	  echo "Installing uv for $(PYTHON)"; $(PYTHON) -m pip install --quiet --disable-pip-version-check uv; }

# Python and front-end dependencies; both are no-ops when already up to date.
deps: uv
	@$(UV) sync --frozen --python $(PYTHON) --quiet
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; fi

setup: deps

db: deps
	@$(MANAGE) migrate --no-input -v0

# Migrates when needed, then the demo organisations and accounts (idempotent); prints the logins.
demo: deps
	@$(MANAGE) load_demo_data
	@$(MANAGE) load_demo_projects
	@$(MANAGE) load_demo_plans
	@$(MANAGE) load_demo_collaborators

serve:
	@echo "Serving http://$(HOST):$(PORT) (Ctrl-C stops the server and the task worker)"
	@trap 'kill 0' INT TERM EXIT; \
	$(MANAGE) db_worker --no-startup-delay >var/worker.log 2>&1 & \
	$(MANAGE) runserver $(HOST):$(PORT)

run: runtime-packages demo serve

otp:
	@$(MANAGE) demo_otp $(USER)

# ---- quality checks and tests -------------------------------------------------------------------------------------

# Debian packages, installed with apt when missing (and apt is usable): Pango and the Liberation fonts for the PDFs
# (WeasyPrint) at run time; chromium (browser tests) and poppler-utils (pdftoppm renders PDFs to PNG) for the tests.
RUNTIME_PACKAGES := fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(RUNTIME_PACKAGES) chromium poppler-utils
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages:" $$missing; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "Could not install" $$missing >&2; \
	  else echo "Missing Debian packages (" $$missing "); apt-get is not usable here." >&2; fi; \
	fi
endef
runtime-packages:
	$(call apt_install,$(RUNTIME_PACKAGES))
chromium system-packages:
	$(call apt_install,$(TEST_PACKAGES))

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: deps
	$(VENV)/bin/mypy .

layers: deps
	$(VENV)/bin/lint-imports

migrations-check: deps
	$(MANAGE) makemigrations --check --dry-run -v1

deploy-check: deps
	DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=khuyencong.example.vn \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py check --deploy --fail-level WARNING

# Refresh locale/vi from the code, then compile it (fill new msgstr entries in django.po before committing).
translations: deps
	$(MANAGE) makemessages -l vi --no-obsolete --no-location -v0 --ignore=node_modules --ignore=var
	$(PY) -m khuyencong.core.i18n_check locale/vi/LC_MESSAGES/django.po --compile

translations-check: deps
	$(PY) -m khuyencong.core.i18n_check locale/vi/LC_MESSAGES/django.po

pytest: deps chromium
	$(PY) -m pytest -n $${PYTEST_WORKERS:-2} -q $(PYTEST_ARGS)

test: lint typecheck layers migrations-check deploy-check translations-check pytest

# Builds the national dataset (1,000,000 establishments) in var/bench.sqlite3 and in PostgreSQL when missing, runs
# the benchmarks on both and rewrites bench/results/ (about an hour the first time, mostly building the datasets).
bench: deps
	DATABASE_URL=$(BENCH_SQLITE) $(PY) bench/run.py --database sqlite
	DATABASE_URL=$(BENCH_POSTGRES) $(PY) bench/run.py --database postgres
	$(PY) bench/report.py

fixture: deps
	$(UV) run --group data --python $(PYTHON) manage.py build_admin_units

clean:
	rm -rf var/*.sqlite3* var/static .mypy_cache .ruff_cache

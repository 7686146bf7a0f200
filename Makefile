# Two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# pyenv reads .python-version (3.13); elsewhere take the first python3.13 / python3.12 on PATH.
PYTHON ?= $(shell command -v python3.13 2>/dev/null || command -v python3.12 2>/dev/null || command -v python3)
HOST ?= 127.0.0.1:8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/zakup

.PHONY: help check-system install messages translations run test test-postgres lint format clean \
  s3-up s3-down test-s3 bench bench-issue test-api-schema restore-drill restore-drill-s3 \
  deploy-check licences locks check-production-lock cluster vc-verifier

help:
	@echo "make run            install, migrate, load demo data, serve http://$(HOST) (SQLite) with a worker"
	@echo "make test           the whole test suite (SQLite; DATABASE_URL=... for PostgreSQL)"
	@echo "make test-postgres  the whole test suite on PostgreSQL ($(PG_TEST_URL))"
	@echo "make test-s3        start the test S3 server (radosgw), run the suite with files on it"
	@echo "make s3-up/s3-down  start/stop the throwaway S3 server on 127.0.0.1:7480"
	@echo "make test-api-schema  schemathesis: the API against its own OpenAPI document (< 2 min)"
	@echo "make restore-drill  seed, back up, restore into a fresh database, compare (PostgreSQL)"
	@echo "make restore-drill-s3  the same with the files in S3 buckets on the test radosgw"
	@echo "make cluster        3 web servers, 2 workers, HAProxy in network namespaces; faults; checks (root)"
	@echo "make deploy-check   validate deploy/ (nginx -t, haproxy -c, systemd-analyze verify)"
	@echo "make licences       regenerate the dependency table of docs/licences.md"
	@echo "make locks          regenerate requirements.lock and requirements-dev.lock (uv, hashed)"
	@echo "make check-production-lock  a virtualenv from requirements.lock alone runs the service's checks"
	@echo "make lint           ruff check, ruff format --check, import layers, makemigrations --check"
	@echo "make vc-verifier    npm ci of tools/vc-verify: the reference W3C credential verifier the tests run"

# Python 3.12+, WeasyPrint's libraries, a font, gettext: installs the missing Debian packages
# itself when it may (root or password-less sudo), else prints the command. scripts/check-system.
APT_GET ?= apt-get
LDCONFIG ?= /sbin/ldconfig
FC_LIST ?= fc-list
check-system:
	@PYTHON="$(PYTHON)" APT_GET="$(APT_GET)" LDCONFIG="$(LDCONFIG)" FC_LIST="$(FC_LIST)" \
	  scripts/check-system

# Developers and CI: the development lock (production's packages, same versions, and the test
# tools). Production installs requirements.lock alone (docs/operations.md).
$(VENV)/.installed: requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip 2>&1 | { grep -v "^WARNING: Location" || true; }
	$(PIP) install --quiet --require-hashes --requirement requirements-dev.lock 2>&1 | \
	  { grep -v "^WARNING: Location" || true; }
	@touch $@

install: check-system $(VENV)/.installed

messages: install
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
	  $(PY) manage.py compilemessages --ignore=.venv -v0; fi

# Refresh the Polish catalogue after changing strings (then translate what is new or fuzzy).
translations: install
	$(PY) manage.py makemessages -l pl --ignore=.venv --ignore=tests --ignore=scripts \
	  --ignore=bench -e html,txt,py,svg

# Links in e-mails and QR codes point at the address served (unless SITE_URL says otherwise).
run: export SITE_URL ?= http://$(HOST)
run: install messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST)/ with a background worker (e-mails, PDFs) — stop with Ctrl+C"
	$(PY) manage.py run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	  $(PY) manage.py runserver $(HOST)

test: install messages
	@command -v pdftotext >/dev/null && command -v zbarimg >/dev/null || \
	  echo "NOTE: poppler-utils / zbar-tools missing: the PDF text and QR tests will be skipped (apt-get install -y poppler-utils zbar-tools)."
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory vc-verifier; else \
	  echo "NOTE: node/npm missing: the reference verifiable-credential verifier tests will be skipped (apt-get install -y nodejs npm)."; fi
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres:
	DATABASE_URL=$(PG_TEST_URL) $(MAKE) test

# The API against its own OpenAPI document (schemathesis): valid and invalid requests made from
# the document, every answer checked against it. The suite runs a few per operation; this many.
test-api-schema: install messages
	API_SCHEMA_EXAMPLES=$(or $(API_SCHEMA_EXAMPLES),250) $(VENV)/bin/pytest -p no:cacheprovider \
	  tests/test_api_schemathesis.py

# The W3C reference verifier (npm @digitalbazaar/vc and friends, pinned by package-lock.json)
# that tests/test_vc_reference_verifier.py runs with node; npm ci writes the stamp file.
VC_VERIFIER := tools/vc-verify/node_modules/.package-lock.json
vc-verifier: $(VC_VERIFIER)
$(VC_VERIFIER): tools/vc-verify/package.json tools/vc-verify/package-lock.json
	cd tools/vc-verify && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

s3-up:
	scripts/s3/start

s3-down:
	scripts/s3/stop

# Documents and certificate PDFs in the test bucket for the whole suite (browser tests aside);
# S3_REQUIRED=1 turns "server unreachable" into a failure instead of skipped tests.
test-s3: install messages s3-up
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory vc-verifier; fi
	set -a; source scripts/s3/test.env; set +a; \
	S3_BUCKET=$$S3_TEST_BUCKET S3_ENDPOINT_URL=$$S3_TEST_ENDPOINT_URL S3_REGION=$$S3_TEST_REGION \
	  S3_ACCESS_KEY_ID=$$S3_TEST_ACCESS_KEY_ID S3_SECRET_ACCESS_KEY=$$S3_TEST_SECRET_ACCESS_KEY \
	  S3_REQUIRED=1 $(VENV)/bin/pytest $(or $(PYTEST_ARGS),--ignore=tests/browser)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache .ruff_cache

# Speed figures of issue 3 (docs/performance.md): 100,000 certificates on PostgreSQL, gunicorn,
# wrk. Not part of CI: a benchmark prints figures, it does not fail on a slow machine.
# BENCH_ARGS="--fresh" re-creates the benchmark database; see bench/run.py --help.
bench: install
	@command -v wrk >/dev/null || { echo "ERROR: wrk is missing: apt-get install -y wrk"; exit 1; }
	$(PY) bench/run.py $(BENCH_ARGS)

# Speed figures of issue 9 (docs/performance.md): the certificate-issue request over HTTP with
# the PDF made by a worker, and 20 certificates issued at once. See bench/issue.py --help.
bench-issue: install messages
	$(PY) -m bench.issue $(BENCH_ARGS)

# Backup and restore, proven (docs/operations.md): demo data on PostgreSQL with local files,
# scripts/backup, scripts/restore into fresh ones, registry, signatures and SHA-256s compared.
restore-drill: install messages
	@command -v pg_dump >/dev/null || { echo "ERROR: pg_dump is missing: apt-get install -y postgresql-client"; exit 1; }
	PG_URL=$(PG_SERVER_URL) scripts/restore-drill

# The same with the documents and PDFs in S3: a fresh bucket per installation on the test
# radosgw (started here if it is not running).
restore-drill-s3: install messages s3-up
	@command -v pg_dump >/dev/null || { echo "ERROR: pg_dump is missing: apt-get install -y postgresql-client"; exit 1; }
	PG_URL=$(PG_SERVER_URL) scripts/restore-drill --s3

PG_SERVER_URL ?= postgres://postgres@127.0.0.1:5432

# Root only (ip netns). Uses the machine's PostgreSQL (database zakup_cluster) through a relay.
cluster: install messages
	@for c in ip socat haproxy redis-server pdftoppm zbarimg psql; do command -v $$c >/dev/null || { \
	  echo "ERROR: $$c is missing: apt-get install -y iproute2 socat haproxy redis-server poppler-utils zbar-tools postgresql-client"; exit 1; }; done
	CLUSTER_PG=$(PG_SERVER_URL) scripts/cluster/run

deploy-check:
	deploy/check

# The hashed lock files, regenerated from pyproject.toml by uv (pinned, in its own throwaway
# virtualenv under var/, never in .venv) for Python 3.13 on Linux x86_64. Versions already in the
# files are kept: to move one, make locks UPGRADE="--upgrade-package django" (or --upgrade).
# requirements.lock: the [project] dependencies; requirements-dev.lock: those at the same
# versions (constrained by requirements.lock) plus the "dev" extra.
UV_VERSION := 0.13.9
UV := var/uv-$(UV_VERSION)/bin/uv
LOCK_ARGS := --quiet --generate-hashes --no-header --python-version 3.13 \
  --python-platform x86_64-unknown-linux-gnu $(UPGRADE)
define LOCK_HEADER_PROD
# Production: the [project] dependencies of pyproject.toml, exact versions with hashes, for
# Python 3.13 on Linux x86_64. Install: pip install --require-hashes -r requirements.lock
# Generated by `make locks` (uv pip compile; README, "Development"): do not edit by hand.
endef
define LOCK_HEADER_DEV
# Development and CI: requirements.lock (same versions) plus the "dev" extra of pyproject.toml,
# with hashes. Install: make install (pip install --require-hashes -r requirements-dev.lock).
# Generated by `make locks` (uv pip compile; README, "Development"): do not edit by hand.
endef
export LOCK_HEADER_PROD LOCK_HEADER_DEV

$(UV):
	$(PYTHON) -m venv var/uv-$(UV_VERSION)
	var/uv-$(UV_VERSION)/bin/pip install --quiet uv==$(UV_VERSION)

locks: $(UV)
	$(UV) pip compile pyproject.toml $(LOCK_ARGS) --output-file requirements.lock
	$(UV) pip compile pyproject.toml --extra dev --constraints requirements.lock $(LOCK_ARGS) \
	  --output-file requirements-dev.lock
	{ echo "$$LOCK_HEADER_PROD"; cat requirements.lock; } > requirements.lock.new
	{ echo "$$LOCK_HEADER_DEV"; cat requirements-dev.lock; } > requirements-dev.lock.new
	mv requirements.lock.new requirements.lock
	mv requirements-dev.lock.new requirements-dev.lock

# Production installs requirements.lock alone: a virtualenv from it (var/prod-venv) passes
# check --deploy, imports every module, loads gunicorn's settings (scripts/check-production-lock).
check-production-lock:
	PYTHON="$(PYTHON)" scripts/check-production-lock

# The table of runtime dependencies and their licences in docs/licences.md.
licences: install
	$(PY) scripts/licences.py --write docs/licences.md

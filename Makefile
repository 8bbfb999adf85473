# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

# What `make test` runs against: the real PostgreSQL and Redis (started when down),
# over plain HTTP (the test client and the live server for browser journeys).
TEST_DATABASE_URL ?= postgres://icp:icp@127.0.0.1:5432/icp_portal
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/15 \
	SECRET_KEY=test-only-secret-key-for-make-test-not-for-production-0123456789 \
	ALLOWED_HOSTS=localhost,127.0.0.1,testserver \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false \
	SECURE_HSTS_SECONDS=0 DB_CONN_MAX_AGE=0 DJANGO_ALLOW_ASYNC_UNSAFE=true

# Production-like values for `check --deploy` in CI.
DEPLOY_ENV := DATABASE_URL=$(TEST_DATABASE_URL) \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
	EMAIL_URL=smtp://mail.example.gov.tw:587?tls=1 \
	SECRET_KEY=ci-deploy-check-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	ALLOWED_HOSTS=icp.example.gov.tw DEBUG=false

.PHONY: run dev test install system-deps-run system-deps-test services messages lint check \
	deploy-check lock bench bench-packet clean

# The portal as its users see it (its own 404/500 pages; DEBUG off), on the embedded default.
run: system-deps-run $(VENV)/.installed messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

# The same with DEBUG on (tracebacks, the browsable API) for development.
dev: system-deps-run $(VENV)/.installed messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	DEBUG=true $(MANAGE) runserver 127.0.0.1:8000

test: system-deps-test $(VENV)/.installed messages services
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

install: system-deps-run $(VENV)/.installed messages

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

services:
	@scripts/services.sh

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	touch $@

messages: $(VENV)/.installed
	@$(MANAGE) compilemessages -v0 --ignore=.venv

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Migrations complete and production settings clean.
check: $(VENV)/.installed services
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

lock:
	rm -rf /tmp/icp-lock && $(PYTHON) -m venv /tmp/icp-lock
	/tmp/icp-lock/bin/pip install -q -r requirements.in
	/tmp/icp-lock/bin/pip freeze | grep -v '^pip==' > requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# One table of every figure (balance API and its floor, staff pages, minutes approval,
# meeting packet); SCALES="1 10 100" for the issue's three sizes (100× builds 12,500
# agreements once: see bench/pages.py). The JSON of every figure lands in /tmp/icp-bench-results.json.
SCALES ?= 1
bench: $(VENV)/.installed services
	$(BIN)/python -m bench.run --scales $(SCALES) --packet --json /tmp/icp-bench-results.json

# The meeting packet PDF: 50 cases with two 10-page attachments each, built and copied for
# a member in fresh processes (time, peak RSS, pages, size, stages). PACKET_ARGS="--repeat 3
# --variant both" for steadier figures and the proposed changes.
PACKET_ARGS ?=
bench-packet: $(VENV)/.installed services
	$(BIN)/python -m bench.packet $(PACKET_ARGS)

# Guanjia: `make run` to try it, `make test` before every commit.
SHELL := /bin/bash
# The interpreter: PYTHON if given, else the first of these that is 3.11 or newer.
SUPPORTED := 3.11 3.12 3.13
ifeq ($(origin PYTHON), undefined)
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11; do \
  command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
  && { echo $$p; break; }; done)
endif
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
REQS := requirements.txt requirements-dev.txt
STAMP := $(VENV)/.installed-$(shell cat $(REQS) 2>/dev/null | sha1sum | cut -c1-12)
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test lint format typecheck migrations-check pytest bench screenshots install messages worker clean

install: $(STAMP)

$(STAMP): $(REQS)
	@if [ ! -x $(BIN)/python ]; then \
	  if [ -z "$(PYTHON)" ]; then \
	    echo "Guanjia needs Python $(SUPPORTED) (tested); none was found as python3 or" \
	      "python3.1x. Install one, or name it: make PYTHON=/path/to/python3.13 ..." >&2; exit 1; \
	  fi; \
	  $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	    echo "$(PYTHON) is Python $$($(PYTHON) -V 2>&1); Guanjia needs $(SUPPORTED)." >&2; exit 1; }; \
	  echo "Creating $(VENV) with $$($(PYTHON) -V) ($(PYTHON))"; \
	  $(PYTHON) -m venv $(VENV); \
	fi
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

messages: install
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv

run: install messages
	$(BIN)/python manage.py migrate -v0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py sync_schedules -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo ""
	@echo "Guanjia is at http://127.0.0.1:$(PORT)/  (demo password: guanjia-demo)"
	@echo "Logins: director supervisor reception cashier manager1 manager2 engineer guard finance hr admin"
	@echo ""
	@# The web server and a job worker; Ctrl-C stops both (docs/jobs.md, "Stopping").
	$(BIN)/python manage.py devserver 127.0.0.1:$(PORT)

worker: install
	$(BIN)/python manage.py sync_schedules -v0
	$(BIN)/python manage.py qcluster

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy guanjia config

migrations-check: install
	GUANJIA_ENV=test $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install messages
	GUANJIA_ENV=test $(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

test: lint typecheck migrations-check pytest

bench: install messages
	GUANJIA_ENV=test $(BIN)/python -m bench $(if $(BENCH),--only $(BENCH),)

screenshots: install messages  ## the pictures of docs/days/, taken by the browser tests of a day per role
	GUANJIA_ENV=test GUANJIA_SCREENSHOTS=$(CURDIR)/docs/img/days $(BIN)/pytest -q -p no:cacheprovider guanjia/demo/tests/test_role_days.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

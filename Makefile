# Guanjia: `make run` to try it, `make test` before every commit.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
REQS := requirements.txt requirements-dev.txt requirements-build.txt requirements-xstatic.txt
STAMP := $(VENV)/.installed-$(shell cat $(REQS) 2>/dev/null | sha1sum | cut -c1-12)
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test lint format typecheck migrations-check pytest bench install messages worker clean

install: $(STAMP)

$(STAMP): $(REQS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	@# xstatic-bootstrap ships only an sdist whose build needs setuptools' pkg_resources.
	$(BIN)/pip install -q -r requirements-build.txt
	$(BIN)/pip install -q --no-build-isolation -r requirements-xstatic.txt
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
	@trap 'kill 0' EXIT; \
	  $(BIN)/python manage.py qcluster & \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

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

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

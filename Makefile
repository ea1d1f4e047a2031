# Two commands for a newcomer: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PYTHON := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint pytest bench bench-pdf install install-dev clean

$(PYTHON):
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PYTHON)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PYTHON)
	$(PIP) install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	DJANGO_DEBUG=true $(PYTHON) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PYTHON) manage.py load_content
	DJANGO_DEBUG=true $(PYTHON) manage.py create_demo_users
	@echo "Serving on http://$(HOST):$(PORT)/ with a task worker beside it (Ctrl-C stops both)"
	DJANGO_DEBUG=true $(PYTHON) manage.py db_worker --queue-name default,calendar & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=true $(PYTHON) manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint

# pytest-xdist: one worker per core (each with its own test database and browser).
pytest: install-dev
	$(VENV)/bin/pytest -n auto --dist worksteal

test: lint pytest

bench: install-dev
	$(PYTHON) -m benchmarks
	$(PYTHON) -m benchmarks.pdf

bench-pdf: install-dev
	$(PYTHON) -m benchmarks.pdf

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

.PHONY: load

# Load test (loopback only, ~90 s; never part of `make test`): see benchmarks/load.py.
load: install-dev
	$(PYTHON) -m benchmarks.load

.PHONY: mutation
MUTATION_MODULES := staging dosing schedule response toxicity

# Mutation testing of the clinical core with mutmut ([tool.mutmut] in pyproject.toml); never in CI
# (about half an hour on two cores). Prints the score per module.
mutation: install-dev
	$(VENV)/bin/mutmut run --max-children 2 $(foreach m,$(MUTATION_MODULES),"myeloma_core.$(m)*")
	$(VENV)/bin/mutmut results --all true | $(PYTHON) -m benchmarks.mutation_score

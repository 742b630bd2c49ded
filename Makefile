# Quick start: `make run` (set up, then build dist/) and `make test` (set up, then run every test).
# `make fast` runs the fast tier of the tests (`-m "not slow"`) for the edit loop.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test fast lint format clean

$(VENV)/.run: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.run
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.run
	bash scripts/system-deps.sh run
	$(BIN)/iotkg build
	@echo "site: dist/site/index.html   graph: dist/graph/   views: dist/views/"

test: $(VENV)/.dev
	bash scripts/system-deps.sh test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

fast: $(VENV)/.dev
	$(BIN)/python -m pytest -m "not slow"

lint: $(VENV)/.dev
	$(BIN)/ruff check .

format: $(VENV)/.dev
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) dist .pytest_cache .ruff_cache

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# test processes: the suite waits on servers and subprocesses more than on the CPU, so
# four workers halve it even on two cores (pytest-xdist; TEST_WORKERS=0 runs it in one)
TEST_WORKERS ?= 4

.PHONY: test demo lint format clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

demo: $(STAMP)
	$(BIN)/ddbot demo

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

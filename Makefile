# The two commands of the README:
#   make run   set up, start the local stack, migrate, load demo data once, serve on 127.0.0.1:8000
#   make test  set up, start the test stack, run checks and the whole test suite, stop the stack
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test setup stack-up stack-down lint
.DEFAULT_GOAL := run

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	bash scripts/setup.sh "$(PYTHON)" "$(VENV)"
	touch $@

run: setup
	$(BIN)/modelgraph stack up
	$(BIN)/modelgraph migrate
	$(BIN)/modelgraph demo --if-empty
	$(BIN)/modelgraph serve

test: setup
	bash scripts/test.sh "$(VENV)"

stack-down: setup
	$(BIN)/modelgraph stack down

lint: setup
	$(BIN)/ruff check app modelgraph tests $(wildcard bench)
	$(BIN)/mypy

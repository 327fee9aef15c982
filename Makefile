# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := var/demo.sqlite3
PORT ?= 8000
# The suite runs on every core (pytest-xdist); PARALLEL= runs it in one process. Not --dist loadscope:
# it keys tests by their id, and schemathesis's API fuzz items share one id, so it silently ran none.
PARALLEL ?= -n auto --dist load

.PHONY: demo test test-fast test-sqlite test-postgres lint messages benchmarks clean

# uv installs the same packages as pip in about a third of the time (22 s against 56 s for the test and
# lint extras here, with empty caches); where it cannot (no uv, no network to its index), pip does.
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode
PIP := $(BIN)/pip install --quiet

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	-$(BIN)/python -m pip install --quiet uv

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(UV) -e . || $(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(UV) -e ".[test]" || $(PIP) -e ".[test]"
	touch $@ $(VENV)/.installed

## demo: install, build the demo database and serve it on http://127.0.0.1:$(PORT)
demo: $(VENV)/.installed
	$(BIN)/lofte demo --db $(DEMO_DB) --port $(PORT)

## test: the whole suite on SQLite, then its database tests on a throw-away PostgreSQL cluster
test: test-sqlite test-postgres

## test-fast: the edit loop, on SQLite without the tests marked slow (browsers, child processes, large files)
test-fast: $(VENV)/.installed-test
	env -u LOFTE_DATABASE_URL $(BIN)/pytest $(PARALLEL) -m "not slow"

test-sqlite: $(VENV)/.installed-test
	@echo "== tests on SQLite"
	env -u LOFTE_DATABASE_URL $(BIN)/pytest $(PARALLEL)

test-postgres: $(VENV)/.installed-test
	@echo "== tests on PostgreSQL"
	@LOFTE_ONLY_DATABASE_TESTS=1 scripts/with-postgres.sh $(BIN)/pytest $(PARALLEL); rc=$$?; \
	if [ $$rc -eq 77 ]; then \
	  echo "*** PostgreSQL SKIPPED: no PostgreSQL server binaries on this machine (apt-get install postgresql)."; \
	  if [ -n "$$LOFTE_REQUIRE_POSTGRES" ]; then echo "*** LOFTE_REQUIRE_POSTGRES is set: failing."; exit 1; fi; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi

$(VENV)/.installed-lint: pyproject.toml | $(BIN)/python
	$(UV) -e ".[test,lint]" || $(PIP) -e ".[test,lint]"
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

## lint: ruff (lint and format) and mypy, as CI runs them
lint: $(VENV)/.installed-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## messages: update and compile the translations (Swedish; Arabic, Somali and Persian for the residents' pages)
messages: $(VENV)/.installed
	cd lofte && LOFTE_DEBUG=1 ../$(BIN)/lofte makemessages -l sv -l ar -l so -l fa --no-obsolete && LOFTE_DEBUG=1 ../$(BIN)/lofte compilemessages

clean:
	rm -rf $(VENV) var

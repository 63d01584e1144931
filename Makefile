# Niryat: `make run` to try it, `make test` before you push. Needs only Python >= 3.11, make and PyPI.
#
#   make run        set up .venv from requirements.lock, migrate, load the demo, serve 127.0.0.1:8000
#   make test       set up, then every quality gate: ruff, mypy, import-linter, migrations check,
#                   pytest on SQLite (with the browser tests) and on PostgreSQL
#   make lint | typecheck | imports | migrations-check | test-sqlite | test-postgres | test-browser
#                   one gate at a time
#   make lock       regenerate requirements.lock from pyproject.toml (maintainers; needs uv, installed on demand)
#   make messages   update the Hindi catalogue from the code (needs GNU gettext: apt-get install gettext)
#   make clean      remove caches and test output; `make distclean` removes .venv and ./var too
#
# Variables: PYTHON (interpreter that creates .venv), PYTEST_ARGS (extra pytest arguments),
# LOCK_ARGS (extra `uv pip compile` arguments, e.g. LOCK_ARGS=--upgrade).
# PostgreSQL: tools/with_postgres.py runs a throwaway cluster from Debian's binaries; without them the
# PostgreSQL run is skipped with a message, unless NIRYAT_REQUIRE_POSTGRES=1. Browser tests need
# /usr/bin/chromium; without it they skip, unless NIRYAT_REQUIRE_BROWSER=1.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.niryat-installed
PYTEST := $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)
LOCALE := src/niryat/locale
PO_FILES := $(wildcard $(LOCALE)/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
GATES := lint typecheck imports migrations-check test-sqlite test-postgres

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1

.DEFAULT_GOAL := help
.NOTPARALLEL:
.DELETE_ON_ERROR:
.PHONY: help setup run test $(GATES) test-browser lock messages clean distclean

help:
	@sed -n '2,16s/^# \{0,1\}//p' Makefile

# --- environment --------------------------------------------------------------------------------

setup: $(STAMP) $(MO_FILES)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "make: $(PYTHON) is missing or older than Python 3.11; run e.g. 'make PYTHON=python3.11 $(MAKECMDGOALS)'" >&2; \
	  exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "make: '$(PYTHON) -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)" >&2; \
	  rm -rf $(VENV); exit 1; }
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

# Compiled catalogues are not in git; Babel compiles them without GNU gettext.
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --domain django --input-file $< --output-file $@

# --- run ----------------------------------------------------------------------------------------

run: setup
	$(BIN)/niryat run

# --- quality gates ------------------------------------------------------------------------------

# Every gate runs even when an earlier one fails, so one run shows every problem; the summary
# names the failures and the exit status is non-zero if any gate failed.
test: setup
	@failed=""; start=$$(date +%s); \
	for gate in $(GATES); do \
	  echo; echo "==> make $$gate"; t0=$$(date +%s); \
	  if $(MAKE) --no-print-directory $$gate; then result=ok; else result=FAILED; failed="$$failed $$gate"; fi; \
	  echo "<== make $$gate: $$result ($$(( $$(date +%s) - t0 ))s)"; \
	done; \
	echo; \
	if ! $(BIN)/python tools/with_postgres.py --find >/dev/null; then \
	  echo "make test: NOTE: PostgreSQL binaries not found: the PostgreSQL run was skipped"; fi; \
	if [ ! -x "$${NIRYAT_CHROMIUM:-/usr/bin/chromium}" ]; then \
	  echo "make test: NOTE: chromium not found: the browser tests were skipped"; fi; \
	if [ -n "$$failed" ]; then \
	  echo "make test: FAILED:$$failed ($$(( $$(date +%s) - start ))s)"; exit 1; \
	else \
	  echo "make test: all gates passed ($$(( $$(date +%s) - start ))s)"; fi

lint: setup
	$(BIN)/ruff check src tests tools

typecheck: setup
	$(BIN)/mypy

imports: setup
	$(BIN)/lint-imports --config pyproject.toml --no-cache

migrations-check: setup
	@data=$$(mktemp -d); echo "niryat manage makemigrations --check --dry-run"; \
	env -u DATABASE_URL NIRYAT_DATA_DIR=$$data $(BIN)/niryat manage makemigrations --check --dry-run; \
	status=$$?; rm -rf $$data; exit $$status

test-sqlite: setup
	env -u DATABASE_URL $(PYTEST)

# The browser tests drive a server with its own SQLite database: they run in the SQLite pass only.
test-postgres: setup
	$(BIN)/python tools/with_postgres.py $(PYTEST) -m "not browser"

test-browser: setup
	env -u DATABASE_URL $(PYTEST) -m browser

# --- maintenance --------------------------------------------------------------------------------

lock: $(STAMP)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  -o requirements.lock $(LOCK_ARGS)
	@echo "requirements.lock written; commit it with pyproject.toml"

# Same extraction as tests/test_translations.py: the package's code, without its tests.
messages: setup
	@command -v xgettext >/dev/null || { \
	  echo "make messages needs GNU gettext (Debian: apt-get install gettext)" >&2; exit 1; }
	cd src/niryat && env DJANGO_SETTINGS_MODULE= ../../$(BIN)/python -m django makemessages -l hi --no-obsolete --ignore=tests --ignore=.venv
	@echo "Now translate the new entries of $(LOCALE)/hi/LC_MESSAGES/django.po (no 'fuzzy' left)."

clean:
	rm -rf test-results .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
	find src tests tools -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) var $(MO_FILES)

# Jaring: `make demo` sets everything up and serves the demo; `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql://127.0.0.1:5432/test
DEMO_WORKERS ?= 5000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup demo demo-data serve test lint typecheck test-sqlite test-pg test-browser browser-deps bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	mkdir -p var
	touch $@

demo-data: setup
	$(BIN)/jaring migrate
	$(BIN)/jaring regions load
	$(BIN)/jaring demo-data --workers $(DEMO_WORKERS) --seed 1

demo: demo-data
	@echo "Jaring berjalan di http://127.0.0.1:8000  (login: admin / jaring-demo-2026; peran lain di atas)"
	$(BIN)/jaring serve --host 127.0.0.1 --port 8000

test: setup lint typecheck test-sqlite test-pg test-browser

lint:
	$(BIN)/lint-imports
	$(BIN)/ruff check jaring tests bench scripts conftest.py
	$(BIN)/ruff format --check jaring tests bench scripts conftest.py

typecheck:
	$(BIN)/mypy jaring tests

test-sqlite:
	$(BIN)/pytest -m "not browser"

# PostgreSQL is the production database: the same suite runs against it. Without a server the run is
# skipped with a notice, unless JARING_REQUIRE_POSTGRES=1 (CI), where it fails.
test-pg:
	@if $(BIN)/python scripts/pg_ready.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m "not browser"; \
	elif [ "$$JARING_REQUIRE_POSTGRES" = "1" ]; then \
		echo "PostgreSQL at $(PG_URL) does not answer and JARING_REQUIRE_POSTGRES=1"; exit 1; \
	else echo "SKIPPED: PostgreSQL tests (no server at $(PG_URL))"; fi

test-browser: browser-deps
	$(BIN)/pytest -m browser

# Browser tests drive Debian's chromium (never a downloaded browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Install Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

bench: setup
	$(BIN)/python bench/intake.py

clean:
	rm -rf var/jaring.sqlite3* var/imports var/demo

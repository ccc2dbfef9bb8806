# 揭榜 — two commands: `make run` serves the app with demo data, `make test` checks everything.
# `make bench` (SCALE=0.1 for a quick run) measures the pages on a school's worth of data.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
FLASK := $(VENV)/bin/flask --app marketplace
PORT ?= 5000
SCALE ?= 1
TRANSLATIONS := marketplace/translations

.PHONY: run test bench install translations extract-messages services lint format clean

$(VENV)/.installed: pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed

translations: install
	@$(VENV)/bin/pybabel compile -d $(TRANSLATIONS) > /dev/null

extract-messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

# The app's BASE_URL follows PORT when it is not set, so that mail links lead back here.
run: export PORT := $(PORT)
run: translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo "揭榜 is served at http://127.0.0.1:$(PORT) (Ctrl-C stops the web server and the worker)"
	@trap 'kill 0' EXIT; $(FLASK) worker & $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: translations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@bash scripts/ensure-services.sh
	$(VENV)/bin/pytest -n auto --dist loadscope --durations=15

bench: translations
	VENV=$(VENV) SCALE=$(SCALE) bash bench/run.sh

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

# Diariet: the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DATA ?= demo-data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup setup-dev demo ingest-samples serve test test-fast bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

## Ingest the bundled samples and serve the UI at http://$(HOST):$(PORT)/
demo: setup ingest-samples serve

ingest-samples: setup
	$(PY) -m ingest --data $(DATA) samples/seeds samples/real

serve: setup
	$(PY) -m web --data $(DATA) --host $(HOST) --port $(PORT)

## Install everything (browser included, when run as root) and run the whole test suite.
test: setup-dev
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || ./.ci/install-browser
	$(PY) -m pytest -q

test-fast: setup-dev
	$(PY) -m pytest -q -m "not browser"

bench: setup-dev
	$(PY) benchmarks/ingest_search.py

clean:
	rm -rf $(DATA) .pytest_cache

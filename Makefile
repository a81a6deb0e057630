# Diariet: the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DATA ?= demo-data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup setup-dev demo ingest-samples serve test test-fast lint typecheck check lock bench clean cluster cluster-stop postgres postgres-stop

# Every package, direct or indirect, is pinned with its hashes (requirements*.txt, made by `make lock`).
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
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

## ruff (configured in pyproject.toml) over the whole repository
lint: setup-dev
	$(VENV)/bin/ruff check .

## mypy on the packages (configured in pyproject.toml: which modules, how strict)
typecheck: setup-dev
	$(VENV)/bin/mypy

## what CI runs: lint, types, every test
check: lint typecheck test

## requirements*.in -> requirements*.txt: every dependency pinned with its hashes (CONTRIBUTING.md)
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: setup-dev
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in
	$(PIP_COMPILE) -o requirements-bench.txt requirements-bench.in

bench: setup-dev
	$(PY) benchmarks/ingest_search.py

## A local three-node OpenSearch cluster on 127.0.0.1 (java + maven); prints its URL.
cluster: setup
	$(PY) tools/cluster.py start

cluster-stop: setup
	$(PY) tools/cluster.py stop

## A local PostgreSQL server for a shared catalog (Debian's postgresql, data in .postgres/); prints its URL.
postgres: setup
	$(PY) tools/postgres.py start

postgres-stop: setup
	$(PY) tools/postgres.py stop

clean:
	rm -rf $(DATA) .pytest_cache

# `make run` and `make test` do all set-up on a fresh machine (virtual environment, pip install,
# Debian's chromium for the browser tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# `make run ADDRESS=0.0.0.0` serves on the network (see README); the default is this machine only.
ADDRESS ?= localhost

.PHONY: run test test-fast lint format bench chromium demo image clean

run: $(VENV)/.runtime data/CURRENT
	$(BIN)/python -m overblik.serve run dashboard.py --server.address $(ADDRESS) --server.port $(PORT)

test: $(VENV)/.dev chromium
	$(BIN)/python -m pytest

test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest -m "not browser"

# ruff (rules in pyproject.toml) and mypy over the package, the benchmarks and the tests; CI runs this before the tests.
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.dev
	$(BIN)/python -m bench

# The container image (Dockerfile; deploy/compose.yaml runs two replicas behind nginx: docs/deploy.md).
IMAGE ?= overblik:latest
image:
	docker build -t $(IMAGE) .

demo: $(VENV)/.runtime
	$(BIN)/python -m overblik demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# The demo snapshot ships in data/; this only rebuilds it when CURRENT is missing.
data/CURRENT:
	$(BIN)/python -m overblik demo

# Debian packages the tests use: chromium (browser tests, kaleido), poppler-utils (pdftotext, pdftoppm) and
# nginx (the deployment test runs it as the test user on a loopback port).
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null || [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils nginx; \
	  else echo "The tests need Debian's chromium, poppler-utils and nginx: sudo apt-get install chromium poppler-utils nginx" >&2; exit 1; fi; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache

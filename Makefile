# Terpadu — the README's two commands are `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CHROMIUM ?= /usr/bin/chromium

.PHONY: help demo test lint types unit chromium bench install install-dev clean

help:
	@echo "make demo   build the synthetic Banyuwangi and serve it on http://127.0.0.1:8000"
	@echo "make test   ruff, mypy and the whole test suite (SQLite)"
	@echo "make bench  the benchmarks under bench/ (not part of CI)"

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(RUNTIME_STAMP) $@

install: $(RUNTIME_STAMP)
install-dev: $(DEV_STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/terpadu demo

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests (apt-get)…"; \
	    apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null); \
	  else \
	    echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium' and try again."; exit 1; \
	  fi; \
	fi

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(DEV_STAMP)
	$(BIN)/mypy terpadu

unit: $(DEV_STAMP)
	$(BIN)/python -m tests.run_pytest

test: $(DEV_STAMP) chromium lint types unit

bench: $(DEV_STAMP)
	$(BIN)/python bench/demo_build.py

clean:
	rm -rf $(VENV) var

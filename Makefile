# Two commands do all the set-up:
#   make run    the main job: the threat sweep, its results and phase diagram in results/
#   make test   the whole test suite (what CI runs through .ci/run)
PYTHON_BIN := $(shell sh scripts/find-python)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
WORKERS ?= 2

.PHONY: run test lint bench app validate clean-venv check-python

check-python:
	@test -n "$(PYTHON_BIN)" || { sh scripts/find-python; exit 1; }

$(STAMP): pyproject.toml | check-python
	@test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/omnibalance run nicaragua_2007 --seed 1 --out results/nicaragua_2007

test: $(STAMP)
	@sh scripts/ensure-chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n $(WORKERS) --dist loadgroup

validate: $(STAMP)
	$(VENV)/bin/omnibalance validate --out results/validation --workers $(WORKERS)

bench: $(STAMP)
	$(PY) benchmarks/run.py

app: $(STAMP)
	$(VENV)/bin/omnibalance app

clean-venv:
	rm -rf $(VENV)

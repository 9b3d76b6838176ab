# Two commands do all the set-up:
#   make run    the main job: the threat sweep, its results and phase diagram in results/
#   make test   the whole test suite (what CI runs through .ci/run)
PYTHON_BIN := $(shell sh scripts/find-python)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
WORKERS ?= 2

.PHONY: run test lint bench app validate clean-venv check-python lock

check-python:
	@test -n "$(PYTHON_BIN)" || { sh scripts/find-python; exit 1; }

# Everything (core, app, cluster, inference and test extras), at the versions pinned in
# requirements-lock.txt, so a new upstream release cannot change what CI tests.
$(STAMP): pyproject.toml requirements-lock.txt | check-python
	@test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements-lock.txt -e '.[test]'
	@touch $(STAMP)

# Re-pin the dependencies (after changing them in pyproject.toml): uv from PyPI, into the venv.
lock: | check-python
	@test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --python-version 3.12 \
		-o requirements-lock.txt

# The threat sweep (experiments/threat_sweep.toml): a rerun resumes an interrupted sweep and,
# on a finished one, only redraws the phase diagram, its summary and the PRIM boxes.
run: $(STAMP)
	$(VENV)/bin/omnibalance sweep experiments/threat_sweep.toml --out results/threat_sweep --workers $(WORKERS)
	$(VENV)/bin/omnibalance plot phase results/threat_sweep --x internal_threat --y us_pressure
	$(VENV)/bin/omnibalance discover results/threat_sweep --outcome pc_ever_RUS

test: $(STAMP)
	@sh scripts/ensure-chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n $(WORKERS) --dist loadgroup

validate: $(STAMP)
	$(VENV)/bin/omnibalance validate --out results/validation --workers $(WORKERS)

bench: $(STAMP)
	$(PY) benchmarks/run.py

# The classroom app on http://127.0.0.1:8765/ (make app APP_PORT=8800; APP_HOST=0.0.0.0 shares it).
APP_HOST ?= 127.0.0.1
APP_PORT ?= 8765
app: $(STAMP)
	$(VENV)/bin/omnibalance app --host $(APP_HOST) --port $(APP_PORT)

clean-venv:
	rm -rf $(VENV)

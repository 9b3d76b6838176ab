"""The package as a user installs it: a wheel, in a fresh virtual environment, outside the
checkout, runs a preset (the presets travel inside the wheel)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(cmd, cwd, timeout=900):
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, (cmd, proc.stdout[-2000:], proc.stderr[-2000:])
    return proc


@pytest.mark.slow
def test_the_wheel_in_a_fresh_venv_runs_a_preset_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT],
         tmp_path)
    wheel = next(dist.glob("omnibalance-*.whl"))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], tmp_path)
    py = venv / "bin" / "python"
    _run([py, "-m", "pip", "install", "--quiet", wheel], tmp_path)
    away = tmp_path / "elsewhere"
    away.mkdir()
    where = _run([py, "-c", "import omnibalance, omnibalance.scenario as s; "
                  "print(omnibalance.__file__); print(s.SEEDS_DIR); print(s.list_presets())"],
                 away).stdout.splitlines()
    assert str(ROOT) not in where[0] and str(ROOT) not in where[1], where
    assert "nicaragua_2007" in where[2]
    proc = _run([venv / "bin" / "omnibalance", "run", "nicaragua_2007", "--steps", "8",
                 "--out", "o"], away)
    assert "Nicaragua" in proc.stdout
    assert (away / "o" / "nicaragua_2007_omnibalance_seed0_steps8_summary.json").is_file()
    version = _run([venv / "bin" / "omnibalance", "--version"], away).stdout
    assert version.strip() == "omnibalance " + tomllib.loads(
        (ROOT / "pyproject.toml").read_text())["project"]["version"]
    typed = _run([py, "-c", "import importlib.resources as r; "
                  "print(r.files('omnibalance').joinpath('py.typed').is_file())"], away)
    assert typed.stdout.strip() == "True"


def test_declared_dependencies_match_what_the_code_imports():
    """scipy is imported and must be declared; networkx is not used and must not be; the app's,
    the cluster's and inference's packages are extras, not core dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = " ".join(project["dependencies"])
    extras = project["optional-dependencies"]
    assert "scipy" in core and "networkx" not in core
    for name in ("distributed", "dask-jobqueue", "ipyvue", "mesa[rec]", "mesa[viz]"):
        assert name not in core, name
    assert any("distributed" in d for d in extras["cluster"])
    assert any("mesa[viz]" in d for d in extras["app"])
    for name in ("pyabc", "ema-workbench"):
        assert name not in core and any(name in d for d in extras["inference"]), name
    assert set(extras) >= {"core", "app", "cluster", "inference", "test"}
    assert isinstance(project["license"], str)
    sources = " ".join(p.read_text() for p in (ROOT / "omnibalance").rglob("*.py"))
    assert "import networkx" not in sources and "scipy" in sources
    assert "fcntl" not in sources and "sched_getaffinity" not in sources
    assert 'matplotlib.use("Agg")' not in sources

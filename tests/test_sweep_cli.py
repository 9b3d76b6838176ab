"""The sweep commands end to end: bad input (one line, exit 2, nothing written), a sweep with
a failing run (exit 1 and a summary), the phase diagram and the sensitivity indices."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import sobol_spec

from omnibalance.cli import main

ROOT = Path(__file__).resolve().parent.parent

SPEC = """
[sweep]
name = "cli"
scenario = "nicaragua_2007"
steps = 12
replications = 3
seed = 5

[design]
kind = "grid"
[design.parameters]
internal_threat = { low = 0.0, high = 1.0, n = 3 }
us_pressure = { values = [0.1, 0.9] }
"""


def spec_file(tmp_path: Path, text: str = SPEC, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("omnibalance: error: ")
    return lines[0]


BAD_SPECS = [
    ("internal_threat = {", "internal_treat = {", "did you mean 'internal_threat'"),
    ('kind = "grid"', 'kind = "latin"', "unknown name; allowed: grid, lhs, list, morris"),
    ("high = 1.0, n = 3", "high = 2.0, n = 3", "must be in [0, 1]"),
    ("replications = 3", "replications = 0", "must be a whole number >= 1"),
    ("n = 3", "n = -2", "must be a whole number >= 1"),
    ("[0.1, 0.9]", "[]", "gives no runs"),
]


@pytest.mark.parametrize(("old", "new", "words"), BAD_SPECS)
def test_bad_spec_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, old, new, words):
    path = spec_file(tmp_path, SPEC.replace(old, new))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 2
    line = one_line_error(capsys)
    assert words in line and str(path) in line
    assert not out.exists()


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    assert main(["sweep", str(spec_file(tmp_path)), "--out", str(blocker / "out"),
                 "--workers", "1"]) == 2
    assert "cannot be created" in one_line_error(capsys)
    assert blocker.read_text() == "not a folder"


def test_unreachable_scheduler_exit_2_nothing_written(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "omnibalance", "sweep", str(spec_file(tmp_path)), "--out",
         str(out), "--scheduler", f"tcp://127.0.0.1:{port}", "--connect-timeout", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "cannot reach a Dask scheduler" in lines[0]
    assert not out.exists()


def test_missing_batch_system_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["sweep", str(spec_file(tmp_path)), "--out", str(tmp_path / "o"),
                 "--cluster", "slurm"]) == 2
    assert "'sbatch'" in one_line_error(capsys)
    assert not (tmp_path / "o").exists()


def test_plan_runs_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sweep", str(spec_file(tmp_path)), "--out", str(out), "--plan"]) == 0
    assert "6 design points" in capsys.readouterr().out
    assert not out.exists()


def test_sweep_then_refuse_a_different_spec_then_plot(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sweep", str(spec_file(tmp_path)), "--out", str(out), "--workers", "1"]) == 0
    text = capsys.readouterr().out
    assert "18 runs complete" in text
    changed = spec_file(tmp_path, SPEC.replace("seed = 5", "seed = 6"), "changed.toml")
    assert main(["sweep", str(changed), "--out", str(out), "--workers", "1"]) == 2
    assert "holds results of a different sweep" in one_line_error(capsys)

    assert main(["plot", "phase", str(out), "--x", "internal_threat", "--y",
                 "us_presure"]) == 2
    assert "did you mean 'us_pressure'" in one_line_error(capsys)
    assert main(["plot", "phase", str(out), "--x", "internal_threat", "--y",
                 "us_pressure"]) == 0
    for suffix in ("png", "svg", "csv", "md"):
        assert (out / f"phase_internal_threat_us_pressure.{suffix}").stat().st_size > 0
    table = pd.read_csv(out / "phase_internal_threat_us_pressure.csv")
    runs = pd.read_parquet(out / "runs")
    assert len(table) == 6 and table["runs"].sum() == 18
    # The table is the runs counted: recount one cell by hand.
    cell = runs[(runs.internal_threat == 1.0) & (runs.us_pressure == 0.9)]
    row = table[(table.internal_threat == 1.0) & (table.us_pressure == 0.9)].iloc[0]
    assert row["ties_RUS"] == cell["pc_ever_RUS"].sum()
    assert row["lo_RUS"] <= row["p_RUS"] <= row["hi_RUS"]


def failing(**kwargs):
    """Fails at us_pressure 0.9 (used through --runner)."""
    from omnibalance.runner import run_once

    if kwargs["params"]["us_pressure"] == 0.9:
        raise RuntimeError("injected failure")
    return run_once(**kwargs)


def test_failed_runs_give_exit_1_and_a_summary(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["sweep", str(spec_file(tmp_path)), "--out", str(out), "--workers", "1",
                 "--runner", f"{__name__}:failing"])
    assert code == 1
    text = capsys.readouterr().out
    assert "FAILED: 9 of 18 runs raised" in text and "RuntimeError: injected failure" in text
    assert len(pd.read_parquet(out / "runs")) == 18


SOBOL = sobol_spec(name="sens", reps=2, seed=9, steps=12, samples=8)


def test_sensitivity_from_a_spec(tmp_path, capsys):
    out = tmp_path / "sens"
    code = main(["sensitivity", str(spec_file(tmp_path, SOBOL)), "--outcome", "final_tie_RUS",
                 "--out", str(out), "--workers", "1", "--quiet"])
    assert code == 0, capsys.readouterr().err
    table = pd.read_csv(out / "sensitivity_sobol_final_tie_RUS.csv")
    assert table["parameter"].tolist() == ["internal_threat", "us_pressure"]
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns)
    assert (out / "sensitivity_sobol_final_tie_RUS.png").stat().st_size > 0
    assert main(["sensitivity", str(out), "--outcome", "final_tie_RSU"]) == 2
    assert "did you mean 'final_tie_RUS'" in one_line_error(capsys)


def test_sensitivity_needs_a_sobol_or_morris_design(tmp_path, capsys):
    out = tmp_path / "grid"
    assert main(["sweep", str(spec_file(tmp_path)), "--out", str(out), "--workers", "1"]) == 0
    capsys.readouterr()
    assert main(["sensitivity", str(out), "--outcome", "pc_ever_RUS"]) == 2
    assert "'sobol' or 'morris'" in one_line_error(capsys)

"""The command line: run, scenarios, help."""

import subprocess
import sys

import pandas as pd
import pytest

from omnibalance.cli import build_parser, main


def test_run_nicaragua_writes_tables_and_figure(tmp_path, capsys):
    assert main(["run", "seeds/nicaragua_2007.toml", "--seed", "1", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Nicaragua" in out and "first patron-client" in out
    stem = tmp_path / "nicaragua_2007_omnibalance_seed1"
    table = pd.read_parquet(f"{stem}_steps.parquet")
    csv = pd.read_csv(f"{stem}_steps.csv")
    assert len(table) == len(csv) == 56 * 3
    assert {"date", "power", "tie", "classification", "hazard"} <= set(table.columns)
    png = (tmp_path / "nicaragua_2007_omnibalance_seed1.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert "offers" in (tmp_path / "nicaragua_2007_omnibalance_seed1_events.txt").read_text()


def test_scenarios_lists_presets(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name in ("nicaragua_2007", "venezuela_2007", "argentina_2007", "bolivia_2006",
                 "latin_america_2007"):
        assert name in out


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


@pytest.mark.parametrize("sub", [None, *_subcommands()])
def test_help_everywhere(sub):
    argv = [sys.executable, "-m", "omnibalance"] + ([sub] if sub else []) + ["--help"]
    proc = subprocess.run(argv, capture_output=True, text=True)
    assert proc.returncode == 0 and "usage:" in proc.stdout

"""The results store can be trusted: one sweep per folder (the lock comes first), checksummed
chunks (a bad one is recomputed, naming it), no stray files counted, the name confined to
results/, and a size guard."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from helpers import grid_spec, sobol_spec, tree

from omnibalance.cli import main
from omnibalance.errors import ConfigError
from omnibalance.sweep.engine import run_sweep
from omnibalance.sweep.executors import InProcess
from omnibalance.sweep.results import open_results
from omnibalance.sweep.spec import load_spec, parse_spec
from omnibalance.sweep.store import StoreWarning


def spec_at(tmp_path: Path, name="st", reps=2, file="s.toml"):
    path = tmp_path / file
    path.write_text(grid_spec(name=name, reps=reps, seed=3))
    return load_spec(path)


def rows(folder: Path) -> pd.DataFrame:
    df = pq.read_table(folder / "runs").to_pandas()
    keep = [c for c in df.columns if not c.endswith("_seconds") and c != "worker"]
    return df[keep].sort_values("run_id").reset_index(drop=True)


def test_a_second_sweep_started_while_the_first_starts_its_workers_is_refused(tmp_path):
    """D1: the first sweep holds the folder's lock from before its checks, so a second one
    started meanwhile (here: while the first is starting its executor) is refused, and the
    first writes its own spec, design and chunks."""
    a = spec_at(tmp_path, reps=2, file="a.toml")
    b = spec_at(tmp_path, reps=3, file="b.toml")
    out = tmp_path / "R"
    refused = []

    def start_b_then_executor():
        try:
            run_sweep(b, out, executor=InProcess, chunk_size=4)
        except ConfigError as exc:
            refused.append(str(exc))
        return InProcess()

    run_sweep(a, out, executor=start_b_then_executor, chunk_size=4)
    assert refused and "another sweep is writing" in refused[0]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["spec_hash"] == a.hash
    assert manifest["plan"]["runs"] == 12 and len(rows(out)) == 12


def test_a_refused_new_folder_leaves_nothing_behind(tmp_path):
    a = spec_at(tmp_path)
    out = tmp_path / "new" / "deeper"

    def broken():
        raise ConfigError("command line", "--scheduler", "x", "cannot reach")

    with pytest.raises(ConfigError):
        run_sweep(a, out, executor=broken)
    assert not (tmp_path / "new").exists()


def test_the_manifest_records_rows_and_checksums_of_every_chunk(tmp_path):
    a = spec_at(tmp_path)
    run_sweep(a, tmp_path / "R", chunk_size=5)
    chunks = json.loads((tmp_path / "R" / "manifest.json").read_text())["chunks"]
    assert sorted(chunks) == ["00000", "00001", "00002"]
    assert [chunks[k]["rows"] for k in sorted(chunks)] == [5, 5, 2]
    assert all(len(c["sha256"]) == 64 for c in chunks.values())


@pytest.mark.parametrize("damage", ["truncate", "empty", "rows"])
def test_a_bad_chunk_is_recomputed_with_a_warning_naming_it(tmp_path, damage):
    """D3: a truncated, emptied or replaced chunk used to count as done."""
    a = spec_at(tmp_path)
    out = tmp_path / "R"
    run_sweep(a, out, chunk_size=5)
    good = rows(out)
    part = out / "runs" / "part-00001.parquet"
    if damage == "truncate":
        part.write_bytes(part.read_bytes()[:200])
    elif damage == "empty":
        part.write_bytes(b"")
    else:  # a valid Parquet file with other rows
        pq.write_table(pq.read_table(part).slice(0, 2), part)
    with pytest.raises(ConfigError, match="part-00001.parquet"):
        open_results(out)
    with pytest.warns(StoreWarning, match="part-00001.parquet"):
        report = run_sweep(a, out, chunk_size=5)
    assert report.new_runs == 5
    pd.testing.assert_frame_equal(rows(out), good)
    assert open_results(out).dataset.count_rows() == 12


def test_a_chunk_written_but_not_yet_recorded_is_checked_and_kept(tmp_path):
    """A kill between a chunk's rename and the next manifest write: the chunk is read back,
    recorded, and not recomputed; a truncated one is recomputed."""
    a = spec_at(tmp_path)
    out = tmp_path / "R"
    run_sweep(a, out, chunk_size=5)
    m = json.loads((out / "manifest.json").read_text())
    del m["chunks"]["00000"], m["chunks"]["00002"]
    m["status"] = "running"
    (out / "manifest.json").write_text(json.dumps(m))
    last = out / "runs" / "part-00002.parquet"
    last.write_bytes(last.read_bytes()[:-30])
    with pytest.warns(StoreWarning, match="part-00002.parquet") as seen:
        report = run_sweep(a, out, chunk_size=5)
    assert len([w for w in seen if "part-00000" in str(w.message)]) == 0
    assert report.new_runs == 2
    assert sorted(json.loads((out / "manifest.json").read_text())["chunks"]) == [
        "00000", "00001", "00002"]


def test_a_finished_sound_sweep_warns_nothing(tmp_path):
    a = spec_at(tmp_path)
    run_sweep(a, tmp_path / "R", chunk_size=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert run_sweep(a, tmp_path / "R", chunk_size=5).new_runs == 0


@pytest.mark.parametrize("stray", ["part-00003 (1).parquet", "part-00099.parquet", "notes.txt"])
def test_a_stray_file_in_runs_is_refused_not_counted(tmp_path, capsys, stray):
    """D4: a copy of a chunk was counted as more runs."""
    spec = tmp_path / "s.toml"
    spec.write_text(grid_spec(name="st", reps=2, seed=3))
    out = tmp_path / "R"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet",
                 "--chunk-size", "5"]) == 0
    (out / "runs" / stray).write_bytes((out / "runs" / "part-00000.parquet").read_bytes())
    before = tree(out)
    capsys.readouterr()
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert stray in err and "not written by the sweep" in err
    assert main(["plot", "phase", str(out), "--x", "internal_threat", "--y",
                 "us_pressure"]) == 2
    assert stray in capsys.readouterr().err
    assert tree(out) == before


@pytest.mark.parametrize("name", ["../../escape", "a/b", "/abs", "..", ".hidden", "x y"])
def test_the_name_cannot_leave_results(tmp_path, name):
    """D16: name = "../../escape" wrote outside results/."""
    with pytest.raises(ConfigError, match="plain folder name"):
        parse_spec({"sweep": {"name": name, "scenario": "nicaragua_2007", "replications": 1,
                              "seed": 0},
                    "design": {"kind": "grid",
                               "parameters": {"us_pressure": {"values": [0.1]}}}})


@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": "omnibalance-sweep/1"}'])
def test_a_corrupt_manifest_is_one_line_for_plan_sweep_and_plot(tmp_path, capsys, text):
    """D11: an empty or corrupt manifest.json gave JSONDecodeError/KeyError tracebacks."""
    spec = tmp_path / "s.toml"
    spec.write_text(grid_spec(name="st", reps=2, seed=3))
    out = tmp_path / "R"
    (out / "runs").mkdir(parents=True)
    (out / "manifest.json").write_text(text)
    before = tree(out)
    for argv in (["sweep", str(spec), "--out", str(out), "--plan"],
                 ["sweep", str(spec), "--out", str(out), "--workers", "1"],
                 ["plot", "phase", str(out), "--x", "internal_threat", "--y", "us_pressure"]):
        capsys.readouterr()
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "manifest.json" in err and "Traceback" not in err, err
        assert len(err.strip().splitlines()) == 1
    assert tree(out) == before


HUGE = """
[sweep]
name = "huge"
scenario = "nicaragua_2007"
steps = 4
replications = {reps}
seed = 0
[design]
kind = "grid"
[design.parameters]
internal_threat = {{ low = 0.0, high = 1.0, n = {n} }}
us_pressure = {{ low = 0.0, high = 1.0, n = {n} }}
"""


def test_plan_of_a_huge_grid_counts_without_building_it(tmp_path, capsys):
    """D10: --plan built the full product (MemoryError on 10^12 points)."""
    spec = tmp_path / "h.toml"
    spec.write_text(HUGE.format(reps=1, n=1_000_000))
    assert main(["sweep", str(spec), "--plan", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "1,000,000,000,000 design points" in out and "--yes" in out
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--yes"]) == 2
    assert "do not fit in memory" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_more_than_ten_million_runs_needs_yes_and_says_how_long(tmp_path, capsys):
    """D15: a 10^9-run spec started with no guard."""
    spec = tmp_path / "h.toml"
    spec.write_text(HUGE.format(reps=100_000, n=100))
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--workers", "2"]) == 2
    err = capsys.readouterr().err
    assert "1,000,000,000 runs" in err and "--yes" in err and "on 2 worker(s)" in err
    assert not (tmp_path / "o").exists()


def test_grid_levels_are_stored_as_written(tmp_path):
    """D20: linspace gave 0.30000000000000004, so runs[runs.internal_threat == 0.3] was empty."""
    text = grid_spec(name="lv", reps=1, seed=3).replace("{ values = [0.1, 0.5] }",
                                                  "{ low = 0.0, high = 1.0, n = 11 }")
    (tmp_path / "s.toml").write_text(text)
    spec = load_spec(tmp_path / "s.toml")
    assert spec.axes[0].values[3] == 0.3 and spec.axes[0].values[7] == 0.7
    run_sweep(spec, tmp_path / "R", chunk_size=20)
    runs = pd.read_parquet(tmp_path / "R" / "runs")
    assert len(runs[runs.internal_threat == 0.3]) == 3
    assert len(runs[runs.us_pressure == 0.3]) == 11


def test_sensitivity_out_is_honoured_for_a_results_folder(tmp_path, capsys):
    """D25: with a results folder as SOURCE, --out was ignored (files went into the folder)."""
    (tmp_path / "s.toml").write_text(sobol_spec(seed=2))
    res = tmp_path / "R"
    assert main(["sweep", str(tmp_path / "s.toml"), "--out", str(res), "--workers", "1",
                 "--quiet"]) == 0
    before = tree(res)
    assert main(["sensitivity", str(res), "--outcome", "pc_ever_RUS", "--out",
                 str(tmp_path / "idx")]) == 0
    assert (tmp_path / "idx" / "sensitivity_sobol_pc_ever_RUS.csv").is_file()
    assert tree(res) == before

"""Running sweeps: same results on every executor, kill and resume, refusal, failure isolation.

These run real (small) sweeps: in this process, in a 2-process pool, on a Dask LocalCluster of
2 worker processes, and as a subprocess killed with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from omnibalance.errors import ConfigError
from omnibalance.runner import run_once
from omnibalance.sweep.engine import run_sweep
from omnibalance.sweep.executors import DaskExecutor, InProcess, LocalPool
from omnibalance.sweep.outcomes import TIMING_COLUMNS, run_once_fields
from omnibalance.sweep.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent

SMALL = """
[sweep]
name = "small"
scenario = "nicaragua_2007"
steps = {steps}
replications = {reps}
seed = 11

[design]
kind = "grid"
[design.parameters]
internal_threat = {{ values = [0.0, 0.5, 0.9] }}
us_pressure = {{ low = 0.0, high = 1.0, n = {n} }}
"""


def write_spec(tmp_path: Path, name="small.toml", steps=24, reps=4, n=3) -> Path:
    path = tmp_path / name
    path.write_text(SMALL.format(steps=steps, reps=reps, n=n))
    return path


def contents(folder: Path) -> pd.DataFrame:
    """A results folder's rows, sorted, without timing columns."""
    df = pq.read_table(folder / "runs").to_pandas()
    return df.drop(columns=list(TIMING_COLUMNS)).sort_values("run_id").reset_index(drop=True)


def test_same_rows_in_process_in_a_pool_and_on_dask(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    one = run_sweep(spec, tmp_path / "one", executor=InProcess(), chunk_size=5)
    two = run_sweep(spec, tmp_path / "two", executor=lambda: LocalPool(2), chunk_size=5)
    dask = run_sweep(spec, tmp_path / "dask", executor=lambda: DaskExecutor.local(2),
                     chunk_size=5)
    assert one.runs == two.runs == dask.runs == 36
    assert dask.executor.startswith("dask LocalCluster (2 worker processes)")
    a, b, c = (contents(tmp_path / d) for d in ("one", "two", "dask"))
    assert len(a) == 36 and a["run_id"].tolist() == list(range(36))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    # Chunking changes files, never rows.
    other = run_sweep(spec, tmp_path / "chunks7", executor=InProcess(), chunk_size=7)
    assert other.runs == 36
    pd.testing.assert_frame_equal(a, contents(tmp_path / "chunks7"))
    # The rows are the runs themselves: any one of them is reproduced from its stored seed.
    row = a.iloc[17]
    again = run_once(params={"internal_threat": row.internal_threat,
                             "us_pressure": row.us_pressure}, steps=24,
                     seed=np.random.SeedSequence(int(row.seed_entropy), spawn_key=tuple(
                         int(v) for v in row.seed_spawn_key.split(","))))
    assert again["final_tie_RUS"] == row.final_tie_RUS
    assert again["first_pc_step"] == (None if pd.isna(row.first_pc_step)
                                      else row.first_pc_step)


def test_a_finished_sweep_is_not_rerun(tmp_path):
    spec = load_spec(write_spec(tmp_path, steps=8, reps=2))
    run_sweep(spec, tmp_path / "out")
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "out" / "runs").iterdir()}

    def no_executor():
        raise AssertionError("a finished sweep must not start workers")

    again = run_sweep(spec, tmp_path / "out", executor=no_executor)
    assert again.new_runs == 0 and again.runs == 18
    assert before == {p: p.stat().st_mtime_ns for p in (tmp_path / "out" / "runs").iterdir()}


def test_a_different_spec_is_refused_and_nothing_changes(tmp_path):
    run_sweep(load_spec(write_spec(tmp_path, steps=8, reps=2)), tmp_path / "out")
    files = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    other = load_spec(write_spec(tmp_path, name="other.toml", steps=12, reps=2))
    with pytest.raises(ConfigError, match="different sweep") as err:
        run_sweep(other, tmp_path / "out")
    assert "spec hash" in str(err.value)
    # The same spec with more replications is refused too, unless asked for with --extend.
    more = load_spec(write_spec(tmp_path, name="more.toml", steps=8, reps=3))
    with pytest.raises(ConfigError, match="different sweep") as err:
        run_sweep(more, tmp_path / "out")
    assert "2 replications there, 3 now" in str(err.value) and "--extend" in str(err.value)
    assert files == {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}


def flaky(**kwargs):
    """run_once, except that it raises at internal_threat 0.5, replication 1."""
    if kwargs["params"]["internal_threat"] == 0.5 and kwargs["seed"].spawn_key[1] == 1:
        raise ValueError(f"no regime at {kwargs['params']}")
    return run_once(**kwargs)


flaky.outcome_fields = run_once_fields


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path, workers):
    spec = load_spec(write_spec(tmp_path, steps=8, reps=2))
    executor = InProcess() if workers == 1 else (lambda: LocalPool(2))
    report = run_sweep(spec, tmp_path / "out", executor=executor, runner=flaky, chunk_size=4)
    df = contents(tmp_path / "out")
    assert len(df) == 18
    bad = df[df["error"].notna()]
    assert len(bad) == 3  # three us_pressure levels at internal_threat 0.5, replication 1
    assert (bad["internal_threat"] == 0.5).all() and (bad["replication"] == 1).all()
    assert bad["error"].str.startswith("ValueError: no regime at").all()
    assert bad["seed_spawn_key"].tolist() == [f"{p},1" for p in bad["point"]]
    assert bad["pc_formed"].isna().all()
    assert df.loc[df["error"].isna(), "pc_formed"].notna().all()
    assert report.failures == 3 and report.exit_code == 1
    assert "FAILED: 3 of 18 runs" in report.text()
    import json

    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["status"] == "complete_with_failures"
    assert manifest["failures"]["count"] == 3
    assert manifest["failures"]["first"][0]["seed_spawn_key"] == "3,1"


def test_series_are_written_and_outcomes_match_run_once(tmp_path):
    path = write_spec(tmp_path, steps=6, reps=2, n=2)
    path.write_text(path.read_text() + '\n[outputs]\nseries = ["tie", "classification", '
                                       '"internal_threat"]\n')
    spec = load_spec(path)
    run_sweep(spec, tmp_path / "s", chunk_size=5)
    plain = load_spec(write_spec(tmp_path, name="plain.toml", steps=6, reps=2, n=2))
    run_sweep(plain, tmp_path / "p", chunk_size=5)
    pd.testing.assert_frame_equal(contents(tmp_path / "s"), contents(tmp_path / "p"))
    series = pq.read_table(tmp_path / "s" / "series").to_pandas()
    assert len(series) == 12 * 6 * 3  # runs x steps x powers
    assert set(series.columns) == {"run_id", "step", "date", "power", "tie", "classification",
                                   "internal_threat"}
    last = series[(series.step == 5) & (series.power == "RUS")].sort_values("run_id")
    np.testing.assert_allclose(last["tie"], contents(tmp_path / "p")["final_tie_RUS"])


def test_memory_stays_flat_few_tasks_in_flight():
    taken, yielded = [], 0

    def tasks():
        for i in range(40):
            taken.append(i)
            assert len(taken) - yielded <= pool.window
            yield i

    with LocalPool(2) as pool:
        for _ in pool.map_unordered(abs, tasks()):
            yielded += 1
    assert yielded == 40


def test_kill_with_sigkill_then_resume_equals_an_uninterrupted_sweep(tmp_path):
    spec_path = write_spec(tmp_path, steps=32, reps=20, n=6)  # 360 runs, 36 chunks
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "omnibalance", "sweep", str(spec_path), "--out", str(out),
           "--workers", "1", "--chunk-size", "10", "--quiet"]
    env = {**os.environ, "CI": "true"}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    runs = out / "runs"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if runs.is_dir() and len(list(runs.glob("part-*.parquet"))) >= 4:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(runs.glob("part-*.parquet")))
    assert proc.returncode == -signal.SIGKILL
    assert 4 <= done < 36, "the sweep should have been killed mid-way"
    # A temporary file as a kill during a write leaves it: never counted, cleared on resume.
    (runs / ".part-00035.parquet.tmp999").write_bytes(b"half a chunk")
    resumed = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert "360 runs complete" in resumed.stdout
    assert not list(runs.glob(".*"))
    whole = run_sweep(load_spec(spec_path), tmp_path / "whole", chunk_size=10)
    assert whole.runs == 360
    a, b = contents(out), contents(tmp_path / "whole")
    assert a["run_id"].tolist() == list(range(360))  # none lost, none twice
    pd.testing.assert_frame_equal(a, b)
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and len(manifest["sessions"]) == 2
    assert manifest["sessions"][1]["runs_at_start"] == 10 * done


def test_cli_on_a_running_dask_scheduler_gives_the_same_rows(tmp_path, capsys):
    import logging

    from distributed import LocalCluster

    from omnibalance.cli import main

    spec = write_spec(tmp_path, steps=8, reps=2)
    run_sweep(load_spec(spec), tmp_path / "local", chunk_size=5)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        code = main(["sweep", str(spec), "--out", str(tmp_path / "remote"), "--scheduler",
                     cluster.scheduler_address, "--chunk-size", "5", "--quiet"])
    assert code == 0, capsys.readouterr().err
    assert "dask scheduler tcp://127.0.0.1" in capsys.readouterr().out
    pd.testing.assert_frame_equal(contents(tmp_path / "local"), contents(tmp_path / "remote"))


def test_a_changed_scenario_is_refused(tmp_path):
    import shutil

    for name in ("nicaragua_2007.toml", "_powers_2000s.toml"):
        shutil.copy(ROOT / "seeds" / name, tmp_path / name)
    spec_path = write_spec(tmp_path, steps=4, reps=1, n=2)
    spec_path.write_text(spec_path.read_text().replace('"nicaragua_2007"',
                                                       '"nicaragua_2007.toml"'))
    run_sweep(load_spec(spec_path), tmp_path / "out")
    shared = tmp_path / "_powers_2000s.toml"  # a file the scenario includes
    text = shared.read_text()
    assert "capability = 66.0" in text
    shared.write_text(text.replace("capability = 66.0", "capability = 67.0", 1))
    with pytest.raises(ConfigError, match="scenario .or a file it includes. has changed"):
        run_sweep(load_spec(spec_path), tmp_path / "out")


def first_fails(**kwargs):
    """run_once without declared outcome columns, raising on replication 0 (the first run of
    every chunk below)."""
    if kwargs["seed"].spawn_key[1] == 0:
        raise ValueError("the first run fails")
    return run_once(**kwargs)


def test_undeclared_outcomes_survive_a_failed_first_run(tmp_path):
    """D2: a runner without ``outcome_fields`` whose first run in a chunk raises used to lose
    every outcome column of that chunk's successful runs."""
    spec = load_spec(write_spec(tmp_path, steps=8, reps=2))
    run_sweep(spec, tmp_path / "out", executor=InProcess(), runner=first_fails, chunk_size=2)
    from omnibalance.sweep.results import open_results

    df = open_results(tmp_path / "out").dataset.to_table().to_pandas()
    ok = df[df["error"].isna()]
    assert len(ok) == 9 and ok["pc_formed"].notna().all() and ok["final_tie_RUS"].notna().all()
    assert df.loc[df["error"].notna(), "pc_formed"].isna().all()

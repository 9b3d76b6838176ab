"""``sweep --extend``: adding replications to a finished or partial sweep without recomputing.

The runs an extension adds have the seeds, and so the rows, of a sweep started with the larger
count (only their run ids follow the block layout of :mod:`omnibalance.sweep.plan`); the files
already written stay as they are; the manifest records the extension; a smaller count, a
different spec or an extension of nothing is refused with one line and nothing written.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from helpers import grid_spec, tree

from omnibalance.cli import main
from omnibalance.errors import ConfigError
from omnibalance.sweep.engine import run_sweep
from omnibalance.sweep.executors import InProcess, LocalPool
from omnibalance.sweep.outcomes import TIMING_COLUMNS
from omnibalance.sweep.plan import Plan
from omnibalance.sweep.results import open_results
from omnibalance.sweep.spec import load_spec

KEYS = ["rule", "point", "replication"]


def spec(tmp_path: Path, reps: int, file: str | None = None, steps: int = 12):
    path = tmp_path / (file or f"r{reps}.toml")
    # Two rules: the block layout numbers runs across rules too.
    path.write_text(grid_spec(name="ext", reps=reps, seed=4, steps=steps)
                    .replace("seed = 4", 'seed = 4\nrules = ["omnibalance", "bandwagon"]'))
    return load_spec(path)


def rows(folder: Path, run_id: bool = False) -> pd.DataFrame:
    """A folder's rows in (rule, point, replication) order, without timings (and run ids)."""
    df = pq.read_table(folder / "runs").to_pandas()
    drop = list(TIMING_COLUMNS) + ([] if run_id else ["run_id"])
    return df.drop(columns=drop).sort_values(KEYS).reset_index(drop=True)


def chunk_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "runs").glob("part-*.parquet"))}


class StopAfter(InProcess):
    """Runs ``n`` chunks, then is interrupted (as Ctrl-C would)."""

    def __init__(self, n: int):
        self.n = n

    def map_unordered(self, fn, tasks):
        for k, task in enumerate(tasks):
            if k == self.n:
                raise KeyboardInterrupt
            yield fn(task)


def test_plan_blocks_number_every_run_once_and_keep_earlier_chunks():
    one = Plan(("a", "b"), points=7, replications=3, chunk_size=4)
    assert one.blocks == (3,) and one.chunks == 11
    assert [one.locate(r) for r in range(42)] == list(itertools.product(range(2), range(7),
                                                                         range(3)))
    ext = one.extended(5)
    assert ext.blocks == (3, 2) and ext.runs == 70 and ext.chunks == 11 + 7
    for k in range(one.chunks):  # the chunks of the first block are unchanged
        assert ext.chunk_runs(k) == one.chunk_runs(k)
    ids = [r for k in range(ext.chunks) for r in ext.chunk_runs(k)]
    assert ids == list(range(70))
    assert sorted(ext.locate(r) for r in ids) == sorted(
        itertools.product(range(2), range(7), range(5)))
    # Block 2: replications 3 and 4, numbered from 42 in (rule, point, replication) order.
    assert ext.locate(42) == (0, 0, 3) and ext.locate(43) == (0, 0, 4)
    assert ext.locate(44) == (0, 1, 3) and ext.locate(69) == (1, 6, 4)
    assert ext.chunk_runs(11) == range(42, 46) and ext.chunk_runs(17) == range(66, 70)
    assert ext.extended(6).blocks == (3, 2, 1)
    with pytest.raises(ValueError):
        Plan(("a",), 2, 3, 4, blocks=(1, 1))


@pytest.mark.parametrize("workers", [1, 2])
def test_an_extended_sweep_has_the_rows_of_a_fresh_one_at_the_larger_count(tmp_path, workers):
    fresh = run_sweep(spec(tmp_path, 5), tmp_path / "fresh", executor=InProcess(),
                      chunk_size=5)
    out = tmp_path / "ext"
    first = run_sweep(spec(tmp_path, 3), out, executor=InProcess(), chunk_size=5)
    written = chunk_bytes(out)
    pool = InProcess() if workers == 1 else LocalPool(2)
    report = run_sweep(spec(tmp_path, 5), out, executor=lambda: pool, extend=True)
    assert first.runs == 36 and fresh.runs == report.runs == 60
    assert report.new_runs == 24 and report.extended_from == 3  # only the new replications
    assert "extended from 3 replications" in report.text()
    after = chunk_bytes(out)
    assert {k: after[k] for k in written} == written  # the files written first are untouched
    assert len(after) == len(written) + 5  # 24 new runs in chunks of 5
    # Bit for bit the rows of the fresh sweep: parameters, seeds, outcomes, errors.
    pd.testing.assert_frame_equal(rows(out), rows(tmp_path / "fresh"))
    # The run ids follow the blocks: 0..35 the first three replications, 36..59 the others.
    ids = rows(out, run_id=True)
    assert sorted(ids.run_id) == list(range(60))
    assert (ids[ids.replication < 3].run_id < 36).all()
    # Reading back gives the fresh sweep's frame in the fresh sweep's order.
    cols = ["point", "replication", "rule", "internal_threat", "us_pressure", "pc_formed",
            "final_tie_RUS", "seed_spawn_key"]
    pd.testing.assert_frame_equal(open_results(out).read(cols).drop(columns="run_id"),
                                  open_results(tmp_path / "fresh").read(cols)
                                  .drop(columns="run_id"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_done"] == 60
    assert manifest["plan"]["blocks"] == [3, 2] and manifest["plan"]["replications"] == 5
    assert manifest["spec"]["sweep"]["replications"] == 5
    assert manifest["spec_hash"] == spec(tmp_path, 5).hash
    [ext] = manifest["extensions"]
    assert (ext["replications_before"], ext["replications"]) == (3, 5)
    assert (ext["runs_before"], ext["runs"], ext["chunks_before"]) == (36, 60, 8)
    assert ext["spec_hash_before"] == spec(tmp_path, 3).hash
    assert len(manifest["chunks"]) == 13 and len(manifest["sessions"]) == 2


def test_the_same_extension_on_one_and_two_workers_gives_the_same_rows_and_ids(tmp_path):
    for name, executor in (("one", InProcess), ("two", lambda: LocalPool(2))):
        run_sweep(spec(tmp_path, 2), tmp_path / name, executor=InProcess(), chunk_size=7)
        run_sweep(spec(tmp_path, 4), tmp_path / name, executor=executor, extend=True)
    pd.testing.assert_frame_equal(rows(tmp_path / "one", run_id=True),
                                  rows(tmp_path / "two", run_id=True))


def test_an_interrupted_extension_resumes_and_so_does_a_partial_sweep(tmp_path):
    out = tmp_path / "ext"
    # A partial sweep (interrupted after 2 of its 8 chunks) is extended, and that extension
    # is interrupted in turn; resuming it completes both.
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec(tmp_path, 3), out, executor=StopAfter(2), chunk_size=5)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec(tmp_path, 5), out, executor=StopAfter(7), extend=True)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["plan"]["blocks"] == [3, 2]
    assert len(manifest["chunks"]) == 9
    # Resuming it needs --extend (the folder is no longer the 3-replication sweep) ...
    with pytest.raises(ConfigError, match="5 replications there, 3 now") as err:
        run_sweep(spec(tmp_path, 3), out)
    assert "--extend --replications 5" in str(err.value)
    stored = sum(c["rows"] for c in manifest["chunks"].values())
    assert stored == 7 * 5 + 1 + 5  # chunks 0-7 (the first block: 36 runs) and chunk 8
    report = run_sweep(spec(tmp_path, 5), out, extend=True)
    assert report.new_runs == 60 - stored and report.extended_from is None
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["extensions"]) == 1 and manifest["status"] == "complete"
    run_sweep(spec(tmp_path, 5), tmp_path / "fresh", chunk_size=5)
    pd.testing.assert_frame_equal(rows(out), rows(tmp_path / "fresh"))
    # ... and once complete, the same command does nothing.
    assert run_sweep(spec(tmp_path, 5), out, extend=True, executor=None).new_runs == 0


def test_extend_on_the_command_line_then_plot_phase(tmp_path, capsys):
    path3 = tmp_path / "s.toml"
    path3.write_text(grid_spec(name="ext", reps=3, seed=4, steps=12))
    out = tmp_path / "R"
    base = ["sweep", str(path3), "--out", str(out), "--workers", "1", "--quiet"]
    assert main([*base, "--chunk-size", "4"]) == 0
    capsys.readouterr()
    assert main([*base, "--extend", "--replications", "6", "--plan"]) == 0
    plan = capsys.readouterr().out
    assert "x 6 replications = 36 runs" in plan and "the extension adds 18 runs" in plan
    assert main([*base, "--extend", "--replications", "6"]) == 0
    assert "36 runs complete (18 this time)" in capsys.readouterr().out
    assert main(["plot", "phase", str(out), "--x", "internal_threat", "--y",
                 "us_pressure"]) == 0
    # The phase table of the extended sweep is the fresh sweep's at 6 replications.
    path6 = tmp_path / "s6.toml"
    path6.write_text(grid_spec(name="ext", reps=6, seed=4, steps=12))
    fresh = tmp_path / "F"
    assert main(["sweep", str(path6), "--out", str(fresh), "--workers", "2", "--quiet"]) == 0
    assert main(["plot", "phase", str(fresh), "--x", "internal_threat", "--y",
                 "us_pressure"]) == 0
    csv = "phase_internal_threat_us_pressure.csv"
    assert (out / csv).read_text() == (fresh / csv).read_text()
    summary = (out / "phase_internal_threat_us_pressure.md").read_text()
    assert "6 replications per point" in summary and "INCOMPLETE" not in summary
    # The spec file edited to the larger count extends too (no --replications needed).
    path3.write_text(grid_spec(name="ext", reps=8, seed=4, steps=12))
    capsys.readouterr()
    assert main([*base, "--extend"]) == 0
    assert "48 runs complete (12 this time)" in capsys.readouterr().out


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize("argv,words", [
    (["--extend", "--replications", "2"],
     ["--replications", "2", "fewer than the 3 replications", "only adds"]),
    (["--replications", "5"], ["--replications", "only applies with --extend"]),
    (["--extend", "--replications", "5", "--out", "{d}/new"],
     ["--extend", "holds no sweep to extend"]),
    (["--extend", "--replications", "0"], ["--replications", ">= 1"]),
])
def test_bad_extensions_are_one_line_exit_2_and_write_nothing(tmp_path, capsys, argv, words):
    path = tmp_path / "s.toml"
    path.write_text(grid_spec(name="ext", reps=3, seed=4))
    out = tmp_path / "R"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    before = tree(tmp_path)
    capsys.readouterr()
    try:
        code = main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet",
                     *(a.replace("{d}", str(tmp_path)) for a in argv)])
        err = one_line(capsys)
    except SystemExit as exc:  # argparse's own errors: its usage, then one line
        code = exc.code
        err = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 2
    for w in words:
        assert w in err, (w, err)
    assert tree(tmp_path) == before


def test_extend_never_mixes_a_different_spec(tmp_path):
    out = tmp_path / "R"
    run_sweep(spec(tmp_path, 2), out, chunk_size=5)
    before = tree(out)
    other = spec(tmp_path, 4, file="other.toml", steps=16)  # more replications, other steps
    with pytest.raises(ConfigError, match="different sweep") as err:
        run_sweep(other, out, extend=True)
    assert "spec hash" in str(err.value)
    assert tree(out) == before

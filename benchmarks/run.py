"""Runs per second: ``omnibalance sweep`` against Mesa's ``batch_run``, side by side.

Same model (OmnibalanceModel on nicaragua_2007, rule omnibalance, 56 quarters), same grid of
internal_threat x us_pressure, same replications, same numbers of processes. Every timing is
wall time of the whole call after imports: pool start-up, the runs, and (for the sweep)
writing Parquet; each is taken ``--repeat`` times, interleaved, and the fastest kept.

``batch_run`` only returns what the model's DataCollector gathered, so there the model must
collect every step (``collect=True``); the sweep's runner needs only the per-run outcomes and
turns collection off. The third row (sweep with per-step series) collects like batch_run does,
to show how much of the gap is that. ``batch_run`` runs in a child process because importing it
switches multiprocessing to "spawn" for the whole process.

    .venv/bin/python benchmarks/run.py [--levels 6] [--replications 10] [--workers 1 2]
                                       [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO, RULE, STEPS = "nicaragua_2007", "omnibalance", 56


def levels(n: int) -> list[float]:
    return [round(i / (n - 1), 10) for i in range(n)] if n > 1 else [0.5]


def spec_text(n: int, reps: int, series: bool) -> str:
    grid = ", ".join(f"{v:g}" for v in levels(n))
    text = f"""
[sweep]
name = "bench"
scenario = "{SCENARIO}"
rules = ["{RULE}"]
steps = {STEPS}
replications = {reps}
seed = 1

[design]
kind = "grid"
[design.parameters]
internal_threat = {{ values = [{grid}] }}
us_pressure = {{ values = [{grid}] }}
"""
    return text + ('\n[outputs]\nseries = ["tie", "classification"]\n' if series else "")


def warm_up() -> None:
    """Import the model and run it once, so no timing pays for imports (batch_run's child
    process is timed after its imports too)."""
    from omnibalance.runner import run_once
    from omnibalance.sweep import engine  # noqa: F401

    run_once(SCENARIO, RULE, steps=STEPS)


def time_sweep(n: int, reps: int, workers: int, series: bool) -> float:
    import tomllib

    from omnibalance.sweep.engine import run_sweep
    from omnibalance.sweep.executors import make_executor
    from omnibalance.sweep.spec import parse_spec

    spec = parse_spec(tomllib.loads(spec_text(n, reps, series)), "benchmark")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        report = run_sweep(spec, Path(tmp) / "out",
                           executor=lambda: make_executor(workers=workers), progress=False)
        seconds = time.perf_counter() - t0
    assert report.runs == n * n * reps and report.failures == 0
    return seconds


def time_batch_run(n: int, reps: int, processes: int) -> float:
    """Runs in a child process (see the module docstring)."""
    here = str(Path(__file__).parent)
    code = (f"import sys; sys.path.insert(0, {here!r}); import run; "
            f"print(run._batch_run({n}, {reps}, {processes}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _batch_run(n: int, reps: int, processes: int) -> float:
    import warnings

    import mesa

    from omnibalance.model import OmnibalanceModel

    points = [{"internal_threat": a, "us_pressure": b} for a in levels(n) for b in levels(n)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        rows = mesa.batch_run(OmnibalanceModel,
                              parameters={"scenario": [SCENARIO], "rule": [RULE],
                                          "params": points, "steps": [STEPS]},
                              rng=list(range(reps)), number_processes=processes,
                              max_steps=STEPS, data_collection_period=-1,
                              display_progress=False)
        seconds = time.perf_counter() - t0
    assert len(rows) == n * n * reps, len(rows)
    return seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--levels", type=int, default=6, help="grid levels per axis (default 6)")
    ap.add_argument("--replications", type=int, default=10)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--json", type=Path, default=ROOT / "results" / "benchmark.json",
                    help="where to write the numbers (default results/benchmark.json)")
    ap.add_argument("--repeat", type=int, default=2,
                    help="time each row this many times and keep the fastest (default 2): "
                         "the machine may be shared")
    args = ap.parse_args(argv)
    n, reps = args.levels, args.replications
    warm_up()
    runs = n * n * reps
    print(f"benchmark: {SCENARIO}, rule {RULE}, {STEPS} quarters, grid {n} x {n} "
          f"(internal_threat x us_pressure), {reps} replications = {runs} runs; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    rows = []
    for w in args.workers:
        best: dict[str, float] = {}
        for _ in range(args.repeat):  # interleaved, so a busy spell hits every row alike
            for name, timer, extra in (
                    ("omnibalance sweep (per-run rows)", time_sweep, (False,)),
                    ("mesa.batch_run (DataCollector)", time_batch_run, ()),
                    ("omnibalance sweep (+ per-step series)", time_sweep, (True,))):
                best[name] = min(best.get(name, float("inf")), timer(n, reps, w, *extra))
        rows += [(name, w, s) for name, s in best.items()]
    print(f"\n{'':<40}{'workers':>8}{'seconds':>10}{'runs/s':>10}")
    for name, w, s in rows:
        print(f"{name:<40}{w:>8}{s:>10.2f}{runs / s:>10.1f}")
    result = {"runs": runs, "levels": n, "replications": reps, "steps": STEPS,
              "load_average": os.getloadavg()[0],
              "rows": [{"what": name, "workers": w, "seconds": s, "runs_per_second": runs / s}
                       for name, w, s in rows], "ratio": {}}
    print()
    for w in args.workers:
        ours = next(s for name, ww, s in rows if ww == w and name.endswith("(per-run rows)"))
        theirs = next(s for name, ww, s in rows if ww == w and name.startswith("mesa"))
        ratio = theirs / ours
        result["ratio"][str(w)] = ratio
        print(f"sweep / batch_run at {w} worker{'s' if w > 1 else ''}: {ratio:.2f}x the runs "
              f"per second")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nnumbers: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

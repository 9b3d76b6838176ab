"""The batch engine against Mesa, side by side in one run (``make bench``).

Rows, each timed ``--repeat`` times interleaved (so a busy spell hits every row alike) and the
fastest kept; every rate is runs per second of wall time after imports:

* threat sweep, ``nicaragua_2007`` (internal_threat x us_pressure, 56 quarters):
  ``omnibalance sweep`` on the batch engine, against Mesa's ``batch_run`` of the Mesa face
  (``OmnibalanceModel``, DataCollector on, as batch_run needs), and against ``batch_run`` of
  the model as it was before the batch engine (commit ``PRE_ENGINE``, exported with
  ``git archive`` when the checkout has its history), at 1 and 2 workers;
* ``latin_america_2007`` (10 regimes): the batch path against the Mesa path, one process;
* ``make run``: the main job's sweep (experiments/threat_sweep.toml) on 2 workers (compute
  only, no install);
* the peak resident memory of a 10^6-run sweep, summed over the sweep's process tree.

Writes the table to stdout and to ``benchmarks/results.md`` (and the numbers as JSON).

    .venv/bin/python benchmarks/run.py [--repeat 2] [--million-runs 1000000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRE_ENGINE = "f6be689"
"""The last commit whose model stepped each run through Mesa agents one by one."""
SCENARIO, REGION, RULE, STEPS = "nicaragua_2007", "latin_america_2007", "omnibalance", 56


def levels(n: int) -> list[float]:
    return [round(i / (n - 1), 10) for i in range(n)] if n > 1 else [0.5]


def spec_text(n: int, reps: int, scenario: str = SCENARIO, name: str = "bench") -> str:
    grid = ", ".join(f"{v:g}" for v in levels(n))
    return textwrap.dedent(f"""
        [sweep]
        name = "{name}"
        scenario = "{scenario}"
        rules = ["{RULE}"]
        steps = {STEPS}
        replications = {reps}
        seed = 1

        [design]
        kind = "grid"
        [design.parameters]
        internal_threat = {{ values = [{grid}] }}
        us_pressure = {{ values = [{grid}] }}
        """)


def time_sweep(text: str, workers: int) -> tuple[float, int]:
    """Wall seconds of ``run_sweep`` (pool start-up, runs, Parquet) and its run count."""
    import tomllib

    from omnibalance.sweep.engine import run_sweep
    from omnibalance.sweep.executors import make_executor
    from omnibalance.sweep.spec import parse_spec

    spec = parse_spec(tomllib.loads(text), "benchmark")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        report = run_sweep(spec, Path(tmp) / "out",
                           executor=lambda: make_executor(workers=workers), progress=False)
        seconds = time.perf_counter() - t0
    assert report.failures == 0
    return seconds, report.runs


def time_batch_run(n: int, reps: int, processes: int, pythonpath: str | None = None) -> float:
    """``mesa.batch_run`` in a child process: importing it switches multiprocessing to
    "spawn" for the whole process. ``pythonpath`` puts an older copy of the package first."""
    env = dict(os.environ)
    if pythonpath:
        # the older package with the scenarios of its own commit (the format has grown since)
        env["PYTHONPATH"] = pythonpath
        env["OMNIBALANCE_SEEDS"] = str(Path(pythonpath) / "seeds")
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import run; "
            f"print(run._batch_run({n}, {reps}, {processes}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "benchmarks",
                         capture_output=True, text=True, check=True, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def _batch_run(n: int, reps: int, processes: int) -> float:
    import warnings

    import mesa

    from omnibalance.model import OmnibalanceModel

    points = [{"internal_threat": a, "us_pressure": b} for a in levels(n) for b in levels(n)]
    OmnibalanceModel(SCENARIO, RULE, steps=STEPS, rng=0).run()  # imports and caches warm
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


def pre_engine_package(tmp: Path) -> str | None:
    """The package and its scenarios as of :data:`PRE_ENGINE`, exported into ``tmp`` (None
    without git history)."""
    try:
        archive = subprocess.run(["git", "archive", PRE_ENGINE, "omnibalance", "seeds"],
                                 cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return str(tmp)


def region_rates(batch_runs: int, mesa_runs: int) -> tuple[float, float]:
    """Runs per second of the region scenario: batch path, Mesa path (one process each)."""
    import numpy as np

    from omnibalance.model import OmnibalanceModel
    from omnibalance.runner import run_many

    seeds = [np.random.SeedSequence(1, spawn_key=(0, r)) for r in range(batch_runs)]
    run_many(REGION, RULE, None, seeds[:4])
    t0 = time.perf_counter()
    run_many(REGION, RULE, None, seeds)
    batch = batch_runs / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for r in range(mesa_runs):
        OmnibalanceModel(REGION, RULE, rng=np.random.default_rng(seeds[r]), collect=False).run()
    mesa = mesa_runs / (time.perf_counter() - t0)
    return batch, mesa


def peak_rss_of_sweep(runs: int, workers: int) -> tuple[float, float]:
    """(peak summed RSS of the sweep's process tree in MiB, wall seconds) for a sweep of about
    ``runs`` runs of the threat sweep (a list design of one point, ``runs`` replications)."""
    import psutil

    text = textwrap.dedent(f"""
        [sweep]
        name = "rss"
        scenario = "{SCENARIO}"
        rules = ["{RULE}"]
        replications = {runs}
        seed = 1
        [design]
        kind = "grid"
        [design.parameters]
        us_pressure = {{ values = [0.6] }}
        """)
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "rss.toml"
        spec.write_text(text, encoding="utf-8")
        cmd = [sys.executable, "-m", "omnibalance", "sweep", str(spec), "--out",
               str(Path(tmp) / "out"), "--workers", str(workers), "--quiet"]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
        peak = 0.0
        parent = psutil.Process(proc.pid)
        stop = threading.Event()

        def poll():
            nonlocal peak
            while not stop.is_set():
                try:
                    procs = [parent, *parent.children(recursive=True)]
                    total = sum(p.memory_info().rss for p in procs if p.is_running())
                    peak = max(peak, total / 2**20)
                except psutil.Error:
                    pass
                time.sleep(0.2)

        t = threading.Thread(target=poll, daemon=True)
        t.start()
        code = proc.wait()
        stop.set()
        t.join()
        seconds = time.perf_counter() - t0
    if code != 0:
        raise RuntimeError(f"the {runs}-run sweep exited {code}")
    return peak, seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=2,
                    help="time each row this many times, interleaved, and keep the fastest")
    ap.add_argument("--million-runs", type=int, default=1_000_000,
                    help="runs of the memory row (default 10^6)")
    ap.add_argument("--quick", action="store_true",
                    help="small sizes for a smoke test (the ratios are then rough)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = ap.parse_args(argv)
    q = args.quick
    # The threat-sweep rows run a 21 x 21 grid x 40 replications = 17,640 runs;
    # batch_run rows run fewer runs (it is ~100x slower), enough to dwarf its pool start-up.
    sweep_n, sweep_reps = (6, 10) if q else (21, 40)
    mesa_n, mesa_reps = (2, 2) if q else (4, 5)
    million = 2000 if q else args.million_runs

    from omnibalance.runner import run_many

    run_many(SCENARIO, RULE, None, [0])  # imports warm
    load0 = os.getloadavg()[0]
    print(f"benchmark: {os.cpu_count()} cores, load average {load0:.1f} at start", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        old = pre_engine_package(Path(tmp))
        rates: dict[tuple[str, int], float] = {}
        for w in (1, 2):
            for _ in range(args.repeat):
                s, runs = time_sweep(spec_text(sweep_n, sweep_reps), w)
                rates[("sweep", w)] = max(rates.get(("sweep", w), 0.0), runs / s)
                m = mesa_n * mesa_n * mesa_reps
                rates[("batch_run", w)] = max(rates.get(("batch_run", w), 0.0),
                                              m / time_batch_run(mesa_n, mesa_reps, w))
                if old:
                    try:
                        rates[("pre", w)] = max(rates.get(("pre", w), 0.0), m / time_batch_run(
                            mesa_n, mesa_reps, w, old))
                    except subprocess.CalledProcessError as exc:
                        print(f"  pre-engine model skipped: {exc.stderr.strip()[-200:]}")
                        old = None
            print(f"  threat sweep at {w} worker(s) done", flush=True)
    region = [region_rates(200 if q else 2000, 4 if q else 20) for _ in range(args.repeat)]
    region_batch, region_mesa = max(r[0] for r in region), max(r[1] for r in region)
    print("  region done", flush=True)
    timed = [time_sweep((ROOT / "experiments" / "threat_sweep.toml").read_text(), 2)
             for _ in range(1 if q else args.repeat)]
    main_job, main_runs = min(t for t, _ in timed), timed[0][1]
    print("  make run done", flush=True)
    rss, rss_seconds = peak_rss_of_sweep(million, 2)

    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores (load average "
        f"{load0:.1f} at start, {os.getloadavg()[0]:.1f} at end); best of {args.repeat} "
        "interleaved timings; rates are runs per second of wall time.",
        "",
        "| work | engine | workers | runs/s | ratio | goal |",
        "|---|---|---|---|---|---|",
    ]
    for w in (1, 2):
        ours, face = rates[("sweep", w)], rates[("batch_run", w)]
        lines.append(f"| threat sweep, {SCENARIO} | batch (`omnibalance sweep`) | {w} | "
                     f"{ours:,.0f} | | |")
        lines.append(f"| threat sweep, {SCENARIO} | Mesa `batch_run`, Mesa face | {w} | "
                     f"{face:,.1f} | batch / this = **{ours / face:,.0f}x** | >= 100x |")
        if ("pre", w) in rates:
            pre = rates[("pre", w)]
            lines.append(f"| threat sweep, {SCENARIO} | Mesa `batch_run`, pre-engine model "
                         f"({PRE_ENGINE}) | {w} | {pre:,.1f} | batch / this = "
                         f"**{ours / pre:,.0f}x** | >= 100x |")
    lines += [
        f"| {REGION}, 10 regimes | batch (`run_many`) | 1 | {region_batch:,.0f} | | |",
        f"| {REGION}, 10 regimes | Mesa path (`OmnibalanceModel`) | 1 | {region_mesa:,.1f} | "
        f"batch / this = **{region_batch / region_mesa:,.0f}x** | >= 100x |",
        f"| `make run` ({main_runs:,} runs) | batch | 2 | {main_runs / main_job:,.0f} | "
        f"**{main_job:.1f} s** | < 10 s |",
        f"| peak RSS, {million:,}-run sweep | batch | 2 | {million / rss_seconds:,.0f} | "
        f"**{rss:,.0f} MiB** | < 1024 MiB |",
    ]
    table = "\n".join(lines)
    print("\n" + table)
    args.out.write_text("# Benchmark results (`make bench`)\n\n" + table + "\n",
                        encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(
        {"rates": {f"{k}_{w}": v for (k, w), v in rates.items()},
         "region": {"batch": region_batch, "mesa": region_mesa},
         "make_run_seconds": main_job, "peak_rss_mib": rss, "rss_runs": million},
        indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

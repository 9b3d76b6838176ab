"""Run a sweep: check everything, find what is left to do, farm it out, write as it arrives.

:func:`run_sweep` is the whole life of a sweep invocation:

1. the spec is already checked; build the design and the run plan;
2. check the results folder (new, or the same sweep to resume; with ``extend``, the same
   sweep with fewer replications, whose new replications become a block of new chunks; a
   different one is refused);
3. if chunks are left, start the executor (an unreachable scheduler stops here, before
   anything is written), open the folder and write each chunk as it completes;
4. count failures from the written rows and write the manifest.

Rerunning the same command therefore resumes an interrupted sweep, and on a finished one only
re-reads the folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.dataset as pads

from .design import Design, build_design
from .executors import Executor, InProcess
from .outcomes import outcome_fields, runs_schema
from .plan import Plan, default_chunk_size
from .progress import progress_bar
from .seeds import design_seed
from .spec import SweepSpec
from .store import FORMAT, Identity, ResultsStore, now
from .work import ChunkTask, run_chunk

FAILURES_KEPT = 20
"""Failures listed in the manifest (all of them are rows with an ``error`` in runs/)."""


class SweepAbortedError(Exception):
    """The executor broke down (a worker process died, the cluster went away). What was
    written stays; rerunning the same command resumes."""


@dataclass
class SweepReport:
    """What a sweep invocation did."""

    name: str
    out: Path
    runs: int
    new_runs: int
    seconds: float
    executor: str
    failures: int = 0
    first_failures: list[dict[str, Any]] = field(default_factory=list)
    extended_from: int | None = None
    """The replications the folder held before this invocation extended it."""

    @property
    def exit_code(self) -> int:
        """0 if every run succeeded, 1 if any failed."""
        return 1 if self.failures else 0

    def text(self) -> str:
        """A short human summary."""
        if self.new_runs == 0:
            head = (f"{self.name}: all {self.runs} runs already done in {self.out} "
                    f"(nothing to run)")
        else:
            rate = self.new_runs / self.seconds if self.seconds > 0 else float("inf")
            head = (f"{self.name}: {self.runs} runs complete ({self.new_runs} this time) in "
                    f"{_duration(self.seconds)}, {rate:.0f} runs/s, {self.executor}")
        if self.extended_from is not None:
            head += f" (extended from {self.extended_from} replications)"
        lines = [head, f"results: {self.out / 'runs'}/ (Parquet, one row per run); manifest: "
                       f"{self.out / 'manifest.json'}"]
        if self.failures:
            f = self.first_failures[0]
            lines.append(
                f"FAILED: {self.failures} of {self.runs} runs raised; first: run {f['run_id']} "
                f"(point {f['point']}, replication {f['replication']}, rule {f['rule']}, seed "
                f"SeedSequence({f['seed_entropy']}, spawn_key=({f['seed_spawn_key']}))): "
                f"{f['error']}")
            lines.append("every failed run is a row with its error in runs/; the others are "
                         "complete")
        return "\n".join(lines)


def runner_name(runner: Callable) -> str:
    """``module:qualname`` of a runner function, as recorded in the manifest."""
    return f"{runner.__module__}:{runner.__qualname__}"


def scenario_hash(case) -> str:
    """SHA-256 of everything the model reads from a scenario (the files it includes too, not
    their comments or layout)."""
    text = repr(dataclasses.replace(case, path=""))
    return hashlib.sha256(text.encode()).hexdigest()


def design_table(design: Design) -> pa.Table:
    """The design points as a table: ``point`` and one column per swept parameter."""
    cols: dict[str, Any] = {"point": np.arange(len(design), dtype=np.int64)}
    for j, (name, kind) in enumerate(zip(design.names, design.kinds, strict=True)):
        cols[name] = design.values[:, j].astype(np.int64 if kind is int else np.float64)
    return pa.table(cols)


def plan_of(spec: SweepSpec, design: Design | None = None,
            chunk_size: int | None = None, manifest: dict[str, Any] | None = None) -> Plan:
    """The run plan of a spec (chunk size: given, or :func:`default_chunk_size`). The design
    is not needed: its size comes from the spec.

    With the ``manifest`` of the folder the spec runs into, the folder's plan (its chunk size
    and replication blocks) is kept, and a block is added if the spec asks for more
    replications than the folder holds (an extension)."""
    points = spec.design_points if design is None else len(design)
    if manifest is None:
        runs = len(spec.rules) * points * spec.replications
        return Plan(spec.rules, points, spec.replications,
                    chunk_size or default_chunk_size(runs))
    held = manifest["plan"]
    try:
        plan = Plan(spec.rules, points, int(held["replications"]), int(held["chunk_size"]),
                    tuple(int(n) for n in held.get("blocks") or ()))
    except (KeyError, TypeError, ValueError) as exc:
        from ..errors import ConfigError

        raise ConfigError("manifest.json", "plan", held,
                          f"is inconsistent ({exc}); it is not a results folder this version "
                          "can use") from None
    return plan.extended(spec.replications) if spec.replications > plan.replications else plan


def run_sweep(spec: SweepSpec, out: str | Path, *,
              executor: Executor | Callable[[], Executor] | None = None,
              runner: Callable[..., dict[str, Any]] | None = None,
              chunk_size: int | None = None, spec_text: str = "",
              progress: bool | None = None, engine: str = "batch",
              extend: bool = False) -> SweepReport:
    """Run (or resume) ``spec`` into the results folder ``out``.

    Args:
        executor: an :class:`~omnibalance.sweep.executors.Executor`, or a function making one
            (called only if runs are left to do, after the folder is checked); default: in
            this process.
        runner: the function each run calls (default :func:`omnibalance.runner.run_once`); it
            takes run_once's keyword arguments and returns a flat dict of outcomes.
        chunk_size: runs per chunk for a new sweep (a resumed one keeps its own).
        spec_text: the spec file's text, stored as ``spec.toml``.
        progress: show a progress bar (default: only on a terminal and outside CI).
        engine: ``batch`` (the default runner's runs of a chunk step together over arrays) or
            ``mesa`` (each run through the Mesa face). Both give the same rows; a custom
            runner always runs per run.
        extend: ``out`` holds this spec with fewer replications (finished or not): add the
            missing replications as a new block, computing only the runs not yet stored. The
            new runs have the seeds, and so the rows, they would have had in a sweep started
            with ``spec.replications``; only their run ids follow the block layout
            (:mod:`.plan`).
    """
    from ..errors import ConfigError, unknown_key
    from ..runner import ENGINES, run_once
    from ..scenario import load_scenario

    if engine not in ENGINES:
        raise unknown_key("sweep", "engine", engine, ENGINES)
    runner = runner or run_once
    if spec.series and runner is not run_once:
        raise ConfigError("sweep", "--runner", runner_name(runner),
                          "per-step series ([outputs] series) come from the model's own runner; "
                          "drop --runner or the series")
    out = Path(out)
    case = load_scenario(spec.scenario)
    design = build_design(spec)
    identity = Identity(spec.hash, scenario_hash(case), runner_name(runner), spec.family_hash,
                        spec.replications)
    store = ResultsStore(out, identity)
    store.lock()  # before anything is checked or written: a second sweep is refused here
    try:
        previous = store.check(extend=extend)
        if extend and previous is None:
            raise ConfigError("command line", "--extend", str(out),
                              "holds no sweep to extend; drop --extend to start one there")
        plan = plan_of(spec, design, chunk_size, previous)
        held = previous["plan"]["replications"] if previous is not None else None
        extended_from = held if held is not None and plan.replications > held else None
        done: set[int] = set()
        recorded_before = None
        if previous is not None:
            recorded_before = dict(previous.get("chunks", {}))
            done = store.verified_chunks(previous, plan, bool(spec.series))
    except BaseException:
        store.release(remove=True)
        raise
    todo = [k for k in range(plan.chunks) if k not in done]
    done_runs = sum(len(plan.chunk_runs(k)) for k in done)

    if not todo:
        report = SweepReport(spec.name, out, plan.runs, 0, 0.0, "none")
        try:
            stale = previous.get("status") not in ("complete", "complete_with_failures")
            if stale or previous.get("chunks") != recorded_before:
                store.open(previous, spec_text, design_table(design), bool(spec.series))
                _finish(store, previous, report, plan)
            else:
                report.failures = previous.get("failures", {}).get("count", 0)
                report.first_failures = previous.get("failures", {}).get("first", [])
        finally:
            store.close()
        return report

    schema = runs_schema(design.names, design.kinds, outcome_fields(runner, case))
    try:
        made = executor() if callable(executor) else executor
    except BaseException:
        store.release(remove=previous is None)
        raise
    made = made or InProcess()
    manifest = previous or new_manifest(spec, identity, plan, design)
    if extended_from is not None:
        record_extension(manifest, spec, identity, plan)
    session = {"started": now(), "executor": made.description, "engine": engine,
               "runs_at_start": done_runs,
               "runs": 0, "seconds": 0.0, "compute_seconds": 0.0, "workers": {},
               "versions": versions()}
    manifest.setdefault("sessions", []).append(session)
    manifest["status"] = "running"
    manifest["engine"] = engine
    report = SweepReport(spec.name, out, plan.runs, 0, 0.0, made.description,
                         extended_from=extended_from)
    t0 = time.perf_counter()
    try:
        store.open(manifest, spec_text, design_table(design), bool(spec.series))
        tasks = (_task(spec, design, plan, runner, schema, k, engine) for k in todo)
        bar = progress_bar(plan.runs, done_runs, spec.name, progress)
        last = time.monotonic()
        try:
            for result in made.map_unordered(run_chunk, tasks):
                store.write_chunk(result.chunk, result.runs, result.series, manifest)
                n = result.runs.num_rows
                report.new_runs += n
                session["runs"] += n
                session["compute_seconds"] += result.seconds
                session["workers"][result.worker] = session["workers"].get(result.worker, 0) + 1
                bar.update(n)
                if time.monotonic() - last > 5:
                    session["seconds"] = time.perf_counter() - t0
                    manifest["runs_done"] = done_runs + report.new_runs
                    store.write_manifest(manifest)
                    last = time.monotonic()
        finally:
            bar.close()
        report.seconds = session["seconds"] = time.perf_counter() - t0
        session["finished"] = now()
        _finish(store, manifest, report, plan)
    except KeyboardInterrupt:
        _stop(store, manifest, session, t0, "interrupted")
        raise
    except (OSError, RuntimeError) as exc:
        # A dead worker process (BrokenProcessPool), a lost cluster, a full disk.
        _stop(store, manifest, session, t0, "stopped")
        raise SweepAbortedError(f"{type(exc).__name__}: {' '.join(str(exc).split())}; the "
                           f"finished chunks are kept: rerun the same command to resume") \
            from exc
    finally:
        made.close()
        store.close()
    return report


def new_manifest(spec: SweepSpec, identity: Identity, plan: Plan,
                 design: Design) -> dict[str, Any]:
    """The manifest of a new sweep (sessions and failures are added as it runs)."""
    return {
        "format": FORMAT,
        "name": spec.name,
        "created": now(),
        "spec_hash": identity.spec_hash,
        "scenario_hash": identity.scenario_hash,
        "runner": identity.runner,
        "spec": spec.normalised(),
        "spec_file": spec.where,
        "scenario_file": spec.scenario_file,
        "plan": plan.as_dict(),
        "design": {"kind": spec.design_kind, "parameters": list(design.names),
                   "problem": design.problem},
        "seeds": {"entropy": spec.seed,
                  "run": "numpy.random.SeedSequence(entropy, spawn_key=(point, replication))",
                  "design_sampler_seed": design_seed(spec.seed)
                  if spec.design_kind in ("lhs", "sobol", "morris") else None},
        "outputs": {"runs": "runs/", "design": "design.parquet", "spec": "spec.toml",
                    "series": "series/" if spec.series else None},
        "versions": versions(),
        "runs_done": 0,
        "chunks": {},
        "status": "new",
        "sessions": [],
    }


def record_extension(manifest: dict[str, Any], spec: SweepSpec, identity: Identity,
                     plan: Plan) -> None:
    """Turn a folder's manifest into that of its extension to ``plan``: the spec and its hash
    become the extended ones, and ``extensions`` records what was there before."""
    manifest.setdefault("extensions", []).append({
        "started": now(), "replications_before": manifest["plan"]["replications"],
        "replications": plan.replications, "runs_before": manifest["plan"]["runs"],
        "runs": plan.runs, "chunks_before": manifest["plan"]["chunks"],
        "spec_hash_before": manifest["spec_hash"]})
    manifest["spec"] = spec.normalised()
    manifest["spec_hash"] = identity.spec_hash
    manifest["plan"] = plan.as_dict()


def versions() -> dict[str, str | None]:
    """Versions of Python, the packages a run depends on, and the git commit if known."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for pkg in ("omnibalance", "numpy", "mesa", "pandas", "pyarrow", "SALib", "scipy",
                "distributed"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    try:
        here = Path(__file__).resolve().parent
        out["git_commit"] = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True,
            timeout=5).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        out["git_commit"] = None
    return out


def failures_of(runs_dir: Path, limit: int = FAILURES_KEPT) -> tuple[int, list[dict]]:
    """Number of failed runs in a results folder and the first ``limit`` of them."""
    dataset = pads.dataset(runs_dir, format="parquet")
    if "error" not in dataset.schema.names or dataset.schema.field("error").type == pa.null():
        return 0, []
    cols = ["run_id", "point", "replication", "rule", "seed_entropy", "seed_spawn_key",
            "error"]
    failed = dataset.to_table(columns=cols, filter=pads.field("error").is_valid())
    rows = failed.sort_by("run_id").slice(0, limit).to_pylist()
    return failed.num_rows, rows


def _finish(store: ResultsStore, manifest: dict, report: SweepReport, plan: Plan) -> None:
    count, first = failures_of(store.runs_dir)
    report.failures, report.first_failures = count, first
    manifest["runs_done"] = plan.runs
    manifest["failures"] = {"count": count, "first": first}
    manifest["status"] = "complete_with_failures" if count else "complete"
    sessions = manifest.get("sessions", [])
    manifest["timings"] = {
        "wall_seconds": sum(s.get("seconds", 0.0) for s in sessions),
        "compute_seconds": sum(s.get("compute_seconds", 0.0) for s in sessions),
        "runs_per_second_last_session": (sessions[-1]["runs"] / sessions[-1]["seconds"])
        if sessions and sessions[-1].get("seconds") else None,
    }
    manifest["finished"] = now()
    store.write_manifest(manifest)


def _stop(store: ResultsStore, manifest: dict, session: dict, t0: float, status: str) -> None:
    session["seconds"] = time.perf_counter() - t0
    session["finished"] = now()
    manifest["status"] = status
    try:
        manifest["runs_done"] = sum(c["rows"] for c in manifest.get("chunks", {}).values())
        store.write_manifest(manifest)
    except OSError:
        pass


def _task(spec: SweepSpec, design: Design, plan: Plan, runner, schema, chunk: int,
          engine: str = "batch") -> ChunkTask:
    points = sorted({plan.locate(r)[1] for r in plan.chunk_runs(chunk)})
    return ChunkTask(chunk=chunk, plan=plan, runner=runner, scenario=spec.scenario,
                     steps=spec.steps, focus=spec.focus, fixed=dict(spec.fixed),
                     points={p: design.point(p) for p in points}, entropy=spec.seed,
                     schema=schema, series=spec.series, engine=engine)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    m, s = divmod(round(seconds), 60)
    return f"{m} min {s:02d} s"

"""``omnibalance sweep``, ``omnibalance plot phase`` and ``omnibalance sensitivity``.

The commands only parse arguments and call the library (:func:`~.engine.run_sweep`,
:func:`~.phase.write_phase`, :func:`~.sensitivity.write_sensitivity`); a
:class:`~omnibalance.errors.ConfigError` they raise becomes one line and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from ..cliargs import positive_int

EXIT_FAILED_RUNS = 1


def _runner(text: str):
    """``module:function`` -> the function (a run function like ``run_once``)."""
    module, sep, name = text.partition(":")
    if not sep or not module or not name:
        raise argparse.ArgumentTypeError(f"expected MODULE:FUNCTION, got {text!r}")
    try:
        fn = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise argparse.ArgumentTypeError(f"cannot import {text!r} ({exc})") from None
    if not callable(fn):
        raise argparse.ArgumentTypeError(f"{text!r} is not a function")
    return fn


def _add_executor_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("where runs execute (pick one; default: local processes, one "
                             "per core)")
    ex = g.add_mutually_exclusive_group()
    ex.add_argument("--workers", type=positive_int, metavar="N",
                    help="local worker processes (1: run in this process)")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="a running Dask scheduler: its address (tcp://host:8786) or its "
                         "scheduler file (*.json)")
    ex.add_argument("--dask-local", type=positive_int, metavar="N",
                    help="start a Dask LocalCluster of N worker processes")
    ex.add_argument("--cluster", choices=("slurm", "pbs"),
                    help="submit Dask workers as batch jobs through dask-jobqueue (configured "
                         "in ~/.config/dask/jobqueue.yaml; see docs/sweeps.md)")
    g.add_argument("--jobs", type=positive_int, default=1, metavar="N",
                   help="batch jobs to submit with --cluster (default 1)")
    g.add_argument("--cluster-opt", action="append", metavar="KEY=VALUE",
                   help="what each --cluster job asks for (repeatable): account, partition, "
                        "walltime, memory, cores, processes, job_extra_directives, "
                        "job_script_prologue, interface, python, log_directory; defaults: 1 "
                        "core, 2GiB, 01:00:00, the cluster's default partition and account "
                        "(see docs/sweeps.md)")
    g.add_argument("--connect-timeout", type=positive_int, default=10, metavar="SECONDS",
                   help="how long to try reaching --scheduler (default 10)")


def _cluster_options(args) -> dict:
    """``--cluster-opt`` values, checked (a bad one is a ConfigError: exit 2, nothing run)."""
    from ..errors import ConfigError
    from .jobqueue import parse_options

    if args.cluster_opt and not args.cluster:
        raise ConfigError("command line", "--cluster-opt", args.cluster_opt[0],
                          "only applies with --cluster slurm|pbs")
    return parse_options(args.cluster_opt)


def _executor_factory(args, out: Path | None = None):
    from .executors import make_executor

    options = _cluster_options(args)
    return lambda: make_executor(workers=args.workers, scheduler=args.scheduler,
                                 dask_local=args.dask_local, cluster=args.cluster,
                                 jobs=args.jobs, timeout=args.connect_timeout,
                                 cluster_options=options, out=out)


def register(sub) -> None:
    sw = sub.add_parser(
        "sweep", help="run (or resume) a parameter sweep from a TOML spec",
        description="Run a sweep spec (experiments/*.toml): every design point x rule x "
                    "replication, seeded by (point, replication), written as a Parquet "
                    "dataset in chunks. Rerun the same command to resume an interrupted "
                    "sweep; a finished one is left as it is. Exit status: 0 all runs "
                    "succeeded, 1 some runs failed (recorded with their errors), 2 bad input.")
    sw.add_argument("spec", type=Path, help="sweep spec (TOML), e.g. experiments/threat_sweep.toml")
    sw.add_argument("--out", type=Path, default=None,
                    help="results folder (default: results/<spec name>)")
    _add_executor_options(sw)
    sw.add_argument("--chunk-size", type=positive_int, default=None, metavar="RUNS",
                    help="runs per chunk file for a new sweep (default: about 32 chunks, "
                         "10-2,000 runs each; a resumed or extended sweep keeps its own)")
    sw.add_argument("--runner", type=_runner, default=None, metavar="MODULE:FUNCTION",
                    help="the function each run calls (default omnibalance.runner:run_once)")
    sw.add_argument("--engine", choices=("batch", "mesa"), default="batch",
                    help="batch: a chunk's runs step together over arrays (default, fast); "
                         "mesa: each run through the Mesa face (same results, for checking)")
    sw.add_argument("--extend", action="store_true",
                    help="add replications to the sweep in --out (finished or not) without "
                         "recomputing the runs it holds: the new runs get the seeds and rows "
                         "of a sweep started with the larger count (see docs/sweeps.md)")
    sw.add_argument("--replications", type=positive_int, default=None, metavar="N",
                    help="with --extend: the replications to bring the sweep to (default: the "
                         "spec's)")
    sw.add_argument("--plan", action="store_true",
                    help="print what would run (and what is already done) and stop")
    sw.add_argument("--dry-run", action="store_true",
                    help="with --cluster: print the job script each worker job would be "
                         "submitted with, and stop (nothing is submitted or written)")
    sw.add_argument("--quiet", action="store_true", help="no progress bar")
    sw.add_argument("--yes", action="store_true",
                    help="start a sweep of more than 10^7 runs (refused otherwise, with an "
                         "estimate of its time)")
    sw.set_defaults(func=cmd_sweep)

    plot = sub.add_parser("plot", help="figures of finished sweeps",
                          description="Figures of a finished sweep's results.")
    psub = plot.add_subparsers(dest="figure", metavar="FIGURE", required=True)
    ph = psub.add_parser(
        "phase", help="P(patron-client tie) per patron over two swept parameters",
        description="Phase diagram of a sweep over two parameters: the probability of a "
                    "patron-client tie with each power (Wilson 95%% intervals), the median "
                    "time to the first tie and leader survival; writes PNG and SVG figures "
                    "and the table behind them (CSV and Markdown).")
    ph.add_argument("results", type=Path, help="results folder of 'omnibalance sweep'")
    ph.add_argument("--x", required=True, help="swept parameter on the x axis")
    ph.add_argument("--y", required=True, help="swept parameter on the y axis")
    ph.add_argument("--rule", default=None, help="rule to show (needed if the sweep has "
                                                  "several)")
    ph.add_argument("--patrons", default=None, metavar="ID,ID",
                    help="powers to show (default: all in the results)")
    ph.add_argument("--out", type=Path, default=None,
                    help="folder for the figure and tables (default: the results folder)")
    ph.set_defaults(func=cmd_phase)

    se = sub.add_parser(
        "sensitivity", help="Sobol' or Morris sensitivity indices of one outcome",
        description="Global sensitivity analysis (SALib) of one outcome of a sweep whose "
                    "design is 'sobol' or 'morris'. SOURCE is its results folder, or a spec "
                    "file, which is run (or resumed) first into --out. The outcome is averaged "
                    "over replications at each point (a yes/no outcome becomes a "
                    "probability). Writes the indices (CSV, Markdown) and a bar chart.")
    se.add_argument("source", type=Path, help="results folder, or a sobol/morris spec (TOML)")
    se.add_argument("--outcome", required=True, help="outcome column, e.g. pc_ever_RUS")
    se.add_argument("--rule", default=None, help="rule to analyse (needed if several)")
    se.add_argument("--out", type=Path, default=None,
                    help="when SOURCE is a spec: its results folder (default "
                         "results/<name>), where the indices are written too; when SOURCE is a "
                         "results folder: the folder for the indices (default: that folder)")
    _add_executor_options(se)
    se.add_argument("--quiet", action="store_true", help="no progress bar")
    se.add_argument("--yes", action="store_true", help="allow more than 10^7 runs")
    se.set_defaults(func=cmd_sensitivity)


def _load(args, spec_path: Path):
    """The spec, with ``--replications`` applied (only with ``--extend``)."""
    import dataclasses

    from ..errors import ConfigError
    from .spec import load_spec

    spec = load_spec(spec_path)
    reps = getattr(args, "replications", None)
    if reps is not None and not getattr(args, "extend", False):
        raise ConfigError("command line", "--replications", reps,
                          "only applies with --extend (a new sweep takes its replications "
                          "from the spec)")
    return spec if reps is None else dataclasses.replace(spec, replications=reps)


def _sweep(spec_path: Path, out: Path | None, args, chunk_size=None, runner=None):
    from .engine import run_sweep

    spec = _load(args, spec_path)
    out = out or Path("results") / spec.name
    text = spec_path.read_text(encoding="utf-8")
    _guard(spec, args)
    report = run_sweep(spec, out, executor=_executor_factory(args, out), runner=runner,
                       chunk_size=chunk_size, spec_text=text,
                       progress=False if args.quiet else None,
                       engine=getattr(args, "engine", "batch"),
                       extend=getattr(args, "extend", False))
    print(report.text())
    return report


def _workers(args) -> int:
    from .executors import default_workers

    return args.workers or args.dask_local or default_workers()


def _guard(spec, args) -> None:
    """Refuse more than :data:`~.plan.GUARD_RUNS` runs without ``--yes``, saying how long."""
    from ..errors import ConfigError
    from .plan import GUARD_RUNS, eta_text, seconds_per_run

    if spec.runs <= GUARD_RUNS or getattr(args, "yes", False):
        return
    eta = eta_text(spec.runs, seconds_per_run(spec), _workers(args))
    raise ConfigError(spec.where, "sweep size", f"{spec.runs:,} runs",
                      f"more than {GUARD_RUNS:,} runs ({eta}); pass --yes to start it anyway, "
                      "or use fewer points or replications")


def cmd_sweep(args) -> int:
    from .engine import SweepAbortedError

    if args.dry_run:
        return _print_job_script(args)
    if args.plan:
        return _print_plan(args)
    try:
        report = _sweep(args.spec, args.out, args, args.chunk_size, args.runner)
    except SweepAbortedError as exc:
        print(f"omnibalance: sweep stopped: {exc}", file=sys.stderr)
        return EXIT_FAILED_RUNS
    return report.exit_code


def _print_job_script(args) -> int:
    from ..errors import ConfigError
    from .jobqueue import job_kwargs, job_script
    from .spec import load_spec

    if not args.cluster:
        raise ConfigError("command line", "--dry-run", True,
                          "only applies with --cluster slurm|pbs (it prints their job script)")
    options = _cluster_options(args)
    spec = load_spec(args.spec)
    out = args.out or Path("results") / spec.name
    print(job_script(args.cluster, job_kwargs(args.cluster, options, out)))
    return 0


def _print_plan(args) -> int:
    from .engine import plan_of
    from .plan import GUARD_RUNS, eta_text, seconds_per_run
    from .store import chunk_files, read_manifest

    spec = _load(args, args.spec)
    out = args.out or Path("results") / spec.name
    manifest = out / "manifest.json"
    held = read_manifest(out, "--out") if manifest.exists() else None
    # A started sweep keeps its chunking and blocks; only --extend may add a block.
    plan = plan_of(spec, None, args.chunk_size, held if args.extend else None)
    if held is not None and not args.extend:
        plan = plan_of(spec, None, held["plan"]["chunk_size"])
    eta = eta_text(plan.runs, seconds_per_run(spec), _workers(args))
    print(f"{spec.name}: {spec.design_points:,} design points ({spec.design_kind} over "
          f"{', '.join(spec.names)}) x {len(spec.rules)} rule(s) x {spec.replications} "
          f"replications = {plan.runs:,} runs of {spec.steps} quarters ({eta}), in "
          f"{plan.chunks:,} chunks of up to {plan.chunk_size}; results folder {out}")
    if plan.runs > GUARD_RUNS:
        print(f"more than {GUARD_RUNS:,} runs: 'omnibalance sweep' starts it only with --yes")
    if held is not None and plan.replications > held["plan"]["replications"]:
        before = held["plan"]
        print(f"--extend: {out} holds {before['replications']} replications "
              f"({before['runs']:,} runs in {before['chunks']:,} chunks); the extension adds "
              f"{plan.runs - before['runs']:,} runs in {plan.chunks - before['chunks']:,} new "
              "chunks")
    if manifest.exists():
        done = len(chunk_files(out / "runs", plan.chunks, str(out)))
        print(f"{out} already holds {done} of these {plan.chunks} chunks (if it is this "
              "sweep's folder)")
    return 0


def cmd_phase(args) -> int:
    from .phase import write_phase

    patrons = [p.strip() for p in args.patrons.split(",")] if args.patrons else None
    paths = write_phase(args.results, args.x, args.y, rule=args.rule, patrons=patrons,
                        out=args.out)
    for label, path in paths.items():
        print(f"{label:>8}: {path}")
    return 0


def cmd_sensitivity(args) -> int:
    from .engine import SweepAbortedError
    from .sensitivity import write_sensitivity

    folder, out = args.source, args.out
    if args.source.suffix == ".toml":
        try:
            report = _sweep(args.source, args.out, args)
        except SweepAbortedError as exc:
            print(f"omnibalance: sweep stopped: {exc}", file=sys.stderr)
            return EXIT_FAILED_RUNS
        folder, out = report.out, None
    paths, text = write_sensitivity(folder, args.outcome, rule=args.rule, out=out)
    print(text)
    for label, path in paths.items():
        print(f"{label:>8}: {path}")
    return 0

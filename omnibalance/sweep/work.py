"""What a worker does: run one chunk of a sweep and return its rows as an Arrow table.

:func:`run_chunk` is the only function executors ship to workers. It needs nothing but its
:class:`ChunkTask` (plain, picklable data plus the runner function), so a local process, a
Dask worker on another machine or the main process itself all compute the same rows. A run
that raises becomes a row with its error and seed; the chunk goes on.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from .plan import Plan
from .seeds import run_seed, spawn_key_text


@dataclass(frozen=True)
class ChunkTask:
    """Everything needed to compute one chunk."""

    chunk: int
    plan: Plan
    runner: Callable[..., dict[str, Any]]
    """A function like :func:`omnibalance.runner.run_once` (keyword arguments scenario, rule,
    params, seed, steps, focus; returns a flat dict of outcomes)."""
    scenario: str
    steps: int
    focus: str | None
    fixed: dict[str, float]
    points: dict[int, dict[str, float]]
    """The design points this chunk's runs use: point -> swept parameter values."""
    entropy: int
    schema: pa.Schema | None = None
    series: tuple[str, ...] = ()
    engine: str = "batch"
    """``batch``: the chunk's runs step together through the batch engine (the default runner
    only); ``mesa``: each run through the Mesa face, one after the other."""


@dataclass(frozen=True)
class ChunkResult:
    """A computed chunk: its per-run rows, optional per-step series, and where and how long."""

    chunk: int
    runs: pa.Table
    series: pa.Table | None
    seconds: float
    worker: str
    failures: int


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Run every run of ``task``'s chunk, in run-id order."""
    from ..runner import run_once

    if task.engine == "batch" and task.runner is run_once:
        from .batchwork import run_chunk_batch

        return run_chunk_batch(task)
    t0 = time.perf_counter()
    rows, heads, series_parts = [], [], []
    for run_id in task.plan.chunk_runs(task.chunk):
        rule_index, point, rep = task.plan.locate(run_id)
        swept = task.points[point]
        row: dict[str, Any] = {"run_id": run_id, "point": point, "replication": rep,
                               "rule": task.plan.rules[rule_index], **swept,
                               "seed_entropy": task.entropy,
                               "seed_spawn_key": spawn_key_text(point, rep)}
        heads.append(dict(row))
        kwargs = dict(scenario=task.scenario, rule=row["rule"], params=task.fixed | swept,
                      seed=run_seed(task.entropy, point, rep), steps=task.steps,
                      focus=task.focus)
        t = time.perf_counter()
        try:
            if task.series and task.runner is run_once:
                from .series import run_with_series

                outcomes, steps = run_with_series(**kwargs, columns=task.series)
                steps.insert(0, "run_id", run_id)
                series_parts.append(steps)
            else:
                outcomes = task.runner(**kwargs)
            outcomes = {k: v for k, v in outcomes.items() if k not in row and k != "rule"}
            row.update(outcomes, error=None)
        except Exception as exc:  # noqa: BLE001 -- failure isolation: record and go on
            row["error"] = one_line_error(exc)
        row["run_seconds"] = time.perf_counter() - t
        rows.append(row)
    table = _table(rows, heads, task.schema)
    series = None
    if series_parts:
        import pandas as pd

        series = pa.Table.from_pandas(pd.concat(series_parts, ignore_index=True),
                                      preserve_index=False)
    return ChunkResult(task.chunk, table, series, time.perf_counter() - t0,
                       f"{socket.gethostname()}:{os.getpid()}",
                       sum(r["error"] is not None for r in rows))


def one_line_error(exc: BaseException) -> str:
    """``Type: message`` on one line, with the innermost frame of the package that raised."""
    tb = exc.__traceback__
    where = ""
    while tb is not None:
        where = f" [{os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}]"
        tb = tb.tb_next
    msg = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {msg}{where}"


def _table(rows: list[dict[str, Any]], heads: list[dict[str, Any]],
           schema: pa.Schema | None) -> pa.Table:
    """Rows as a table of ``schema``; a row whose outcomes do not fit it is kept as a failure
    (its ``head``: ids, parameters and seed, with the error)."""
    if schema is None:
        # No declared outcomes: the columns are every key any row has (a failed first run
        # must not decide the columns of the runs that succeeded).
        keys = list(dict.fromkeys(k for row in rows for k in row))
        tail = [k for k in ("error", "run_seconds") if k in keys]
        keys = [k for k in keys if k not in tail] + tail
        return pa.Table.from_pylist([{k: row.get(k) for k in keys} for row in rows])
    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        pass
    fixed = []
    for row, head in zip(rows, heads, strict=True):
        try:
            pa.Table.from_pylist([row], schema=schema)
            fixed.append(row)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
            fixed.append(head | {"error": "outcomes do not fit the declared columns: "
                                          + one_line_error(exc),
                                 "run_seconds": row["run_seconds"]})
    return pa.Table.from_pylist(fixed, schema=schema)

"""A chunk through the batch engine: all its runs of one rule step together.

The rows are the same as the per-run path's (:func:`omnibalance.sweep.work.run_chunk` with
``--engine mesa``): run ids, swept parameters, seed, the declared outcomes, error and timing.
If a batch raises, its runs are retried one by one, so a failing run becomes a row with its
error and the others are kept (failure isolation, as in the per-run path).
"""

from __future__ import annotations

import os
import socket
import time
from itertools import groupby
from typing import Any

import numpy as np
import pyarrow as pa

from .. import outcomes
from ..engine import run_batch
from ..engine.batch import SERIES_PAIR, SERIES_REGIME
from ..runner import cached_scenario
from .seeds import run_seed, spawn_key_text
from .work import ChunkResult, ChunkTask, one_line_error


def run_chunk_batch(task: ChunkTask) -> ChunkResult:
    """Compute ``task``'s chunk through the batch engine."""
    t0 = time.perf_counter()
    case = cached_scenario(task.scenario)
    located = [(run_id, *task.plan.locate(run_id)) for run_id in task.plan.chunk_runs(task.chunk)]
    tables, series_parts, failures = [], [], 0
    for rule_index, group in groupby(located, key=lambda x: x[1]):
        group = list(group)
        rule = task.plan.rules[rule_index]
        table, series, failed = _rule_group(task, case, rule, group)
        tables.append(table)
        failures += failed
        if series is not None:
            series_parts.append(series)
    runs = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
    series = (pa.concat_tables(series_parts) if len(series_parts) > 1 else series_parts[0]) \
        if series_parts else None
    return ChunkResult(task.chunk, runs, series, time.perf_counter() - t0,
                       f"{socket.gethostname()}:{os.getpid()}", failures)


def _rule_group(task: ChunkTask, case, rule: str, group: list[tuple[int, int, int, int]]):
    """The rows of one rule's runs in a chunk: (runs table, series table or None, failures)."""
    ids = np.array([g[0] for g in group])
    points = np.array([g[2] for g in group])
    reps = np.array([g[3] for g in group])
    swept = sorted({k for p in set(points.tolist()) for k in task.points[p]})
    columns = {k: [task.points[p][k] for p in points] for k in swept}
    overrides = {k: np.full(len(group), v) for k, v in task.fixed.items()} | columns
    seeds = [run_seed(task.entropy, int(p), int(r)) for p, r in zip(points, reps, strict=True)]
    record = tuple(c for c in task.series if c in SERIES_REGIME + SERIES_PAIR)
    t = time.perf_counter()
    errors: list[str | None] = [None] * len(group)
    try:
        res = run_batch(case, rule, overrides, seeds, steps=task.steps, record=record,
                        leaders="leader" in task.series)
        parts = [res]
    except Exception:  # noqa: BLE001 -- isolate the failing runs, keep the others
        parts = []
        for j in range(len(group)):
            try:
                parts.append(run_batch(case, rule, {k: v[j:j + 1] for k, v in
                                                    overrides.items()}, seeds[j:j + 1],
                                       steps=task.steps, record=record,
                                       leaders="leader" in task.series))
            except Exception as exc:  # noqa: BLE001
                parts.append(None)
                errors[j] = one_line_error(exc)
    seconds = (time.perf_counter() - t) / len(group)
    head = {"run_id": ids, "point": points, "replication": reps,
            "rule": np.full(len(group), rule, dtype=object)} | {
        k: np.asarray(v) for k, v in columns.items()} | {
        "seed_entropy": np.full(len(group), task.entropy),
        "seed_spawn_key": np.array([spawn_key_text(int(p), int(r))
                                    for p, r in zip(points, reps, strict=True)], dtype=object)}
    outs = _outcome_columns(case, parts, task.focus, len(group))
    table = _table(task.schema, head, outs, errors, seconds)
    series = _series(case, parts, ids, task) if task.series else None
    return table, series, sum(e is not None for e in errors)


def _outcome_columns(case, parts, focus, n: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Outcome columns over the group's runs; failed runs are missing."""
    decls = outcomes.outcome_list(case)
    if len(parts) == 1 and parts[0] is not None and parts[0].world.n == n:
        cols = outcomes.columns(parts[0].world, parts[0].state, focus)
        return {o.name: (cols[o.name][0], _mask(cols[o.name][1], n)) for o in decls}
    out: dict[str, tuple[list, list]] = {o.name: ([], []) for o in decls}
    for res in parts:
        cols = outcomes.columns(res.world, res.state, focus) if res is not None else None
        for o in decls:
            if cols is None:
                out[o.name][0].append(None)
                out[o.name][1].append(True)
            else:
                out[o.name][0].append(cols[o.name][0][0])
                out[o.name][1].append(bool(_mask(cols[o.name][1], 1)[0]))
    return {k: (np.array(v, dtype=object), np.array(m)) for k, (v, m) in out.items()}


def _mask(missing, n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool) if missing is None else np.asarray(missing, dtype=bool)


def _table(schema: pa.Schema | None, head: dict[str, Any], outs, errors, seconds: float):
    cols: dict[str, pa.Array] = {}
    types = {f.name: f.type for f in schema} if schema is not None else {}
    for name, values in head.items():
        cols[name] = pa.array(values.tolist() if values.dtype == object else values,
                              type=types.get(name))
    for name, (values, missing) in outs.items():
        if name in head:
            continue
        vals = [None if m else (v.item() if isinstance(v, np.generic) else v)
                for v, m in zip(values.tolist() if values.dtype != object else values, missing,
                                strict=True)]
        cols[name] = pa.array(vals, type=types.get(name))
    cols["error"] = pa.array(errors, type=pa.string())
    cols["run_seconds"] = pa.array(np.full(len(errors), seconds), type=pa.float64())
    table = pa.table(cols)
    return table.select(schema.names).cast(schema) if schema is not None else table


def _series(case, parts, ids, task: ChunkTask) -> pa.Table | None:
    """The focus regime's per-step ``task.series`` columns, one row per run, step and power."""
    import pandas as pd

    i = 0 if task.focus is None else case.regime_index(task.focus)
    frames = []
    for j, res in enumerate(parts if len(parts) > 1 else [parts[0]] if parts[0] else []):
        if res is None:
            continue
        n_runs, steps, n_p = res.world.n, res.world.steps, res.world.n_p
        run_ids = ids if len(parts) == 1 else ids[j:j + 1]
        frame = {"run_id": np.repeat(run_ids, steps * n_p),
                 "step": np.tile(np.repeat(np.arange(steps), n_p), n_runs),
                 "date": np.tile(np.repeat([case.date(t) for t in range(steps)], n_p), n_runs),
                 "power": np.tile([p.id for p in case.powers], n_runs * steps)}
        for col in task.series:
            if col == "leader":
                names = [res.leaders[n][t][i] for n in range(n_runs) for t in range(steps)]
                frame[col] = np.repeat(names, n_p)
            elif col in SERIES_PAIR:
                v = res.history[col][:, :, i, :]
                frame[col] = _class_names(v) if col == "classification" else v.reshape(-1)
            else:
                frame[col] = np.repeat(res.history[col][:, :, i].reshape(-1), n_p)
        frames.append(pd.DataFrame(frame))
    if not frames:
        return None
    return pa.Table.from_pandas(pd.concat(frames, ignore_index=True), preserve_index=False)


def _class_names(v: np.ndarray) -> np.ndarray:
    from ..theory.dynamics import CLASS_NAMES

    return np.asarray(CLASS_NAMES, dtype=object)[v.reshape(-1)]

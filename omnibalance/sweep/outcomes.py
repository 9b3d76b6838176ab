"""The columns of a sweep's per-run table, with their Arrow types and meanings.

Every chunk file is written with the same schema, so a column that happens to be empty in one
chunk (no tie ever formed at these points) keeps its type, and pandas, R's
``arrow::open_dataset`` or DuckDB read the folder as one table.
"""

from __future__ import annotations

import pyarrow as pa

RUN_FIELDS: tuple[tuple[str, pa.DataType, str], ...] = (
    ("run_id", pa.int64(), "run number: (rule index * points + point) * replications + "
                           "replication, per block of replications if the sweep was "
                           "extended (see omnibalance.sweep.plan)"),
    ("point", pa.int64(), "design point (its parameter values are the columns named after the "
                          "swept parameters; design.parquet lists them all)"),
    ("replication", pa.int64(), "replication at that point"),
    ("rule", pa.string(), "alignment rule"),
)
SEED_FIELDS: tuple[tuple[str, pa.DataType, str], ...] = (
    ("seed_entropy", pa.int64(), "the spec's seed"),
    ("seed_spawn_key", pa.string(), "'point,replication': the run's generator is "
                                    "SeedSequence(seed_entropy, spawn_key=(point, replication))"),
)
TAIL_FIELDS: tuple[tuple[str, pa.DataType, str], ...] = (
    ("error", pa.string(), "why the run failed ('Type: message'), empty if it succeeded"),
    ("run_seconds", pa.float64(), "wall time of the run (a timing: varies between runs)"),
)
TIMING_COLUMNS = ("run_seconds",)
"""Columns that measure time and so differ between otherwise identical sweeps."""


ARROW_TYPES = {int: pa.int64(), float: pa.float64(), bool: pa.bool_(), str: pa.string()}


def run_once_fields(case) -> list[tuple[str, pa.DataType, str]]:
    """The outcomes the model returns for a scenario's powers (declared once, in
    :mod:`omnibalance.outcomes`); ``rule`` is already a run field."""
    from ..outcomes import outcome_list

    return [(o.name, ARROW_TYPES[o.kind], o.meaning) for o in outcome_list(case)
            if o.name != "rule"]


def outcome_fields(runner, case) -> list[tuple[str, pa.DataType, str]] | None:
    """The declared outcome columns of ``runner``, or ``None`` if it declares none (then each
    chunk's types are inferred from its values)."""
    from ..runner import run_once

    if runner is run_once:
        return run_once_fields(case)
    declare = getattr(runner, "outcome_fields", None)
    return declare(case) if declare is not None else None


def runs_schema(names: tuple[str, ...], kinds: tuple[type, ...],
                outcomes: list[tuple[str, pa.DataType, str]] | None) -> pa.Schema | None:
    """The per-run table's schema: run ids, swept parameters, seed, outcomes, error, timing."""
    if outcomes is None:
        return None
    params = [(n, pa.int64() if k is int else pa.float64(), "") for n, k in
              zip(names, kinds, strict=True)]
    fields = [*RUN_FIELDS, *params, *SEED_FIELDS, *outcomes, *TAIL_FIELDS]
    return pa.schema([pa.field(n, t) for n, t, _ in fields])

"""The columns of a sweep's per-run table, with their Arrow types and meanings.

Every chunk file is written with the same schema, so a column that happens to be empty in one
chunk (no tie ever formed at these points) keeps its type, and pandas, R's
``arrow::open_dataset`` or DuckDB read the folder as one table.
"""

from __future__ import annotations

import pyarrow as pa

RUN_FIELDS: tuple[tuple[str, pa.DataType, str], ...] = (
    ("run_id", pa.int64(), "run number: (rule index * points + point) * replications + "
                           "replication"),
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


def run_once_fields(case) -> list[tuple[str, pa.DataType, str]]:
    """The outcomes :func:`omnibalance.runner.run_once` returns for a scenario's powers."""
    fields = [
        ("regime", pa.string(), "the focus regime"),
        ("pc_formed", pa.bool_(), "a patron-client tie formed"),
        ("first_pc_step", pa.int64(), "quarter (from the start) the first patron-client tie "
                                      "formed"),
        ("first_pc_date", pa.string(), "calendar quarter of the first patron-client tie"),
        ("first_pc_patron", pa.string(), "power of the first patron-client tie"),
        ("first_pc_duration", pa.int64(), "quarters the first patron-client tie lasted"),
        ("first_pc_censored", pa.bool_(), "the first tie still held when the run ended"),
        ("leader_survived", pa.bool_(), "the starting leader was never replaced"),
        ("leader_changes", pa.int64(), "number of leader changes"),
    ]
    for p in case.powers:
        fields += [
            (f"first_proposal_{p.id}", pa.int64(), f"quarter of the first proposal to {p.id}"),
            (f"final_tie_{p.id}", pa.float64(), f"tie to {p.id} at the end"),
            (f"final_class_{p.id}", pa.string(), f"classification of the pair with {p.id} at "
                                                 "the end"),
        ]
    for p in case.powers:
        fields.append((f"pc_ever_{p.id}", pa.bool_(), f"a patron-client tie with {p.id} at "
                                                      "any time"))
    return fields


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

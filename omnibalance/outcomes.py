"""The per-run outcomes (MODEL.md 4), declared once: name, type, meaning, and how each is read
off a finished run.

Every consumer reads this one list: the Mesa face's ``summary()`` and ``run_once``, the batch
path's columns, a sweep's Arrow schema and its identity. An outcome is computed for a whole
batch at once from the end state (engine.state.State), for one focus regime.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .theory.dynamics import CLASS_NAMES


@dataclass(frozen=True)
class Outcome:
    """One per-run outcome: its column ``name``, its type (``int``, ``float``, ``bool``,
    ``str``), what it means, and ``read(ctx)`` returning (values, missing) arrays over runs."""

    name: str
    kind: type
    meaning: str
    read: Callable[[Any], tuple[np.ndarray, np.ndarray | None]]


class _Ctx:
    """What outcomes read: the world, the end state and the focus regime's index."""

    def __init__(self, world, state, i: int):
        self.w, self.s, self.i = world, state, i
        self.first = state.first_pc_step[:, i]
        self.formed = self.first >= 0


def _first_pc_duration(c):
    end = np.where(c.s.first_pc_end[:, c.i] >= 0, c.s.first_pc_end[:, c.i], c.s.t)
    return end - c.first, ~c.formed


def _names(c, index, names):
    return np.asarray(names, dtype=object)[np.maximum(index, 0)]


def outcome_list(case) -> list[Outcome]:
    """The outcomes of a run of ``case`` (some are one per great power)."""
    pids = [p.id for p in case.powers]
    out = [
        Outcome("regime", str, "the focus regime",
                lambda c: (np.full(c.w.n, c.w.case.regimes[c.i].id, dtype=object), None)),
        Outcome("rule", str, "alignment rule", lambda c: (np.full(c.w.n, c.w.rule, dtype=object),
                                                           None)),
        Outcome("pc_formed", bool, "a patron-client tie formed", lambda c: (c.formed, None)),
        Outcome("first_pc_step", int, "quarter (from the start) the first patron-client tie "
                "formed", lambda c: (c.first, ~c.formed)),
        Outcome("first_pc_date", str, "calendar quarter of the first patron-client tie",
                lambda c: (np.array([c.w.case.date(int(t)) for t in c.first], dtype=object),
                           ~c.formed)),
        Outcome("first_pc_patron", str, "power of the first patron-client tie",
                lambda c: (_names(c, c.s.first_pc_patron[:, c.i], pids), ~c.formed)),
        Outcome("first_pc_duration", int, "quarters the first patron-client tie lasted",
                _first_pc_duration),
        Outcome("first_pc_censored", bool, "the first tie still held when the run ended",
                lambda c: (c.formed & (c.s.first_pc_end[:, c.i] < 0), None)),
        Outcome("leader_survived", bool, "the starting leader was never replaced",
                lambda c: (c.s.leader_changes[:, c.i] == 0, None)),
        Outcome("leader_changes", int, "number of leader changes",
                lambda c: (c.s.leader_changes[:, c.i], None)),
    ]
    for k, pid in enumerate(pids):
        out += [
            Outcome(f"first_proposal_{pid}", int, f"quarter of the first proposal to {pid}",
                    lambda c, k=k: (c.s.first_proposal[:, c.i, k],
                                    c.s.first_proposal[:, c.i, k] < 0)),
            Outcome(f"final_tie_{pid}", float, f"tie to {pid} at the end",
                    lambda c, k=k: (c.s.tau[:, c.i, k], None)),
            Outcome(f"final_class_{pid}", str, f"classification of the pair with {pid} at the "
                    "end", lambda c, k=k: (_names(c, c.s.klass[:, c.i, k], CLASS_NAMES), None)),
        ]
    for k, pid in enumerate(pids):
        out.append(Outcome(f"pc_ever_{pid}", bool, f"a patron-client tie with {pid} at any time",
                           lambda c, k=k: (c.s.pc_ever[:, c.i, k], None)))
    return out


def columns(world, state, focus: str | None = None) -> dict[str, tuple[np.ndarray, Any]]:
    """Every outcome of every run of a finished batch for the ``focus`` regime (default: the
    scenario's first): name -> (values, missing mask or None)."""
    i = 0 if focus is None else world.case.regime_index(focus)
    ctx = _Ctx(world, state, i)
    return {o.name: o.read(ctx) for o in outcome_list(world.case)}


def rows(world, state, focus: str | None = None) -> list[dict[str, Any]]:
    """The same outcomes as one plain dict per run (Python scalars, ``None`` where missing)."""
    cols = columns(world, state, focus)
    kinds = {o.name: o.kind for o in outcome_list(world.case)}
    out: list[dict[str, Any]] = [{} for _ in range(world.n)]
    for name, (values, missing) in cols.items():
        cast = kinds[name]
        for n in range(world.n):
            out[n][name] = None if missing is not None and missing[n] else cast(values[n])
    return out

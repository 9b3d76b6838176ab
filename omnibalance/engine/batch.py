"""Run many runs at once: the batch path that sweeps, validation and sensitivity use.

:func:`run_batch` steps N runs of one scenario under one rule through the same quarter the Mesa
face uses (:mod:`.quarter`), each run with its own parameters and its own seed. Runs are cut
into sub-batches that fit a memory budget, so a chunk of any size keeps memory flat; how runs
are grouped never changes a run's result (every random number is the run's own, drawn up front:
:mod:`.draws`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..scenario import Scenario
from . import draws as draws_mod
from .quarter import step, update_threats
from .state import State
from .world import World, build_world

MEMORY_BUDGET_MB = 256.0
"""Working memory a sub-batch may use (arrays of the decision step dominate)."""

SERIES_REGIME = ("ideology", "mandate", "growth", "pressure", "internal_threat",
                 "external_threat", "hazard", "leader_changes")
SERIES_PAIR = ("tie", "classification", "security_aid", "economic_aid", "debt", "debt_usd_m",
               "stake", "bargaining_share")
_STATE_OF = {"ideology": "ideology", "mandate": "mandate", "growth": "growth",
             "pressure": "pressure", "internal_threat": "t_in", "external_threat": "t_ex",
             "hazard": "hazard", "leader_changes": "leader_changes", "tie": "tau",
             "classification": "klass", "security_aid": "aid_security",
             "economic_aid": "aid_economic", "debt": "debt", "stake": "stake",
             "bargaining_share": "share"}


@dataclass
class BatchResult:
    """The end state of every run of a batch, and the per-quarter history asked for.

    ``state`` holds the final arrays (engine.state.State); ``history[name]`` has shape
    (runs, steps, regimes[, powers]) for each recorded quantity (``klass`` and ``debt`` for
    validation, or the series columns a sweep asks for); ``leaders[n][i]`` the names of the
    leaders in office at each step when asked (``leaders=True``).
    """

    world: World
    state: State
    start: dict[str, np.ndarray]
    history: dict[str, np.ndarray] = field(default_factory=dict)
    leaders: list | None = None


def run_batch(case: Scenario, rule: str, overrides: Sequence[Mapping[str, Any]] | Mapping[
        str, Sequence] | None, seeds: Sequence, *, steps: int | None = None,
              record: Sequence[str] = (), leaders: bool = False,
              memory_mb: float = MEMORY_BUDGET_MB) -> BatchResult:
    """Run ``len(seeds)`` runs of ``case`` under ``rule`` to the end.

    Args:
        overrides: per-run parameter overrides (see :func:`engine.world.build_world`).
        seeds: one seed per run: an int, a ``numpy.random.SeedSequence`` or a ``Generator``.
        record: per-step quantities to keep (state names like ``"klass"``, ``"debt"``, or the
            series column names of :data:`SERIES_REGIME` and :data:`SERIES_PAIR`).
        leaders: also track the leaders' names (for the series' ``leader`` column).
        memory_mb: the working-memory budget of one sub-batch.
    """
    world = build_world(case, rule, overrides, n=len(seeds), steps=steps)
    per_run = _bytes_per_run(world) + world.steps * world.n_r * (draws_mod.WIDTH * 8 + sum(
        world.n_p * 8 for _ in record))
    size = max(1, int(memory_mb * 2**20 // per_run))
    if size >= world.n:
        return _run(world, seeds, record, leaders)
    parts = [_run(world.subset(slice(a, a + size)), seeds[a:a + size], record, leaders)
             for a in range(0, world.n, size)]
    return _concat(world, parts)


def _bytes_per_run(w: World) -> int:
    """Rough peak bytes the decision step needs per run: (regimes x options x powers) arrays."""
    return 8 * w.n_r * (2 * w.n_p) * w.n_p * 40 + 8 * w.n_r * w.n_p * 60


def _run(world: World, seeds, record, leaders: bool) -> BatchResult:
    u = draws_mod.uniforms(seeds, world.steps, world.n_r)
    s = State(world)
    start = {"ideology": s.ideology.copy(), "mandate": s.mandate.copy(),
             "autocracy": s.autocracy.copy()}
    update_threats(world, s, initial=True)
    hist = {name: None for name in record}
    names = _LeaderNames(world) if leaders else None
    for t in range(world.steps):
        log = [] if names is not None else None
        step(world, s, u[:, t], log)
        if names is not None:
            names.update(log, world, t)
        for name in record:
            value = _value(world, s, name)
            if hist[name] is None:
                hist[name] = np.empty((world.n, world.steps) + value.shape[1:], value.dtype)
            hist[name][:, t] = value
    return BatchResult(world, s, start, {k: v for k, v in hist.items() if v is not None},
                       names.per_step if names is not None else None)


def _value(w: World, s: State, name: str) -> np.ndarray:
    if name == "debt_usd_m":
        return s.debt * w.regime["military_budget"][..., None]
    if name == "klass":
        return s.klass.copy()
    return np.array(getattr(s, _STATE_OF.get(name, name)), copy=True)


class _LeaderNames:
    """The name of the leader in office, per run and regime, step by step: the scenario's
    leader, the one a scheduled event names, or "successor of X"."""

    def __init__(self, w: World):
        first = [r.leader or f"leader of {r.name}" for r in w.case.regimes]
        self.now = [list(first) for _ in range(w.n)]
        self.per_step: list[list[list[str]]] = [[] for _ in range(w.n)]

    def update(self, log: list, w: World, t: int) -> None:
        for rec in log:
            if rec[0] != "leader_change":
                continue
            _, i, event, data = rec
            for n in np.nonzero(data["mask"])[0]:
                self.now[n][i] = successor_name(self.now[n][i], event)
        for n in range(w.n):
            self.per_step[n].append(list(self.now[n]))


def successor_name(old: str, event) -> str:
    """Name of a new leader: the one a scheduled event names, else "successor of <old>"."""
    if event is not None and "ideology" in event.fields:
        return event.fields.get("leader", f"successor of {old}")
    return f"successor of {old}"


def _concat(world: World, parts: list[BatchResult]) -> BatchResult:
    s = parts[0].state
    for name, value in vars(s).items():
        if isinstance(value, np.ndarray):
            setattr(s, name, np.concatenate([getattr(p.state, name) for p in parts]))
    start = {k: np.concatenate([p.start[k] for p in parts]) for k in parts[0].start}
    hist = {k: np.concatenate([p.history[k] for p in parts]) for k in parts[0].history}
    leaders = (sum((p.leaders for p in parts), []) if parts[0].leaders is not None else None)
    return BatchResult(world, s, start, hist, leaders)

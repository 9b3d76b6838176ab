"""Validation runs: the model stepped to the end through the batch engine, with the per-quarter
history the patterns read (classification, ties and debt of every pair; first proposals;
leaders' start dates).

The history is kept as small numpy arrays rather than Mesa's data tables, so thousands of runs
fit in memory and cross process boundaries cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine import run_batch
from ..runner import cached_scenario
from ..scenario import Scenario


def scenario(name: str) -> Scenario:
    """A case scenario, loaded once per process."""
    return cached_scenario(name)


@dataclass
class RunRecord:
    """What one run leaves for the pattern measures.

    ``klass[t, i, k]`` is the classification of pair (regime i, power k) after step t
    (0 none, 1 partnership, 2 patron-client); ``debt`` the debt in annual military budgets;
    ``first_proposal[i, k]`` the step of regime i's first proposal to power k (-1: never),
    ``first_security[i, k]`` the same for security proposals (arms, police training) only;
    ``ideology0``, ``mandate0``, ``autocracy0`` the regimes' state at the start;
    ``security_deals[t, i, k]`` whether regime i struck a security deal with power k in step t.
    """

    scenario: str
    rule: str
    regimes: tuple[str, ...]
    powers: tuple[str, ...]
    klass: np.ndarray
    debt: np.ndarray
    first_proposal: np.ndarray
    first_security: np.ndarray
    ideology0: np.ndarray
    mandate0: np.ndarray
    autocracy0: np.ndarray
    enters: np.ndarray
    leader_changes: np.ndarray
    security_deals: np.ndarray | None = None

    def step_of(self, date: str) -> int:
        return scenario_step(self.scenario, date)

    def r(self, rid: str) -> int:
        return self.regimes.index(rid)

    def p(self, pid: str) -> int:
        return self.powers.index(pid)


def scenario_step(name: str, date: str) -> int:
    return scenario(name).step_of(date)


def simulate(name: str, rule: str, params: dict[str, Any] | None, seed) -> RunRecord:
    """One run of scenario ``name`` under ``rule`` (see :func:`simulate_many`)."""
    return simulate_many(name, rule, params, [seed])[0]


def simulate_many(name: str, rule: str, params: dict[str, Any] | None, seeds) -> list[RunRecord]:
    """Run scenario ``name`` under ``rule`` once per seed (int or ``SeedSequence``) in one
    batch; one :class:`RunRecord` per run. ``params`` maps a name to one value for every run
    or to an array with one value per run."""
    case = scenario(name)
    over = {k: np.broadcast_to(np.asarray(v), (len(seeds),)) for k, v in (params or {}).items()}
    res = run_batch(case, rule, over, list(seeds), record=("klass", "debt", "aid_security"))
    s, regimes = res.state, tuple(r.id for r in case.regimes)
    powers = tuple(p.id for p in case.powers)
    enters = np.array([r.start for r in case.regimes])
    return [RunRecord(name, rule, regimes, powers, res.history["klass"][n],
                      res.history["debt"][n].astype(np.float32),
                      s.first_proposal[n].astype(np.int32), s.first_security[n].astype(np.int32),
                      res.start["ideology"][n], res.start["mandate"][n],
                      res.start["autocracy"][n], enters, s.leader_changes[n],
                      res.history["aid_security"][n] > 0.0)
            for n in range(len(seeds))]

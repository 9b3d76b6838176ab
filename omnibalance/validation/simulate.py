"""One validation run: the model stepped to the end, with the per-quarter history the patterns
read (classification, ties and debt of every pair; first proposals; leaders' start dates).

The history is kept as small numpy arrays rather than Mesa's data tables, so thousands of runs
fit in memory and cross process boundaries cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..agents import SECURITY
from ..model import OmnibalanceModel
from ..scenario import Scenario, load_scenario


@lru_cache(maxsize=64)
def scenario(name: str) -> Scenario:
    """A case scenario, loaded once per process."""
    return load_scenario(name)


@dataclass
class RunRecord:
    """What one run leaves for the pattern measures.

    ``klass[t, i, k]`` is the classification of pair (regime i, power k) after step t
    (0 none, 1 partnership, 2 patron-client); ``debt`` the debt in annual military budgets;
    ``first_proposal[i, k]`` the step of regime i's first proposal to power k (-1: never),
    ``first_security[i, k]`` the same for security proposals (arms, police training) only;
    ``ideology0``, ``mandate0``, ``autocracy0`` the regimes' state at the start.
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

    def step_of(self, date: str) -> int:
        return scenario_step(self.scenario, date)

    def r(self, rid: str) -> int:
        return self.regimes.index(rid)

    def p(self, pid: str) -> int:
        return self.powers.index(pid)


def scenario_step(name: str, date: str) -> int:
    return scenario(name).step_of(date)


def simulate(name: str, rule: str, params: dict[str, Any] | None, seed) -> RunRecord:
    """Run scenario ``name`` under ``rule`` with parameter overrides and a seed (int or
    ``numpy.random.SeedSequence``), recording the history the patterns need."""
    case = scenario(name)
    model = OmnibalanceModel(case, rule, params=params, rng=np.random.default_rng(seed),
                             collect=False)
    n_r, n_p, T = len(model.regimes), len(model.powers), model.n_steps
    klass = np.zeros((T, n_r, n_p), dtype=np.int8)
    debt = np.zeros((T, n_r, n_p), dtype=np.float32)
    ideology0 = np.array([r.ideology for r in model.regimes])
    mandate0 = np.array([r.mandate for r in model.regimes])
    autocracy0 = np.array([r.autocracy for r in model.regimes])
    first_sec = np.full((n_r, n_p), -1, dtype=np.int32)
    negotiate = model._negotiate

    def watch(proposals):
        # The model records first proposals of any kind; the patterns also need the kind.
        for pr in proposals:
            if pr.kind == SECURITY and first_sec[pr.regime, pr.power] < 0:
                first_sec[pr.regime, pr.power] = model.t
        negotiate(proposals)

    model._negotiate = watch
    while model.running:
        t = model.t
        model.step()
        klass[t] = model.klass
        debt[t] = model.debt
    first = np.full((n_r, n_p), -1, dtype=np.int32)
    for (i, k), step in model.first_proposal.items():
        first[i, k] = step
    return RunRecord(name, rule, tuple(r.rid for r in model.regimes),
                     tuple(pw.pid for pw in model.powers), klass, debt, first, first_sec,
                     ideology0,
                     mandate0, autocracy0, np.array([r.enters for r in model.regimes]),
                     np.array([r.leader_changes for r in model.regimes]))

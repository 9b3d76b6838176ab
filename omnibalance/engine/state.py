"""The state of a batch of runs: every quantity the quarter reads and writes, as arrays.

Axes: run n, regime i, power k (and asset kind on a last axis where needed). The Mesa face
(:class:`omnibalance.model.OmnibalanceModel`) holds a batch of one run and its agents read
these arrays; a sweep holds thousands.
"""

from __future__ import annotations

import numpy as np

from ..theory import threat
from .world import World


class State:
    """Arrays of shape (n,), (n, regimes) or (n, regimes, powers); see the attribute notes."""

    def __init__(self, world: World):
        # A run starts from the world's start values, whatever set events an earlier run of the
        # same world applied (engine.events).
        world.restart()
        n, n_r, n_p = world.n, world.n_r, world.n_p
        reg = world.regime
        self.t = 0
        # Regime state, (n, regimes): the leader's ideology, autocracy and mandate change with
        # the leader; growth is the annual growth rate.
        self.ideology = reg["ideology"].copy()
        self.autocracy = reg["autocracy"].copy()
        self.mandate = reg["mandate"].copy()
        self.growth = reg["growth"].copy()
        self.growth_shock = np.zeros((n, n_r))
        self.shock_until = np.full((n, n_r), -1)
        self.t_in = baseline(world, self.mandate)
        self.t_ex = np.zeros((n, n_r))
        self.pressure = np.zeros((n, n_r))
        self.h_in = np.zeros((n, n_r))
        self.h_ex = np.zeros((n, n_r))
        self.hazard = np.zeros((n, n_r))
        self.leader_changes = np.zeros((n, n_r), dtype=np.int64)
        self.in_office_since = np.zeros((n, n_r), dtype=np.int64)
        self.on_schedule = np.ones((n, n_r), dtype=bool)
        """The leader in office is the one the scenario's schedule expects (no unscheduled
        removal or drawn successor since the last scheduled change)."""
        self.protective_aid = np.zeros((n, n_r))
        """Security aid received last quarter, weighted by how far each patron protects
        (theory.outlook.protection), x M."""
        # Pair state, (n, regimes, powers): zero, or what the scenario's start_state gives a
        # case that starts mid-history (ODD 5).
        shape = (n, n_r, n_p)
        self.tau = start_pairs(world, "tie")
        self.debt = start_pairs(world, "debt")
        self.stake = start_pairs(world, "stake")
        self.support = start_pairs(world, "support")
        self.share = np.ones(shape)
        self.aid_security = np.zeros(shape)
        self.aid_economic = np.zeros(shape)
        self.acceptance = np.ones(shape)
        """The leader's expected acceptance of a proposal by each power, learned from answers
        (rules.acceptance_next); leaders start by expecting a yes (they move first)."""
        self.estranged = np.zeros(shape, dtype=bool)
        """The regime cut its tie to this power (to placate the hegemon) and has made no deal
        with it since: the power's stakes and arms no longer count as a rival presence."""
        self.klass = np.zeros(shape, dtype=np.int8)
        self.spent = np.zeros((n, n_p))
        """US$M each power committed this quarter; never above its budget."""
        self.pc_ever = np.zeros(shape, dtype=bool)
        # Per-run outcomes (MODEL.md 4); -1 means "not yet".
        self.first_pc_step = np.full((n, n_r), -1, dtype=np.int64)
        self.first_pc_patron = np.full((n, n_r), -1, dtype=np.int64)
        self.first_pc_end = np.full((n, n_r), -1, dtype=np.int64)
        self.first_proposal = np.full(shape, -1, dtype=np.int64)
        self.first_security = np.full(shape, -1, dtype=np.int64)

    def active(self, world: World) -> np.ndarray:
        """(regimes,) bool: the regime has entered the scenario (e.g. Kirchner from 2007 Q4)."""
        return self.t >= world.enters


def start_pairs(world: World, name: str) -> np.ndarray:
    """(n, regimes, powers): the scenario's ``start_state`` value ``name`` of every pair (tie,
    debt, stake or support; scenario.START_FIELDS), the same in every run."""
    case = world.case
    pids = [p.id for p in case.powers]
    a = np.zeros((world.n_r, world.n_p))
    for i, r in enumerate(case.regimes):
        for pid, values in r.start_state.items():
            a[i, pids.index(pid)] = values[name]
    return np.broadcast_to(a, (world.n, world.n_r, world.n_p)).copy()


def baseline(world: World, mandate: np.ndarray) -> np.ndarray:
    """Baseline internal threat of every regime, (n, regimes) (theory.threat)."""
    return threat.internal_baseline(
        mandate, world.regime["internal_threat_offset"],
        internal_threat=world.at("internal_threat", 2),
        mandate_effect=world.at("mandate_effect", 2))

"""The Mesa agents: regimes that propose alignments and great powers that answer.

The model's state lives in the batch engine's arrays (:mod:`omnibalance.engine.state`), one
run's worth in the Mesa face; each agent is a named view of its row, so what the app, the
notebooks and a reader see (``regime.hazard``, ``power.spent``) is exactly what the engine
computed. The decisions themselves are the pure rules in :mod:`omnibalance.theory`, applied to
every regime at once by :mod:`omnibalance.engine.quarter`.
"""

from __future__ import annotations

import mesa
import numpy as np

from .params import ASSET_KINDS

SECURITY, ECONOMIC = "security", "economic"
KINDS = (SECURITY, ECONOMIC)
OFFERED = {SECURITY: ("naval", "territory", "political"), ECONOMIC: ("energy", "market")}
"""Which of its assets a regime opens in each kind of deal (MODEL.md 3.4)."""

ASSET_PHRASE = {"naval": "naval access", "territory": "a site for installations",
                "political": "political support (recognitions, UN votes)",
                "energy": "energy stakes", "market": "market access"}


def _state(name: str, cast=float, doc: str = ""):
    """A regime attribute read from the model's (run 0, regime i) state."""
    return property(lambda self: cast(getattr(self.model.state, name)[0, self.index]),
                    doc=doc)


class GreatPower(mesa.Agent):
    """A great power (US, Russia, China, USSR, ...): a potential patron that only answers."""

    def __init__(self, model, index: int, pid: str, name: str):
        super().__init__(model)
        self.index, self.pid, self.name = index, pid, name

    def _field(self, name: str) -> float:
        return float(self.model.world.power[name][0, self.index])

    capability = property(lambda self: self._field("capability"))
    budget = property(lambda self: self._field("budget"))
    ideology = property(lambda self: self._field("ideology"))
    sunk_weight = property(lambda self: self._field("sunk_weight"))
    regional_stake = property(lambda self: self._field("regional_stake"))

    @property
    def interest(self) -> np.ndarray:
        return self.model.world.interest[0, self.index].copy()

    @property
    def spent(self) -> float:
        """US$M committed this quarter; never above ``budget``."""
        return float(self.model.state.spent[0, self.index])


class Regime(mesa.Agent):
    """A regime, one leader at a time, choosing alignments to keep itself in power."""

    def __init__(self, model, index: int, spec):
        super().__init__(model)
        self.index, self.rid, self.name = index, spec.id, spec.name
        self.leader = spec.leader or f"leader of {spec.name}"
        self.enters = spec.start
        self.barred = dict(spec.barred)

    ideology = _state("ideology")
    autocracy = _state("autocracy")
    mandate = _state("mandate")
    growth = _state("growth", doc="Annual growth rate.")
    t_in = _state("t_in", doc="Internal threat.")
    t_ex = _state("t_ex", doc="External threat (direct hegemon pressure not deterred).")
    pressure = _state("pressure", doc="The hegemon's pressure on this regime.")
    h_in = _state("h_in")
    h_ex = _state("h_ex")
    hazard = _state("hazard", doc="Per-quarter probability that the leader is removed.")
    leader_changes = _state("leader_changes", int)
    in_office_since = _state("in_office_since", int)

    def _field(self, name: str) -> float:
        return float(self.model.world.regime[name][0, self.index])

    military_budget = property(lambda self: self._field("military_budget"))
    opposition_ideology = property(lambda self: self._field("opposition_ideology"))
    threat_offset = property(lambda self: self._field("internal_threat_offset"))

    @property
    def assets(self) -> np.ndarray:
        return np.array([self._field(f"asset_{k}") for k in ASSET_KINDS])

    @property
    def active(self) -> bool:
        return self.model.t >= self.enters

    def distance_to(self, ideology):
        """Ideological distance in [0, 1]."""
        return np.abs(self.ideology - ideology) / 2.0

    def in_recession(self) -> bool:
        return self.growth < 0.0

"""The omnibalancing model's Mesa face (MODEL.md; the authoritative description is docs/ODD.md).

:class:`OmnibalanceModel` is one run: Mesa agents for the regimes and great powers, an event
log in words, and a DataCollector with per-step tables. Its quarter is the batch engine's
(:func:`omnibalance.engine.quarter.step`) applied to a batch of one run, so a run through this
face and the same run inside a sweep's batch of thousands give the same result: there is one
implementation of the model's process. Every random number is drawn up front from the run's
generator (:mod:`omnibalance.engine.draws`).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import outcomes
from .agents import ECONOMIC, SECURITY, GreatPower, Regime
from .engine import draws, quarter
from .engine.batch import successor_name
from .engine.state import State
from .engine.world import build_world
from .events import EventLog
from .params import ASSET_KINDS, PARAMETERS
from .scenario import Scenario, load_scenario
from .theory import dynamics

REGIME_COLUMNS = ("step", "date", "regime", "leader", "ideology", "mandate", "growth", "pressure",
                  "internal_threat", "external_threat", "hazard", "leader_changes")
PAIR_COLUMNS = ("step", "date", "regime", "power", "tie", "classification", "security_aid",
                "economic_aid", "debt", "debt_usd_m", "stake", "bargaining_share")


class OmnibalanceModel(mesa.Model):
    """Regimes court great-power patrons to keep their leaders in office.

    Args:
        scenario: a preset name (``"nicaragua_2007"``), a path to a TOML file, or a
            :class:`~omnibalance.scenario.Scenario`.
        rule: the alignment rule regimes follow, one of :data:`omnibalance.params.RULES`.
        params: overrides of global parameters or ``regimes.ID.field`` / ``powers.ID.field``.
        steps: quarters to run (default: the scenario's).
        rng: seed (int or ``SeedSequence``) or ``numpy.random.Generator``: the run's random
            numbers are its first draw, ``rng.random((steps, regimes, 8))``.
        collect: keep the per-step tables (turn off in large sweeps that need only summaries).
    """

    def __init__(self, scenario: str | Scenario = "nicaragua_2007", rule: str = "omnibalance",
                 *, params: dict[str, Any] | None = None, steps: int | None = None, rng=None,
                 collect: bool = True, calibrated: bool = True):
        case = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.world = build_world(case, rule, [dict(params)] if params else None, n=1,
                                 steps=steps, calibrated=calibrated)
        self._u = draws.uniforms([np.random.default_rng(rng)], self.world.steps,
                                 self.world.n_r)[0]
        super().__init__(rng=rng)
        self.case, self.rule = case, rule
        self.p = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in self.world.g.items()}
        self.n_steps = self.world.steps
        self.collect = collect
        self.state = State(self.world)
        self.powers = [GreatPower(self, k, ps.id, ps.name) for k, ps in enumerate(case.powers)]
        self.regimes = [Regime(self, i, rs) for i, rs in enumerate(case.regimes)]
        self.hegemon = self.world.hegemon
        self.rivalry = self.world.rivalry
        self.log = EventLog(case)
        quarter.update_threats(self.world, self.state, initial=True)
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "patron_client_ties": lambda m: int((m.klass == dynamics.PATRON_CLIENT).sum()),
                "partnerships": lambda m: int((m.klass == dynamics.PARTNERSHIP).sum()),
                "mean_hazard": lambda m: float(np.mean([r.hazard for r in m.regimes])),
            },
            tables={"regimes": list(REGIME_COLUMNS), "pairs": list(PAIR_COLUMNS)})

    # --- the state, as (regime, power) arrays of this run ----------------------------------
    @property
    def t(self) -> int:
        """Quarters run so far."""
        return self.state.t

    def _pair(name):  # noqa: N805 -- a property factory used in the class body
        return property(lambda self: getattr(self.state, name)[0],
                        doc=f"(regime, power) array: the engine's ``{name}``.")

    tau = _pair("tau")
    debt = _pair("debt")
    stake = _pair("stake")
    support = _pair("support")
    share = _pair("share")
    aid_security = _pair("aid_security")
    aid_economic = _pair("aid_economic")
    klass = _pair("klass")
    pc_ever = _pair("pc_ever")

    @property
    def capability(self) -> np.ndarray:
        """(powers,) capability now (a set event may change it)."""
        return self.world.power["capability"][0]

    @property
    def date(self) -> str:
        return self.case.date(self.t)

    @property
    def first_proposal(self) -> dict[tuple[int, int], int]:
        """(regime, power) -> step of the regime's first proposal to that power."""
        fp = self.state.first_proposal[0]
        return {(int(i), int(k)): int(fp[i, k]) for i, k in zip(*np.nonzero(fp >= 0),
                                                                 strict=True)}

    # --- the step (MODEL.md 3) --------------------------------------------------------------
    def step(self) -> None:
        if self.t >= self.n_steps:
            self.running = False
            return
        records: list = []
        t = self.t
        quarter.step(self.world, self.state, self._u[None, t], records)
        self._write_log(t, records)
        if self.collect:
            self._record()
        if self.t >= self.n_steps:
            self.running = False

    def run(self) -> OmnibalanceModel:
        """Run to the end of the scenario (or ``steps``)."""
        while self.running:
            self.step()
        return self

    def _write_log(self, t: int, records: list) -> None:
        """The quarter's events in words, in the order they happened."""
        for rec in records:
            kind = rec[0]
            if kind == "proposals":
                self._log_proposals(t, *rec[1:])
                continue
            if kind == "cuts":
                for i, k in zip(*np.nonzero(rec[1][0]), strict=True):
                    r, pw = self.regimes[i], self.powers[k]
                    self.log.add(t, "cut", r, pw, f"{r.name} cuts its tie to {pw.name} to "
                                 "placate the hegemon")
                continue
            if kind == "classes":
                old, new = rec[1][0], rec[2][0]
                for i, k in zip(*np.nonzero(new != old), strict=True):
                    self.log.tie_change(t, self.regimes[i], self.powers[k], int(old[i, k]),
                                        int(new[i, k]))
                continue
            if kind == "set":
                self._log_set(t, rec[1], rec[2])
                continue
            _, i, ev, data = rec
            r = self.regimes[i]
            if kind == "recession":
                self.log.add(t, "recession", r, None, f"{r.name} enters recession (annual "
                             f"growth {ev.fields['growth']:+.1%})", ev.note)
            elif kind == "observed":
                self.log.add(t, "observed", r, ev.fields.get("power"), f"observed: {ev.note}",
                             ev.source)
            elif kind == "election":
                lose, lost = float(data["lose"][0]), bool(data["lost"][0])
                verb = "loses the election" if lost else "re-elected"
                self.log.add(t, "election", r, None,
                             f"{r.name}: {r.leader} {verb} (loss probability {lose:.2f})",
                             ev.note)
            elif kind == "removal" and data["mask"][0]:
                cause = "internal" if data["internal"][0] else "external"
                self.log.add(t, "removal", r, None,
                             f"{r.name}: {r.leader} is removed from office ({cause} threat; "
                             f"hazard {data['hazard'][0]:.2f})")
            elif kind == "leader_change" and data["mask"][0]:
                old, r.leader = r.leader, successor_name(r.leader, ev)
                self.log.add(t, "leader_change", r, None,
                             f"{r.name}: {r.leader} takes office after {old} "
                             f"(ideology {data['ideology'][0]:+.1f})", ev.note if ev else "")

    def _log_set(self, t, ev, old) -> None:
        """A set event: "Colombia: internal threat offset 0.2 -> 0.4"."""
        if ev.regime:
            who, fields = self.regimes[self.case.regime_index(ev.regime)], self.world.regime
            j, regime, power = who.index, who, None
        else:
            who, fields = self.powers[self.case.power_index(ev.power)], self.world.power
            j, regime, power = who.index, None, who
        self.log.change(t, regime, power, who.name,
                        {k: (float(old[k][0]), float(fields[k][0, j])) for k in ev.fields},
                        "; ".join(x for x in (ev.note, ev.source) if x))

    def _log_proposals(self, t, choice, terms, status, order, funded) -> None:
        """Each power's answers, in the order it took the region's proposals."""
        for pw in self.powers:
            k = pw.index
            for i in order[0, :, k]:
                if status[0, i, k] < 0:
                    continue
                kind = SECURITY if choice.security[0, i, k] else ECONOMIC
                reason = {quarter.REFUSED_NOT_WORTH: f"not worth it to {pw.name}",
                          quarter.REFUSED_OVER_BUDGET: f"over {pw.name}'s budget this quarter"
                          }.get(int(status[0, i, k]))
                self.log.proposal(t, self.regimes[i], pw, kind,
                                  ASSET_KINDS[int(choice.main_asset[0, i, k])],
                                  float(terms.transfer[0, i, k]), reason,
                                  funded=float(funded[0, i, k]))

    def _record(self) -> None:
        date, t = self.case.date(self.t - 1), self.t - 1
        self.datacollector.collect(self)
        for r in self.regimes:
            self.datacollector.add_table_row("regimes", dict(
                step=t, date=date, regime=r.rid, leader=r.leader, ideology=r.ideology,
                mandate=r.mandate, growth=r.growth, pressure=r.pressure,
                internal_threat=r.t_in, external_threat=r.t_ex, hazard=r.hazard,
                leader_changes=r.leader_changes))
            for pw in self.powers:
                i, k = r.index, pw.index
                self.datacollector.add_table_row("pairs", dict(
                    step=t, date=date, regime=r.rid, power=pw.pid, tie=self.tau[i, k],
                    classification=dynamics.CLASS_NAMES[self.klass[i, k]],
                    security_aid=self.aid_security[i, k], economic_aid=self.aid_economic[i, k],
                    debt=self.debt[i, k], debt_usd_m=self.debt[i, k] * r.military_budget,
                    stake=self.stake[i, k], bargaining_share=self.share[i, k]))

    # --- outputs (MODEL.md 4) ---------------------------------------------------------------
    def regime_table(self) -> pd.DataFrame:
        """Per step and regime: threats, hazard, growth, leader."""
        return self.datacollector.get_table_dataframe("regimes")

    def pair_table(self) -> pd.DataFrame:
        """Per step, regime and power: tie, classification, aid, debt (x M), stake (x M)."""
        return self.datacollector.get_table_dataframe("pairs")

    def step_table(self) -> pd.DataFrame:
        """The tidy per-step table: one row per step, regime and power."""
        pairs = self.pair_table()
        if pairs.empty:
            return pairs
        return pairs.merge(self.regime_table(), on=["step", "date", "regime"], how="left")

    def summary(self) -> list[dict]:
        """Per regime: the per-run outcomes (omnibalance.outcomes) with the regime's name."""
        out = []
        for r in self.regimes:
            row = outcomes.rows(self.world, self.state, r.rid)[0]
            out.append({"regime": row.pop("regime"), "name": r.name} | row)
        return out


__all__ = ["OmnibalanceModel", "PARAMETERS"]

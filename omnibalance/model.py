"""The omnibalancing model (MODEL.md; the authoritative description is docs/ODD.md).

One step is a quarter, in synchronous phases: every regime decides on the same state, then all
is resolved. Every random draw comes from ``self.rng`` (Mesa's generator, seeded by ``rng=``).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from .agents import SECURITY, GreatPower, Proposal, Regime
from .errors import ConfigError, unknown_key
from .events import EventLog
from .params import PARAMETERS, RULES, defaults
from .scenario import Scenario, load_scenario
from .theory import bargaining, dynamics, rules, threat
from .theory.outlook import protection, threats

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
        rng: seed or ``numpy.random.Generator``/``SeedSequence`` for every random draw.
        collect: keep the per-step tables (turn off in large sweeps that need only summaries).
    """

    def __init__(self, scenario: str | Scenario = "nicaragua_2007", rule: str = "omnibalance",
                 *, params: dict[str, Any] | None = None, steps: int | None = None, rng=None,
                 collect: bool = True):
        super().__init__(rng=rng)
        case = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        if params:
            case = case.with_overrides(params, where="params")
        if rule not in RULES:
            raise unknown_key("model", "rule", rule, RULES)
        if steps is not None and (not isinstance(steps, int) or steps < 1):
            raise ConfigError("model", "steps", steps, "must be a whole number >= 1")
        self.case, self.rule = case, rule
        self.p = defaults() | dict(case.parameters)
        self.n_steps = steps or case.steps
        self.t = 0
        self.collect = collect

        self.powers = [GreatPower(self, k, ps.id, ps.name, dict(ps.values))
                       for k, ps in enumerate(case.powers)]
        self.regimes = [Regime(self, i, rs) for i, rs in enumerate(case.regimes)]
        self.hegemon = case.power_index(case.hegemon)
        n_r, n_p = len(self.regimes), len(self.powers)
        self.rivalry = np.array([[case.rivalry.get((a.pid, b.pid), 0.0) for b in self.powers]
                                 for a in self.powers])
        self.rivalry_to_hegemon = self.rivalry[self.hegemon].copy()
        self.rivalry_to_hegemon[self.hegemon] = 0.0
        self.capability = np.array([pw.capability for pw in self.powers])

        shape = (n_r, n_p)
        self.tau = np.zeros(shape)
        self.debt = np.zeros(shape)
        self.stake = np.zeros(shape)
        self.support = np.zeros(shape)
        self.share = np.ones(shape)
        self.aid_security = np.zeros(shape)
        self.aid_economic = np.zeros(shape)
        self.klass = np.zeros(shape, dtype=int)
        self.protective_aid = np.zeros(n_r)
        self.pc_ever = np.zeros(shape, dtype=bool)

        # Per-run outcomes (MODEL.md 4).
        self.first_pc: dict[int, tuple[int, int]] = {}
        self.first_pc_end: dict[int, int] = {}
        self.first_proposal: dict[tuple[int, int], int] = {}
        self.log = EventLog(case)
        self._pending = {e.step: [] for e in case.events}
        for e in case.events:
            self._pending[e.step].append(e)
        self._update_threats(initial=True)
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "patron_client_ties": lambda m: int((m.klass == dynamics.PATRON_CLIENT).sum()),
                "partnerships": lambda m: int((m.klass == dynamics.PARTNERSHIP).sum()),
                "mean_hazard": lambda m: float(np.mean([r.hazard for r in m.regimes])),
            },
            tables={"regimes": list(REGIME_COLUMNS), "pairs": list(PAIR_COLUMNS)})

    # --- helpers the agents read ------------------------------------------------------------
    @property
    def date(self) -> str:
        return self.case.date(self.t)

    def protection_of(self, regime: Regime) -> np.ndarray:
        """How far each power's security aid protects ``regime`` (theory.outlook.protection)."""
        is_heg = np.arange(len(self.powers)) == self.hegemon
        return protection(is_heg, regime.pressure, self.p["opposition_backing"])

    def denial_value(self, regime: Regime, k: int) -> float:
        """Value to power ``k`` of denying its rivals this client (x M): rivalry-weighted, higher
        in a rival's own region and where the regime is tied to that rival. ``denial_weight``
        is an absolute amount (US$M per deal), so in the client's budgets it is divided by
        M_i: denying a rival a client is not worth more because the client's army is bigger."""
        others = np.arange(len(self.powers)) != k
        stake_q = np.array([pw.regional_stake for pw in self.powers]) + self.tau[regime.index]
        usd = self.p["denial_weight"] * (self.rivalry[k] * stake_q * others).sum()
        return float(usd / regime.military_budget)

    def expected_repayment(self, regime: Regime) -> float:
        return float(bargaining.expected_repayment(
            self.debt[regime.index].sum(), regime.in_recession(),
            recession_repayment=self.p["recession_repayment"], debt_scale=self.p["debt_scale"]))

    def rule_values(self, regime, h_now, h_none, h_deal, opt_power, is_sec):
        """The threat (or alignment) value of each option under this model's rule."""
        p = self.p
        if self.rule == "omnibalance":
            return rules.omnibalance_values(h_now, h_none, h_deal, omega=p["omega"],
                                            office_value=p["office_value"],
                                            horizon=p["horizon"])
        if self.rule == "balance_of_threat":
            return rules.balance_of_threat_values(h_now, h_none, h_deal,
                                                  office_value=p["office_value"],
                                                  horizon=p["horizon"])
        available = np.array([pw.pid not in regime.barred for pw in self.powers])
        if self.rule == "balance_of_power":
            target = rules.balance_of_power_target(self.capability, self.rivalry, available)
        else:
            target = rules.strongest(self.capability, available)
        return rules.fixed_alignment_values(opt_power == target, is_sec,
                                            alignment_value=p["alignment_value"])

    # --- the step (MODEL.md 3) --------------------------------------------------------------
    def step(self) -> None:
        if self.t >= self.n_steps:
            self.running = False
            return
        self._shocks()
        self._update_threats()
        self._removals()
        proposals = [r.decide() for r in self.regimes if r.active]
        self._negotiate([pr for pr in proposals if pr is not None])
        self._classify()
        if self.collect:
            self._record()
        self.t += 1
        if self.t >= self.n_steps:
            self.running = False

    def run(self) -> OmnibalanceModel:
        """Run to the end of the scenario (or ``steps``)."""
        while self.running:
            self.step()
        return self

    # 1. shocks
    def _shocks(self) -> None:
        p = self.p
        eps = self.rng.normal(size=len(self.regimes))
        for r in self.regimes:
            if r.shock_until < self.t:
                r.growth_shock = 0.0
            target = p["growth_mean"] + r.growth_shock
            r.growth = target + p["growth_persistence"] * (r.growth - target) \
                + p["growth_sd"] * eps[r.index]
        for ev in self._pending.get(self.t, []):
            self._apply_event(ev)

    def _apply_event(self, ev) -> None:
        r = self.regimes[self.case.regime_index(ev.regime)]
        f = ev.fields
        if ev.kind == "recession":
            r.growth_shock = f["growth"]
            r.shock_until = self.t + f.get("quarters", 4) - 1
            r.growth = min(r.growth, self.p["growth_mean"] + f["growth"])
            self.log.add(self.t, "recession", r, None,
                         f"{r.name} enters recession (annual growth shock {f['growth']:+.0%})",
                         ev.note)
        elif ev.kind == "leader_change":
            self._replace_leader(r, scheduled=ev)
        elif ev.kind == "election":
            self._election(r, ev)
        elif ev.kind == "observed":
            self.log.add(self.t, "observed", r, f.get("power"), f"observed: {ev.note}",
                         ev.source)

    def _election(self, r: Regime, ev) -> None:
        p, f = self.p, ev.fields
        lose = threat.election_loss_probability(
            r.mandate, r.growth, r.t_in, r.autocracy, election_base=p["election_base"],
            election_mandate=p["election_mandate"], election_economy=p["election_economy"],
            election_threat=p["election_threat"])
        u = self.rng.random()
        outcome = f["outcome"]
        lost = u < lose if outcome == "endogenous" else outcome == "challenger"
        if lost:
            self.log.add(self.t, "election", r, None,
                         f"{r.name}: {r.leader} loses the election "
                         f"(loss probability {lose:.2f})", ev.note)
            self._replace_leader(r, scheduled=ev if "ideology" in f else None)
        else:
            if "mandate" in f:
                r.mandate = f["mandate"]
            self.log.add(self.t, "election", r, None,
                         f"{r.name}: {r.leader} re-elected (loss probability {lose:.2f})",
                         ev.note)

    def _replace_leader(self, r: Regime, scheduled=None) -> None:
        """A new leader takes office: scheduled (the scenario names them) or drawn from the
        opposition. Ties are not reset: they keep decaying unless the successor renews them."""
        old = r.leader
        if scheduled is not None and "ideology" in scheduled.fields:
            f = scheduled.fields
            r.leader = f.get("leader", f"successor of {old}")
            r.ideology = f["ideology"]
            r.mandate = f.get("mandate", r.mandate)
            r.autocracy = f.get("autocracy", r.autocracy)
        else:
            r.leader = f"successor of {old}"
            r.ideology = float(np.clip(self.rng.normal(r.opposition_ideology, 0.15), -1, 1))
            r.mandate = float(self.rng.uniform(0.4, 0.6))
        r.leader_changes += 1
        r.in_office_since = self.t
        r.t_in = r.baseline()
        for pw in self.powers:
            if r.distance_to(pw.ideology) > 0.5:
                self.stake[r.index, pw.index] *= 1.0 - self.p["stake_loss_on_fall"]
        self.log.add(self.t, "leader_change", r, None,
                     f"{r.name}: {r.leader} takes office after {old} "
                     f"(ideology {r.ideology:+.1f})", scheduled.note if scheduled else "")

    # 2. threats
    def _update_threats(self, initial: bool = False) -> None:
        for r in self.regimes:
            th = threats(tau=self.tau[r.index], stake=self.stake[r.index],
                         debt=self.debt[r.index], rivalry_to_hegemon=self.rivalry_to_hegemon,
                         hegemon=self.hegemon,
                         ideological_distance=r.distance_to(self.powers[self.hegemon].ideology),
                         autocracy=r.autocracy, t_in_prev=r.t_in, baseline=r.baseline(),
                         growth=r.growth, security_aid=self.protective_aid[r.index], p=self.p)
            r.pressure, r.t_ex = float(th.pressure), float(th.t_ex)
            if not initial:
                r.t_in = float(th.t_in)
            r.h_in, r.h_ex = threat.hazard_components(
                r.t_in, r.t_ex, hazard_internal=self.p["hazard_internal"],
                hazard_external=self.p["hazard_external"],
                hazard_exponent=self.p["hazard_exponent"])
            r.hazard = float(threat.combine_hazards(r.h_in, r.h_ex))

    # 3. hazard
    def _removals(self) -> None:
        draws = self.rng.random(len(self.regimes))
        for r in self.regimes:
            if r.active and draws[r.index] < r.hazard:
                cause = "internal" if r.h_in >= r.h_ex else "external"
                self.log.add(self.t, "removal", r, None,
                             f"{r.name}: {r.leader} is removed from office ({cause} threat; "
                             f"hazard {r.hazard:.2f})")
                self._replace_leader(r)

    # 5. negotiation and commitment
    def _negotiate(self, proposals: list[Proposal]) -> None:
        p = self.p
        self.aid_security[:] = 0.0
        self.aid_economic[:] = 0.0
        deal_size = np.zeros_like(self.tau)
        credit = np.zeros_like(self.tau)
        for prop in proposals:
            self.first_proposal.setdefault((prop.regime, prop.power), self.t)
        for pw in self.powers:
            mine = [pr for pr in proposals if pr.power == pw.index]
            for prop, terms, reason in pw.answer(mine, p["beta"]):
                r = self.regimes[prop.regime]
                self.log.proposal(self.t, r, pw, prop, terms, reason)
                if terms is None:
                    continue
                i, k = prop.regime, pw.index
                deal_size[i, k] = prop.size
                credit[i, k] = prop.credit
                self.share[i, k] = terms.regime_share
                if prop.kind == SECURITY:
                    self.aid_security[i, k] = prop.size
                else:
                    self.aid_economic[i, k] = prop.size
        # 6. ties, debt, stakes
        self.tau = dynamics.tie_next(self.tau, deal_size, tie_decay=p["tie_decay"],
                                     tie_gain=p["tie_gain"])
        factor = np.array([p["recession_repayment"] if r.in_recession() else 1.0
                           for r in self.regimes])[:, None]
        self.debt, _ = dynamics.debt_next(self.debt, credit, factor,
                                          repayment_rate=p["repayment_rate"])
        self.stake = dynamics.stake_next(self.stake, deal_size - credit,
                                         stake_depreciation=p["stake_depreciation"])
        self.support = dynamics.security_support_next(self.support, self.aid_security,
                                                      security_memory=p["security_memory"])
        for r in self.regimes:
            self.protective_aid[r.index] = float((self.aid_security[r.index]
                                                  * self.protection_of(r)).sum())
            invest = self.aid_economic[r.index].sum()
            r.growth += p["investment_growth"] * invest

    # 7. classification
    def _classify(self) -> None:
        p = self.p
        new = dynamics.classify(self.tau, dynamics.dependence(self.support), self.share,
                                pc_tie=p["pc_tie"], partnership_tie=p["partnership_tie"],
                                pc_dependence=p["pc_dependence"], pc_share=p["pc_share"])
        for i, k in zip(*np.nonzero(new != self.klass), strict=True):
            self.log.tie_change(self.t, self.regimes[i], self.powers[k], int(self.klass[i, k]),
                                int(new[i, k]))
        self.klass = new
        self.pc_ever |= new == dynamics.PATRON_CLIENT
        for r in self.regimes:
            i = r.index
            if i not in self.first_pc:
                pcs = np.nonzero(new[i] == dynamics.PATRON_CLIENT)[0]
                if len(pcs):
                    self.first_pc[i] = (self.t, int(pcs[np.argmax(self.tau[i, pcs])]))
            elif i not in self.first_pc_end:
                k = self.first_pc[i][1]
                if new[i, k] != dynamics.PATRON_CLIENT:
                    self.first_pc_end[i] = self.t

    def _record(self) -> None:
        date = self.date
        self.datacollector.collect(self)
        for r in self.regimes:
            self.datacollector.add_table_row("regimes", dict(
                step=self.t, date=date, regime=r.rid, leader=r.leader, ideology=r.ideology,
                mandate=r.mandate, growth=r.growth, pressure=r.pressure,
                internal_threat=r.t_in, external_threat=r.t_ex, hazard=r.hazard,
                leader_changes=r.leader_changes))
            for pw in self.powers:
                i, k = r.index, pw.index
                self.datacollector.add_table_row("pairs", dict(
                    step=self.t, date=date, regime=r.rid, power=pw.pid, tie=self.tau[i, k],
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
        """Per regime: first patron-client tie (when, with whom, how long), leader survival,
        leader changes."""
        out = []
        for r in self.regimes:
            i = r.index
            first = self.first_pc.get(i)
            row = dict(regime=r.rid, name=r.name, rule=self.rule,
                       pc_formed=first is not None,
                       first_pc_step=first[0] if first else None,
                       first_pc_date=self.case.date(first[0]) if first else None,
                       first_pc_patron=self.powers[first[1]].pid if first else None,
                       first_pc_duration=((self.first_pc_end.get(i, self.t) - first[0])
                                          if first else None),
                       first_pc_censored=(first is not None and i not in self.first_pc_end),
                       leader_survived=r.leader_changes == 0,
                       leader_changes=r.leader_changes)
            for pw in self.powers:
                row[f"first_proposal_{pw.pid}"] = self.first_proposal.get((i, pw.index))
                row[f"final_tie_{pw.pid}"] = float(self.tau[i, pw.index])
                row[f"final_class_{pw.pid}"] = dynamics.CLASS_NAMES[self.klass[i, pw.index]]
            out.append(row)
        return out


__all__ = ["OmnibalanceModel", "PARAMETERS"]

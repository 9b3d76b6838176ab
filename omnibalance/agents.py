"""The Mesa agents: regimes that propose alignments and great powers that answer.

Agents observe the model's state, call the pure rules in :mod:`omnibalance.theory`, and return
their decision; the model commits every decision at once (synchronous phases). Per-pair state
(ties, debt, stakes) lives in the model's arrays, indexed by ``regime.index`` and
``power.index``, so the same arrays can feed a vectorised engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from .params import ASSET_KINDS
from .theory import bargaining, rules, threat
from .theory.dynamics import tie_next
from .theory.outlook import threats

SECURITY, ECONOMIC = "security", "economic"
KINDS = (SECURITY, ECONOMIC)
OFFERED = {SECURITY: ("naval", "territory", "political"), ECONOMIC: ("energy", "market")}
"""Which of its assets a regime opens in each kind of deal (MODEL.md 3.4)."""

ASSET_PHRASE = {"naval": "naval access", "territory": "a site for installations",
                "political": "political support (recognitions, UN votes)",
                "energy": "energy stakes", "market": "market access"}


@dataclass
class Proposal:
    """A regime's proposal to one power, with everything the power needs to answer it."""

    regime: int
    power: int
    kind: str
    size: float
    credit: float
    value_regime: float
    outside_option: float
    value_patron: float
    concession_cap: float
    main_asset: str


class GreatPower(mesa.Agent):
    """A great power (US, Russia, China, USSR, ...): a potential patron that only answers."""

    def __init__(self, model, index: int, pid: str, name: str, values: dict):
        super().__init__(model)
        self.index, self.pid, self.name = index, pid, name
        self.capability = values["capability"]
        self.budget = values["budget"]
        self.ideology = values["ideology"]
        self.sunk_weight = values["sunk_weight"]
        self.regional_stake = values["regional_stake"]
        self.interest = np.array([values[f"interest_{k}"] for k in ASSET_KINDS])
        self.spent = 0.0
        """US$M committed this quarter; never above ``budget``."""

    def answer(self, proposals: list[Proposal], beta: float):
        """Accept proposals in order of this power's net value while the budget lasts.

        Returns a list of (proposal, terms or None, reason) in the order served.
        """
        budget = self.budget
        judged = []
        for prop in proposals:
            terms = bargaining.nash_split(prop.value_regime, prop.value_patron,
                                          prop.outside_option, beta=beta,
                                          concession_cap=prop.concession_cap)
            judged.append((prop, terms))
        judged.sort(key=lambda pt: (-pt[1].patron_payoff if pt[1].accepted else np.inf,
                                    pt[0].regime))
        answers = []
        for prop, terms in judged:
            if not terms.accepted:
                answers.append((prop, None, "not worth it to " + self.name))
                continue
            cost = prop.size * self.model.regimes[prop.regime].military_budget
            if cost > budget:
                answers.append((prop, None, f"over {self.name}'s budget this quarter"))
                continue
            budget -= cost
            answers.append((prop, terms, ""))
        self.spent = self.budget - budget
        return answers


class Regime(mesa.Agent):
    """A regime, one leader at a time, choosing alignments to keep itself in power."""

    def __init__(self, model, index: int, spec):
        super().__init__(model)
        v = spec.values
        self.index, self.rid, self.name = index, spec.id, spec.name
        self.leader = spec.leader or f"leader of {spec.name}"
        self.ideology, self.autocracy, self.mandate = v["ideology"], v["autocracy"], v["mandate"]
        self.military_budget = v["military_budget"]
        self.growth = v["growth"]
        self.opposition_ideology = v["opposition_ideology"]
        self.threat_offset = v["internal_threat_offset"]
        self.assets = np.array([v[f"asset_{k}"] for k in ASSET_KINDS])
        self.enters = spec.start
        self.barred = dict(spec.barred)
        self.t_in = self.baseline()
        self.t_ex = 0.0
        self.pressure = 0.0
        self.h_in = self.h_ex = self.hazard = 0.0
        self.growth_shock = 0.0
        self.shock_until = -1
        self.leader_changes = 0
        self.in_office_since = 0

    # --- state the rules read -------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.model.t >= self.enters

    def baseline(self) -> float:
        p = self.model.p
        return threat.internal_baseline(self.mandate, self.threat_offset,
                                        internal_threat=p["internal_threat"],
                                        mandate_effect=p["mandate_effect"])

    def distance_to(self, ideology):
        """Ideological distance in [0, 1]."""
        return np.abs(self.ideology - ideology) / 2.0

    def in_recession(self) -> bool:
        return self.growth < 0.0

    # --- the decision (MODEL.md 3.4) ------------------------------------------------------
    def decide(self) -> Proposal | None:
        """Value every deal under the model's rule and propose the best one, or hold."""
        m, p = self.model, self.model.p
        i, n_p = self.index, len(m.powers)
        opt_power = np.repeat(np.arange(n_p), 2)
        is_sec = np.tile([True, False], n_p)
        size = np.where(is_sec, p["security_deal_size"], p["economic_deal_size"])
        credit = size * np.where(is_sec, p["security_credit_share"], p["economic_credit_share"])
        equity = size - credit
        rows = np.arange(2 * n_p)

        tau0, stake0, debt0 = m.tau[i], m.stake[i], m.debt[i]
        tau_none = tie_next(tau0, 0.0, tie_decay=p["tie_decay"], tie_gain=p["tie_gain"])
        tau_deal = np.tile(tau_none, (2 * n_p, 1))
        tau_deal[rows, opt_power] = tie_next(tau0[opt_power], size, tie_decay=p["tie_decay"],
                                             tie_gain=p["tie_gain"])
        stake_none = stake0 * (1.0 - p["stake_depreciation"])
        stake_deal = np.tile(stake_none, (2 * n_p, 1))
        stake_deal[rows, opt_power] += equity
        debt_deal = np.tile(debt0, (2 * n_p, 1))
        debt_deal[rows, opt_power] += credit
        protect = m.protection_of(self)
        aid = np.where(is_sec, size * protect[opt_power], 0.0)
        growth_deal = self.growth + p["investment_growth"] * np.where(is_sec, 0.0, size)

        common = dict(rivalry_to_hegemon=m.rivalry_to_hegemon, hegemon=m.hegemon,
                      ideological_distance=self.distance_to(m.powers[m.hegemon].ideology),
                      autocracy=self.autocracy, t_in_prev=self.t_in, baseline=self.baseline(),
                      p=p)
        none = threats(tau=tau_none, stake=stake_none, debt=debt0, growth=self.growth,
                       security_aid=0.0, **common)
        deal = threats(tau=tau_deal, stake=stake_deal, debt=debt_deal, growth=growth_deal,
                       security_aid=aid, **common)
        h_now = (self.h_in, self.h_ex)
        h_none, h_deal = (none.h_in, none.h_ex), (deal.h_in, deal.h_ex)

        values = m.rule_values(self, h_now, h_none, h_deal, opt_power, is_sec)
        invest = np.where(is_sec, 0.0, size)
        patron_ideology = np.array([pw.ideology for pw in m.powers])[opt_power]
        cost = rules.concession_cost(self.autocracy, self.distance_to(patron_ideology),
                                     concession_accountability=p["concession_accountability"],
                                     concession_ideology=p["concession_ideology"])
        values = values + p["economic_value"] * invest - cost
        allowed = np.array([m.powers[k].pid not in self.barred for k in opt_power])
        choice = rules.choose(values, allowed)
        if choice == rules.HOLD:
            return None

        k = int(opt_power[choice])
        kind = SECURITY if is_sec[choice] else ECONOMIC
        power = m.powers[k]
        h_true_none = threat.combine_hazards(*h_none)
        h_true_deal = threat.combine_hazards(h_deal[0][choice], h_deal[1][choice])
        survive_deal = threat.survival(h_true_deal, p["horizon"])
        offered = np.array([a in OFFERED[kind] for a in ASSET_KINDS])
        # Returns on economic assets (energy stakes, market) fall in recession (ODD 7.5).
        returns = np.where(np.isin(ASSET_KINDS, OFFERED[ECONOMIC]) & self.in_recession(),
                           p["recession_returns"], 1.0)
        weighted = p["access_value"] * power.interest * self.assets * returns
        asset_value = float((weighted * offered).sum())
        v_patron = bargaining.patron_value(
            asset_value=asset_value, denial_value=m.denial_value(self, k),
            credit=float(credit[choice]), repayment_share=m.expected_repayment(self),
            sunk_weight=power.sunk_weight, stake=float(stake0[k] + debt0[k]),
            survival_gain=float(threat.survival(h_true_deal, p["stake_horizon"])
                                - threat.survival(h_true_none, p["stake_horizon"])),
            size=float(size[choice]), fall_probability=float(1.0 - survive_deal))
        main = ASSET_KINDS[int(np.argmax(np.where(offered, weighted, -1.0)))]
        return Proposal(self.index, k, kind, float(size[choice]), float(credit[choice]),
                        float(values[choice]),
                        rules.outside_option(values, allowed, opt_power, choice),
                        # The cap on further concessions: the assets not already opened.
                        float(v_patron), float((weighted * ~offered).sum()), main)

"""One quarter of the model for a whole batch of runs at once (MODEL.md 3; docs/ODD.md 3-7).

This is the only implementation of the model's process: the Mesa face steps a batch of one run
through :func:`step`, a sweep steps thousands. Phases are synchronous -- every regime decides on
the same state, then all is resolved:

1. shocks: the economy moves, scheduled events fire (recessions, leader changes, elections);
2. threats: hegemon pressure, deterrence, internal and external threat, hazard;
3. removals: a leader falls with the quarter's hazard;
4. decisions: every active regime values each act (a security or an economic deal, or a cut
   of its tie) with each power under the rule and chooses its portfolio (one act per power);
5. negotiation: each power answers the region's proposals in order of net value per US$ while
   its budget lasts, the last in part (generalised Nash terms);
6. ties, debt, stakes and security support move;
7. classification of every pair (none, partnership, patron-client).

The arithmetic is in :mod:`omnibalance.theory` (pure functions over arrays); this module only
shapes the arrays. Axes: run n, regime i, option o (a security and an economic deal with each
power, ``ACTS * powers`` options), power k, asset kind a. Only plain numpy calls are used.
When ``log`` is given, each phase appends what it did (for the Mesa face's event log).
"""

from __future__ import annotations

import numpy as np

from ..theory import bargaining, dynamics, rules, threat
from ..theory.outlook import Exposure, exposure, hostility, protection, threats
from . import events
from .draws import Draws
from .state import State, baseline
from .world import ECONOMIC_ASSETS, World

REFUSED_NOT_WORTH, REFUSED_OVER_BUDGET, ACCEPTED = 1, 2, 0
"""How a power answered a proposal (the log says it in words)."""


def step(world: World, s: State, u: np.ndarray, log: list | None = None) -> None:
    """Advance every run of the batch by one quarter. ``u``: this quarter's uniforms,
    (runs, regimes, 8) (engine.draws)."""
    d = Draws(u)
    _shocks(world, s, d, log)
    update_threats(world, s)
    _removals(world, s, d, log)
    choice = decide(world, s)
    _negotiate(world, s, choice, log)
    _classify(world, s, log)
    s.t += 1


# 1. shocks ---------------------------------------------------------------------------------
def _shocks(w: World, s: State, d: Draws, log) -> None:
    s.growth_shock = np.where(s.shock_until < s.t, 0.0, s.growth_shock)
    target = w.at("growth_mean", 2) + s.growth_shock
    s.growth = target + w.at("growth_persistence", 2) * (s.growth - target) \
        + w.at("growth_sd", 2) * d.growth
    for ev in _events_at(w, s.t):
        if ev.kind == "set":
            events.apply_set(w, s, ev, log)
            continue
        i = w.case.regime_index(ev.regime)
        f = ev.fields
        everyone = np.ones(w.n, dtype=bool)
        if ev.kind == "recession":
            # The event gives the observed annual growth in the recession; the shock is its
            # distance from the model's mean growth.
            s.growth_shock[:, i] = f["growth"] - w.at("growth_mean", 1)
            s.shock_until[:, i] = s.t + f.get("quarters", 4) - 1
            s.growth[:, i] = np.minimum(s.growth[:, i], f["growth"])
            _note(log, "recession", i, ev)
        elif ev.kind == "leader_change":
            _replace(w, s, i, everyone, d, ev, cause="scheduled", log=log)
        elif ev.kind == "election":
            _election(w, s, i, ev, d, log)
        elif ev.kind == "observed":
            _note(log, "observed", i, ev)


def _events_at(w: World, t: int):
    return [e for e in w.case.events if e.step == t]


def _election(w: World, s: State, i: int, ev, d: Draws, log) -> None:
    p, f = w.view(1), ev.fields
    lose = threat.election_loss_probability(
        s.mandate[:, i], s.growth[:, i], s.t_in[:, i], s.autocracy[:, i],
        election_base=p["election_base"], election_mandate=p["election_mandate"],
        election_economy=p["election_economy"], election_threat=p["election_threat"])
    # A historical outcome is fixed only while the leader the scenario expects is in office;
    # after an unscheduled removal the election is endogenous for whoever holds office.
    endogenous = d.election[:, i] < lose
    if f["outcome"] == "endogenous":
        lost = endogenous
    else:
        historical = s.on_schedule[:, i] & (w.at("endogenous_elections", 1) < 0.5)
        lost = np.where(historical, f["outcome"] == "challenger", endogenous)
    _note(log, "election", i, ev, lose=lose, lost=lost)
    if "mandate" in f:
        s.mandate[~lost & s.on_schedule[:, i], i] = f["mandate"]
    if lost.any():
        _replace(w, s, i, lost, d, ev if "ideology" in f else None, cause="election", log=log)


def _replace(w: World, s: State, i: int, mask: np.ndarray, d: Draws, scheduled,
             *, cause: str, log) -> None:
    """A new leader takes office in regime ``i`` in the runs ``mask``: the one a scheduled
    event names, or a successor drawn from the opposition. Ties are not reset; they keep
    decaying unless the successor renews them. Powers ideologically far from the new leader
    lose part of their sunk stake."""
    if scheduled is not None and "ideology" in scheduled.fields:
        f = scheduled.fields
        s.ideology[mask, i] = f["ideology"]
        if "mandate" in f:
            s.mandate[mask, i] = f["mandate"]
        if "autocracy" in f:
            s.autocracy[mask, i] = f["autocracy"]
    else:
        z, m = ((d.removal_successor_ideology, d.removal_successor_mandate) if cause == "removal"
                else (d.event_successor_ideology, d.event_successor_mandate))
        drawn = np.clip(w.regime["opposition_ideology"][:, i] + 0.15 * z[:, i], -1.0, 1.0)
        s.ideology[mask, i] = drawn[mask]
        s.mandate[mask, i] = (0.4 + 0.2 * m[:, i])[mask]
    s.leader_changes[mask, i] += 1
    s.in_office_since[mask, i] = s.t
    s.t_in[mask, i] = baseline(w, s.mandate)[mask, i]
    s.on_schedule[mask, i] = scheduled is not None and "ideology" in scheduled.fields
    if cause == "removal":
        # A leader who falls takes part of the patrons' stakes with him (ODD 7.2); a scheduled
        # or elected change of leader does not.
        far = np.abs(s.ideology[mask, i, None] - w.power["ideology"][mask]) / 2.0 > 0.5
        keep = 1.0 - w.at("stake_loss_on_fall", 2)
        s.stake[mask, i, :] *= np.where(far, keep if isinstance(keep, float) else keep[mask],
                                        1.0)
    _note(log, "leader_change", i, scheduled, mask=mask, cause=cause,
          ideology=s.ideology[:, i].copy())


# 2. threats --------------------------------------------------------------------------------
def update_threats(w: World, s: State, initial: bool = False) -> None:
    """Pressure, external and internal threat and the hazard components of every regime."""
    th = threats(exposure=exposure(s.tau, s.stake, s.debt, s.support, _rival_weight(w, s),
                                   w.hegemon), foreign_backing=_hostility(w, s).sum(axis=-1),
                 ideological_distance=_distance_to_hegemon(w, s), autocracy=s.autocracy,
                 t_in_prev=s.t_in, baseline=baseline(w, s.mandate), growth=s.growth,
                 security_aid=s.protective_aid, p=w.view(2))
    s.pressure, s.t_ex = th.pressure, th.t_ex
    if not initial:
        s.t_in = th.t_in
    s.h_in, s.h_ex = threat.hazard_components(
        s.t_in, s.t_ex, hazard_internal=w.at("hazard_internal", 2),
        hazard_external=w.at("hazard_external", 2), hazard_exponent=w.at("hazard_exponent", 2))
    s.hazard = threat.combine_hazards(s.h_in, s.h_ex)


def _hostility(w: World, s: State) -> np.ndarray:
    """(n, i, k): how far each power other than the hegemon backs the regime's opposition
    (outlook.hostility)."""
    dist = np.abs(s.ideology[..., None] - w.power["ideology"][:, None, :]) / 2.0
    return hostility(w.power["backs_opposition"][:, None, :], dist, w.is_hegemon)


def _rival_weight(w: World, s: State) -> np.ndarray:
    """How far each power's presence in a regime counts as the hegemon's rival's, (n, i, k):
    its rivalry with the hegemon, or 0 once the regime has cut its tie to it (estranged: its
    stakes and arms no longer deter, and no longer provoke)."""
    return np.where(s.estranged, 0.0, w.rivalry_to_hegemon)


def _distance_to_hegemon(w: World, s: State) -> np.ndarray:
    return np.abs(s.ideology - w.power["ideology"][:, w.hegemon, None]) / 2.0


# 3. removals -------------------------------------------------------------------------------
def _removals(w: World, s: State, d: Draws, log) -> None:
    fall = s.active(w) & (d.removal < s.hazard)
    for i in np.nonzero(fall.any(axis=0))[0]:
        _note(log, "removal", i, None, mask=fall[:, i], internal=s.h_in[:, i] >= s.h_ex[:, i],
              hazard=s.hazard[:, i].copy())
        _replace(w, s, i, fall[:, i], d, None, cause="removal", log=log)
    if fall.any():
        # The successor decides on his own pressure and hazard, not the fallen leader's
        # (internal threat already restarted at his baseline); other runs are unchanged.
        update_threats(w, s, initial=True)


# 4. decisions ------------------------------------------------------------------------------
ACTS = 3
"""Per power: a security deal, an economic deal, a cut of the tie (rules.SECURITY, ECONOMIC,
CUT). Option o = ACTS * power + act."""


class Choice:
    """What each regime does with each power this quarter, arrays of shape
    (runs, regimes, powers): a proposal (``proposes``, with its kind and terms' inputs), a cut
    of the tie (``cuts``), or nothing."""

    __slots__ = ("proposes", "cuts", "security", "size", "credit", "value_regime",
                 "outside_option", "value_patron", "concession_cap", "main_asset")


def options(w: World):
    """The options: for each power a security deal, an economic deal and a cut of the tie.

    Returns (power of each option, act of each option, size x M, credit x M), the sizes shaped
    (runs, regimes, options); a cut has size and credit 0."""
    opt_power = np.repeat(np.arange(w.n_p), ACTS)
    act = np.tile(np.arange(ACTS), w.n_p)
    is_sec, is_deal = act == rules.SECURITY, act != rules.CUT
    size = np.where(is_sec, w.at("security_deal_size", 3)
                    * w.regime["security_deal_scale"][..., None],
                    np.where(is_deal, w.at("economic_deal_size", 3)
                             * w.regime["economic_deal_scale"][..., None], 0.0))
    credit = size * np.where(is_sec, w.at("security_credit_share", 3),
                             w.at("economic_credit_share", 3))
    return opt_power, act, size, credit


def decide(w: World, s: State) -> Choice:
    """Value every act under the world's rule and choose each regime's portfolio (MODEL.md 3.4;
    docs/ODD.md 7.4). Leaders forecast each option with the model's own threat equations; a
    deal's value is weighed by the acceptance the leader expects from that power."""
    p3 = w.view(3)
    opt_power, act, size, credit = options(w)
    is_sec = act == rules.SECURITY
    is_cut = act == rules.CUT
    tau0, stake0, debt0 = s.tau, s.stake, s.debt                # (n, i, k)
    tau_none = dynamics.tie_next(tau0, 0.0, tie_decay=w.at("tie_decay", 3),
                                 tie_gain=w.at("tie_gain", 3))
    stake_none = stake0 * (1.0 - w.at("stake_depreciation", 3))
    support_none = s.support * w.at("security_memory", 3)
    weight = _rival_weight(w, s)
    none_x = exposure(tau_none, stake_none, debt0, support_none, weight, w.hegemon)
    # An act with power k changes only the tie to k and k's stake, claim or arms: its exposure
    # is the no-deal exposure plus that one change (the same sums, term by term).
    tie_k = tau_none[:, :, opt_power]
    tie_change = np.where(is_cut, -tie_k, dynamics.tie_next(
        tau0[:, :, opt_power], size, tie_decay=p3["tie_decay"], tie_gain=p3["tie_gain"]) - tie_k)
    # A deal with an estranged power makes it a rival presence again; a cut estranges it.
    r2h = w.rivalry_to_hegemon[opt_power]
    was = weight[:, :, opt_power]
    hostile = _hostility(w, s)
    protect = protection(w.is_hegemon, s.pressure[..., None], w.at("opposition_backing", 3),
                         hostile)
    sec = is_sec.astype(float)
    d_weight = np.where(is_cut, -was, r2h - was)
    deal_x = Exposure(
        none_x.rival_ties[..., None] + r2h * np.where(is_cut, 0.0, tie_change)
        + d_weight * tie_k,
        none_x.rival_stakes[..., None] + r2h * size
        + d_weight * (stake_none + debt0)[:, :, opt_power],
        none_x.hegemon_tie[..., None] + (opt_power == w.hegemon) * tie_change,
        none_x.rival_arms[..., None] + r2h * size * sec + d_weight * support_none[:, :, opt_power])
    aid = size * protect[:, :, opt_power] * sec                          # (n, i, o)
    invest = size * (1.0 - sec)
    growth_deal = s.growth[..., None] + p3["investment_growth"] * invest

    dist = _distance_to_hegemon(w, s)
    base = baseline(w, s.mandate)
    foreign = hostile.sum(axis=-1)
    none = threats(exposure=none_x, growth=s.growth, security_aid=0.0, foreign_backing=foreign,
                   ideological_distance=dist, autocracy=s.autocracy, t_in_prev=s.t_in,
                   baseline=base, p=w.view(2))
    deal = threats(exposure=deal_x, growth=growth_deal, security_aid=aid,
                   foreign_backing=foreign[..., None],
                   ideological_distance=dist[..., None], autocracy=s.autocracy[..., None],
                   t_in_prev=s.t_in[..., None], baseline=base[..., None], p=p3)
    h_now = (s.h_in[..., None], s.h_ex[..., None])
    h_none = (none.h_in[..., None], none.h_ex[..., None])
    values = RULE_VALUES[w.rule](w, h_now, h_none, (deal.h_in, deal.h_ex), opt_power, act)

    patron_ideology = w.power["ideology"][:, None, opt_power]             # (n, 1, o)
    cost = rules.concession_cost(
        s.autocracy[..., None], np.abs(s.ideology[..., None] - patron_ideology) / 2.0,
        concession_accountability=p3["concession_accountability"],
        concession_ideology=p3["concession_ideology"])
    # Credit is repaid in part within the leader's horizon: that share is a cost to him.
    repaid = 1.0 - (1.0 - p3["repayment_rate"]) ** p3["horizon"]
    values = (values + p3["economic_value"] * invest - credit * repaid
              - np.where(is_cut, 0.0, cost)
              - rules.lasting_cost(cost, tie_change, concession_upkeep=p3["concession_upkeep"],
                                   horizon=p3["horizon"]))
    accept = s.acceptance[:, :, opt_power]
    expected = np.where(is_cut, values, rules.expected_value(
        values, accept, refusal_cost=p3["refusal_cost"]))
    # A cut is possible only of a tie to one of the hegemon's rivals (it appeases the hegemon).
    allowed = w.allowed[:, opt_power] & np.where(is_cut, r2h > 0, True)
    allowed = allowed & np.where(is_cut, tau0[:, :, opt_power] > 0, True)
    n, n_r = s.tau.shape[:2]
    shape4 = (n, n_r, w.n_p, ACTS)
    acts = rules.portfolio(expected.reshape(shape4),
                           np.broadcast_to(allowed, (n, n_r, len(opt_power))).reshape(shape4))
    active = s.active(w)[None, :, None]
    c = Choice()
    c.proposes = (acts == rules.SECURITY) | (acts == rules.ECONOMIC)
    c.proposes &= active
    c.cuts = (acts == rules.CUT) & active
    # Each power's deal: the chosen one, or (for the log and the outside options) the better
    # of the two deals with it.
    deal_v = expected.reshape(shape4)[..., :2]
    better = np.where(c.proposes, acts, np.argmax(deal_v, axis=-1))      # (n, i, k)
    o = ACTS * np.arange(w.n_p) + better                                  # option index
    c.security = better == rules.SECURITY
    c.size = _pick(np.broadcast_to(size, values.shape), o)
    c.credit = _pick(np.broadcast_to(credit, values.shape), o)
    c.value_regime = _pick(values, o)
    # The regime's best alternative to a deal with k: its best expected deal with another power.
    best_deal = np.where(w.allowed[None], deal_v.max(axis=-1), -np.inf)   # (n, i, k)
    others = np.where(np.eye(w.n_p, dtype=bool), -np.inf, best_deal[..., None, :])
    c.outside_option = np.maximum(0.0, others.max(axis=-1))

    h_true_none = threat.combine_hazards(none.h_in, none.h_ex)[..., None]
    h_true_deal = threat.combine_hazards(_pick(deal.h_in, o), _pick(deal.h_ex, o))
    offered = np.where(c.security[..., None], ~ECONOMIC_ASSETS, ECONOMIC_ASSETS)  # (n,i,k,a)
    # Returns on economic assets (energy stakes, market) fall in recession (ODD 7.5).
    returns = np.where(ECONOMIC_ASSETS & (s.growth < 0.0)[..., None],
                       w.at("recession_returns", 3), 1.0)[:, :, None, :]
    interest = w.interest[:, None, :, :]                                   # (n, 1, k, a)
    weighted = interest * w.assets[:, :, None, :] * returns
    asset_value = (weighted * offered).sum(axis=-1)
    sunk_weight = w.power["sunk_weight"][:, None, :]
    c.value_patron = bargaining.patron_value(
        asset_value=asset_value, denial_value=_denial_value(w, s),
        credit=c.credit, repayment_share=_expected_repayment(w, s)[..., None],
        sunk_weight=sunk_weight, stake=stake0 + debt0,
        survival_gain=(threat.survival(h_true_deal, p3["stake_horizon"])
                       - threat.survival(h_true_none, p3["stake_horizon"])),
        size=c.size, fall_probability=1.0 - threat.survival(h_true_deal, p3["horizon"]))
    # The cap on further concessions: the assets the deal does not already open.
    c.concession_cap = (weighted * ~offered).sum(axis=-1)
    c.main_asset = np.argmax(np.where(offered, weighted, -1.0), axis=-1)
    s.first_proposal[c.proposes & (s.first_proposal < 0)] = s.t
    s.first_security[c.proposes & c.security & (s.first_security < 0)] = s.t
    return c


def _pick(a: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The entry of ``a``'s last axis that ``index`` names: ``a[n, i, index[n, i]]`` when
    ``index`` has one axis fewer than ``a``, else ``a[n, i, index[n, i, k]]`` for every k."""
    if index.ndim == a.ndim - 1:
        return np.take_along_axis(a, index[..., None], axis=-1)[..., 0]
    return np.take_along_axis(a, index, axis=-1)


def _denial_value(w: World, s: State) -> np.ndarray:
    """Value to each power of denying its rivals this client (x M), (n, i, k): rivalry-weighted,
    higher in a rival's own region and where the regime is tied to that rival.
    ``denial_weight`` is an absolute amount (US$M per deal), divided by M_i: denying a rival a
    client is not worth more because the client's army is bigger."""
    stake_q = w.power["regional_stake"][:, None, :] + s.tau                # (n, i, q)
    rivals = w.rivalry * (1.0 - np.eye(w.n_p))                             # (k, q), q != k
    usd = w.at("denial_weight", 3) * (stake_q @ rivals.T)
    return usd / w.regime["military_budget"][..., None]


def _expected_repayment(w: World, s: State) -> np.ndarray:
    return bargaining.expected_repayment(
        s.debt.sum(axis=-1), s.growth < 0.0, recession_repayment=w.at("recession_repayment", 2),
        debt_scale=w.at("debt_scale", 2))


def _omnibalance(w, h_now, h_none, h_deal, opt_power, act):
    p = w.view(3)
    return rules.omnibalance_values(h_now, h_none, h_deal, omega=p["omega"],
                                    office_value=p["office_value"], horizon=p["horizon"])


def _balance_of_threat(w, h_now, h_none, h_deal, opt_power, act):
    p = w.view(3)
    return rules.balance_of_threat_values(h_now, h_none, h_deal, office_value=p["office_value"],
                                          horizon=p["horizon"])


def _threat_blind(target_of):
    def values(w, h_now, h_none, h_deal, opt_power, act):
        target = target_of(w)                                              # (n, i)
        return rules.fixed_alignment_values(opt_power == target[..., None],
                                            act == rules.SECURITY,
                                            alignment_value=w.at("alignment_value", 3))
    return values


RULE_VALUES = {
    "omnibalance": _omnibalance,
    "balance_of_threat": _balance_of_threat,
    "balance_of_power": _threat_blind(lambda w: rules.balance_of_power_target(
        w.power["capability"][:, None, :], w.rivalry, w.allowed)),
    # Bandwagoning: align with the threatening power -- here the hegemon, the only power that
    # pressures regimes (Walt 1987, ch. 2; Schweller 1994).
    "bandwagon": _threat_blind(lambda w: np.where(
        w.allowed[None, :, w.hegemon], w.hegemon, -1) * np.ones((w.n, 1), dtype=int)),
}
"""The rule registry: name -> the threat (or alignment) value of every option, (n, i, o)."""


# 5. negotiation and commitment; 6. ties, debt, stakes ---------------------------------------
def _negotiate(w: World, s: State, c: Choice, log) -> None:
    p = w.view(3)
    terms = bargaining.nash_split(c.value_regime, c.value_patron, c.outside_option,
                                  beta=w.at("beta", 3), concession_cap=c.concession_cap)
    cost = c.size * w.regime["military_budget"][..., None]                 # US$M, (n, i, k)
    remaining = w.power["budget"].copy()                                  # (n, k)
    # Each power funds the proposals it accepts, from every regime of the region, in order of
    # net value per US$ of aid, the last one in part: the allocation that maximises its total
    # value (the fractional knapsack). Ties keep regime order.
    want_all = c.proposes & terms.accepted
    value_per_cost = np.divide(terms.patron_payoff, cost, out=np.zeros_like(cost),
                               where=cost > 0)
    key = np.where(want_all, -value_per_cost, np.inf)
    order = np.argsort(key, axis=1, kind="stable")                        # (n, j, k)
    status = np.where(c.proposes, REFUSED_NOT_WORTH, -1)
    funded = np.zeros((w.n, w.n_r, w.n_p))
    rows, cols = np.arange(w.n)[:, None], np.arange(w.n_p)[None, :]
    for j in range(w.n_r):
        i = order[:, j, :]                                                # (n, k)
        want = want_all[rows, i, cols]
        c_ij = cost[rows, i, cols]
        part = np.where(want, np.minimum(1.0, np.divide(
            remaining, c_ij, out=np.ones_like(c_ij), where=c_ij > 0)), 0.0)
        remaining -= part * c_ij
        funded[rows, i, cols] = part
        st = status[rows, i, cols]
        status[rows, i, cols] = np.where(want, np.where(part > 0, ACCEPTED, REFUSED_OVER_BUDGET),
                                         st)
    s.spent = w.power["budget"] - remaining
    deal = status == ACCEPTED                                             # (n, i, k)
    s.acceptance = rules.acceptance_next(s.acceptance, c.proposes, funded,
                                         acceptance_learning=p["acceptance_learning"],
                                         forgetting=p["tie_decay"])
    deal_size = np.where(deal, funded * c.size, 0.0)
    # Terms move aid and credit (ODD 7.5): a discount (transfer < 0) is taken off the credit,
    # cheap arms and easy credit; a further concession (transfer > 0) opens more access, which
    # becomes part of the patron's stake.
    transfer = np.where(deal, funded * terms.transfer, 0.0)
    credit = np.where(deal, np.maximum(0.0, funded * c.credit + np.minimum(transfer, 0.0)), 0.0)
    s.share = np.where(deal, terms.regime_share, s.share)
    s.aid_security = np.where(c.security, deal_size, 0.0)
    s.aid_economic = np.where(c.security, 0.0, deal_size)
    if log is not None:
        log.append(("proposals", c, terms, status, order, funded))

    s.tau = dynamics.tie_next(s.tau, deal_size, tie_decay=p["tie_decay"],
                              tie_gain=p["tie_gain"])
    # A cut tie (to placate the hegemon) is gone at once; the patron's sunk stake and the debt
    # owed to it remain.
    s.tau = np.where(c.cuts, 0.0, s.tau)
    # The power whose tie was cut expects no loyalty: the leader expects refusals from it until
    # that is forgotten (at the rate ties decay), so a cut is not undone the next quarter.
    s.acceptance = np.where(c.cuts, 0.0, s.acceptance)
    s.estranged = np.where(c.cuts, True, s.estranged & ~deal)
    if log is not None and c.cuts.any():
        log.append(("cuts", c.cuts.copy()))
    factor = np.where(s.growth < 0.0, w.at("recession_repayment", 2), 1.0)[..., None]
    s.debt, payment = dynamics.debt_next(s.debt, credit, factor,
                                         repayment_rate=p["repayment_rate"])
    # Equity is the deal's non-credit part; a discount is a gift, not equity.
    equity = np.where(deal, funded * (c.size - c.credit), 0.0) + np.maximum(transfer, 0.0)
    s.stake = dynamics.stake_next(s.stake, equity, stake_depreciation=p["stake_depreciation"])
    s.support = dynamics.security_support_next(s.support, s.aid_security,
                                               security_memory=p["security_memory"])
    protect = protection(w.is_hegemon, s.pressure[..., None], w.at("opposition_backing", 3),
                         _hostility(w, s))
    s.protective_aid = (s.aid_security * protect).sum(axis=-1)
    # Investment adds growth; debt service takes it away at the same rate (ODD 7.3).
    s.growth = s.growth + w.at("investment_growth", 2) * (s.aid_economic.sum(axis=-1)
                                                         - payment.sum(axis=-1))


# 7. classification -------------------------------------------------------------------------
def _classify(w: World, s: State, log) -> None:
    p = w.view(3)
    new = dynamics.classify(s.tau, dynamics.dependence(s.support), s.share, s.support,
                            pc_tie=p["pc_tie"], partnership_tie=p["partnership_tie"],
                            pc_dependence=p["pc_dependence"], pc_share=p["pc_share"],
                            pc_support_min=p["pc_support_min"]).astype(np.int8)
    if log is not None:
        log.append(("classes", s.klass.copy(), new))
    s.klass = new
    pc = new == dynamics.PATRON_CLIENT
    s.pc_ever |= pc
    any_pc = pc.any(axis=-1)
    starts = (s.first_pc_step < 0) & any_pc
    if starts.any():
        patron = np.argmax(np.where(pc, s.tau, -np.inf), axis=-1)
        s.first_pc_step = np.where(starts, s.t, s.first_pc_step)
        s.first_pc_patron = np.where(starts, patron, s.first_pc_patron)
    held = (s.first_pc_step >= 0) & ~starts & (s.first_pc_end < 0)
    if held.any():
        still = _pick(pc, np.maximum(s.first_pc_patron, 0))
        s.first_pc_end = np.where(held & ~still, s.t, s.first_pc_end)


def _note(log, kind, i, event, **data) -> None:
    if log is not None:
        log.append((kind, i, event, data))


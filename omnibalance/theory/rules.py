"""The four alignment rules (MODEL.md section 3, step 4).

Each rule values a regime's acts with each great power -- a security deal, an economic deal,
or a cut of its tie -- against doing nothing (value 0). Values are in annual military budgets
of the regime (x M). The regime then chooses its portfolio: with each power the act of highest
expected value, if positive (:func:`portfolio`). Proposals come from regimes; patrons only
answer (Valley: the Latin American leaders moved first).

* ``omnibalance`` (David 1991): the predicted fall in the hazard of losing office, counting
  internal *and* external threat -- the primary threat weighted 1, the secondary ``omega`` --
  times the value of office.
* ``balance_of_threat`` (Walt 1987): the same with internal threat weighted 0.
* ``balance_of_power`` (Waltz 1979): threat-blind; a fixed value for a security deal with the
  strongest rival of the strongest power.
* ``bandwagon``: threat-blind; a fixed value for a security deal with the threatening power
  (the hegemon).

Every rule also counts the direct economic value of investment and subtracts the concession
cost, which is higher for accountable leaders and ideologically distant patrons.
"""

from __future__ import annotations

import numpy as np

from .threat import combine_hazards, survival

HOLD = -1
"""The index :func:`choose` returns when no option beats holding."""


def threat_weights(h_in, h_ex, *, omega, internal_weight=1.0):
    """Weights (w_in, w_ex) a leader puts on the two threats (David 1991).

    The primary threat -- the larger hazard component after scaling the internal one by
    ``internal_weight`` -- weighs 1, the secondary ``omega``. With ``internal_weight = 0`` the
    external threat is always primary and the internal one weighs 0: balance of threat.
    """
    in_primary = internal_weight * np.asarray(h_in) > np.asarray(h_ex)
    w_in = np.where(in_primary, 1.0, omega) * internal_weight
    w_ex = np.where(in_primary, omega, 1.0)
    return w_in, w_ex


def protection_value(h_none, h_deal, weights, *, office_value, horizon):
    """Value of the fall in weighted hazard a deal brings: office value x survival gain.

    ``h_none`` and ``h_deal`` are (h_in, h_ex) pairs of predicted hazard components next quarter
    without and with the deal; survival is counted over the planning ``horizon``.
    """
    w_in, w_ex = weights
    s_none = survival(combine_hazards(h_none[0], h_none[1], w_in, w_ex), horizon)
    s_deal = survival(combine_hazards(h_deal[0], h_deal[1], w_in, w_ex), horizon)
    return office_value * (s_deal - s_none)


def concession_cost(autocracy, ideological_distance, *, concession_accountability,
                    concession_ideology):
    """Cost to the leader of the concessions a deal asks (x M).

    Accountable leaders pay for concessions at the polls and in the press; aligning with an
    ideologically distant patron costs support at home (MODEL.md 3.4).
    """
    return (concession_accountability * (1.0 - autocracy)
            + concession_ideology * ideological_distance)


def omnibalance_values(h_now, h_none, h_deal, *, omega, office_value, horizon,
                       internal_weight=1.0):
    """Threat value of each option under David's omnibalancing.

    ``h_now`` is the (h_in, h_ex) pair at the current state; it decides which threat is primary.
    """
    weights = threat_weights(h_now[0], h_now[1], omega=omega, internal_weight=internal_weight)
    return protection_value(h_none, h_deal, weights, office_value=office_value, horizon=horizon)


def balance_of_threat_values(h_now, h_none, h_deal, *, office_value, horizon, **_):
    """Threat value under Walt's balance of threat: external threat only."""
    weights = (np.zeros_like(np.asarray(h_now[0], dtype=float)),
               np.ones_like(np.asarray(h_now[1], dtype=float)))
    return protection_value(h_none, h_deal, weights, office_value=office_value, horizon=horizon)


def strongest(capability, available=None):
    """Index of the strongest power (largest capability) among those ``available``.

    Powers lie on the last axis; leading axes (runs, regimes) give one index each.
    """
    cap = np.asarray(capability, dtype=float)
    if available is not None:
        cap = np.where(available, cap, -np.inf)
    best = np.argmax(cap, axis=-1)
    return int(best) if best.ndim == 0 else best


def balance_of_power_target(capability, rivalry, available):
    """The strongest rival of the strongest power (Waltz 1979), among ``available`` powers.

    ``rivalry[p, q]`` in [0, 1]; a rival is any q with positive rivalry with the strongest power.
    Returns -1 if no rival is available. Powers lie on the last axis of ``capability`` and
    ``available``, whose leading axes broadcast (e.g. runs x 1 x powers against regimes x
    powers).
    """
    cap = np.asarray(capability, dtype=float)
    top = np.argmax(cap, axis=-1)
    rivals = ((np.asarray(rivalry)[top] > 0) & (np.arange(cap.shape[-1]) != top[..., None])
              & np.asarray(available, dtype=bool))
    target = np.where(rivals.any(axis=-1),
                      np.argmax(np.where(rivals, cap, -np.inf), axis=-1), -1)
    return int(target) if target.ndim == 0 else target


def fixed_alignment_values(is_target, is_security, *, alignment_value):
    """Threat-blind value: ``alignment_value`` for a security deal with the rule's target."""
    return alignment_value * (np.asarray(is_target) & np.asarray(is_security))


SECURITY, ECONOMIC, CUT = 0, 1, 2
"""The three things a regime can do with each power in a quarter (besides nothing): propose a
security deal, propose an economic deal, or cut its tie to it (appeasing the hegemon)."""


def expected_value(value, acceptance, *, refusal_cost):
    """What a proposal is worth before the answer: the value of the deal if accepted, times
    the leader's expected acceptance, less the face a public refusal costs (x M)."""
    return acceptance * value - (1.0 - acceptance) * refusal_cost


def lasting_cost(cost, tie_change, *, concession_upkeep, horizon):
    """The domestic cost, over the planning horizon, of a change in the tie to a patron.

    Concessions do not end with the deal: while a tie lasts the leader keeps paying a share
    ``concession_upkeep`` of its concession cost each quarter (votes given, access granted,
    the patron's presence). A new leader inherits the tie and pays at *his* cost, so a
    pro-US successor pays more for a Russian tie than the leader who made it.
    """
    return horizon * concession_upkeep * cost * tie_change


def portfolio(values, allowed):
    """What the regime does with each power: the best of its three acts, if it beats doing
    nothing (0), else HOLD.

    ``values`` (..., powers, 3): expected value of a security deal, an economic deal and a cut
    with each power; ``allowed`` broadcasts to it. A regime may deal with several powers in
    one quarter (hedging) and cut some ties while renewing others (David 1991: align against
    the primary threat, appease the secondary).
    """
    v = np.where(allowed, values, -np.inf)
    best = np.argmax(v, axis=-1)
    beats = np.take_along_axis(v, best[..., None], axis=-1)[..., 0] > 0.0
    return np.where(beats, best, HOLD)


def acceptance_next(acceptance, asked, funded, *, acceptance_learning, forgetting):
    """The leader's expected acceptance by each power after this quarter's answers.

    A proposal's answer (the share of it funded: 1 accepted, 0 refused) moves the expectation a
    share ``acceptance_learning`` of the way; without a proposal, past refusals are forgotten
    at rate ``forgetting`` (the expectation drifts back to 1: leaders move first).
    """
    learned = acceptance + acceptance_learning * (funded - acceptance)
    forgotten = 1.0 - (1.0 - acceptance) * (1.0 - forgetting)
    return np.where(asked, learned, forgotten)


def choose(values, allowed):
    """The index of the best allowed option if it beats holding (value 0), else HOLD.

    Options lie on the last axis; leading axes give one choice each.
    """
    v = np.where(allowed, values, -np.inf)
    best = np.argmax(v, axis=-1)
    beats = np.take_along_axis(v, best[..., None], axis=-1)[..., 0] > 0.0
    out = np.where(beats, best, HOLD)
    return int(out) if out.ndim == 0 else out


def outside_option(values, allowed, option_power, chosen):
    """The regime's best alternative to its chosen deal: the best deal with another power.

    Generalised Nash bargaining needs the disagreement point; a regime with no alternative
    concedes more (MODEL.md 3.5). Never below holding (0). Options lie on the last axis;
    ``chosen`` has the leading shape.
    """
    option_power = np.asarray(option_power)
    chosen = np.asarray(chosen)
    other = np.asarray(allowed) & (option_power != option_power[chosen][..., None])
    best = np.max(np.where(other, values, -np.inf), axis=-1)
    out = np.maximum(0.0, best)
    return float(out) if out.ndim == 0 else out

"""The patron's valuation and the generalised Nash split (MODEL.md section 3, step 5).

A patron values a regime's proposal by what it gains -- the assets and support opened to it,
the value of denying a rival, the debt it will hold at its expected repayment rate, and, with
weight ``sunk_weight``, the stake it protects by lowering the regime's hazard -- minus the
cost of the aid and the risk of losing this deal's aid and assets if the regime falls.
Terms split the joint surplus by a generalised Nash bargain (Nash 1950) with the regime's
bargaining power ``beta`` < 0.5 and outside options (the regime's best alternative deal, the
patron's zero). All values are in the regime's annual military budgets (x M); the denial value,
declared in US$M, arrives divided by the regime's budget M_i (``engine.quarter._denial_value``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


def expected_repayment(debt_ratio, in_recession, *, recession_repayment, debt_scale):
    """Share of new credit the patron expects back: lower in recession and with more debt."""
    factor = np.where(in_recession, recession_repayment, 1.0)
    return factor / (1.0 + debt_ratio / debt_scale)


def patron_value(*, asset_value, denial_value, credit, repayment_share, sunk_weight, stake,
                 survival_gain, size, fall_probability):
    """Net value of a proposal to the patron before any transfer (x M).

    ``survival_gain`` is the rise in the regime's probability of surviving the horizon that the
    deal brings; ``stake`` the patron's sunk investment plus the debt owed to it, which it loses
    (in part) if the regime falls; ``fall_probability`` the chance the regime falls over the
    horizon even with the deal, taking this deal's aid and assets with it.
    """
    gains = asset_value + denial_value + credit * repayment_share
    protected = sunk_weight * stake * survival_gain
    risk = fall_probability * (size + asset_value)
    return gains + protected - size - risk


class Terms(NamedTuple):
    """Outcome of a bargain. ``transfer`` > 0: the regime concedes more (extra access, votes);
    < 0: the patron discounts (cheap arms, easy credit)."""

    accepted: bool
    transfer: float
    regime_payoff: float
    patron_payoff: float
    regime_share: float


def nash_split(v_regime, v_patron, d_regime, *, beta, concession_cap):
    """Generalised Nash bargaining with transferable value.

    Maximises (U_r - d_r)^beta (U_p - 0)^(1 - beta) with U_r = v_r - t, U_p = v_p + t: the
    regime receives its outside option plus a share ``beta`` of the surplus
    S = v_r + v_p - d_r. The regime cannot concede more than ``concession_cap``; if the patron
    would then still lose, it refuses. The regime's share is U_r / (U_r + U_p).

    Works on scalars (returns floats) and on arrays of bargains (returns arrays); a refused
    bargain has every field 0.
    """
    v_r, v_p, d_r = np.asarray(v_regime, float), np.asarray(v_patron, float), \
        np.asarray(d_regime, float)
    surplus = v_r + v_p - d_r
    transfer = v_r - d_r - beta * surplus
    capped = transfer > concession_cap
    transfer = np.where(capped, concession_cap, transfer)
    accepted = (surplus > 0.0) & ~(capped & (v_p + transfer < 0.0))
    u_r = np.where(accepted, v_r - transfer, 0.0)
    u_p = np.where(accepted, v_p + transfer, 0.0)
    total = u_r + u_p
    share = np.clip(np.divide(u_r, total, out=np.zeros_like(total), where=total > 0), 0.0, 1.0)
    transfer = np.where(accepted, transfer, 0.0)
    if accepted.ndim == 0:
        return Terms(bool(accepted), float(transfer), float(u_r), float(u_p), float(share))
    return Terms(accepted, transfer, u_r, u_p, share)

"""Ties, debt, sunk stakes and the classification of pairs (MODEL.md section 3, steps 6-7)."""

from __future__ import annotations

import numpy as np

from ._util import clip01

NONE, PARTNERSHIP, PATRON_CLIENT = 0, 1, 2
CLASS_NAMES = ("none", "partnership", "patron_client")


def tie_next(tau, deal_size, *, tie_decay, tie_gain):
    """Every tie decays each quarter; a deal adds in proportion to its size (x M) toward 1."""
    decayed = tau * (1.0 - tie_decay)
    return clip01(decayed + np.minimum(1.0, tie_gain * deal_size) * (1.0 - decayed))


def debt_next(debt, credit, repayment_factor, *, repayment_rate):
    """Debt accrues from credit and is serviced from the economy.

    Returns (new debt, payment). ``repayment_factor`` is 1 in normal times and lower in
    recession: an unpaid share rolls over, as in Russia's restructuring of Venezuelan debt.
    """
    payment = repayment_rate * repayment_factor * debt
    return np.maximum(0.0, debt + credit - payment), payment


def stake_next(stake, equity, *, stake_depreciation):
    """A patron's sunk stake accrues from equity investment and installations, and depreciates."""
    return np.maximum(0.0, stake * (1.0 - stake_depreciation) + equity)


def security_support_next(support, aid, *, security_memory):
    """Discounted sum of security aid received from each patron (x M)."""
    return support * security_memory + aid


def dependence(support):
    """Share of a client's discounted security support that comes from each patron (last axis)."""
    support = np.asarray(support, dtype=float)
    total = support.sum(axis=-1, keepdims=True)
    return np.divide(support, total, out=np.zeros_like(support), where=total > 0)


def classify(tau, dependence_share, bargaining_share, support=np.inf, *, pc_tie,
             partnership_tie, pc_dependence, pc_share, pc_support_min=0.0):
    """Classify each regime-power pair from ties and dependence only (debt stays an outcome).

    ``patron_client``: a strong tie, most security support from this patron -- and at least
    ``pc_support_min`` of it in absolute terms, so that one small deal with nobody else
    supplying is not dependence -- and a low bargaining share; ``partnership``: a moderate tie
    without that dependence; ``none``.
    """
    tau = np.asarray(tau)
    pc = ((tau >= pc_tie) & (np.asarray(dependence_share) >= pc_dependence)
          & (np.asarray(support) >= pc_support_min)
          & (np.asarray(bargaining_share) <= pc_share))
    partner = tau >= partnership_tie
    return np.where(pc, PATRON_CLIENT, np.where(partner, PARTNERSHIP, NONE))

"""How far a point's statistics are from the cases: the shortfall against the criteria.

The "observed data" of ABC here are not numbers the model should reproduce but the criteria of
:mod:`omnibalance.validation.patterns`: each says a statistic must be at or beyond a threshold.
The shortfall of criterion c at a point is how far its estimate falls on the wrong side of its
threshold, 0 when it meets it:

* proportions, differences and means: ``max(0, threshold - estimate)`` (``>=``, ``>``) or
  ``max(0, estimate - threshold)`` (``<=``), in the statistic's own units (0-1);
* ratios: the same on a log scale, relative to the threshold, ``1 - log(est) / log(t)``
  clipped to [0, 1] (a ratio of 1, no effect, is a full shortfall);
* a statistic with no estimate (no runs qualified, e.g. no 2012 tie to survive) falls short
  by 1, the most any criterion can.

The spec's ``distance.kind`` says which value is compared: ``shortfall`` the estimate,
``interval`` the bound of its 95% interval that decides the criterion (so 0 means every
criterion passes as ``omnibalance validate`` decides it; with few replications that may be out
of reach, and the tolerance then shrinks towards the least shortfall the model can reach).

The distance is the p-norm of the shortfalls (``p`` in the spec: 1, 2 or ``inf``); it is 0
exactly where every estimate meets its criterion.
"""

from __future__ import annotations

import math

from ..validation.patterns import CRITERIA_BY_ID
from .criteria_model import HIGH, LOW, STAT

DISTANCES = ("shortfall", "interval")
"""``shortfall``: of the estimates; ``interval``: of the 95% interval's deciding bound (the
lower bound for ``>=`` and ``>``, the upper for ``<=``), so a distance of 0 means every
criterion *passes* as ``omnibalance validate`` decides it."""


def shortfall(cid: str, estimate: float) -> float:
    """Criterion ``cid``'s shortfall at ``estimate`` (0: met; at most 1)."""
    c = CRITERIA_BY_ID[cid]
    if estimate is None or math.isnan(estimate):
        return 1.0
    t = c.threshold
    if c.kind == "ratio" and t > 1:
        if estimate <= 0:
            return 1.0
        if math.isinf(estimate):
            return 0.0
        gap = 1.0 - math.log(estimate) / math.log(t)
    elif c.op == "<=":
        gap = estimate - t
    else:
        gap = t - estimate
    return min(1.0, max(0.0, gap))


class ShortfallDistance:
    """``distance(x, x_0)``: the p-norm of the criteria's shortfalls in ``x`` (``x_0``, the
    thresholds, only documents what was aimed at)."""

    def __init__(self, criteria: tuple[str, ...], p: float = 2.0, kind: str = "shortfall"):
        self.criteria, self.p, self.kind = tuple(criteria), float(p), kind

    def _value(self, x: dict, cid: str) -> float:
        if self.kind == "shortfall":
            return x[STAT + cid]
        return x[(HIGH if CRITERIA_BY_ID[cid].op == "<=" else LOW) + cid]

    def __call__(self, x: dict, x_0: dict | None = None) -> float:
        gaps = [shortfall(c, self._value(x, c)) for c in self.criteria]
        if math.isinf(self.p):
            return max(gaps, default=0.0)
        return sum(g ** self.p for g in gaps) ** (1.0 / self.p)


def target(criteria: tuple[str, ...]) -> dict[str, float]:
    """The thresholds, as pyabc's observed summary statistics."""
    return {STAT + c: float(CRITERIA_BY_ID[c].threshold) for c in criteria}

"""95% intervals for the pattern measures.

* A proportion: the Wilson score interval (Wilson 1927), which keeps its coverage near 0 and 1,
  where many patterns sit.
* A difference of two independent proportions: Newcombe's hybrid score interval (Newcombe
  1998, method 10), built from the two Wilson intervals.
* A ratio of two independent proportions: the MOVER-R interval with Wilson limits (Donner &
  Zou 2012; Fagerland, Lydersen & Laake 2015), the ratio analogue of Newcombe's method.
* A mean of per-run shares: a percentile bootstrap over runs with a seeded generator.

References: Wilson, E. B. (1927) JASA 22:209-212, doi:10.1080/01621459.1927.10502953.
Newcombe, R. G. (1998) Stat. Med. 17:873-890,
doi:10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I.
Donner, A. & Zou, G. Y. (2012) Stat. Methods Med. Res. 21:347-359, doi:10.1177/0962280210383082.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import NamedTuple

import numpy as np

from ..sweep.stats import wilson_interval

Z95 = 1.959963984540054
"""The 97.5% quantile of the standard normal: two-sided 95% intervals."""


class Interval(NamedTuple):
    estimate: float
    low: float
    high: float


def wilson(k: int, n: int, z: float = Z95) -> Interval:
    """Wilson score interval for ``k`` successes in ``n`` trials (nan if ``n`` is 0); the one
    implementation is :func:`omnibalance.sweep.stats.wilson_interval`."""
    if n <= 0:
        return Interval(math.nan, math.nan, math.nan)
    low, high = wilson_interval(k, n, confidence=2.0 * NormalDist().cdf(z) - 1.0)
    return Interval(k / n, float(low), float(high))


def newcombe_difference(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> Interval:
    """Newcombe's hybrid score interval for p1 - p2 (method 10 of Newcombe 1998)."""
    if n1 <= 0 or n2 <= 0:
        return Interval(math.nan, math.nan, math.nan)
    p1, l1, u1 = wilson(k1, n1, z)
    p2, l2, u2 = wilson(k2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Interval(d, max(-1.0, low), min(1.0, high))


def mover_ratio(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> Interval:
    """MOVER-R Wilson interval for the ratio p1 / p2 of two independent proportions.

    The estimate is inf when ``k2`` is 0 and ``k1`` is not; the upper limit is inf whenever the
    lower Wilson limit of p2 is 0.
    """
    if n1 <= 0 or n2 <= 0:
        return Interval(math.nan, math.nan, math.nan)
    p1, l1, u1 = wilson(k1, n1, z)
    p2, l2, u2 = wilson(k2, n2, z)
    est = p1 / p2 if p2 > 0 else (math.inf if p1 > 0 else math.nan)
    a = p1 * p2
    den_low = u2 * (2 * p2 - u2)
    rad_low = a * a - l1 * u2 * (2 * p1 - l1) * (2 * p2 - u2)
    low = (a - math.sqrt(max(0.0, rad_low))) / den_low if den_low != 0 else 0.0
    den_high = l2 * (2 * p2 - l2)
    rad_high = a * a - u1 * l2 * (2 * p1 - u1) * (2 * p2 - l2)
    high = (a + math.sqrt(max(0.0, rad_high))) / den_high if den_high > 0 else math.inf
    return Interval(est, max(0.0, low), high)


def bootstrap_mean(values, *, seed: int = 0, resamples: int = 2000,
                   level: float = 0.95) -> Interval:
    """Percentile bootstrap interval for the mean of independent per-run values."""
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return Interval(math.nan, math.nan, math.nan)
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, x.size, size=(resamples, x.size))].mean(axis=1)
    a = (1 - level) / 2
    return Interval(float(x.mean()), float(np.quantile(means, a)),
                    float(np.quantile(means, 1 - a)))

"""Binomial proportions with Wilson score intervals.

The Wilson interval (Wilson 1927, doi:10.1080/01621459.1927.10502953) keeps its coverage near
the nominal level for small samples and proportions near 0 or 1, where the plain
"p +- z * se" interval collapses to a point; a phase diagram has many such cells.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm


def wilson_interval(k, n, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper Wilson score bounds for ``k`` successes in ``n`` trials (arrays or
    numbers). Cells with ``n == 0`` get NaN.

    With ``z`` the normal quantile and ``p = k / n``::

        centre = (p + z^2 / 2n) / (1 + z^2 / n)
        half   = z * sqrt(p (1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n)
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        lo = np.clip(centre - half, 0.0, 1.0)
        hi = np.clip(centre + half, 0.0, 1.0)
    # At k = 0 (k = n) the bound is exactly 0 (1); remove rounding noise.
    lo = np.where(k == 0, 0.0, lo)
    hi = np.where(k == n, 1.0, hi)
    empty = n <= 0
    return np.where(empty, np.nan, lo), np.where(empty, np.nan, hi)

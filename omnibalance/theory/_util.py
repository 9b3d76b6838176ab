"""Small numeric helpers shared by the theory modules."""

from __future__ import annotations

import numpy as np


def clip01(x):
    """Clip to [0, 1]; returns a float for scalar input, an array for array input."""
    out = np.clip(x, 0.0, 1.0)
    return float(out) if np.ndim(out) == 0 else out

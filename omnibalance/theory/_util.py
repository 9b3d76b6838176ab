"""Small numeric helpers shared by the theory modules."""

from __future__ import annotations

import numpy as np


def clip01(x):
    """Clip to [0, 1]; returns a float for scalar input, an array for array input."""
    out = np.clip(x, 0.0, 1.0)
    return float(out) if np.ndim(out) == 0 else out


def power(x, exponent):
    """``x ** exponent``. A whole-number exponent shared by every element (hazard exponent 3, a
    horizon of 8 quarters) is computed by repeated squaring, much faster than ``np.power``."""
    if isinstance(exponent, float | int) and float(exponent).is_integer() and \
            0 < exponent <= 64:
        e = int(exponent)
        result, base = None, np.asarray(x, dtype=float)
        while e:
            if e & 1:
                result = base if result is None else result * base
            e >>= 1
            if e:
                base = base * base
        return float(result) if np.ndim(result) == 0 else result
    return np.power(x, exponent)

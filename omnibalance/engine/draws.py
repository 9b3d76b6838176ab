"""Every random number of a run, drawn up front in one block (ODD section 7, "Stochasticity").

A run owns one generator, ``numpy.random.default_rng(seed)`` -- in a sweep the seed is
``SeedSequence(spec_seed, spawn_key=(point, replication))``. Its first and only call is
``rng.random((steps, regimes, 8))``: for each quarter and regime, eight uniforms in a fixed
order (:data:`COLUMNS`). Nothing else draws. Therefore:

* a run's outcome does not depend on the batch it runs in, on the number of workers, on the
  executor, or on whether it ran alone through the Mesa face;
* the same seed gives the same shocks under every rule and at every design point (common
  random numbers): rule-vs-rule and point-vs-point differences are not seed noise;
* a draw is used whether or not its event happens (a successor's ideology is drawn every
  quarter and read only if the leader falls), so one run's history cannot shift another
  stream.

Normal deviates come from pairs of uniforms by the Box-Muller transform, in plain numpy, so the
same code runs on any array library.
"""

from __future__ import annotations

import numpy as np

COLUMNS = ("normal_a1", "normal_a2", "normal_b1", "normal_b2", "removal", "election",
           "event_successor_mandate", "removal_successor_mandate")
"""The eight uniforms of each (quarter, regime). Pair a gives the growth shock (cosine branch)
and the ideology of a successor installed by an event (sine branch); pair b the ideology of a
successor after a removal (cosine branch; its sine branch is unused)."""
WIDTH = len(COLUMNS)


def uniforms(seeds, steps: int, regimes: int) -> np.ndarray:
    """The uniform block of each run, shape (runs, steps, regimes, 8).

    ``seeds``: one seed per run (int, ``SeedSequence`` or ``Generator``).
    """
    out = np.empty((len(seeds), steps, regimes, WIDTH))
    for j, seed in enumerate(seeds):
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        rng.random((steps, regimes, WIDTH), out=out[j])
    return out


class Draws:
    """One quarter's random numbers by purpose, each of shape (runs, regimes)."""

    def __init__(self, u: np.ndarray):
        radius_a = np.sqrt(-2.0 * np.log1p(-u[..., 0]))
        radius_b = np.sqrt(-2.0 * np.log1p(-u[..., 2]))
        angle_a, angle_b = 2.0 * np.pi * u[..., 1], 2.0 * np.pi * u[..., 3]
        self.growth = radius_a * np.cos(angle_a)
        """Standard normal growth shock."""
        self.event_successor_ideology = radius_a * np.sin(angle_a)
        """Standard normal for the ideology of a successor an election or event installs."""
        self.removal_successor_ideology = radius_b * np.cos(angle_b)
        """Standard normal for the ideology of a successor after a removal."""
        self.removal = u[..., 4]
        """Uniform: the leader is removed if it falls below the quarter's hazard."""
        self.election = u[..., 5]
        """Uniform: the incumbent loses an endogenous election if it falls below the loss
        probability."""
        self.event_successor_mandate = u[..., 6]
        self.removal_successor_mandate = u[..., 7]

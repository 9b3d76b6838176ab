"""A simulator with a known posterior, to check the ABC machinery against the truth.

``k`` successes in ``n`` trials of rate ``p``: under a uniform prior on ``p`` (Beta(1, 1)), the
posterior given ``k`` is Beta(1 + k, 1 + n - k). With a tolerance of 0 on ``|k_sim - k|``,
ABC's acceptance is exact and its posterior is that Beta, so a sound sampler must reproduce
it (tests/test_inference.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Binomial:
    n: int = 20

    def __call__(self, point) -> dict[str, float]:
        # the candidate's generator: numpy's global one, seeded per candidate by the sampler
        return {"k": float(np.random.binomial(self.n, float(point["p"])))}


def distance(x: dict, x_0: dict) -> float:
    return abs(x["k"] - x_0["k"])

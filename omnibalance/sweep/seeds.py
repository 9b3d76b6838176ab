"""Seeds: every run's random generator is keyed by the spec's seed and the run's place.

Run ``(point, replication)`` of a sweep with seed ``s`` draws everything from
``numpy.random.SeedSequence(s, spawn_key=(point, replication))``. The key names the run, not
its turn, so results never depend on the order runs happen in, on the number of workers or on
how runs are chunked; rerunning one run needs only the three numbers stored in its row. The
same key is used under every rule a spec compares (common random numbers: the rules face the
same shocks). Design samplers draw from a key of length one, which no run can share.
"""

from __future__ import annotations

import numpy as np

DESIGN_KEY = 0xD51


def run_seed(entropy: int, point: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of one run."""
    return np.random.SeedSequence(entropy, spawn_key=(point, replication))


def spawn_key_text(point: int, replication: int) -> str:
    """How a run's spawn key is written in the results ("point,replication")."""
    return f"{point},{replication}"


def design_seed(entropy: int) -> int:
    """The integer seed handed to a SALib sampler for a spec with seed ``entropy``."""
    state = np.random.SeedSequence(entropy, spawn_key=(DESIGN_KEY,)).generate_state(1)
    return int(state[0])

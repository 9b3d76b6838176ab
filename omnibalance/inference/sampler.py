"""A pyabc sampler whose populations do not depend on where, or in how many pieces, they ran.

pyabc's parallel samplers reseed every worker from the operating system and accept whichever
particles finish first, so two runs of the same analysis differ. Here candidate ``i`` of
generation ``t`` always draws from ``SeedSequence(seed, spawn_key=(t, i))`` and the accepted
population is the first ``n`` accepted candidates *by index*, as a sequential sampler would
take them. Candidates are evaluated in tasks of ``batch`` consecutive indices on any
:class:`omnibalance.sweep.executors.Executor` (in this process, a local pool, Dask); how many
candidates are evaluated beyond the ``n``-th acceptance only costs time, never changes the
result, and is not counted as a simulation.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import cloudpickle
import numpy as np
from pyabc.sampler import Sampler

MAX_CANDIDATES = 2**31
"""Candidate indices of one generation (the spawn key's range; never reached in practice)."""


def candidate_seed(seed: int, t: int, i: int) -> int:
    """The legacy-numpy seed of candidate ``i`` of generation ``t`` (pyabc draws proposals
    from numpy's global generator)."""
    ss = np.random.SeedSequence(seed, spawn_key=(t + 1, i))  # t = -1: the calibration sample
    return int(ss.generate_state(1, np.uint32)[0])


def evaluate(task) -> tuple[int, list]:
    """Run candidates ``start..stop-1`` of one generation (in a worker): each reseeds numpy's
    global generator, then pyabc's ``simulate_one`` proposes, simulates and accepts or
    rejects."""
    blob, seed, t, start, stop = task
    simulate_one = cloudpickle.loads(blob)
    out = []
    for i in range(start, stop):
        s = candidate_seed(seed, t, i)
        np.random.seed(s)
        random.seed(s)
        out.append(simulate_one())
    return start, out


class OrderedSampler(Sampler):
    """Sample until ``n`` accepted, in candidate order, on an executor.

    ``executor_factory`` makes the executor once, on first use; ``budget_left`` (set by
    :mod:`.smc`) says how many candidate evaluations the simulation budget still allows: a
    generation that would exceed it stops early and is not kept (``sample.ok`` is False).
    """

    def __init__(self, executor_factory: Callable, seed: int, batch: int = 8):
        super().__init__()
        self.executor_factory = executor_factory
        self.seed = int(seed)
        self.batch = int(batch)
        self.budget_left: Callable[[], float] = lambda: math.inf
        self.computed = 0
        """Candidates evaluated in all, counted or not (the extra cost of running ahead)."""
        self._executor = None
        self._rate = 1.0

    @property
    def executor(self):
        if self._executor is None:
            self._executor = self.executor_factory()
        return self._executor

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf,
                                all_accepted=False, ana_vars=None):
        blob = cloudpickle.dumps(simulate_one)
        limit = min(float(max_eval), float(self.budget_left()))
        sample = self._create_empty_sample()
        done: dict[int, object] = {}
        taken, accepted, nxt = 0, 0, 0
        while accepted < n and taken < limit:
            need = n - accepted
            rate = 1.0 if all_accepted else max(self._rate, 1e-3)
            size = max(self.batch, math.ceil(need / rate * 1.1))
            size = int(min(size, limit - nxt if math.isfinite(limit) else size,
                           MAX_CANDIDATES - nxt))
            if size <= 0:
                break
            size = self.batch * math.ceil(size / self.batch)
            tasks = [(blob, self.seed, t, a, min(a + self.batch, nxt + size))
                     for a in range(nxt, nxt + size, self.batch)]
            for start, particles in self.executor.map_unordered(evaluate, tasks):
                for k, p in enumerate(particles):
                    done[start + k] = p
            self.computed += size
            nxt += size
            # take candidates in index order up to the n-th acceptance
            while taken in done and accepted < n and taken < limit:
                p = done.pop(taken)
                sample.append(p)
                taken += 1
                accepted += bool(p.accepted)
            self._rate = max(accepted, 1) / max(taken, 1)
        self.nr_evaluations_ = taken
        if accepted < n:
            sample.ok = False
        return sample

    def stop(self) -> None:
        """Keep the executor for the next generation; :meth:`close` releases it."""

    def close(self) -> None:
        if self._executor is not None:
            self._executor.close()
            self._executor = None

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


class _ProposedError(Exception):
    """Raised by a batchable model while its call is being recorded (never escapes)."""


_recording: list | None = None
_replaying: list | None = None


def batched(model, call):
    """Called by a model that can run many points at once (it has ``batch(calls)``): while a
    task records, note the call and stop this candidate; while it replays, return the
    candidate's statistics; otherwise return None (the model runs the call itself)."""
    if _recording is not None:
        _recording.append((model, call))
        raise _ProposedError
    if _replaying is not None:
        return _replaying.pop(0)
    return None


def evaluate(task) -> tuple[int, list]:
    """Run candidates ``start..stop-1`` of one generation (in a worker).

    Each candidate reseeds numpy's global generator, then pyabc's ``simulate_one`` proposes,
    simulates and accepts or rejects. A model with a ``batch`` method is run once for all the
    task's candidates: a first pass records every candidate's proposal (and stops it there), the
    model runs them in one batch, and a second pass, reseeded the same way, makes the same
    proposals again and gets each one's statistics back in order.
    """
    global _recording, _replaying
    blob, seed, t, start, stop = task
    simulate_one = cloudpickle.loads(blob)

    def reseed(i: int) -> None:
        s = candidate_seed(seed, t, i)
        np.random.seed(s)
        random.seed(s)

    calls: list = []
    done: list = []
    _recording = calls
    try:
        for i in range(start, stop):
            reseed(i)
            try:
                done.append(simulate_one())  # a model without ``batch`` ran in full
            except _ProposedError:
                done.append(None)
    finally:
        _recording = None
    groups: dict[int, tuple] = {}
    for k, (model, call) in enumerate(calls):
        groups.setdefault(id(model), (model, []))[1].append((k, call))
    stats: list = [None] * len(calls)
    for model, items in groups.values():
        for (k, _), x in zip(items, model.batch([c for _, c in items]), strict=True):
            stats[k] = x
    _replaying = stats
    try:
        for i in range(start, stop):
            if done[i - start] is None:
                reseed(i)
                done[i - start] = simulate_one()
    finally:
        _replaying = None
    return start, done


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
            size = self.batch * math.ceil(max(self.batch, need / rate) / self.batch)
            if math.isfinite(limit):  # never compute past the budget
                size = min(size, int(limit) - nxt)
            size = min(size, MAX_CANDIDATES - nxt)
            if size <= 0:
                break
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

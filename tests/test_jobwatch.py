"""The watch over batch worker jobs, on a fake cluster: it waits for every job's worker before
a sweep sends chunks (a short sweep otherwise ends on the first worker alone), with a bounded
grace for jobs still queued, and stops when a job ends before its worker connects.
The real SLURM runs of tests/test_cluster.py exercise the same code end to end."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from omnibalance.sweep import jobqueue


class FakeCluster:
    """Two worker jobs whose Dask workers connect at given times (None: never)."""

    scheduler_address = "tcp://127.0.0.1:1"

    def __init__(self, connect_after: dict[str, float | None], states: dict[str, str]):
        self.t0 = time.monotonic()
        self.connect_after = connect_after
        self.worker_spec = {name: {} for name in connect_after}
        self.workers = {name: SimpleNamespace(job_id=str(i + 1))
                        for i, name in enumerate(connect_after)}
        self.states = states

    def scheduler_info(self):
        now = time.monotonic() - self.t0
        return {"workers": {f"w{name}": {"name": name}
                            for name, after in self.connect_after.items()
                            if after is not None and now >= after}}


def watch(monkeypatch, connect_after, states=None):
    cluster = FakeCluster(connect_after, states or {"1": "RUNNING", "2": "RUNNING"})
    monkeypatch.setattr(jobqueue, "squeue_states", lambda ids: dict(cluster.states))
    said = []
    w = jobqueue.JobWatch(cluster, cluster, len(connect_after), None, every=0.05,
                          say=said.append)
    return w, said


def test_waits_for_the_second_worker_before_any_chunk(monkeypatch):
    w, said = watch(monkeypatch, {"0": 0.0, "1": 0.6})
    t0 = time.monotonic()
    w.wait_for_start(grace=30, poll=0.02)
    assert time.monotonic() - t0 >= 0.55, "returned before the second worker connected"
    assert w.connected == {"0", "1"}
    assert said == ["all 2 worker job(s) running; their workers are connected"]


def test_a_job_still_queued_delays_the_start_by_the_grace_only(monkeypatch):
    w, said = watch(monkeypatch, {"0": 0.0, "1": None}, {"1": "RUNNING", "2": "PENDING"})
    t0 = time.monotonic()
    w.wait_for_start(grace=0.3, poll=0.02)
    assert 0.3 <= time.monotonic() - t0 < 5
    assert said[-1].startswith("1 of 2 worker job(s) connected after 0 s; starting with them")


def test_a_job_that_ends_before_its_worker_connects_stops_the_wait(monkeypatch):
    w, _ = watch(monkeypatch, {"0": None, "1": None}, {"1": "FAILED", "2": "RUNNING"})
    with pytest.raises(RuntimeError, match=r"worker job 1 ended \(FAILED\) before its Dask "
                                           "worker connected"):
        w.wait_for_start(grace=30, poll=0.02)


def test_waiting_for_a_chunks_result_keeps_watching_the_jobs():
    """A chunk whose worker dies before its result is fetched is computed again, and the wait
    for it can outlast every worker job (their walltime): the executor must keep ticking the
    watch, which replaces the jobs, while it waits. A plain ``fut.result()`` hung there (the
    cluster test of a walltime shorter than the sweep, 2026-12-02)."""
    from omnibalance.sweep.executors import DaskExecutor

    class Recomputed:
        """A future whose result comes only after the watch has looked at the jobs 3 times."""

        def __init__(self, watch):
            self.watch = watch

        def result(self, timeout=None):
            assert timeout is not None, "an unbounded wait cannot let the watch act"
            if self.watch.ticks < 3:
                raise TimeoutError
            return "chunk"

    ticks = SimpleNamespace(ticks=0)
    ticks.tick = lambda: setattr(ticks, "ticks", ticks.ticks + 1)
    ex = DaskExecutor.__new__(DaskExecutor)
    ex.watch = ticks
    assert ex._result(Recomputed(ticks), poll=0.01) == "chunk" and ticks.ticks == 3
    ex.watch = None  # without batch jobs nothing can replace workers: a plain wait
    assert ex._result(SimpleNamespace(result=lambda timeout=None: "chunk")) == "chunk"

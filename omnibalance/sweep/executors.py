"""Executors: where chunks run. One interface, three kinds of place.

* :class:`InProcess` -- the main process itself (``--workers 1``): no start-up cost, easiest to
  debug.
* :class:`LocalPool` -- a local process pool (``--workers N``, the default with N = cores).
* :class:`DaskExecutor` -- a Dask ``distributed`` cluster: a running scheduler
  (``--scheduler ADDRESS``), a ``LocalCluster`` of worker processes (``--dask-local N``), or
  batch jobs through ``dask-jobqueue`` (``--cluster slurm|pbs --jobs N``).

Like EMA Workbench's evaluators, an executor knows nothing of the model: it maps a picklable
function over tasks, at most ``window`` at a time in flight (so memory stays flat however large
the sweep), and yields each result as it completes. Which executor ran a sweep never changes
its results (see :mod:`omnibalance.sweep.seeds`).
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import ConfigError


class Executor:
    """Maps a function over tasks and yields results as they complete."""

    description = "executor"
    slots = 1
    """How many tasks can run at once (sets how many are kept in flight)."""

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        raise NotImplementedError

    @property
    def window(self) -> int:
        """Tasks in flight at once: enough to keep every slot busy, few enough to keep memory
        flat."""
        return 2 * max(1, self.slots) + 1

    def close(self) -> None:
        """Release workers and connections."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class InProcess(Executor):
    """Run tasks one after the other in this process."""

    description = "in-process (1 worker)"

    def map_unordered(self, fn, tasks):
        for task in tasks:
            yield fn(task)


class LocalPool(Executor):
    """A pool of local worker processes (``concurrent.futures.ProcessPoolExecutor``).

    Workers start through a fork server that has already imported the model, so they start
    fast and never inherit this process's threads (Dask, tqdm, Arrow).
    """

    def __init__(self, workers: int):
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["omnibalance.runner", "omnibalance.sweep.work"])
        self.slots = workers
        self.description = f"local process pool ({workers} workers)"
        self._pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                            initializer=_die_with_parent,
                                            initargs=(os.getpid(),))

    def map_unordered(self, fn, tasks):
        tasks = iter(tasks)
        pending: set[cf.Future] = set()
        for task in tasks:
            pending.add(self._pool.submit(fn, task))
            if len(pending) >= self.window:
                break
        while pending:
            done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for fut in done:
                yield fut.result()
                nxt = next(tasks, None)
                if nxt is not None:
                    pending.add(self._pool.submit(fn, nxt))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """Tasks on a Dask ``distributed`` cluster, through a ``Client``."""

    def __init__(self, client, cluster=None, description: str = "dask", slots: int = 1):
        self.client, self.cluster = client, cluster
        self.description = description
        self.slots = slots

    @classmethod
    def connect(cls, address: str, timeout: float = 10.0) -> DaskExecutor:
        """Connect to a running scheduler, by address (``tcp://host:8786``) or scheduler file
        (``*.json``, as ``dask scheduler --scheduler-file`` writes it). An unreachable one is a
        :class:`ConfigError`."""
        from distributed import Client

        by_file = address.endswith(".json")
        if by_file and not os.path.isfile(address):
            raise ConfigError("command line", "--scheduler", address, "no such scheduler file")
        if not by_file:  # a malformed address, checked before a Client exists to complain
            from distributed.comm.addressing import parse_address, parse_host_port

            try:
                scheme, location = parse_address(address)
                if scheme in ("tcp", "tls"):
                    parse_host_port(location)
            except ValueError as exc:
                raise ConfigError("command line", "--scheduler", address,
                                  f"not a scheduler address ({exc}); give tcp://HOST:PORT or "
                                  "a scheduler file (*.json)") from None
        try:
            if by_file:
                client = Client(scheduler_file=address, timeout=f"{timeout}s",
                                set_as_default=False)
            else:
                client = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            msg = " ".join(str(exc).split()) or type(exc).__name__
            if len(msg) > 160:
                msg = msg[:157] + "..."
            raise ConfigError("command line", "--scheduler", address,
                              f"cannot reach a Dask scheduler there ({msg})") from None
        slots = sum(client.nthreads().values()) or 1
        return cls(client, None, f"dask scheduler {address} ({slots} worker threads)", slots)

    @classmethod
    def local(cls, workers: int) -> DaskExecutor:
        """Start a ``LocalCluster`` of ``workers`` single-threaded worker processes."""
        import logging

        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster, set_as_default=False)
        return cls(client, cluster, f"dask LocalCluster ({workers} worker processes)", workers)

    @classmethod
    def jobqueue(cls, system: str, jobs: int, options: dict | None = None,
                 out=None) -> DaskExecutor:
        """Submit ``jobs`` batch jobs of Dask workers through ``dask-jobqueue``.

        What each job asks for comes from ``options`` (``--cluster-opt``), Dask's configuration
        (``~/.config/dask/jobqueue.yaml``) and the defaults of :mod:`.jobqueue`; job logs go to
        ``OUT/.jobs``. On SLURM, jobs that end while the sweep runs are replaced
        (:class:`~.jobqueue.JobWatch`); see docs/sweeps.md.
        """
        from . import jobqueue as batch_jobs

        kwargs = batch_jobs.job_kwargs(system, options or {}, out)
        cluster, client = batch_jobs.start_cluster(system, jobs, kwargs)
        slots = jobs * int(kwargs["processes"])
        ids = ", ".join(str(j.job_id) for j in cluster.workers.values())
        made = cls(client, cluster, f"dask-jobqueue {system} ({jobs} jobs)", slots)
        log_dir = kwargs.get("log_directory")
        print(f"omnibalance: submitted {jobs} {system.upper()} worker job(s) ({ids}); "
              f"scheduler {cluster.scheduler_address}; job logs in {log_dir}",
              file=sys.stderr, flush=True)
        if system == "slurm":
            made.watch = batch_jobs.JobWatch(cluster, client, jobs, log_dir)
        return made

    watch = None
    _checked = 0.0

    def _window_now(self) -> int:
        """The window for the workers connected now: a sweep started before its workers (a
        job script's ``--scheduler``) widens as they join."""
        if time.monotonic() - self._checked > 2:
            self._checked = time.monotonic()
            try:
                live = sum(self.client.nthreads().values())
            except (OSError, TimeoutError):
                live = 0
            self.slots = max(self.slots, live)
        return self.window

    """A :class:`~.jobqueue.JobWatch` over batch jobs, if the workers are batch jobs."""

    def _completed(self, running) -> Iterator[Any]:
        """Futures as they complete; with a job watch, it looks at the jobs while waiting."""
        if self.watch is None:
            yield from running
            return
        while not running.is_empty():
            if running.has_ready():
                for fut in running.next_batch(block=False):
                    self.watch.progressed()
                    yield fut
            else:
                self.watch.tick()
                time.sleep(0.1)

    def _result(self, fut, poll: float = 1.0):
        """``fut.result()``; with a job watch, looking at the jobs while it waits. A finished
        chunk whose worker dies before its result is fetched is computed again, so the wait
        can outlast every worker job: the watch must be able to replace them meanwhile (a
        plain ``fut.result()`` waited for ever once the jobs' walltime had killed them all)."""
        if self.watch is None:
            return fut.result()
        while True:
            try:
                return fut.result(timeout=poll)
            except TimeoutError:
                self.watch.tick()

    def map_unordered(self, fn, tasks):
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        tasks = iter(tasks)
        if self.watch is not None:
            self.watch.wait_for_start()
        running = as_completed(loop=self.client.loop)
        for task in tasks:
            running.add(self.client.submit(fn, task, pure=False))
            if running.count() >= self.window:
                break
        for fut in self._completed(running):
            try:
                result = self._result(fut)
            except KilledWorker as exc:  # the same chunk was on 3 workers that died
                raise RuntimeError(f"{exc}; workers keep dying while computing this chunk "
                                   "(out of memory, or a walltime shorter than one chunk?)") \
                    from None
            fut.release()
            yield result
            for nxt in itertools.islice(tasks, max(1, self._window_now() - running.count())):
                running.add(self.client.submit(fn, nxt, pure=False))

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(workers: int | None = None, scheduler: str | None = None,
                  dask_local: int | None = None, cluster: str | None = None,
                  jobs: int = 1, timeout: float = 10.0, cluster_options: dict | None = None,
                  out=None) -> Executor:
    """The executor the command-line options ask for (default: a pool over all cores)."""
    if scheduler:
        return DaskExecutor.connect(scheduler, timeout)
    if dask_local:
        return DaskExecutor.local(dask_local)
    if cluster:
        return DaskExecutor.jobqueue(cluster, jobs, cluster_options, out)
    workers = workers or default_workers()
    return InProcess() if workers == 1 else LocalPool(workers)


def default_workers() -> int:
    """The cores this process may use (``os.process_cpu_count``, Python 3.13+; else
    ``os.cpu_count``), at least 1."""
    count = getattr(os, "process_cpu_count", os.cpu_count)
    return max(1, count() or 1)


def _die_with_parent(parent: int, every: float = 0.5) -> None:
    """Worker initializer: a daemon thread ends this worker as soon as the sweep process that
    started it is gone (even by ``kill -9``, which runs no clean-up), so no worker, fork server
    or resource tracker is left running."""
    import threading
    import time

    start_ppid = os.getppid()

    def alive() -> bool:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def watch() -> None:
        while os.getppid() == start_ppid and alive():
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()

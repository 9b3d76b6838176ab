"""The run plan: which run has which id, and how runs are grouped into chunks.

Runs are numbered ``run_id = (rule_index * points + point) * replications + replication``, and
chunk ``k`` holds runs ``[k * chunk_size, (k + 1) * chunk_size)``. A chunk is the unit of work
sent to a worker and the unit written to disk (one Parquet file), so a results folder is done
exactly when every chunk's file exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """The run layout of a sweep: rules x design points x replications, cut into chunks."""

    rules: tuple[str, ...]
    points: int
    replications: int
    chunk_size: int

    @property
    def runs(self) -> int:
        """Total number of runs."""
        return len(self.rules) * self.points * self.replications

    @property
    def chunks(self) -> int:
        """Number of chunks (the last may be short)."""
        return math.ceil(self.runs / self.chunk_size)

    def locate(self, run_id: int) -> tuple[int, int, int]:
        """``(rule_index, point, replication)`` of a run."""
        rest, rep = divmod(run_id, self.replications)
        rule, point = divmod(rest, self.points)
        return rule, point, rep

    def chunk_runs(self, chunk: int) -> range:
        """The run ids of one chunk."""
        start = chunk * self.chunk_size
        return range(start, min(start + self.chunk_size, self.runs))


def default_chunk_size(runs: int) -> int:
    """Runs per chunk when the user does not choose: about 32 chunks, 10 to 2,000 runs each.

    Depends on the sweep's size only (never on the workers), so the same sweep gives the same
    files however it is run. The batch engine steps a chunk's runs together, so larger chunks
    run faster per run; 32 chunks still keep both cores busy and lose little to a kill.
    """
    return max(10, min(2000, math.ceil(runs / 32)))


GUARD_RUNS = 10**7
"""Above this many runs a sweep starts only with ``--yes``."""


def seconds_per_run(spec) -> float:
    """CPU seconds of one run of ``spec`` on this machine on the batch engine, timed over 200
    runs of its first rule at the scenario's own parameters (a rough guide: points differ)."""
    import time

    from ..runner import run_many

    n = 200
    run_many(spec.scenario, spec.rules[0], None, [0], steps=spec.steps)  # imports, caches
    t0 = time.process_time()
    run_many(spec.scenario, spec.rules[0], {k: [v] * n for k, v in spec.fixed.items()} or None,
             list(range(n)), steps=spec.steps, focus=spec.focus)
    return max((time.process_time() - t0) / n, 1e-7)


def eta_text(runs: int, per_run: float, workers: int) -> str:
    """``about 3 h 20 min on 2 workers`` for ``runs`` runs of ``per_run`` CPU seconds each."""
    seconds = runs * per_run / max(workers, 1)
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"about {seconds / size:.1f} {unit} on {workers} worker(s)"
    return f"about {seconds:.0f} s on {workers} worker(s)"

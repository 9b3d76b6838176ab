"""The run plan: which run has which id, and how runs are grouped into chunks.

A sweep's replications come in *blocks*. A sweep started with ``R`` replications has one block
of ``R``; ``omnibalance sweep SPEC --extend --replications N`` later adds a block of ``N - R``
(replications ``R .. N-1``), and so on. Within block ``b`` (replications ``start_b`` to
``start_b + n_b - 1``) runs are numbered::

    run_id = offset_b + (rule_index * points + point) * n_b + (replication - start_b)

where ``offset_b`` is the number of runs in the blocks before it. Each block is cut into chunks
of ``chunk_size`` runs of its own (the last may be short), numbered on from the previous
block's, so adding a block leaves every file already written as it is. With one block this is
``run_id = (rule_index * points + point) * replications + replication``, the layout of every
sweep that was never extended.

A run's seed depends on its ``(point, replication)`` only (:mod:`.seeds`), never on its run id,
so an extended sweep holds exactly the runs (parameters, seeds, outcomes) of a sweep started
with ``N`` replications; only the run ids and the chunk files they are in differ, and they
equal those of a fresh sweep with the same blocks.

A chunk is the unit of work sent to a worker and the unit written to disk (one Parquet file),
so a results folder is done exactly when every chunk's file exists.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Plan:
    """The run layout of a sweep: rules x design points x replications (in blocks), cut into
    chunks."""

    rules: tuple[str, ...]
    points: int
    replications: int
    chunk_size: int
    blocks: tuple[int, ...] = ()
    """Replications per block, in the order they were added; empty: one block of all."""

    def __post_init__(self) -> None:
        blocks = tuple(self.blocks) or (self.replications,)
        if sum(blocks) != self.replications or min(blocks) < 1:
            raise ValueError(f"blocks {blocks} do not add up to {self.replications} "
                             "replications")
        object.__setattr__(self, "blocks", blocks)

    @cached_property
    def _starts(self) -> tuple[list[int], list[int], list[int]]:
        """First replication, first run id and first chunk of each block (and one past the
        last block)."""
        per_rep = len(self.rules) * self.points
        reps, runs, chunks = [0], [0], [0]
        for n in self.blocks:
            reps.append(reps[-1] + n)
            runs.append(runs[-1] + per_rep * n)
            chunks.append(chunks[-1] + math.ceil(per_rep * n / self.chunk_size))
        return reps, runs, chunks

    @property
    def runs(self) -> int:
        """Total number of runs."""
        return len(self.rules) * self.points * self.replications

    @property
    def chunks(self) -> int:
        """Number of chunks (the last of each block may be short)."""
        return self._starts[2][-1]

    def locate(self, run_id: int) -> tuple[int, int, int]:
        """``(rule_index, point, replication)`` of a run."""
        reps, runs, _ = self._starts
        b = bisect_right(runs, run_id) - 1
        rest, rep = divmod(run_id - runs[b], self.blocks[b])
        rule, point = divmod(rest, self.points)
        return rule, point, reps[b] + rep

    def chunk_runs(self, chunk: int) -> range:
        """The run ids of one chunk."""
        _, runs, chunks = self._starts
        b = bisect_right(chunks, chunk) - 1
        start = runs[b] + (chunk - chunks[b]) * self.chunk_size
        return range(start, min(start + self.chunk_size, runs[b + 1]))

    def extended(self, replications: int) -> Plan:
        """This plan with a block added that brings it to ``replications`` (more than now)."""
        return Plan(self.rules, self.points, replications, self.chunk_size,
                    (*self.blocks, replications - self.replications))

    def as_dict(self) -> dict:
        """The plan as the manifest records it."""
        return {"rules": list(self.rules), "points": self.points,
                "replications": self.replications, "runs": self.runs,
                "chunk_size": self.chunk_size, "chunks": self.chunks,
                "blocks": list(self.blocks),
                "run_id": "offset of the block + (rule_index * points + point) * block "
                          "replications + (replication - first replication of the block); "
                          "one block: (rule_index * points + point) * replications + "
                          "replication"}


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

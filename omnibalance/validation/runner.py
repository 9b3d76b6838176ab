"""Run every case scenario under every rule with seeded replications, in parallel.

Each run's seed is ``numpy.random.SeedSequence(base_seed, spawn_key=(case, rule, replication))``
so results do not depend on the number of workers. A counterfactual variant of a case (Venezuela
with ``sunk_weight`` = 0; Nicaragua with a strong mandate) shares its base case's seeds: the
pair of runs differs only in the one parameter (common random numbers).
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..params import RULES
from . import patterns
from .simulate import scenario, simulate


@dataclass(frozen=True)
class Case:
    """A scenario run for the patterns, with the extractor that reads each run."""

    key: str
    scenario: str
    extract: Callable
    seed_index: int
    overrides: dict[str, Any] = field(default_factory=dict)


def _strong_mandate_overrides() -> dict[str, float]:
    """Raise the weakest left mandate in the region to the strongest left mandate."""
    case = scenario("latin_america_2007")
    left = [r for r in case.regimes
            if r.values["ideology"] <= patterns.LEFT_MAX_IDEOLOGY
            and r.values["autocracy"] < patterns.ELECTED_MAX_AUTOCRACY]
    weakest = min(left, key=lambda r: r.values["mandate"])
    strongest = max(r.values["mandate"] for r in left)
    return {f"regimes.{weakest.id}.mandate": strongest}


def cases() -> list[Case]:
    """The cases ``omnibalance validate`` runs, in order."""
    return [
        Case("region", "latin_america_2007", patterns.extract_region, 0),
        Case("region_strong_mandate", "latin_america_2007", patterns.extract_region, 0,
             _strong_mandate_overrides()),
        Case("nicaragua", "nicaragua_2007", patterns.extract_nicaragua, 1),
        Case("venezuela", "venezuela_2007", patterns.extract_venezuela, 2),
        Case("venezuela_sunk0", "venezuela_2007", patterns.extract_venezuela, 2,
             {"powers.RUS.sunk_weight": 0.0}),
        Case("argentina", "argentina_2007", patterns.extract_argentina, 3),
        Case("bolivia", "bolivia_2006", patterns.extract_bolivia, 4),
        Case("cuba", "cuba_1962", patterns.extract_pairs_only, 5),
    ]


def run_seed(base_seed: int, case: Case, rule: str, rep: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(base_seed, spawn_key=(case.seed_index, RULES.index(rule), rep))


def _job(args) -> tuple[str, str, int, dict]:
    case, rule, rep, base_seed, params = args
    over = {**params, **case.overrides}
    rec = simulate(case.scenario, rule, over, run_seed(base_seed, case, rule, rep))
    return case.key, rule, rep, case.extract(rec)


def run_all(replications: int = 200, *, workers: int = 1, seed: int = 0,
            rules: tuple[str, ...] = RULES, params: dict[str, Any] | None = None,
            progress: bool = False) -> dict[str, dict[str, list[dict]]]:
    """Per rule, per case key: the list of per-run observations, ordered by replication."""
    params = dict(params or {})
    jobs = [(c, rule, rep, seed, params) for rule in rules for c in cases()
            for rep in range(replications)]
    out: dict[str, dict[str, list]] = {r: {c.key: [None] * replications for c in cases()}
                                       for r in rules}
    total, done, start = len(jobs), 0, time.monotonic()

    def store(res):
        nonlocal done
        key, rule, rep, obs = res
        out[rule][key][rep] = obs
        done += 1
        if progress and (done % max(1, total // 50) == 0 or done == total):
            el = time.monotonic() - start
            eta = el / done * (total - done)
            print(f"\r  {done}/{total} runs ({done / total:.0%}), {el:.0f}s elapsed, "
                  f"~{eta:.0f}s left ", end="", file=sys.stderr, flush=True)

    if workers <= 1:
        for j in jobs:
            store(_job(j))
    else:
        # spawn: safe when the caller is itself multi-threaded (a pytest-xdist worker, a notebook).
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as ex:
            for res in ex.map(_job, jobs, chunksize=max(1, min(50, total // (workers * 8)))):
                store(res)
    if progress:
        print(file=sys.stderr)
    return out


def validate(replications: int = 200, *, workers: int = 1, seed: int = 0,
             rules: tuple[str, ...] = RULES, params: dict[str, Any] | None = None,
             progress: bool = False) -> dict[str, list[patterns.Result]]:
    """Run and evaluate: per rule, the list of criterion results."""
    runs = run_all(replications, workers=workers, seed=seed, rules=rules, params=params,
                   progress=progress)
    return {rule: patterns.evaluate(rule, runs[rule], seed=seed) for rule in rules}

"""Run every case scenario under every rule with seeded replications, in parallel.

Replication ``rep`` of a case draws from
``numpy.random.SeedSequence(base_seed, spawn_key=(case, rep))`` under every rule: the rules
face the same shocks (common random numbers), so rule-vs-rule differences are not seed noise.
A counterfactual variant of a case (Venezuela with ``sunk_weight`` = 0; Nicaragua with a strong
mandate) shares its base case's seeds: the pair of runs differs only in the one parameter.
Runs go through the batch engine in blocks of replications, on the sweep's executors (in this
process, or a pool of local processes); results do not depend on the number of workers.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..params import RULES
from . import patterns
from .simulate import scenario, simulate_many

BLOCK = 100
"""Replications of one case and rule that run together in one batch."""


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
        Case("region", "latin_america_2007", patterns.extract_region_and_cases, 0),
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


def run_seed(base_seed: int, case: Case, rep: int) -> np.random.SeedSequence:
    """The seed of replication ``rep`` of ``case``: the same under every rule."""
    return np.random.SeedSequence(base_seed, spawn_key=(case.seed_index, rep))


def _job(args) -> tuple[str, str, int, list[dict]]:
    """One block of replications of one case under one rule."""
    case, rule, start, stop, base_seed, params = args
    over = {k: (v[start:stop] if isinstance(v, np.ndarray) else v) for k, v in params.items()}
    over |= case.overrides
    seeds = [run_seed(base_seed, case, rep) for rep in range(start, stop)]
    return case.key, rule, start, [case.extract(rec) for rec in
                                   simulate_many(case.scenario, rule, over, seeds)]


def prior_columns(replications: int, seed: int, rule: str = "omnibalance"
                  ) -> dict[str, np.ndarray]:
    """One parameter point per replication, a Latin hypercube over ``rule``'s prior box:
    replication ``rep`` of every case uses point ``rep``."""
    from .robustness import design

    points = design("lhs", replications, seed, rule)
    return {k: np.array([p[k] for p in points]) for k in points[0]}


def run_all(replications: int = 200, *, workers: int = 1, seed: int = 0,
            rules: tuple[str, ...] = RULES, params: dict[str, Any] | None = None,
            progress: bool = False, prior: bool = False) -> dict[str, dict[str, list[dict]]]:
    """Per rule, per case key: the list of per-run observations, ordered by replication.

    With ``prior``, each replication also draws its parameters from the declared prior box
    (:func:`prior_columns`), so intervals cover both seed and parameter uncertainty.
    """
    from ..sweep.executors import InProcess, LocalPool

    given = dict(params or {})
    per_rule = {rule: (prior_columns(replications, seed, rule) | given) if prior else given
                for rule in rules}
    jobs = [(c, rule, a, min(a + BLOCK, replications), seed, per_rule[rule]) for rule in rules
            for c in cases() for a in range(0, replications, BLOCK)]
    out: dict[str, dict[str, list]] = {r: {c.key: [None] * replications for c in cases()}
                                       for r in rules}
    total, done, start = len(rules) * len(cases()) * replications, 0, time.monotonic()
    show = progress and sys.stderr.isatty()
    executor = InProcess() if workers <= 1 else LocalPool(workers)
    try:
        for key, rule, first, obs in executor.map_unordered(_job, jobs):
            out[rule][key][first:first + len(obs)] = obs
            done += len(obs)
            if show:
                el = time.monotonic() - start
                print(f"\r  {done}/{total} runs ({done / total:.0%}), {el:.0f}s elapsed, "
                      f"~{el / done * (total - done):.0f}s left ", end="", file=sys.stderr,
                      flush=True)
    finally:
        executor.close()
    if show:
        print(file=sys.stderr)
    return out


def validate(replications: int = 200, *, workers: int = 1, seed: int = 0,
             rules: tuple[str, ...] = RULES, params: dict[str, Any] | None = None,
             progress: bool = False, prior: bool = False) -> dict[str, list[patterns.Result]]:
    """Run and evaluate: per rule, the list of criterion results."""
    runs = run_all(replications, workers=workers, seed=seed, rules=rules, params=params,
                   progress=progress, prior=prior)
    return {rule: patterns.evaluate(rule, runs[rule], seed=seed) for rule in rules}

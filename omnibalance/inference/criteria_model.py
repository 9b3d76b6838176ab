"""The simulator ABC sees: a parameter point -> the validation criteria's statistics.

A point is run on the chosen validation cases (``omnibalance.validation.runner.cases``) with
``replications`` replications each, on the batch engine, through
:func:`omnibalance.validation.robustness.observe`; the criteria are then scored by
:func:`omnibalance.validation.patterns.evaluate`, the one evaluator ``validate`` and
``robustness`` use. A case left out of the spec enters the evaluator as no runs, so the
criteria it decides have no estimate and are not among the summary statistics.

Seeds (the spec's ``seeds``):

* ``common`` -- replication ``rep`` of a case draws from
  ``SeedSequence(seed, spawn_key=(case, rep))`` at every point and under every rule (common
  random numbers, as in ``validate``): points and rules are compared on the same shocks;
* ``fresh`` -- every candidate point gets its own base seed, drawn from the candidate's
  generator (:mod:`.sampler`), so ABC sees the model's full stochasticity.

The statistics of a point: ``stat:<criterion>`` its estimate (the proportion, difference,
ratio or mean the criterion is decided on) and ``pass:<criterion>`` 1.0 when its 95% interval
passes the criterion, else 0.0 (read by the posterior predictive of ``compare``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..validation import patterns
from ..validation.robustness import observe
from ..validation.runner import Case, cases

STAT, PASS = "stat:", "pass:"


def case_keys() -> list[str]:
    """The validation cases a spec may name."""
    return [c.key for c in cases()]


def score(rule: str, observations: dict[str, list[dict]], seed: int
          ) -> list[patterns.Result]:
    """The criteria of one point from the chosen cases' observations (other cases: no runs)."""
    runs = {k: [] for k in case_keys()} | observations
    return patterns.evaluate(rule, runs, seed=seed)


def decided_by(keys: list[str], rule: str = "omnibalance", replications: int = 4,
               seed: int = 0) -> list[str]:
    """The criteria the cases ``keys`` decide: those with an estimate when only these cases
    have runs (probed at the declared defaults)."""
    chosen = [c for c in cases() if c.key in keys]
    obs = {c.key: observe(c, rule, [{}], replications, seed) for c in chosen}
    return [r.criterion.id for r in score(rule, obs, seed) if not math.isnan(r.interval.estimate)]


@dataclass(frozen=True)
class CriteriaModel:
    """One rule's simulator: ``model(point) -> statistics`` (picklable, for the workers)."""

    rule: str
    cases: tuple[str, ...]
    criteria: tuple[str, ...]
    replications: int
    seed: int
    seeds: str = "common"

    @property
    def runs_per_point(self) -> int:
        """Model runs one point costs (the unit of the simulation budget)."""
        return len(self.cases) * self.replications

    def _cases(self) -> list[Case]:
        return [c for c in cases() if c.key in self.cases]

    def base_seed(self) -> int:
        if self.seeds == "common":
            return self.seed
        return int(np.random.randint(0, 2**62))  # the candidate's own generator (sampler)

    def results(self, points: list[dict[str, float]], seed: int | None = None
                ) -> list[list[patterns.Result]]:
        """The criteria at each of ``points`` (one batch per case for all of them)."""
        base = self.base_seed() if seed is None else seed
        per_case = {c.key: observe(c, self.rule, points, self.replications, base)
                    for c in self._cases()}
        r = self.replications
        return [[x for x in score(self.rule, {k: v[j * r:(j + 1) * r]
                                              for k, v in per_case.items()}, self.seed)
                 if x.criterion.id in self.criteria] for j in range(len(points))]

    def __call__(self, point) -> dict[str, float]:
        results = self.results([typed(dict(point))])[0]
        return statistics(results)


def typed(point: dict) -> dict[str, float]:
    """A proposed point with whole-number parameters (``horizon``) at their nearest level."""
    from ..params import PARAMETERS

    return {k: float(round(v)) if PARAMETERS[k].kind is int else float(v)
            for k, v in point.items()}


def statistics(results: list[patterns.Result]) -> dict[str, float]:
    out = {}
    for x in results:
        out[STAT + x.criterion.id] = float(x.interval.estimate)
        out[PASS + x.criterion.id] = float(x.verdict == "pass")
    return out

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
ratio or mean the criterion is decided on), ``low:`` and ``high:`` its 95% interval, and
``pass:<criterion>`` 1.0 when that interval passes the criterion, else 0.0 (read by the
posterior predictive of ``compare``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..validation import patterns
from ..validation.robustness import observe
from ..validation.runner import Case, cases

STAT, LOW, HIGH, PASS = "stat:", "low:", "high:", "pass:"


def case_keys() -> list[str]:
    """The validation cases a spec may name."""
    return [c.key for c in cases()]


def score(rule: str, observations: dict[str, list[dict]], seed: int
          ) -> list[patterns.Result]:
    """The criteria of one point from the chosen cases' observations (other cases: no runs)."""
    runs = {k: [] for k in case_keys()} | observations
    return patterns.evaluate(rule, runs, seed=seed)


def decided_by(keys: list[str], rule: str = "omnibalance", replications: int = 20,
               seed: int = 0) -> list[str]:
    """The criteria the cases ``keys`` decide: those with an estimate when only these cases
    have runs (probed at the declared defaults). Raises ``ValueError`` naming the cases to add
    when a criterion pairs a chosen case with one left out (the same scenario, another
    setting)."""
    chosen = [c for c in cases() if c.key in keys]
    obs = {c.key: observe(c, rule, [{}], replications, seed) for c in chosen}
    try:
        results = score(rule, obs, seed)
    except (ValueError, KeyError, IndexError) as exc:
        scen = {c.scenario for c in chosen}
        pair = [c.key for c in cases() if c.scenario in scen and c.key not in keys]
        raise ValueError(f"these cases cannot be scored alone ({exc}); add "
                         + ", ".join(pair)) from None
    return [r.criterion.id for r in results if not math.isnan(r.interval.estimate)]


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

    def results(self, points: list[dict[str, float]], bases: list[int] | None = None
                ) -> list[list[patterns.Result]]:
        """The criteria at each of ``points`` (one batch per case for all of them), with one
        base seed per point (default: the spec's seed, common random numbers)."""
        bases = [self.seed] * len(points) if bases is None else bases
        per_case = {c.key: observe(c, self.rule, points, self.replications, bases)
                    for c in self._cases()}
        r = self.replications
        return [[x for x in score(self.rule, {k: v[j * r:(j + 1) * r]
                                              for k, v in per_case.items()}, self.seed)
                 if x.criterion.id in self.criteria] for j in range(len(points))]

    def batch(self, calls: list[tuple]) -> list[dict[str, float]]:
        """The statistics of many recorded calls ``(point, base seed)`` in one batch."""
        res = self.results([p for p, _ in calls], [b for _, b in calls])
        return [statistics(r) for r in res]

    def __call__(self, point) -> dict[str, float]:
        from .sampler import batched

        point, base = typed(dict(point)), self.base_seed()
        found = batched(self, (point, base))
        if found is not None:
            return found
        return self.batch([(point, base)])[0]


def typed(point: dict) -> dict[str, float]:
    """A proposed point with whole-number parameters (``horizon``) at their nearest level."""
    from ..params import PARAMETERS

    return {k: float(round(v)) if PARAMETERS[k].kind is int else float(v)
            for k, v in point.items()}


def statistics(results: list[patterns.Result]) -> dict[str, float]:
    out = {}
    for x in results:
        out[STAT + x.criterion.id] = float(x.interval.estimate)
        out[LOW + x.criterion.id] = float(x.interval.low)
        out[HIGH + x.criterion.id] = float(x.interval.high)
        out[PASS + x.criterion.id] = float(x.verdict == "pass")
    return out

"""The calibration procedure, the same for every rule (docs/validation.md, Calibration).

A rule is judged against its rivals only after each has been given the same chance to fit the
cases. For every rule this module:

1. takes the defaults and a Latin hypercube of ``points - 1`` points over the *search box*:
   each parameter of :func:`omnibalance.params.calibrated_names` from half to twice its
   default (within its allowed range) -- the same box, around the same defaults, for every
   rule -- plus, for the threat-blind rules, their own ``alignment_value`` from a tenth to ten
   times its default (no earlier calibration narrowed it);
2. runs every validation case at every point with the same seeds (common random numbers) and
   decides every criterion by its 95% interval, as ``omnibalance validate`` does;
3. ranks the points by the criteria they pass; ties go to the point with the larger summed
   margin of the point estimates over their thresholds (each margin capped at 0.25, so that no
   one criterion buys the others);
4. (:func:`neighbourhood`) looks at the ``candidates`` best-ranked points' neighbourhoods: for
   each, a Latin hypercube of points within +-25% of it (the width of a prior box), run with
   seeds and design points of their own (``NEIGHBOURHOOD_SEED``, not the seeds ``validate``
   and ``robustness`` use), and keeps the candidate whose neighbourhood passes every
   criterion at the largest share of points (ties: the larger mean share of points passing
   each criterion, then the better rank). A point that passes only on a knife edge is not
   kept over one whose neighbours pass too. ``candidates = 1`` keeps the best-ranked point.

The kept point is the rule's calibration (``params.RULE_CALIBRATION``, written to
``omnibalance/calibration.toml``), and robustness is then measured in the +-25% prior box
around it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..params import (
    CALIBRATED,
    PARAMETERS,
    PRIOR_WIDTH,
    RULES,
    box_around,
    calibrated_names,
    defaults,
)
from . import patterns
from .robustness import design, evaluate_points

SEARCH_SPAN = (0.5, 2.0)
"""The search box around each default: from half to twice it."""
RULE_SPAN = (0.1, 10.0)
"""The wider search span of a rule's own parameter (``alignment_value``), which no earlier
calibration has narrowed."""


def search_box(rule: str) -> dict[str, tuple[float, float]]:
    """Each calibrated parameter of ``rule`` from SEARCH_SPAN[0] to SEARCH_SPAN[1] times its
    default, within its allowed range."""
    d = defaults()
    out = {}
    for name in calibrated_names(rule):
        p = PARAMETERS[name]
        span = SEARCH_SPAN if name in CALIBRATED else RULE_SPAN
        lo = max(p.low, d[name] * span[0])
        hi = min(p.high, d[name] * span[1])
        if p.kind is int:
            lo, hi = float(math.ceil(lo)), float(math.floor(hi))
        out[name] = (lo, hi)
    return out


@dataclass
class Scored:
    rule: str
    point: int
    values: dict[str, float]
    passed: int
    margin: float
    verdicts: dict[str, str]


def _margin(r: patterns.Result) -> float:
    c, est = r.criterion, r.interval.estimate
    if est is None or not math.isfinite(est):
        return -0.25
    t = c.threshold
    m = (t - est) if c.op == "<=" else (est - t)
    if c.kind == "ratio":
        m = math.log(max(est, 1e-9) / t) if c.op != "<=" else -m
    return max(-0.25, min(0.25, m))


def score(rule: str, results: list[patterns.Result]) -> tuple[int, float]:
    return (sum(r.verdict == "pass" for r in results), sum(_margin(r) for r in results))


def search(rule: str, *, points: int, replications: int, seed: int = 0, workers: int = 1,
           progress: bool = False) -> list[Scored]:
    """Every point of ``rule``'s search, best first."""
    # The defaults (the search's centre) are point 0 of every rule's search.
    box = [{k: defaults()[k] for k in search_box(rule)}]
    box += design("lhs", points - 1, seed, rule, box=search_box(rule))
    out = []
    for j, (values, results) in enumerate(zip(box, evaluate_points(rule, box, replications,
                                                                   seed, workers),
                                              strict=True)):
        passed, margin = score(rule, results)
        out.append(Scored(rule, j, values, passed, margin,
                          {r.criterion.id: r.verdict for r in results}))
    out.sort(key=lambda s: (-s.passed, -s.margin, s.point))
    return out


NEIGHBOURHOOD_SEED = 1
"""Seed of the neighbourhood designs and their replications: not 0, the seed of ``validate``
and ``robustness``, so that the kept point is not chosen on the points and runs it is then
judged by."""


@dataclass
class Neighbourhood:
    candidate: Scored
    points: int
    all_pass: float
    """Share of the neighbourhood's points where every criterion passes."""
    mean_pass: float
    """Mean over criteria of the share of points where the criterion passes."""


def neighbourhood(rule: str, ranked: list[Scored], *, candidates: int, points: int,
                  replications: int, workers: int = 1, seed: int = NEIGHBOURHOOD_SEED
                  ) -> list[Neighbourhood]:
    """Step 4 of the procedure: the ``candidates`` best of ``ranked`` by how their +-25%
    neighbourhoods pass, best first (the first is the kept point)."""
    out = []
    for rank, cand in enumerate(ranked[:candidates]):
        box = box_around(cand.values, list(cand.values), PRIOR_WIDTH)
        pts = design("lhs", points, seed, rule, box=box)
        results = evaluate_points(rule, pts, replications, seed, workers)
        passes = [[r.verdict == "pass" for r in res] for res in results]
        all_pass = sum(all(p) for p in passes) / len(passes)
        # the mean over criteria of each one's pass share is the share of all (point,
        # criterion) verdicts that pass
        mean_pass = sum(map(sum, passes)) / sum(map(len, passes))
        out.append((rank, Neighbourhood(cand, points, all_pass, mean_pass)))
    out.sort(key=lambda x: (-x[1].all_pass, -x[1].mean_pass, x[0]))
    return [n for _, n in out]


def calibrate_all(*, points: int, replications: int, seed: int = 0, workers: int = 1,
                  rules: tuple[str, ...] = RULES) -> dict[str, list[Scored]]:
    return {rule: search(rule, points=points, replications=replications, seed=seed,
                         workers=workers) for rule in rules}


def as_calibration(best: Scored) -> dict[str, Any]:
    """The kept point, rounded to 3 significant figures (ints for integer parameters)."""
    out = {}
    for k, v in best.values.items():
        out[k] = int(round(v)) if PARAMETERS[k].kind is int else float(f"{v:.3g}")
    return out

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
3. keeps the point that passes the most criteria; ties go to the point with the larger summed
   margin of the point estimates over their thresholds (each margin capped at 0.25, so that no
   one criterion buys the others).

The kept point is the rule's calibration (``params.RULE_CALIBRATION`` for the rivals; the
defaults for omnibalance), and robustness is then measured in the +-25% prior box around it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..params import CALIBRATED, PARAMETERS, RULES, calibrated_names, defaults
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

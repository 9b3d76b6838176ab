"""Which free parameters do the patterns need? A Morris screen over every free global.

Factor fixing (Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, ch. 3): a
parameter whose change over a wide range moves no criterion can be fixed at its value without
changing what the model says about the cases, and is then no longer a free parameter. This
module measures that with Morris's elementary effects (Morris 1991; Campolongo, Cariboni and
Saltelli 2007's mu*), computed by SALib (Herman and Usher 2017):

* the factors are every global but the definitions and switches (:func:`candidates`, under
  ``omnibalance``), each over its *screening box*: from half to twice its calibrated value
  (``rule_defaults("omnibalance")``), within its allowed range -- the calibration's search span
  (:data:`.calibration.SEARCH_SPAN`), far wider than the +-25% prior box;
* the outputs are the criteria's point estimates on the scale of a share (:func:`statistic`),
  every validation case run at every point with the same seeds (common random numbers, so an
  elementary effect is the parameter's, not the seeds');
* a parameter is *needed* by a criterion when its mu* on it -- the mean absolute change of the
  estimate per whole box, over ``trajectories`` Morris trajectories -- is at least
  :data:`NEEDED`; a parameter no criterion needs can be fixed.

The seed noise is reported beside it: the mu* a parameter of no effect would get if the seeds
were not common (the mean absolute difference of each estimate between independent seed sets,
per the same step).
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..params import FIXED, PARAMETERS, rule_defaults, status
from . import patterns
from .calibration import SEARCH_SPAN
from .robustness import evaluate_points

RULE = "omnibalance"
LEVELS = 4
"""Morris grid levels; the step is LEVELS / (2 (LEVELS - 1)) = 2/3 of the box."""
NEEDED = 0.1
"""mu* (change of a criterion's estimate across the whole screening box) from which a
criterion needs a parameter: a tenth of the unit of a share, below which no threshold of the
criteria (0.5 to 0.9, decided by 95% intervals over tens of runs) can tell the difference."""


def candidates() -> list[str]:
    """What is screened: every global not fixed by ``params.FIXED`` (the free ones and those an
    earlier screen fixed, so that a rerun can give a fixed one back)."""
    return [n for n in PARAMETERS if n not in FIXED]


def screening_box(names: list[str] | None = None) -> dict[str, tuple[float, float]]:
    """Each parameter from SEARCH_SPAN[0] to SEARCH_SPAN[1] times its calibrated value,
    within its allowed range (a value of 0 is screened over its whole allowed range)."""
    centre = rule_defaults(RULE)
    out = {}
    for name in names or candidates():
        p = PARAMETERS[name]
        v = centre[name]
        lo, hi = sorted((v * SEARCH_SPAN[0], v * SEARCH_SPAN[1])) if v else (p.low, p.high)
        lo, hi = max(p.low, lo), min(p.high, hi)
        if p.kind is int:
            lo, hi = float(math.ceil(lo)), float(math.floor(hi))
        out[name] = (float(lo), float(hi))
    return out


def statistic(r: patterns.Result) -> float:
    """A criterion's estimate as a screening output on the scale of a share: the share (0 when
    no run qualifies), 7's difference, and 3b's ratio r with threshold t as min(r, 2t) / 2t
    (so that the threshold sits at 0.5)."""
    est = r.interval.estimate
    if est is None or not math.isfinite(est):
        return 0.0
    if r.criterion.kind == "ratio":
        t = r.criterion.threshold
        return float(min(max(est, 0.0), 2 * t) / (2 * t))
    return float(est)


@dataclass
class Screen:
    names: list[str]
    criteria: list[str]
    mu_star: np.ndarray
    """(parameters, criteria): Morris mu* of each criterion's estimate, per whole box."""
    sigma: np.ndarray
    noise: np.ndarray
    """(criteria,): the mu* that seed noise alone gives without common seeds."""
    points: int
    replications: int
    trajectories: int
    seed: int
    seconds: float

    def needed_by(self, name: str) -> list[str]:
        """The criteria that need ``name`` (mu* >= NEEDED)."""
        i = self.names.index(name)
        return [c for c, m in zip(self.criteria, self.mu_star[i], strict=True) if m >= NEEDED]

    def needed(self) -> list[str]:
        return [n for n in self.names if self.needed_by(n)]

    def fixable(self) -> list[str]:
        return [n for n in self.names if not self.needed_by(n)]


def _observe(points: list[dict[str, float]], replications: int, seed: int, workers: int,
             progress: bool) -> list[list[patterns.Result]]:
    """Every criterion at every point (common seeds), point by point."""
    t0 = time.monotonic()

    def say(n: int, of: int) -> None:
        print(f"  screen: {n}/{of} cases at {len(points)} points, "
              f"{time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)

    return evaluate_points(RULE, points, replications, seed, workers,
                           say if progress else None)


def run(*, trajectories: int = 10, replications: int = 40, seed: int = 0, workers: int = 1,
        names: list[str] | None = None, progress: bool = False) -> Screen:
    """The Morris screen of ``names`` (default: every free global)."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    t0 = time.monotonic()
    box = screening_box(names)
    names = list(box)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(box[n]) for n in names]}
    X = sample.sample(problem, trajectories, num_levels=LEVELS, seed=seed)
    centre = rule_defaults(RULE)
    points = []
    for row in X:
        point = dict(centre)
        for n, v in zip(names, row, strict=True):
            point[n] = float(round(v)) if PARAMETERS[n].kind is int else float(v)
        points.append(point)
    results = _observe(points, replications, seed, workers, progress)
    criteria = [r.criterion.id for r in results[0]]
    Y = np.array([[statistic(r) for r in res] for res in results])
    mu_star = np.empty((len(names), len(criteria)))
    sigma = np.empty_like(mu_star)
    for j in range(len(criteria)):
        si = analyze.analyze(problem, X, Y[:, j], num_levels=LEVELS, seed=seed)
        mu_star[:, j], sigma[:, j] = si["mu_star"], si["sigma"]
    # Seed noise: the defaults under independent seed sets, differences per Morris step.
    step = LEVELS / (2 * (LEVELS - 1))
    base = [dict(centre)]
    noisy = [_observe(base, replications, seed + 1 + k, 1, False)[0]
             for k in range(min(trajectories, 5))]
    ref = np.array([statistic(r) for r in _observe(base, replications, seed, 1, False)[0]])
    noise = np.mean([np.abs(np.array([statistic(r) for r in res]) - ref) for res in noisy],
                    axis=0) / step
    return Screen(names, criteria, mu_star, sigma, noise, len(points), replications,
                  trajectories, seed, time.monotonic() - t0)


def as_table(screen: Screen) -> dict[str, Any]:
    """The screen as data for ``omnibalance/screening.toml``."""
    return {
        "procedure": {"trajectories": screen.trajectories, "levels": LEVELS,
                      "replications": screen.replications, "seed": screen.seed,
                      "points": screen.points, "needed": NEEDED,
                      "span": list(SEARCH_SPAN), "rule": RULE,
                      "seconds": round(screen.seconds)},
        "noise": {c: round(float(v), 4) for c, v in zip(screen.criteria, screen.noise,
                                                        strict=True)},
        "mu_star": {n: {c: round(float(v), 4) for c, v in zip(screen.criteria, row,
                                                              strict=True)}
                    for n, row in zip(screen.names, screen.mu_star, strict=True)},
    }


def from_table(table: dict[str, Any]) -> Screen:
    """The screen back from ``omnibalance/screening.toml``."""
    proc = table["procedure"]
    names = list(table["mu_star"])
    criteria = list(table["noise"])
    mu = np.array([[table["mu_star"][n][c] for c in criteria] for n in names])
    return Screen(names, criteria, mu, np.full_like(mu, np.nan),
                  np.array([table["noise"][c] for c in criteria]), proc["points"],
                  proc["replications"], proc["trajectories"], proc["seed"], proc["seconds"])


def load() -> Screen:
    """The screen the package ships (``omnibalance/screening.toml``)."""
    from ..params import package_toml

    return from_table(package_toml("screening.toml"))


def markdown(screen: Screen) -> str:
    """One row per parameter, most influential first: its largest mu*, on which criterion,
    and the criteria that need it."""
    order = np.argsort(-screen.mu_star.max(axis=1))
    lines = [f"Morris screen ({screen.trajectories} trajectories, {LEVELS} levels, "
             f"{screen.points} points x {screen.replications} replications per case, seed "
             f"{screen.seed}, common random numbers; {screen.seconds:.0f} s). mu*: the mean "
             "absolute change of a criterion's estimate across the whole screening box "
             f"(x{SEARCH_SPAN[0]:g} to x{SEARCH_SPAN[1]:g} the calibrated value). Needed: "
             f"mu* >= {NEEDED:g}.", "",
             "*status*: as `params.status` reads this screen (an assumed parameter no criterion "
             "needs is *screened*: fixed at its default; a calibrated one stays calibrated, "
             "as another rule may read it).", "",
             "| parameter | status | largest mu* | on | criteria that need it |",
             "|---|---|---|---|---|"]
    for i in order:
        n = screen.names[i]
        j = int(np.argmax(screen.mu_star[i]))
        need = screen.needed_by(n)
        lines.append(f"| `{n}` | {status(n)} | "
                     f"{screen.mu_star[i, j]:.3f} | {screen.criteria[j]} | "
                     f"{', '.join(need) or '-'} |")
    lines += ["", "Seed noise (mu* of a parameter of no effect without common seeds): "
              + ", ".join(f"{c} {v:.2f}" for c, v in zip(screen.criteria, screen.noise,
                                                          strict=True)) + "."]
    return "\n".join(lines) + "\n"

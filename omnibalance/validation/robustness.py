"""How the patterns survive perturbation: the criteria over the declared prior box.

A model is judged by how its patterns survive perturbation, not by one passing table. This
module samples points in the box of declared prior ranges (``Param.prior`` in
:mod:`omnibalance.params`) and, at every point, runs the validation cases under each rule with
the same seeds at every point (common random numbers), then decides each criterion at each
point by its 95% interval as ``omnibalance validate`` does.

Designs:

* ``lhs`` -- a Latin hypercube of ``points`` points over the whole box (scipy.stats.qmc),
  every parameter varied together;
* ``oat`` -- one at a time: each parameter at the low and at the high end of its prior, the
  others at their defaults (2 points per parameter).

Reported per rule: the share of points at which each criterion passes (and fails), and the
share at which every criterion passes together, each with a Wilson interval over points.
"""

from __future__ import annotations

import csv
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..params import CALIBRATED, PARAMETERS, RULE_PARAMETERS, RULES, prior_box, rule_defaults
from . import patterns, stats
from .runner import cases, run_seed
from .simulate import simulate_many


def prior_names(rule: str = "omnibalance") -> list[str]:
    """Global parameters with a declared prior range under ``rule``."""
    return list(prior_box(rule))


def design(kind: str, points: int, seed: int, rule: str = "omnibalance",
           box: dict[str, tuple[float, float]] | None = None) -> list[dict[str, float]]:
    """The design points over ``box`` (default: ``rule``'s prior box): one dict of parameter
    values per point. The same seed gives the same unit hypercube for every rule."""
    box = box if box is not None else prior_box(rule)
    names = list(box)
    lows = np.array([box[n][0] for n in names])
    highs = np.array([box[n][1] for n in names])
    if kind == "oat":
        out = []
        for j, n in enumerate(names):
            for end in (lows[j], highs[j]):
                out.append({n: float(end)})
        return out
    if kind != "lhs":
        raise ValueError(f"unknown design {kind!r}")
    from scipy.stats import qmc

    # A rule's own parameters (alignment_value) are drawn from a stream of their own: adding a
    # column to one hypercube would redraw every other column, and the rules would then not
    # share their points in the common parameters (common random numbers).
    # Likewise the shared columns are drawn over every calibrated parameter, the ones a rule
    # never reads (RULE_INERT) included, and then dropped: every rule sees the same points.
    own = {n for extra in RULE_PARAMETERS.values() for n in extra}
    unit = np.empty((points, len(names)))
    shared = list(CALIBRATED) + [n for n in names if n not in own and n not in CALIBRATED]
    mine = [n for n in names if n in own]
    for key, drawn in (((0xB0C5,), shared), ((0xB0C5, 1), mine)):
        cols = [j for j, n in enumerate(names) if n in drawn]
        if cols:
            full = qmc.LatinHypercube(d=len(drawn), seed=np.random.default_rng(
                np.random.SeedSequence(seed, spawn_key=key))).random(points)
            unit[:, cols] = full[:, [drawn.index(names[j]) for j in cols]]
    values = lows + unit * (highs - lows)
    out = []
    for row in values:
        point = {}
        for n, v in zip(names, row, strict=True):
            point[n] = float(round(v)) if PARAMETERS[n].kind is int else float(v)
        out.append(point)
    return out


@dataclass
class PointResult:
    point: int
    values: dict[str, float]
    rule: str
    verdicts: dict[str, str]
    """criterion id -> pass / fail / undecided."""

    @property
    def all_pass(self) -> bool:
        return all(v == "pass" for v in self.verdicts.values())


def _job(args) -> tuple[str, str, list[dict]]:
    """One case under one rule at every design point: the per-run observations, point-major."""
    case, rule, points, replications, seed = args
    return case.key, rule, observe(case, rule, points, replications, seed)


def observe(case, rule: str, points: list[dict[str, float]], replications: int,
            seed: int | list[int]) -> list[dict]:
    """The per-run observations of ``case`` under ``rule`` at every point, point-major:
    replication ``rep`` at every point draws from ``run_seed(seed, case, rep)`` (common random
    numbers), or from ``run_seed(seed[j], case, rep)`` at point ``j`` given one base seed per
    point. Used here and by :mod:`omnibalance.inference`."""
    bases = [seed] * len(points) if isinstance(seed, int) else list(seed)
    names = sorted({k for p in points for k in p})
    centre = rule_defaults(rule)
    cols: dict[str, Any] = {k: np.repeat([p.get(k, centre[k]) for p in points],
                                         replications) for k in names}
    cols |= {k: v for k, v in case.overrides.items()}
    seeds = [run_seed(base, case, rep) for base in bases for rep in range(replications)]
    recs = simulate_many(case.scenario, rule, cols, seeds)
    return [case.extract(r) for r in recs]


def evaluate_points(rule: str, points: list[dict[str, float]], replications: int, seed: int,
                    workers: int = 1, progress=None) -> list[list[patterns.Result]]:
    """Every criterion under ``rule`` at each of ``points``, every case run at every point
    with the same seeds (common random numbers); one batch per case. ``progress(done, all)``
    is called as each case's batch finishes."""
    from ..sweep.executors import InProcess, LocalPool

    jobs = [(c, rule, points, replications, seed) for c in cases()]
    obs: dict[str, list] = {}
    executor = InProcess() if workers <= 1 else LocalPool(workers)
    try:
        for n, (key, _rule, rows) in enumerate(executor.map_unordered(_job, jobs), 1):
            obs[key] = rows
            if progress is not None:
                progress(n, len(jobs))
    finally:
        executor.close()
    return [patterns.evaluate(rule, {k: v[j * replications:(j + 1) * replications]
                                     for k, v in obs.items()}, seed=seed)
            for j in range(len(points))]


def run(*, kind: str = "lhs", points: int = 64, replications: int = 20, seed: int = 0,
        rules: tuple[str, ...] = RULES, workers: int = 1, progress: bool = False,
        boxes: dict[str, list[dict[str, float]]] | None = None) -> list[PointResult]:
    """Every criterion at every design point under every rule; each rule's points sample its
    own prior box (around its own calibrated values), or are the given ``boxes[rule]``."""
    from ..sweep.executors import InProcess, LocalPool

    boxes = boxes or {rule: design(kind, points, seed, rule) for rule in rules}
    jobs = [(c, rule, boxes[rule], replications, seed) for rule in rules for c in cases()]
    obs: dict[str, dict[str, list]] = {r: {} for r in rules}
    t0 = time.monotonic()
    executor = InProcess() if workers <= 1 else LocalPool(workers)
    try:
        for n, (key, rule, rows) in enumerate(executor.map_unordered(_job, jobs), 1):
            obs[rule][key] = rows
            if progress and sys.stderr.isatty():
                print(f"\r  {n}/{len(jobs)} case x rule batches, {time.monotonic() - t0:.0f}s",
                      end="", file=sys.stderr, flush=True)
    finally:
        executor.close()
    if progress and sys.stderr.isatty():
        print(file=sys.stderr)
    out = []
    for rule in rules:
        for j, values in enumerate(boxes[rule]):
            at = {k: v[j * replications:(j + 1) * replications] for k, v in obs[rule].items()}
            results = patterns.evaluate(rule, at, seed=seed)
            out.append(PointResult(j, values, rule, {r.criterion.id: r.verdict
                                                     for r in results}))
    return out


def summary(results: list[PointResult]) -> list[dict[str, Any]]:
    """Per rule and criterion (and ``all``): points, share passing and failing with Wilson
    intervals."""
    rows = []
    for rule in dict.fromkeys(r.rule for r in results):
        mine = [r for r in results if r.rule == rule]
        ids = list(mine[0].verdicts) + ["all"]
        for cid in ids:
            passed = sum(r.all_pass if cid == "all" else r.verdicts[cid] == "pass"
                         for r in mine)
            failed = sum(any(v == "fail" for v in r.verdicts.values()) if cid == "all"
                         else r.verdicts[cid] == "fail" for r in mine)
            rows.append({"rule": rule, "criterion": cid, "points": len(mine),
                         "pass": passed, "pass_share": passed / len(mine),
                         "pass_interval": stats.wilson(passed, len(mine)),
                         "fail": failed, "fail_share": failed / len(mine)})
    return rows


def markdown(rows: list[dict[str, Any]], *, kind: str, replications: int, seed: int) -> str:
    rules = list(dict.fromkeys(r["rule"] for r in rows))
    ids = list(dict.fromkeys(r["criterion"] for r in rows))
    n = rows[0]["points"]
    head = (f"Criteria over the prior box ({kind} design, {n} points, {replications} "
            f"replications per case and point, seed {seed}, common random numbers). Cell: "
            "share of points where the criterion passes [95% Wilson interval over points], "
            "and the share where it fails; *all*: every criterion passes together (a point "
            "fails *all* when any criterion fails).\n")
    out = [head, "| criterion | " + " | ".join(f"`{r}`" for r in rules) + " |",
           "|---|" + "---|" * len(rules)]
    by = {(r["rule"], r["criterion"]): r for r in rows}
    for cid in ids:
        cells = []
        for rule in rules:
            r = by[(rule, cid)]
            iv = r["pass_interval"]
            cells.append(f"{r['pass_share']:.2f} [{iv.low:.2f}, {iv.high:.2f}], fails "
                         f"{r['fail_share']:.2f}")
        out.append(f"| {cid} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def write(results: list[PointResult], folder: Path, *, kind: str, replications: int,
          seed: int) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rows = summary(results)
    md = folder / "robustness.md"
    md.write_text(markdown(rows, kind=kind, replications=replications, seed=seed),
                  encoding="utf-8")
    points = folder / "robustness_points.csv"
    names = sorted({k for r in results for k in r.values})
    with points.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        ids = list(results[0].verdicts)
        w.writerow(["rule", "point", *names, *ids, "all_pass"])
        for r in results:
            w.writerow([r.rule, r.point, *[r.values.get(n, rule_defaults(r.rule)[n])
                                           for n in names],
                        *[r.verdicts[c] for c in ids], r.all_pass])
    pairs = folder / "robustness_pairs.csv"
    with pairs.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["rule", "criterion", *ids])
        for rule, table in joint_pass(results).items():
            for c in ids:
                w.writerow([rule, c, *[f"{table[c][d]:.4f}" for d in ids]])
    return {"markdown": md, "points": points, "pairs": pairs}


def joint_pass(results: list[PointResult]) -> dict[str, dict[str, dict[str, float]]]:
    """Per rule, the share of points at which two criteria pass together (the diagonal: the
    criterion alone). Criteria that rarely pass together while each often passes alone pull
    the model in opposite directions (docs/validation.md, Robustness)."""
    out = {}
    for rule in dict.fromkeys(r.rule for r in results):
        mine = [r for r in results if r.rule == rule]
        ids = list(mine[0].verdicts)
        out[rule] = {a: {b: sum(r.verdicts[a] == "pass" and r.verdicts[b] == "pass"
                                for r in mine) / len(mine) for b in ids} for a in ids}
    return out

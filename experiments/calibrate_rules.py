"""Calibrate every rule by the same procedure and write omnibalance/calibration.toml.

    python experiments/calibrate_rules.py [--points 256] [--replications 30] [--candidates 8]
        [--neighbourhood-points 16] [--neighbourhood-replications 200] [--workers 2]

The procedure is omnibalance.validation.calibration (docs/validation.md, Calibration): the
same Latin hypercube over the same search box, the same seeds and the same number of
simulations for every rule; of the best-ranked points, the one whose +-25% neighbourhood
passes best is kept. Also writes
experiments/out/calibration.md, the kept point and its verdicts per rule.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from omnibalance.params import RULE_CALIBRATION, RULES
from omnibalance.validation import calibration
from omnibalance.validation.runner import cases

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=256)
    ap.add_argument("--replications", type=int, default=30)
    ap.add_argument("--candidates", type=int, default=8,
                    help="best-ranked points whose neighbourhoods are compared (1: keep the "
                         "best-ranked point)")
    ap.add_argument("--neighbourhood-points", type=int, default=16)
    ap.add_argument("--neighbourhood-replications", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rule", action="append", choices=RULES,
                    help="calibrate only this rule (repeatable); the others keep their values")
    a = ap.parse_args()
    rules = tuple(a.rule or RULES)
    n_cases = len(cases())
    sims = a.points * a.replications * n_cases
    sims2 = a.candidates * a.neighbourhood_points * a.neighbourhood_replications * n_cases \
        if a.candidates > 1 else 0
    procedure = (f"{a.points} Latin-hypercube points x {a.replications} replications per case, "
                 f"seed {a.seed}")
    if a.candidates > 1:
        procedure += (f"; then the neighbourhoods (+-25%) of the best {a.candidates}: "
                      f"{a.neighbourhood_points} points x {a.neighbourhood_replications} "
                      f"replications each, seed {calibration.NEIGHBOURHOOD_SEED}")
    procedure += f"{'; ' if a.candidates > 1 else ': '}{sims + sims2:,} simulations per rule"
    toml = ["# Each rule's calibrated parameter values, written by experiments/calibrate_rules.py",
            "# with the same procedure for every rule (omnibalance.validation.calibration;",
            "# docs/validation.md, Calibration). Do not edit by hand: rerun the script.",
            f"# Procedure: {procedure}.", "[rules]"]
    md = [f"Calibration: {procedure}.\n"]
    kept_values = {r: v for r, v in RULE_CALIBRATION.items() if r not in rules}
    for rule in rules:
        t0 = time.monotonic()
        ranked = calibration.search(rule, points=a.points, replications=a.replications,
                                    seed=a.seed, workers=a.workers)
        n_crit = len(ranked[0].verdicts)
        line = (f"- `{rule}`: the best-ranked point passes {ranked[0].passed} of {n_crit} "
                f"criteria (next: {', '.join(str(s.passed) for s in ranked[1:6])})")
        best = ranked[0]
        if a.candidates > 1:
            hoods = calibration.neighbourhood(
                rule, ranked, candidates=a.candidates, points=a.neighbourhood_points,
                replications=a.neighbourhood_replications, workers=a.workers)
            best = hoods[0].candidate
            shares = "; ".join(f"rank {ranked.index(h.candidate) + 1} ({h.candidate.passed} "
                               f"passing): all {h.all_pass:.2f}, mean {h.mean_pass:.2f}"
                               for h in hoods)
            line += (f". Neighbourhoods (share of points passing every criterion; mean share "
                     f"per criterion): {shares}")
        failing = [c for c, v in best.verdicts.items() if v != "pass"]
        print(f"{rule}: kept point {best.point} passes {best.passed}/{n_crit} "
              f"(margin {best.margin:+.2f}); {time.monotonic() - t0:.0f}s", flush=True)
        print(f"  not passing: {', '.join(failing) or 'none'}", flush=True)
        kept_values[rule] = calibration.as_calibration(best)
        md.append(line + f". Kept: point {best.point}, passing {best.passed}; not passing: "
                  f"{', '.join(failing) or 'none'}.")
    for rule in RULES:
        if rule in kept_values:
            toml.append(f"[rules.{rule}]")
            toml += [f"{k} = {v!r}" for k, v in kept_values[rule].items()]
    (ROOT / "omnibalance" / "calibration.toml").write_text("\n".join(toml) + "\n",
                                                           encoding="utf-8")
    out = ROOT / "experiments" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "calibration.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("wrote omnibalance/calibration.toml and experiments/out/calibration.md")


if __name__ == "__main__":
    main()

"""Calibrate every rule by the same procedure and write omnibalance/calibration.toml.

    python experiments/calibrate_rules.py [--points 96] [--replications 30] [--workers 2]

The procedure is omnibalance.validation.calibration (docs/validation.md, Calibration): the
same Latin hypercube over the same search box, the same seeds and the same number of
simulations for every rule; the point passing the most criteria is kept. Also writes
experiments/out/calibration.md, the kept point and its verdicts per rule.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from omnibalance.params import RULES
from omnibalance.validation import calibration
from omnibalance.validation.runner import cases

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=96)
    ap.add_argument("--replications", type=int, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rule", action="append", choices=RULES)
    a = ap.parse_args()
    rules = tuple(a.rule or RULES)
    sims = a.points * a.replications * len(cases())
    toml = ["# Each rule's calibrated parameter values, written by experiments/calibrate_rules.py",
            "# with the same procedure for every rule (omnibalance.validation.calibration;",
            "# docs/validation.md, Calibration). Do not edit by hand: rerun the script.",
            f"# Procedure: {a.points} Latin-hypercube points x {a.replications} replications "
            f"per case, seed {a.seed}: {sims:,} simulations per rule.", "[rules]"]
    md = [f"Calibration: {a.points} points x {a.replications} replications per case, seed "
          f"{a.seed}, {sims:,} simulations per rule.\n"]
    for rule in rules:
        t0 = time.monotonic()
        ranked = calibration.search(rule, points=a.points, replications=a.replications,
                                    seed=a.seed, workers=a.workers)
        best = ranked[0]
        kept = calibration.as_calibration(best)
        n_crit = len(best.verdicts)
        print(f"{rule}: best point {best.point} passes {best.passed}/{n_crit} "
              f"(margin {best.margin:+.2f}); {time.monotonic() - t0:.0f}s", flush=True)
        failing = [c for c, v in best.verdicts.items() if v != "pass"]
        print(f"  not passing: {', '.join(failing) or 'none'}", flush=True)
        toml.append(f"[rules.{rule}]")
        toml += [f"{k} = {v!r}" for k, v in kept.items()]
        md.append(f"- `{rule}`: passes {best.passed} of {n_crit} criteria at its best point; "
                  f"not passing: {', '.join(failing) or 'none'}. Next best points pass "
                  f"{', '.join(str(s.passed) for s in ranked[1:6])}.")
    (ROOT / "omnibalance" / "calibration.toml").write_text("\n".join(toml) + "\n",
                                                           encoding="utf-8")
    out = ROOT / "experiments" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "calibration.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("wrote omnibalance/calibration.toml and experiments/out/calibration.md")


if __name__ == "__main__":
    main()

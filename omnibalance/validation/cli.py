"""``omnibalance validate``: the seven patterns under the four rules, with intervals."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..cliargs import positive_int, seed_int
from ..params import RULES


def register(sub) -> None:
    p = sub.add_parser(
        "validate", help="check the seven patterns under every rule (pattern x rule table)",
        description="Run every case scenario under every alignment rule with seeded "
                    "replications and print the pattern x rule table: estimate, 95% interval, "
                    "counts and PASS/FAIL against each pattern's declared criterion. Writes "
                    "validation.csv, validation.md and validation.png to --out.")
    p.add_argument("--replications", type=positive_int, default=200,
                   help="replications per case and rule (default 200)")
    p.add_argument("--workers", type=positive_int, default=max(1, os.cpu_count() or 1),
                   help="worker processes (default: all cores; results do not depend on it)")
    p.add_argument("--seed", type=seed_int, default=0, help="base seed (default 0)")
    p.add_argument("--out", type=Path, default=Path("out/validation"),
                   help="output folder (default out/validation)")
    p.add_argument("--prior", action="store_true",
                   help="each replication also draws its parameters from the declared prior "
                        "box (Latin hypercube): intervals then cover parameter uncertainty too")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_validate)
    register_robustness(sub)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..commands import _check_writable
    from . import report
    from .runner import validate

    _check_writable(args.out)  # before hours of runs, not after
    results = validate(args.replications, workers=args.workers, seed=args.seed,
                       progress=not args.quiet, prior=args.prior)
    over = ", parameters drawn from the prior box" if args.prior else ""
    print(f"Patterns x rules: {args.replications} replications per case and rule{over}, "
          f"seed {args.seed}; cells: estimate [95% interval] counts verdict\n")
    print(report.text_table(results))
    paths = report.write(results, args.out, replications=args.replications, seed=args.seed)
    print()
    for label, path in paths.items():
        print(f"{label:>9}: {path}")
    return 0


def register_robustness(sub) -> None:
    p = sub.add_parser(
        "robustness", help="how the patterns survive perturbation over the prior box",
        description="Sample the box of declared prior ranges (Latin hypercube, or one "
                    "parameter at a time at each end of its prior), run every validation "
                    "case at every point with the same seeds (common random numbers), and "
                    "print per rule the share of points where each criterion passes and "
                    "where all pass together. Writes robustness.md, "
                    "robustness_points.csv (every point's verdicts) and "
                    "robustness_pairs.csv (the share of points where two criteria pass "
                    "together) to --out.")
    p.add_argument("--rule", action="append", choices=RULES, default=None,
                   help="rule to assess (repeat for several; default: all four)")
    p.add_argument("--points", type=positive_int, default=64,
                   help="Latin-hypercube points (default 64; ignored by --design oat)")
    p.add_argument("--design", choices=("lhs", "oat"), default="lhs",
                   help="lhs: all parameters varied together; oat: one at a time, each at "
                        "both ends of its prior")
    p.add_argument("--replications", type=positive_int, default=20,
                   help="replications per case and point (default 20)")
    p.add_argument("--workers", type=positive_int, default=max(1, os.cpu_count() or 1))
    p.add_argument("--seed", type=seed_int, default=0, help="base seed (default 0)")
    p.add_argument("--out", type=Path, default=Path("out/robustness"),
                   help="output folder (default out/robustness)")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_robustness)


def cmd_robustness(args: argparse.Namespace) -> int:
    from ..commands import _check_writable
    from . import robustness

    _check_writable(args.out)
    rules = tuple(dict.fromkeys(args.rule)) if args.rule else RULES
    results = robustness.run(kind=args.design, points=args.points,
                             replications=args.replications, seed=args.seed, rules=rules,
                             workers=args.workers, progress=not args.quiet)
    rows = robustness.summary(results)
    print(robustness.markdown(rows, kind=args.design, replications=args.replications,
                              seed=args.seed))
    for label, path in robustness.write(results, args.out, kind=args.design,
                                        replications=args.replications,
                                        seed=args.seed).items():
        print(f"{label:>9}: {path}")
    return 0

"""``omnibalance validate``: the seven patterns under the four rules, with intervals."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..cliargs import positive_int, seed_int


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
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_validate)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..commands import _check_writable
    from . import report
    from .runner import validate

    _check_writable(args.out)  # before hours of runs, not after
    results = validate(args.replications, workers=args.workers, seed=args.seed,
                       progress=not args.quiet)
    print(f"Patterns x rules: {args.replications} replications per case and rule, "
          f"seed {args.seed}; cells: estimate [95% interval] counts verdict\n")
    print(report.text_table(results))
    paths = report.write(results, args.out, replications=args.replications, seed=args.seed)
    print()
    for label, path in paths.items():
        print(f"{label:>9}: {path}")
    return 0

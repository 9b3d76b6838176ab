"""Screen every free parameter for the criteria that need it and write omnibalance/screening.toml.

    python experiments/screen_parameters.py [--trajectories 10] [--replications 40] [--workers 2]

The procedure is omnibalance.validation.screening (docs/validation.md, "Which parameters the
patterns need"): Morris elementary effects of every free global over half to twice its
calibrated value, on every criterion's estimate, with common seeds. A parameter no criterion
needs is fixed (``params.status`` reads the file: "fixed by screening"). Also writes
experiments/out/screening.md, the table docs/validation.md shows.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from omnibalance.validation import screening

ROOT = Path(__file__).resolve().parent.parent


def _toml(table: dict) -> str:
    lines = ["# Written by experiments/screen_parameters.py (omnibalance.validation.screening;",
             "# docs/validation.md). Do not edit by hand: rerun the script.",
             "# mu_star: Morris mu* of each criterion's estimate across the screening box.",
             "[procedure]"]
    for k, v in table["procedure"].items():
        lines.append(f"{k} = {v!r}".replace("'", '"'))
    lines.append("[noise]")
    lines += [f'"{c}" = {v!r}' for c, v in table["noise"].items()]
    for name, row in table["mu_star"].items():
        lines.append(f"[mu_star.{name}]")
        lines += [f'"{c}" = {v!r}' for c, v in row.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trajectories", type=int, default=10)
    ap.add_argument("--replications", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    screen = screening.run(trajectories=a.trajectories, replications=a.replications,
                           seed=a.seed, workers=a.workers, progress=True)
    (ROOT / "omnibalance" / "screening.toml").write_text(_toml(screening.as_table(screen)),
                                                         encoding="utf-8")
    out = ROOT / "experiments" / "out"
    out.mkdir(parents=True, exist_ok=True)
    text = screening.markdown(screen)
    (out / "screening.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"needed: {len(screen.needed())}, fixable: {len(screen.fixable())} "
          f"({', '.join(screen.fixable()) or 'none'})")


if __name__ == "__main__":
    main()

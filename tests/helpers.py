"""Helpers several test files share: small sweep specs, and a snapshot of a folder (to show
that a refused command wrote, changed and removed nothing)."""

from __future__ import annotations

from pathlib import Path

SWEEP = """
[sweep]
name = "{name}"
scenario = "nicaragua_2007"
steps = {steps}
replications = {reps}
seed = {seed}
"""

GRID = """
[design]
kind = "grid"
[design.parameters]
internal_threat = { values = [0.1, 0.5] }
us_pressure = { low = 0.0, high = 0.6, n = 3 }
"""

SOBOL = """
[design]
kind = "sobol"
samples = {samples}
[design.parameters]
internal_threat = {{}}
us_pressure = {{}}
"""


def grid_spec(name: str = "t", reps: int = 2, seed: int = 1, steps: int = 8) -> str:
    """A 2 x 3 grid over internal threat and US pressure on Nicaragua 2007 (6 points)."""
    return SWEEP.format(name=name, reps=reps, seed=seed, steps=steps) + GRID


def sobol_spec(name: str = "sob", reps: int = 1, seed: int = 1, steps: int = 8,
               samples: int = 4) -> str:
    """A Sobol' design over internal threat and US pressure (``samples * 6`` points)."""
    return (SWEEP.format(name=name, reps=reps, seed=seed, steps=steps)
            + SOBOL.format(samples=samples))


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (``None``) below ``folder``, by relative path."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}

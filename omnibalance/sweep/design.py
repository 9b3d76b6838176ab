"""Design points: the parameter combinations a sweep runs, from its spec.

Each design is a function of the spec alone (its seed included), so the same spec always gives
the same points in the same order, and a point's index is its identity (it keys the run seeds).
The samplers are SALib's (Herman & Usher 2017, doi:10.21105/joss.00097):

* ``lhs``: Latin hypercube (McKay, Beckman & Conover 1979, doi:10.2307/1268522);
* ``sobol``: Saltelli's extension of the Sobol' sequence (Saltelli 2002,
  doi:10.1016/S0010-4655(02)00280-1), ``N * (2D + 2)`` points with second-order indices,
  ``N * (D + 2)`` without;
* ``morris``: ``N`` elementary-effects trajectories of ``D + 1`` points (Morris 1991,
  doi:10.1080/00401706.1991.10484804).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError
from .seeds import design_seed
from .spec import SweepSpec


@dataclass(frozen=True)
class Design:
    """The design points: ``values[i, j]`` is parameter ``names[j]`` at point ``i``."""

    names: tuple[str, ...]
    values: np.ndarray
    kinds: tuple[type, ...]
    """``int`` or ``float`` per parameter, from its declaration."""
    problem: dict | None = None
    """The SALib problem (names, bounds) for ``lhs``, ``sobol`` and ``morris`` designs."""

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def point(self, i: int) -> dict[str, float | int]:
        """The parameter overrides of point ``i``, typed as declared."""
        return {n: k(v) for n, k, v in zip(self.names, self.kinds, self.values[i], strict=True)}


MAX_POINTS = 20_000_000
"""Design points a sweep may have: more do not fit in memory as one table (a few GB)."""


def build_design(spec: SweepSpec) -> Design:
    """The design points of ``spec``, in their canonical order. Raises :class:`ConfigError`
    (before building anything) for a design too large to hold."""
    if spec.design_points > MAX_POINTS:
        raise ConfigError(spec.where, "design", f"{spec.design_points:,} points",
                          f"more than {MAX_POINTS:,} design points do not fit in memory; use "
                          "fewer levels or samples (replications are cheap: they add runs, not "
                          "points)")
    if spec.design_kind == "list":
        names = spec.names
        values = np.array([[p[n] for n in names] for p in spec.points], dtype=float)
        kinds = tuple(type(spec.points[0][n]) for n in names)  # cast as declared by the spec
        return Design(names, values, kinds)
    names = tuple(a.name for a in spec.axes)
    kinds = tuple(a.decl.kind for a in spec.axes)
    if spec.design_kind == "grid":
        values = np.array(list(itertools.product(*(a.values for a in spec.axes))), dtype=float)
        return Design(names, values.reshape(-1, len(names)), kinds)
    problem = {"num_vars": len(names), "names": list(names),
               "bounds": [[a.low, a.high] for a in spec.axes]}
    seed = design_seed(spec.seed)
    if spec.design_kind == "lhs":
        from SALib.sample import latin

        values = latin.sample(problem, spec.samples, seed=seed)
    elif spec.design_kind == "sobol":
        from SALib.sample import sobol

        values = sobol.sample(problem, spec.samples, calc_second_order=spec.second_order,
                              seed=seed)
    else:
        from SALib.sample import morris

        values = morris.sample(problem, spec.samples, num_levels=spec.levels, seed=seed)
    values = np.asarray(values, dtype=float)
    for j, k in enumerate(kinds):
        if k is int:  # whole-number parameters (e.g. horizon) take the nearest level
            values[:, j] = np.round(values[:, j])
    return Design(names, values, kinds, problem)


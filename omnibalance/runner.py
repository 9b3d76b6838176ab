"""Run one model to the end and return its outcomes: the function sweeps call.

Like EMA Workbench's models, :func:`run_once` is a plain function of keyword arguments that
returns a flat dict of outcomes; executors (process pool, Dask) know nothing of the model.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from .model import OmnibalanceModel
from .scenario import Scenario, load_scenario


@lru_cache(maxsize=32)
def _cached_scenario(name: str) -> Scenario:
    return load_scenario(name)


def run_once(scenario: str | Scenario = "nicaragua_2007", rule: str = "omnibalance",
             params: dict[str, Any] | None = None, seed=0, steps: int | None = None,
             focus: str | None = None) -> dict[str, Any]:
    """One run's outcomes for the ``focus`` regime (default: the scenario's first).

    ``seed`` is an int or a ``numpy.random.SeedSequence``. Returns a flat dict: first
    patron-client tie (formed, step, date, patron, duration, censored), leader survival and
    changes, per power: first proposal step, final tie and class, whether a patron-client tie
    with it formed at any time.
    """
    case = _cached_scenario(scenario) if isinstance(scenario, str) else scenario
    rng = np.random.default_rng(seed)
    model = OmnibalanceModel(case, rule, params=params, steps=steps, rng=rng, collect=False)
    return outcomes_of(model.run(), focus)


def outcomes_of(model: OmnibalanceModel, focus: str | None = None) -> dict[str, Any]:
    """A finished model's per-run outcomes for the ``focus`` regime (default: the first)."""
    rows = model.summary()
    row = rows[0] if focus is None else next(r for r in rows if r["regime"] == focus)
    out = {k: v for k, v in row.items() if k != "name"}
    i = model.case.regime_index(row["regime"])
    for pw in model.powers:
        out[f"pc_ever_{pw.pid}"] = bool(model.pc_ever[i, pw.index])
    return out

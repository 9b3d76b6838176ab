"""Run the model and return its outcomes: the functions sweeps, validation and notebooks call.

* :func:`run_once` -- one run through the Mesa face (``--engine mesa``); like EMA Workbench's
  models, a plain function of keyword arguments returning a flat dict of outcomes.
* :func:`run_many` -- many runs at once through the batch engine (the default everywhere);
  the same outcomes, one dict per run, identical to :func:`run_once`'s for the same seed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from . import outcomes
from .engine import run_batch
from .model import OmnibalanceModel
from .scenario import Scenario, load_scenario

ENGINES = ("batch", "mesa")
"""How runs execute: ``batch`` steps many runs at once over arrays (fast); ``mesa`` steps each
run through the Mesa face. Both use the same quarter and give the same results."""


@lru_cache(maxsize=64)
def cached_scenario(name: str) -> Scenario:
    """A scenario by preset name or path, loaded once per process."""
    return load_scenario(name)


def _case(scenario: str | Scenario) -> Scenario:
    return cached_scenario(scenario) if isinstance(scenario, str) else scenario


def run_once(scenario: str | Scenario = "nicaragua_2007", rule: str = "omnibalance",
             params: dict[str, Any] | None = None, seed=0, steps: int | None = None,
             focus: str | None = None) -> dict[str, Any]:
    """One run's outcomes for the ``focus`` regime (default: the scenario's first), through the
    Mesa face.

    ``seed`` is an int or a ``numpy.random.SeedSequence``. Returns a flat dict (the outcomes
    of :mod:`omnibalance.outcomes`): first patron-client tie (formed, step, date, patron,
    duration, censored), leader survival and changes, per power: first proposal step, final
    tie and class, whether a patron-client tie with it formed at any time.
    """
    model = OmnibalanceModel(_case(scenario), rule, params=params, steps=steps,
                             rng=np.random.default_rng(seed), collect=False)
    return outcomes_of(model.run(), focus)


def outcomes_of(model: OmnibalanceModel, focus: str | None = None) -> dict[str, Any]:
    """A finished model's per-run outcomes for the ``focus`` regime (default: the first)."""
    return outcomes.rows(model.world, model.state, focus)[0]


def run_many(scenario: str | Scenario, rule: str,
             params: Sequence[Mapping[str, Any]] | Mapping[str, Sequence] | None,
             seeds: Sequence, *, steps: int | None = None, focus: str | None = None
             ) -> list[dict[str, Any]]:
    """The outcomes of ``len(seeds)`` runs through the batch engine, one dict per run.

    ``params``: one override mapping per run, or one mapping of name -> value per run.
    """
    res = run_batch(_case(scenario), rule, params, list(seeds), steps=steps)
    return outcomes.rows(res.world, res.state, focus)

"""Optional per-step series: the focus regime's quarter-by-quarter state in every run.

A spec asks for them with ``[outputs] series = ["tie", "classification", ...]``; each chunk
then also writes ``series/part-NNNNN.parquet`` with one row per run, step and power. Recording
them costs time (the model keeps its tables), so per-run rows alone are the default.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..model import PAIR_COLUMNS, REGIME_COLUMNS, OmnibalanceModel
from ..runner import cached_scenario, outcomes_of

KEYS = ("step", "date", "regime", "power")
SERIES_COLUMNS: tuple[str, ...] = tuple(
    c for c in (*PAIR_COLUMNS, *REGIME_COLUMNS) if c not in KEYS)
"""The per-step columns a spec may ask for (the model's pair and regime tables)."""


def run_with_series(scenario, rule: str, params: dict | None, seed, steps: int | None,
                    focus: str | None, columns: tuple[str, ...]
                    ) -> tuple[dict[str, Any], pd.DataFrame]:
    """One run's outcomes and the focus regime's per-step ``columns`` (one row per step and
    power)."""
    case = cached_scenario(scenario) if isinstance(scenario, str) else scenario
    model = OmnibalanceModel(case, rule, params=params, steps=steps,
                             rng=np.random.default_rng(seed), collect=True)
    model.run()
    out = outcomes_of(model, focus)
    table = model.step_table()
    table = table[table["regime"] == out["regime"]]
    return out, table[["step", "date", "power", *columns]].reset_index(drop=True)



"""Write one run's results: per-step table (Parquet and CSV), event log, summary, figure."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import __version__
from .plotting import run_figure, save


def run_stem(scenario_id: str, rule: str, seed: int, steps: int | None = None,
             overrides: dict | None = None) -> str:
    """The file-name stem of one run: scenario, rule, seed, and, when given, the ``--steps``
    and a short hash of the ``--set`` overrides, so runs that differ never share a name
    (``nicaragua_2007_omnibalance_seed0_steps40_set-1a2b3c4d``)."""
    stem = f"{scenario_id}_{rule}_seed{seed}"
    if steps is not None:
        stem += f"_steps{steps}"
    if overrides:
        text = json.dumps(sorted(overrides.items()), default=str)
        stem += "_set-" + hashlib.sha256(text.encode()).hexdigest()[:8]
    return stem


def write_run(model, out: Path, seed: int, steps: int | None = None,
              overrides: dict | None = None) -> dict[str, Path]:
    """Write the run's files into ``out`` under :func:`run_stem`; ``summary.json`` records the
    steps and every override (global, regime and power) as given."""
    out.mkdir(parents=True, exist_ok=True)
    stem = run_stem(model.case.id, model.rule, seed, steps, overrides)
    table = model.step_table()
    paths = {
        "parquet": out / f"{stem}_steps.parquet",
        "csv": out / f"{stem}_steps.csv",
        "events": out / f"{stem}_events.txt",
        "summary": out / f"{stem}_summary.json",
        "figure": out / f"{stem}.png",
    }
    table.to_parquet(paths["parquet"], index=False)
    table.to_csv(paths["csv"], index=False)
    paths["events"].write_text("\n".join(model.log.lines()) + "\n", encoding="utf-8")
    meta = dict(scenario=model.case.id, rule=model.rule, seed=seed, steps=model.n_steps,
                version=__version__, overrides=dict(sorted((overrides or {}).items())),
                parameters=model.p, summary=model.summary())
    paths["summary"].write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")
    save(run_figure(model), paths["figure"])
    return paths

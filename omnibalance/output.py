"""Write one run's results: per-step table (Parquet and CSV), event log, summary, figure."""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__
from .plotting import run_figure, save


def write_run(model, out: Path, seed: int) -> dict[str, Path]:
    """Write the run's files into ``out`` with a stem naming scenario, rule and seed."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{model.case.id}_{model.rule}_seed{seed}"
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
                version=__version__, parameters=model.p, summary=model.summary())
    paths["summary"].write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")
    save(run_figure(model), paths["figure"])
    return paths

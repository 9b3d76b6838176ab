"""Global sensitivity of one outcome: Sobol' indices or Morris elementary effects (SALib).

The outcome is averaged over the replications at each design point (a yes/no outcome becomes
the probability of "yes"), so the indices describe the expected outcome, not one noisy run.
Sobol' first-order (S1) and total (ST) indices: Sobol' (2001,
doi:10.1016/S0378-4754(00)00270-6) with Saltelli's estimators (Saltelli et al. 2010,
doi:10.1016/j.cpc.2009.09.018). Morris: mu* and sigma of the elementary effects (Campolongo,
Cariboni & Saltelli 2007, doi:10.1016/j.envsoft.2006.10.004).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError
from .figures import save_analysis
from .results import markdown_table, open_results, output_folder

METHODS = ("sobol", "morris")


def point_means(runs: pd.DataFrame, outcome: str, points: int) -> np.ndarray:
    """The outcome's mean over successful replications at each design point, in point order."""
    ok = runs[runs["error"].isna()]
    y = ok.groupby("point")[outcome].apply(lambda s: s.astype(float).mean())
    y = y.reindex(range(points))
    missing = np.flatnonzero(y.isna().to_numpy())
    if len(missing):
        raise ConfigError("results", outcome, f"missing at point {missing[0]}",
                          "every design point needs at least one successful run with this "
                          "outcome (SALib needs the whole sample)")
    return y.to_numpy(float)


def analyse(manifest: dict, design: pd.DataFrame, y: np.ndarray) -> pd.DataFrame:
    """SALib indices of ``y`` (one value per design point) for the sweep's sobol or morris
    design, as a table with one row per parameter."""
    kind = manifest["design"]["kind"]
    problem = manifest["design"]["problem"]
    seed = manifest["seeds"]["design_sampler_seed"]
    if np.nanvar(y) == 0:
        raise ConfigError("results", "outcome", f"always {y[0]:g}",
                          "does not vary over this design: there is nothing to attribute")
    if kind == "sobol":
        from SALib.analyze import sobol

        second = manifest["spec"]["design"]["second_order"]
        si = sobol.analyze(problem, y, calc_second_order=second, seed=seed)
        return pd.DataFrame({"parameter": problem["names"], "S1": si["S1"],
                             "S1_conf": si["S1_conf"], "ST": si["ST"], "ST_conf": si["ST_conf"]})
    from SALib.analyze import morris

    x = design[problem["names"]].to_numpy(float)
    si = morris.analyze(problem, x, y, num_levels=manifest["spec"]["design"]["levels"],
                        seed=seed)
    return pd.DataFrame({"parameter": problem["names"], "mu": si["mu"],
                         "mu_star": si["mu_star"], "mu_star_conf": si["mu_star_conf"],
                         "sigma": si["sigma"]})


def sensitivity_figure(table: pd.DataFrame, kind: str, outcome: str, title: str):
    """Bar chart of the indices with their 95% bootstrap intervals."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1.2 * len(table) + 3, 4), constrained_layout=True)
    pos = np.arange(len(table))
    if kind == "sobol":
        ax.bar(pos - 0.2, table["S1"], 0.4, yerr=table["S1_conf"], capsize=3,
               label="first order S1", color="#6fa8dc")
        ax.bar(pos + 0.2, table["ST"], 0.4, yerr=table["ST_conf"], capsize=3,
               label="total ST", color="#c0392b")
        ax.set_ylabel("Sobol' index (share of variance)")
    else:
        ax.bar(pos - 0.2, table["mu_star"], 0.4, yerr=table["mu_star_conf"], capsize=3,
               label="mu* (mean |effect|)", color="#6fa8dc")
        ax.bar(pos + 0.2, table["sigma"], 0.4, label="sigma (interactions, non-linearity)",
               color="#c0392b")
        ax.set_ylabel(f"elementary effect on {outcome}")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(pos)
    ax.set_xticklabels(table["parameter"], rotation=20, ha="right")
    ax.legend(frameon=False)
    ax.set_title(title)
    return fig


def write_sensitivity(folder: str | Path, outcome: str, rule: str | None = None,
                      out: str | Path | None = None) -> tuple[dict[str, Path], str]:
    """Compute and write the indices of ``outcome``; returns the paths and a text table."""
    res = open_results(folder)
    kind = res.manifest["design"]["kind"]
    if kind not in METHODS:
        raise ConfigError(str(res.folder), "design.kind", kind,
                          "sensitivity needs a sweep whose design is 'sobol' or 'morris'")
    done = res.manifest.get("runs_done", 0)
    if done < res.manifest["plan"]["runs"]:
        raise ConfigError(str(res.folder), "runs", f"{done} of {res.manifest['plan']['runs']}",
                          "the sweep is unfinished; resume it first")
    skip = {"run_id", "point", "replication", "rule", "seed_entropy", "seed_spawn_key",
            "error", "run_seconds", *res.swept}
    outcomes = [c for c in res.columns if c not in skip]
    res.check_column(outcome, "--outcome", outcomes)
    rule = res.pick_rule(rule)
    out = output_folder(out, res.folder)
    runs = res.read(["point", "error", outcome], rule=rule)
    if not (pd.api.types.is_numeric_dtype(runs[outcome])
            or pd.api.types.is_bool_dtype(runs[outcome])):
        numeric = [c for c in outcomes if pd.api.types.is_numeric_dtype(
            res.dataset.schema.field(c).type.to_pandas_dtype())]
        raise ConfigError(str(res.folder), "--outcome", outcome,
                          "is a text outcome; choose a number or yes/no outcome such as "
                          f"{', '.join(numeric[:6])}")
    import pyarrow.parquet as pq

    design = pq.read_table(res.folder / "design.parquet").to_pandas()
    y = point_means(runs, outcome, len(design))
    table = analyse(res.manifest, design, y)
    stem = out / f"sensitivity_{kind}_{outcome}"
    title = f"{res.manifest['name']}: {kind} indices of {outcome} (rule {rule})"
    fig = sensitivity_figure(table, kind, outcome, title)
    text = markdown_table(table)
    return save_analysis(stem, fig, table, f"# {title}\n\n{text}\n"), f"{title}\n{text}"

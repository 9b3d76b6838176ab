"""Phase diagrams: where, over two swept parameters, patron-client ties form, with whom, how fast.

For every cell (x, y) of the design, over all replications (and over any other swept parameter,
pooled): the share of runs with a patron-client tie with each power at any time, with its
Wilson 95% interval; the share with a tie with any power; the median quarter the first tie
formed (among runs where one did); and the share of runs whose starting leader survived.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError
from .figures import save_analysis
from .results import Results, open_results, output_folder
from .stats import wilson_interval

MAX_LEVELS = 30
"""Above this many distinct values (a sampled design), a parameter is binned."""
BINS = 12
MIN_FOR_TIME = 5
"""Cells with fewer runs that formed a tie show no median time (too few to say)."""


def phase_table(runs: pd.DataFrame, x: str, y: str, patrons: list[str]) -> pd.DataFrame:
    """One row per (x, y) cell: run counts, per-patron tie probabilities with Wilson bounds,
    any-patron probability, median and mean quarter of the first tie, leader survival."""
    ok = runs[runs["error"].isna()].copy()
    failed = runs[runs["error"].notna()]
    for c in (x, y):
        ok[c] = _levels(ok[c])
    if not len(ok):
        raise ConfigError("results", "runs", len(runs), "no successful runs to analyse")
    ok["pc_any"] = ok[[f"pc_ever_{p}" for p in patrons]].any(axis=1) if patrons else \
        ok["pc_formed"]
    g = ok.groupby([x, y], sort=True)
    table = g.size().rename("runs").to_frame()
    if len(failed):
        fl = failed.assign(**{c: _levels(failed[c]) for c in (x, y)})
        table["failed"] = fl.groupby([x, y]).size().reindex(table.index, fill_value=0)
    else:
        table["failed"] = 0
    n = table["runs"].to_numpy()
    for name in [*patrons, "any"]:
        col = "pc_any" if name == "any" else f"pc_ever_{name}"
        k = g[col].sum().astype(int).to_numpy()
        lo, hi = wilson_interval(k, n)
        table[f"ties_{name}"] = k
        table[f"p_{name}"] = k / n
        table[f"lo_{name}"] = lo
        table[f"hi_{name}"] = hi
    formed = ok[ok["pc_formed"].astype(bool)]
    gf = formed.groupby([x, y])["first_pc_step"]
    count = gf.size().reindex(table.index, fill_value=0)
    table["median_first_pc_step"] = gf.median().reindex(table.index).where(
        count >= MIN_FOR_TIME)
    table["mean_first_pc_step"] = gf.mean().reindex(table.index).where(count >= MIN_FOR_TIME)
    surv = g["leader_survived"].sum().astype(int).to_numpy()
    table["p_leader_survived"] = surv / n
    table["lo_leader_survived"], table["hi_leader_survived"] = wilson_interval(surv, n)
    return table.reset_index()


def _levels(values: pd.Series) -> pd.Series:
    """A grid's levels as they are; a sampled parameter's values binned to bin centres."""
    if values.nunique() <= MAX_LEVELS:
        return values
    edges = np.linspace(values.min(), values.max(), BINS + 1)
    idx = np.clip(np.digitize(values, edges[1:-1]), 0, BINS - 1)
    centres = (edges[:-1] + edges[1:]) / 2
    return pd.Series(centres[idx], index=values.index, name=values.name)


def boundaries(table: pd.DataFrame, x: str, y: str, col: str = "p_any") -> list[tuple]:
    """For each level of ``y``: the first ``x`` at which ``col`` reaches 0.5 (or None)."""
    out = []
    for yv, part in table.sort_values(x).groupby(y, sort=True):
        hit = part[part[col] >= 0.5]
        out.append((yv, None if hit.empty else float(hit[x].iloc[0])))
    return out


def _label(name: str) -> str:
    from ..params import PARAMETERS, POWER_FIELDS, REGIME_FIELDS

    parts = name.split(".")
    if len(parts) == 3:
        decl = (REGIME_FIELDS if parts[0] == "regimes" else POWER_FIELDS).get(parts[2])
    else:
        decl = PARAMETERS.get(name)
    return f"{name} ({decl.unit})" if decl else name


def _edges(levels: np.ndarray) -> np.ndarray:
    if len(levels) == 1:
        return np.array([levels[0] - 0.5, levels[0] + 0.5])
    mid = (levels[:-1] + levels[1:]) / 2
    return np.concatenate([[2 * levels[0] - mid[0]], mid, [2 * levels[-1] - mid[-1]]])


def _grid(table: pd.DataFrame, x: str, y: str, col: str):
    wide = table.pivot(index=y, columns=x, values=col).sort_index().sort_index(axis=1)
    return wide.columns.to_numpy(float), wide.index.to_numpy(float), wide.to_numpy(float)


def phase_figure(table: pd.DataFrame, x: str, y: str, patrons: list[str], title: str):
    """The phase diagram: a heatmap per patron (top row) with the 0.5 contour and dots where
    the Wilson interval contains 0.5; median time to first tie, slices with Wilson error bars,
    leader survival (bottom row)."""
    import matplotlib.pyplot as plt

    from ..plotting import colour_of

    ncols = max(len(patrons), 3)
    fig, axes = plt.subplots(2, ncols, figsize=(4.3 * ncols, 8.2), constrained_layout=True,
                             squeeze=False)
    cmap = plt.get_cmap("magma_r")
    im = None
    for j in range(ncols):
        ax = axes[0, j]
        if j >= len(patrons):
            ax.axis("off")
            continue
        p = patrons[j]
        xs, ys, z = _grid(table, x, y, f"p_{p}")
        _, _, lo = _grid(table, x, y, f"lo_{p}")
        _, _, hi = _grid(table, x, y, f"hi_{p}")
        im = ax.pcolormesh(_edges(xs), _edges(ys), z, cmap=cmap, vmin=0, vmax=1,
                           shading="flat")
        if len(xs) > 1 and len(ys) > 1 and np.nanmin(z) < 0.5 < np.nanmax(z):
            ax.contour(xs, ys, z, levels=[0.5], colors="#00a0e0", linewidths=1.6)
        unsure = (lo <= 0.5) & (hi >= 0.5)
        gx, gy = np.meshgrid(xs, ys)
        ax.scatter(gx[unsure], gy[unsure], s=4, c="#2a9d8f", marker="o", linewidths=0)
        ax.set_title(f"P(patron-client tie with {p})")
        ax.set_xlabel(_label(x))
        if j == 0:
            ax.set_ylabel(_label(y))
    if im is not None:
        fig.colorbar(im, ax=axes[0, :len(patrons)].tolist(), shrink=0.85,
                     label="share of runs (blue line: 0.5; dots: 95% interval holds 0.5)")

    ax = axes[1, 0]
    xs, ys, t = _grid(table, x, y, "median_first_pc_step")
    tm = ax.pcolormesh(_edges(xs), _edges(ys), np.ma.masked_invalid(t), cmap="viridis",
                       shading="flat")
    fig.colorbar(tm, ax=ax, label="quarters from start")
    ax.set_title(f"median time to first tie\n(blank: < {MIN_FOR_TIME} runs formed one)")
    ax.set_xlabel(_label(x))
    ax.set_ylabel(_label(y))

    ax = axes[1, 1]
    ylev = np.sort(table[y].unique())
    picks = sorted({ylev[0], ylev[len(ylev) // 2], ylev[-1]})
    styles = ["-", "--", ":"]
    main = max(patrons, key=lambda p: table[f"ties_{p}"].sum()) if patrons else "any"
    for k, pw in enumerate(patrons):
        for s, yv in zip(styles, picks, strict=False):
            part = table[table[y] == yv].sort_values(x)
            if pw != main and part[f"ties_{pw}"].sum() == 0:
                continue
            err = np.vstack([part[f"p_{pw}"] - part[f"lo_{pw}"],
                             part[f"hi_{pw}"] - part[f"p_{pw}"]])
            ax.errorbar(part[x], part[f"p_{pw}"], yerr=err, ls=s, marker=".", ms=3,
                        capsize=2, lw=1.2, color=colour_of(pw, k),
                        label=f"{pw}, {y} = {yv:g}")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(_label(x))
    ax.set_ylabel("P(patron-client tie)")
    ax.set_title("slices with Wilson 95% intervals")
    ax.legend(fontsize=7, frameon=False, loc="best")

    ax = axes[1, 2]
    xs, ys, s = _grid(table, x, y, "p_leader_survived")
    sm = ax.pcolormesh(_edges(xs), _edges(ys), s, cmap="Greens", vmin=0, vmax=1,
                       shading="flat")
    fig.colorbar(sm, ax=ax, label="share of runs")
    ax.set_title("starting leader survives")
    ax.set_xlabel(_label(x))
    for j in range(3, ncols):
        axes[1, j].axis("off")
    fig.suptitle(title)
    return fig


def summary_markdown(table: pd.DataFrame, x: str, y: str, patrons: list[str],
                     header: str) -> str:
    """The phase table in Markdown, after a few headline lines."""
    lines = [f"# {header}", ""]
    runs, failed = int(table["runs"].sum()), int(table["failed"].sum())
    lines.append(f"{len(table)} cells of ({x}, {y}); {runs} successful runs"
                 + (f", {failed} failed" if failed else "") + ". Probabilities are shares of "
                 "runs with a patron-client tie at any time, with Wilson 95% intervals.")
    lines.append("")
    for p in patrons:
        k = int(table[f"ties_{p}"].sum())
        lines.append(f"- tie with {p}: {k / runs:.1%} of all runs; P >= 0.5 in "
                     f"{int((table[f'p_{p}'] >= 0.5).sum())} of {len(table)} cells")
    lines.append("")
    lines.append(f"First {x} at which a tie with any power forms in at least half the runs:")
    lines.append("")
    for yv, xv in boundaries(table, x, y):
        lines.append(f"- {y} = {yv:g}: " + ("never" if xv is None else f"{x} = {xv:g}"))
    lines.append("")
    cols = [x, y, "runs"] + [f"P({p}) [95% CI]" for p in [*patrons, "any"]] + [
        "median first tie (quarter)", "P(leader survives)"]
    lines.append("| " + " | ".join(cols) + " |")
    lines.append("|" + "---|" * len(cols))
    for _, r in table.iterrows():
        cells = [f"{r[x]:g}", f"{r[y]:g}", str(int(r["runs"]))]
        for p in [*patrons, "any"]:
            cells.append(f"{r[f'p_{p}']:.2f} [{r[f'lo_{p}']:.2f}, {r[f'hi_{p}']:.2f}]")
        m = r["median_first_pc_step"]
        cells.append("-" if pd.isna(m) else f"{m:g}")
        cells.append(f"{r['p_leader_survived']:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_phase(folder: str | Path, x: str, y: str, rule: str | None = None,
                patrons: list[str] | None = None, out: str | Path | None = None
                ) -> dict[str, Path]:
    """Draw the phase diagram of a results folder and write its table. Returns the paths."""
    res: Results = open_results(folder)
    for name, flag in ((x, "--x"), (y, "--y")):
        res.check_column(name, flag, res.swept)
    if x == y:
        raise ConfigError("command line", "--y", y, "must differ from --x")
    rule = res.pick_rule(rule)
    powers = res.powers
    patrons = patrons or powers
    for p in patrons:
        res.check_column(p, "--patrons", powers)
    out = output_folder(out, res.folder)
    cols = [x, y, "error", "pc_formed", "first_pc_step", "leader_survived",
            *(f"pc_ever_{p}" for p in patrons)]
    runs = res.read(cols, rule=rule)
    table = phase_table(runs, x, y, patrons)
    spec = res.manifest["spec"]["sweep"]
    reps = spec["replications"]
    title = (f"{res.manifest['name']}: {spec['scenario']}, rule {rule}, {reps} replications per "
             f"point, {spec['steps']} quarters")
    expected = res.manifest["plan"]["runs"] // len(res.rules)
    if len(runs) < expected:
        title += f" -- INCOMPLETE: {len(runs)} of {expected} runs"
    stem = out / f"phase_{_safe(x)}_{_safe(y)}"
    fig = phase_figure(table, x, y, patrons, title)
    return save_analysis(stem, fig, table, summary_markdown(table, x, y, patrons, title))


def _safe(name: str) -> str:
    return name.replace(".", "-")

"""``omnibalance discover``: the conditions under which an outcome is likely, as rules.

Scenario discovery (Bryant & Lempert 2010, Technol. Forecast. Soc. Change 77:34-49,
doi:10.1016/j.techfore.2009.08.002) looks, over a sweep's runs, for boxes of the swept
parameters in which a yes/no outcome (a patron-client tie with Russia) is common. PRIM, the
patient rule induction method (Friedman & Fisher 1999, Stat. Comput. 9:123-143,
doi:10.1023/A:1008894516817), finds them by peeling: it cuts thin slices (``peel_alpha``, 5%
of the runs) off the face of the box whose removal raises the outcome's share most, until the
box holds too few runs (``mass_min``); every step is one point of the *peeling trajectory*.
EMA Workbench's implementation (``ema_workbench.analysis.prim``; Kwakkel 2017, Environ. Model.
Softw. 96:239-250, doi:10.1016/j.envsoft.2017.06.054) does the peeling and pasting; this
module reads the results folder, picks a box from the trajectory and words it.

Of each box on the trajectory:

* *density* -- the share of the runs inside it with the outcome, P(outcome | box);
* *coverage* -- the share of all the runs with the outcome that fall inside it;
* *restricted dimensions* -- the parameters whose range the box narrows.

The box reported is the one with the highest coverage among those of density at least
``density`` (0.8 by default; halfway from the base rate to 1 when the whole sweep already
reaches it); if none reaches it, the densest. PRIM then looks for a next box
among the runs the first leaves out, up to ``boxes`` boxes, and keeps it only if it reaches
``density``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError


@dataclass
class Box:
    """One box: its limits on the restricted parameters, its statistics, its trajectory."""

    limits: dict[str, tuple[float, float]]
    """Restricted parameter -> (low, high); the full range where only one side is cut."""
    cuts: dict[str, tuple[bool, bool]]
    """Restricted parameter -> (low side cut, high side cut)."""
    coverage: float
    density: float
    mass: float
    runs: int
    hits: int
    step: int
    """The chosen box's index on the peeling trajectory."""
    trajectory: pd.DataFrame
    prim_box: object = None

    @property
    def restricted(self) -> list[str]:
        return list(self.limits)

    def rule(self, label: str, digits: int = 2) -> str:
        """The box as a sentence: "a >= 0.41 and b <= 0.46 -> P(...) = 0.93, covering 81% of
        such runs"."""
        parts = []
        for name, (lo, hi) in self.limits.items():
            cut_lo, cut_hi = self.cuts[name]
            if cut_lo and cut_hi:
                parts.append(f"{lo:.{digits}f} <= {name} <= {hi:.{digits}f}")
            elif cut_lo:
                parts.append(f"{name} >= {lo:.{digits}f}")
            else:
                parts.append(f"{name} <= {hi:.{digits}f}")
        cond = " and ".join(parts) if parts else "anywhere in the sweep"
        return (f"{cond} -> {label} = {self.density:.2f}, covering {self.coverage:.0%} of "
                f"such runs ({self.hits} of the {self.runs} runs in the box; "
                f"{len(self.limits)} restricted dimension{'s' * (len(self.limits) != 1)})")

    def contains(self, x: pd.DataFrame) -> np.ndarray:
        inside = np.ones(len(x), dtype=bool)
        for name, (lo, hi) in self.limits.items():
            inside &= (x[name].to_numpy() >= lo) & (x[name].to_numpy() <= hi)
        return inside


def label_of(outcome: str) -> str:
    if outcome.startswith("pc_ever_"):
        return f"P(patron-client tie with {outcome[len('pc_ever_'):]})"
    return f"P({outcome})"


def _box_of(prim_box, i: int, init: pd.DataFrame) -> Box:
    lims = prim_box.box_lims[i]
    limits, cuts = {}, {}
    for name in lims.columns:
        lo, hi = float(lims[name].iloc[0]), float(lims[name].iloc[1])
        a, b = float(init[name].iloc[0]), float(init[name].iloc[1])
        if lo > a or hi < b:
            limits[name] = (lo, hi)
            cuts[name] = (lo > a, hi < b)
    row = prim_box.peeling_trajectory.iloc[i]
    return Box(limits, cuts, float(row["coverage"]), float(row["density"]), float(row["mass"]),
               int(row["n"]), int(row["k"]), i, prim_box.peeling_trajectory.copy(), prim_box)


def choose(trajectory: pd.DataFrame, density: float) -> int:
    """The step with the highest coverage among those with density >= the target (else the
    densest). The target is ``density``, raised to halfway between the sweep's base rate and 1
    when the whole sweep already reaches ``density``: a box must be markedly denser than the
    sweep as a whole to say where the outcome is likely."""
    base = float(trajectory["density"].iloc[0])
    target = max(density, base + (1.0 - base) / 2.0) if base >= density else density
    ok = trajectory[trajectory["density"] >= target]
    if len(ok):
        return int(ok["coverage"].astype(float).idxmax())
    return int(trajectory["density"].astype(float).idxmax())


def find_boxes(x: pd.DataFrame, y: np.ndarray, *, density: float = 0.8, boxes: int = 2,
               peel_alpha: float = 0.05, mass_min: float = 0.05) -> list[Box]:
    """PRIM boxes for ``y`` (yes/no per row) over the columns of ``x``."""
    import logging
    import warnings

    with warnings.catch_warnings():  # EMA Workbench warns about evaluators it does not need
        warnings.simplefilter("ignore", UserWarning)
        from ema_workbench.analysis import prim

    logging.getLogger("EMA").setLevel(logging.WARNING)
    p = prim.Prim(x.reset_index(drop=True).astype(float), np.asarray(y, dtype=bool),
                  peel_alpha=peel_alpha, mass_min=mass_min)
    out = []
    for _ in range(boxes):
        if int(np.asarray(y)[p.yi_remaining].sum()) == 0:
            break
        found = p.find_box()
        if found is None:
            break
        i = choose(found.peeling_trajectory, density)
        found.select(i)
        box = _box_of(found, i, p.box_init)
        if out and box.density < density:  # a later box that never gets dense is no finding
            break
        out.append(box)
    return out


def crossing(x: pd.DataFrame, y: np.ndarray, box: Box, name: str) -> tuple[float, float] | None:
    """Where, along ``name``, the share of runs with the outcome crosses 0.5 among the runs
    inside the box's other limits, on the phase diagram's bins: (the crossing, one bin's
    width), or None if it never crosses. The phase diagram's own binning
    (:func:`omnibalance.sweep.phase._levels`) is used, so the two agree in what a step is."""
    from ..sweep.phase import _levels

    others = Box({k: v for k, v in box.limits.items() if k != name}, {}, 0, 0, 0, 0, 0, 0,
                 pd.DataFrame())
    keep = others.contains(x)
    lev = _levels(x[name])[keep]
    share = pd.Series(np.asarray(y, dtype=float)[keep], index=lev.index).groupby(lev).mean()
    levels = share.index.to_numpy(float)
    step = float(np.median(np.diff(levels))) if len(levels) > 1 else 0.0
    above = share.to_numpy() >= 0.5
    cut_lo, _ = box.cuts.get(name, (True, False))
    for j in range(1, len(levels)):
        if above[j] != above[j - 1] and above[j] == cut_lo:
            return float((levels[j - 1] + levels[j]) / 2), step
    return None


def write_discovery(folder: str | Path, outcome: str, *, rule: str | None = None,
                    density: float = 0.8, boxes: int = 2, out: str | Path | None = None
                    ) -> tuple[str, dict[str, Path]]:
    """Find, print and save the boxes of a results folder. Returns (text, paths)."""
    from ..sweep.results import open_results, output_folder

    res = open_results(folder)
    flags = [f.name for f in res.dataset.schema if str(f.type) == "bool"
             and f.name not in res.swept]
    res.check_column(outcome, "--outcome", flags)
    rule = res.pick_rule(rule)
    runs = res.read([*res.swept, outcome, "error"], rule=rule)
    runs = runs[runs["error"].isna()]
    if not len(runs):
        raise ConfigError(str(folder), "runs", 0, "no successful runs to analyse")
    swept = [c for c in res.swept if runs[c].nunique() > 1]
    if not swept:
        raise ConfigError(str(folder), "design", res.swept, "varies no parameter")
    x, y = runs[swept], runs[outcome].astype(bool).to_numpy()
    found = find_boxes(x, y, density=density, boxes=boxes)
    label = label_of(outcome)
    lines = [f"PRIM over {len(runs)} runs of {res.manifest['name']} (rule {rule}; "
             f"{', '.join(swept)}): {label} = {y.mean():.2f} over the whole sweep.", ""]
    rows = []
    for k, b in enumerate(found, 1):
        lines.append(f"Box {k}: {b.rule(label)}")
        rows.append({"box": k, "rule": b.rule(label), "density": b.density,
                     "coverage": b.coverage, "mass": b.mass, "runs": b.runs,
                     "restricted": ", ".join(b.restricted),
                     **{f"{n}_low": b.limits[n][0] for n in b.limits},
                     **{f"{n}_high": b.limits[n][1] for n in b.limits}})
    if not found:
        lines.append("No box: the outcome never occurs in these runs.")
    text = "\n".join(lines) + "\n"
    dest = output_folder(out, res.folder)
    stem = dest / f"prim_{outcome}"
    paths = {"boxes": stem.with_suffix(".csv"), "markdown": stem.with_suffix(".md")}
    pd.DataFrame(rows).to_csv(paths["boxes"], index=False)
    paths["markdown"].write_text("# Scenario discovery (PRIM)\n\n" + "\n".join(
        f"- {ln}" if ln.startswith("Box") else ln for ln in lines) + "\n", encoding="utf-8")
    if found:
        paths |= trajectory_figure(found[0], stem.with_name(stem.name + "_trajectory"),
                                   f"{res.manifest['name']}: peeling trajectory of box 1 "
                                   f"for {outcome}", density)
    return text, paths


def trajectory_figure(box: Box, stem: Path, title: str, density: float) -> dict[str, Path]:
    """EMA Workbench's coverage-density trade-off of the peeling trajectory (colour: restricted
    dimensions), the chosen box circled and the density bar drawn."""
    import matplotlib.pyplot as plt

    fig = box.prim_box.show_tradeoff()
    ax = fig.axes[0]
    ax.scatter([box.coverage], [box.density], s=160, facecolors="none", edgecolors="#c44e52",
               linewidths=1.8, label=f"reported box (step {box.step})")
    ax.axhline(density, color="#c44e52", ls=":", lw=1, label=f"density {density:g}")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=9)
    paths = {"trajectory_png": stem.with_suffix(".png"),
             "trajectory_svg": stem.with_suffix(".svg")}
    fig.savefig(paths["trajectory_png"], dpi=130, bbox_inches="tight")
    fig.savefig(paths["trajectory_svg"], bbox_inches="tight")
    plt.close(fig)
    return paths

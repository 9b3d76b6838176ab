"""The pairwise posterior figure: weighted histograms on the diagonal, weighted particles
below it, every axis over the parameter's prior range, the declared default marked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..params import PARAMETERS

MAX_SHOWN = 6
"""Parameters in the figure at most: those the criteria narrow most (lowest width ratio)."""


def pairs_figure(post: pd.DataFrame, box: dict[str, tuple[float, float]], names: list[str],
                 title: str, current: dict[str, float] | None = None):
    """Pairwise posterior plots; the value in use (``current``, the rule's calibration, else
    the declared default) is marked."""
    import matplotlib.pyplot as plt

    current = current or {n: PARAMETERS[n].default for n in names}

    k = len(names)
    fig, axes = plt.subplots(k, k, figsize=(1.9 * k + 1.2, 1.9 * k + 1.0), squeeze=False)
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.1, top=0.9, wspace=0.08, hspace=0.08)
    w = post["weight"].to_numpy()
    size = 4 + 60 * w / max(w.max(), 1e-12)
    for i, yi in enumerate(names):
        for j, xj in enumerate(names):
            ax = axes[i, j]
            if j > i:
                ax.axis("off")
                continue
            lo, hi = box[xj]
            if i == j:
                ax.hist(post[xj], bins=20, range=(lo, hi), weights=w, color="#4c72b0")
                ax.axvline(current[xj], color="#c44e52", ls="--", lw=1)
                ax.set_yticks([])
            else:
                ax.scatter(post[xj], post[yi], s=size, c="#4c72b0", alpha=0.5, linewidths=0)
                ax.plot(current[xj], current[yi], marker="x",
                        color="#c44e52", ms=7)
                ax.set_ylim(*box[yi])
            ax.set_xlim(lo, hi)
            if i == k - 1:
                ax.set_xlabel(xj, fontsize=8)
            else:
                ax.set_xticklabels([])
            if j == 0 and i > 0:
                ax.set_ylabel(yi, fontsize=8)
            elif i != j:
                ax.set_yticklabels([])
            ax.tick_params(labelsize=7)
    fig.suptitle(title + "\n(red: the declared default; axes span the prior)", fontsize=9)
    return fig


def save(fig, stem: Path) -> dict[str, Path]:
    import matplotlib.pyplot as plt

    paths = {"png": stem.with_suffix(".png"), "svg": stem.with_suffix(".svg")}
    fig.savefig(paths["png"], dpi=120)
    fig.savefig(paths["svg"])
    plt.close(fig)
    return paths


def shown(tab: pd.DataFrame) -> list[str]:
    """The parameters the figure shows: the most narrowed ones, at most :data:`MAX_SHOWN`."""
    return list(tab["parameter"][:MAX_SHOWN]) if len(tab) else []

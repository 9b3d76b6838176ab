"""Saving an analysis: its figure as PNG and SVG, the table behind it as CSV and Markdown."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def save_analysis(stem: Path, fig, table: pd.DataFrame, markdown: str) -> dict[str, Path]:
    """Write ``stem``.png/.svg/.csv/.md and close the figure. Returns the paths by kind."""
    import matplotlib.pyplot as plt

    paths = {"png": stem.with_name(stem.name + ".png"), "svg": stem.with_name(stem.name + ".svg"),
             "csv": stem.with_name(stem.name + ".csv"),
             "markdown": stem.with_name(stem.name + ".md")}
    fig.savefig(paths["png"], dpi=130)
    fig.savefig(paths["svg"])
    plt.close(fig)
    table.to_csv(paths["csv"], index=False)
    paths["markdown"].write_text(markdown, encoding="utf-8")
    return paths

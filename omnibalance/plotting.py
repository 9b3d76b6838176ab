"""Figures of one run: ties and threats over time, with calendar dates on the axis."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from .dateaxis import date_ticks

POWER_COLOURS = {"US": "#1f5fa8", "RUS": "#c0392b", "CHN": "#d4a017", "USSR": "#8e1b1b"}
CLASS_COLOURS = {"none": "#bbbbbb", "partnership": "#6fa8dc", "patron_client": "#c0392b"}


def colour_of(pid: str, k: int) -> str:
    return POWER_COLOURS.get(pid, plt.get_cmap("tab10")(k % 10))


def run_figure(model, regime: str | None = None):
    """Ties to each power (with the patron-client threshold) and the regime's threats and
    hazard, quarter by quarter."""
    regimes = model.regime_table()
    pairs = model.pair_table()
    rid = regime or model.regimes[0].rid
    r = regimes[regimes.regime == rid]
    pr = pairs[pairs.regime == rid]
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True,
                                   constrained_layout=True)
    for k, pw in enumerate(model.powers):
        s = pr[pr.power == pw.pid]
        ax1.plot(s.step, s.tie, color=colour_of(pw.pid, k), lw=2, label=pw.name)
        pc = s[s.classification == "patron_client"]
        ax1.scatter(pc.step, pc.tie, color=colour_of(pw.pid, k), s=12, marker="s")
    ax1.axhline(model.p["pc_tie"], ls="--", color="grey", lw=1)
    ax1.axhline(model.p["partnership_tie"], ls=":", color="grey", lw=1)
    ax1.set_ylim(0, 1)
    ax1.set_ylabel("tie strength")
    ax1.set_title(f"{model.case.name}: {dict((x.rid, x.name) for x in model.regimes)[rid]} "
                  f"under {model.rule} (squares: patron-client)")
    ax1.legend(loc="upper left", frameon=False)
    ax2.plot(r.step, r.internal_threat, color="#7d3c98", lw=2, label="internal threat")
    ax2.plot(r.step, r.external_threat, color="#1f5fa8", lw=2, label="external threat")
    ax2.plot(r.step, r.pressure, color="#1f5fa8", lw=1, ls=":", label="US pressure")
    ax2.plot(r.step, r.hazard * 10, color="black", lw=1.5, label="hazard x 10")
    for ev in model.log:
        if ev.regime == rid and ev.kind in ("leader_change", "removal"):
            ax2.axvline(ev.step, color="black", lw=0.8, ls="--")
    ax2.set_ylim(0, 1)
    ax2.set_ylabel("threat (0-1)")
    ax2.legend(loc="upper left", frameon=False, ncols=2)
    date_ticks(ax2, model.case, model.n_steps)
    return fig


def save(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path

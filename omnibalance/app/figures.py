"""The app's pictures of a running model: the network of ties and the time series.

Plain matplotlib (the object API, no pyplot state, so each browser session draws its own
figures safely in the server's threads). Each function reads a model and returns a
:class:`~matplotlib.figure.Figure`; the notebooks use the same functions.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..dateaxis import date_ticks
from ..theory.dynamics import CLASS_NAMES
from .palette import CLASS_STYLE, THREAT_STYLE, power_colour, power_dash

CLASS_LABELS = {c: st["label"] for c, st in CLASS_STYLE.items()}
CLASS_COLOURS = {c: st["colour"] for c, st in CLASS_STYLE.items()}
THREAT_COLOURS = {k: st["colour"] for k, st in THREAT_STYLE.items()}
"""The app's colour-blind-safe palette (:mod:`.palette`), so notebooks match the screen."""


def _dashes(svg_dash: str):
    """An SVG dash array ("9 5") as a matplotlib line style."""
    return "-" if not svg_dash else (0, tuple(float(v) / 2 for v in svg_dash.split()))


def pct(h: float) -> str:
    from .panels import pct as _pct

    return _pct(h)


def colour_of(pid: str, k: int) -> str:
    return power_colour(pid, k)


def _layout(model) -> tuple[dict[int, tuple[float, float]], dict[int, tuple[float, float]]]:
    """Node positions: great powers along the top, regimes along the bottom (staggered in two
    rows when there are many, so their names do not collide)."""
    n_p, n_r = len(model.powers), len(model.regimes)
    powers = {k: ((k + 0.5) / n_p, 1.0) for k in range(n_p)}
    stagger = n_r > 5
    regimes = {i: ((i + 0.5) / n_r, 0.0 - (0.22 if stagger and i % 2 else 0.0))
               for i in range(n_r)}
    return powers, regimes


def network_figure(model, width: float = 6.4, height: float = 3.5) -> Figure:
    """Regimes and great powers, one edge per pair: width = tie strength, colour = none /
    partnership / patron-client; a dotted line marks a pair the scenario bars."""
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.subplots()
    pos_p, pos_r = _layout(model)
    for r in model.regimes:
        i = r.index
        x1, y1 = pos_r[i]
        for pw in model.powers:
            k = pw.index
            x0, y0 = pos_p[k]
            tie = float(model.tau[i, k])
            cls = CLASS_NAMES[int(model.klass[i, k])]
            if pw.pid in getattr(r, "barred", {}):
                ax.plot([x0, x1], [y0, y1], ls=":", lw=1.2, color="#999999", zorder=1)
                ax.text((x0 + x1) / 2, (y0 + y1) / 2, "barred", fontsize=8, color="#777777",
                        ha="center", va="center", rotation=0, zorder=2,
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
                continue
            ax.plot([x0, x1], [y0, y1], lw=0.8 + 14 * tie, color=CLASS_COLOURS[cls],
                    ls=_dashes(CLASS_STYLE[cls]["dash"]), zorder=1)
            if tie >= 0.05 and len(model.regimes) <= 6:
                ax.text(x0 + 0.62 * (x1 - x0), y0 + 0.62 * (y1 - y0), f"{tie:.2f}", fontsize=9,
                        ha="center", va="center", zorder=3,
                        bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=CLASS_COLOURS[cls]))
    for pw in model.powers:
        x, y = pos_p[pw.index]
        ax.scatter([x], [y], s=900, color=colour_of(pw.pid, pw.index), zorder=4,
                   edgecolors="white", linewidths=2)
        ax.text(x, y + 0.13, pw.name, ha="center", va="bottom", fontsize=11,
                fontweight="bold")
    few = len(model.regimes) <= 5
    for r in model.regimes:
        x, y = pos_r[r.index]
        # Node shade: the leader's risk of losing office this quarter (white 0, dark red >= 10%).
        shade = min(1.0, r.hazard / 0.10)
        face = (1.0, 1.0 - 0.75 * shade, 1.0 - 0.75 * shade)
        ax.scatter([x], [y], s=900 if few else 500, color=[face], edgecolors="#333333",
                   linewidths=1.5, zorder=4)
        label = (f"{r.name}: {r.leader}\nhazard {pct(r.hazard)} a quarter" if few
                 else r.name)
        ax.text(x, y - 0.14, label, ha="center", va="top", fontsize=10 if few else 8,
                linespacing=1.4)
    handles = [Line2D([], [], color=CLASS_COLOURS[c], lw=w, label=CLASS_LABELS[c],
                      ls=_dashes(CLASS_STYLE[c]["dash"]))
               for c, w in (("none", 1.5), ("partnership", 4), ("patron_client", 6))]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncols=3,
              frameon=False, fontsize=9, handlelength=2.5)
    ymin = -0.62 if len(model.regimes) > 5 else -0.5
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(ymin, 1.28)
    ax.set_axis_off()
    ax.set_title(f"Ties in {model.date} (edge width = tie strength; regime shade = hazard)",
                 fontsize=10, loc="left")
    return fig


def _regime_rows(model, rid: str):
    regimes = model.regime_table()
    return regimes[regimes.regime == rid] if not regimes.empty else regimes


def _empty_note(ax, model) -> None:
    if model.t == 0:
        ax.text(0.5, 0.5, "press Step or Play", transform=ax.transAxes, ha="center",
                va="center", color="#888888", fontsize=11)


def threat_figure(model, rid: str, width: float = 6.4, height: float = 3.9) -> Figure:
    """The regime's internal and effective external threat, the hegemon's pressure, and the
    leader's hazard (chance of losing office per quarter), quarter by quarter."""
    fig = Figure(figsize=(width, height), layout="constrained")
    ax1, ax2 = fig.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    r = _regime_rows(model, rid)
    name = next(x.name for x in model.regimes if x.rid == rid)
    hegemon = model.powers[model.hegemon].name
    if not r.empty:
        every = max(1, len(r) // 10)
        ax1.plot(r.step, r.internal_threat, color=THREAT_COLOURS["internal"], lw=2.2,
                 marker="o", markevery=every, label="internal threat")
        ax1.plot(r.step, r.external_threat, color=THREAT_COLOURS["external"], lw=2.2,
                 ls=_dashes(THREAT_STYLE["external"]["dash"]), marker="s", markevery=every,
                 label="external threat (after deterrence)")
        ax1.plot(r.step, r.pressure, color=THREAT_COLOURS["pressure"], lw=1.6,
                 ls=_dashes(THREAT_STYLE["pressure"]["dash"]), label=f"{hegemon} pressure")
        ax2.fill_between(r.step, 100 * r.hazard, color="#D55E00", alpha=0.2, lw=0)
        ax2.plot(r.step, 100 * r.hazard, color=THREAT_COLOURS["hazard"], lw=1.8)
        top = max(2.0, float(100 * r.hazard.max()) * 1.15)
    else:
        top = 5.0
    _empty_note(ax1, model)
    for ev in model.log:
        if ev.regime == rid and ev.kind in ("leader_change", "removal"):
            for ax in (ax1, ax2):
                ax.axvline(ev.step, color="black", lw=0.9, ls=":")
    ax1.set_ylim(0, 1)
    ax1.set_ylabel("threat (0-1)")
    ax1.set_title(f"{name}: threats to the regime", fontsize=11, loc="left", pad=20)
    if not r.empty:
        ax1.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, fontsize=8,
                   frameon=False, borderaxespad=0.2, handlelength=1.8, columnspacing=1.2)
    ax1.grid(alpha=0.3)
    ax2.set_ylim(0, top)
    ax2.set_ylabel("hazard\n(% per quarter)")
    ax2.grid(alpha=0.3)
    date_ticks(ax2, model.case, model.n_steps)
    return fig


def ties_figure(model, rid: str, width: float = 6.4, height: float = 3.9) -> Figure:
    """The regime's tie to each great power, with the partnership and patron-client
    thresholds; squares mark the quarters a pair was classed patron-client."""
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.subplots()
    pairs = model.pair_table()
    name = next(x.name for x in model.regimes if x.rid == rid)
    if not pairs.empty:
        pairs = pairs[pairs.regime == rid]
        for pw in model.powers:
            s = pairs[pairs.power == pw.pid]
            ax.plot(s.step, s.tie, color=colour_of(pw.pid, pw.index), lw=2.4, label=pw.name,
                    ls=_dashes(power_dash(pw.index)))
            pc = s[s.classification == "patron_client"]
            ax.scatter(pc.step, pc.tie, color=colour_of(pw.pid, pw.index), s=16, marker="s",
                       zorder=3)
    _empty_note(ax, model)
    ax.axhline(model.p["pc_tie"], ls="--", color="grey", lw=1)
    ax.axhline(model.p["partnership_tie"], ls=":", color="grey", lw=1)
    ax.text(model.n_steps, model.p["pc_tie"], "patron-client possible ", fontsize=8,
            color="grey", ha="right", va="bottom")
    ax.text(model.n_steps, model.p["partnership_tie"], "partnership ", fontsize=8,
            color="grey", ha="right", va="bottom")
    ax.set_ylim(0, 1)
    ax.set_ylabel("tie strength (0-1)")
    ax.set_title(f"{name}: ties to the great powers (squares: patron-client)", fontsize=11,
                 loc="left", pad=20)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(model.powers),
                  fontsize=9, frameon=False, borderaxespad=0.2)
    ax.grid(alpha=0.3)
    date_ticks(ax, model.case, model.n_steps)
    return fig


def tie_summary(model) -> list[str]:
    """One line per pair with a tie, strongest first: what the network shows, in words."""
    rows = []
    for r in model.regimes:
        for pw in model.powers:
            tie = float(model.tau[r.index, pw.index])
            if tie >= 0.01:
                cls = CLASS_LABELS[CLASS_NAMES[int(model.klass[r.index, pw.index])]]
                rows.append((tie, f"{r.name} - {pw.name}: tie {tie:.2f}, {cls}"))
    return [text for _, text in sorted(rows, key=lambda x: -x[0])] or ["no ties yet"]


__all__ = ["network_figure", "threat_figure", "ties_figure", "tie_summary"]

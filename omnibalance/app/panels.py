"""The app's panels as HTML: what a running model looks like on a projector.

Each function reads a model (the stable API: ``regimes``, ``powers``, ``tau``, ``klass``,
``log``, ``p``, ``t``, ``n_steps``, ``hegemon``, ``regime_table()``, ``pair_table()``) and
returns an HTML string with inline SVG (:mod:`.svg`), so a quarter is drawn in milliseconds.
No Solara here: the page (:mod:`.app`) puts these strings on screen and tests read them.
"""

from __future__ import annotations

from html import escape

from ..theory.dynamics import CLASS_NAMES
from . import story
from .palette import CLASS_STYLE, LOG_STYLE, MUTED, THREAT_STYLE, power_colour, power_dash
from .svg import Node, Series, legend_html, line_chart, network

HEAT = (0xD5, 0x5E, 0x00)
"""A regime's node is shaded from white towards vermillion as its hazard rises to 10%."""


def pct(h: float) -> str:
    """A hazard (probability per quarter) as a percentage a class reads correctly: never
    "0.0%" for a small but real risk."""
    p = 100 * h
    if p >= 1:
        return f"{p:.1f}%"
    if p >= 0.01:
        return f"{p:.2f}%"
    return "under 0.01%" if p > 0 else "0%"


def dates(model) -> list[str]:
    """The date of every step 0..n_steps (cached on the model: it never changes)."""
    cached = getattr(model, "_ob_dates", None)
    if cached is None or len(cached) != model.n_steps + 1:
        cached = [model.case.date(s) for s in range(model.n_steps + 1)]
        model._ob_dates = cached
    return cached


def _tables(model):
    """The regime and pair tables, computed once per quarter."""
    cached = getattr(model, "_ob_tables", None)
    if cached is None or cached[0] != model.t:
        cached = (model.t, model.regime_table(), model.pair_table())
        model._ob_tables = cached
    return cached[1], cached[2]


def regime_name(model, rid: str) -> str:
    return next(r.name for r in model.regimes if r.rid == rid)


def _shade(h: float) -> str:
    s = min(1.0, h / 0.10)
    r, g, b = (round(255 - s * (255 - c)) for c in HEAT)
    return f"#{r:02x}{g:02x}{b:02x}"


def network_html(model, show_values: bool = True) -> str:
    """Powers on top, regimes below; edge width = tie strength, colour and dash = class."""
    n_p, n_r = len(model.powers), len(model.regimes)
    few = n_r <= 3
    nodes = [Node(f"p{pw.index}", (pw.index + 0.5) / n_p, 1.0, pw.name,
                  fill=power_colour(pw.pid, pw.index), stroke="#ffffff") for pw in model.powers]
    for r in model.regimes:
        y = 0.0 if few or r.index % 2 == 0 else 0.22
        nodes.append(Node(f"r{r.index}", (r.index + 0.5) / n_r, y,
                          f"{r.name}: {r.leader}" if few else r.name,
                          sub=f"hazard {pct(r.hazard)} a quarter" if few else "",
                          fill=_shade(r.hazard), radius=24 if few else 14))
    edges = []
    for r in model.regimes:
        for pw in model.powers:
            tie = float(model.tau[r.index, pw.index])
            cls = CLASS_NAMES[int(model.klass[r.index, pw.index])]
            note = "barred" if pw.pid in getattr(r, "barred", {}) else ""
            if note or few or tie >= 0.02:
                edges.append((f"p{pw.index}", f"r{r.index}", tie, cls, note))
    legend = legend_html([(st["label"], st["colour"], st["dash"], "")
                          for st in CLASS_STYLE.values()])
    return (legend + '<div class="ob-svgbox">' + network(nodes, edges,
                                                          show_values=show_values and few)
            + '</div><div class="ob-caption">Edge width = tie strength (0 to 1); regime shade = '
            "its leader's risk of losing office.</div>")


def threat_lines(model, rid: str) -> list[Series]:
    """The threat panel's series: internal, external and the hegemon's pressure."""
    regimes, _ = _tables(model)
    r = regimes[regimes.regime == rid] if not regimes.empty else regimes
    out = []
    for name, col in (("internal", "internal_threat"), ("external", "external_threat"),
                      ("pressure", "pressure")):
        st = THREAT_STYLE[name]
        xs = r.step.tolist() if not r.empty else []
        ys = r[col].tolist() if not r.empty else []
        label = {"pressure": f"{model.powers[model.hegemon].pid} pressure",
                 "external": "external threat"}.get(name, st["label"])
        out.append(Series(name, xs, ys, st["colour"], st["dash"], st["marker"],
                          width=3.0 if name != "pressure" else 2.5, label=label))
    return out


def _nice_top(v: float) -> float:
    """The smallest of 1, 2, 5 x a power of ten at or above ``v`` (the hazard axis)."""
    import math

    mag = 10.0 ** math.floor(math.log10(v))
    return next(m * mag for m in (1, 2, 5, 10) if m * mag >= v)


def _leader_steps(model, rid: str) -> list[int]:
    return [ev.step for ev in model.log if ev.regime == rid
            and ev.kind in ("leader_change", "removal")]


def threats_html(model, rid: str) -> str:
    """Internal and external threat, the hegemon's pressure and, below, the hazard."""
    lines = threat_lines(model, rid)
    regimes, _ = _tables(model)
    r = regimes[regimes.regime == rid] if not regimes.empty else regimes
    ds = dates(model)
    note = "press Step or Play" if model.t == 0 else ""
    legend = legend_html([(s.label, s.colour, s.dash, s.marker) for s in lines])
    top = line_chart(lines, ds, y_max=1.0, y_label="threat (0 to 1)",
                     y_ticks=[0, 0.5, 1], vlines=_leader_steps(model, rid), note=note,
                     height=190, css="ob-threat-chart")
    hz = r.hazard.tolist() if not r.empty else []
    peak = _nice_top(max([0.004, *hz]))
    h_series = [Series("hazard", r.step.tolist() if not r.empty else [], hz,
                       THREAT_STYLE["hazard"]["colour"], width=2.5)]
    bottom = line_chart(h_series, ds, y_max=peak, y_label="", y_ticks=[0, peak / 2],
                        vlines=_leader_steps(model, rid), height=110, percent=True,
                        css="ob-hazard-chart")
    now = f" (now {pct(hz[-1])})" if hz else ""
    return (legend + f'<div class="ob-svgbox" style="flex:190">{top}</div>'
            + '<div class="ob-caption">Below: hazard, the chance of losing office in a quarter'
            f"{now}</div>"
            + f'<div class="ob-svgbox" style="flex:110">{bottom}</div>')


def threat_mini_html(model, rid: str, height: int = 170) -> str:
    """The compare view's threat chart: internal and external threat, with a legend."""
    lines = [s for s in threat_lines(model, rid) if s.name != "pressure"]
    chart = line_chart(lines, dates(model), y_max=1.0, y_label="threat", y_ticks=[0, 0.5, 1],
                       vlines=_leader_steps(model, rid), height=height,
                       css="ob-threat-chart")
    return (legend_html([(s.label, s.colour, s.dash, s.marker) for s in lines])
            + f'<div class="ob-svgbox" style="flex:{height}">{chart}</div>')


def tie_lines(model, rid: str) -> list[Series]:
    _, pairs = _tables(model)
    out = []
    for pw in model.powers:
        s = pairs[(pairs.regime == rid) & (pairs.power == pw.pid)] if not pairs.empty else pairs
        xs = s.step.tolist() if not s.empty else []
        ys = s.tie.tolist() if not s.empty else []
        pc = [i for i, c in enumerate(s.classification.tolist())
              if c == "patron_client"] if not s.empty else []
        out.append(Series(pw.pid.lower(), xs, ys, power_colour(pw.pid, pw.index),
                          power_dash(pw.index), label=pw.name, squares_at=pc))
    return out


def ties_html(model, rid: str, height: int = 300, legend: bool = True) -> str:
    """The regime's tie to each great power, with the partnership and patron-client
    thresholds; small squares mark patron-client quarters."""
    lines = tie_lines(model, rid)
    hl = [(model.p["pc_tie"], "patron-client possible", "8 4"),
          (model.p["partnership_tie"], "partnership", "2 4")]
    chart = line_chart(lines, dates(model), y_max=1.0, y_label="tie (0 to 1)",
                       y_ticks=[0, 0.5, 1], hlines=hl,
                       note="press Step or Play" if model.t == 0 else "", height=height,
                       css="ob-ties-chart")
    head = legend_html([(s.label, s.colour, s.dash, "") for s in lines]) if legend else ""
    return head + f'<div class="ob-svgbox" style="flex:{height}">{chart}</div>'


def status(model) -> str:
    return (f"{model.case.name} · {rule_text(model.rule)} · seed {getattr(model, 'seed', '')} "
            f"— step {model.t} of {model.n_steps}, {model.date}")


def rule_text(rule: str) -> str:
    from .classroom import rule_label

    return rule_label(rule)


def _line_html(line: story.Line, css: str = "ob-log-line") -> str:
    colour, tag = LOG_STYLE.get(line.kind, (MUTED, line.kind))
    if line.kind == "first offer":
        colour, tag = LOG_STYLE["deal"][0], "first offer"
    weight = "bold" if line.kind in ("tie", "leader_change", "removal") else "normal"
    style = "font-style:italic;color:#444;" if line.kind == "observed" else ""
    return (f'<div class="{css}" data-kind="{escape(line.kind)}" style="border-left:6px solid '
            f'{colour};font-weight:{weight};{style}"><span class="ob-date">{escape(line.date)}'
            f'</span> <span class="ob-tag" style="color:{colour}">{escape(tag)}</span> '
            f"{escape(line.text)}</div>")


def story_html(model) -> str:
    """Key moments pinned (oldest first), then the log with repeated deals folded, newest
    first, and what "M" means."""
    events = list(model.log)
    if not events:
        return ('<div class="ob-log-empty">Nothing has happened yet: press Step or '
                "Play.</div>")
    keys = story.key_moments(events)
    log = story.collapsed(events)[::-1]
    return ('<div class="ob-subhead">Key moments</div><div class="ob-keys">'
            + "".join(_line_html(k, "ob-key-line") for k in keys) + "</div>"
            + f'<div class="ob-subhead">Everything, newest first ({len(events)} events; '
            "repeated deals folded)</div>"
            + '<div class="ob-log-lines">' + "".join(_line_html(x) for x in log)
            + f'<div class="ob-caption">{escape(story.M_MEANING)}</div></div>')


def key_moments_html(model, rid: str, limit: int = 6) -> str:
    """The latest ``limit`` key moments of one regime, except the essay's facts (the compare
    view's short story)."""
    keys = [k for k in story.key_moments([e for e in model.log if e.regime == rid])
            if k.kind != "observed"][-limit:]
    return '<div class="ob-keys">' + "".join(_line_html(k, "ob-key-line") for k in keys) + \
        "</div>"


def outcome(model, rid: str) -> str:
    """One line on how a run stands: the first patron-client tie, leader changes, hazard."""
    first = next((ev for ev in model.log if ev.regime == rid and ev.kind == "tie"
                  and ev.note == "patron_client"), None)
    changes = sum(1 for ev in model.log if ev.regime == rid
                  and ev.kind in ("leader_change", "removal"))
    r = next(x for x in model.regimes if x.rid == rid)
    pc = "no patron-client tie" if first is None else \
        f"patron-client with {_power_name(model, first.power)} from {first.date}"
    return (f"{pc}; {changes} change{'s' if changes != 1 else ''} of leader; hazard now "
            f"{pct(r.hazard)}")


def _power_name(model, pid) -> str:
    return next((pw.name for pw in model.powers if pw.pid == pid), str(pid))

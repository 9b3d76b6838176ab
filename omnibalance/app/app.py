"""The classroom app: Mesa's ``SolaraViz`` around :class:`.classroom.ClassroomModel`.

Serve it with ``omnibalance app`` (or ``solara run omnibalance.app.app``). As in Mesa's
examples, the app imports the model and the model knows nothing of the app.

Left, Mesa's controls (Reset, play/pause, Step) and the choices: scenario preset, alignment
rule, seed and the key parameters' sliders, generated from their declarations. Changing the
preset, the rule or the seed starts a new run at once; slider changes take effect on Reset
(Mesa's convention), so a class can set several before restarting. Right: the network of ties,
the threats and hazard, the ties over time, and the event log in words, newest first.

Every browser tab is its own session: its own model and its own choices (Solara keeps the
value of a module-level ``solara.reactive`` per session).
"""

from __future__ import annotations

import html
import threading

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from ..params import PARAMETERS, RULES
from . import figures
from .classroom import (
    DEFAULT_SEED,
    SLIDERS,
    ClassroomModel,
    Preset,
    default_preset,
    presets,
    rule_label,
    slider_spec,
    slider_value,
)

TITLE = "Omnibalancing in the classroom"
PLAY_INTERVAL_MS = 300
"""Slow enough to watch a quarter go by; Mesa's play-interval slider changes it."""
LOG_LINES = 80

_PRESET = solara.reactive(default_preset(presets()).label)
_RULE = solara.reactive(rule_label("omnibalance"))
_SEED = solara.reactive(str(DEFAULT_SEED))
_FOCUS: solara.Reactive[str | None] = solara.reactive(None)

_slider_lock = threading.Lock()
_slider_vars: dict[str, dict[str, solara.Reactive]] = {}


def _sliders_for(preset: Preset) -> dict[str, solara.Reactive]:
    """The slider variables of one preset (values per browser session). Each preset keeps its
    own, starting at that preset's parameter values, so a preset change resets them cleanly
    and a rule change keeps them (the comparison a class makes)."""
    with _slider_lock:
        if preset.id not in _slider_vars:
            _slider_vars[preset.id] = {n: solara.reactive(slider_value(n, preset.scenario))
                                       for n in SLIDERS}
        return _slider_vars[preset.id]


def _focus_of(model) -> str:
    rids = [r.rid for r in model.regimes]
    return _FOCUS.value if _FOCUS.value in rids else rids[0]


def _status(model) -> str:
    return (f"{model.case.name} · {rule_label(model.rule)} · seed {model.seed} — "
            f"step {model.t} of {model.n_steps}, {model.date}")


def NetworkView(model):
    """The network of regimes and powers, the status line and the ties in words."""
    fig = solara.use_memo(lambda: figures.network_figure(model), [model, model.t])
    with solara.Column(classes=["ob-network"], gap="4px") as main:
        solara.Text(_status(model), classes=["ob-status"],
                    style={"font-weight": "bold", "font-size": "15px"})
        if model.seed_note:
            solara.Warning(model.seed_note, dense=True)
        solara.FigureMatplotlib(fig, dependencies=[model, model.t], format="png", dpi=100)
        solara.Text(";  ".join(figures.tie_summary(model)[:4]),
                    classes=["ob-network-summary"], style={"font-size": "13px"})
    return main


def _focus_select(model) -> None:
    if len(model.regimes) > 1:
        names = {r.name: r.rid for r in model.regimes}
        current = next(n for n, rid in names.items() if rid == _focus_of(model))
        solara.Select("Regime shown", values=list(names), value=current,
                      on_value=lambda n: _FOCUS.set(names[n]), dense=True)


def ThreatView(model):
    """Internal and external threat, hegemon pressure and hazard of the regime shown."""
    rid = _focus_of(model)
    fig = solara.use_memo(lambda: figures.threat_figure(model, rid), [model, model.t, rid])
    with solara.Column(classes=["ob-threats"], gap="4px") as main:
        _focus_select(model)
        solara.FigureMatplotlib(fig, dependencies=[model, model.t, rid], format="png", dpi=100)
    return main


def TiesView(model):
    """The regime's ties to each great power over time."""
    rid = _focus_of(model)
    fig = solara.use_memo(lambda: figures.ties_figure(model, rid), [model, model.t, rid])
    with solara.Column(classes=["ob-ties"], gap="4px") as main:
        solara.FigureMatplotlib(fig, dependencies=[model, model.t, rid], format="png", dpi=100)
    return main


_KIND_STYLE = {
    "deal": "border-left:4px solid #2e8b57;",
    "refusal": "border-left:4px solid #e67e22;",
    "tie": "border-left:4px solid #c0392b;font-weight:bold;",
    "leader_change": "border-left:4px solid #000;font-weight:bold;",
    "removal": "border-left:4px solid #000;font-weight:bold;",
    "election": "border-left:4px solid #555;",
    "recession": "border-left:4px solid #8e44ad;",
    "observed": "border-left:4px solid #bbb;color:#666;font-style:italic;",
}


def log_html(model, limit: int = LOG_LINES) -> str:
    """The newest ``limit`` events as HTML, newest first; the essay's observed facts in grey."""
    events = list(model.log)[::-1][:limit]
    if not events:
        return ('<div class="ob-log-empty" style="color:#888">Nothing has happened yet: '
                "press Step or Play.</div>")
    rows = []
    for ev in events:
        text = ev.text
        if ev.kind == "observed":
            text = "history (the essay): " + text.removeprefix("observed: ")
        elif ev.note and ev.kind in ("election", "leader_change"):
            text += f" [{ev.note}]"
        style = _KIND_STYLE.get(ev.kind, "border-left:4px solid #ddd;")
        rows.append(f'<div class="ob-log-line" style="{style}padding:2px 8px;margin:2px 0">'
                    f'<span style="font-family:monospace;color:#555">{html.escape(ev.date)}'
                    f"</span>&nbsp; {html.escape(text)}</div>")
    more = len(model.log) - len(events)
    tail = f'<div style="color:#888">... and {more} earlier events</div>' if more > 0 else ""
    return "".join(rows) + tail


def LogView(model):
    """The event log in words, newest first."""
    with solara.Column(classes=["ob-log"], gap="4px") as main:
        solara.Text(f"What happened ({len(model.log)} events, newest first)",
                    style={"font-weight": "bold", "font-size": "15px"})
        solara.HTML(tag="div", unsafe_innerHTML=log_html(model),
                    style={"max-height": "330px", "overflow-y": "auto", "font-size": "13px",
                           "line-height": "1.35"})
    return main


def model_params(choices: list[Preset], preset: Preset) -> dict:
    """Mesa ``model_params``: the preset and rule selectors, the seed and the sliders. Their
    values are this session's reactive variables, so a change is seen by :func:`Page`."""
    sliders = _sliders_for(preset)
    return {
        "preset": {"type": "Select", "label": "Scenario preset", "value": _PRESET,
                   "values": [p.label for p in choices]},
        "rule": {"type": "Select", "label": "Alignment rule", "value": _RULE,
                 "values": [rule_label(r) for r in RULES]},
        "seed": {"type": "InputText", "label": "Seed (a whole number; Enter to apply)",
                 "value": _SEED},
        **{n: slider_spec(n, sliders[n]) for n in SLIDERS},
    }


@solara.component
def Page():
    choices = solara.use_memo(presets, [])
    by_label = {p.label: p for p in choices}
    preset = by_label.get(_PRESET.value) or default_preset(choices)
    rule, seed = _RULE.value, _SEED.value
    for var in _sliders_for(preset).values():
        _ = var.value  # re-render on a slider change, so its label shows the new value
    key = f"{preset.id}|{rule}|{seed}"

    def build():
        values = {n: v.peek() for n, v in _sliders_for(preset).items()}
        return ClassroomModel(preset.label, rule, seed, **values)

    # A preset, rule or seed change builds a new model, which SolaraViz takes up (its
    # use_reactive follows a changed argument): the run restarts at step 0 with the new choice.
    # Known wart: made while playing, the change leaves Mesa's controller showing pause (its
    # play state is its own); one click on it gives play back.
    model = solara.use_memo(build, [key])
    SolaraViz(model, components=[NetworkView, ThreatView, TiesView, LogView],
              model_params=model_params(choices, preset), name=TITLE,
              play_interval=PLAY_INTERVAL_MS)


page = Page

__all__ = ["Page", "page", "log_html", "model_params", "PARAMETERS", "update_counter"]


"""The classroom app: a Solara page around :class:`.classroom.ClassroomModel`, made for a
projector.

Serve it with ``omnibalance app`` (or ``solara run omnibalance.app.app``). The model knows
nothing of the app.

Top bar: the title, what is running (case, rule, seed, quarter) and the buttons Reset, play /
pause and Step. Left, a sidebar that collapses: the scenario preset, the alignment rule, the
seed, the side-by-side switch and the sliders (generated from their declarations; a slider
moved since the last Reset is marked until Reset applies it). An "advanced" switch shows the
playback speed and how many quarters to run per redraw. Right, four panels: the network of
ties, the threats and hazard, the ties over time, and the story (key moments pinned above the
log, repeated deals folded). With "compare rules" on, the same preset and seed run under two
or four rules at once, side by side, stepped together.

This page does not use Mesa's ``SolaraViz``: its controller keeps its own play state (a rule
changed while playing left its pause button stuck), it redraws every component each quarter,
and it shows controls (render interval, threads, a page tab) a class does not need. The loop
here is a thread that steps the model(s), redraws and waits out the rest of the interval;
pausing, or any change of choice, ends it.

Every browser tab is its own session: its own models and choices (Solara keeps a
module-level ``solara.reactive`` per session).
"""

from __future__ import annotations

import threading
import time

import solara
from solara.server import settings as _solara_settings

from ..params import RULES
from . import panels
from .classroom import (
    DEFAULT_SEED,
    SLIDERS,
    ClassroomModel,
    Preset,
    default_preset,
    presets,
    rule_label,
    slider_label,
    slider_spec,
    slider_value,
)
from .style import CSS

TITLE = "Omnibalancing in the classroom"
PLAY_INTERVAL_MS = 200
"""Time per quarter while playing (the advanced switch changes it): 40 quarters in 8 s."""
COMPARE_SETS = {"2 rules: omnibalance and balance of power": ("omnibalance", "balance_of_power"),
                "all 4 rules": tuple(RULES)}

# No "This website runs on Solara" badge over the log (read when a page is served).
_solara_settings.theme.show_banner = False

_PRESET = solara.reactive(default_preset(presets()).label)
_RULE = solara.reactive(rule_label("omnibalance"))
_SEED = solara.reactive(str(DEFAULT_SEED))
_COMPARE = solara.reactive(False)
_COMPARE_SET = solara.reactive(next(iter(COMPARE_SETS)))
_FOCUS: solara.Reactive[str | None] = solara.reactive(None)
_RESETS = solara.reactive(0)
_PLAYING = solara.reactive(False)
_LOOP_ALIVE = solara.reactive(False)
_TICK = solara.reactive(0)
_SIDEBAR = solara.reactive(True)
_ADVANCED = solara.reactive(False)
_INTERVAL = solara.reactive(PLAY_INTERVAL_MS)
_PER_REDRAW = solara.reactive(1)

_slider_lock = threading.Lock()
_slider_vars: dict[str, dict[str, solara.Reactive]] = {}


def _sliders_for(preset: Preset) -> dict[str, solara.Reactive]:
    """The slider variables of one preset (per browser session). Each preset keeps its own,
    starting at that preset's values; a rule change keeps them (the comparison a class
    makes)."""
    with _slider_lock:
        if preset.id not in _slider_vars:
            _slider_vars[preset.id] = {n: solara.reactive(slider_value(n, preset.scenario))
                                       for n in SLIDERS}
        return _slider_vars[preset.id]


def changed_sliders(values: dict, applied: dict) -> list[str]:
    """The sliders whose value differs from the one the running model was built with."""
    return [n for n, v in values.items() if abs(float(v) - float(applied.get(n, v))) > 1e-12]


def build_models(preset: Preset, rules: tuple[str, ...], seed: str, values: dict) -> list:
    """One model per rule, same preset, seed and slider values; ``applied`` remembers the
    values so the page can mark a slider moved since."""
    out = []
    for rule in rules:
        m = ClassroomModel(preset.label, rule, seed, **values)
        m.applied = dict(values)
        m.lock = threading.RLock()  # held while stepping and while drawing: never half a step
        out.append(m)
    return out


def _stop_playing() -> None:
    _PLAYING.set(False)


def _choose(var: solara.Reactive):
    def set_value(value) -> None:
        _stop_playing()  # any change of choice pauses: the play button is never left stuck
        var.set(value)
    return set_value


def _focus_of(model) -> str:
    rids = [r.rid for r in model.regimes]
    return _FOCUS.value if _FOCUS.value in rids else rids[0]


@solara.component
def Controls(models: list, busy: bool):
    """Reset, play/pause and Step, for every model on screen at once."""
    done = bool(models) and all(m.t >= m.n_steps for m in models)

    def step_all() -> None:
        for m in models:
            with m.lock:
                if m.t < m.n_steps:
                    m.step()

    def step_once() -> None:
        step_all()
        _TICK.set(_TICK.value + 1)

    def play(cancel: threading.Event) -> None:
        if not _PLAYING.value or not models:
            return
        _LOOP_ALIVE.set(True)
        try:
            while not cancel.is_set() and _PLAYING.value:
                t0 = time.monotonic()
                for _ in range(max(1, int(_PER_REDRAW.value))):
                    step_all()
                _TICK.set(_TICK.value + 1)
                if all(m.t >= m.n_steps for m in models):
                    _PLAYING.set(False)
                    break
                cancel.wait(max(0.0, _INTERVAL.value / 1000 - (time.monotonic() - t0)))
        finally:
            _LOOP_ALIVE.set(False)

    solara.use_thread(play, dependencies=[_PLAYING.value, id(models[0]) if models else 0],
                      intrusive_cancel=False)

    def reset() -> None:
        _stop_playing()
        _RESETS.set(_RESETS.value + 1)

    with solara.Row(classes=["ob-buttons"], gap="6px"):
        solara.Button("Reset", on_click=reset, color="primary", disabled=busy)
        solara.Button("❚❚" if _PLAYING.value else "▶", color="primary",
                      on_click=lambda: _PLAYING.set(not _PLAYING.value),
                      disabled=busy or (done and not _PLAYING.value), classes=["ob-play"])
        solara.Button("Step", on_click=step_once, color="primary",
                      disabled=busy or _PLAYING.value or done)


@solara.component
def Sidebar(choices: list[Preset], preset: Preset, models: list):
    with solara.Column(classes=["ob-sidebar"], gap="2px"):
        solara.Select("Scenario preset", values=[p.label for p in choices],
                      value=_PRESET.value, on_value=_choose(_PRESET))
        solara.Select("Alignment rule", values=[rule_label(r) for r in RULES],
                      value=_RULE.value, on_value=_choose(_RULE), disabled=_COMPARE.value)
        solara.InputText("Seed (a whole number; Enter to apply)", value=_SEED.value,
                         on_value=_choose(_SEED), continuous_update=False)
        solara.Switch(label="compare rules side by side", value=_COMPARE.value,
                      on_value=_choose(_COMPARE))
        if _COMPARE.value:
            solara.Select("Rules compared", values=list(COMPARE_SETS),
                          value=_COMPARE_SET.value, on_value=_choose(_COMPARE_SET))
        if models and len(models[0].regimes) > 1:
            names = {r.name: r.rid for r in models[0].regimes}
            current = next(n for n, rid in names.items() if rid == _focus_of(models[0]))
            solara.Select("Regime shown", values=list(names), value=current,
                          on_value=lambda n: _FOCUS.set(names[n]))
        sliders = _sliders_for(preset)
        applied = models[0].applied if models else {}
        moved = changed_sliders({n: v.value for n, v in sliders.items()}, applied)
        if moved:
            solara.Warning(f"{len(moved)} slider{'s' if len(moved) > 1 else ''} moved since "
                           "the last Reset: press Reset to apply.", dense=True,
                           classes=["ob-moved"])
        for name, var in sliders.items():
            spec = slider_spec(name, var.value)
            label = spec["label"] + (" ● press Reset" if name in moved else "")
            widget = solara.SliderInt if spec["type"] == "SliderInt" else solara.SliderFloat
            widget(label, value=var, min=spec["min"], max=spec["max"], step=spec["step"])
        solara.Switch(label="advanced", value=_ADVANCED)
        if _ADVANCED.value:
            solara.SliderInt(f"ms per quarter while playing = {_INTERVAL.value}",
                             value=_INTERVAL, min=0, max=1500, step=50)
            solara.SliderInt(f"quarters per redraw = {_PER_REDRAW.value}", value=_PER_REDRAW,
                             min=1, max=20)


def _panel(title: str, body: str, css: str, t: int) -> None:
    """A panel: its title and its HTML body, marked with the quarter ``t`` it shows (the
    browser test waits for that mark)."""
    with solara.Column(classes=["ob-panel", css], gap="0px"):
        solara.HTML(tag="div", unsafe_innerHTML=title, classes=["ob-panel-title"])
        solara.HTML(tag="div", classes=["ob-panel-body"], unsafe_innerHTML=(
            f'<div class="ob-at" data-step="{t}" hidden></div>' + body))


@solara.component
def SingleView(model, t: tuple):
    """The four panels of one run; ``t`` (the quarter shown) makes each quarter a new render."""
    del t
    rid = _focus_of(model)
    name = panels.regime_name(model, rid)
    with model.lock:
        at = model.t
        bodies = (panels.network_html(model), panels.threats_html(model, rid),
                  panels.ties_html(model, rid), panels.story_html(model))
    with solara.Div(classes=["ob-grid", "ob-grid-4"]):
        _panel("Ties between the regimes and the great powers", bodies[0], "ob-network", at)
        _panel(f"{name}: which threat? (internal, external)", bodies[1], "ob-threats", at)
        _panel(f"{name}: ties to each great power over time", bodies[2], "ob-ties", at)
        _panel("What happened", bodies[3], "ob-log", at)


@solara.component
def CompareView(models: list, t: tuple):
    """One panel per rule: the ties over time and how the run stands; ``t`` as above."""
    del t
    rid = _focus_of(models[0])
    name = panels.regime_name(models[0], rid)
    with models[0].lock:
        legend = panels.ties_html(models[0], rid).split('<div class="ob-svgbox"')[0]
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"<b>{name}: ties to each great power, same preset and seed, one rule per panel</b>"
        + legend), classes=["ob-compare-head"])
    with solara.Div(classes=["ob-grid", f"ob-grid-{len(models)}"]):
        for m in models:
            two = len(models) <= 2
            with m.lock:
                at = m.t
                body = (panels.ties_html(m, rid, height=230, legend=False)
                        + f'<div class="ob-outcome">{panels.outcome(m, rid)}</div>'
                        + (panels.threat_mini_html(m, rid) + panels.key_moments_html(m, rid, 4)
                           if two else ""))
            _panel(panels.rule_text(m.rule), body, "ob-compare", at)


@solara.component
def Page():
    solara.Style(CSS)
    _ = _TICK.value  # re-render after each quarter
    choices = solara.use_memo(presets, [])
    by_label = {p.label: p for p in choices}
    preset = by_label.get(_PRESET.value) or default_preset(choices)
    sliders = _sliders_for(preset)
    for var in sliders.values():
        _ = var.value  # re-render on a slider change, to mark it moved
    rules = COMPARE_SETS[_COMPARE_SET.value] if _COMPARE.value else \
        (next(r for r in RULES if rule_label(r) == _RULE.value),)
    key = (preset.id, rules, _SEED.value, _RESETS.value)

    def build():
        return build_models(preset, rules, _SEED.value, {n: v.peek() for n, v in
                                                         sliders.items()})

    result = solara.use_thread(build, dependencies=[key], intrusive_cancel=False)
    ready = result.state == solara.ResultState.FINISHED and result.value is not None
    models = result.value if ready else []
    busy = not ready
    with solara.Column(classes=["ob-page"], gap="0px"):
        with solara.Row(classes=["ob-topbar"], gap="10px"):
            solara.Button("☰", on_click=lambda: _SIDEBAR.set(not _SIDEBAR.value),
                          classes=["ob-menu"], text=True)
            solara.HTML(tag="div", unsafe_innerHTML="Omnibalancing", classes=["ob-title"])
            Controls(models, busy)
            if busy:
                solara.HTML(tag="div", classes=["ob-busy"], unsafe_innerHTML=(
                    f"Loading {preset.label} · "
                    + (", ".join(rule_label(r) for r in rules)) + " …"))
            elif models:
                state = "playing" if _LOOP_ALIVE.value else "paused"
                solara.HTML(tag="div", classes=["ob-status"], unsafe_innerHTML=(
                    f'<span class="ob-state" data-state="{state}">{state}</span> '
                    + panels.status(models[0]) if len(models) == 1 else
                    f'<span class="ob-state" data-state="{state}">{state}</span> '
                    +
                    f"{models[0].case.name} · {len(models)} rules · seed {models[0].seed} — "
                    f"step {models[0].t} of {models[0].n_steps}, {models[0].date}")
                    )
            if result.state == solara.ResultState.ERROR:
                solara.Error(f"could not start the run: {result.error}")
        with solara.Row(classes=["ob-body"], gap="0px"):
            if _SIDEBAR.value:
                Sidebar(choices, preset, models)
            with solara.Column(classes=["ob-main"], gap="0px"):
                if models and models[0].seed_note:
                    solara.Warning(models[0].seed_note, dense=True)
                if busy:
                    solara.ProgressLinear(True)
                elif len(models) == 1:
                    SingleView(models[0], (_TICK.value, models[0].t))
                elif models:
                    CompareView(models, (_TICK.value, models[0].t))


page = Page

__all__ = ["Page", "page", "build_models", "changed_sliders", "slider_label"]

"""The classroom app without a browser: choices, sliders, model, figures, log, command.

The browser test (tests/test_app_browser.py) drives the served page; these check the pieces it
is made of, fast.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import numpy as np
import pytest

from omnibalance.app.classroom import (
    DEFAULT_PRESET,
    SLIDERS,
    ClassroomModel,
    _nice_step,
    parse_seed,
    presets,
    rule_from_label,
    rule_label,
    slider_help,
    slider_spec,
    slider_value,
)
from omnibalance.errors import ConfigError
from omnibalance.params import PARAMETERS, RULES
from omnibalance.scenario import list_presets, load_scenario


class FakeReactive:
    """What Mesa hands the model on Reset before a control was touched: Solara's reactive
    variable (anything with ``.value`` and ``.subscribe``)."""

    def __init__(self, value):
        self.value = value

    def subscribe(self, listener):  # pragma: no cover - never called
        return lambda: None


# --- choices ------------------------------------------------------------------------------
def test_presets_are_the_seeds_folder():
    assert [p.id for p in presets()] == list_presets()
    labels = [p.label for p in presets()]
    assert len(set(labels)) == len(labels)
    assert "Nicaragua 2007" in labels


def test_rule_labels_round_trip():
    for rule in RULES:
        assert rule_from_label(rule_label(rule)) == rule
        assert rule_from_label(rule) == rule
    with pytest.raises(ConfigError):
        rule_from_label("balance of terror")


def test_parse_seed():
    assert parse_seed("12") == 12 and parse_seed(" 0 ") == 0 and parse_seed(7) == 7
    assert parse_seed("-1") is None and parse_seed("1.5") is None and parse_seed("abc") is None


# --- sliders: one source of truth ---------------------------------------------------------
@pytest.mark.parametrize("name", SLIDERS)
def test_sliders_come_from_the_declarations(name):
    decl = PARAMETERS[name]
    case = load_scenario(DEFAULT_PRESET)
    value = slider_value(name, case)
    spec = slider_spec(name, value)
    assert (spec["min"], spec["max"]) == (decl.low, decl.high)
    assert spec["type"] == ("SliderInt" if decl.kind is int else "SliderFloat")
    assert spec["value"] == case.parameters.get(name, decl.default)
    # The browser snaps a slider to its step: the default and the preset's value must lie on it.
    for v in (decl.default, value):
        q = (v - decl.low) / spec["step"]
        assert abs(q - round(q)) < 1e-6, (name, v, spec["step"])
    assert 0 < spec["step"] <= (decl.high - decl.low) / 40
    assert decl.meaning in slider_help(name) and decl.unit in slider_help(name)


def test_slider_step_fits_awkward_values():
    assert _nice_step(0.0, 2.0, float, (0.15,)) == pytest.approx(0.01)
    assert _nice_step(0.0, 1.0, float, (0.6, 0.73)) == pytest.approx(0.01)
    assert _nice_step(0.0, 200.0, float, (30.0,)) == pytest.approx(2.0)
    assert _nice_step(1, 40, int, (8,)) == 1


def test_slider_label_shows_the_current_value():
    spec = slider_spec("us_pressure", FakeReactive(0.8))
    assert spec["label"] == "US pressure = 0.8"


# --- the model the app re-creates -----------------------------------------------------------
def test_classroom_model_takes_what_mesa_passes_on_reset():
    import mesa.experimental.scenarios as mesa_scenarios

    m = ClassroomModel(preset=FakeReactive("Nicaragua 2007"),
                       rule=FakeReactive(rule_label("balance_of_power")), seed=FakeReactive("3"),
                       scenario=mesa_scenarios.Scenario(), us_pressure=FakeReactive(0.9),
                       tie_decay=0.2)
    assert m.preset == "nicaragua_2007" and m.rule == "balance_of_power" and m.seed == 3
    assert m.p["us_pressure"] == 0.9 and m.p["tie_decay"] == 0.2
    assert m.seed_note == ""


def test_classroom_model_is_the_model_with_the_same_seed():
    from omnibalance.model import OmnibalanceModel

    a = ClassroomModel("nicaragua_2007", "omnibalance", "5").run()
    # The classroom runs at the declared defaults (docs/teaching.md), not the searched
    # calibration.
    b = OmnibalanceModel("nicaragua_2007", "omnibalance", rng=5, calibrated=False).run()
    np.testing.assert_array_equal(a.tau, b.tau)
    assert a.log.lines() == b.log.lines()
    assert a.p == b.p != OmnibalanceModel("nicaragua_2007", "omnibalance", rng=5).p


def test_a_bad_seed_is_named_not_fatal():
    m = ClassroomModel(seed="forty-two")
    assert m.seed == 1 and "forty-two" in m.seed_note


# --- figures and log --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def stepped():
    m = ClassroomModel("nicaragua_2007", "omnibalance", "1")
    for _ in range(12):
        m.step()
    return m


def test_network_edges_are_tie_strength_and_class(stepped):
    from omnibalance.app.figures import CLASS_COLOURS, CLASS_LABELS, network_figure
    from omnibalance.theory.dynamics import CLASS_NAMES

    fig = network_figure(stepped)
    edges = [ln for ln in fig.axes[0].lines if ln.get_color() in CLASS_COLOURS.values()]
    drawn = {round(ln.get_linewidth(), 6): ln.get_color() for ln in edges}
    nic = stepped.regimes[0]
    for pw in stepped.powers:
        if pw.pid in nic.barred:
            continue
        tie = stepped.tau[nic.index, pw.index]
        width = round(0.8 + 14 * tie, 6)
        assert width in drawn, (pw.pid, tie)
        assert drawn[width] == CLASS_COLOURS[CLASS_NAMES[stepped.klass[nic.index, pw.index]]]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == list(CLASS_LABELS.values())


def test_time_series_have_dates_and_all_series(stepped):
    from omnibalance.app.figures import threat_figure, ties_figure

    fig = threat_figure(stepped, "NIC")
    ax1, ax2 = fig.axes
    labels = [ln.get_label() for ln in ax1.lines]
    assert {"internal threat", "external threat (after deterrence)"} <= set(labels)
    assert any("pressure" in x for x in labels)
    assert ax2.get_ylabel().startswith("hazard")
    years = [t.get_text() for t in ax2.get_xticklabels()]
    assert years[0] == "2007" and all(y.isdigit() for y in years)
    ties = ties_figure(stepped, "NIC")
    assert [ln.get_label() for ln in ties.axes[0].lines][:3] == [p.name for p in stepped.powers]


def test_figures_before_the_first_step():
    from omnibalance.app.figures import network_figure, threat_figure, tie_summary, ties_figure

    m = ClassroomModel()
    for fig in (network_figure(m), threat_figure(m, "NIC"), ties_figure(m, "NIC")):
        assert fig.axes
    assert tie_summary(m) == ["no ties yet"]


def test_region_scenario_draws():
    if "latin_america_2007" not in list_presets():
        pytest.skip("no region preset yet")
    from omnibalance.app.figures import network_figure, threat_figure

    m = ClassroomModel("latin_america_2007", "omnibalance", "1")
    m.step()
    network_figure(m)
    threat_figure(m, m.regimes[-1].rid)


def test_svg_network_edges_are_tie_strength_and_class(stepped):
    import re

    from omnibalance.app.palette import CLASS_STYLE
    from omnibalance.app.panels import network_html
    from omnibalance.theory.dynamics import CLASS_NAMES

    html = network_html(stepped)
    edges = re.findall(r'<line class="ob-edge" data-class="(\w+)"[^>]*stroke="([^"]+)" '
                       r'stroke-width="([\d.]+)"', html)
    nic = stepped.regimes[0]
    drawn = [(cls, colour, float(w)) for cls, colour, w in edges if cls != "barred"]
    for pw in stepped.powers:
        if pw.pid in nic.barred:
            continue
        cls = CLASS_NAMES[stepped.klass[nic.index, pw.index]]
        width = 1.5 + 14 * stepped.tau[nic.index, pw.index]
        assert any(c == cls and col == CLASS_STYLE[cls]["colour"] and abs(w - width) < 0.06
                   for c, col, w in drawn), (pw.pid, cls, width, drawn)
    assert html.count('data-class="barred"') == len(nic.barred)


def test_svg_panels_have_every_series_and_years(stepped):
    from omnibalance.app.panels import threats_html, ties_html

    threats = threats_html(stepped, "NIC")
    for name in ("internal", "external", "pressure", "hazard"):
        assert f"ob-line-{name}" in threats
    assert ">2007<" in threats and ">2010<" in threats
    ties = ties_html(stepped, "NIC")
    for pw in stepped.powers:
        assert f"ob-line-{pw.pid.lower()}" in ties and pw.name in ties


def test_panels_before_the_first_step_and_for_the_region():
    from omnibalance.app.panels import network_html, story_html, threats_html, ties_html

    m = ClassroomModel()
    assert "press Step or Play" in threats_html(m, "NIC") + ties_html(m, "NIC")
    assert "Nothing has happened yet" in story_html(m) and network_html(m)
    if "latin_america_2007" in list_presets():
        r = ClassroomModel("latin_america_2007", "omnibalance", "1")
        r.step()
        assert network_html(r).count("ob-node") == len(r.regimes) + len(r.powers)
        assert "ob-line-internal" in threats_html(r, r.regimes[-1].rid)


def test_hazard_is_never_shown_as_zero_percent():
    from omnibalance.app.panels import pct

    assert pct(0.00008) == "under 0.01%" and pct(0.0009) == "0.09%" and pct(0.05) == "5.0%"
    assert pct(0.0) == "0%"


def test_story_is_newest_first_escaped_and_spells_out_m(stepped):
    from omnibalance.app.panels import story_html
    from omnibalance.events import LogEvent

    html = story_html(stepped)
    log = html.split("Everything, newest first")[1]
    dates = [e.date for e in stepped.log]
    assert log.index(dates[-1]) < log.index(dates[0])
    assert " M " not in html and " M)" not in html and "military budget" in html
    stepped.log.events.append(LogEvent(stepped.t, stepped.date, "deal", "NIC", None,
                                       "<script>alert(1)</script>"))
    try:
        assert "<script>" not in story_html(stepped)
    finally:
        stepped.log.events.pop()


def test_app_module_builds_models_and_marks_moved_sliders():
    from omnibalance.app.app import build_models, changed_sliders

    choices = presets()
    nic = next(p for p in choices if p.id == DEFAULT_PRESET)
    values = {n: slider_value(n, nic.scenario) for n in SLIDERS}
    models = build_models(nic, ("omnibalance", "balance_of_power"), "3", values)
    assert [m.rule for m in models] == ["omnibalance", "balance_of_power"]
    assert all(m.seed == 3 and m.applied == values for m in models)
    assert changed_sliders(values, models[0].applied) == []
    moved = dict(values, us_pressure=values["us_pressure"] + 0.1)
    assert changed_sliders(moved, models[0].applied) == ["us_pressure"]


def test_internal_threat_slider_says_baseline():
    assert slider_spec("internal_threat", 0.0)["label"] == "baseline internal threat = 0"


# --- the command --------------------------------------------------------------------------
def test_app_command_is_registered():
    out = subprocess.run([sys.executable, "-m", "omnibalance", "app", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "--host" in out and "--port" in out and "127.0.0.1" in out


def test_busy_port_is_one_line_and_exit_2():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        res = subprocess.run([sys.executable, "-m", "omnibalance", "app", "--port", str(port)],
                             capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "--port" in res.stderr


def test_server_command_is_local_and_quiet():
    from omnibalance.app.cli import server_command, server_env

    cmd = server_command("127.0.0.1", 8765)
    assert cmd[:4] == [sys.executable, "-m", "solara", "run"]
    assert "omnibalance.app.app" in cmd and "--no-open" in cmd and "--production" in cmd
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    env = server_env({})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"


def test_required_assets_are_pinned_npm_packages():
    from omnibalance.app.assets import required_assets

    found = dict(required_assets())
    assert "requirejs" in found and "@widgetti/vue-grid-layout" in found
    assert all(v[0].isdigit() for v in found.values())

"""The scenario format (issue Model 2, section 9): starting ties, debts and stakes; set events
for any regime or power field; per-field sources; the include search path; the documented
format. Bad values are in tests/test_bad_input.py's table."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from omnibalance import scenario as scenario_mod
from omnibalance.cli import main
from omnibalance.engine import build_world, events, run_batch
from omnibalance.engine.batch import SERIES_PAIR, SERIES_REGIME
from omnibalance.engine.state import State
from omnibalance.errors import ConfigError
from omnibalance.model import OmnibalanceModel
from omnibalance.scenario import SEEDS_DIR, list_presets, load_scenario


def _start_state(tie, debt, stake, support):
    return (f"\n[regimes.VEN.start_state.RUS]\ntie = {tie}\ndebt = {debt}\nstake = {stake}\n"
            f"support = {support}\n")


START = _start_state(0.3, 0.5, 0.2, 0.1)

INSURGENCY = """
[[events]]
date = "2010Q1"
kind = "set"
regime = "VEN"
internal_threat_offset = 0.4
note = "an insurgency (test)"

[[events]]
date = "2011Q1"
kind = "set"
power = "RUS"
budget = 0.0
note = "Russia's budget for the region cut to nothing (test)"
"""
SET_STEP, CUT_STEP = 12, 16

BLANK = _start_state(0.0, 0.0, 0.0, 0.0)
"""The preset's own starting state (its 2005-2006 Russian arms) taken away: a blank slate."""


def _case(tmp_path: Path, text: str, base: str = "venezuela_2007"):
    """A scenario in a folder of its own that includes a preset (found among the presets)."""
    path = tmp_path / "case.toml"
    path.write_text(f'include = ["{base}.toml"]\n' + text)
    return load_scenario(path)


def _seeds(n):
    return [np.random.SeedSequence(99, spawn_key=(r,)) for r in range(n)]


# --- starting ties, debts, stakes ------------------------------------------------------------
def test_start_state_is_loaded_and_initialises_the_pair_state(tmp_path):
    case = _case(tmp_path, START)
    ven = case.regimes[0]
    assert dict(ven.start_state["RUS"]) == {"tie": 0.3, "debt": 0.5, "stake": 0.2,
                                            "support": 0.1}
    rus = case.power_index("RUS")
    s = State(build_world(case, "omnibalance", n=3))
    for name, attr in (("tie", "tau"), ("debt", "debt"), ("stake", "stake"),
                       ("support", "support")):
        a = getattr(s, attr)
        assert np.all(a[:, 0, rus] == ven.start_state["RUS"][name]), name
        a[:, 0, rus] = 0.0
        assert not a.any(), f"{name}: only the named pair starts non-zero"


def test_start_state_raises_the_hegemons_pressure_at_step_0(tmp_path):
    """A tie to the hegemon's rival counts in its pressure from the first quarter."""
    blank = OmnibalanceModel(_case(tmp_path, BLANK), rng=0)
    tied = OmnibalanceModel(_case(tmp_path, START), rng=0)
    assert tied.regimes[0].pressure > blank.regimes[0].pressure
    assert tied.tau[0, tied.case.power_index("RUS")] == 0.3


def test_start_state_step_0_identical_in_the_mesa_face_and_the_batch(tmp_path):
    case = _case(tmp_path, START)
    seeds = _seeds(3)
    res = run_batch(case, "omnibalance", None, seeds, record=SERIES_PAIR + SERIES_REGIME)
    blank = run_batch(_case(tmp_path, BLANK), "omnibalance", None, seeds, record=("tie",))
    rus = case.power_index("RUS")
    assert np.all(res.history["tie"][:, 0, 0, rus] > blank.history["tie"][:, 0, 0, rus])
    for n, seed in enumerate(seeds):
        m = OmnibalanceModel(case, rng=np.random.default_rng(seed))
        m.step()
        t = m.step_table()
        for k, p in enumerate(case.powers):
            row = t[(t.step == 0) & (t.power == p.id)].iloc[0]
            for col in ("tie", "debt", "debt_usd_m", "stake", "security_aid", "pressure",
                        "internal_threat", "external_threat", "hazard"):
                got = res.history[col][n, 0, 0, k] if col in SERIES_PAIR else \
                    res.history[col][n, 0, 0]
                assert row[col] == pytest.approx(got, rel=1e-12, abs=1e-15), (p.id, col)


# --- set events ------------------------------------------------------------------------------
def test_set_event_is_loaded_with_its_target(tmp_path):
    case = _case(tmp_path, INSURGENCY)
    sets = [e for e in case.events if e.kind == "set"]
    assert [(e.step, e.regime, e.power, dict(e.fields)) for e in sets] == [
        (SET_STEP, "VEN", "", {"internal_threat_offset": 0.4}),
        (CUT_STEP, "", "RUS", {"budget": 0.0})]


def test_set_event_changes_the_field_from_its_date_on_in_the_mesa_face(tmp_path):
    case = _case(tmp_path, INSURGENCY)
    m = OmnibalanceModel(case, rng=3)
    ven, rus = m.regimes[0], m.powers[case.power_index("RUS")]
    offsets, budgets = [], []
    while m.running:
        m.step()
        offsets.append(ven.threat_offset)
        budgets.append(rus.budget)
    assert offsets == [0.0] * SET_STEP + [0.4] * (m.n_steps - SET_STEP)
    assert budgets == [1200.0] * CUT_STEP + [0.0] * (m.n_steps - CUT_STEP)
    assert not (m.aid_security[:, rus.index].any() or m.aid_economic[:, rus.index].any())
    t = m.pair_table()
    late = t[(t.power == "RUS") & (t.step >= CUT_STEP)]
    assert (late.security_aid == 0).all() and (late.economic_aid == 0).all()
    lines = m.log.lines()
    assert any("Venezuela: internal threat offset 0 -> 0.4" in x and "insurgency" in x
               for x in lines), lines
    assert any(x.startswith(case.date(CUT_STEP)) and "Russia: budget 1200 -> 0" in x
               for x in lines)


def test_set_event_acts_from_its_date_and_not_before_identically_in_both_engines(tmp_path):
    """The series equal a run without the events up to the event's quarter and differ from
    it on; the Mesa face and the batch engine agree on every step."""
    case, plain = _case(tmp_path, INSURGENCY), _case(tmp_path, "")
    seeds = _seeds(4)
    cols = SERIES_REGIME + SERIES_PAIR
    res = run_batch(case, "omnibalance", None, seeds, record=cols)
    base = run_batch(plain, "omnibalance", None, seeds, record=cols)
    t_in, t_in0 = res.history["internal_threat"][:, :, 0], base.history["internal_threat"][:, :, 0]
    np.testing.assert_array_equal(t_in[:, :SET_STEP], t_in0[:, :SET_STEP])
    assert np.all(t_in[:, SET_STEP] > t_in0[:, SET_STEP])
    for n, seed in enumerate(seeds):
        table = OmnibalanceModel(case, rng=np.random.default_rng(seed)).run().step_table()
        for k, p in enumerate(case.powers):
            rows = table[table.power == p.id]
            for col in cols:
                if col in ("classification",):
                    continue
                got = res.history[col][n, :, 0, k] if col in SERIES_PAIR else \
                    res.history[col][n, :, 0]
                np.testing.assert_allclose(rows[col], got, rtol=1e-9, atol=1e-12,
                                           err_msg=f"{p.id} {col}")


def test_set_events_never_leak_between_runs_or_batches(tmp_path):
    """A world run to its end and started again is back at its start values; sub-batches
    give the batch's result; a later batch and a later Mesa run start clean."""
    case = _case(tmp_path, INSURGENCY)
    w = build_world(case, "omnibalance", n=2)
    start_offset = w.regime["internal_threat_offset"].copy()
    start_budget = w.power["budget"].copy()
    from omnibalance.engine import draws
    from omnibalance.engine.quarter import step, update_threats
    s = State(w)
    update_threats(w, s, initial=True)
    u = draws.uniforms(_seeds(2), w.steps, w.n_r)
    for t in range(w.steps):
        step(w, s, u[:, t])
    assert np.all(w.regime["internal_threat_offset"][:, 0] == 0.4)
    State(w)
    np.testing.assert_array_equal(w.regime["internal_threat_offset"], start_offset)
    np.testing.assert_array_equal(w.power["budget"], start_budget)
    np.testing.assert_array_equal(w.interest, np.stack(
        [w.power[f"interest_{k}"] for k in ("naval", "energy", "territory", "political",
                                            "market")], axis=-1))

    seeds = _seeds(6)
    whole = run_batch(case, "omnibalance", None, seeds, record=("tie", "internal_threat"))
    parts = run_batch(case, "omnibalance", None, seeds, record=("tie", "internal_threat"),
                      memory_mb=1e-6)
    for name in whole.history:
        np.testing.assert_array_equal(whole.history[name], parts.history[name])
    again = run_batch(case, "omnibalance", None, seeds, record=("tie", "internal_threat"))
    np.testing.assert_array_equal(whole.history["tie"], again.history["tie"])
    first = OmnibalanceModel(case, rng=5).run()
    second = OmnibalanceModel(case, rng=5)
    assert second.regimes[0].threat_offset == 0.0
    assert second.powers[case.power_index("RUS")].budget == 1200.0
    assert first.step_table().equals(second.run().step_table())


def test_the_classroom_story_tells_a_set_event_as_a_key_moment(tmp_path):
    from omnibalance.app import story

    m = OmnibalanceModel(_case(tmp_path, INSURGENCY), rng=3).run()
    lines = [x for x in story.key_moments(list(m.log)) if x.kind == "set"]
    assert [x.date for x in lines] == ["2010 Q1", "2011 Q1"]
    assert "insurgency" in lines[0].text


def test_a_new_military_budget_keeps_debts_and_stakes_in_us_dollars(tmp_path):
    case = _case(tmp_path, START + """
[[events]]
date = "2008Q1"
kind = "set"
regime = "VEN"
military_budget = 8000.0
""")
    w = build_world(case, "omnibalance", n=1)
    s = State(w)
    before = {a: getattr(s, a)[0, 0].copy() * 4000.0 for a in events.X_M_STATE[:3]}
    events.apply_set(w, s, next(e for e in case.events if e.kind == "set"), None)
    assert w.regime["military_budget"][0, 0] == 8000.0
    for a, usd in before.items():
        np.testing.assert_allclose(getattr(s, a)[0, 0] * 8000.0, usd)
    assert s.tau[0, 0, case.power_index("RUS")] == 0.3


def test_an_asset_set_event_reaches_the_patrons_valuation(tmp_path):
    case = _case(tmp_path, """
[[events]]
date = "2008Q1"
kind = "set"
regime = "VEN"
asset_naval = 0.5
""")
    m = OmnibalanceModel(case, rng=0)
    for _ in range(5):
        m.step()
    assert m.regimes[0].assets[0] == 0.5
    assert m.world.assets[0, 0, 0] == 0.5


# --- sources ---------------------------------------------------------------------------------
def test_per_field_sources_are_loaded():
    nic = load_scenario("nicaragua_2007").regimes[0]
    assert "79M" in nic.sources["military_budget"]
    assert "40%" in nic.sources["mandate"]
    rus = load_scenario("venezuela_2007").powers[1]
    assert rus.id == "RUS" and "calibrated" in rus.sources["budget"]
    assert "embargo" in load_scenario("cuba_1962").parameter_sources["us_pressure"]


def test_venezuela_and_the_region_start_from_the_2005_2006_russian_arms():
    """Venezuela is not a blank slate in 2007 (issue Model 2, scenario format): its preset and
    the region that includes it start with the tie and support of the 2005-2006 contracts."""
    for name in ("venezuela_2007", "latin_america_2007"):
        ven = next(r for r in load_scenario(name).regimes if r.id == "VEN")
        start = ven.start_state["RUS"]
        assert start["tie"] > 0.2 and start["support"] > 0.3, name
        assert start["debt"] == 0.0 and start["stake"] == 0.0, name
        assert "4.4bn" in ven.sources["start_state"] and "RIA Novosti" in ven.sources[
            "start_state"], name


@pytest.mark.parametrize("preset", list_presets())
def test_every_preset_regime_cites_its_military_budget_and_powers_their_capability(preset):
    for r in load_scenario(preset).regimes:
        assert r.sources.get("military_budget"), (preset, r.id)
    for p in load_scenario(preset).powers:
        assert p.sources.get("capability"), (preset, p.id)


def test_scenarios_command_shows_values_with_their_sources(capsys):
    assert main(["scenarios", "nicaragua_2007"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.strip().startswith("military_budget"))
    assert "79" in line and "Valley (essay)" in line
    assert "barred CHN" in out and "2016 Q2" in out


def test_scenarios_command_shows_start_state_and_set_events(tmp_path, capsys):
    path = tmp_path / "case.toml"
    path.write_text('include = ["venezuela_2007.toml"]\n' + START + INSURGENCY)
    assert main(["scenarios", str(path)]) == 0
    out = capsys.readouterr().out
    assert "start with RUS: tie 0.3, debt 0.5 x M" in out
    assert "2010 Q1  set VEN: internal_threat_offset = 0.4" in out


def test_scenarios_command_bad_file_exits_2_in_one_line(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text('include = ["venezuela_2007.toml"]\n' + START.replace("RUS]", "RUZ]"))
    proc = subprocess.run([sys.executable, "-m", "omnibalance", "scenarios", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "did you mean 'RUS'" in proc.stderr


# --- include search path ---------------------------------------------------------------------
def test_include_is_found_among_the_presets_from_any_folder(tmp_path):
    (tmp_path / "deep").mkdir()
    path = tmp_path / "deep" / "mine.toml"
    path.write_text((SEEDS_DIR / "nicaragua_2007.toml").read_text())
    assert not (tmp_path / "deep" / "_powers_2000s.toml").exists()
    assert [p.id for p in load_scenario(path).powers] == ["US", "RUS", "CHN"]


def test_include_next_to_the_scenario_comes_before_the_presets(tmp_path):
    (tmp_path / "_powers_2000s.toml").write_text(
        (SEEDS_DIR / "_powers_2000s.toml").read_text().replace("budget = 1200.0",
                                                               "budget = 900.0"))
    path = tmp_path / "mine.toml"
    path.write_text((SEEDS_DIR / "nicaragua_2007.toml").read_text())
    rus = load_scenario(path).powers[1]
    assert rus.id == "RUS" and rus.values["budget"] == 900.0


def test_an_include_found_nowhere_names_both_places(tmp_path, monkeypatch):
    monkeypatch.setattr(scenario_mod, "SEEDS_DIR", tmp_path / "presets")
    path = tmp_path / "mine.toml"
    path.write_text('include = ["_gone.toml"]\n')
    with pytest.raises(ConfigError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert "\n" not in msg and "'_gone.toml'" in msg
    assert str(tmp_path) in msg and str(tmp_path / "presets") in msg


# --- the format is documented ---------------------------------------------------------------
def test_seeds_readme_documents_every_key_of_the_format():
    readme = (Path(__file__).resolve().parent.parent / "seeds" / "README.md").read_text()
    keys = (set(scenario_mod._REGIME_EXTRA) | set(scenario_mod.EVENT_KINDS)
            | set(scenario_mod.START_FIELDS) | {"include", "sources"})
    missing = [k for k in sorted(keys) if not re.search(rf"`{k}`", readme)]
    assert not missing, missing


# --- deals every budget can fund -------------------------------------------------------------
def test_a_regime_whose_smallest_deal_no_power_can_fund_is_rejected(tmp_path):
    """Nicaragua at M = US$14bn: its smallest deal (0.15 M = US$2,100M) exceeds the US budget
    (US$2,000M), the largest; at US$13bn (US$1,950M) it fits."""
    text = (SEEDS_DIR / "nicaragua_2007.toml").read_text()
    path = tmp_path / "case.toml"
    path.write_text(text.replace("military_budget = 79.0", "military_budget = 13000.0"))
    load_scenario(path)
    path.write_text(text.replace("military_budget = 79.0", "military_budget = 14000.0"))
    with pytest.raises(ConfigError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert "\n" not in msg and "regimes.NIC.military_budget" in msg
    assert "US$2,100M" in msg and "(US, US$2,000M)" in msg


def test_the_deal_check_counts_only_the_powers_a_regime_may_deal_with(tmp_path):
    """Barred from the US, Nicaragua at M = US$9bn (smallest deal US$1,350M) exceeds Russia's
    US$1,200M; China is barred already."""
    text = (SEEDS_DIR / "nicaragua_2007.toml").read_text().replace(
        "military_budget = 79.0", "military_budget = 9000.0")
    path = tmp_path / "case.toml"
    path.write_text(text)
    load_scenario(path)
    path.write_text(text.replace("[regimes.NIC.barred]\n", '[regimes.NIC.barred]\nUS = "test"\n'))
    with pytest.raises(ConfigError, match=r"\(RUS, US\$1,200M\)"):
        load_scenario(path)


def test_the_deal_check_reads_the_scenarios_deal_sizes(tmp_path):
    text = (SEEDS_DIR / "nicaragua_2007.toml").read_text().replace(
        "military_budget = 79.0", "military_budget = 14000.0")
    path = tmp_path / "case.toml"
    path.write_text(text + "\n[parameters]\nsecurity_deal_size = 0.1\n")
    load_scenario(path)


@pytest.mark.parametrize("preset", list_presets())
def test_every_preset_passes_the_deal_check(preset):
    """Every shipped scenario's deals fit some patron's budget. Failed before Model 2:
    latin_america_2007's Brazil (M ~ US$20bn, SIPRI) had a smallest deal of US$3,000M against
    the US's US$2,000M; its deal scales of 0.05 make it US$150M."""
    load_scenario(preset)

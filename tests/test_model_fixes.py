"""Defects found by the Model 2 review (issue "Model 2", section 8), each with a test that
failed before its fix."""

import numpy as np

from omnibalance.engine import draws, quarter, run_batch
from omnibalance.engine.state import State
from omnibalance.engine.world import build_world
from omnibalance.model import OmnibalanceModel
from omnibalance.runner import cached_scenario
from omnibalance.validation import patterns
from omnibalance.validation.runner import cases
from omnibalance.validation.simulate import RunRecord, simulate_many


def test_1b_keeps_its_focus_in_the_counterfactual():
    """Criterion 1b compares Nicaragua with itself: raising Nicaragua's mandate must not move
    the focus to the next-weakest left government (it used to become Argentina)."""
    strong = next(c for c in cases() if c.key == "region_strong_mandate")
    assert "regimes.NIC.mandate" in strong.overrides
    seeds = [np.random.SeedSequence(0, spawn_key=(0, r)) for r in range(3)]
    for rec in simulate_many(strong.scenario, "omnibalance", strong.overrides, seeds):
        assert patterns.extract_region(rec)["focus"] == "NIC"


def test_stake_loss_only_when_a_leader_is_removed():
    """ODD 7.2: a hostile successor after a *removal* costs patrons part of their stake; a
    scheduled change of leader or an election does not."""
    case = cached_scenario("argentina_2007")
    w = build_world(case, "omnibalance", n=1)
    d = draws.Draws(np.full((1, 1, draws.WIDTH), 0.5))
    macri = next(e for e in case.events if e.kind in ("leader_change", "election")
                 and "ideology" in e.fields and e.fields["ideology"] > 0)
    rus = case.power_index("RUS")
    for cause, expected in (("scheduled", 1.0), ("election", 1.0),
                            ("removal", 1.0 - w.g["stake_loss_on_fall"])):
        s = State(w)
        s.stake[:, 0, rus] = 2.0
        quarter._replace(w, s, 0, np.array([True]), d, macri, cause=cause, log=None)
        assert s.stake[0, 0, rus] == 2.0 * expected, cause


def test_fixed_election_outcome_does_not_carry_over_to_a_drawn_successor():
    """Nicaragua's 2011 election is fixed as won by Ortega. If Ortega was removed before it,
    the drawn successor faces an endogenous election: with a loss probability near 1 the
    successor loses, instead of being 're-elected' with Ortega's result (the old behaviour)."""
    params = {"hazard_internal": 1.0, "internal_threat": 1.0, "regimes.NIC.autocracy": 0.0,
              "election_base": 5.0, "election_mandate": 0.0}
    successors, reelected = 0, 0
    for seed in range(12):
        m = OmnibalanceModel("nicaragua_2007", params=params, rng=seed, collect=False).run()
        for e in m.log:
            if e.kind == "election" and e.date == "2011 Q4" and "Ortega re-elected" not in e.text:
                successors += 1
                reelected += "re-elected" in e.text
    assert successors >= 10
    assert reelected <= 2


def test_recession_growth_is_the_observed_growth_rate():
    """Argentina's 2014 recession event says growth was about -2.5%: modelled growth in those
    quarters must be at or below that (it used to be mean growth minus 2.5 points, +0.5%)."""
    case = cached_scenario("argentina_2007")
    ev = next(e for e in case.events if e.kind == "recession" and e.date.startswith("2014"))
    res = run_batch(case, "omnibalance", {"growth_sd": [0.0], "investment_growth": [0.0]},
                    [np.random.SeedSequence(1)], record=("growth",))
    g = res.history["growth"][0, :, 0]
    assert g[ev.step] <= ev.fields["growth"] + 1e-12
    assert (g[ev.step:ev.step + ev.fields.get("quarters", 4)] < 0).all()


def test_bolivia_end_state_is_read_over_a_window():
    """5a reads the class Bolivia holds in most of its last two years: a partnership renewed
    every other quarter, last seen one quarter before the end, still counts."""
    T, k = 20, 1
    klass = np.zeros((T, 1, 3), dtype=np.int8)
    klass[::2, 0, k] = 1
    klass[-1, 0, k] = 0
    klass[-3:-1, 0, k] = 1
    rec = RunRecord("bolivia_2006", "omnibalance", ("BOL",), ("US", "RUS", "CHN"), klass,
                    np.zeros((T, 1, 3), np.float32), np.full((1, 3), -1, np.int32),
                    np.full((1, 3), -1, np.int32), np.zeros(1), np.zeros(1), np.zeros(1),
                    np.zeros(1, int), np.zeros(1, int))
    assert patterns.extract_bolivia(rec)["end_partner"]


def test_patrons_allocate_their_budget_by_value_per_cost_and_fund_in_part():
    """A budget-bound power funds the proposals it accepts in order of value per US$, the last
    one in part (the fractional knapsack): whenever it refuses a proposal for lack of money, its
    whole budget is spent, and at most one deal a quarter is funded in part. Before, a big
    request (Venezuela's) was refused outright while money was left, so Venezuela never became
    Russia's client in the region."""
    from omnibalance.engine import quarter as q

    case = cached_scenario("latin_america_2007")
    w = build_world(case, "omnibalance", n=1)
    s = State(w)
    q.update_threats(w, s, initial=True)
    u = np.random.default_rng(4).random((w.steps, w.n_r, draws.WIDTH))
    refusals_with_money_left, partials = 0, 0
    for t in range(w.steps):
        log = []
        q.step(w, s, u[None, t], log)
        _, choice, terms, status, order, funded = next(r for r in log if r[0] == "proposals")
        for k in range(w.n_p):
            mine = choice.proposes[0, :, k]
            over = mine & (status[0, :, k] == q.REFUSED_OVER_BUDGET)
            left = w.power["budget"][0, k] - s.spent[0, k]
            assert left >= -1e-9
            refusals_with_money_left += int(over.any() and left > 1e-9)
            part = mine & (funded[0, :, k] > 0) & (funded[0, :, k] < 1)
            assert part.sum() <= 1
            partials += int(part.sum())
    assert refusals_with_money_left == 0
    assert partials > 0


def test_region_agrees_with_the_single_cases_but_for_venezuelas_class():
    """The region scenario reproduces the single cases' criteria (R2a-R5b) but R2b. The bug:
    Venezuela got no Russian deal in the region (0 of 10 runs a client; 24 of 40 refusals
    "over budget") before budgets were allocated by value per cost; now it strikes new
    Russian arms deals there as alone (R2c). R2b -- Venezuela Russia's *client* in the region --
    fails at the calibration of 2026-12-02 (docs/validation.md, Result: a weaker tie with
    faster tie decay); if it passes again, the docs must follow."""
    from omnibalance.validation.runner import validate

    res = validate(40, seed=7, rules=("omnibalance",))["omnibalance"]
    region = {r.criterion.id: r for r in res if r.criterion.id.startswith("R")}
    assert set(region) == {"R2a", "R2b", "R2c", "R3a", "R4a", "R4b", "R5a", "R5b"}
    assert region["R2c"].interval.estimate >= 0.75
    assert region["R2b"].interval.estimate < 0.75, "R2b passes again: update docs/validation.md"
    assert all(r.verdict != "fail" for k, r in region.items() if k != "R2b"), {
        k: (r.verdict, r.count) for k, r in region.items()}

"""Hand-computed cases for the pure theory functions (no Mesa)."""

import math

import numpy as np
import pytest

from omnibalance.theory import bargaining, dynamics, rules, threat

H = dict(hazard_internal=0.1, hazard_external=0.2, hazard_exponent=2.0)


def test_hazard_hand_computed():
    # h_in = 0.1 * 0.5^2 = 0.025, h_ex = 0.2 * 0.5^2 = 0.05; h = 1 - 0.975 * 0.95
    assert threat.hazard(0.5, 0.5, **H) == pytest.approx(0.07375)
    assert threat.hazard(0.0, 0.0, **H) == 0.0
    assert threat.hazard(1.0, 1.0, **H) == pytest.approx(1 - 0.9 * 0.8)


def test_hazard_is_convex_in_threat():
    t = np.linspace(0, 1, 11)
    h = threat.hazard(t, 0.0, **H)
    assert np.all(np.diff(h, 2) > 0)


def test_pressure_and_channels():
    p = threat.hegemon_pressure(1.0, 0.5, 0.0, 0.0, us_pressure=0.5, pressure_ideology=0.7,
                                pressure_autocracy=0.3, pressure_rival_ties=0.3,
                                appeasement=0.5)
    assert p == pytest.approx(0.5 * (0.7 + 0.15))
    # A tie to the hegemon appeases it.
    p2 = threat.hegemon_pressure(1.0, 0.5, 0.0, 1.0, us_pressure=0.5, pressure_ideology=0.7,
                                 pressure_autocracy=0.3, pressure_rival_ties=0.3,
                                 appeasement=0.5)
    assert p2 == pytest.approx(p * 0.5)
    opp, direct = threat.split_pressure(0.4, opposition_backing=0.25)
    assert (opp, direct) == pytest.approx((0.1, 0.3))


def test_deterrence_and_external_threat():
    assert threat.deterrence(0.0, 0.0, deterrence_ties=2, deterrence_stakes=1) == 0.0
    d = threat.deterrence(0.5, 0.0, deterrence_ties=2, deterrence_stakes=1)
    assert d == pytest.approx(1 - math.exp(-1))
    assert threat.external_threat(0.6, d) == pytest.approx(0.6 * math.exp(-1))


def test_internal_threat_moves_toward_target_and_falls_with_aid():
    kw = dict(threat_reversion=0.5, recession_threat=1.0, opposition_effect=0.5,
              security_aid_effect=0.4)
    # target = 0.2 + 1.0 * 0.1 + 0.5 * 0.2 = 0.4; 0.1 + 0.5 * (0.4 - 0.1) = 0.25; aid: -0.4*0.25
    assert threat.internal_threat_next(0.1, 0.2, -0.1, 0.2, 0.0, **kw) == pytest.approx(0.25)
    assert threat.internal_threat_next(0.1, 0.2, -0.1, 0.2, 0.25, **kw) == pytest.approx(0.15)
    assert threat.internal_threat_next(0.1, 0.2, 0.05, 0.0, 5.0, **kw) == 0.0


def test_baseline_higher_for_weak_mandates():
    kw = dict(internal_threat=0.25, mandate_effect=0.8)
    assert threat.internal_baseline(0.5, 0.0, **kw) == pytest.approx(0.25)
    assert threat.internal_baseline(0.38, 0.0, **kw) == pytest.approx(0.25 + 0.8 * 0.12)


def test_election_loss():
    kw = dict(election_base=0.0, election_mandate=4.0, election_economy=10.0,
              election_threat=2.0)
    assert threat.election_loss_probability(0.5, 0.0, 0.0, 0.0, **kw) == pytest.approx(0.5)
    assert threat.election_loss_probability(0.5, 0.0, 0.0, 1.0, **kw) == 0.0
    weak = threat.election_loss_probability(0.3, 0.0, 0.0, 0.0, **kw)
    strong = threat.election_loss_probability(0.7, 0.0, 0.0, 0.0, **kw)
    assert weak > 0.5 > strong
    assert weak == pytest.approx(1 / (1 + math.exp(-0.8)))


# --- rules -----------------------------------------------------------------------------------

def test_threat_weights_primary_and_secondary():
    assert rules.threat_weights(0.1, 0.05, omega=0.5) == (1.0, 0.5)
    assert rules.threat_weights(0.02, 0.05, omega=0.5) == (0.5, 1.0)
    w_in, w_ex = rules.threat_weights(0.1, 0.05, omega=0.5, internal_weight=0.0)
    assert (w_in, w_ex) == (0.0, 1.0)


def test_protection_value_hand_computed():
    # office 10 x ((1 - 0.05)^2 - (1 - 0.1)^2) = 10 x (0.9025 - 0.81)
    v = rules.protection_value((0.1, 0.0), (0.05, 0.0), (1.0, 0.5), office_value=10, horizon=2)
    assert v == pytest.approx(0.925)


def test_omnibalance_counts_internal_threat_balance_of_threat_does_not():
    h_now = (0.1, 0.01)
    h_none = (np.array([0.1, 0.1]), np.array([0.01, 0.01]))
    h_deal = (np.array([0.05, 0.1]), np.array([0.01, 0.005]))  # option 0: internal relief
    omni = rules.omnibalance_values(h_now, h_none, h_deal, omega=0.5, office_value=10,
                                    horizon=8)
    bot = rules.balance_of_threat_values(h_now, h_none, h_deal, office_value=10, horizon=8)
    assert omni[0] > omni[1]      # David: the primary (internal) threat decides
    assert bot[0] == pytest.approx(0.0)
    assert bot[1] > bot[0]        # Walt: only external relief counts


def test_balance_of_power_and_bandwagon_targets():
    cap = np.array([600.0, 66.0, 215.0])  # US, RUS, CHN
    riv = np.array([[0, 0.8, 0.6], [0.8, 0, 0.1], [0.6, 0.1, 0]])
    everyone = np.array([True, True, True])
    assert rules.balance_of_power_target(cap, riv, everyone) == 2
    # Nicaragua cannot deal with Beijing: the next strongest rival, Russia.
    assert rules.balance_of_power_target(cap, riv, np.array([True, True, False])) == 1
    assert rules.balance_of_power_target(cap, riv, np.array([True, False, False])) == -1
    assert rules.strongest(cap, everyone) == 0
    v = rules.fixed_alignment_values(np.array([True, True, False]),
                                     np.array([True, False, True]), alignment_value=2.0)
    assert list(v) == [2.0, 0.0, 0.0]


def test_concession_cost():
    c = rules.concession_cost(0.25, 0.5, concession_accountability=2.0, concession_ideology=1.0)
    assert c == pytest.approx(2.0 * 0.75 + 0.5)


def test_choose_and_outside_option():
    values = np.array([0.3, -0.1, 0.8, 0.5])
    power = np.array([0, 0, 1, 1])
    allowed = np.array([True, True, True, True])
    assert rules.choose(values, allowed) == 2
    assert rules.choose(values, np.array([True, True, False, False])) == 0
    assert rules.choose(-np.abs(values), allowed) == rules.HOLD
    # Best deal with another power than the chosen one's.
    assert rules.outside_option(values, allowed, power, 2) == pytest.approx(0.3)
    assert rules.outside_option(values, np.array([False, False, True, True]), power, 2) == 0.0


# --- bargaining --------------------------------------------------------------------------------

def test_nash_split_hand_computed():
    t = bargaining.nash_split(2.0, 1.0, 0.5, beta=0.3, concession_cap=10.0)
    # S = 2.5; U_r = 0.5 + 0.3 * 2.5 = 1.25; U_p = 0.7 * 2.5 = 1.75; transfer = 2 - 1.25
    assert t.accepted
    assert t.regime_payoff == pytest.approx(1.25)
    assert t.patron_payoff == pytest.approx(1.75)
    assert t.transfer == pytest.approx(0.75)
    assert t.regime_share == pytest.approx(1.25 / 3.0)


def test_nash_split_maximises_the_generalised_nash_product():
    v_r, v_p, d, beta = 1.5, 0.4, 0.3, 0.3
    t = bargaining.nash_split(v_r, v_p, d, beta=beta, concession_cap=10.0)
    grid = np.linspace(-v_p + 1e-6, v_r - d - 1e-6, 20001)
    product = (v_r - grid - d) ** beta * (v_p + grid) ** (1 - beta)
    assert t.transfer == pytest.approx(grid[np.argmax(product)], abs=1e-3)


def test_no_alternative_concedes_more():
    with_alt = bargaining.nash_split(2.0, 1.0, 1.0, beta=0.3, concession_cap=10.0)
    without = bargaining.nash_split(2.0, 1.0, 0.0, beta=0.3, concession_cap=10.0)
    assert without.transfer > with_alt.transfer
    assert without.regime_share < with_alt.regime_share
    assert without.regime_share == pytest.approx(0.3)


def test_nash_split_refusals():
    assert not bargaining.nash_split(0.2, -0.5, 0.0, beta=0.3, concession_cap=10).accepted
    # The regime would pay 1.7 but can concede only 0.5: the patron still loses.
    assert not bargaining.nash_split(2.0, -1.0, 0.0, beta=0.3, concession_cap=0.5).accepted
    capped = bargaining.nash_split(2.0, -1.0, 0.0, beta=0.3, concession_cap=1.2)
    assert capped.accepted and capped.transfer == pytest.approx(1.2)


def test_patron_value_hand_computed():
    v = bargaining.patron_value(asset_value=0.8, denial_value=0.3, credit=0.1,
                                repayment_share=0.5, sunk_weight=0.5, stake=2.0,
                                survival_gain=0.1, size=0.15, fall_probability=0.2)
    assert v == pytest.approx(0.8 + 0.3 + 0.05 + 0.1 - 0.15 - 0.2 * 0.95)


def test_sunk_weight_raises_patron_value_only_with_a_stake():
    kw = dict(asset_value=0.1, denial_value=0.0, credit=0.1, repayment_share=0.3,
              survival_gain=0.2, size=0.15, fall_probability=0.4)
    assert bargaining.patron_value(sunk_weight=1.0, stake=0.0, **kw) == pytest.approx(
        bargaining.patron_value(sunk_weight=0.0, stake=0.0, **kw))
    assert bargaining.patron_value(sunk_weight=1.0, stake=3.0, **kw) > \
        bargaining.patron_value(sunk_weight=0.0, stake=3.0, **kw)


def test_expected_repayment():
    kw = dict(recession_repayment=0.3, debt_scale=2.0)
    assert bargaining.expected_repayment(0.0, False, **kw) == pytest.approx(1.0)
    assert bargaining.expected_repayment(2.0, False, **kw) == pytest.approx(0.5)
    assert bargaining.expected_repayment(2.0, True, **kw) == pytest.approx(0.15)


# --- dynamics ------------------------------------------------------------------------------

def test_ties_decay_and_grow():
    assert dynamics.tie_next(0.5, 0.0, tie_decay=0.1, tie_gain=1.0) == pytest.approx(0.45)
    # decayed 0.45, gain min(1, 0.2) of the gap 0.55
    assert dynamics.tie_next(0.5, 0.2, tie_decay=0.1, tie_gain=1.0) == pytest.approx(
        0.45 + 0.2 * 0.55)


def test_debt_and_stake():
    debt, paid = dynamics.debt_next(np.array([1.0]), np.array([0.5]), 0.5, repayment_rate=0.1)
    assert debt[0] == pytest.approx(1.45) and paid[0] == pytest.approx(0.05)
    assert dynamics.stake_next(2.0, 0.5, stake_depreciation=0.1) == pytest.approx(2.3)


def test_dependence_and_classification():
    support = np.array([[0.0, 3.0, 1.0], [0.0, 0.0, 0.0]])
    dep = dynamics.dependence(support)
    assert dep[0] == pytest.approx([0, 0.75, 0.25]) and dep[1].sum() == 0
    kw = dict(pc_tie=0.5, partnership_tie=0.2, pc_dependence=0.5, pc_share=0.45)
    tau = np.array([[0.1, 0.6, 0.6], [0.3, 0.0, 0.9]])
    share = np.array([[1.0, 0.3, 0.3], [1.0, 1.0, 0.3]])
    cls = dynamics.classify(tau, dep, share, **kw)
    assert cls.tolist() == [[dynamics.NONE, dynamics.PATRON_CLIENT, dynamics.PARTNERSHIP],
                            [dynamics.PARTNERSHIP, dynamics.NONE, dynamics.PARTNERSHIP]]


def test_theory_imports_no_mesa():
    import subprocess
    import sys

    code = ("import sys, omnibalance.theory, omnibalance.params, omnibalance.scenario; "
            "sys.exit(1 if any(m == 'mesa' or m.startswith('mesa.') for m in sys.modules) "
            "else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0

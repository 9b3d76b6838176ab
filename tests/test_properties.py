"""Invariants over random parameters (hypothesis): the theory and the model stay in bounds."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omnibalance.params import PARAMETERS, RULES
from omnibalance.theory import dynamics, rules, threat

unit = st.floats(0.0, 1.0, allow_nan=False)
haz = st.floats(0.0, 0.5, allow_nan=False)


@given(h_in=haz, h_ex=haz, n_in=st.lists(haz, min_size=4, max_size=4),
       n_ex=st.lists(haz, min_size=4, max_size=4), d_in=st.lists(haz, min_size=4, max_size=4),
       d_ex=st.lists(haz, min_size=4, max_size=4), omega=unit,
       office=st.floats(0.1, 100), horizon=st.integers(1, 40))
def test_omnibalance_without_internal_threat_is_balance_of_threat(h_in, h_ex, n_in, n_ex, d_in,
                                                                   d_ex, omega, office,
                                                                   horizon):
    """MODEL.md 3.4: balance of threat is omnibalancing with internal-threat weight 0."""
    h_none = (np.array(n_in), np.array(n_ex))
    h_deal = (np.array(d_in), np.array(d_ex))
    omni = rules.omnibalance_values((h_in, h_ex), h_none, h_deal, omega=omega,
                                    office_value=office, horizon=horizon, internal_weight=0.0)
    bot = rules.balance_of_threat_values((h_in, h_ex), h_none, h_deal, office_value=office,
                                         horizon=horizon)
    np.testing.assert_allclose(omni, bot)
    allowed = np.ones(4, dtype=bool)
    assert rules.choose(omni, allowed) == rules.choose(bot, allowed)


@given(t_in=unit, t_ex=unit, e_in=unit, e_ex=unit, g=st.floats(0.5, 5.0))
def test_hazard_in_unit_interval(t_in, t_ex, e_in, e_ex, g):
    h = threat.hazard(t_in, t_ex, hazard_internal=e_in, hazard_external=e_ex,
                      hazard_exponent=g)
    assert 0.0 <= h <= 1.0 and not np.isnan(h)


@given(tau=unit, size=st.floats(0.0, 5.0), decay=unit, gain=st.floats(0.0, 10.0))
def test_ties_stay_in_unit_interval(tau, size, decay, gain):
    t = dynamics.tie_next(tau, size, tie_decay=decay, tie_gain=gain)
    assert 0.0 <= t <= 1.0


@given(debt=st.floats(0.0, 100.0), credit=st.floats(0.0, 10.0), factor=unit, rate=unit)
def test_debt_never_negative(debt, credit, factor, rate):
    d, paid = dynamics.debt_next(debt, credit, factor, repayment_rate=rate)
    assert d >= 0.0 and paid >= 0.0


def _param_strategy(names):
    return st.fixed_dictionaries({
        n: (st.integers(int(PARAMETERS[n].low), int(PARAMETERS[n].high))
            if PARAMETERS[n].kind is int else
            st.floats(PARAMETERS[n].low, PARAMETERS[n].high, allow_nan=False))
        for n in names})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=_param_strategy(list(PARAMETERS)), rule=st.sampled_from(RULES),
       seed=st.integers(0, 2**32 - 1))
def test_model_invariants_over_random_parameters(params, rule, seed):
    """Whatever the declared parameters, ties and hazards stay in [0, 1], debts and stakes are
    never negative, patrons never spend beyond their budget, and nothing is NaN."""
    from omnibalance.model import OmnibalanceModel

    m = OmnibalanceModel("nicaragua_2007", rule, params=params, steps=24, rng=seed)
    while m.running:
        m.step()
        assert np.all((m.tau >= 0) & (m.tau <= 1))
        assert np.all(m.debt >= 0) and np.all(m.stake >= 0)
        for pw in m.powers:
            assert 0.0 <= pw.spent <= pw.budget + 1e-9
        for r in m.regimes:
            for x in (r.hazard, r.t_in, r.t_ex, r.pressure):
                assert 0.0 <= x <= 1.0
    table = m.step_table()
    assert not table.select_dtypes("number").isna().any().any()

"""The parameter screen (omnibalance.validation.screening) and what params.status takes from it:
an assumed parameter is fixed only when the shipped screen shows no criterion needs it."""

from __future__ import annotations

import numpy as np
import pytest

from omnibalance import params
from omnibalance.validation import screening
from omnibalance.validation.calibration import SEARCH_SPAN


def test_a_parameter_the_rule_never_reads_scores_zero_and_a_central_one_is_needed():
    # alignment_value is read only by the threat-blind rules; hazard_exponent shapes every
    # leader's hazard. Common seeds: the unread one moves nothing at all.
    s = screening.run(trajectories=2, replications=10, names=["alignment_value",
                                                              "hazard_exponent"])
    assert s.points == 2 * 3
    i, j = s.names.index("alignment_value"), s.names.index("hazard_exponent")
    assert np.all(s.mu_star[i] == 0.0)
    assert s.needed_by("alignment_value") == []
    assert s.needed_by("hazard_exponent"), s.mu_star[j]
    assert s.fixable() == ["alignment_value"]


def test_screening_box_is_the_calibration_search_span_within_the_allowed_range():
    box = screening.screening_box(["hazard_exponent", "horizon", "election_base", "beta"])
    centre = params.rule_defaults("omnibalance")
    lo, hi = box["hazard_exponent"]
    assert (lo, hi) == pytest.approx((centre["hazard_exponent"] * SEARCH_SPAN[0],
                                      min(5.0, centre["hazard_exponent"] * SEARCH_SPAN[1])))
    assert box["horizon"] == (4.0, 16.0)  # integer, 8 x [0.5, 2]
    assert box["election_base"] == (-1.0, -0.25)  # a negative value: the span sorted
    assert box["beta"][1] == params.PARAMETERS["beta"].high  # 0.6 capped at 0.5


def test_shipped_screen_is_of_the_current_procedure_and_parameters():
    s = screening.load()
    import tomllib
    from importlib import resources

    table = tomllib.loads((resources.files("omnibalance") / "screening.toml").read_text())
    proc = table["procedure"]
    assert proc["needed"] == screening.NEEDED and proc["levels"] == screening.LEVELS
    assert tuple(proc["span"]) == SEARCH_SPAN and proc["rule"] == screening.RULE
    # Every free global was screened (a new parameter means: rerun the screen).
    assert set(s.names) == set(params.free_parameters()) | set(params.SCREENED)
    assert sorted(s.criteria) == sorted(c.id for c in screening.patterns.CRITERIA
                                        if c.id != "6")


def test_status_fixes_only_assumed_parameters_no_criterion_needs():
    s = screening.load()
    free = set(params.free_parameters())
    for name in s.names:
        needed = bool(s.needed_by(name))
        if name in params.SCREENED:
            assert not needed and params.status(name) == "screened" and name not in free
        else:
            assert name in free
            assert needed or params.status(name) == "calibrated", name
    assert not set(params.SCREENED) & set(params.CALIBRATED)


def test_a_scale_parameter_is_not_identified_apart_from_the_one_that_sets_its_scale():
    """``pressure_ideology`` is fixed as a scale because the model reads the hegemon's pressure
    weights only times ``us_pressure``: doubling ``us_pressure`` and halving the three weights
    must leave every run of the region unchanged. Fails if a weight is read anywhere else."""
    from omnibalance.validation import simulate

    p = params.rule_defaults("omnibalance")
    weights = ("pressure_ideology", "pressure_autocracy", "pressure_rival_ties")
    rescaled = {"us_pressure": p["us_pressure"] / 2} | {w: p[w] * 2 for w in weights}
    assert params.SCALE == ("pressure_ideology",)
    assert all(params.status(n) == "scale" and n not in params.free_parameters()
               for n in params.SCALE)
    for seed in range(3):
        a = simulate.simulate("latin_america_2007", "omnibalance", None, seed)
        b = simulate.simulate("latin_america_2007", "omnibalance", rescaled, seed)
        assert np.array_equal(a.klass, b.klass) and np.allclose(a.debt, b.debt)
        assert np.array_equal(a.first_security, b.first_security)
    c = simulate.simulate("latin_america_2007", "omnibalance", {"us_pressure": 0.0}, seed)
    assert not np.array_equal(a.klass, c.klass)  # the pressure does act (same seed as a)


def test_every_parameter_fixed_from_data_cites_its_source():
    """A ``data`` parameter is neither calibrated nor free, and its declaration names the
    source of its value (not the generic modelling-assumption text)."""
    assert params.DATA
    for name in params.DATA:
        p = params.PARAMETERS[name]
        assert params.status(name) == "data" and name not in params.free_parameters()
        assert name not in params.CALIBRATED and p.prior is None
        assert p.source != params.ASSUMED and any(ch.isdigit() for ch in p.source), name

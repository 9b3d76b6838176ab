"""Reading results: Wilson intervals, the phase table, Sobol' indices, on known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from omnibalance.sweep.phase import boundaries, phase_table
from omnibalance.sweep.sensitivity import analyse, point_means
from omnibalance.sweep.stats import wilson_interval


@pytest.mark.parametrize(("k", "n", "lo", "hi"), [
    # Hand-computed from the score formula with z = 1.959964.
    (0, 10, 0.0, 0.277533),
    (5, 10, 0.236593, 0.763407),
    (10, 10, 0.722467, 1.0),
    (37, 50, 0.604468, 0.841285),
    (1, 40, 0.004427, 0.128814),
])
def test_wilson_known_values(k, n, lo, hi):
    got = wilson_interval(k, n)
    assert got[0] == pytest.approx(lo, abs=1e-6)
    assert got[1] == pytest.approx(hi, abs=1e-6)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_matches_scipy_and_holds_the_estimate(kn, conf):
    k, n = kn
    lo, hi = wilson_interval(k, n, conf)
    ci = binomtest(k, n).proportion_ci(confidence_level=conf, method="wilson")
    assert lo == pytest.approx(ci.low, abs=1e-9) and hi == pytest.approx(ci.high, abs=1e-9)
    assert 0 <= lo <= k / n <= hi <= 1


def test_wilson_vectorised_and_empty_cells():
    lo, hi = wilson_interval(np.array([0, 3, 0]), np.array([10, 10, 0]))
    assert np.isnan(lo[2]) and np.isnan(hi[2])
    assert lo[0] == 0.0 and hi[1] > 0.3


def synthetic_runs() -> pd.DataFrame:
    """Two x levels, two y levels; ties with RUS where x is high, 10 runs a cell, one failed."""
    rows = []
    rid = 0
    for x in (0.0, 1.0):
        for y in (0.0, 1.0):
            for r in range(10):
                rus = x == 1.0 and r < 8
                us = y == 1.0 and r == 0
                rows.append(dict(run_id=rid, x=x, y=y, error=None, pc_formed=rus or us,
                                 first_pc_step=float(r) if (rus or us) else np.nan,
                                 leader_survived=r < 5, pc_ever_RUS=rus, pc_ever_US=us))
                rid += 1
    rows.append(dict(run_id=rid, x=0.0, y=0.0, error="ValueError: x", pc_formed=None,
                     first_pc_step=np.nan, leader_survived=None, pc_ever_RUS=None,
                     pc_ever_US=None))
    return pd.DataFrame(rows)


def test_phase_table_counts_and_intervals():
    t = phase_table(synthetic_runs(), "x", "y", ["US", "RUS"]).set_index(["x", "y"])
    assert t["runs"].tolist() == [10, 10, 10, 10]
    assert t.loc[(0.0, 0.0), "failed"] == 1 and t["failed"].sum() == 1
    assert t.loc[(1.0, 0.0), "ties_RUS"] == 8 and t.loc[(0.0, 0.0), "ties_RUS"] == 0
    assert t.loc[(1.0, 1.0), "ties_any"] == 8  # the US tie is in run 0, which also has RUS
    assert t.loc[(0.0, 1.0), "p_US"] == pytest.approx(0.1)
    lo, hi = wilson_interval(8, 10)
    assert t.loc[(1.0, 0.0), "lo_RUS"] == pytest.approx(lo)
    assert t.loc[(1.0, 0.0), "hi_RUS"] == pytest.approx(hi)
    # median first tie among the 8 runs with one: steps 0..7 -> 3.5; too few runs -> blank
    assert t.loc[(1.0, 0.0), "median_first_pc_step"] == pytest.approx(3.5)
    assert np.isnan(t.loc[(0.0, 1.0), "median_first_pc_step"])
    assert t["p_leader_survived"].tolist() == [0.5] * 4
    assert boundaries(t.reset_index(), "x", "y") == [(0.0, 1.0), (1.0, 1.0)]


def test_sampled_parameters_are_binned():
    rng = np.random.default_rng(1)
    runs = pd.DataFrame(dict(run_id=range(400), x=rng.random(400), y=rng.random(400),
                             error=None, pc_formed=False, first_pc_step=np.nan,
                             leader_survived=True, pc_ever_RUS=False))
    t = phase_table(runs, "x", "y", ["RUS"])
    assert t["x"].nunique() <= 12 and t["runs"].sum() == 400


def test_sobol_indices_find_the_only_parameter_that_matters():
    from SALib.sample import sobol

    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1]] * 3}
    x = sobol.sample(problem, 256, calc_second_order=False, seed=1)
    y = 3 * x[:, 1] + 0.1 * x[:, 2] ** 2
    manifest = {"design": {"kind": "sobol", "problem": problem},
                "seeds": {"design_sampler_seed": 1},
                "spec": {"design": {"second_order": False}}}
    t = analyse(manifest, pd.DataFrame(x, columns=problem["names"]), y).set_index("parameter")
    assert t.loc["b", "S1"] == pytest.approx(1.0, abs=0.05)
    assert t.loc["a", "ST"] == pytest.approx(0.0, abs=0.02)
    assert t.loc["b", "ST"] > 10 * t.loc["c", "ST"]


def test_point_means_average_replications_and_skip_failures():
    runs = pd.DataFrame(dict(point=[0, 0, 1, 1, 1], error=[None, None, None, "E", None],
                             pc=[True, False, True, None, True]))
    np.testing.assert_allclose(point_means(runs, "pc", 2), [0.5, 1.0])

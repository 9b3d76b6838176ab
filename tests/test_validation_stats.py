"""Interval functions of the validation against published values (Newcombe 1998)."""

import math

import pytest

from omnibalance.validation import stats
from omnibalance.validation.patterns import CRITERIA_BY_ID, Criterion


def test_wilson_known_values():
    # Newcombe (1998a), Stat. Med. 17:857-872, example 81/263: score interval 0.2553-0.3662.
    est, lo, hi = stats.wilson(81, 263)
    assert est == pytest.approx(81 / 263)
    assert (lo, hi) == pytest.approx((0.2553, 0.3662), abs=5e-5)
    # 0/10: upper limit 0.2775, lower exactly 0.
    assert stats.wilson(0, 10)[1:] == pytest.approx((0.0, 0.2775), abs=5e-5)
    assert stats.wilson(10, 10)[1:] == pytest.approx((0.7225, 1.0), abs=5e-5)


def test_wilson_empty_is_nan():
    assert all(math.isnan(x) for x in stats.wilson(0, 0))


def test_newcombe_difference_known_values():
    # Newcombe (1998b), Stat. Med. 17:873-890, Table II, method 10.
    assert stats.newcombe_difference(56, 70, 48, 80)[1:] == pytest.approx((0.0524, 0.3339),
                                                                             abs=5e-5)
    assert stats.newcombe_difference(9, 10, 3, 10)[1:] == pytest.approx((0.1705, 0.8090),
                                                                           abs=5e-5)


def test_newcombe_difference_is_antisymmetric():
    d = stats.newcombe_difference(12, 40, 30, 50)
    e = stats.newcombe_difference(30, 50, 12, 40)
    assert (d.estimate, d.low, d.high) == pytest.approx((-e.estimate, -e.high, -e.low))


def test_mover_ratio_contains_estimate_and_inverts():
    r = stats.mover_ratio(10, 100, 5, 100)
    assert r.low < 2.0 < r.high
    s = stats.mover_ratio(5, 100, 10, 100)
    assert (s.low, s.high) == pytest.approx((1 / r.high, 1 / r.low))


def test_mover_ratio_zero_denominator_events():
    r = stats.mover_ratio(50, 100, 0, 100)
    assert math.isinf(r.estimate) and math.isinf(r.high) and r.low > 3


def test_bootstrap_mean_is_seeded_and_brackets_mean():
    x = [0.0, 0.1, 0.2, 0.05, 0.3, 0.0]
    a, b = stats.bootstrap_mean(x, seed=3), stats.bootstrap_mean(x, seed=3)
    assert a == b
    assert a.low <= a.estimate <= a.high


@pytest.mark.parametrize("op,iv,expected", [
    (">=", (0.9, 0.8, 0.95), "pass"), (">=", (0.7, 0.6, 0.74), "fail"),
    (">=", (0.76, 0.7, 0.8), "undecided"), ("<=", (0.05, 0.0, 0.09), "pass"),
    ("<=", (0.2, 0.15, 0.3), "fail"), (">", (0.1, 0.0, 0.2), "undecided"),
])
def test_verdict_is_decided_by_the_whole_interval(op, iv, expected):
    c = Criterion("x", 0, "", "", "proportion", op, 0.75 if op == ">=" else 0.1 if op == "<="
                  else 0.0, "")
    assert c.verdict(stats.Interval(*iv)) == expected


def test_every_criterion_states_a_reason():
    for c in CRITERIA_BY_ID.values():
        assert c.reason and c.measure and c.op in (">=", ">", "<=")

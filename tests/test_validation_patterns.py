"""The seven patterns under each rule's calibration, and the rule comparison (issues 3, 9).

Replications. Under ``omnibalance`` every case runs 150 times: a pattern whose true proportion
lies 0.1 or more beyond its threshold is then decided (its whole Wilson interval on one side)
with probability above 0.9 (the interval's half-width is at most 0.08 at p = 0.5 and about 0.04
near 0.95). The alternative rules run 60 times each: the test asks only that some pattern fails
decidedly, and their failures are far from the thresholds (0/60 has an upper limit of 0.06).
Cost: about 110 s of CPU in total; each test function does its own runs, so the two modules'
work spreads over pytest-xdist's workers without being computed twice.
"""

import pytest

from omnibalance.validation import patterns
from omnibalance.validation.runner import run_all, validate

OMNI_REPLICATIONS = 150
ALT_REPLICATIONS = 60


DOCUMENTED_NOT_PASSING = {"R2b": "fail", "3b": "undecided"}
"""docs/validation.md, Result: under omnibalance at its Model 2 calibration every criterion
passes but these. If the model moves one of them, this test fails and the docs must follow."""


@pytest.mark.slow
def test_documented_verdicts_under_omnibalance():
    res = validate(OMNI_REPLICATIONS, workers=1, seed=11, rules=("omnibalance",))["omnibalance"]
    verdicts = {r.criterion.id: r.verdict for r in res}
    assert set(verdicts) >= {"1a", "1b", "2a", "2b", "2c", "3a", "3b", "4a", "4b", "5a", "5b",
                             "7"}
    passing = {c for c, v in verdicts.items() if v == "pass"}
    assert passing == set(verdicts) - set(DOCUMENTED_NOT_PASSING), {
        r.criterion.id: (r.verdict, r.interval, r.count) for r in res
        if (r.verdict == "pass") != (r.criterion.id not in DOCUMENTED_NOT_PASSING)}
    assert {c: verdicts[c] for c in DOCUMENTED_NOT_PASSING} == DOCUMENTED_NOT_PASSING


@pytest.mark.slow
def test_omnibalance_passes_more_criteria_than_every_rival():
    """Each rule at its own calibration (the same search for every rule): David's rule
    reproduces more of the cases than any rival."""
    res = validate(ALT_REPLICATIONS, workers=1, seed=11)
    passed = {rule: sum(r.verdict == "pass" for r in rs) for rule, rs in res.items()}
    assert all(passed["omnibalance"] > n for rule, n in passed.items() if rule != "omnibalance"
               ), passed


@pytest.mark.slow
@pytest.mark.parametrize("rule", ["balance_of_threat", "balance_of_power", "bandwagon"])
def test_each_alternative_rule_fails_a_pattern(rule):
    res = validate(ALT_REPLICATIONS, workers=1, seed=11, rules=(rule,))[rule]
    assert patterns.failing_patterns(res), \
        f"{rule} reproduces patterns 1-5: the rule comparison has become a tie"


def test_balance_of_threat_ignores_mandate():
    """Under balance of threat internal threat weighs nothing, so raising the weakest left
    mandate never delays the first security proposal (pattern 1's contrast)."""
    res = validate(10, workers=1, seed=5, rules=("balance_of_threat",))["balance_of_threat"]
    one_b = next(r for r in res if r.criterion.id == "1b")
    assert one_b.interval.estimate == 0.0


def test_results_do_not_depend_on_worker_count():
    a = run_all(2, workers=1, seed=3, rules=("bandwagon",))
    b = run_all(2, workers=2, seed=3, rules=("bandwagon",))
    assert a == b

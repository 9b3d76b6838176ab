"""Robustness over the declared prior box, and validation with parameters drawn from it."""

import numpy as np
import pytest

from omnibalance.cli import main
from omnibalance.params import PARAMETERS, PRIOR_WIDTH
from omnibalance.validation import robustness
from omnibalance.validation.runner import prior_columns, run_all


def test_every_prior_is_at_least_25_percent_wide_or_the_whole_range():
    """Around each rule's calibrated value (Param.prior is omnibalance's box)."""
    from omnibalance.params import RULES, prior_box, rule_defaults

    for rule in RULES:
        centre = rule_defaults(rule)
        for name, (lo, hi) in prior_box(rule).items():
            p, c = PARAMETERS[name], centre[name]
            assert p.low <= lo <= c <= hi <= p.high, (rule, name)
            for end, bound in ((lo, p.low), (hi, p.high)):
                if end != bound:
                    assert abs(end - c) >= PRIOR_WIDTH * abs(c) - 0.5 * (
                        p.kind is int) - 1e-9, (rule, name)
    assert all(PARAMETERS[n].prior == box for n, box in prior_box("omnibalance").items())


def test_designs_cover_the_box_and_are_reproducible():
    names = robustness.prior_names()
    lhs = robustness.design("lhs", 16, seed=3)
    assert lhs == robustness.design("lhs", 16, seed=3) != robustness.design("lhs", 16, seed=4)
    for point in lhs:
        for n in names:
            lo, hi = PARAMETERS[n].prior
            assert lo <= point[n] <= hi
    # A Latin hypercube puts exactly one point in each of the 16 strata of every parameter.
    n = names[0]
    lo, hi = PARAMETERS[n].prior
    strata = np.floor((np.array([p[n] for p in lhs]) - lo) / (hi - lo) * 16).astype(int)
    assert sorted(np.minimum(strata, 15)) == list(range(16))
    oat = robustness.design("oat", 0, seed=0)
    assert len(oat) == 2 * len(names) and all(len(p) == 1 for p in oat)


def test_robustness_decides_every_criterion_at_every_point():
    results = robustness.run(kind="lhs", points=2, replications=3, seed=1,
                             rules=("omnibalance", "bandwagon"))
    assert len(results) == 4
    rows = robustness.summary(results)
    ids = {r["criterion"] for r in rows}
    assert {"1a", "2b", "7", "all"} <= ids
    for r in rows:
        assert r["points"] == 2 and 0 <= r["pass"] <= 2 and r["pass"] + r["fail"] <= 2 or \
            r["criterion"] == "all"
    text = robustness.markdown(rows, kind="lhs", replications=3, seed=1)
    assert "`omnibalance`" in text and "| all |" in text


def test_prior_draws_change_the_runs_and_stay_reproducible():
    cols = prior_columns(5, seed=2)
    assert set(cols) == set(robustness.prior_names()) and all(len(v) == 5 for v in cols.values())
    a = run_all(5, seed=2, rules=("omnibalance",), prior=True)
    b = run_all(5, seed=2, rules=("omnibalance",), prior=True)
    c = run_all(5, seed=2, rules=("omnibalance",))
    assert a == b and a != c


@pytest.mark.parametrize("argv, fragment", [
    (["robustness", "--rule", "omnibalanc"], "invalid choice"),
    (["robustness", "--points", "0"], "points"),
    (["robustness", "--design", "grid"], "invalid choice"),
])
def test_robustness_bad_arguments_exit_2(argv, fragment, capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--out", str(tmp_path / "r")])
    assert exc.value.code == 2
    assert fragment in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_robustness_command_writes_its_table(tmp_path, capsys):
    code = main(["robustness", "--rule", "omnibalance", "--points", "2", "--replications", "2",
                 "--workers", "1", "--out", str(tmp_path / "r"), "--quiet"])
    assert code == 0
    assert "| 1a |" in capsys.readouterr().out
    assert (tmp_path / "r" / "robustness.md").is_file()
    assert (tmp_path / "r" / "robustness_points.csv").read_text().count("\n") == 3
    pairs = (tmp_path / "r" / "robustness_pairs.csv").read_text().splitlines()
    assert pairs[0].startswith("rule,criterion,1a,1b")
    assert len(pairs) == 1 + len(pairs[0].split(",")) - 2  # one row per criterion


def test_joint_pass_counts_points_where_both_criteria_pass():
    def point(j, verdicts):
        return robustness.PointResult(j, {}, "omnibalance", verdicts)

    results = [point(0, {"1a": "pass", "2b": "fail"}), point(1, {"1a": "pass", "2b": "pass"}),
               point(2, {"1a": "undecided", "2b": "pass"}), point(3, {"1a": "pass", "2b": "pass"})]
    table = robustness.joint_pass(results)["omnibalance"]
    assert table["1a"]["1a"] == 0.75 and table["2b"]["2b"] == 0.75
    assert table["1a"]["2b"] == table["2b"]["1a"] == 0.5

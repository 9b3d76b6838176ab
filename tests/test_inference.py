"""Inference (issue 10): ABC-SMC against a known posterior, reproducibility whatever the
workers, resume after an interruption, PRIM against a planted box, the commands end to end
on small sizes, and bad input as one line with exit 2."""

from __future__ import annotations

import importlib.util
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

if importlib.util.find_spec("pyabc") is None or importlib.util.find_spec("ema_workbench") is None:
    pytest.skip("the inference extra is not installed", allow_module_level=True)

from scipy import stats  # noqa: E402

from omnibalance.cli import main  # noqa: E402
from omnibalance.inference import smc, toy  # noqa: E402
from omnibalance.inference.discover import crossing, find_boxes, label_of  # noqa: E402
from omnibalance.sweep.executors import InProcess, LocalPool  # noqa: E402

# One xdist worker runs them all: pyabc and EMA Workbench take seconds to import.
pytestmark = pytest.mark.xdist_group("inference")

N, K = 20, 7
"""The toy data: 7 successes in 20 trials; posterior Beta(8, 14) under a uniform prior."""


def _toy(db: Path, *, seed=3, population=60, generations=3, executor=InProcess, model=None):
    settings = smc.Settings(population=population, generations=generations, budget=10_000,
                            seed=seed, epsilon=("list", (3, 1, 0)), batch=10)
    return smc.run([model or toy.Binomial(N)], {"p": (0.0, 1.0)}, toy.distance,
                   {"k": float(K)}, settings, db, executor)


def _posterior(history) -> pd.DataFrame:
    from omnibalance.inference.posterior import samples

    return samples(history)


def test_abc_posterior_matches_the_known_beta_posterior(tmp_path):
    """With tolerance 0, ABC's acceptance is exact: the last generation is a weighted sample
    of Beta(8, 14). Its mean, its 90% interval and a weighted KS distance must match."""
    post = _posterior(_toy(tmp_path / "a.db", population=150))
    beta = stats.beta(1 + K, 1 + N - K)
    p, w = post["p"].to_numpy(), post["weight"].to_numpy()
    assert abs(np.sum(p * w) - beta.mean()) < 0.03
    order = np.argsort(p)
    ecdf = np.cumsum(w[order])
    ks = np.max(np.abs(ecdf - beta.cdf(p[order])))
    assert ks < 0.15, ks
    from omnibalance.inference.posterior import table

    row = table(post.rename(columns={"p": "us_pressure"}), {"us_pressure": (0.0, 1.0)}).iloc[0]
    assert row.ci_low < K / N < row.ci_high  # the interval covers the rate that fits the data
    assert abs(row.ci_low - beta.ppf(0.05)) < 0.06 and abs(row.ci_high - beta.ppf(0.95)) < 0.06
    assert 0.3 < row.width_ratio < 0.6  # 20 trials narrow a uniform prior to about 0.36


def test_same_seed_same_posterior_whatever_the_workers(tmp_path):
    one = _posterior(_toy(tmp_path / "1.db", population=30, generations=2))
    two = _posterior(_toy(tmp_path / "2.db", population=30, generations=2,
                          executor=lambda: LocalPool(2)))
    pd.testing.assert_frame_equal(one, two)
    other = _posterior(_toy(tmp_path / "3.db", seed=4, population=30, generations=2))
    assert not one["p"].equals(other["p"])


class _InterruptError(Exception):
    pass


class _Failing(toy.Binomial):
    """The toy simulator, interrupted at its ``at``-th call (mid-generation)."""

    calls = 0

    def __call__(self, point):
        type(self).calls += 1
        if type(self).calls == self.at:
            raise _InterruptError
        return super().__call__(point)


def test_resume_after_an_interruption_gives_the_uninterrupted_posterior(tmp_path):
    whole = _posterior(_toy(tmp_path / "whole.db"))
    db = tmp_path / "cut.db"
    model = _Failing(N)
    object.__setattr__(model, "at", 520)  # in the third generation
    with pytest.raises(_InterruptError):
        _toy(db, model=model)
    from pyabc import History

    stored = History("sqlite:///" + str(db))
    stored.id = 1
    done = stored.max_t
    assert 0 <= done < 2  # some generations were stored, not all
    resumed = _posterior(_toy(db))
    pd.testing.assert_frame_equal(whole, resumed)


def test_prim_recovers_a_planted_box():
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.uniform(size=(1500, 4)), columns=["a", "b", "c", "d"])
    inside = ((x.a >= 0.4) & (x.c <= 0.6)).to_numpy()
    y = np.where(inside, rng.uniform(size=len(x)) < 0.95, rng.uniform(size=len(x)) < 0.03)
    box = find_boxes(x, y, density=0.9, boxes=1)[0]
    assert set(box.restricted) == {"a", "c"}
    assert abs(box.limits["a"][0] - 0.4) < 0.05 and box.cuts["a"] == (True, False)
    assert abs(box.limits["c"][1] - 0.6) < 0.05 and box.cuts["c"] == (False, True)
    assert box.density >= 0.9 and box.coverage >= 0.8
    text = box.rule(label_of("pc_ever_RUS"))
    assert re.match(r"a >= 0\.\d\d and c <= 0\.\d\d -> P\(patron-client tie with RUS\) = "
                    r"0\.9\d, covering \d+% of such runs \(\d+ of the \d+ runs in the box; 2 "
                    r"restricted dimensions\)$", text), text
    at, step = crossing(x, y, box, "a")
    assert abs(at - box.limits["a"][0]) <= step


# --- the commands end to end, at a small size -----------------------------------------------

SPEC = """
[abc]
name = "tiny"
rule = "omnibalance"
cases = ["nicaragua", "venezuela", "venezuela_sunk0"]
parameters = ["internal_threat", "us_pressure", "tie_decay"]
replications = 2
seed = 5
budget = 300
population = 12
generations = 2
batch = 6

[distance]
kind = "interval"

[compare]
budget = 72
repeats = 2
predictive_draws = 2
predictive_replications = 10
"""


def test_calibrate_writes_the_posterior_and_resumes(tmp_path, capsys):
    spec = tmp_path / "tiny.toml"
    spec.write_text(SPEC)
    out = tmp_path / "cal"
    assert main(["calibrate", str(spec), "--out", str(out), "--workers", "1"]) == 0
    text = capsys.readouterr().out
    from omnibalance.params import rule_defaults

    # The table shows the value in use: the rule's calibrated value.
    current = rule_defaults("omnibalance")["internal_threat"]
    assert f"| internal_threat | {current:g} |" in text and "width / prior width" in text
    post = pd.read_parquet(out / "posterior.parquet")
    assert list(post.columns) == ["internal_threat", "tie_decay", "us_pressure", "weight",
                                  "distance"] and len(post) == 12
    assert math.isclose(post["weight"].sum(), 1.0)
    from omnibalance.params import PARAMETERS

    for n in ("internal_threat", "us_pressure", "tie_decay"):
        lo, hi = PARAMETERS[n].prior
        assert post[n].between(lo, hi).all()
    for name in ("pairs.png", "pairs.svg", "posterior.md", "posterior.csv", "abc.db"):
        assert (out / name).stat().st_size > 0, name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "done" and manifest["seed"] == 5
    assert manifest["versions"]["pyabc"] and len(manifest["spec_hash"]) == 64
    assert manifest["model_runs"] <= 300 and [g["t"] for g in manifest["generations"]] == [0, 1]
    # a rerun resumes: nothing new to do, the same posterior
    assert main(["calibrate", str(spec), "--out", str(out), "--workers", "1"]) == 0
    pd.testing.assert_frame_equal(post, pd.read_parquet(out / "posterior.parquet"))
    assert len(json.loads((out / "manifest.json").read_text())["sessions"]) == 2
    # another spec into the same folder is refused, and the folder left as it was
    spec.write_text(SPEC.replace("seed = 5", "seed = 6"))
    capsys.readouterr()
    assert main(["calibrate", str(spec), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "holds another analysis" in err and err.count("\n") == 1


def test_compare_table_and_doc_block(tmp_path, capsys):
    from omnibalance.inference.compare import BEGIN, END

    spec = tmp_path / "tiny.toml"
    spec.write_text(SPEC)
    doc = tmp_path / "validation.md"
    doc.write_text(f"# V\n\nbefore\n{BEGIN}\nold table\n{END}\nafter\n")
    out = tmp_path / "cmp"
    assert main(["compare", str(spec), "--out", str(out), "--workers", "1",
                 "--doc", str(doc)]) == 0
    table = (out / "compare.md").read_text()
    assert "**P(rule given the criteria)**" in table and "| 2a: " in table
    least = next(ln for ln in table.splitlines() if ln.startswith("| distance: least"))
    assert all(float(x) >= 0 for x in least.split("|")[2:-1])
    probs = pd.read_csv(out / "model_probabilities.csv", index_col="seed")
    assert list(probs.index) == [5, 6]
    assert np.allclose(probs.sum(axis=1), 1.0)
    pred = pd.read_csv(out / "predictive.csv", index_col="criterion")
    assert pred.to_numpy()[~np.isnan(pred.to_numpy())].max() <= 1
    text = doc.read_text()
    assert "old table" not in text and "before" in text and "after" in text
    assert table.strip() in text


def test_compare_draws_a_threat_blind_rules_own_parameter_from_its_search_range(tmp_path):
    """compare weighs each rule with its own parameters free (own_parameters = "prior"): the
    threat-blind rules' alignment_value over the range their calibration searched, the
    shared parameters over one neutral box; "calibrated" holds them at the rule's value."""
    from omnibalance.inference.spec import load
    from omnibalance.validation.calibration import search_box

    spec_path = tmp_path / "tiny.toml"
    spec_path.write_text(SPEC)
    spec = load(spec_path)
    assert spec.own_parameters == "prior"
    shared = spec.neutral_box
    for rule in ("omnibalance", "balance_of_threat"):
        assert spec.compare_box(rule) == shared
    for rule in ("balance_of_power", "bandwagon"):
        box = spec.compare_box(rule)
        assert box["alignment_value"] == search_box(rule)["alignment_value"] == (0.1, 10.0)
        assert {k: v for k, v in box.items() if k != "alignment_value"} == shared
    spec_path.write_text(SPEC.replace("repeats = 2", 'repeats = 2\nown_parameters = "calibrated"'))
    held = load(spec_path)
    assert all(held.compare_box(r) == shared for r in held.rules)


def test_a_tolerance_multiplier_below_1_makes_the_tolerance_fall_past_an_atom():
    """With many equal distances (a rule whose points all fail the same criteria) the
    alpha-quantile of the last distances can equal the last tolerance for ever; a multiplier
    below 1 makes every new tolerance smaller than the quantile."""
    import pyabc

    from omnibalance.inference import smc

    settings = smc.Settings(population=10, generations=2, budget=10, seed=1,
                            epsilon=("quantile", 0.5, 0.8))
    eps = smc._epsilon(settings)
    assert isinstance(eps, pyabc.QuantileEpsilon) and eps.quantile_multiplier == 0.8
    assert smc._epsilon(replace_settings(settings, ("quantile", 0.5))).quantile_multiplier == 1


def replace_settings(settings, epsilon):
    from dataclasses import replace

    return replace(settings, epsilon=epsilon)


SWEEP = """
[sweep]
name = "small_threat"
scenario = "nicaragua_2007"
replications = 5
seed = 20070110

[design]
kind = "lhs"
samples = 300

[design.parameters]
internal_threat = { low = 0.0, high = 1.0 }
us_pressure = { low = 0.0, high = 1.0 }
"regimes.NIC.mandate" = { low = 0.1, high = 0.9 }
"""


def _indistinguishable_from_half(x, y, box, name, bound, at) -> bool:
    """Every phase-diagram bin between a box's bound and the 0.5 crossing has a share whose 95%
    Wilson interval contains 0.5: the crossing is not located more finely than that, so a
    bound anywhere in those bins agrees with the diagram."""
    from omnibalance.sweep.phase import _levels
    from omnibalance.validation.stats import wilson

    keep = np.ones(len(x), dtype=bool)
    for k, (lo, hi) in box.limits.items():
        if k != name:
            keep &= ((x[k] >= lo) & (x[k] <= hi)).to_numpy()
    lev = _levels(x[name])[keep]
    counts = pd.Series(np.asarray(y, dtype=float)[keep], index=lev.index).groupby(lev).agg(
        ["sum", "size"])
    lo, hi = sorted((bound, at))
    between = counts[(counts.index >= lo) & (counts.index <= hi)]
    return len(between) > 0 and all(
        wilson(int(k), int(n)).low <= 0.5 <= wilson(int(k), int(n)).high
        for k, n in zip(between["sum"], between["size"], strict=True))


def test_discover_agrees_with_the_phase_diagram(tmp_path, capsys):
    """On a small version of the main job: a box of density >= 0.8 for pc_ever_RUS, printed
    as a rule, whose bounds on the phase diagram's axes fall within one bin of where the
    diagram's probability crosses 0.5, or in bins whose share cannot be told from 0.5."""
    spec = tmp_path / "s.toml"
    spec.write_text(SWEEP)
    res = tmp_path / "R"
    assert main(["sweep", str(spec), "--out", str(res), "--workers", "1", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["discover", str(res), "--outcome", "pc_ever_RUS"]) == 0
    text = capsys.readouterr().out
    assert "Box 1: " in text and "-> P(patron-client tie with RUS) = " in text
    for name in ("prim_pc_ever_RUS.csv", "prim_pc_ever_RUS_trajectory.png",
                 "prim_pc_ever_RUS_trajectory.svg"):
        assert (res / name).stat().st_size > 0
    from omnibalance.sweep.results import open_results

    r = open_results(res)
    runs = r.read([*r.swept, "pc_ever_RUS"])
    box = find_boxes(runs[r.swept], runs["pc_ever_RUS"].to_numpy())[0]
    assert box.density >= 0.8
    checked = 0
    for name in set(box.restricted) & {"internal_threat", "us_pressure"}:
        lo_cut, hi_cut = box.cuts[name]
        bound = box.limits[name][0] if lo_cut else box.limits[name][1]
        found = crossing(runs[r.swept], runs["pc_ever_RUS"].to_numpy(), box, name)
        assert found is not None, name
        at, step = found
        assert abs(bound - at) <= step or _indistinguishable_from_half(
            runs[r.swept], runs["pc_ever_RUS"].to_numpy(), box, name, bound, at), \
            (name, bound, at, step)
        checked += 1
    assert checked, box.limits


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parent.parent / "experiments"
                                          / "inference").glob("*.toml")), ids=lambda p: p.name)
def test_every_inference_spec_is_valid(path):
    from omnibalance.inference.spec import load

    spec = load(path)
    assert spec.criteria and spec.points_budget >= spec.population


# --- bad input: one line, exit 2, nothing written ----------------------------------------------

def _edit(old, new):
    def make(d: Path) -> list[str]:
        text = SPEC.replace(old, new, 1)
        assert text != SPEC
        (d / "s.toml").write_text(text)
        return ["calibrate", str(d / "s.toml"), "--out", str(d / "R"), "--workers", "1"]
    return make


def _cmd(*argv):
    def make(d: Path) -> list[str]:
        return [a.replace("{d}", str(d)) for a in argv]
    return make


def _spec_then(*argv):
    def make(d: Path) -> list[str]:
        (d / "s.toml").write_text(SPEC)
        return [a.replace("{d}", str(d)) for a in argv]
    return make


BAD = [
    ("abc-rule-typo", _edit('rule = "omnibalance"', 'rule = "omnibalancing"'),
     ["abc.rule", "did you mean 'omnibalance'"]),
    ("abc-case-typo", _edit('"venezuela_sunk0"]', '"venezuela_sunk"]'),
     ["abc.cases", "did you mean 'venezuela_sunk0'"]),
    ("abc-unpaired-case", _edit('cases = ["nicaragua", "venezuela", "venezuela_sunk0"]',
                                'cases = ["region"]'), ["abc.cases", "add region_strong_mandate"]),
    ("abc-parameter-typo", _edit('"tie_decay"]', '"tie_decy"]'),
     ["abc.parameters", "did you mean 'tie_decay'"]),
    ("abc-parameter-no-prior", _edit('"tie_decay"]', '"growth_sd"]'),
     ["abc.parameters", "'growth_sd'", "no declared prior"]),
    ("abc-criterion-typo", _edit('replications = 2', 'replications = 2\ncriteria = ["2d"]'),
     ["abc.criteria", "'2d'"]),
    ("abc-unknown-key", _edit("population = 12", "populaton = 12"),
     ["did you mean 'population'"]),
    ("abc-budget-too-small", _edit("budget = 300", "budget = 10"),
     ["abc.budget", "at least one generation"]),
    ("abc-seed-text", _edit("seed = 5", 'seed = "five"'), ["abc.seed", "whole number"]),
    ("abc-seeds-mode", _edit('replications = 2', 'replications = 2\nseeds = "random"'),
     ["abc.seeds", "common"]),
    ("abc-replications-zero", _edit("replications = 2", "replications = 0"),
     ["abc.replications", "[1, 100000]"]),
    ("abc-missing-table", _edit("[abc]", "[abd]"), ["did you mean 'abc'"]),
    ("abc-distance-kind", _edit('kind = "interval"', 'kind = "euclid"'),
     ["distance.kind", "'euclid'"]),
    ("abc-distance-p", _edit('kind = "interval"', 'kind = "interval"\np = 0.5'),
     ["distance.p", ">= 1"]),
    ("abc-epsilon-alpha", _edit("[compare]", "[epsilon]\nalpha = 1.5\n\n[compare]"),
     ["epsilon.alpha", "(0, 1)"]),
    ("abc-epsilon-list", _edit("[compare]", '[epsilon]\nkind = "list"\nvalues = [-1]\n\n'
                               "[compare]"), ["epsilon.values", ">= 0"]),
    ("abc-epsilon-multiplier", _edit("[compare]", "[epsilon]\nmultiplier = 0\n\n[compare]"),
     ["epsilon.multiplier", "(0, 1]"]),
    ("abc-compare-rule", _edit("repeats = 2", 'repeats = 2\nrules = ["bandwagoning"]'),
     ["compare.rules", "did you mean 'bandwagon'"]),
    ("abc-compare-own", _edit("repeats = 2", 'repeats = 2\nown_parameters = "priors"'),
     ["compare.own_parameters", "did you mean 'prior'"]),
    ("abc-malformed", _edit("[abc]", "[abc"), ["malformed TOML"]),
    ("abc-no-spec", _cmd("calibrate", "{d}/none.toml"), ["no such spec file"]),
    ("abc-doc-without-markers", _spec_then("compare", "{d}/s.toml", "--out", "{d}/R",
                                           "--doc", "{d}/s.toml"), ["--doc", "compare:begin"]),
    ("discover-no-results", _cmd("discover", "{d}", "--outcome", "pc_ever_RUS"),
     ["no manifest.json"]),
    ("discover-density", _cmd("discover", "{d}", "--outcome", "pc_ever_RUS", "--density", "2"),
     ["--density", "(0, 1]"]),
]


def _tree(d: Path) -> dict:
    return {str(p.relative_to(d)): (p.read_bytes() if p.is_file() else None)
            for p in d.rglob("*")}


@pytest.mark.parametrize("case,make,words", BAD, ids=[c[0] for c in BAD])
def test_bad_input(tmp_path, monkeypatch, capsys, case, make, words):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    argv = make(work)
    before = _tree(work)
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2, (case, err)
    assert "Traceback" not in err and err.count("\n") == 1, err
    for w in words:
        assert w in err, (case, w, err)
    assert _tree(work) == before, case


def test_prim_box_must_be_denser_than_the_whole_sweep():
    """When the whole sweep already reaches the density asked for, the reported box is the
    first one halfway denser toward certainty (before: the whole sweep, a box with no
    restriction)."""
    import pandas as pd

    from omnibalance.inference.discover import choose

    traj = pd.DataFrame({"density": [0.85, 0.88, 0.95, 0.97], "coverage": [1.0, 0.9, 0.7, 0.5]})
    assert choose(traj, 0.8) == 2
    low = pd.DataFrame({"density": [0.3, 0.6, 0.85, 0.9], "coverage": [1.0, 0.9, 0.7, 0.5]})
    assert choose(low, 0.8) == 2

"""The batch engine against the Mesa face, and the random layout (issue: batch engine).

The model's quarter is written once (omnibalance.engine.quarter); these tests hold that a run
gives the same result alone through the Mesa face, in a batch of one, or inside a batch of
thousands, and that seeds give common random numbers across rules and design points.
"""

import math

import numpy as np
import pandas as pd
import pytest

from omnibalance import outcomes
from omnibalance.engine import draws, run_batch
from omnibalance.engine.batch import SERIES_PAIR, SERIES_REGIME
from omnibalance.model import OmnibalanceModel
from omnibalance.params import RULES
from omnibalance.runner import cached_scenario, outcomes_of, run_many, run_once
from omnibalance.scenario import list_presets

SEEDS = 200


def _seeds(n, entropy=20261201):
    return [np.random.SeedSequence(entropy, spawn_key=(7, r)) for r in range(n)]


def _same(a: dict, b: dict) -> None:
    """Integers, booleans, strings and missing values exactly; floats to 1e-9."""
    assert a.keys() == b.keys()
    for k in a:
        if isinstance(a[k], float):
            assert math.isclose(a[k], b[k], rel_tol=1e-9, abs_tol=1e-12), (k, a[k], b[k])
        else:
            assert a[k] == b[k], (k, a[k], b[k])


@pytest.mark.slow
@pytest.mark.parametrize("preset", list_presets())
@pytest.mark.parametrize("rule", RULES)
def test_batch_equals_mesa_face_on_every_preset_and_rule(preset, rule):
    """200 seeds per preset and rule: the batch path's per-run outcomes equal the Mesa
    face's, for every regime of the scenario."""
    case = cached_scenario(preset)
    seeds = _seeds(SEEDS)
    res = run_batch(case, rule, None, seeds)
    batch = {r.id: outcomes.rows(res.world, res.state, r.id) for r in case.regimes}
    for n, seed in enumerate(seeds):
        model = OmnibalanceModel(case, rule, rng=np.random.default_rng(seed), collect=False)
        model.run()
        for r in case.regimes:
            _same(batch[r.id][n], outcomes_of(model, r.id))
    _same(batch[case.regimes[0].id][0], run_once(case, rule, seed=seeds[0]))


@pytest.mark.parametrize("preset", ["nicaragua_2007", "latin_america_2007", "argentina_2007"])
@pytest.mark.parametrize("rule", RULES)
def test_per_step_tables_equal_the_mesa_face(preset, rule):
    """For a sample of seeds, every per-step quantity the batch records equals the Mesa
    face's DataCollector tables, for every regime and power."""
    case = cached_scenario(preset)
    seeds = _seeds(4, entropy=5)
    cols = SERIES_REGIME + SERIES_PAIR
    res = run_batch(case, rule, None, seeds, record=cols, leaders=True)
    for n, seed in enumerate(seeds):
        m = OmnibalanceModel(case, rule, rng=np.random.default_rng(seed)).run()
        table = m.step_table()
        for i, r in enumerate(case.regimes):
            for k, p in enumerate(case.powers):
                rows = table[(table.regime == r.id) & (table.power == p.id)]
                for col in SERIES_PAIR:
                    got = res.history[col][n, :, i, k]
                    if col == "classification":
                        got = np.array(["none", "partnership", "patron_client"])[got]
                        assert list(rows[col]) == list(got)
                    else:
                        np.testing.assert_allclose(rows[col], got, rtol=1e-9, atol=1e-12)
            rrows = table[(table.regime == r.id) & (table.power == case.powers[0].id)]
            for col in SERIES_REGIME:
                np.testing.assert_allclose(rrows[col], res.history[col][n, :, i], rtol=1e-9,
                                           atol=1e-12)
            assert list(rrows["leader"]) == [res.leaders[n][t][i] for t in range(m.n_steps)]


@pytest.mark.parametrize("preset", ["nicaragua_2007", "latin_america_2007"])
def test_a_run_does_not_depend_on_its_batch(preset):
    """The same runs in batches of 1, 7 and 1000, and cut by a tiny memory budget into many
    sub-batches, give the same outcomes."""
    seeds = _seeds(1000, entropy=3)
    pressure = np.linspace(0.0, 1.0, 1000)
    whole = run_many(preset, "omnibalance", {"us_pressure": pressure}, seeds)
    sevens = []
    for a in range(0, 1000, 7):
        sevens += run_many(preset, "omnibalance", {"us_pressure": pressure[a:a + 7]},
                           seeds[a:a + 7])
    for n in (0, 1, 6, 7, 500, 999):
        alone = run_many(preset, "omnibalance", {"us_pressure": pressure[n:n + 1]},
                         seeds[n:n + 1])
        _same(alone[0], whole[n])
    for a, b in zip(whole, sevens, strict=True):
        _same(a, b)
    res = run_batch(cached_scenario(preset), "omnibalance", {"us_pressure": pressure[:50]},
                    seeds[:50], memory_mb=0.05)
    for a, b in zip(outcomes.rows(res.world, res.state), whole[:50], strict=True):
        _same(a, b)


def test_common_random_numbers_across_rules_and_points():
    """A seed gives the same shocks under every rule and at every design point: with
    investment's growth effect off, growth paths are identical whatever the rule or the US
    pressure, while the ties differ."""
    case = cached_scenario("venezuela_2007")
    seeds = _seeds(20, entropy=11)
    paths, ties = [], []
    for rule in RULES:
        for pressure in (0.2, 0.9):
            res = run_batch(case, rule, {"investment_growth": np.zeros(20),
                                         "us_pressure": np.full(20, pressure)}, seeds,
                            record=("growth", "tie"))
            paths.append(res.history["growth"])
            ties.append(res.history["tie"])
    for p in paths[1:]:
        np.testing.assert_array_equal(p, paths[0])
    assert any(not np.array_equal(t, ties[0]) for t in ties[1:])


def test_random_layout_is_one_block_per_run():
    """A run's random numbers are its generator's first draw, rng.random((steps, regimes, 8)),
    so they can be rebuilt from the seed alone, and a run with fewer steps sees a prefix of
    the same quarters' numbers only if its layout says so (here: documented as a new block)."""
    ss = np.random.SeedSequence(9, spawn_key=(1, 2))
    block = draws.uniforms([ss], 56, 3)[0]
    np.testing.assert_array_equal(block, np.random.default_rng(ss).random((56, 3, 8)))
    d = draws.Draws(block)
    assert d.growth.shape == (56, 3)
    # Box-Muller normals: mean 0, sd 1 over many draws.
    many = draws.Draws(draws.uniforms(_seeds(400), 56, 1)).growth.ravel()
    assert abs(many.mean()) < 0.02 and abs(many.std() - 1) < 0.02


def test_runs_vary_between_seeds():
    """Different seeds give different runs (the shocks enter growth, threat and hazard)."""
    res = run_batch(cached_scenario("venezuela_2007"), "omnibalance", None, _seeds(50),
                    record=("internal_threat",))
    paths = res.history["internal_threat"][:, :, 0]
    assert len({tuple(np.round(p, 12)) for p in paths}) == 50


def test_bad_overrides_name_the_field():
    from omnibalance.errors import ConfigError

    with pytest.raises(ConfigError, match="us_presure"):
        run_many("nicaragua_2007", "omnibalance", {"us_presure": [0.1]}, _seeds(1))
    with pytest.raises(ConfigError, match=r"us_pressure = 2"):
        run_many("nicaragua_2007", "omnibalance", {"us_pressure": [0.1, 2]}, _seeds(2))
    with pytest.raises(ConfigError, match="rule"):
        run_many("nicaragua_2007", "omnibalanc", None, _seeds(1))


def test_mesa_and_batch_sweeps_write_the_same_rows(tmp_path):
    """``--engine mesa`` and the default batch engine give identical rows (timings aside)."""
    from omnibalance.sweep.engine import run_sweep
    from omnibalance.sweep.executors import InProcess
    from omnibalance.sweep.spec import parse_spec

    spec = parse_spec({
        "sweep": {"name": "dock", "scenario": "argentina_2007", "rules": ["omnibalance",
                                                                           "bandwagon"],
                  "replications": 4, "seed": 5},
        "design": {"kind": "grid", "parameters": {"us_pressure": {"values": [0.2, 0.8]}}},
        "outputs": {"series": ["tie", "leader", "hazard"]}}, "dock.toml")
    a = run_sweep(spec, tmp_path / "batch", executor=InProcess(), chunk_size=5)
    b = run_sweep(spec, tmp_path / "mesa", executor=InProcess(), chunk_size=3, engine="mesa")
    assert a.failures == b.failures == 0
    ra = pd.read_parquet(tmp_path / "batch" / "runs").drop(columns=["run_seconds"])
    rb = pd.read_parquet(tmp_path / "mesa" / "runs").drop(columns=["run_seconds"])
    pd.testing.assert_frame_equal(ra.sort_values("run_id").reset_index(drop=True),
                                  rb.sort_values("run_id").reset_index(drop=True))
    sa = pd.read_parquet(tmp_path / "batch" / "series").sort_values(["run_id", "step", "power"])
    sb = pd.read_parquet(tmp_path / "mesa" / "series").sort_values(["run_id", "step", "power"])
    pd.testing.assert_frame_equal(sa.reset_index(drop=True), sb.reset_index(drop=True),
                                  check_dtype=False)

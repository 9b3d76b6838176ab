"""Sweep specs, designs, seeds and the run plan: the parts that need no executor."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import numpy as np
import pytest

from omnibalance.errors import ConfigError
from omnibalance.params import PARAMETERS
from omnibalance.sweep.design import build_design
from omnibalance.sweep.plan import Plan, default_chunk_size
from omnibalance.sweep.seeds import design_seed, run_seed
from omnibalance.sweep.spec import load_spec, parse_spec

ROOT = Path(__file__).resolve().parent.parent

BASE = """
[sweep]
name = "t"
scenario = "nicaragua_2007"
replications = 2
seed = 3
"""


def spec_of(text: str):
    return parse_spec(tomllib.loads(text), "t.toml")


def grid(extra: str = "", axes: str = "internal_threat = { low = 0, high = 1, n = 3 }\n"
                                      "us_pressure = { values = [0.2, 0.8] }"):
    return spec_of(BASE + extra + '\n[design]\nkind = "grid"\n[design.parameters]\n' + axes)


def test_grid_is_the_full_product_first_axis_slowest():
    d = build_design(grid())
    assert d.names == ("internal_threat", "us_pressure")
    expected = list(itertools.product([0.0, 0.5, 1.0], [0.2, 0.8]))
    assert [tuple(r) for r in d.values] == expected
    assert d.point(3) == {"internal_threat": 0.5, "us_pressure": 0.8}


def test_whole_number_parameters_stay_whole():
    d = build_design(grid(axes="horizon = { low = 1, high = 10, n = 4 }"))
    assert PARAMETERS["horizon"].kind is int
    assert all(isinstance(v, int) for v in (d.point(i)["horizon"] for i in range(len(d))))
    assert [d.point(i)["horizon"] for i in range(len(d))] == [1, 4, 7, 10]


def test_list_design_keeps_the_given_points_and_order():
    s = spec_of(BASE + """
[design]
kind = "list"
points = [{ us_pressure = 0.9, "powers.RUS.sunk_weight" = 0.0 },
          { us_pressure = 0.1, "powers.RUS.sunk_weight" = 1.0 }]
""")
    d = build_design(s)
    assert d.names == ("us_pressure", "powers.RUS.sunk_weight")
    assert d.point(0) == {"us_pressure": 0.9, "powers.RUS.sunk_weight": 0.0}
    assert d.point(1)["powers.RUS.sunk_weight"] == 1.0


def sampled(kind: str, size: str) -> str:
    return BASE + f"""
[design]
kind = "{kind}"
{size}
[design.parameters]
internal_threat = {{ low = 0.2, high = 0.6 }}
us_pressure = {{}}
"""


def test_latin_hypercube_has_one_point_per_stratum_and_is_seeded():
    s = spec_of(sampled("lhs", "samples = 10"))
    d = build_design(s)
    assert d.values.shape == (10, 2)
    strata = np.floor((d.values[:, 0] - 0.2) / 0.04).astype(int)
    assert sorted(strata) == list(range(10))
    assert np.all((d.values[:, 1] >= 0) & (d.values[:, 1] <= 1))
    np.testing.assert_array_equal(d.values, build_design(s).values)
    other = spec_of(sampled("lhs", "samples = 10").replace("seed = 3", "seed = 4"))
    assert not np.array_equal(d.values, build_design(other).values)


def test_sobol_and_morris_sizes_follow_salib():
    s = spec_of(sampled("sobol", "samples = 8"))
    assert len(build_design(s)) == 8 * (2 + 2)
    s2 = spec_of(sampled("sobol", "samples = 8\nsecond_order = true"))
    assert len(build_design(s2)) == 8 * (2 * 2 + 2)
    m = spec_of(sampled("morris", "trajectories = 5\nlevels = 4"))
    d = build_design(m)
    assert len(d) == 5 * (2 + 1)
    # Morris trajectories move one parameter at a time.
    steps = np.diff(d.values.reshape(5, 3, 2), axis=1)
    assert np.all((steps != 0).sum(axis=2) == 1)
    assert d.problem["bounds"] == [[0.2, 0.6], [0.0, 1.0]]


def test_run_seeds_are_keyed_by_point_and_replication_not_order():
    a = run_seed(3, 5, 1).generate_state(4)
    b = np.random.SeedSequence(3, spawn_key=(5, 1)).generate_state(4)
    np.testing.assert_array_equal(a, b)
    states = {tuple(run_seed(3, p, r).generate_state(2)) for p in range(20) for r in range(5)}
    assert len(states) == 100
    assert design_seed(3) == design_seed(3) != design_seed(4)


def test_plan_numbers_every_run_once():
    plan = Plan(("omnibalance", "bandwagon"), points=7, replications=3, chunk_size=4)
    assert plan.runs == 42 and plan.chunks == 11
    ids = [r for k in range(plan.chunks) for r in plan.chunk_runs(k)]
    assert ids == list(range(42))
    triples = {plan.locate(r) for r in ids}
    assert triples == set(itertools.product(range(2), range(7), range(3)))
    assert plan.locate(22) == (1, 0, 1)
    assert default_chunk_size(100) == 10 and default_chunk_size(10**6) == 2000
    assert default_chunk_size(17640) == 552


def test_hash_ignores_layout_and_description_but_not_values(tmp_path):
    a = grid()
    b = spec_of("# a comment\n" + BASE.replace('name = "t"', 'name = "t"\ndescription = "x"')
                + '\n[design]\nkind = "grid"\n[design.parameters]\n'
                + "internal_threat = { values = [0.0, 0.5, 1.0] }\n"
                + "us_pressure = { values = [0.2, 0.8] }")
    assert a.hash == b.hash
    assert grid().hash != grid(axes="internal_threat = { low = 0, high = 1, n = 4 }\n"
                                    "us_pressure = { values = [0.2, 0.8] }").hash
    path = tmp_path / "s.toml"
    path.write_text(BASE + '\n[design]\nkind = "grid"\n[design.parameters]\n'
                           "internal_threat = { low = 0, high = 1, n = 3 }\n"
                           "us_pressure = { values = [0.2, 0.8] }")
    assert load_spec(path).hash == a.hash


@pytest.mark.parametrize("path", sorted(ROOT.glob("experiments/*.toml")),
                         ids=lambda p: p.name)
def test_every_experiment_spec_is_valid(path):
    spec = load_spec(path)
    assert len(build_design(spec)) >= 1


def test_threat_sweep_spec_is_valid():
    s = load_spec(ROOT / "experiments" / "threat_sweep.toml")
    d = build_design(s)
    assert s.design_kind == "lhs" and d.names[:2] == ("internal_threat", "us_pressure")
    assert len(d.names) == 6 and len(d) * s.replications >= 10_000


BAD = [
    # (replace this, with this, expected words in the message)
    ("internal_threat = { low = 0, high = 1, n = 3 }",
     "internal_thret = { low = 0, high = 1, n = 3 }", "did you mean 'internal_threat'"),
    ('kind = "grid"', 'kind = "gird"', "did you mean 'grid'"),
    ("high = 1, n = 3", "high = 1.5, n = 3", "must be in [0, 1]"),
    ("high = 1, n = 3", "high = 1, n = 0", "must be a whole number >= 1"),
    ("low = 0, high = 1, n = 3", "low = 0.8, high = 0.2, n = 3", "must be >= low"),
    ("replications = 2", "replications = -1", "must be a whole number >= 1"),
    ("replications = 2", "replication = 2", "did you mean 'replications'"),
    ("us_pressure = { values = [0.2, 0.8] }", "us_pressure = { values = [] }", "no runs"),
    ('scenario = "nicaragua_2007"', 'scenario = "nicaragua_2070"', "nicaragua_2007"),
    ("seed = 3", 'seed = 3\nrules = ["omnibalance", "balance_of_treat"]',
     "did you mean 'balance_of_threat'"),
    ("seed = 3", "seed = 3\nrules = []", "no runs"),
    ("us_pressure = { values = [0.2, 0.8] }",
     '"powers.RUZ.sunk_weight" = { values = [0.5] }', "did you mean 'RUS'"),
    ("seed = 3", "seed = 3\n[fixed]\nus_pressure = 0.5", "also swept"),
]


@pytest.mark.parametrize(("old", "new", "words"), BAD)
def test_bad_specs_name_field_value_and_fix(old, new, words):
    text = (BASE + '\n[design]\nkind = "grid"\n[design.parameters]\n'
            "internal_threat = { low = 0, high = 1, n = 3 }\n"
            "us_pressure = { values = [0.2, 0.8] }")
    assert old in text
    with pytest.raises(ConfigError) as err:
        spec_of(text.replace(old, new))
    msg = str(err.value)
    assert words in msg
    assert msg.startswith("t.toml: ") and "\n" not in msg


def test_sobol_sample_size_must_be_a_power_of_two():
    with pytest.raises(ConfigError, match="power of 2"):
        spec_of(sampled("sobol", "samples = 12"))


def test_declared_outcome_columns_match_what_run_once_returns():
    import pyarrow as pa

    from omnibalance.runner import run_once
    from omnibalance.scenario import load_scenario
    from omnibalance.sweep.outcomes import run_once_fields

    fields = run_once_fields(load_scenario("nicaragua_2007"))
    out = run_once(steps=12, seed=1)
    assert set(out) - {"rule"} == {name for name, _, _ in fields}
    # Every value fits its declared type (None is allowed everywhere).
    row = {k: v for k, v in out.items() if k != "rule"}
    pa.Table.from_pylist([row], schema=pa.schema([(n, t) for n, t, _ in fields]))

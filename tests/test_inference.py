"""Inference (issue 10): ABC-SMC against a known posterior, reproducibility whatever the
workers, resume after an interruption, PRIM against a planted box, the commands end to end
on small sizes, and bad input as one line with exit 2."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pyabc")
pytest.importorskip("ema_workbench")

from scipy import stats  # noqa: E402

from omnibalance.cli import main  # noqa: E402
from omnibalance.inference import smc, toy  # noqa: E402
from omnibalance.inference.discover import crossing, find_boxes, label_of  # noqa: E402
from omnibalance.sweep.executors import InProcess, LocalPool  # noqa: E402

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


class _Interrupt(Exception):
    pass


class _Failing(toy.Binomial):
    """The toy simulator, interrupted at its ``at``-th call (mid-generation)."""

    calls = 0

    def __call__(self, point):
        type(self).calls += 1
        if type(self).calls == self.at:
            raise _Interrupt
        return super().__call__(point)


def test_resume_after_an_interruption_gives_the_uninterrupted_posterior(tmp_path):
    whole = _posterior(_toy(tmp_path / "whole.db"))
    db = tmp_path / "cut.db"
    model = _Failing(N)
    object.__setattr__(model, "at", 150)  # in the second or third generation
    with pytest.raises(_Interrupt):
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
    x = pd.DataFrame(rng.uniform(size=(2500, 4)), columns=["a", "b", "c", "d"])
    inside = ((x.a >= 0.4) & (x.c <= 0.6)).to_numpy()
    y = np.where(inside, rng.uniform(size=len(x)) < 0.95, rng.uniform(size=len(x)) < 0.03)
    box = find_boxes(x, y, density=0.9, boxes=1)[0]
    assert set(box.restricted) == {"a", "c"}
    assert abs(box.limits["a"][0] - 0.4) < 0.05 and box.cuts["a"] == (True, False)
    assert abs(box.limits["c"][1] - 0.6) < 0.05 and box.cuts["c"] == (False, True)
    assert box.density >= 0.9 and box.coverage >= 0.8
    text = box.rule(label_of("pc_ever_RUS"))
    assert text.startswith("a >= 0.4") and "c <= 0.6" in text and "P(patron-client tie with RUS)" in text
    at, step = crossing(x, y, box, "a")
    assert abs(at - box.limits["a"][0]) <= step

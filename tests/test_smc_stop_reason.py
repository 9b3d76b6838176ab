"""Why an ABC run stopped, said in words (a run that stops after its prior generation must not
look like a posterior)."""

import numpy as np
import pandas as pd

from omnibalance.inference import smc


class _History:
    def __init__(self, generations, distances):
        self.n_populations = generations
        self.max_t = generations - 1
        self._d = pd.DataFrame({"distance": distances, "w": np.ones(len(distances))})

    def get_weighted_distances(self, t):
        assert t == self.max_t
        return self._d


def _settings(**kw):
    base = dict(population=4, generations=8, budget=1000, seed=0,
                epsilon=("quantile", 0.5, 0.8), minimum_epsilon=0.0)
    return smc.Settings(**(base | kw))


def test_a_prior_generation_that_already_meets_the_criteria_is_named():
    said = smc.stop_reason(_History(1, [0.0, 0.0, 0.0, 1.2]), _settings(), used=100)
    assert "epsilon.minimum" in said and "75%" in said and "posterior is the prior" in said
    # After later generations the result is a posterior, and the line does not say otherwise.
    assert "prior" not in smc.stop_reason(_History(3, [0.0, 0.0, 0.4]), _settings(), 100)


def test_a_tolerance_below_every_distance_reached_is_named():
    """The calibrate_nic_ven case: at 10 replications a 0.75 bar cannot be passed (10/10 has
    a Wilson lower bound of 0.72), so most prior points share the least distance and 0.8 times
    the median lies below it."""
    said = smc.stop_reason(_History(1, [0.091, 0.091, 0.091, 1.0]), _settings(), used=100)
    assert "below the least distance any point reached (0.091" in said
    assert "75%" in said and "posterior is the prior sample" in said


def test_generation_limit_and_budget_are_told_apart():
    assert "generation limit (8)" in smc.stop_reason(_History(8, [0.5, 0.7]), _settings(), 90)
    # 0.8 x the median (0.5) = 0.4 is below 0.5, the least distance: that is the reason.
    assert "below the least distance" in smc.stop_reason(_History(3, [0.5, 0.5, 0.7]),
                                                         _settings(), 1000)
    # A tolerance some points are within: the budget is the reason.
    said = smc.stop_reason(_History(3, [0.1, 0.5, 0.7]), _settings(), 1000)
    assert "budget (1000" in said and "epsilon.minimum" not in said

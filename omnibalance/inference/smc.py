"""ABC-SMC and ABC model selection through pyabc, with a hard simulation budget and resume.

ABC-SMC (Toni et al. 2009, J. R. Soc. Interface 6:187-202, doi:10.1098/rsif.2008.0172) moves a
population of parameter points from the prior towards the posterior through generations of
shrinking tolerance epsilon: a point is kept when its simulated statistics fall within epsilon
of the data. With several models (the four rules), the model index is one more parameter and
the share of the final population each model holds estimates its posterior probability.
pyabc (Klinger, Rickert & Hasenauer 2018, Bioinformatics 34:3591-3593,
doi:10.1093/bioinformatics/bty361) does the generations, the weights, the adaptive
perturbation kernels and the model perturbation; :class:`.sampler.OrderedSampler` does the
sampling, so the populations do not depend on the executor, and
:class:`.transition.DefensiveTransition` mixes the prior into the proposals, so a few points
cannot take all the weight.

Resume is pyabc's own: every finished generation is stored in an SQLite database
(``abc.db``); :func:`run` on a folder that has one loads it (``ABCSMC.load``) and goes on from
the next generation, which is the same generation an uninterrupted run computes, because the
kernels and tolerances are refitted from what the database holds and every candidate's
generator depends only on (seed, generation, candidate).
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyabc
from pyabc.weighted_statistics import weighted_quantile


@dataclass(frozen=True)
class Settings:
    """How the SMC runs (from the spec)."""

    population: int
    generations: int
    budget: int
    """Candidate evaluations at most (model runs / runs per point), calibration included."""
    seed: int
    epsilon: tuple
    """``("quantile", alpha[, multiplier])`` or ``("list", (eps_0, eps_1, ...))``."""
    minimum_epsilon: float = 0.0
    batch: int = 8


def prior(box: dict[str, tuple[float, float]]) -> pyabc.Distribution:
    """Independent uniform priors over a box of declared prior ranges."""
    return pyabc.Distribution(**{n: pyabc.RV("uniform", lo, hi - lo)
                                 for n, (lo, hi) in box.items()})


def _epsilon(settings: Settings):
    kind, arg = settings.epsilon[:2]
    if kind == "list":
        return pyabc.ListEpsilon(list(arg))
    multiplier = settings.epsilon[2] if len(settings.epsilon) > 2 else 1.0
    # the first generation is the prior sample itself (tolerance infinite), so no separate
    # calibration sample is spent on choosing the first tolerance
    return pyabc.QuantileEpsilon(initial_epsilon=math.inf, alpha=float(arg),
                                 quantile_multiplier=float(multiplier))


def quiet() -> None:
    """pyabc logs every generation at INFO; the commands print their own lines."""
    for name in ("ABC", "pyabc", "Sampler", "Epsilon", "Distance", "Acceptor", "History",
                 "Data_plot", "Population", "Transitions"):
        logging.getLogger(name).setLevel(logging.WARNING)


def run(models: Sequence[Callable],
        box: dict[str, tuple[float, float]] | Sequence[dict[str, tuple[float, float]]],
        distance: Callable, observed: dict, settings: Settings, db: Path,
        executor_factory: Callable, progress: Callable | None = None,
        finished: bool = False) -> pyabc.History:
    """Run (or resume, if ``db`` exists) ABC-SMC of ``models`` under one prior ``box`` (or one
    box per model: model selection between parameter spaces that differ); ``finished``: the
    analysis in ``db`` ran to its end, only read it.

    Returns pyabc's ``History`` (generations, populations, model probabilities).
    """
    from .sampler import OrderedSampler
    from .transition import DefensiveTransition

    quiet()
    warnings.filterwarnings("ignore", category=RuntimeWarning, module="pyabc")  # inf - inf
    sampler = OrderedSampler(executor_factory, settings.seed, settings.batch)
    boxes = [box] * len(models) if isinstance(box, dict) else list(box)
    abc = pyabc.ABCSMC(list(models), [prior(b) for b in boxes], distance,
                       population_size=settings.population, sampler=sampler,
                       eps=_epsilon(settings),
                       transitions=[DefensiveTransition(b) for b in boxes])
    url = "sqlite:///" + str(Path(db).resolve())
    history = abc.load(url, 1) if Path(db).exists() else abc.new(url, observed)
    done = 0 if history.max_t < 0 else history.max_t + 1

    def used() -> int:
        return int(abc.history.total_nr_simulations or 0)

    sampler.budget_left = lambda: settings.budget - used()
    before = used()
    left = settings.generations - done
    try:
        if left > 0 and sampler.budget_left() > 0 and not finished:
            abc.run(minimum_epsilon=settings.minimum_epsilon, max_nr_populations=left,
                    max_total_nr_simulations=settings.budget)
    finally:
        sampler.close()
    if progress is not None:
        # the history counts the points of finished generations only; a generation the budget
        # cut short spent its points too
        spent = before + sampler.computed
        progress(f"{history.n_populations} generations, {used()} candidate points "
                 f"({sampler.computed} evaluated this session); "
                 f"{stop_reason(history, settings, spent)}")
    return history


def stop_reason(history: pyabc.History, settings: Settings, used: int) -> str:
    """Why the SMC stopped, in words: the generation limit; a next tolerance at
    ``epsilon.minimum``; a next tolerance below the least distance any point has reached (no
    candidate is then likely to be accepted, and the budget runs out inside the generation --
    typically because the replications put a floor under the distance that many points share);
    or the budget. After generation 0 alone the "posterior" is the prior sample."""
    done = history.n_populations
    if done >= settings.generations:
        return f"stopped at the generation limit ({settings.generations})"
    prior_note = "; the posterior is the prior sample" if history.max_t == 0 else ""
    if settings.epsilon[0] == "quantile" and done > 0:
        alpha = float(settings.epsilon[1])
        multiplier = float(settings.epsilon[2]) if len(settings.epsilon) > 2 else 1.0
        d = history.get_weighted_distances(t=history.max_t)
        dist, w = d["distance"].to_numpy(), d["w"].to_numpy(dtype=float)
        # the rule pyabc's QuantileEpsilon sets the next tolerance by
        next_eps = multiplier * weighted_quantile(
            points=dist, weights=w / w.sum(), alpha=alpha)
        least = float(dist.min())
        if next_eps <= settings.minimum_epsilon:
            share = float(w[dist <= settings.minimum_epsilon].sum() / w.sum())
            return (f"stopped because the next tolerance reached epsilon.minimum "
                    f"({settings.minimum_epsilon:g}): {share:.0%} of the last generation's "
                    f"points are within it{prior_note}")
        if next_eps < least:
            share = float(w[np.isclose(dist, least)].sum() / w.sum())
            return (f"stopped: the next tolerance ({next_eps:.3g}) is below the least distance "
                    f"any point reached ({least:.3g}, shared by {share:.0%} of the last "
                    f"generation's points: with these replications the criteria cannot tell "
                    f"them apart), so the generation could not fill within the budget"
                    f"{prior_note}")
    if used >= settings.budget:
        return (f"stopped at the budget ({settings.budget} candidate points evaluated; a "
                f"generation the budget cuts short is not kept){prior_note}")
    return "stopped" + prior_note


def epsilons(history: pyabc.History) -> list[float]:
    pops = history.get_all_populations()
    return [float(e) for t, e in zip(pops["t"], pops["epsilon"], strict=True) if t >= 0]


def finite(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x

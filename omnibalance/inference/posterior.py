"""The posterior as a reader wants it: samples, medians with 90% credible intervals, and how
much the data narrowed each prior.

A posterior sample is the last generation of ABC-SMC: weighted particles. For each parameter:
the weighted median, the 5% and 95% weighted quantiles (a central 90% credible interval), the
declared default beside them, and the *width ratio*, the credible interval's width over the
prior's central 90% width (0.9 x the range of a uniform prior): near 1, the criteria say
nothing about the parameter; well below 1, they constrain it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyabc.weighted_statistics import weighted_quantile

from ..params import PARAMETERS

LEVEL = 0.90


def samples(history, m: int = 0, t: int | None = None) -> pd.DataFrame:
    """The weighted particles of model ``m`` in generation ``t`` (default: the last), with
    their distance: one row per particle, columns the parameters, ``weight``, ``distance``."""
    t = history.max_t if t is None else t
    pop = history.get_population(t)
    rows = []
    for p in pop.particles:
        if p.m == m:
            rows.append({**{k: float(v) for k, v in p.parameter.items()},
                         "weight": float(p.weight), "distance": float(p.distance)})
    df = pd.DataFrame(rows)
    if len(df):
        df["weight"] = df["weight"] / df["weight"].sum()
    return df


def table(post: pd.DataFrame, box: dict[str, tuple[float, float]],
          current: dict[str, float] | None = None) -> pd.DataFrame:
    """One row per parameter: the value in use (``current``: the rule's calibration; the
    declared default if not given), prior, posterior median and 90% interval, width ratio."""
    current = current or {n: PARAMETERS[n].default for n in box}
    a = (1 - LEVEL) / 2
    w = post["weight"].to_numpy()
    rows = []
    for n, (lo, hi) in box.items():
        x = post[n].to_numpy()
        q_lo, med, q_hi = (float(weighted_quantile(x, w, alpha=q)) for q in (a, 0.5, 1 - a))
        rows.append({"parameter": n, "default": current[n], "prior_low": lo,
                     "prior_high": hi, "median": med, "ci_low": q_lo, "ci_high": q_hi,
                     "width_ratio": (q_hi - q_lo) / (LEVEL * (hi - lo)),
                     "default_in_ci": bool(q_lo <= current[n] <= q_hi)})
    return pd.DataFrame(rows).sort_values("width_ratio", kind="stable").reset_index(drop=True)


def markdown(tab: pd.DataFrame, header: str) -> str:
    lines = [header, "",
             "| parameter | current (calibrated) | prior | posterior median | "
             "90% credible interval | width / prior width |", "|---|---|---|---|---|---|"]
    for r in tab.itertuples():
        mark = "" if r.default_in_ci else " (current outside)"
        lines.append(f"| {r.parameter} | {r.default:g} | [{r.prior_low:g}, {r.prior_high:g}] "
                     f"| {r.median:.4g} | [{r.ci_low:.4g}, {r.ci_high:.4g}]{mark} | "
                     f"{r.width_ratio:.2f} |")
    return "\n".join(lines) + "\n"


def ess(post: pd.DataFrame) -> float:
    """Kish's effective sample size of the weighted particles (their number if all weigh the
    same): below a few dozen, the credible intervals rest on few points."""
    w = post["weight"].to_numpy()
    return float(1.0 / np.sum(w ** 2)) if len(w) else 0.0


def resample(post: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` draws from the weighted sample (with replacement), reproducibly."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0xD4A,)))
    idx = rng.choice(len(post), size=n, replace=True, p=post["weight"].to_numpy())
    return post.iloc[idx].reset_index(drop=True)

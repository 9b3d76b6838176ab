"""Calendar dates on a figure's time axis, where the model counts quarters (steps)."""

from __future__ import annotations

import math


def date_ticks(ax, case, n_steps: int, labels: int = 8) -> None:
    """Label the step axis of ``ax`` with calendar years: a minor tick at each first quarter,
    about ``labels`` of them labelled (enough to read, few enough not to collide). ``case`` is
    the scenario (its :meth:`date` names a step's quarter); the axis spans the run's
    ``n_steps`` quarters."""
    years = [s for s in range(n_steps + 1) if case.date(s).endswith("Q1")]
    every = max(1, math.ceil(len(years) / labels))
    ticks = years[::every]
    ax.set_xticks(ticks)
    ax.set_xticklabels([case.date(s)[:4] for s in ticks])
    ax.set_xticks(years, minor=True)
    ax.set_xlim(0, n_steps)

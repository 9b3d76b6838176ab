"""Set events: a scheduled change of a regime's or a power's declared field (ODD 6).

A case's structure is not fixed for its whole run: an insurgency raises a regime's internal
threat offset, a patron's budget for the region is cut, a port opens. A ``set`` event gives the
new values and the quarter they take effect; from that quarter on, every run of the batch reads
them (a per-run override of the same field is replaced too: the event is history, the same in
every run).

A field lives in the world's arrays (``World.regime[name]``, ``World.power[name]``, shape
(runs, regimes or powers)). The event replaces the array with a changed copy instead of writing
into it, so arrays that other worlds share (a sub-batch's views, the world's start values) never
change, and :meth:`World.restart` puts a world back at its start for the next run.
"""

from __future__ import annotations

import numpy as np

from ..scenario import Event
from .state import State
from .world import World

X_M_STATE = ("debt", "stake", "support", "protective_aid")
"""State quantities kept as multiples of the regime's military budget M. When M changes they
are rescaled, so a debt or a stake keeps its amount in US$."""


def apply_set(w: World, s: State, ev: Event, log: list | None) -> None:
    """Apply set event ``ev`` to every run of the batch; log ("set", event, old values)."""
    regime = bool(ev.regime)
    table = w.regime if regime else w.power
    j = w.case.regime_index(ev.regime) if regime else w.case.power_index(ev.power)
    old = {}
    for name, value in ev.fields.items():
        arr = table[name].copy()
        old[name] = arr[:, j].copy()
        if regime and name == "military_budget":
            _rescale(s, j, old[name] / value)
        arr[:, j] = value
        table[name] = arr
    w.derive()
    if log is not None:
        log.append(("set", ev, old))


def _rescale(s: State, i: int, factor: np.ndarray) -> None:
    """Regime ``i``'s x-M state times ``factor`` (old M / new M), per run."""
    for name in X_M_STATE:
        a = getattr(s, name)
        a[:, i] *= factor if a.ndim == 2 else factor[:, None]

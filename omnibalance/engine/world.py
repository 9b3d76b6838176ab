"""The world a batch of runs shares: one scenario's structure plus each run's parameters.

A batch is N runs of one scenario under one rule. What the scenario fixes (which regimes and
powers exist, rivalries, barred pairs, entry dates, scheduled events) is shared; what a sweep
varies (global parameters, ``regimes.ID.field``, ``powers.ID.field``) is one value per run.
A global parameter that every run shares stays a Python float, so it broadcasts against any
array; one that varies is an array with the run axis first (see :meth:`World.at`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ConfigError, unknown_key
from ..params import (
    ASSET_KINDS,
    PARAMETERS,
    POWER_FIELDS,
    REGIME_FIELDS,
    RULES,
    defaults,
    rule_defaults,
)
from ..scenario import Scenario

ECONOMIC_ASSETS = np.isin(ASSET_KINDS, ("energy", "market"))
"""Asset kinds a regime opens in an economic deal (energy stakes, market access); the others
(naval access, installations, political support) go with a security deal (MODEL.md 3.4)."""


@dataclass
class World:
    """One scenario under one rule, for ``n`` runs with their own parameter values.

    ``g`` holds the global parameters (float, or an array of shape (n,)); ``regime`` the
    regime fields, shape (n, regimes); ``power`` the power fields, shape (n, powers).
    """

    case: Scenario
    rule: str
    n: int
    steps: int
    g: dict[str, Any]
    regime: dict[str, np.ndarray]
    power: dict[str, np.ndarray]
    assets: np.ndarray = field(init=False)
    interest: np.ndarray = field(init=False)
    _start: tuple = field(init=False, repr=False)
    _views: dict[int, dict[str, Any]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        case = self.case
        self.n_r, self.n_p = len(case.regimes), len(case.powers)
        self.hegemon = case.power_index(case.hegemon)
        self.rivalry = np.array([[case.rivalry.get((a.id, b.id), 0.0) for b in case.powers]
                                 for a in case.powers])
        self.rivalry_to_hegemon = self.rivalry[self.hegemon].copy()
        self.rivalry_to_hegemon[self.hegemon] = 0.0
        self.is_hegemon = np.arange(self.n_p) == self.hegemon
        self.allowed = np.array([[p.id not in r.barred for p in case.powers]
                                 for r in case.regimes])
        """allowed[i, k]: regime i may deal with power k (the scenario bars some pairs)."""
        self.enters = np.array([r.start for r in case.regimes])
        self._start = (dict(self.regime), dict(self.power))
        self.derive()

    def derive(self) -> None:
        """The arrays computed from the fields: assets (n, regimes, kinds) and interest
        weights (n, powers, kinds)."""
        self.assets = np.stack([self.regime[f"asset_{k}"] for k in ASSET_KINDS], axis=-1)
        self.interest = np.stack([self.power[f"interest_{k}"] for k in ASSET_KINDS], axis=-1)

    def restart(self) -> None:
        """Back to the fields the world was built with. A set event (engine.events) replaces
        a field's array instead of writing into it, so the start arrays are intact."""
        regime, power = self._start
        if any(self.regime[k] is not v for k, v in regime.items()) or any(
                self.power[k] is not v for k, v in power.items()):
            self.regime, self.power = dict(regime), dict(power)
            self.derive()

    def at(self, name: str, ndim: int):
        """Global parameter ``name`` shaped to broadcast against arrays of ``ndim`` axes whose
        first axis is the run (a float when every run shares it)."""
        v = self.g[name]
        return v if isinstance(v, float) else v.reshape((self.n,) + (1,) * (ndim - 1))

    def view(self, ndim: int) -> dict[str, Any]:
        """Every global parameter shaped as :meth:`at` does (cached per ``ndim``)."""
        if ndim not in self._views:
            self._views[ndim] = {k: self.at(k, ndim) for k in self.g}
        return self._views[ndim]

    def subset(self, index) -> World:
        """The world of some of this world's runs (``index``: a slice or index array), with
        the fields it was built with."""
        g = {k: v if isinstance(v, float) else v[index] for k, v in self.g.items()}
        n = len(np.arange(self.n)[index])
        regime, power = self._start
        return World(self.case, self.rule, n, self.steps, g,
                     {k: v[index] for k, v in regime.items()},
                     {k: v[index] for k, v in power.items()})


def build_world(case: Scenario, rule: str, overrides: Sequence[Mapping[str, Any]] | Mapping[
        str, Sequence] | None = None, *, n: int | None = None, steps: int | None = None,
                where: str = "params", calibrated: bool = True) -> World:
    """The world of ``n`` runs of ``case`` under ``rule``.

    ``overrides`` is either one mapping per run (``[{"us_pressure": 0.3}, ...]``) or one
    mapping of name to a value per run (``{"us_pressure": [0.3, 0.5]}``); names are global
    parameters, ``regimes.ID.field`` or ``powers.ID.field``, checked against their declarations
    (:class:`ConfigError` names the field, the value and what is allowed).
    """
    if rule not in RULES:
        raise unknown_key("model", "rule", rule, RULES)
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int)
                              or steps < 1):
        raise ConfigError("model", "steps", steps, "must be a whole number >= 1")
    columns = _columns(overrides, n)
    n = n if n is not None else (len(next(iter(columns.values()))) if columns else
                                 (len(overrides) if isinstance(overrides, Sequence) else 1))
    # ``calibrated``: the rule's searched calibration (omnibalance/calibration.toml); else the
    # declared defaults (the classroom's teaching values, the search's centre).
    base = (rule_defaults(rule) if calibrated else defaults()) | dict(case.parameters)
    g: dict[str, Any] = {k: float(v) for k, v in base.items()}
    regime = {f: np.array([[r.values[f] for r in case.regimes]] * n, dtype=float)
              for f in REGIME_FIELDS}
    power = {f: np.array([[p.values[f] for p in case.powers]] * n, dtype=float)
             for f in POWER_FIELDS}
    rids = [r.id for r in case.regimes]
    pids = [p.id for p in case.powers]
    for key, values in columns.items():
        parts = key.split(".")
        if len(parts) == 1:
            decl = PARAMETERS.get(key)
            if decl is None:
                raise unknown_key(where, "parameter", key, list(PARAMETERS) + [
                    f"regimes.{r}.<field>" for r in rids] + [f"powers.{p}.<field>" for p in pids])
            arr = _checked(where, key, values, decl)
            g[key] = float(arr[0]) if np.all(arr == arr[0]) else arr
        elif len(parts) == 3 and parts[0] in ("regimes", "powers"):
            ids, fields, table = ((rids, REGIME_FIELDS, regime) if parts[0] == "regimes"
                                  else (pids, POWER_FIELDS, power))
            if parts[1] not in ids:
                raise unknown_key(where, parts[0], parts[1], ids)
            if parts[2] not in fields:
                raise unknown_key(where, f"{parts[0]}.{parts[1]}", parts[2], fields)
            table[parts[2]][:, ids.index(parts[1])] = _checked(where, key, values,
                                                                fields[parts[2]])
        else:
            raise ConfigError(where, "parameter", key, "use a parameter name, "
                              "regimes.<ID>.<field> or powers.<ID>.<field>")
    return World(case, rule, n, steps or case.steps, g, regime, power)


def _columns(overrides, n: int | None) -> dict[str, np.ndarray]:
    """Overrides as one column of values per name."""
    if not overrides:
        return {}
    if isinstance(overrides, Mapping):
        cols = {k: np.atleast_1d(np.asarray(v)) for k, v in overrides.items()}
        if n is not None:
            cols = {k: np.broadcast_to(v, (n,)) if v.size == 1 else v for k, v in cols.items()}
        lengths = {len(v) for v in cols.values()} | ({n} if n is not None else set())
        if len(lengths) > 1:
            raise ValueError(f"override columns and runs differ in length: {sorted(lengths)}")
        return cols
    keys: dict[str, None] = {}
    for o in overrides:
        keys.update(dict.fromkeys(o))
    missing = [k for k in keys if any(k not in o for o in overrides)]
    if missing:
        raise ValueError(f"every run's overrides must name the same parameters; "
                         f"{missing[0]!r} is missing from some")
    return {k: np.array([o[k] for o in overrides], dtype=object) for k in keys}


def _checked(where: str, key: str, values, decl) -> np.ndarray:
    """Values as floats after checking each against its declaration (the message names the
    first value that is not allowed)."""
    values = np.asarray(values, dtype=object).reshape(-1)
    numeric = not any(isinstance(v, bool | np.bool_)
                      or not isinstance(v, int | float | np.integer | np.floating)
                      for v in values)
    arr = np.asarray(values, dtype=float) if numeric else None
    if arr is None or not np.all((arr >= decl.low) & (arr <= decl.high)) or (
            decl.kind is int and not np.all(arr == np.round(arr))):
        for v in values:
            v = v.item() if isinstance(v, np.generic) else v
            problem = decl.check(v)
            if problem:
                raise ConfigError(where, key, v, problem)
    return arr

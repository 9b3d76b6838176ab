"""Sweep specifications: a TOML file naming the scenario, rules, replications, seed and design.

A spec is checked against the parameter declarations in :mod:`omnibalance.params` (names,
ranges, whole-number kinds) and against the scenario (regime and power ids), so a typo or an
out-of-range bound is one :class:`~omnibalance.errors.ConfigError` line naming the file, the
field, the value, what is allowed and the nearest valid name. ``docs/sweeps.md`` documents the
format; ``experiments/threat_sweep.toml`` is the worked example.

The *normalised* spec (every default filled in, see :meth:`SweepSpec.normalised`) is what gets
hashed: comments and layout of the TOML file do not change a sweep's identity, any value does.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import MISSING, Resolver, check_value, get, only, read_toml
from ..errors import ConfigError, unknown_key
from ..params import RULES, Param

DESIGN_KINDS = ("grid", "list", "lhs", "sobol", "morris")
"""Full factorial grid, explicit list of points, Latin hypercube (SALib ``latin``), Saltelli's
Sobol' sample (SALib ``sobol``), Morris elementary-effects trajectories (SALib ``morris``)."""

_TOP = ("sweep", "fixed", "design", "outputs")
_SWEEP = ("name", "description", "scenario", "rules", "steps", "replications", "seed", "focus")
_DESIGN_KEYS = {
    "grid": ("kind", "parameters"),
    "list": ("kind", "points"),
    "lhs": ("kind", "samples", "parameters"),
    "sobol": ("kind", "samples", "second_order", "parameters"),
    "morris": ("kind", "trajectories", "levels", "parameters"),
}
_OUTPUTS = ("series",)
MAX_SEED = 2**63 - 1
MAX_LEVELS = 1_000_000
"""Levels one grid axis may have (their product, the design's size, is checked separately)."""
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def level(value: float) -> float:
    """A grid level as a person would write it: ``0.30000000000000004`` becomes ``0.3`` (12
    significant digits), so ``runs[runs.internal_threat == 0.3]`` finds its rows."""
    return float(f"{float(value):.12g}")


@dataclass(frozen=True)
class Axis:
    """One swept parameter: its name, declaration, and either explicit values or bounds.

    For a grid, ``values`` lists the levels (given, or ``n`` points from ``low`` to ``high``);
    for the samplers, ``low``/``high`` bound the sample (default: the declared range).
    """

    name: str
    decl: Param
    values: tuple[float, ...] = ()
    low: float | None = None
    high: float | None = None

    def as_dict(self) -> dict[str, Any]:
        if self.values:
            return {"values": list(self.values)}
        return {"low": self.low, "high": self.high}


@dataclass(frozen=True)
class SweepSpec:
    """A checked sweep specification. Build one with :func:`load_spec` or :func:`parse_spec`."""

    name: str
    description: str
    scenario: str
    """Preset name or absolute path of the scenario file, as passed to the runner."""
    rules: tuple[str, ...]
    steps: int
    replications: int
    seed: int
    focus: str | None
    fixed: dict[str, float]
    """Overrides applied to every run (not swept)."""
    design_kind: str
    axes: tuple[Axis, ...]
    """The swept parameters in the order given (a grid's first axis varies slowest)."""
    points: tuple[dict[str, float], ...] = ()
    """A ``list`` design's points, in the order given."""
    samples: int = 0
    """``lhs``: number of points; ``sobol``: base sample size N; ``morris``: trajectories."""
    second_order: bool = False
    levels: int = 4
    series: tuple[str, ...] = ()
    """Per-step columns to record for the focus regime (empty: per-run rows only)."""
    where: str = "spec"
    scenario_file: str = field(default="", compare=False)

    @property
    def design_points(self) -> int:
        """The number of design points, computed without building them."""
        d = len(self.axes)
        if self.design_kind == "list":
            return len(self.points)
        if self.design_kind == "grid":
            return math.prod(len(a.values) for a in self.axes)
        if self.design_kind == "lhs":
            return self.samples
        if self.design_kind == "sobol":
            return self.samples * (2 * d + 2 if self.second_order else d + 2)
        return self.samples * (d + 1)

    @property
    def runs(self) -> int:
        """Rules x design points x replications."""
        return len(self.rules) * self.design_points * self.replications

    @property
    def names(self) -> tuple[str, ...]:
        """The swept parameter names, in design order."""
        if self.design_kind == "list":
            return tuple(self.points[0]) if self.points else ()
        return tuple(a.name for a in self.axes)

    def normalised(self) -> dict[str, Any]:
        """The spec as plain data with every default filled in: what is hashed and stored."""
        design: dict[str, Any] = {"kind": self.design_kind}
        if self.design_kind == "list":
            design["points"] = [dict(p) for p in self.points]
        else:
            design["parameters"] = {a.name: a.as_dict() for a in self.axes}
        if self.design_kind in ("lhs", "sobol"):
            design["samples"] = self.samples
        if self.design_kind == "sobol":
            design["second_order"] = self.second_order
        if self.design_kind == "morris":
            design.update(trajectories=self.samples, levels=self.levels)
        return {
            "sweep": {"name": self.name, "description": self.description,
                      "scenario": self.scenario, "rules": list(self.rules), "steps": self.steps,
                      "replications": self.replications, "seed": self.seed,
                      "focus": self.focus},
            "fixed": dict(self.fixed),
            "design": design,
            "outputs": {"series": list(self.series)},
        }

    @property
    def hash(self) -> str:
        """SHA-256 of the normalised spec without its free-text description: the sweep's
        identity in its results folder."""
        return spec_hash(self.normalised())

    @property
    def family_hash(self) -> str:
        """:attr:`hash` without the replications: the same for every replication count, so a
        results folder can tell an extension of its sweep (``--extend``) from another sweep."""
        return spec_hash(self.normalised(), replications=False)


def spec_hash(normalised: dict[str, Any], replications: bool = True) -> str:
    """SHA-256 of a normalised spec (:meth:`SweepSpec.normalised`, or the copy a manifest
    stores) without its description, and without its replications if ``replications`` is
    false."""
    data = json.loads(json.dumps(normalised))
    data["sweep"].pop("description", None)
    if not replications:
        data["sweep"].pop("replications", None)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def load_spec(path: str | Path) -> SweepSpec:
    """Read and check a spec file. Raises :class:`ConfigError` on any mistake."""
    path = Path(path)
    where = str(path)
    if not path.exists():
        raise ConfigError("command line", "spec", where, "no such spec file")
    data = read_toml(path, "command line", "spec")
    return parse_spec(data, where, base=path.parent)


def parse_spec(data: dict[str, Any], where: str = "spec", base: Path | None = None) -> SweepSpec:
    """Check a parsed spec table and build a :class:`SweepSpec`.

    ``base`` is the folder relative scenario paths are resolved from (the spec's folder).
    """
    _only(where, data, _TOP, "top level")
    sweep = _table(where, data, "sweep", required=True)
    _only(where, sweep, _SWEEP, "sweep")
    name = _get(where, sweep, "name", str, "sweep.")
    if not _NAME.match(name) or ".." in name:
        raise ConfigError(where, "sweep.name", name,
                          "must be a plain folder name (letters, digits, '_', '-', '.'; no "
                          "'/' or '..'): it names the results folder results/<name>")
    scenario_arg = _get(where, sweep, "scenario", str, "sweep.")
    case, scenario, scenario_file = _scenario(where, scenario_arg, base)
    rules = sweep.get("rules", ["omnibalance"])
    if isinstance(rules, str):
        rules = [rules]
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise ConfigError(where, "sweep.rules", rules, "must be a list of rule names")
    if not rules:
        raise ConfigError(where, "sweep.rules", rules,
                          f"this spec gives no runs: name at least one of {', '.join(RULES)}")
    for r in rules:
        if r not in RULES:
            raise unknown_key(where, "sweep.rules", r, RULES)
    if len(set(rules)) != len(rules):
        raise ConfigError(where, "sweep.rules", rules, "each rule may appear only once")
    steps = _size(where, sweep, "steps", "sweep.", default=case.steps, high=2000)
    reps = _size(where, sweep, "replications", "sweep.")
    seed = _get(where, sweep, "seed", int, "sweep.")
    if not 0 <= seed <= MAX_SEED:
        raise ConfigError(where, "sweep.seed", seed, f"must be a whole number in [0, {MAX_SEED}]")
    focus = sweep.get("focus")
    rids = [r.id for r in case.regimes]
    if focus is not None and focus not in rids:
        raise unknown_key(where, "sweep.focus", str(focus), rids)

    resolver = Resolver.of(where, case)
    fixed_tbl = _table(where, data, "fixed")
    fixed = {}
    for key, value in fixed_tbl.items():
        decl = resolver.decl(key, "fixed")
        fixed[key] = _value(where, f"fixed.{key}", value, decl)

    design = _table(where, data, "design", required=True)
    kind = _get(where, design, "kind", str, "design.")
    if kind not in DESIGN_KINDS:
        raise unknown_key(where, "design.kind", kind, DESIGN_KINDS)
    _only(where, design, _DESIGN_KEYS[kind], "design")
    extra: dict[str, Any] = {}
    axes: tuple[Axis, ...] = ()
    points: tuple[dict[str, float], ...] = ()
    if kind == "list":
        points = _list_points(where, design, resolver)
        swept = set(points[0])
    else:
        axes = _axes(where, design, resolver, grid=kind == "grid")
        swept = {a.name for a in axes}
    if kind == "lhs":
        extra["samples"] = _size(where, design, "samples", "design.")
    elif kind == "sobol":
        n = _size(where, design, "samples", "design.")
        if n & (n - 1):
            raise ConfigError(where, "design.samples", n,
                              "must be a power of 2 for Saltelli's Sobol' sample "
                              f"(e.g. {1 << (n.bit_length() - 1)} or {1 << n.bit_length()})")
        extra["samples"] = n
        extra["second_order"] = _get(where, design, "second_order", bool, "design.",
                                     default=False)
    elif kind == "morris":
        extra["samples"] = _size(where, design, "trajectories", "design.")
        extra["levels"] = _size(where, design, "levels", "design.", default=4)
        if extra["levels"] < 2:
            raise ConfigError(where, "design.levels", extra["levels"], "must be >= 2")
    both = sorted(swept & set(fixed))
    if both:
        raise ConfigError(where, f"fixed.{both[0]}", fixed[both[0]],
                          "this parameter is also swept in [design]; keep it in one place")

    outputs = _table(where, data, "outputs")
    _only(where, outputs, _OUTPUTS, "outputs")
    series = outputs.get("series", [])
    if not isinstance(series, list) or not all(isinstance(s, str) for s in series):
        raise ConfigError(where, "outputs.series", series,
                          "must be a list of per-step column names")
    if series:
        from .series import SERIES_COLUMNS

        for s in series:
            if s not in SERIES_COLUMNS:
                raise unknown_key(where, "outputs.series", s, SERIES_COLUMNS)

    return SweepSpec(name=name, description=str(sweep.get("description", "")),
                     scenario=scenario, rules=tuple(rules), steps=steps, replications=reps,
                     seed=seed, focus=focus, fixed=fixed, design_kind=kind, axes=axes,
                     points=points, series=tuple(dict.fromkeys(series)), where=where,
                     scenario_file=scenario_file, **extra)


# --- helpers ------------------------------------------------------------------------------


def _scenario(where: str, arg: str, base: Path | None):
    """Load the scenario a spec names: a preset name, or a ``.toml`` path taken from the spec's
    folder (then the working folder). Returns the case, the argument to pass to the runner (the
    preset name, or the absolute path) and the scenario file's path."""
    from ..scenario import load_scenario, scenario_path

    if arg.endswith(".toml"):
        path = Path(arg)
        if not path.is_absolute() and base is not None and (base / path).exists():
            path = base / path
        if not path.exists():
            raise ConfigError(where, "sweep.scenario", arg, "no such scenario file")
        ident = str(path.resolve())
    else:
        ident = arg
    try:
        case = load_scenario(ident)
    except ConfigError as exc:
        if exc.where == "scenario":  # unknown preset name: point at the spec's field
            raise ConfigError(where, "sweep.scenario", arg, exc.allowed, exc.suggestion) \
                from None
        raise
    return case, ident, str(scenario_path(ident))


def _table(where: str, data: dict, key: str, required: bool = False) -> dict:
    if key not in data:
        if required:
            raise ConfigError(where, f"[{key}]", "(missing)", "this table is required")
        return {}
    value = data[key]
    if not isinstance(value, dict):
        raise ConfigError(where, key, value, "must be a table")
    return value


_MISSING = MISSING
_get = get
_only = only


def _size(where: str, table: dict, key: str, path: str, default=_MISSING,
          high: int | None = None) -> int:
    """A count (replications, samples, grid points): a whole number >= 1."""
    value = _get(where, table, key, int, path, default)
    if value < 1:
        raise ConfigError(where, f"{path}{key}", value, "must be a whole number >= 1")
    if high is not None and value > high:
        raise ConfigError(where, f"{path}{key}", value, f"must be <= {high}")
    return value


def _value(where: str, fieldname: str, value: Any, decl: Param) -> float:
    return check_value(where, fieldname, value, decl, f" (declared range of {decl.name})")


def _axes(where: str, design: dict, resolver: Resolver, grid: bool) -> tuple[Axis, ...]:
    params = design.get("parameters")
    if not isinstance(params, dict):
        raise ConfigError(where, "design.parameters", params if params is not None
                          else "(missing)", "a table of parameter = {...} is required")
    if not params:
        raise ConfigError(where, "design.parameters", "{}",
                          "this spec gives no runs: sweep at least one parameter")
    axes = []
    for key, tbl in params.items():
        path = f"design.parameters.{key}"
        decl = resolver.decl(key, "design.parameters")
        if not isinstance(tbl, dict):
            raise ConfigError(where, path, tbl, "must be a table such as {low = 0, high = 1"
                              + (", n = 11}" if grid else "}"))
        allowed = ("values", "low", "high", "n") if grid else ("low", "high")
        _only(where, tbl, allowed, path)
        if grid and "values" in tbl:
            if set(tbl) != {"values"}:
                raise ConfigError(where, path, tbl, "give either values = [...] or low, high, n")
            values = tbl["values"]
            if not isinstance(values, list):
                raise ConfigError(where, f"{path}.values", values, "must be a list of numbers")
            if not values:
                raise ConfigError(where, f"{path}.values", values,
                                  "this spec gives no runs: list at least one value")
            vals = tuple(level(_value(where, f"{path}.values", v, decl)) for v in values)
            dup = sorted({v for v in vals if vals.count(v) > 1})
            if dup:
                raise ConfigError(where, f"{path}.values", values,
                                  f"lists {dup[0]:g} more than once; each level once")
            axes.append(Axis(key, decl, values=vals))
            continue
        low = _value(where, f"{path}.low", tbl.get("low", decl.low), decl)
        high = _value(where, f"{path}.high", tbl.get("high", decl.high), decl)
        if low > high or (not grid and low == high):
            raise ConfigError(where, f"{path}.high", high,
                              f"must be {'>=' if grid else '>'} low ({low:g})")
        if grid:
            n = _size(where, tbl, "n", f"{path}.", high=MAX_LEVELS)
            if n > 1 and low == high:
                raise ConfigError(where, f"{path}.n", n, "must be 1 when low == high")
            if n == 1 and low != high:
                raise ConfigError(where, f"{path}.n", n,
                                  f"n = 1 would take low ({low:g}) only; give n >= 2, or "
                                  "values = [...] for one level")
            import numpy as np

            vals = np.linspace(low, high, n)
            if decl.kind is int:
                vals = np.unique(np.round(vals))
            axes.append(Axis(key, decl, values=tuple(level(v) for v in vals)))
        else:
            axes.append(Axis(key, decl, low=float(low), high=float(high)))
    return tuple(axes)


def _list_points(where: str, design: dict, resolver: Resolver) -> tuple[dict[str, float], ...]:
    points = design.get("points")
    if points is None:
        raise ConfigError(where, "design.points", "(missing)",
                          "a list design needs points = [{name = value, ...}, ...]")
    if not isinstance(points, list) or not all(isinstance(p, dict) for p in points):
        raise ConfigError(where, "design.points", points, "must be a list of tables")
    if not points:
        raise ConfigError(where, "design.points", [],
                          "this spec gives no runs: list at least one point")
    names = list(points[0])
    if not names:
        raise ConfigError(where, "design.points[0]", {}, "a point must set at least one "
                          "parameter")
    out = []
    for n, pt in enumerate(points):
        if list(pt) != names:
            raise ConfigError(where, f"design.points[{n}]", pt,
                              f"every point must set the same parameters, in the same order: "
                              f"{', '.join(names)}")
        row = {}
        for key, value in pt.items():
            decl = resolver.decl(key, f"design.points[{n}]")
            row[key] = _value(where, f"design.points[{n}].{key}", value, decl)
        out.append(row)
    return tuple(out)

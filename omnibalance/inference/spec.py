"""The TOML spec of ``omnibalance calibrate`` and ``omnibalance compare``.

::

    [abc]
    name = "nicaragua_venezuela"      # names the output folder results/<name>
    rule = "omnibalance"              # calibrate: the rule whose parameters are fitted
    cases = ["nicaragua", "venezuela", "venezuela_sunk0"]   # validation cases to run
    criteria = ["2a", "2b", "3a", "3b", "7"]   # optional: default, every criterion they decide
    parameters = ["internal_threat"]  # optional: default, every parameter with a prior
    replications = 10                 # per case and parameter point
    seeds = "common"                  # common random numbers, or "fresh" per point
    seed = 2007
    budget = 20000                    # model runs at most (points x cases x replications)
    population = 100                  # particles per generation
    generations = 8                   # at most
    batch = 4                         # points per task (never changes the results)

    [distance]
    kind = "shortfall"                # p-norm of the criteria's shortfalls (of the estimates;
                                      # "interval": of the bounds that decide them)
    p = 2                             # 1, 2 or "inf"

    [epsilon]
    kind = "quantile"                 # tolerance: the alpha-quantile of the last distances
    alpha = 0.5
    multiplier = 1.0                  # times the quantile (< 1: the tolerance always falls,
                                      # even when many distances are equal)
    minimum = 0.0                     # stop when the tolerance reaches it
    # kind = "list"; values = [0.4, 0.2, 0.1, 0.0]

    [compare]
    rules = ["omnibalance", "balance_of_threat", "balance_of_power", "bandwagon"]
    budget = 20000                    # model runs per rule and seed (default: abc.budget)
    repeats = 3                       # independent seeds: seed, seed + 1, ...
    predictive_draws = 40             # posterior draws per rule for the predictive check
    predictive_replications = 100     # held-out replications per draw and case
    own_parameters = "prior"          # a rule's own parameters (alignment_value): "prior",
                                      # over the calibration's search range, or "calibrated"

Priors are never in the spec: each parameter's prior is its declared ``Param.prior`` range in
:mod:`omnibalance.params`. Every mistake is one :class:`~omnibalance.errors.ConfigError` line
(field, value, what is allowed, nearest name), exit 2, before anything runs or is written.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..config import get, only, read_toml
from ..errors import ConfigError, unknown_key
from ..params import PARAMETERS, RULE_PARAMETERS, RULES, prior_box

_TOP = ("abc", "distance", "epsilon", "compare")
_ABC = ("name", "description", "rule", "cases", "criteria", "parameters", "replications",
        "seeds", "seed", "budget", "population", "generations", "batch")
_DISTANCE = ("kind", "p")
_EPSILON = ("kind", "alpha", "multiplier", "values", "minimum")
_COMPARE = ("rules", "budget", "repeats", "predictive_draws", "predictive_replications",
            "own_parameters")
SEED_MODES = ("common", "fresh")
OWN_MODES = ("prior", "calibrated")
"""How ``compare`` treats a rule's own parameters (``alignment_value`` of the threat-blind
rules): drawn from a prior over the calibration's search range for them, or held at the
rule's calibrated value."""
EPSILON_KINDS = ("quantile", "list")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
MAX_SEED = 2**32 - 1
MAX_BUDGET = 100_000_000


@dataclass(frozen=True)
class InferenceSpec:
    name: str
    description: str
    rule: str
    cases: tuple[str, ...]
    criteria: tuple[str, ...]
    parameters: tuple[str, ...]
    replications: int
    seeds: str
    seed: int
    budget: int
    population: int
    generations: int
    batch: int
    distance: str
    p: float
    epsilon: tuple
    minimum_epsilon: float
    rules: tuple[str, ...]
    compare_budget: int
    """Model runs per rule and seed in ``compare`` (default: ``abc.budget``)."""
    repeats: int
    predictive_draws: int
    predictive_replications: int
    own_parameters: str = "prior"
    where: str = "spec"

    @property
    def box(self) -> dict[str, tuple[float, float]]:
        """The declared prior range of every fitted parameter under the spec's rule (+-25%
        around the rule's calibrated value; a parameter the rule does not calibrate keeps the
        omnibalance range)."""
        own = prior_box(self.rule)
        return {n: own.get(n, PARAMETERS[n].prior) for n in self.parameters}

    @property
    def neutral_box(self) -> dict[str, tuple[float, float]]:
        """The prior every rule shares in ``compare``: +-25% around the defaults (the
        calibration search's centre), moved by no rule's calibration."""
        box = prior_box(None)
        return {n: box[n] for n in self.parameters}

    def compare_box(self, rule: str) -> dict[str, tuple[float, float]]:
        """The prior of ``rule`` in ``compare``: the neutral box every rule shares, and, with
        ``own_parameters = "prior"``, the rule's own parameters (``params.RULE_PARAMETERS``)
        over the calibration's search range for them (a tenth to ten times the default: the
        range the rule's own calibration searched, so no earlier fit narrows it)."""
        box = dict(self.neutral_box)
        if self.own_parameters == "prior":
            from ..validation.calibration import search_box

            rule_box = search_box(rule)
            box |= {n: rule_box[n] for n in RULE_PARAMETERS.get(rule, ())}
        return box

    @property
    def runs_per_point(self) -> int:
        return len(self.cases) * self.replications

    @property
    def points_budget(self) -> int:
        """Parameter points the budget of model runs allows."""
        return self.budget // self.runs_per_point

    def normalised(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("where")
        d["epsilon"] = [d["epsilon"][0]] + [list(x) if isinstance(x, tuple) else x
                                            for x in d["epsilon"][1:]]
        d["p"] = "inf" if math.isinf(self.p) else self.p
        return d

    @property
    def hash(self) -> str:
        """SHA-256 of the normalised spec without its description: the analysis' identity."""
        d = self.normalised()
        d.pop("description")
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()


def load(path: str | Path) -> InferenceSpec:
    path = Path(path)
    if not path.exists():
        raise ConfigError("command line", "spec", str(path), "no such spec file")
    return parse(read_toml(path, "command line", "spec"), str(path))


def _names(where: str, value: Any, fieldname: str, allowed: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(where, fieldname, value, "must be a non-empty list of names")
    for v in value:
        if v not in allowed:
            raise unknown_key(where, fieldname, v, allowed)
    if len(set(value)) != len(value):
        raise ConfigError(where, fieldname, value, "each name may appear only once")
    return tuple(value)


def _count(where: str, table: dict, key: str, path: str, default, low: int = 1,
           high: int = 10**9) -> int:
    value = get(where, table, key, int, path, default)
    if not low <= value <= high:
        raise ConfigError(where, f"{path}{key}", value, f"must be a whole number in "
                          f"[{low}, {high}]")
    return value


def _table(where: str, data: dict, key: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(where, key, value, "must be a table")
    return value


def parse(data: dict[str, Any], where: str = "spec") -> InferenceSpec:
    from .criteria_model import case_keys

    only(where, data, _TOP, "")
    if "abc" not in data:
        raise ConfigError(where, "[abc]", "(missing)", "this table is required")
    abc = _table(where, data, "abc")
    only(where, abc, _ABC, "abc")
    name = get(where, abc, "name", str, "abc.")
    if not _NAME.match(name) or ".." in name:
        raise ConfigError(where, "abc.name", name, "must be a plain folder name (letters, "
                          "digits, '_', '-', '.'; no '/' or '..')")
    rule = get(where, abc, "rule", str, "abc.", "omnibalance")
    if rule not in RULES:
        raise unknown_key(where, "abc.rule", rule, RULES)
    cases = _names(where, get(where, abc, "cases", (list, str), "abc."), "abc.cases",
                   case_keys())
    criteria = abc.get("criteria")
    if criteria is not None:
        from ..validation.patterns import CRITERIA_BY_ID

        criteria = _names(where, criteria, "abc.criteria", list(CRITERIA_BY_ID))
    with_prior = [n for n, p in PARAMETERS.items() if p.prior is not None]
    params = abc.get("parameters", with_prior)
    params = _names(where, params, "abc.parameters", list(PARAMETERS))
    for n in params:
        if PARAMETERS[n].prior is None:
            raise ConfigError(where, "abc.parameters", n, "has no declared prior range "
                              "(fixed by data or construction); parameters with one: "
                              + ", ".join(with_prior))
    reps = _count(where, abc, "replications", "abc.", 10, high=100_000)
    seeds = get(where, abc, "seeds", str, "abc.", "common")
    if seeds not in SEED_MODES:
        raise unknown_key(where, "abc.seeds", seeds, SEED_MODES)
    seed = _count(where, abc, "seed", "abc.", get(where, abc, "seed", int, "abc."), low=0,
                  high=MAX_SEED)
    budget = _count(where, abc, "budget", "abc.", get(where, abc, "budget", int, "abc."),
                    high=MAX_BUDGET)
    population = _count(where, abc, "population", "abc.", 100, low=2, high=1_000_000)
    generations = _count(where, abc, "generations", "abc.", 10, high=1000)
    batch = _count(where, abc, "batch", "abc.", 4, high=10_000)
    per_point = len(cases) * reps
    if budget < population * per_point:
        raise ConfigError(where, "abc.budget", budget,
                          f"must allow at least one generation: population x cases x "
                          f"replications = {population * per_point} model runs")

    dist = _table(where, data, "distance")
    only(where, dist, _DISTANCE, "distance")
    from .distance import DISTANCES

    kind = get(where, dist, "kind", str, "distance.", "shortfall")
    if kind not in DISTANCES:
        raise unknown_key(where, "distance.kind", kind, DISTANCES)
    p = dist.get("p", 2)
    if p == "inf":
        p = math.inf
    elif isinstance(p, bool) or not isinstance(p, int | float) or p < 1:
        raise ConfigError(where, "distance.p", p, 'must be a number >= 1 or "inf"')

    eps = _table(where, data, "epsilon")
    only(where, eps, _EPSILON, "epsilon")
    ekind = get(where, eps, "kind", str, "epsilon.", "quantile")
    if ekind not in EPSILON_KINDS:
        raise unknown_key(where, "epsilon.kind", ekind, EPSILON_KINDS)
    if ekind == "quantile":
        if "values" in eps:
            raise ConfigError(where, "epsilon.values", eps["values"],
                              'only applies with kind = "list"')
        alpha = get(where, eps, "alpha", (int, float), "epsilon.", 0.5)
        if not 0 < alpha < 1:
            raise ConfigError(where, "epsilon.alpha", alpha, "must be in (0, 1)")
        multiplier = get(where, eps, "multiplier", (int, float), "epsilon.", 1.0)
        if not 0 < multiplier <= 1:
            raise ConfigError(where, "epsilon.multiplier", multiplier, "must be in (0, 1]")
        # (the multiplier joins the spec's identity only when it is not pyabc's default, 1)
        epsilon: tuple = ("quantile", float(alpha)) + (
            (float(multiplier),) if multiplier != 1 else ())
    else:
        for key in ("alpha", "multiplier"):
            if key in eps:
                raise ConfigError(where, f"epsilon.{key}", eps[key],
                                  'only applies with kind = "quantile"')
        values = get(where, eps, "values", list, "epsilon.")
        if not values or not all(isinstance(v, int | float) and not isinstance(v, bool)
                                 and v >= 0 for v in values):
            raise ConfigError(where, "epsilon.values", values,
                              "must be a non-empty list of numbers >= 0")
        epsilon = ("list", tuple(float(v) for v in values))
    minimum = get(where, eps, "minimum", (int, float), "epsilon.", 0.0)
    if minimum < 0:
        raise ConfigError(where, "epsilon.minimum", minimum, "must be >= 0")

    cmp = _table(where, data, "compare")
    only(where, cmp, _COMPARE, "compare")
    rules = _names(where, cmp.get("rules", list(RULES)), "compare.rules", list(RULES))
    compare_budget = _count(where, cmp, "budget", "compare.", budget, high=MAX_BUDGET)
    if compare_budget < population * per_point:
        raise ConfigError(where, "compare.budget", compare_budget,
                          f"must allow at least one generation: population x cases x "
                          f"replications = {population * per_point} model runs")
    repeats = _count(where, cmp, "repeats", "compare.", 3, low=2, high=1000)  # an error needs 2
    draws = _count(where, cmp, "predictive_draws", "compare.", 40, high=100_000)
    pred_reps = _count(where, cmp, "predictive_replications", "compare.", 100, high=100_000)
    own = get(where, cmp, "own_parameters", str, "compare.", "prior")
    if own not in OWN_MODES:
        raise unknown_key(where, "compare.own_parameters", own, list(OWN_MODES))

    if criteria is None:
        from .criteria_model import decided_by

        try:
            criteria = tuple(decided_by(list(cases), rule, max(20, reps), seed))
        except ValueError as exc:
            raise ConfigError(where, "abc.cases", list(cases), str(exc)) from None
    if not criteria:
        raise ConfigError(where, "abc.cases", list(cases), "decide no criterion; add a case")
    return InferenceSpec(name, str(abc.get("description", "")), rule, cases, criteria, params,
                         reps, seeds, seed, budget, population, generations, batch, kind,
                         float(p), epsilon, float(minimum), rules, compare_budget, repeats, draws,
                         pred_reps, own, where)

"""Case scenarios as data: TOML files in the top-level ``seeds/`` folder (``omnibalance/presets``
in an installed wheel).

A scenario gives the great powers, the regimes with their leaders' state, the ties, debts and
stakes a case starts with, the rivalries, the pairs a scenario bars (with the reason), scheduled
events (elections, recessions, leader changes, changes of a declared field) and the observed
facts the essay reports, each with a citation (one per field where the fact is a field's).
Everything is checked against the declarations in :mod:`omnibalance.params` and
:data:`START_FIELDS`; a mistake raises :class:`ConfigError` naming the file, the field, the
value and what is allowed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .config import Resolver, check_id, check_value, get, only, read_toml
from .errors import ConfigError, unknown_key
from .params import PARAMETERS, POWER_FIELDS, REGIME_FIELDS, Param, defaults


def _presets_dir() -> Path:
    """Where the presets are: ``$OMNIBALANCE_SEEDS`` if set; else the installed package's
    ``omnibalance/presets`` (the wheel maps the top-level ``seeds/`` there, found with
    :mod:`importlib.resources`); else, in a checkout, ``seeds/`` itself."""
    if os.environ.get("OMNIBALANCE_SEEDS"):
        return Path(os.environ["OMNIBALANCE_SEEDS"])
    installed = Path(str(resources.files("omnibalance") / "presets"))
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "seeds"


SEEDS_DIR = _presets_dir()

EVENT_KINDS = ("election", "leader_change", "recession", "set", "observed")
ELECTION_OUTCOMES = ("endogenous", "incumbent", "challenger")
_DATE = re.compile(r"^(\d{4})Q([1-4])$")

START_FIELDS: dict[str, Param] = {p.name: p for p in (
    Param("tie", 0.0, 0.0, 1.0, "tie", "Tie tau_ip the pair has when the run starts.",
          "the scenario's sources", "start"),
    Param("debt", 0.0, 0.0, 100.0, "x M", "Debt D_ip the regime owes the power at the start, "
          "a multiple of the regime's annual military budget.", "the scenario's sources",
          "start"),
    Param("stake", 0.0, 0.0, 100.0, "x M", "The power's sunk stake K_ip in the regime at the "
          "start (investment, installed access), x M.", "the scenario's sources", "start"),
    Param("support", 0.0, 0.0, 100.0, "x M", "Discounted security support S_ip the power has "
          "given the regime before the start (the memory dependence is read from), x M.",
          "the scenario's sources", "start"),
)}
"""What ``[regimes.ID.start_state.POWER]`` may give: the pair's state at step 0 for a case that
starts mid-history (ODD 5). Every pair not named starts at zero."""

LEADER_STATE = ("ideology", "autocracy", "mandate", "growth")
"""Regime fields that are the state of the leader in office or of the economy, not fixed
attributes of the regime: scheduled leader changes, elections and recessions change them, so a
``set`` event may not (its value would be lost at the next leader change)."""


@dataclass(frozen=True)
class PowerSpec:
    """A great power: its id (e.g. "RUS"), display name and declared fields."""

    id: str
    name: str
    values: MappingProxyType
    sources: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    """Field name -> the citation of its value (``[powers.ID.sources]``)."""


@dataclass(frozen=True)
class RegimeSpec:
    """A regime at the scenario's start: leader, declared fields, barred patrons, the state of
    its ties when the run starts, and the sources of its values."""

    id: str
    name: str
    leader: str
    values: MappingProxyType
    barred: MappingProxyType
    source: str
    start: int = 0
    """Step at which the regime enters (e.g. Kirchner's government from 2007 Q4)."""
    start_state: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    """Power id -> {tie, debt, stake, support} of the pair at step 0 (:data:`START_FIELDS`)."""
    sources: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    """Field name -> the citation of its value (``[regimes.ID.sources]``); ``source`` keeps
    what is not one field's."""


@dataclass(frozen=True)
class Event:
    """A scheduled event at step ``step``. ``observed`` events force nothing: they are the
    facts the essay reports, shown beside the simulated log for comparison."""

    step: int
    date: str
    kind: str
    regime: str
    fields: MappingProxyType
    note: str = ""
    source: str = ""
    power: str = ""
    """The power a ``set`` event changes (its ``regime`` is then empty)."""


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    description: str
    start_year: int
    start_quarter: int
    steps: int
    hegemon: str
    citation: str
    parameters: MappingProxyType
    powers: tuple[PowerSpec, ...]
    regimes: tuple[RegimeSpec, ...]
    rivalry: MappingProxyType
    events: tuple[Event, ...] = field(default_factory=tuple)
    path: str = ""
    parameter_sources: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    """Global parameter -> the citation of the scenario's value (``[parameters.sources]``)."""

    def date(self, step: int) -> str:
        """The calendar quarter of ``step``, e.g. "2013 Q2"."""
        q = self.start_quarter - 1 + step
        return f"{self.start_year + q // 4} Q{q % 4 + 1}"

    def step_of(self, date: str) -> int:
        """The step of a "YYYYQn" date (may be negative or beyond the run)."""
        m = _DATE.match(date.replace(" ", ""))
        if not m:
            raise ValueError(f"not a date of the form YYYYQn: {date!r}")
        return (int(m.group(1)) - self.start_year) * 4 + int(m.group(2)) - self.start_quarter

    def power_index(self, pid: str) -> int:
        return [p.id for p in self.powers].index(pid)

    def regime_index(self, rid: str) -> int:
        return [r.id for r in self.regimes].index(rid)

    def with_overrides(self, overrides: dict[str, Any], where: str = "overrides") -> Scenario:
        """A copy with global parameters and ``regimes.ID.field`` / ``powers.ID.field`` changed."""
        params = dict(self.parameters)
        regimes = {r.id: r for r in self.regimes}
        powers = {p.id: p for p in self.powers}
        resolver = Resolver(where, regimes, powers)
        for key, value in overrides.items():
            table, ident, decl = resolver.parts(key, "")
            checked = _check_value(where, key, value, decl)
            if table is None:
                params[key] = checked
                continue
            objs = regimes if table == "regimes" else powers
            obj = objs[ident]
            vals = dict(obj.values)
            vals[key.split(".")[2]] = checked
            objs[ident] = replace(obj, values=MappingProxyType(vals))
        return replace(self, parameters=MappingProxyType(params),
                       regimes=tuple(regimes[r.id] for r in self.regimes),
                       powers=tuple(powers[p.id] for p in self.powers))


def _check_value(where: str, fieldname: str, value: Any, decl: Param) -> float:
    return check_value(where, fieldname, value, decl)


def _require(where: str, table: dict, key: str, kind: type | tuple, path: str) -> Any:
    return get(where, table, key, kind, path)


_only = only


def _declared(where: str, table: dict, decls: dict[str, Param], path: str,
              extra: set[str]) -> dict[str, float]:
    _only(where, table, set(decls) | extra, path)
    values = {name: d.default for name, d in decls.items()}
    for name, decl in decls.items():
        if name in table:
            values[name] = _check_value(where, f"{path}{name}", table[name], decl)
    return values


def _date(where: str, value: Any, fieldname: str) -> tuple[int, int]:
    if not isinstance(value, str) or not _DATE.match(value.replace(" ", "")):
        raise ConfigError(where, fieldname, value, 'must be a quarter written "YYYYQn", e.g. '
                          '"2007Q1"')
    m = _DATE.match(value.replace(" ", ""))
    return int(m.group(1)), int(m.group(2))


_TOP = {"include", "scenario", "parameters", "powers", "rivalry", "regimes", "events"}
_SCEN = {"id", "name", "description", "start", "steps", "hegemon", "citation"}
_EVENT = {"date", "kind", "regime", "outcome", "leader", "ideology", "mandate", "autocracy",
          "growth", "quarters", "power", "note", "source"}
_SET_EVENT = {"date", "kind", "regime", "power", "note", "source"}
_REGIME_EXTRA = {"name", "leader", "barred", "source", "enters", "start_state", "sources"}


def parse_scenario(data: dict, where: str) -> Scenario:
    """Check a parsed TOML table and build a :class:`Scenario`."""
    _only(where, data, _TOP, "")
    scen = _require(where, data, "scenario", dict, "")
    _only(where, scen, _SCEN, "scenario.")
    sid = _require(where, scen, "id", str, "scenario.")
    name = _require(where, scen, "name", str, "scenario.")
    year, quarter = _date(where, _require(where, scen, "start", str, "scenario."),
                          "scenario.start")
    steps = _require(where, scen, "steps", int, "scenario.")
    if not 1 <= steps <= 2000:
        raise ConfigError(where, "scenario.steps", steps, "must be in [1, 2000]")
    hegemon = _require(where, scen, "hegemon", str, "scenario.")
    citation = _require(where, scen, "citation", str, "scenario.")

    params_tbl = data.get("parameters", {})
    if not isinstance(params_tbl, dict):
        raise ConfigError(where, "parameters", params_tbl, "must be a table")
    _only(where, params_tbl, set(PARAMETERS) | {"sources"}, "parameters.")
    params = {k: _check_value(where, f"parameters.{k}", v, PARAMETERS[k])
              for k, v in params_tbl.items() if k != "sources"}
    param_sources = _sources(where, params_tbl, "parameters.", PARAMETERS)

    powers_tbl = _require(where, data, "powers", dict, "")
    powers = []
    for pid, tbl in powers_tbl.items():
        check_id(where, "powers", pid)
        if not isinstance(tbl, dict):
            raise ConfigError(where, f"powers.{pid}", tbl, "must be a table")
        path = f"powers.{pid}."
        values = _declared(where, tbl, POWER_FIELDS, path, {"name", "sources"})
        powers.append(PowerSpec(pid, str(tbl.get("name", pid)), MappingProxyType(values),
                                MappingProxyType(_sources(where, tbl, path, POWER_FIELDS))))
    pids = [p.id for p in powers]
    if hegemon not in pids:
        raise unknown_key(where, "scenario.hegemon", hegemon, pids)

    rivalry: dict[tuple[str, str], float] = {}
    rivalry_tbl = data.get("rivalry", {})
    if not isinstance(rivalry_tbl, dict):
        raise ConfigError(where, "rivalry", rivalry_tbl,
                          'must be a table of "A-B" = number in [0, 1], e.g. US-RUS = 0.8')
    for key, value in rivalry_tbl.items():
        pair = key.split("-")
        if len(pair) != 2 or pair[0] not in pids or pair[1] not in pids:
            raise ConfigError(where, f"rivalry.{key}", value,
                              f"keys are two power ids joined by '-', from {', '.join(pids)}")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ConfigError(where, f"rivalry.{key}", value, "must be a number in [0, 1]")
        rivalry[(pair[0], pair[1])] = rivalry[(pair[1], pair[0])] = float(value)

    regimes_tbl = _require(where, data, "regimes", dict, "")
    if not regimes_tbl:
        raise ConfigError(where, "regimes", "{}", "at least one regime is required")
    regimes = []
    probe = Scenario(sid, name, "", year, quarter, steps, hegemon, citation,
                     MappingProxyType({}), (), (), MappingProxyType({}))
    for rid, tbl in regimes_tbl.items():
        path = f"regimes.{rid}."
        check_id(where, "regimes", rid)
        if not isinstance(tbl, dict):
            raise ConfigError(where, f"regimes.{rid}", tbl, "must be a table")
        for text in ("name", "leader", "source"):
            if text in tbl:
                get(where, tbl, text, str, path)
        values = _declared(where, tbl, REGIME_FIELDS, path, _REGIME_EXTRA)
        barred = tbl.get("barred", {})
        if not isinstance(barred, dict):
            raise ConfigError(where, f"{path}barred", barred,
                              'must be a table of power id = "reason"')
        for pid, reason in barred.items():
            if pid not in pids:
                raise unknown_key(where, f"{path}barred", pid, pids)
            if not isinstance(reason, str) or not reason:
                raise ConfigError(where, f"{path}barred.{pid}", reason,
                                  "must be a non-empty string giving the reason")
        start = 0
        if "enters" in tbl:
            _date(where, tbl["enters"], f"{path}enters")
            start = max(0, probe.step_of(tbl["enters"]))
        sources = _sources(where, tbl, path, set(REGIME_FIELDS) | {"leader", "enters",
                                                                    "start_state", "barred"})
        regimes.append(RegimeSpec(rid, str(tbl.get("name", rid)), str(tbl.get("leader", "")),
                                  MappingProxyType(values), MappingProxyType(dict(barred)),
                                  str(tbl.get("source", "")), start,
                                  _start_state(where, tbl, path, pids),
                                  MappingProxyType(sources)))
    rids = [r.id for r in regimes]

    events = []
    raw_events = data.get("events", [])
    if not isinstance(raw_events, list):
        raise ConfigError(where, "events", raw_events, "must be an array of tables [[events]]")
    for n, ev in enumerate(raw_events):
        path = f"events[{n}]."
        if not isinstance(ev, dict):
            raise ConfigError(where, f"events[{n}]", ev, "must be a table")
        if ev.get("kind") == "set":
            events.append(_set_event(where, ev, path, probe, rids, pids))
            continue
        _only(where, ev, _EVENT, path)
        date = _require(where, ev, "date", str, path)
        _date(where, date, f"{path}date")
        kind = _require(where, ev, "kind", str, path)
        if kind not in EVENT_KINDS:
            raise unknown_key(where, f"{path}kind", kind, EVENT_KINDS)
        rid = _require(where, ev, "regime", str, path)
        if rid not in rids:
            raise unknown_key(where, f"{path}regime", rid, rids)
        fields = {k: v for k, v in ev.items() if k not in ("date", "kind", "regime", "note",
                                                              "source")}
        for k in ("ideology", "mandate", "autocracy"):
            if k in fields:
                fields[k] = _check_value(where, f"{path}{k}", fields[k], REGIME_FIELDS[k])
        if "growth" in fields:
            fields["growth"] = _check_value(where, f"{path}growth", fields["growth"],
                                            REGIME_FIELDS["growth"])
        if "quarters" in fields and (not isinstance(fields["quarters"], int)
                                     or isinstance(fields["quarters"], bool)
                                     or fields["quarters"] < 1):
            raise ConfigError(where, f"{path}quarters", fields["quarters"],
                              "must be a whole number >= 1")
        if "outcome" in fields and kind != "election":
            raise ConfigError(where, f"{path}outcome", fields["outcome"],
                              f"only an election has an outcome; this event is a {kind}")
        if "leader" in fields and not isinstance(fields["leader"], str):
            raise ConfigError(where, f"{path}leader", fields["leader"],
                              "must be a string (the new leader's name)")
        if kind == "election":
            outcome = fields.setdefault("outcome", "endogenous")
            if outcome not in ELECTION_OUTCOMES:
                raise unknown_key(where, f"{path}outcome", outcome, ELECTION_OUTCOMES)
        if kind == "recession" and "growth" not in fields:
            raise ConfigError(where, f"{path}growth", "(missing)",
                              "a recession needs the observed annual growth in it, e.g. -0.05")
        if "power" in fields and fields["power"] not in pids:
            raise unknown_key(where, f"{path}power", fields["power"], pids)
        step = _step_in_run(where, path, date, probe)
        events.append(Event(step, date, kind, rid, MappingProxyType(fields),
                            str(ev.get("note", "")), str(ev.get("source", ""))))
    events.sort(key=lambda e: e.step)
    _check_deal_costs(where, params, powers, regimes)
    return Scenario(sid, name, str(scen.get("description", "")), year, quarter, steps, hegemon,
                    citation, MappingProxyType(params), tuple(powers), tuple(regimes),
                    MappingProxyType(rivalry), tuple(events), where,
                    MappingProxyType(param_sources))


def _step_in_run(where: str, path: str, date: str, probe: Scenario) -> int:
    """The step of an event's date; a date outside the run is an error, not a silent drop."""
    step = probe.step_of(date)
    if not 0 <= step < probe.steps:
        raise ConfigError(where, f"{path}date", date,
                          f"is outside the run ({probe.date(0)} to {probe.date(probe.steps - 1)}"
                          f", {probe.steps} quarters); move the event or change scenario.start/"
                          "steps")
    return step


def _sources(where: str, table: dict, path: str, allowed) -> dict[str, str]:
    """The ``sources`` sub-table: field name -> the citation of the value this table gives."""
    src = table.get("sources", {})
    if not isinstance(src, dict):
        raise ConfigError(where, f"{path}sources", src, 'must be a table of field = "citation"')
    _only(where, src, allowed, f"{path}sources.")
    for key, text in src.items():
        if not isinstance(text, str) or not text.strip():
            raise ConfigError(where, f"{path}sources.{key}", text,
                              "must be a non-empty string citing the value")
        if key not in table:
            raise ConfigError(where, f"{path}sources.{key}", text,
                              f"cites {key}, which this table does not set; give {key} a value "
                              "or drop its source")
    return dict(src)


def _start_state(where: str, tbl: dict, path: str, pids: list[str]) -> MappingProxyType:
    """``[regimes.ID.start_state.POWER]``: the pair's tie, debt, stake and support at step 0."""
    raw = tbl.get("start_state", {})
    if not isinstance(raw, dict):
        raise ConfigError(where, f"{path}start_state", raw,
                          "must be a table of power id = {tie, debt, stake, support}")
    out = {}
    for pid, pair in raw.items():
        if pid not in pids:
            raise unknown_key(where, f"{path}start_state", pid, pids)
        if not isinstance(pair, dict):
            raise ConfigError(where, f"{path}start_state.{pid}", pair,
                              "must be a table of tie, debt, stake, support = number")
        out[pid] = MappingProxyType(_declared(where, pair, START_FIELDS,
                                              f"{path}start_state.{pid}.", set()))
    return MappingProxyType(out)


def _set_event(where: str, ev: dict, path: str, probe: Scenario, rids: list[str],
               pids: list[str]) -> Event:
    """A ``set`` event: from its date, declared fields of one regime or one power take new
    values in every run (an insurgency's threat offset, a budget, an asset)."""
    if ("regime" in ev) == ("power" in ev):
        raise ConfigError(where, f"{path}regime", ev.get("regime", "(missing)"),
                          'a set event changes one regime or one power: give either regime = '
                          '"ID" or power = "ID", not both')
    date = _require(where, ev, "date", str, path)
    _date(where, date, f"{path}date")
    if "regime" in ev:
        target, decls = _require(where, ev, "regime", str, path), REGIME_FIELDS
        if target not in rids:
            raise unknown_key(where, f"{path}regime", target, rids)
    else:
        target, decls = _require(where, ev, "power", str, path), POWER_FIELDS
        if target not in pids:
            raise unknown_key(where, f"{path}power", target, pids)
    fields = {k: v for k, v in ev.items() if k not in _SET_EVENT}
    _only(where, fields, decls, path)
    if not fields:
        raise ConfigError(where, f"{path}kind", "set", "a set event needs at least one "
                          "declared field = value, e.g. internal_threat_offset = 0.3")
    values = {}
    for key, value in fields.items():
        if decls is REGIME_FIELDS and key in LEADER_STATE:
            fixed = [f for f in REGIME_FIELDS if f not in LEADER_STATE]
            raise ConfigError(where, f"{path}{key}", value,
                              "is the leader's or the economy's state (leader_change, election "
                              "and recession events change it); a set event may change "
                              + ", ".join(fixed))
        values[key] = _check_value(where, f"{path}{key}", value, decls[key])
    for text in ("note", "source"):
        if text in ev:
            get(where, ev, text, str, path)
    step = _step_in_run(where, path, date, probe)
    regime = target if decls is REGIME_FIELDS else ""
    return Event(step, date, "set", regime, MappingProxyType(values), str(ev.get("note", "")),
                 str(ev.get("source", "")), power="" if regime else target)


def smallest_deal(g: dict[str, float], regime: dict[str, float]) -> float:
    """US$M of a regime's smallest deal: the smaller of its security deal
    (``security_deal_size`` x its ``security_deal_scale``) and its economic deal
    (``economic_deal_size`` x its ``economic_deal_scale``), times its military budget, as
    :func:`omnibalance.engine.quarter.options` sizes them."""
    return min(g["security_deal_size"] * regime["security_deal_scale"],
               g["economic_deal_size"] * regime["economic_deal_scale"]) \
        * regime["military_budget"]


def _check_deal_costs(where: str, params: dict, powers: list[PowerSpec],
                      regimes: list[RegimeSpec]) -> None:
    """A regime whose smallest deal exceeds the quarterly budget of every power it may deal
    with can never be funded in full by anyone, under any rule: the scenario's sizes and
    budgets do not fit together (issue Model 2: deal sizes stay within what a patron can
    offer). Checked on the values at the start; ``--set`` overrides and set events are not."""
    g = defaults() | params
    for r in regimes:
        may = [p for p in powers if p.id not in r.barred]
        if not may:
            continue
        richest = max(may, key=lambda p: p.values["budget"])
        cost = smallest_deal(g, r.values)
        share = cost / r.values["military_budget"]
        if cost > richest.values["budget"]:
            raise ConfigError(
                where, f"regimes.{r.id}.military_budget", r.values["military_budget"],
                f"{r.name}'s smallest deal costs US${cost:,.0f}M ({share:g} x M, the smaller of"
                " its security and economic deal), more "
                f"than the largest quarterly budget of the powers it may deal with "
                f"({richest.id}, US${richest.values['budget']:,.0f}M), so no power can fund "
                "any of its deals in full; lower the deal sizes or raise a budget")


def scenario_path(name_or_path: str | os.PathLike) -> Path:
    """Resolve a preset name ("nicaragua_2007") or a path to a scenario file."""
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.exists():
        return p
    return SEEDS_DIR / f"{name_or_path}.toml"


def load_scenario(name_or_path: str | os.PathLike) -> Scenario:
    """Load and check a scenario by preset name or path. Raises :class:`ConfigError`."""
    path = scenario_path(name_or_path)
    where = str(path)
    if not path.exists():
        presets = list_presets()
        raise unknown_key("scenario", "name", str(name_or_path), presets) if not str(
            name_or_path).endswith(".toml") else ConfigError(where, "file", str(name_or_path),
                                                              "no such file")
    return parse_scenario(_read_with_includes(path, ()), where)


def _read_toml(path: Path, where: str = "scenario", field: str = "file") -> dict:
    return read_toml(path, where, field)


def _read_with_includes(path: Path, seen: tuple[Path, ...]) -> dict:
    """Read a scenario file, first merging the files its ``include`` list names.

    Included files are merged in order, then this file on top: tables merge key by key,
    arrays (events) concatenate, other values are replaced. This keeps shared data -- the great
    powers, a case's regime and its events -- in one file. An include is looked for next to
    this file first, then among the presets (:func:`include_path`), so a scenario anywhere can
    ``include = ["_powers_2000s.toml"]``.
    """
    data = _read_toml(path)
    includes = data.pop("include", [])
    if not isinstance(includes, list) or not all(isinstance(x, str) for x in includes):
        raise ConfigError(str(path), "include", includes, "must be a list of file names")
    merged: dict = {}
    for name in includes:
        inc = include_path(path, name)
        if inc in seen or inc == path.resolve():
            raise ConfigError(str(path), "include", name, "includes itself (a cycle)")
        _merge(merged, _read_with_includes(inc, (*seen, path.resolve())))
    _merge(merged, data)
    return merged


def include_path(path: Path, name: str) -> Path:
    """Where ``include = [name]`` in the file ``path`` points: the scenario's own folder
    first, then the presets folder (:data:`SEEDS_DIR`)."""
    for folder in (path.resolve().parent, SEEDS_DIR.resolve()):
        candidate = (folder / name).resolve()
        if candidate.is_dir():
            raise ConfigError(str(path), "include", name, "is a folder; name a .toml file")
        if candidate.exists():
            return candidate
    raise ConfigError(str(path), "include", name,
                      f"no such file in this scenario's folder ({path.resolve().parent}) or in "
                      f"the presets ({SEEDS_DIR.resolve()})")


def _merge(into: dict, new: dict) -> None:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = into[key] + value
        else:
            into[key] = value


def list_presets() -> list[str]:
    """Names of the scenario presets in ``seeds/``."""
    return sorted(p.stem for p in SEEDS_DIR.glob("*.toml") if not p.stem.startswith("_"))

"""What the classroom app shows and lets a teacher change, with no browser code.

The app (:mod:`omnibalance.app.app`) is a thin Solara layer over this module: the preset and
rule choices, the sliders (generated from :data:`omnibalance.params.PARAMETERS`, never a second
copy of a range), and :class:`ClassroomModel`, the model Mesa's ``SolaraViz`` re-creates on
Reset. No model logic lives here: everything that happens in a run happens in
:class:`omnibalance.model.OmnibalanceModel`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ConfigError
from ..model import OmnibalanceModel
from ..params import PARAMETERS, RULES, Param
from ..scenario import Scenario, list_presets, load_scenario

DEFAULT_PRESET = "nicaragua_2007"
DEFAULT_SEED = 1

SLIDERS: tuple[str, ...] = ("us_pressure", "internal_threat", "opposition_backing", "omega",
                            "beta", "office_value", "security_deal_size", "tie_decay")
"""The key parameters a class can move: the threats a leader faces (hegemon pressure, baseline
internal threat, how far the hegemon backs the opposition), how a leader weighs them (omega,
the value of office), and the terms and persistence of deals (beta, deal size, tie decay)."""

LABELS = {"us_pressure": "US pressure", "internal_threat": "baseline internal threat",
          "opposition_backing": "US backing of the opposition",
          "omega": "omega (2nd threat)",
          "beta": "beta (bargaining)", "security_deal_size": "security deal"}
"""Short display labels where the declared name reads badly or is long (the sidebar is
narrow); the rest are the name with spaces. Meanings and units: :func:`slider_help`."""

RULE_LABELS = {"omnibalance": "omnibalance (David 1991)",
               "balance_of_threat": "balance of threat (Walt 1987)",
               "balance_of_power": "balance of power (Waltz 1979)",
               "bandwagon": "bandwagon (align with the strongest)"}


def rule_label(rule: str) -> str:
    """How the rule selector shows ``rule``; a rule added to RULES later still gets a label."""
    return RULE_LABELS.get(rule, rule.replace("_", " "))


def rule_from_label(label: str) -> str:
    """The rule a selector label stands for (a rule's own name is accepted too)."""
    for rule in RULES:
        if label in (rule, rule_label(rule)):
            return rule
    raise ConfigError("app", "rule", label, f"one of {', '.join(RULES)}")


@dataclass(frozen=True)
class Preset:
    """A scenario preset as the selector shows it: its file name and its display name."""

    id: str
    label: str
    scenario: Scenario


def presets() -> list[Preset]:
    """The presets in ``seeds/`` (read anew, so a preset added while the server runs appears on
    the next page load). A preset that does not load is left out rather than breaking the app;
    ``omnibalance scenarios`` names the error."""
    out: list[Preset] = []
    for name in list_presets():
        try:
            case = load_scenario(name)
        except ConfigError:
            continue
        out.append(Preset(name, case.name, case))
    seen: dict[str, int] = {}
    for p in out:
        seen[p.label] = seen.get(p.label, 0) + 1
    return [p if seen[p.label] == 1 else Preset(p.id, f"{p.label} ({p.id})", p.scenario)
            for p in out]


def default_preset(choices: list[Preset]) -> Preset:
    for p in choices:
        if p.id == DEFAULT_PRESET:
            return p
    if not choices:
        raise ConfigError("app", "seeds/", "(empty)", "no scenario preset could be loaded")
    return choices[0]


def _nice_step(low: float, high: float, kind: type, values: tuple[float, ...] = ()) -> float:
    """A round slider step, about a hundredth of the range, on which ``values`` lie exactly.

    The browser's slider snaps a value to the nearest step and sends it back, so a default
    off the grid (0.15 with a step of 0.02) would silently become another number (0.16).
    """
    if kind is int:
        return 1
    raw = (high - low) / 100
    mag = 10.0 ** math.floor(math.log10(raw))
    while mag >= 1e-6:
        for m in (5, 2, 1):
            step = m * mag
            if step <= 2 * raw and all(_on_grid(v - low, step) for v in values):
                return step
        mag /= 10
    return raw  # pragma: no cover - only for values with more than six decimals


def _on_grid(x: float, step: float) -> bool:
    q = x / step
    return abs(q - round(q)) < 1e-6


def slider_value(name: str, case: Scenario) -> float:
    """The slider's starting value: the preset's own value if it sets one, else the default."""
    decl = PARAMETERS[name]
    return decl.kind(case.parameters.get(name, decl.default))


def slider_label(decl: Param, value=None) -> str:
    """The slider's label, with its current value (Mesa's sliders do not show it)."""
    label = LABELS.get(decl.name, decl.name.replace("_", " "))
    value = _plain(value)
    return label if value is None else f"{label} = {value:g}"


def slider_help(name: str) -> str:
    """One line for the teacher: what the slider means, its unit, range and source."""
    d = PARAMETERS[name]
    return (f"{LABELS.get(name, name.replace('_', ' '))}: {d.meaning} Unit: {d.unit}; range "
            f"{d.low:g} to {d.high:g}, default {d.default:g}. Source: {d.source}.")


def slider_spec(name: str, value) -> dict:
    """A Mesa ``model_params`` entry for parameter ``name``, read from its declaration."""
    decl = PARAMETERS[name]
    step = _nice_step(decl.low, decl.high, decl.kind, (decl.default, _plain(value)))
    return {"type": "SliderInt" if decl.kind is int else "SliderFloat",
            "label": slider_label(decl, value), "value": value,
            "min": decl.kind(decl.low), "max": decl.kind(decl.high), "step": step}


def parse_seed(text) -> int | None:
    """The seed typed into the app (Mesa's text input gives a string), or None if it is not a
    whole number >= 0."""
    text = str(_plain(text)).strip()
    return int(text) if text.isdigit() else None


def _plain(value):
    """The current value of a Solara reactive variable, or ``value`` itself.

    Mesa's ``ModelCreator`` hands the model class whatever the ``model_params`` entries hold;
    the app binds them to per-browser-session reactive variables, so they arrive here either
    as those variables (before the first change) or as plain values.
    """
    return value.value if hasattr(value, "subscribe") and hasattr(value, "value") else value


class ClassroomModel(OmnibalanceModel):
    """:class:`OmnibalanceModel` with the flat keyword arguments Mesa's ``SolaraViz`` passes on
    Reset: a preset label or id, a rule label or id, a seed as text, and slider overrides.

    Adds nothing to the model but the choices it was made from (``preset``, ``seed``,
    ``seed_note``), which the app shows.
    """

    def __init__(self, preset: str = DEFAULT_PRESET, rule: str = "omnibalance",
                 seed: str | int = DEFAULT_SEED, scenario=None, **params):
        # ``scenario``: on Reset, Mesa passes a fresh ``mesa.experimental.scenarios.Scenario``
        # (its own notion, with an unseeded generator); the case comes from ``preset`` and the
        # seed from ``seed``, so it is ignored.
        del scenario
        preset, rule, seed = _plain(preset), _plain(rule), _plain(seed)
        params = {k: _plain(v) for k, v in params.items()}
        choices = {p.label: p.id for p in presets()}
        preset_id = choices.get(preset, preset)
        parsed = parse_seed(seed)
        self.seed_note = "" if parsed is not None else (
            f"seed {seed!r} is not a whole number >= 0: using {DEFAULT_SEED}")
        self.seed = DEFAULT_SEED if parsed is None else parsed
        self.preset = preset_id
        # The classroom runs every rule at the declared defaults (the teaching values, which show
        # each rule's mechanism), not at the searched calibration, where the threat-blind rules
        # never align (docs/teaching.md; docs/validation.md, Calibration).
        super().__init__(preset_id, rule_from_label(rule), params=params or None, rng=self.seed,
                         calibrated=False)


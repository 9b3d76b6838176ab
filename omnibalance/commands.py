"""``omnibalance run`` and ``omnibalance scenarios``: one model run, and the presets."""

from __future__ import annotations

import argparse
from pathlib import Path

from .cliargs import seed_int, steps_int
from .errors import ConfigError
from .params import RULES


def _override(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: value must be a number, got {value!r}") \
            from None


def register(sub) -> None:
    run = sub.add_parser("run", help="run one scenario and write its tables and figure",
                         description="Run one scenario: print a summary, write the per-step "
                                     "table (Parquet and CSV), the event log and a PNG figure.")
    run.add_argument("scenario", help="preset name (see 'omnibalance scenarios') or TOML path")
    run.add_argument("--rule", default="omnibalance", choices=RULES,
                     help="alignment rule (default: omnibalance)")
    run.add_argument("--seed", type=seed_int, default=0, help="random seed (default 0)")
    run.add_argument("--steps", type=steps_int, default=None,
                     help="quarters to run (default: the scenario's)")
    run.add_argument("--set", dest="overrides", type=_override, action="append", default=[],
                     metavar="NAME=VALUE",
                     help="override a parameter, e.g. --set us_pressure=0.8 or "
                          "--set powers.RUS.sunk_weight=0")
    run.add_argument("--out", type=Path, default=Path("out"),
                     help="output folder (default: out/)")
    run.set_defaults(func=cmd_run)

    sc = sub.add_parser("scenarios", help="list the scenario presets, or show one",
                        description="List the scenario presets in seeds/; with a name or a "
                                    "path, show that scenario's values, each with its source, "
                                    "its starting ties and its events.")
    sc.add_argument("scenario", nargs="?", default=None,
                    help="preset name or TOML path to show (default: list the presets)")
    sc.set_defaults(func=cmd_scenarios)


def cmd_run(args) -> int:
    from .model import OmnibalanceModel
    from .output import write_run

    overrides = dict(args.overrides)
    model = OmnibalanceModel(args.scenario, args.rule, params=overrides or None,
                             steps=args.steps, rng=args.seed)
    _check_writable(args.out)
    model.run()
    paths = write_run(model, args.out, seed=args.seed, steps=args.steps, overrides=overrides)
    print(format_summary(model))
    print()
    for label, path in paths.items():
        print(f"{label:>10}: {path}")
    return 0


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".omnibalance-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise ConfigError("command line", "--out", str(folder),
                          f"cannot write there ({exc.strerror})") from None


def format_summary(model) -> str:
    """The per-regime summary as a plain-text table."""
    head = f"{model.case.name} -- rule {model.rule}, {model.n_steps} quarters from " \
           f"{model.case.date(0)}"
    cols = ("regime", "first patron-client", "patron", "quarters", "leader changes")
    rows = []
    for s in model.summary():
        dur = "" if s["first_pc_duration"] is None else (
            f"{s['first_pc_duration']}{'+' if s['first_pc_censored'] else ''}")
        rows.append((s["name"], s["first_pc_date"] or "never", s["first_pc_patron"] or "-",
                     dur or "-", str(s["leader_changes"])))
    widths = [max(len(c), *(len(r[j]) for r in rows)) for j, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([head, "", line, "-" * len(line), *body,
                      "", "('+': the tie still held when the run ended)"])


def cmd_scenarios(args) -> int:
    from .scenario import list_presets, load_scenario

    if args.scenario is not None:
        print(format_scenario(load_scenario(args.scenario)))
        return 0
    for name in list_presets():
        case = load_scenario(name)
        regimes = ", ".join(r.name for r in case.regimes)
        print(f"{name:<22} {case.name}: {case.date(0)}, {case.steps} quarters; {regimes}")
    return 0


def format_scenario(case) -> str:
    """A scenario as text: every value with its unit and source, the pairs' starting state,
    barred pairs and the scheduled events (``omnibalance scenarios NAME``)."""
    from .params import PARAMETERS, POWER_FIELDS, REGIME_FIELDS
    from .scenario import START_FIELDS

    def field(name, value, decl, source) -> str:
        text = f"    {name} = {value:g} ({decl.unit})"
        return text + (f"  -- {source}" if source else "")

    out = [f"{case.name} ({case.id}): {case.date(0)} to {case.date(case.steps - 1)}, "
           f"{case.steps} quarters; hegemon {case.hegemon}", f"  citation: {case.citation}"]
    if case.parameters:
        out.append("parameters")
        out += [field(k, v, PARAMETERS[k], case.parameter_sources.get(k))
                for k, v in case.parameters.items()]
    for p in case.powers:
        out.append(f"power {p.id} ({p.name})")
        out += [field(k, p.values[k], d, p.sources.get(k)) for k, d in POWER_FIELDS.items()]
    for r in case.regimes:
        head = f"regime {r.id} ({r.name}), leader {r.leader or '-'}"
        head += f", enters {case.date(r.start)}" if r.start else ""
        out.append(head + (f"  -- {r.sources['leader']}" if "leader" in r.sources else ""))
        if r.source:
            out.append(f"  source: {r.source}")
        out += [field(k, r.values[k], d, r.sources.get(k)) for k, d in REGIME_FIELDS.items()]
        for pid, pair in r.start_state.items():
            state = ", ".join(f"{k} {pair[k]:g}" + (f" {d.unit}" if d.unit != k else "")
                              for k, d in START_FIELDS.items())
            out.append(f"    start with {pid}: {state}")
        if "start_state" in r.sources:
            out.append(f"      -- {r.sources['start_state']}")
        out += [f"    barred {pid}: {reason}" for pid, reason in r.barred.items()]
    if case.events:
        out.append("events")
    for ev in case.events:
        who = ev.regime or ev.power
        what = ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}"
                         for k, v in ev.fields.items())
        text = f"  {case.date(ev.step)}  {ev.kind} {who}: {what}"
        extra = "; ".join(x for x in (ev.note, ev.source) if x)
        out.append(text + (f"  -- {extra}" if extra else ""))
    return "\n".join(out)

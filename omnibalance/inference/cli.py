"""``omnibalance calibrate``, ``omnibalance compare`` and ``omnibalance discover``.

The commands parse arguments and call the library (:mod:`.calibrate`, :mod:`.compare`,
:mod:`.discover`); a :class:`~omnibalance.errors.ConfigError` becomes one line and exit 2.
pyabc and EMA Workbench are the ``inference`` extra: without them the commands say so.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ..errors import ConfigError


def _need(module: str, command: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise ConfigError("command line", command, module,
                          "is not installed; pip install 'omnibalance[inference]'")


def register(sub) -> None:
    from ..sweep.cli import _add_executor_options

    for name, helptext, desc in (
            ("calibrate", "ABC-SMC posterior of one rule's parameters given the cases",
             "Approximate Bayesian computation (ABC-SMC, pyabc) of one rule's parameters: "
             "priors are the declared prior ranges, summary statistics the validation "
             "criteria's statistics. Writes posterior samples (Parquet), a table of medians "
             "and 90% credible intervals beside the defaults, and pairwise plots. Rerun the "
             "same command to resume."),
            ("compare", "ABC model selection over the rules, with predictive checks",
             "ABC model selection over the alignment rules with the same spec, repeated over "
             "independent seeds: posterior model probabilities with their Monte-Carlo error, "
             "and the posterior-predictive probability that each criterion holds under each "
             "rule. Prints one table and writes it as Markdown.")):
        p = sub.add_parser(name, help=helptext, description=desc)
        p.add_argument("spec", type=Path, help="inference spec (TOML), e.g. "
                                                "experiments/inference/calibrate_nic_ven.toml")
        p.add_argument("--out", type=Path, default=None,
                       help="output folder (default: results/<spec name>"
                            + ("_compare)" if name == "compare" else ")"))
        if name == "compare":
            p.add_argument("--doc", type=Path, nargs="?", const=Path("docs/validation.md"),
                           default=None, metavar="FILE",
                           help="also replace the marked block (<!-- compare:begin --> ... "
                                "<!-- compare:end -->) in FILE (default docs/validation.md)")
        _add_executor_options(p)
        p.set_defaults(func=cmd_calibrate if name == "calibrate" else cmd_compare)

    d = sub.add_parser(
        "discover", help="PRIM scenario discovery over a sweep's results",
        description="Scenario discovery (PRIM, EMA Workbench) over a finished sweep: the boxes "
                    "of the swept parameters where an outcome is likely, printed as rules with "
                    "their coverage, density and restricted dimensions; writes the boxes "
                    "(CSV, Markdown) and the peeling trajectory (PNG, SVG).")
    d.add_argument("results", type=Path, help="results folder of 'omnibalance sweep'")
    d.add_argument("--outcome", required=True, help="yes/no outcome column, e.g. pc_ever_RUS")
    d.add_argument("--rule", default=None, help="rule to analyse (needed if several)")
    d.add_argument("--density", type=float, default=0.8,
                   help="least density of a box to report (default 0.8)")
    d.add_argument("--boxes", type=int, default=2, help="boxes to find at most (default 2)")
    d.add_argument("--out", type=Path, default=None,
                   help="folder for the boxes and figure (default: the results folder)")
    d.set_defaults(func=cmd_discover)


def _out(args, spec, name: str) -> Path:
    """``--out``, else results/<name> (calibrate) or results/<name>_compare."""
    return args.out or Path("results") / (spec.name if name == "calibrate"
                                          else f"{spec.name}_{name}")


def cmd_calibrate(args) -> int:
    from ..sweep.cli import _executor_factory
    from .spec import load

    _need("pyabc", "calibrate")
    spec = load(args.spec)
    out = _out(args, spec, "calibrate")
    from .calibrate import run

    paths = run(spec, out, _executor_factory(args, out),
                spec_text=args.spec.read_text(encoding="utf-8"))
    print((out / "posterior.md").read_text(encoding="utf-8"))
    for label, path in paths.items():
        print(f"{label:>10}: {path}")
    return 0


def cmd_compare(args) -> int:
    from ..sweep.cli import _executor_factory
    from .spec import load

    _need("pyabc", "compare")
    spec = load(args.spec)
    out = _out(args, spec, "compare")
    if args.doc is not None:
        from .compare import check_doc

        check_doc(args.doc)
    from .compare import run

    text, paths = run(spec, out, _executor_factory(args, out),
                      spec_text=args.spec.read_text(encoding="utf-8"), doc=args.doc)
    print(text)
    for label, path in paths.items():
        print(f"{label:>10}: {path}")
    return 0


def cmd_discover(args) -> int:
    _need("ema_workbench", "discover")
    if not 0 < args.density <= 1:
        raise ConfigError("command line", "--density", args.density, "must be in (0, 1]")
    if args.boxes < 1:
        raise ConfigError("command line", "--boxes", args.boxes, "must be a whole number >= 1")
    from .discover import write_discovery

    text, paths = write_discovery(args.results, args.outcome, rule=args.rule,
                                  density=args.density, boxes=args.boxes, out=args.out)
    print(text)
    for label, path in paths.items():
        print(f"{label:>10}: {path}")
    return 0

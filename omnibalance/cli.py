"""The ``omnibalance`` command.

Subcommands live next to the code they drive; each module registers its own parser through
``register(subparsers)``. A :class:`~omnibalance.errors.ConfigError` anywhere becomes one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import warnings

from . import __version__
from .errors import ConfigError

SUBCOMMAND_MODULES = (
    "omnibalance.commands",
    "omnibalance.sweep.cli",
    "omnibalance.validation.cli",
    "omnibalance.inference.cli",
    "omnibalance.app.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="omnibalance",
        description="Agent-based simulation of omnibalancing (David 1991): weak-state leaders "
                    "court great-power patrons to keep their regimes alive.")
    parser.add_argument("--version", action="version", version=f"omnibalance {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMAND_MODULES:
        if importlib.util.find_spec(name.rsplit(".", 1)[0]) is None:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """Warnings from omnibalance (a repaired results folder) as one plain line."""
    from .sweep.store import StoreWarning

    if issubclass(category, StoreWarning):
        print(f"omnibalance: warning: {message}", file=file or sys.stderr)
    else:
        _default_show(message, category, filename, lineno, file, line)


_default_show = warnings.showwarning


def main(argv: list[str] | None = None) -> int:
    warnings.showwarning = _show_warning
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"omnibalance: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("omnibalance: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

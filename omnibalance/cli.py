"""The ``omnibalance`` command.

Subcommands live next to the code they drive; each module registers its own parser through
``register(subparsers)``. A :class:`~omnibalance.errors.ConfigError` anywhere becomes one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import ConfigError

SUBCOMMAND_MODULES = (
    "omnibalance.commands",
    "omnibalance.sweep.cli",
    "omnibalance.validation.cli",
    "omnibalance.app.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="omnibalance",
        description="Agent-based simulation of omnibalancing (David 1991): weak-state leaders "
                    "court great-power patrons to keep their regimes alive.")
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


def main(argv: list[str] | None = None) -> int:
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

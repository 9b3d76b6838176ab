"""Argument types shared by the subcommands: a bad value is argparse's one-line error, exit 2."""

from __future__ import annotations

import argparse


def _int_at_least(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {value}")
        return value

    return parse


positive_int = _int_at_least(1)
"""A whole number >= 1 (steps, workers, replications)."""

seed_int = _int_at_least(0)


def steps_int(text: str) -> int:
    """Quarters to run: 1 to 2000 (as in scenario files and sweep specs)."""
    value = positive_int(text)
    if value > 2000:
        raise argparse.ArgumentTypeError(f"must be <= 2000, got {value}")
    return value
"""A random seed: a whole number >= 0."""

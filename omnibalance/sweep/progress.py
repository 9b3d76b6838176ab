"""The progress bar: runs done, rate and time left, on stderr, only where a person watches."""

from __future__ import annotations

import os
import sys

from tqdm import tqdm


def wanted() -> bool:
    """Show progress only on a terminal and outside CI (``CI`` set to anything but ''/0/false)."""
    ci = os.environ.get("CI", "").strip().lower()
    return sys.stderr.isatty() and ci in ("", "0", "false")


def progress_bar(total: int, initial: int, name: str, show: bool | None = None) -> tqdm:
    """A bar over ``total`` runs starting at ``initial`` (those already done when resuming)."""
    return tqdm(total=total, initial=initial, desc=name, unit="run", unit_scale=False,
                dynamic_ncols=True, smoothing=0.1, file=sys.stderr,
                disable=not (wanted() if show is None else show),
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} runs "
                           "[{elapsed}<{remaining}, {rate_fmt}]")

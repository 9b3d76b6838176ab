"""Errors a user can fix: one line naming the file, the field, the value and what is allowed."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ConfigError(Exception):
    """A scenario, spec or argument a user gave is wrong. The CLI prints it and exits 2."""

    def __init__(self, where: str, field: str, value: object, allowed: str,
                 suggestion: str | None = None):
        self.where, self.field, self.value, self.allowed = where, field, value, allowed
        self.suggestion = suggestion
        msg = f"{where}: {field} = {value!r}: {allowed}"
        if suggestion:
            msg += f" (did you mean '{suggestion}'?)"
        super().__init__(msg)


def nearest(name: str, choices: Iterable[str]) -> str | None:
    """The closest valid name to a mistyped one, if any is close."""
    found = difflib.get_close_matches(str(name), list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_key(where: str, field: str, key: str, choices: Iterable[str]) -> ConfigError:
    """Error for a key that is not among ``choices``, with the nearest valid name."""
    choices = sorted(choices)
    shown = ", ".join(choices) if len(choices) <= 12 else ", ".join(choices[:12]) + ", ..."
    return ConfigError(where, field, key, f"unknown name; allowed: {shown}",
                       nearest(key, choices))

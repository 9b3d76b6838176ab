"""Reading and checking TOML input, shared by scenario files and sweep specs.

One place decides how a file is read (a folder, a missing file, bytes that are not UTF-8 and
malformed TOML are each one :class:`~omnibalance.errors.ConfigError` line), how a table's keys
and types are checked, and how an override name (``us_pressure``, ``regimes.NIC.mandate``,
``powers.RUS.sunk_weight``) resolves to its declaration. :mod:`omnibalance.scenario` and
:mod:`omnibalance.sweep.spec` both use it, so the two give the same messages.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import ConfigError, unknown_key
from .params import PARAMETERS, POWER_FIELDS, REGIME_FIELDS, Param

ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
"""What a power or regime id may be: ``--set regimes.<ID>.<field>`` must be able to name it, so
no ``.``, ``-`` or spaces."""

_KIND_WORDS = {int: "a whole number", float: "a number", str: "a string", bool: "true or false",
               dict: "a table", list: "a list"}

MISSING = object()


def kind_words(kind: type | tuple[type, ...]) -> str:
    """``int`` -> "a whole number", ``(int, float)`` -> "a whole number or a number"."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_KIND_WORDS.get(k, f"a {k.__name__}") for k in kinds)


def read_toml(path: Path, where: str, field: str = "file") -> dict:
    """Parse a TOML file. A folder, a missing or unreadable file, non-UTF-8 bytes or malformed
    TOML raise :class:`ConfigError` (``where``/``field`` say who named the file)."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(where, field, str(path), "is a folder; give a .toml file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(where, field, str(path), "no such file") from None
    except OSError as exc:
        raise ConfigError(where, field, str(path),
                          f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError(str(path), "encoding", f"byte 0x{raw[exc.start]:02x} on line {line}",
                          "the file must be UTF-8 text (re-save it as UTF-8)") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "TOML", "(file)", f"malformed TOML: {exc}") from None


def only(where: str, table: dict, allowed: Iterable[str], path: str) -> None:
    """Every key of ``table`` is in ``allowed``; else the nearest valid name."""
    allowed = list(allowed)
    for key in table:
        if key not in allowed:
            raise unknown_key(where, path.rstrip(".") or "top level", key, allowed)


def get(where: str, table: dict, key: str, kind: type | tuple[type, ...], path: str,
        default: Any = MISSING) -> Any:
    """``table[key]``, checked to be of ``kind`` (a bool is never taken for a number)."""
    if key not in table:
        if default is MISSING:
            raise ConfigError(where, f"{path}{key}", "(missing)", "this field is required")
        return default
    value = table[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        raise ConfigError(where, f"{path}{key}", value, f"must be {kind_words(kind)}")
    return value


def check_value(where: str, fieldname: str, value: Any, decl: Param, note: str = "") -> float:
    """A value checked against its declaration and cast to its kind."""
    problem = decl.check(value)
    if problem:
        raise ConfigError(where, fieldname, value, problem + note)
    return decl.kind(value)


def check_id(where: str, fieldname: str, ident: str) -> None:
    """A power or regime id that ``--set`` can address."""
    if not ID.match(ident):
        raise ConfigError(where, fieldname, ident,
                          "an id must start with a letter and hold only letters, digits and "
                          "'_' (so that --set regimes.<ID>.<field> can name it)")


class Resolver:
    """Resolves an override name to its declaration: a global parameter, ``regimes.ID.field``
    or ``powers.ID.field``, with the nearest valid name on a typo."""

    def __init__(self, where: str, regime_ids: Iterable[str], power_ids: Iterable[str]):
        self.where = where
        self.rids = list(regime_ids)
        self.pids = list(power_ids)

    @classmethod
    def of(cls, where: str, case) -> Resolver:
        """The resolver of a scenario's ids."""
        return cls(where, [r.id for r in case.regimes], [p.id for p in case.powers])

    def parts(self, key: str, path: str) -> tuple[str | None, str | None, Param]:
        """``(table, id, declaration)``: table is ``None`` for a global parameter, else
        ``"regimes"`` or ``"powers"``."""
        parts = key.split(".")
        if len(parts) == 1:
            if key in PARAMETERS:
                return None, None, PARAMETERS[key]
            names = list(PARAMETERS) + [f"regimes.{r}.{f}" for r in self.rids
                                        for f in REGIME_FIELDS] + [
                f"powers.{p}.{f}" for p in self.pids for f in POWER_FIELDS]
            raise unknown_key(self.where, f"{path} parameter".strip(), key, names)
        if len(parts) == 3 and parts[0] in ("regimes", "powers"):
            ids, fields = ((self.rids, REGIME_FIELDS) if parts[0] == "regimes"
                           else (self.pids, POWER_FIELDS))
            if parts[1] not in ids:
                raise unknown_key(self.where, f"{path} {parts[0]} id".strip(), parts[1], ids)
            if parts[2] not in fields:
                raise unknown_key(self.where, f"{path} {parts[0]}.{parts[1]} field".strip(),
                                  parts[2], fields)
            return parts[0], parts[1], fields[parts[2]]
        raise ConfigError(self.where, f"{path} parameter".strip(), key,
                          "use a parameter name, regimes.<ID>.<field> or powers.<ID>.<field>")

    def decl(self, key: str, path: str) -> Param:
        """The declaration of an override name."""
        return self.parts(key, path)[2]

"""The event log: what happened, in words a classroom can read.

Example: ``2015 Q2  Nicaragua offers naval access to Russia for arms and police training:
accepted (Russia discounts the terms by 0.05 M)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .theory.dynamics import CLASS_NAMES

KIND_OF_DEAL = {"security": "arms and police training", "economic": "investment and loans"}


@dataclass(frozen=True)
class LogEvent:
    step: int
    date: str
    kind: str
    regime: str
    power: str | None
    text: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.date}  {self.text}" + (f"  [{self.note}]" if self.note else "")


class EventLog:
    """An append-only list of :class:`LogEvent`, newest last."""

    def __init__(self, case):
        self.case = case
        self.events: list[LogEvent] = []

    def __iter__(self):
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def add(self, step, kind, regime, power, text, note="") -> None:
        pid = power if isinstance(power, str) or power is None else power.pid
        rid = "" if regime is None else regime.rid
        self.events.append(LogEvent(step, self.case.date(step), kind, rid, pid, text, note))

    def change(self, step, regime, power, name: str, changes: dict[str, tuple[float, float]],
               note: str = "") -> None:
        """A set event: ``changes`` maps a field to (old, new), e.g. "Russia: budget 1200 ->
        600 (US$M per quarter)". ``regime`` or ``power`` is the one changed."""
        from .params import POWER_FIELDS, REGIME_FIELDS

        decls = REGIME_FIELDS if regime is not None else POWER_FIELDS
        parts = [f"{k.replace('_', ' ')} {old:g} -> {new:g} ({decls[k].unit})"
                 for k, (old, new) in changes.items()]
        self.add(step, "set", regime, power, f"{name}: " + ", ".join(parts), note)

    def proposal(self, step, regime, power, kind, main_asset, transfer, reason,
                 funded: float = 1.0) -> None:
        """A regime's proposal and the power's answer (``reason`` is None if accepted;
        ``funded`` the share of the deal the power's budget covers)."""
        from .agents import ASSET_PHRASE

        text = (f"{regime.name} offers {ASSET_PHRASE[main_asset]} to {power.name} for "
                f"{KIND_OF_DEAL[kind]}: ")
        if reason is not None:
            text += f"refused ({reason})"
            kind = "refusal"
        else:
            kind = "deal"
            text += "accepted" if funded >= 1.0 else (
                f"accepted in part, {funded:.0%} of it, as {power.name}'s budget runs out")
            if transfer < 0:
                text += f" ({power.name} discounts the terms by {-transfer:.2f} M)"
            else:
                text += f" ({regime.name} concedes {transfer:.2f} M more)"
        self.add(step, kind, regime, power, text)

    def tie_change(self, step, regime, power, old: int, new: int) -> None:
        names = {0: "no tie", 1: "a partnership", 2: "a patron-client tie"}
        verb = "becomes" if new > old else "falls back to"
        self.add(step, "tie", regime, power,
                 f"{regime.name}-{power.name}: {names[old]} {verb} {names[new]}",
                 CLASS_NAMES[new])

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([e.__dict__ for e in self.events],
                            columns=["step", "date", "kind", "regime", "power", "text", "note"])

    def lines(self, newest_first: bool = False, limit: int | None = None) -> list[str]:
        ev = self.events[::-1] if newest_first else self.events
        return [str(e) for e in (ev[:limit] if limit else ev)]

"""The event log told story-first: key moments pinned on top, repeated deals collapsed.

A run of 40 quarters logs about as many near-identical deals ("market access ... concedes 0.04
M more"). A class needs the turning points: the first offer to each power, a tie changing
class, a leader's change, the essay's facts. :func:`key_moments` picks those;
:func:`collapsed` folds each run of identical deals between the same pair into one line
("12 deals, 2009 Q1-2011 Q4"); :func:`in_words` spells out the unit "M".

No Solara here: the app turns these into HTML and the tests read them directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_M = re.compile(r"(-?\d+(?:\.\d+)?) M\b")
_TRANSFER = re.compile(r"(discounts the terms by|concedes) (\d+(?:\.\d+)?) M")
M_MEANING = ("Deal terms are measured in years of the regime's own military budget: "
             "0.05 means a twentieth of a year's budget.")

KEY_KINDS = ("tie", "leader_change", "removal", "observed", "election", "set")


def budget_words(amount: float) -> str:
    """``0.04`` -> ``0.04 of a year's military budget``; ``1.5`` -> ``1.5 years' ...``."""
    return (f"{amount:g} of a year's military budget" if abs(amount) < 1
            else f"{amount:g} years' military budget")


def in_words(text: str) -> str:
    """The log's text with every "x M" spelled out in words, and without the ``observed:``
    prefix of the essay's facts (their tag says "from the essay")."""
    text = _M.sub(lambda m: budget_words(float(m.group(1))), text)
    return text.removeprefix("observed: ")


def transfer(text: str) -> float | None:
    """The signed transfer of a deal line: positive when the regime concedes more (worse
    terms for it), negative when the power discounts (better terms); None for other lines."""
    m = _TRANSFER.search(text)
    if m is None:
        return None
    value = float(m.group(2))
    return -value if m.group(1).startswith("discounts") else value


@dataclass(frozen=True)
class Line:
    """One line of the told log: the first and last date it covers, a kind, the text."""

    date: str
    kind: str
    text: str
    count: int = 1
    last_date: str = ""


def _offer(ev) -> str:
    """What a deal line is about, without its terms (the part before the colon)."""
    return ev.text.split(":", 1)[0]


def key_moments(events) -> list[Line]:
    """The turning points, oldest first: the first offer from each regime to each power (with
    its answer), every change of tie class, every change of leader or removal, elections, and
    the essay's facts."""
    seen: set[tuple[str, str | None]] = set()
    out = []
    for ev in events:
        if ev.kind in ("deal", "refusal"):
            if (ev.regime, ev.power) in seen:
                continue
            seen.add((ev.regime, ev.power))
            out.append(Line(ev.date, "first offer", in_words(ev.text)))
        elif ev.kind in KEY_KINDS:
            text = in_words(ev.text)
            if ev.note and ev.kind in ("election", "leader_change", "set"):
                text += f" [{ev.note}]"
            out.append(Line(ev.date, ev.kind, text))
    return out


def collapsed(events) -> list[Line]:
    """The whole log, oldest first, with each run of deals between the same regime and power
    folded into one line: "14 deals, 2008 Q1 to 2011 Q3, Nicaragua with Russia: 10 x market
    access for investment and loans (each accepted, Nicaragua conceding 0.03 to 0.04 of a
    year's military budget more); 4 x naval access ...". Any other event of that regime (a
    refusal, a tie changing class, an election, a change of leader) ends its run; the essay's
    facts do not. A folded line stands where its run began."""
    slots: list = []  # a Line, or a list of deal events still to fold
    open_run: dict[str, list] = {}
    for ev in events:
        run = open_run.get(ev.regime)
        if ev.kind == "deal":
            if run and ev.power == run[0].power:
                run.append(ev)
                continue
            open_run[ev.regime] = [ev]
            slots.append(open_run[ev.regime])
            continue
        if ev.kind != "observed":
            open_run.pop(ev.regime, None)
        text = in_words(ev.text)
        if ev.note and ev.kind in ("election", "leader_change", "set"):
            text += f" [{ev.note}]"
        slots.append(Line(ev.date, ev.kind, text))
    out = []
    for slot in slots:
        if isinstance(slot, Line):
            out.append(slot)
        elif len(slot) == 1:
            out.append(Line(slot[0].date, "deal", in_words(slot[0].text)))
        else:
            out.append(Line(slot[0].date, "deals", _group_text(slot), len(slot), slot[-1].date))
    return out


def _group_text(group) -> str:
    regime = group[0].text.split(" offers ", 1)[0]
    power = group[0].text.split(" to ", 1)[1].split(" for ", 1)[0]
    by_offer: dict[str, list] = {}
    for ev in group:
        by_offer.setdefault(_offer(ev), []).append(ev)
    parts = []
    for offer, evs in by_offer.items():
        what = offer.split(" offers ", 1)[1].replace(f" to {power}", "")
        terms = _terms([transfer(e.text) for e in evs], regime, power, len(evs))
        parts.append(f"{len(evs)} x {what} ({terms})")
    return (f"{len(group)} deals, {group[0].date} to {group[-1].date}, {regime} with {power}: "
            + "; ".join(parts))


def _terms(values: list, regime: str, power: str, n: int = 2) -> str:
    values = [v for v in values if v is not None]
    each = "each accepted" if n > 1 else "accepted"
    if not values:
        return each
    lo, hi = min(values), max(values)
    if lo >= 0:
        span = budget_words(lo) if lo == hi else f"{lo:g} to {budget_words(hi)}"
        return f"{each}, {regime} conceding {span} more"
    if hi <= 0:
        span = budget_words(-hi) if lo == hi else f"{-hi:g} to {budget_words(-lo)}"
        return f"{each}, {power} discounting the terms by {span}"
    return (f"{each}, terms from a discount of {budget_words(-lo)} to a concession of "
            f"{budget_words(hi)}")

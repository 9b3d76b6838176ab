"""The app's colours and line styles, chosen to survive colour blindness and a projector.

Based on the Okabe-Ito palette (Okabe and Ito 2008), darkened where a colour would be too
faint on white. Every line also has a second cue besides its colour (a dash pattern and, for
the threat lines, a marker), so no reading depends on hue alone. The great powers' colours
are never reused for tie classes.

Also the arithmetic the tests use to check these promises: the WCAG contrast ratio, a
simulation of deuteranopia and protanopia (Machado, Oliveira and Fernandes 2009, severity
1), and the CIE 1976 colour difference Delta E.
"""

from __future__ import annotations

import math

POWER_COLOURS = {"US": "#0072B2", "RUS": "#D55E00", "CHN": "#9A6B00", "USSR": "#D55E00"}
"""US blue, Russia (and the USSR, its predecessor) vermillion, China dark ochre."""
OTHER_POWER_COLOURS = ("#AA3377", "#332288", "#117733")

CLASS_STYLE = {
    "none": {"colour": "#6B6B6B", "dash": "2 5", "label": "no tie"},
    "partnership": {"colour": "#007A5A", "dash": "10 5", "label": "partnership"},
    "patron_client": {"colour": "#222222", "dash": "", "label": "patron-client"},
}
"""Tie classes: grey dotted, green dashed, black solid (never a power's colour)."""

THREAT_STYLE = {
    "internal": {"colour": "#D55E00", "dash": "", "marker": "circle",
                 "label": "internal threat"},
    "external": {"colour": "#0072B2", "dash": "9 5", "marker": "square",
                 "label": "external threat (after deterrence)"},
    "pressure": {"colour": "#555555", "dash": "2 4", "marker": "",
                 "label": "pressure"},
    "hazard": {"colour": "#222222", "dash": "", "marker": "", "label": "hazard"},
}
"""The threat panel: internal threat solid with circles, external threat dashed with
squares, the hegemon's pressure dotted grey."""

POWER_DASH = ("", "9 5", "2 4", "12 4 2 4")
"""The ties panel's second cue: one dash pattern per power, in the scenario's order."""

LOG_STYLE = {
    "deal": ("#007A5A", "deal"),
    "deals": ("#007A5A", "deals"),
    "refusal": ("#9A6B00", "refused"),
    "tie": ("#222222", "tie"),
    "leader_change": ("#332288", "leader"),
    "removal": ("#332288", "leader"),
    "election": ("#555555", "election"),
    "recession": ("#555555", "economy"),
    "observed": ("#555555", "from the essay"),
}
"""Log lines: a border colour and a word tag, so the kind can be read without colour."""

TEXT = "#222222"
MUTED = "#555555"
BACKGROUND = "#FFFFFF"


def power_colour(pid: str, k: int) -> str:
    return POWER_COLOURS.get(pid, OTHER_POWER_COLOURS[k % len(OTHER_POWER_COLOURS)])


def power_dash(k: int) -> str:
    return POWER_DASH[k % len(POWER_DASH)]


# --- checks -------------------------------------------------------------------------------

def rgb(colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` (or ``rgb(r, g, b)`` as a browser reports it) as three floats in 0-1."""
    c = colour.strip()
    if c.startswith("rgb"):
        parts = c[c.index("(") + 1:c.index(")")].split(",")
        return tuple(int(float(p)) / 255 for p in parts[:3])  # type: ignore[return-value]
    c = c.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return tuple(int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _gamma(v: float) -> float:
    v = min(1.0, max(0.0, v))
    return 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


def luminance(colour: str) -> float:
    r, g, b = (_linear(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str = BACKGROUND) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


_MACHADO = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
}


def simulate(colour: str, kind: str = "deuteranopia") -> str:
    """How ``colour`` looks with ``kind`` colour blindness (Machado et al. 2009, severity 1),
    as ``#rrggbb``."""
    lin = [_linear(v) for v in rgb(colour)]
    out = [_gamma(sum(m * v for m, v in zip(row, lin, strict=True))) for row in _MACHADO[kind]]
    return "#" + "".join(f"{round(255 * v):02x}" for v in out)


def lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    r, g, b = (_linear(v) for v in rgb(colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    """CIE 1976 colour difference (about 2.3 is just noticeable; 20 is plainly different)."""
    return math.dist(lab(a), lab(b))


def distinguishable(a: tuple[str, str], b: tuple[str, str], kind: str = "deuteranopia",
                    min_delta_e: float = 20.0) -> bool:
    """Whether two lines given as (colour, dash) stay apart for a viewer with ``kind``: a
    colour difference of at least ``min_delta_e`` after simulation, or different dashes."""
    return a[1] != b[1] or delta_e(simulate(a[0], kind), simulate(b[0], kind)) >= min_delta_e

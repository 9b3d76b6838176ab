"""Charts for the app as inline SVG text: drawn in a millisecond, crisp at any size.

A projector needs large text and a quarter drawn in well under a third of a second. Matplotlib
re-renders a whole picture per quarter (about 0.3 CPU-s a chart here); these functions build a
few kilobytes of SVG instead, which the browser lays out at the size the panel has. Every
element a test inspects carries a class: ``ob-line-<name>`` on series, ``ob-edge`` on network
edges (with ``data-class``), text as real ``<text>`` so its rendered size can be measured.

Coordinates are in a viewBox of ``width`` x ``height`` units; the panel scales it to fit, so
font sizes are given in those units and chosen so that at the smallest supported panel (a
1280 x 800 screen) they are at least 12 screen pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from .palette import CLASS_STYLE, MUTED, TEXT

WIDTH, HEIGHT = 480, 300
FONT = 17
"""Tick and label size in viewBox units (0.75 scale at the smallest panel: about 13 px)."""
MARGIN = {"left": 62, "right": 14, "top": 12, "bottom": 34}


@dataclass
class Series:
    """One line: its name (CSS class ``ob-line-<name>``), points, colour, dash and marker."""

    name: str
    xs: list[float]
    ys: list[float]
    colour: str
    dash: str = ""
    marker: str = ""
    width: float = 3.0
    label: str = ""
    squares_at: list[int] = field(default_factory=list)
    """Indices of points drawn with a filled square (the ties panel's patron-client quarters)."""


def _f(v: float) -> str:
    return f"{v:.1f}"


def year_ticks(dates: list[str], max_labels: int = 7) -> list[tuple[int, str]]:
    """(step, year) at first quarters, thinned to at most ``max_labels`` labels."""
    years = [(s, d[:4]) for s, d in enumerate(dates) if d.endswith("Q1")]
    every = max(1, -(-len(years) // max_labels))
    return years[::every]


def line_chart(series: list[Series], dates: list[str], y_max: float = 1.0,
               y_label: str = "", y_ticks: list[float] | None = None,
               hlines: list[tuple[float, str, str]] = (), vlines: list[int] = (),
               note: str = "", width: int = WIDTH, height: int = HEIGHT,
               percent: bool = False, css: str = "") -> str:
    """A time-series chart: x is the quarter (labelled by year), y from 0 to ``y_max``.

    ``hlines``: (y, label, dash) reference lines; ``vlines``: steps marked by a dotted line
    (a change of leader); ``note``: grey text in the middle (``press Step or Play``).
    """
    n = max(1, len(dates) - 1)
    left, right = MARGIN["left"], width - MARGIN["right"]
    top, bottom = MARGIN["top"], height - MARGIN["bottom"]

    def x(s: float) -> float:
        return left + (right - left) * s / n

    def y(v: float) -> float:
        v = min(max(v, 0.0), y_max)
        return bottom - (bottom - top) * v / y_max

    out = [f'<svg class="ob-chart {css}" viewBox="0 0 {width} {height}" '
           'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" '
           f'font-family="sans-serif" font-size="{FONT}" fill="{TEXT}">']
    ticks = y_ticks if y_ticks is not None else [y_max * i / 4 for i in range(5)]
    for v in ticks:
        out.append(f'<line x1="{left}" x2="{right}" y1="{_f(y(v))}" y2="{_f(y(v))}" '
                   'stroke="#dddddd" stroke-width="1"/>')
        text = f"{100 * v:g}%" if percent else f"{v:g}"
        out.append(f'<text x="{left - 6}" y="{_f(y(v) + 6)}" text-anchor="end">{text}</text>')
    for s, year in year_ticks(dates):
        out.append(f'<line x1="{_f(x(s))}" x2="{_f(x(s))}" y1="{bottom}" y2="{bottom + 5}" '
                   f'stroke="{TEXT}"/>')
        out.append(f'<text x="{_f(x(s))}" y="{bottom + 24}" text-anchor="middle">{year}</text>')
    out.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{TEXT}"/>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="{TEXT}"/>')
    if y_label:
        out.append(f'<text transform="translate(15,{_f((top + bottom) / 2)}) rotate(-90)" '
                   f'text-anchor="middle" fill="{MUTED}">{escape(y_label)}</text>')
    for v, label, dash in hlines:
        out.append(f'<line x1="{left}" x2="{right}" y1="{_f(y(v))}" y2="{_f(y(v))}" '
                   f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{right - 4}" y="{_f(y(v) - 5)}" text-anchor="end" '
                   f'fill="{MUTED}">{escape(label)}</text>')
    for s in vlines:
        out.append(f'<line class="ob-vline" x1="{_f(x(s))}" x2="{_f(x(s))}" y1="{top}" '
                   f'y2="{bottom}" stroke="{TEXT}" stroke-width="1.5" stroke-dasharray="2 3"/>')
    for ser in series:
        if not ser.xs:
            continue
        pts = " ".join(f"{_f(x(a))},{_f(y(b))}" for a, b in zip(ser.xs, ser.ys, strict=True))
        out.append(f'<polyline class="ob-line ob-line-{ser.name}" points="{pts}" fill="none" '
                   f'stroke="{ser.colour}" stroke-width="{ser.width}" '
                   f'stroke-dasharray="{ser.dash}" stroke-linejoin="round"/>')
        out.extend(_markers(ser, x, y))
    if note:
        out.append(f'<text x="{_f((left + right) / 2)}" y="{_f(top + (bottom - top) / 5)}" '
                   f'text-anchor="middle" fill="{MUTED}">{escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)


def _markers(ser: Series, x, y) -> list[str]:
    out = []
    if ser.marker:
        every = max(1, len(ser.xs) // 10)
        for a, b in list(zip(ser.xs, ser.ys, strict=True))[::every]:
            if ser.marker == "circle":
                out.append(f'<circle cx="{_f(x(a))}" cy="{_f(y(b))}" r="4.5" '
                           f'fill="{ser.colour}"/>')
            else:
                out.append(f'<rect x="{_f(x(a) - 4)}" y="{_f(y(b) - 4)}" width="8" height="8" '
                           f'fill="{ser.colour}"/>')
    for i in ser.squares_at:
        out.append(f'<rect x="{_f(x(ser.xs[i]) - 3)}" y="{_f(y(ser.ys[i]) - 3)}" width="6" '
                   f'height="6" fill="{ser.colour}"/>')
    return out


def swatch(colour: str, dash: str = "", marker: str = "", width: float = 3.0) -> str:
    """A small legend sample of a line, as inline SVG (34 x 14 px)."""
    mark = ""
    if marker == "circle":
        mark = f'<circle cx="17" cy="7" r="4" fill="{colour}"/>'
    elif marker == "square":
        mark = f'<rect x="13" y="3" width="8" height="8" fill="{colour}"/>'
    return (f'<svg width="34" height="14" viewBox="0 0 34 14" style="vertical-align:middle">'
            f'<line x1="1" x2="33" y1="7" y2="7" stroke="{colour}" stroke-width="{width}" '
            f'stroke-dasharray="{dash}"/>{mark}</svg>')


def legend_html(items: list[tuple[str, str, str, str]], css: str = "") -> str:
    """A legend row: (label, colour, dash, marker) per item, in HTML text (never scaled)."""
    cells = "".join(f'<span class="ob-legend-item">{swatch(c, d, m)}&nbsp;{escape(label)}'
                    "</span>" for label, c, d, m in items)
    return f'<div class="ob-legend {css}">{cells}</div>'


@dataclass
class Node:
    key: str
    x: float
    y: float
    label: str
    sub: str = ""
    fill: str = "#ffffff"
    stroke: str = TEXT
    text_fill: str = TEXT
    radius: float = 24


def network(nodes: list[Node], edges: list[tuple[str, str, float, str, str]],
            width: int = WIDTH, height: int = HEIGHT, show_values: bool = True) -> str:
    """Nodes at (x, y) in 0-1 and edges (a, b, tie, class, note). Width = tie strength, colour
    and dash = class (see :data:`CLASS_STYLE`); ``note`` ``barred`` draws a thin dotted line."""
    pos = {n.key: (40 + (width - 80) * n.x, 52 + (height - 132) * (1 - n.y)) for n in nodes}
    out = [f'<svg class="ob-chart ob-net" viewBox="0 0 {width} {height}" '
           'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" '
           f'font-family="sans-serif" font-size="{FONT}" fill="{TEXT}">']
    labels = []
    for a, b, tie, cls, note in edges:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        if note == "barred":
            out.append(f'<line class="ob-edge" data-class="barred" x1="{_f(x0)}" y1="{_f(y0)}" '
                       f'x2="{_f(x1)}" y2="{_f(y1)}" stroke="{MUTED}" stroke-width="1.5" '
                       'stroke-dasharray="1 5"/>')
            mx, my = (x0 + x1) / 2, (y0 + y1) / 2
            labels.append(f'<text x="{_f(mx)}" y="{_f(my)}" text-anchor="middle" '
                          f'fill="{MUTED}" stroke="white" stroke-width="4" '
                          f'paint-order="stroke">barred</text>')
            continue
        st = CLASS_STYLE[cls]
        out.append(f'<line class="ob-edge" data-class="{cls}" x1="{_f(x0)}" y1="{_f(y0)}" '
                   f'x2="{_f(x1)}" y2="{_f(y1)}" stroke="{st["colour"]}" '
                   f'stroke-width="{_f(1.5 + 14 * tie)}" stroke-dasharray="{st["dash"]}" '
                   'stroke-linecap="butt"/>')
        if show_values and tie >= 0.05:
            lx, ly = x0 + 0.6 * (x1 - x0), y0 + 0.6 * (y1 - y0)
            labels.append(f'<text x="{_f(lx)}" y="{_f(ly + 6)}" text-anchor="middle" '
                          'stroke="white" stroke-width="5" paint-order="stroke" '
                          f'font-weight="bold">{tie:.2f}</text>')
    for n in nodes:
        cx, cy = pos[n.key]
        out.append(f'<circle class="ob-node" cx="{_f(cx)}" cy="{_f(cy)}" r="{n.radius}" '
                   f'fill="{n.fill}" stroke="{n.stroke}" stroke-width="3"/>')
        above = n.y > 0.5
        ty = cy - n.radius - 8 if above else cy + n.radius + FONT + 2
        labels.append(f'<text x="{_f(cx)}" y="{_f(ty)}" text-anchor="middle" '
                      f'font-weight="bold" fill="{n.text_fill}">{escape(n.label)}</text>')
        if n.sub:
            labels.append(f'<text x="{_f(cx)}" y="{_f(ty + FONT + 3)}" text-anchor="middle" '
                          f'fill="{MUTED}">{escape(n.sub)}</text>')
    out.extend(labels)
    out.append("</svg>")
    return "".join(out)

"""Small server-side SVG charts for every app: no JavaScript, no dependency, no build step.

`bar_chart()` draws one horizontal bar per label (a KPI by category, zone, …) with an optional
target line; `trend_chart()` draws monthly series as lines or columns. Both return the
`<svg>` element as a SafeString to put in a template, next to a table of the same numbers.

The geometry is computed here; the markup lives in templates/core/charts/*.svg.html, whose
autoescaping keeps labels safe. The SVG scales with its container (viewBox, width 100%),
takes its font from the page (Chinese labels), uses presentation attributes only (no style
attributes, no script: the CSP), writes every value as text (readable in black and white) and
carries role="img", an aria-label, <title> and a <desc> with the figures. See docs/charts.md.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

Number = int | float | Decimal

FONT = 14  # px in the viewBox; scaled with the chart (a phone shows about 0.7 of it)
SMALL = 13
# Okabe–Ito: told apart by people with colour-blindness; series also differ by dash and marker.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 2", "1 2")
BAR_FILL, MISS_FILL, TARGET_STROKE = "#0072B2", "#D55E00", "#212529"


@dataclass(frozen=True)
class Bar:
    """One bar: `value` None means "no data" (a rate without a denominator)."""

    label: str
    value: Number | None
    note: str = ""  # written after the value, e.g. the raw counts "19/20"


@dataclass(frozen=True)
class Series:
    """One line (or one colour of columns) of a trend chart, a value per x label."""

    name: str
    values: Sequence[Number | None]


@dataclass(frozen=True)
class Target:
    """A policy target drawn as a dashed line. `kind` "min": values should reach it
    (timeliness); "max": values should stay under it (rework)."""

    value: Number
    label: str
    kind: Literal["min", "max"] = "min"

    def missed(self, value: Number) -> bool:
        return value < self.value if self.kind == "min" else value > self.value


# --- helpers ------------------------------------------------------------------------------


def text_width(text: str, size: float = FONT) -> float:
    """Estimated rendered width: Chinese (wide) characters are one em, others about 0.6 em."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text) * size


def shorten(text: str, width: float, size: float = FONT) -> str:
    """`text` cut with an ellipsis to fit `width`."""
    if text_width(text, size) <= width + 0.01:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


NICE_STEPS = (1, 2, 2.5, 5, 10)
# Tighter axis ends that `ticks` still divides into round steps: longer bars for amounts
# (53,788 ends at 80,000 rather than 100,000).
FINE_STEPS = (1, 1.25, 2, 2.5, 4, 5, 8, 10)


def nice_ceiling(value: float, steps: Sequence[float] = NICE_STEPS) -> float:
    """The smallest step × 10ⁿ at least `value` (an axis end; `steps` from 1 to 10); 1 for 0."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in steps:
        if value <= step * power + 1e-9:
            return float(step * power)
    return float(10 * power)  # pragma: no cover  (steps end with 10)


def _nice(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step))
    return any(abs(mantissa - m) < 1e-9 for m in (1, 2, 2.5, 5))


def ticks(top: float, *, integer: bool = False) -> list[float]:
    """Axis values from 0 to `top` in 2 to 5 round steps (whole steps for counts)."""
    for count in (4, 5, 2, 1):
        step = top / count
        if (not integer or step == int(step)) and _nice(step):
            return [step * i for i in range(count + 1)]
    return [0.0, top]


def fmt(value: Number | None, decimals: int = 1, unit: str = "") -> str:
    """A value as written on a chart ("95.0%", "12"); "—" for no data. Not localised: the
    same digits as the table beside it."""
    if value is None:
        return "—"
    if isinstance(value, int) or decimals == 0:
        return f"{round(value)}{unit}"
    return f"{Decimal(str(value)):.{decimals}f}{unit}"  # amounts stay exact, not via float


def _n(value: float) -> str:
    """A coordinate for an attribute: short, always with a dot."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _render(template: str, chart: dict[str, Any]) -> SafeString:
    return SafeString(render_to_string(template, {"c": chart}).strip())


def _empty(title: str, message: str | None, width: int) -> SafeString:
    return _render(
        "core/charts/empty.svg.html",
        {"title": title, "width": width, "height": 48, "x": _n(width / 2),
         "message": message or _("No data for this period.")},
    )  # fmt: skip


# --- horizontal bars ----------------------------------------------------------------------

BAR_WIDTH, ROW, GAP, AXIS = 480, 22, 8, 18


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    unit: str = "%",
    decimals: int = 1,
    max_value: Number | None = None,
    target: Target | None = None,
    empty: str | None = None,
) -> SafeString:
    """Horizontal bars from 0: percentages (the default, axis 0–100) or counts (`unit=""`,
    `decimals=0`; axis to a round number above the largest value). The value and the note
    are written after each bar; a bar that misses the target gets another colour."""
    values = [float(b.value) for b in bars if b.value is not None]
    top = float(max_value) if max_value is not None else 0.0
    if not top:
        highest = max([*values, float(target.value) if target else 0.0], default=0.0)
        top = 100.0 if unit == "%" and highest <= 100 else nice_ceiling(highest)
    if not values or (unit != "%" and max(values) <= 0 and max_value is None):
        return _empty(title, empty, BAR_WIDTH)
    label_w = min(max(text_width(b.label) for b in bars), BAR_WIDTH * 0.4) + 8
    texts = [(fmt(b.value, decimals, unit) + (f" {b.note}" if b.note else "")) for b in bars]
    value_w = max(text_width(t, SMALL) for t in texts) + 10
    x0, span = label_w, BAR_WIDTH - label_w - value_w
    head = FONT + 6 if target else 4
    rows: list[dict[str, Any]] = []
    for i, (bar, text) in enumerate(zip(bars, texts, strict=True)):
        y = head + i * (ROW + GAP)
        length = 0.0 if bar.value is None else max(0.0, min(float(bar.value), top)) * span / top
        missed = bar.value is not None and target is not None and target.missed(bar.value)
        short = shorten(bar.label, label_w - 8)
        rows.append({
            "label": bar.label, "short": short, "cut": short != bar.label,
            "y": _n(y), "h": ROW, "w": _n(length), "ty": _n(y + ROW / 2 + FONT * 0.35),
            "vx": _n(x0 + length + 4), "value": text, "missed": missed,
            "fill": MISS_FILL if missed else BAR_FILL,
        })  # fmt: skip
    bottom = head + len(bars) * (ROW + GAP) - GAP
    grid = [
        {"x": _n(x0 + t * span / top), "label": fmt(t, 0 if t == int(t) else 1, unit)}
        for t in ticks(top, integer=decimals == 0)
    ]
    chart: dict[str, Any] = {
        "title": title, "width": BAR_WIDTH, "height": _n(bottom + AXIS + 2), "rows": rows,
        "x0": _n(x0), "lx": _n(x0 - 6), "top": _n(head - 2), "bottom": _n(bottom + 2),
        "axis_y": _n(bottom + AXIS - 2), "grid": grid, "font": FONT, "small": SMALL,
        "desc": "; ".join(f"{b.label}: {t}" for b, t in zip(bars, texts, strict=True)),
        "target_stroke": TARGET_STROKE,
    }  # fmt: skip
    if target is not None:
        tx = x0 + min(float(target.value), top) * span / top
        label = f"{target.label} {fmt(target.value, decimals, unit)}"
        half = text_width(label, SMALL) / 2
        chart["target"] = {"x": _n(tx), "label": label, "y": _n(SMALL),
                           "lx": _n(min(max(tx, half + 1), BAR_WIDTH - half - 1))}  # fmt: skip
        chart["desc"] += f"; {label}"
    return _render("core/charts/bar.svg.html", chart)


# --- monthly trend ------------------------------------------------------------------------

TREND_WIDTH, PLOT_H, LEFT, RIGHT, LEGEND_ROW = 500, 170, 44, 8, 20


@dataclass
class _Legend:
    rows: list[list[dict[str, Any]]] = field(default_factory=list)
    x: float = 0.0


def _marker(shape: int, x: float, y: float, r: float = 3.5) -> str:
    """Path data of marker `shape` (circle, square, triangle, diamond, …) centred at x, y."""
    shape %= 4
    if shape == 0:  # two half-circle arcs
        return f"M{_n(x - r)} {_n(y)}a{r} {r} 0 1 0 {_n(2 * r)} 0a{r} {r} 0 1 0 {_n(-2 * r)} 0z"
    if shape == 1:
        return f"M{_n(x - r)} {_n(y - r)}h{_n(2 * r)}v{_n(2 * r)}h{_n(-2 * r)}z"
    if shape == 2:
        return f"M{_n(x)} {_n(y - r - 1)}L{_n(x + r + 1)} {_n(y + r)}L{_n(x - r - 1)} {_n(y + r)}z"
    top, right, bottom, left = _n(y - r - 1), _n(x + r + 1), _n(y + r + 1), _n(x - r - 1)
    return f"M{_n(x)} {top}L{right} {_n(y)}L{_n(x)} {bottom}L{left} {_n(y)}z"


def _legend(series: Sequence[Series], last: list[str]) -> _Legend:
    legend = _Legend(rows=[[]])
    for i, s in enumerate(series):
        text = f"{s.name} {last[i]}"
        width = 30 + text_width(text, SMALL) + 14
        if legend.x + width > TREND_WIDTH and legend.rows[-1]:
            legend.rows.append([])
            legend.x = 0.0
        y = len(legend.rows) * LEGEND_ROW - 6
        x = legend.x
        legend.rows[-1].append({
            "x1": _n(x), "x2": _n(x + 24), "y": _n(y - 4), "sy": _n(y - 9), "tx": _n(x + 30),
            "text": text,
            "color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)],
            "marker": _marker(i, x + 12, y - 4),
        })  # fmt: skip
        legend.x += width
    return legend


def trend_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    kind: Literal["line", "column"] = "line",
    unit: str = "%",
    decimals: int = 1,
    empty: str | None = None,
) -> SafeString:
    """Monthly (or any ordered) series: lines with markers, or grouped columns with their
    values on top when they fit. A label may hold a newline for a second line (the year).
    The legend shows each series' last value; the numbers belong in a table beside."""
    values = [float(v) for s in series for v in s.values if v is not None]
    if not labels or not values or (unit != "%" and max(values) <= 0):
        return _empty(title, empty, TREND_WIDTH)
    top = 100.0 if unit == "%" and max(values) <= 100 else nice_ceiling(max(values))
    if decimals == 0:
        top = max(top, 1.0)
    last = [fmt(next((v for v in reversed(s.values) if v is not None), None), decimals, unit)
            for s in series]  # fmt: skip
    legend = _legend(series, last)
    y0 = len(legend.rows) * LEGEND_ROW + 8  # top of the plot
    x0, width = LEFT, TREND_WIDTH - LEFT - RIGHT
    band = width / len(labels)

    def ypos(v: float) -> float:
        return y0 + PLOT_H - max(0.0, min(v, top)) * PLOT_H / top

    lines, columns = [], []
    for i, s in enumerate(series):
        color, points = PALETTE[i % len(PALETTE)], []
        segments: list[list[str]] = [[]]
        for j, v in enumerate(s.values[: len(labels)]):
            if v is None:
                segments.append([])
                continue
            cx, cy = x0 + band * (j + 0.5), ypos(float(v))
            segments[-1].append(f"{_n(cx)},{_n(cy)}")
            points.append({"d": _marker(i, cx, cy), "title": f"{s.name} {labels[j]}: "
                           f"{fmt(v, decimals, unit)}".replace("\n", " ")})  # fmt: skip
            if kind == "column":
                col_w = band * 0.8 / len(series)
                cx0 = x0 + band * j + band * 0.1 + i * col_w
                text = fmt(v, decimals, unit)
                columns.append({
                    "x": _n(cx0), "y": _n(cy), "w": _n(col_w - 1), "h": _n(y0 + PLOT_H - cy),
                    "color": color, "title": points[-1]["title"], "tx": _n(cx0 + col_w / 2),
                    "ty": _n(cy - 3), "text": text if text_width(text, 10) <= col_w + 2 else "",
                })  # fmt: skip
        lines.append({"color": color, "dash": DASHES[i % len(DASHES)], "points": points,
                      "segments": [" ".join(seg) for seg in segments if seg]})  # fmt: skip
    xlabels = [{"x": _n(x0 + band * (j + 0.5)), "lines": label.split("\n")}
               for j, label in enumerate(labels)]  # fmt: skip
    grid = [
        {"y": _n(ypos(t)), "ty": _n(ypos(t) + 4), "label": fmt(t, 0 if t == int(t) else 1, unit)}
        for t in ticks(top, integer=decimals == 0)
    ]
    desc = "; ".join(
        f"{s.name}: " + ", ".join(f"{lab} {fmt(v, decimals, unit)}".replace("\n", " ")
                                  for lab, v in zip(labels, s.values, strict=False))
        for s in series
    )  # fmt: skip
    chart = {
        "title": title, "width": TREND_WIDTH, "height": _n(y0 + PLOT_H + 34), "kind": kind,
        "legend": legend.rows, "lines": lines, "columns": columns, "labels": xlabels,
        "grid": grid, "x0": _n(x0), "x1": _n(x0 + width), "y0": _n(y0),
        "base": _n(y0 + PLOT_H), "lab_y": _n(y0 + PLOT_H + 15), "lx": _n(x0 - 6),
        "desc": desc, "font": FONT, "small": SMALL,
    }  # fmt: skip
    return _render("core/charts/trend.svg.html", chart)

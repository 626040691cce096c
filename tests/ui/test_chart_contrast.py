"""Contrast of what every chart draws, checked from the figure's colours (axe-core cannot see
inside Plotly's SVG): WCAG 2.1 AA for chart text (SC 1.4.3: 4.5:1, 3:1 for large text) and
for the marks that carry data (SC 1.4.11: 3:1 against the plot, and a hatch 3:1 against
the fill it is drawn on).

Every figure builder is found by introspection and run on the examples of
test_figure_validity.py (plus the cases below), so a new builder or colour cannot skip
the check. Colours are resolved as Plotly does: an unset text colour inherits the layout
font's, a pattern in Plotly's default fill mode "replace" has no background at all (the
white bars of issue 10), text inside a bar is read against the bar's fill and its hatch.
The arithmetic is tests/contrast.py, written apart from the app's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations, pairwise
from typing import Any

import numpy as np
import pytest

from softmax_ui import figures
from tests.contrast import LARGE_TEXT_PX, as_seen, contrast, delta_e, over, parse
from tests.ui.test_figure_validity import BUILDERS, EXAMPLES, LABELS, P3

MARK_RATIO = 3.0
TEXT_RATIO = 4.5
LARGE_TEXT_RATIO = 3.0
PLOTLY_DEFAULT_TEXT = "#444"
PLOTLY_DEFAULT_SIZE = 12

MORE_EXAMPLES = {
    "probability_bars": [((LABELS, P3), {"reserve_legend": True, "font_size": 24})],
    "jacobian_heatmap": [((LABELS, np.diag(P3) - np.outer(P3, P3)), {"temperature": 0.5})],
    "grouped_bars": [((LABELS, {f"s{i}": P3 for i in range(6)}), {"title": "t", "font_size": 24})],
}


def cases() -> Iterator[Any]:
    for name, examples in EXAMPLES.items():
        for i, (_, args, kwargs) in enumerate(examples):
            yield pytest.param(name, args, kwargs, id=f"{name}-{i}")
    for name, examples in MORE_EXAMPLES.items():
        for i, (args, kwargs) in enumerate(examples):
            yield pytest.param(name, args, kwargs, id=f"{name}-more-{i}")


CASES = list(cases())
RGB = tuple[float, float, float]


def solid(colour: str | None, below: RGB, opacity: float = 1.0) -> RGB:
    """A CSS colour as drawn over ``below`` (``None``: nothing drawn, so ``below``)."""
    if colour is None:
        return below
    r, g, b, a = parse(colour)
    return over((r, g, b, a * opacity), below)


def per_point(value: Any, n: int) -> list:
    """A scalar-or-array attribute as one value per point."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return list(value)
    return [value] * n


def is_large(size: float, text: str) -> bool:
    bold = "<b>" in text
    return size >= LARGE_TEXT_PX or (bold and size >= 18.66)


class Chart:
    """One figure's colours, resolved the way Plotly resolves them."""

    def __init__(self, fig) -> None:
        self.fig = fig.to_plotly_json()
        self.layout = self.fig["layout"]
        font = self.layout.get("font", {})
        self.text = font.get("color", PLOTLY_DEFAULT_TEXT)
        self.size = font.get("size", PLOTLY_DEFAULT_SIZE)
        self.paper = solid(self.layout.get("paper_bgcolor", "#fff"), (255, 255, 255))
        self.plot = solid(self.layout.get("plot_bgcolor", "#fff"), self.paper)
        self.problems: list[str] = []

    def need(self, ratio: float, least: float, what: str) -> None:
        if ratio < least - 1e-9:
            self.problems.append(f"{what}: {ratio:.2f}:1 (needs {least}:1)")

    def text_on(self, where: str, font: dict | None, text: str, *backgrounds: RGB) -> None:
        font = font or {}
        colour = solid(font.get("color", self.text), backgrounds[0])
        size = font.get("size", self.size)
        least = LARGE_TEXT_RATIO if is_large(size, text) else TEXT_RATIO
        for background in backgrounds:
            self.need(contrast(colour, background), least, f"{where} {text!r} at {size} px")

    def mark(self, where: str, colour: str | None, opacity: float = 1.0) -> RGB:
        if colour is None:
            self.problems.append(f"{where}: no colour set (Plotly would choose one)")
            return self.plot
        drawn = solid(colour, self.plot, opacity)
        self.need(contrast(drawn, self.plot), MARK_RATIO, f"{where} {colour} on the plot")
        return drawn

    # --- the parts of a figure ---

    def check_texts(self) -> None:
        layout = self.layout
        title = layout.get("title", {})
        if title.get("text"):
            self.text_on("title", title.get("font"), title["text"], self.paper)
        for name in ("xaxis", "yaxis"):
            axis = layout.get(name, {})
            axis_title = axis.get("title", {})
            if axis_title.get("text"):
                font = {"size": self.size * 1.2} | axis_title.get("font", {})
                self.text_on(f"{name} title", font, axis_title["text"], self.paper)
            self.text_on(f"{name} tick labels", axis.get("tickfont"), "0.5", self.paper)
        legend = layout.get("legend", {})
        legend_bg = solid(legend.get("bgcolor"), self.paper)
        for trace in self.fig["data"]:
            if trace.get("showlegend", True) and layout.get("showlegend", True):
                self.text_on("legend", legend.get("font"), str(trace.get("name")), legend_bg)
        for note in layout.get("annotations", []):
            background = solid(note.get("bgcolor"), self.plot)
            self.text_on("annotation", note.get("font"), note.get("text", ""), background)

    def check_bars(self, trace: dict, index: int) -> list[RGB]:
        """Each bar's fill (and hatch) against the plot; its label against what it is on."""
        n = len(trace.get("y", []))
        marker = trace.get("marker", {})
        colours = per_point(marker.get("color"), n)
        opacity = marker.get("opacity", 1.0)
        pattern = marker.get("pattern", {})
        shapes = per_point(pattern.get("shape", ""), n)
        mode = pattern.get("fillmode", "replace")
        bgs = per_point(pattern.get("bgcolor"), n)
        fgs = per_point(pattern.get("fgcolor"), n)
        texts = per_point(trace.get("text", ""), n)
        position = trace.get("textposition", "auto")
        where = f"trace {index} ({trace.get('name')!r}) bar"
        fills = []
        for i in range(n):
            colour, shape = colours[i], shapes[i]
            if shape:
                if mode == "replace":
                    background, lines = bgs[i], fgs[i] or colour
                else:
                    background, lines = bgs[i] or colour, fgs[i]
                if background is None:
                    self.problems.append(f"{where} {i}: hatched on no fill (pattern bgcolor unset)")
                fill = self.mark(f"{where} {i} fill", background or "rgba(0,0,0,0)", opacity)
                if lines is None:
                    self.problems.append(f"{where} {i}: hatch colour unset")
                    hatch = fill
                else:
                    hatch = solid(lines, fill, pattern.get("fgopacity", 1.0))
                    self.need(contrast(hatch, fill), MARK_RATIO, f"{where} {i} hatch on its fill")
            else:
                fill = self.mark(f"{where} {i} fill", colour, opacity)
                hatch = fill
            fills.append(fill)
            text = texts[i] if i < len(texts) else ""
            if text:
                inside = per_point(position, n)[i] in ("inside", "auto")
                font = trace.get("insidetextfont" if inside else "outsidetextfont")
                font = {**trace.get("textfont", {}), **(font or {})}
                backgrounds = (fill, hatch) if inside else (self.plot,)
                self.text_on(f"{where} {i} label", font, str(text), *backgrounds)
        return fills

    def check_scatter(self, trace: dict, index: int) -> list[RGB]:
        mode = trace.get("mode", "lines+markers")
        where = f"trace {index} ({trace.get('name')!r})"
        drawn = []
        if "lines" in mode:
            drawn.append(self.mark(f"{where} line", trace.get("line", {}).get("color")))
        if "markers" in mode:
            n = len(trace.get("y", [])) or 1
            # Plotly gives markers the line's colour when the trace has a line.
            default = trace.get("line", {}).get("color") if "lines" in mode else None
            marker = trace.get("marker", {})
            colours = per_point(marker.get("color", default), n)
            # Plotly draws bubbles (markers sized per point) at opacity 0.7 unless told.
            bubbles = isinstance(marker.get("size"), (list, tuple, np.ndarray, dict))  # dict: bdata
            opacity = marker.get("opacity", 0.7 if bubbles else 1.0)
            drawn += [self.mark(f"{where} marker", c, opacity) for c in dict.fromkeys(colours)]
        if "text" in mode and trace.get("text") is not None:
            for text in per_point(trace["text"], len(trace.get("y", []))):
                self.text_on(f"{where} point label", trace.get("textfont"), str(text), self.plot)
        return drawn

    def check_heatmap(self, trace: dict) -> None:
        """Cell text against every colour of the scale (cells are not marks: white is 0)."""
        if not trace.get("texttemplate"):
            return
        font = trace.get("textfont", {})
        if font.get("color") in (None, "auto"):
            self.problems.append("heatmap cell text colour left to Plotly")
            return
        stops = trace["colorscale"]
        for t in np.linspace(0, 1, 101):
            for (a, ca), (b, cb) in pairwise(stops):
                if a <= t <= b:
                    u = 0.0 if b == a else (t - a) / (b - a)
                    pa, pb = parse(ca)[:3], parse(cb)[:3]
                    cell = tuple(x + u * (y - x) for x, y in zip(pa, pb, strict=True))
                    self.text_on(f"heatmap cell at {t:.2f}", font, "0.25", cell)  # type: ignore[arg-type]
                    break

    def check_shapes(self) -> None:
        for shape in self.layout.get("shapes", []):
            self.mark("reference line", shape.get("line", {}).get("color"))

    def check(self) -> list[tuple[str, list[RGB], set]]:
        """All checks; returns each bar series' name, fills and hatches (to tell them apart).
        Bar traces of one legend group are one series, drawn alike on purpose (each filter's
        cut classes, one legend entry)."""
        self.check_texts()
        self.check_shapes()
        series: dict[str, tuple[str, list[RGB], set]] = {}
        for i, trace in enumerate(self.fig["data"]):
            kind = trace.get("type")
            if kind == "bar":
                shapes = trace.get("marker", {}).get("pattern", {}).get("shape", "")
                hatches = set(per_point(shapes, len(trace.get("y", []))))
                _name, fills, seen = series.setdefault(
                    trace.get("legendgroup") or f"trace {i}", (str(trace.get("name")), [], set())
                )
                fills += self.check_bars(trace, i)
                seen |= hatches
            elif kind == "scatter":
                self.check_scatter(trace, i)
            elif kind == "heatmap":
                self.check_heatmap(trace)
            else:
                self.problems.append(f"trace {i}: no contrast rule for {kind!r} yet")
        return list(series.values())


def test_every_builder_is_covered():
    assert set(EXAMPLES) == set(BUILDERS)
    assert set(MORE_EXAMPLES) <= set(BUILDERS)


@pytest.mark.parametrize(("name", "args", "kwargs"), CASES)
def test_chart_text_and_marks_have_enough_contrast(name, args, kwargs):
    chart = Chart(BUILDERS[name](*args, **kwargs))
    bars = chart.check()
    # Bar traces are told apart by colour; past the palette's six colours, by hatch too.
    for (a, fills_a, hatch_a), (b, fills_b, hatch_b) in combinations(bars, 2):
        closest = min((delta_e(x, y) for x in fills_a for y in fills_b), default=99)
        if closest < 10 and (len(bars) <= len(figures.SERIES) or hatch_a == hatch_b):
            chart.problems.append(f"bar traces {a!r} and {b!r} look alike (ΔE {closest:.1f})")
    assert not chart.problems, "\n".join(dict.fromkeys(chart.problems))


def test_the_check_catches_white_hatched_bars_and_faint_colours():
    """The comparison chart as it was: hatch in Plotly's default fill mode, white lines."""
    old = figures.figure(
        [
            {
                "type": "bar",
                "x": ["a"],
                "y": [1.0],
                "name": "sigmoid",
                "marker": {"color": "#E69F00", "pattern": {"shape": "/", "fgcolor": "white"}},
            },
            {"type": "bar", "x": ["a"], "y": [1.0], "name": "sky", "marker": {"color": "#56B4E9"}},
        ],
        {"plot_bgcolor": "white", "paper_bgcolor": "white", "font": {"color": "#222"}},
    )
    chart = Chart(old)
    chart.check()
    found = "\n".join(chart.problems)
    assert "hatched on no fill" in found
    assert re.search(r"bar 0 fill rgba\(0,0,0,0\) on the plot: 1\.00:1", found), found
    assert re.search(r"'sky'\) bar 0 fill #56B4E9 on the plot: 2\.31:1", found), found


def test_the_palette_stays_apart_for_colour_blind_viewers():
    """Series colours, and the plain and winning bar, differ for red–green colour-blind
    viewers too (simulated), besides their hatches."""
    groups = {
        "series": figures.SERIES[:5],
        "bars": [figures.BAR, figures.WINNER, figures.INVALID],
    }
    for group, colours in groups.items():
        for deficiency in ("protanopia", "deuteranopia"):
            seen = [as_seen(parse(c)[:3], deficiency) for c in colours]
            for (i, a), (j, b) in combinations(enumerate(seen), 2):
                assert delta_e(a, b) >= 10, (group, deficiency, colours[i], colours[j])

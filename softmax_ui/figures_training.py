"""Figure builders for the training lessons (gradients, calibration): data in, figure out.

Pure functions (no Streamlit, no maths of their own: pages compute with ``softmax_core``).
Styled like :mod:`softmax_ui.figures`: Okabe–Ito colours, and meaning never carried by
colour alone (the target class is hatched and labelled; series differ by dash and marker).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from softmax_core import ReliabilityBins
from softmax_ui.figures import (
    BAR,
    DASHES,
    FEW,
    GLYPH_EM,
    LINE_EM,
    MARK,
    OKABE_ITO,
    PHONE_CHART_PX,
    SERIES,
    SYMBOLS,
    TEXT,
    TITLE_STANDOFF_PX,
    WINNER,
    bar_note,
    bar_number,
    category_names,
    chart_layout,
    figure,
    hatch,
    note_size,
    plot_height,
    range_with_labels,
)
from softmax_ui.i18n import _
from softmax_ui.text import fixed, ordered, plot_text, prose_number

# Diverging sky–white–orange (Okabe–Ito ends): readable for colour-blind viewers, and every
# cell also carries its number as text, in one dark colour that has at least 6.9:1 contrast
# with every colour of the scale (the light Okabe–Ito ends are kept for that).
NARROW_CELLS = 6
"""On a phone, the most classes whose Jacobian cells are written (see :func:`jacobian_heatmap`)."""
WIDE_CELLS = 6
"""On a laptop or a projector, the most classes whose Jacobian cells are written: with 7 to
10 long class names beside the matrix, "-0.0011-0.00067" ran together (a tour's
screenshots); with more, the cells are coloured only (the hover and the colour bar give the
values)."""
NARROW_MATRIX = 0.72
"""The share of a phone's chart the Jacobian's matrix is planned to take (its names, axis
title and margins the rest): at least 0.6 when drawn."""
DIVERGING = [[0.0, OKABE_ITO["sky"]], [0.5, "#ffffff"], [1.0, OKABE_ITO["orange"]]]


def gradient_title(temperature: float) -> str:
    """The title of :func:`gradient_bars`: the gradient of the loss in z, which at T ≠ 1 is
    divided by T.

    >>> gradient_title(1.0), gradient_title(0.5)
    ('Gradient of the loss: p − y', 'Gradient of the loss: (p − y) / T')
    """
    if temperature == 1:
        return _("Gradient of the loss: p − y")
    return _("Gradient of the loss: (p − y) / T")


def gradient_bars(
    labels: Sequence[str],
    gradient: Sequence[float] | np.ndarray,
    *,
    target: int,
    title: str | None = None,
    font_size: int = 16,
) -> go.Figure:
    """Bars of the gradient per class; the target's (negative) bar is hatched and named.

    Gradient descent moves each logit *against* its bar: the target's logit goes up,
    every other logit goes down.
    """
    title = _("Gradient of the loss: p − y") if title is None else title
    g = np.asarray(gradient, dtype=np.float64)
    is_target = [i == target for i in range(len(g))]
    # Wide bars (few classes): the mark is part of the bar's label, under its number. Narrow
    # bars: "◆" and the word are notes of their own under the number, as the winner's marks
    # of probability_bars are: in the label, the word made it too wide for its bar, and
    # Plotly hid the one label the chart is about (found by a student tour).
    word = _("target")
    narrow = len(g) > FEW
    mark = "" if narrow else f"<br>◆ {word}"
    lines = 3 if narrow else 2
    colours = [MARK["vermillion"] if t else BAR for t in is_target]
    bars = {
        "type": "bar",
        "x": category_names(labels),
        "y": g,
        "name": _("gradient"),
        "marker": {
            "color": colours,
            "pattern": hatch(colours, ["x" if t else "" for t in is_target]),
            "line": {"color": "#333", "width": 1},
        },
        "text": [
            bar_number(v, 3, len(g)) + (mark if t else "")
            for v, t in zip(g, is_target, strict=True)
        ],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [repr(float(v)) for v in g],
        "hovertemplate": _("%{x}<br>gradient = %{customdata}") + "<extra></extra>",
    }
    # Symmetric about 0, at least ±1, with room for the labels: outside the bars, above a
    # positive bar and below a negative one (the target's, two lines), clear of the class
    # names under the plot.
    bound = max(1.0, float(np.abs(g[np.isfinite(g)]).max(initial=0.0)))
    layout = chart_layout(
        title=title,
        x_title=_("class"),
        categories=labels,
        y_title=_("∂ loss / ∂ logit"),
        font_size=font_size,
        yaxis={
            "range": range_with_labels(
                -bound, bound, above=lines, below=lines, font_size=font_size
            ),
            "zerolinewidth": 2,
        },
        showlegend=False,
    )
    if narrow and 0 <= target < len(g) and np.isfinite(g[target]):
        layout["annotations"] = target_notes(target, float(g[target]), word, font_size)
    return figure([bars], layout)


def target_notes(target: int, value: float, word: str, font_size: int) -> list[dict]:
    """The notes that mark a narrow bar ``target`` under its number (the bar is negative, its
    number under its end): "◆", then ``word``. Notes are never shrunk or hidden.

    >>> [(n["text"], n["yshift"]) for n in target_notes(2, -0.8, "target", 16)]
    [('◆', -21), ('target', -39)]
    """
    size = note_size(font_size)
    under_number = round(1.3 * font_size)
    line = round(1.5 * size)
    return [
        bar_note(target, value, "◆", -under_number, size),
        bar_note(target, value, word, -(under_number + line), size),
    ]


def jacobian_title(temperature: float) -> str:
    """The Jacobian chart's title: the formula of what its cells hold, ∂pᵢ/∂zⱼ of
    p = softmax(z/T), which the chain rule divides by T.

    >>> jacobian_title(1.0)
    'Softmax Jacobian ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ)'
    >>> jacobian_title(0.5)
    'Softmax Jacobian ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ) / T, T = 0.5'
    """
    formula = "∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ)"
    if temperature != 1:
        formula = f"{formula} / T, T = {prose_number(temperature)}"
    return _("Softmax Jacobian {formula}").format(formula=formula)


def names_fit_a_phone(labels: Sequence[str], font_size: int) -> bool:
    """Whether the Jacobian's class names fit a phone flat (cautious estimate): each under its
    column of the matrix, and so beside its row as well.

    >>> names_fit_a_phone(["dog", "cat", "bird"], 16), names_fit_a_phone(["0", "1"] * 6, 16)
    (True, True)
    >>> names_fit_a_phone(["Golden Retriever", "Hummingbird", "Komodo dragon"], 16)
    False
    """
    if not labels:
        return True
    column = PHONE_CHART_PX * NARROW_MATRIX / len(labels)
    return max(len(label) for label in labels) * GLYPH_EM * font_size <= column


def key_lines(labels: Sequence[str], size: int) -> list[str]:
    """The key of numbered classes ("1 dog · 2 cat"), in lines that fit a phone's chart
    (cautious estimate), a class never broken across two lines; labels escaped.

    >>> key_lines(["dog", "cat", "bird"], 14)
    ['1 dog · 2 cat · 3 bird']
    >>> key_lines(["Golden Retriever", "Great White Shark", "Hummingbird"], 14)
    ['1 Golden Retriever', '2 Great White Shark · 3 Hummingbird']
    """
    room = (PHONE_CHART_PX - 8) // (GLYPH_EM * size)
    lines: list[list[str]] = []  # each line's entries, as typed
    for entry in (f"{i + 1} {label}" for i, label in enumerate(labels)):
        if lines and len(" · ".join([*lines[-1], entry])) <= room:
            lines[-1].append(entry)
        else:
            lines.append([entry])
    return [" · ".join(plot_text(entry) for entry in line) for line in lines]


def jacobian_heatmap(
    labels: Sequence[str],
    jacobian: Sequence[Sequence[float]] | np.ndarray,
    *,
    temperature: float = 1.0,
    title: str | None = None,
    font_size: int = 16,
    narrow: bool = False,
) -> go.Figure:
    """The K×K Jacobian ∂pᵢ/∂zⱼ of p = softmax(z / ``temperature``) as a heatmap, with its
    values written in the cells up to :data:`WIDE_CELLS` classes (coloured only beyond).

    Row i is output pᵢ, column j is input zⱼ. The colour scale is centred on 0
    (positive diagonal, negative elsewhere). The title (by default) is the formula of
    what the cells hold, pᵢ(δᵢⱼ − pⱼ) divided by T (:func:`jacobian_title`), so the page
    must pass the T its matrix was computed at.

    ``narrow`` (a phone): cells of 40-50 px could not hold "-8,5e-05" and "-0,0046", which
    ran into each other. There the matrix is printed as a matrix is, every cell to the
    same decimal places (3 significant digits for the largest), up to
    :data:`NARROW_CELLS` classes, and the written numbers stand for the colour bar, whose
    width goes to the cells; with more classes the cells are coloured only, and the colour
    bar lies under the matrix, not beside it. Names that do not fit flat under their columns
    (:func:`names_fit_a_phone`) are replaced by the classes' numbers, 1 to K, on both axes,
    and a key under the chart names each number's class (:func:`key_lines`; the hover too):
    eight long names and the colour bar beside the matrix left it 76 px of a 328 px chart,
    cells of 10 px, every other column unnamed, and the axis title over the names (a
    student tour at 360 px).

    >>> j = [[0.1, -0.0046, -8.5e-05], [-0.0046, 0.04, -0.00069], [-8.5e-05, -0.00069, 0.001]]
    >>> list(jacobian_heatmap(["a", "b", "c"], j, narrow=True).data[0].text[0])
    ['0.100', '-0.005', '0.000']
    >>> list(jacobian_heatmap(["a", "b", "c"], j).data[0].text[0])
    ['0.1', '-0.0046', '-8.5e-05']
    """
    j = np.asarray(jacobian, dtype=np.float64)
    names = category_names(labels)
    keyed = narrow and not names_fit_a_phone(labels, font_size)
    ticks = [str(i + 1) for i in range(len(j))] if keyed else names
    span = float(np.abs(j).max(initial=0.0)) or 1.0
    if narrow:
        places = max(0, 2 - math.floor(math.log10(span)))
        text = [[fixed(v, places) for v in row] for row in j]
        written = len(j) <= NARROW_CELLS
    else:
        text = [[prose_number(v, 2) for v in row] for row in j]
        written = len(j) <= WIDE_CELLS
    heatmap = {
        "type": "heatmap",
        "z": j,
        "x": ticks,
        "y": ticks,
        "zmin": -span,
        "zmax": span,
        "colorscale": DIVERGING,
        "text": text,
        "texttemplate": "%{text}" if written else "",
        "textfont": {"size": max(10, font_size - 4 - max(0, len(j) - 5)), "color": TEXT},
        "hovertemplate": "∂p(%{y}) / ∂z(%{x}) = %{z:.4g}<extra></extra>",
        "showscale": not (narrow and written),
        "colorbar": {"title": {"text": _("value")}, "thickness": 14},
        "xgap": 1,
        "ygap": 1,
    }
    if keyed:  # the hover names the classes the numbers stand for
        heatmap["customdata"] = [[f"∂p({a}) / ∂z({b})" for b in names] for a in names]
        heatmap["hovertemplate"] = "%{customdata} = %{z:.4g}<extra></extra>"
    layout = chart_layout(
        title=jacobian_title(temperature) if title is None else title,
        x_title=_("input: logit zⱼ"),
        categories=ticks,
        y_title=_("output: probability pᵢ"),
        font_size=font_size,
        narrow=narrow,
        # the names are measured: beside the y axis's names (and the colour bar) the cells
        # are narrower than a bar chart's bands, and rotated names ran into the axis title
        xaxis={"automargin": True},
        # the axis title clear of the names (it touched them, 2 px away)
        yaxis={
            "type": "category",
            "autorange": "reversed",
            "showgrid": False,
            "title": {"standoff": TITLE_STANDOFF_PX},
        },
        height=max(320 + 6 * font_size, 40 * len(j) + 200),
    )
    if narrow:
        _narrow_frame(layout, heatmap, labels if keyed else [], font_size)
    return figure([heatmap], layout)


def _narrow_frame(layout: dict, heatmap: dict, keyed: Sequence[str], font_size: int) -> None:
    """A phone's Jacobian (see :func:`jacobian_heatmap`): the matrix gets the chart's width
    but the margins of its names and axis title; under it, its axis title, the colour bar
    (when shown) and the key of numbered classes (``keyed``: the classes' labels, if the
    axes show their numbers). Every part has its own band of the bottom margin, so none
    meets another."""
    margin = layout["margin"]
    plot = max(plot_height(font_size), 28 * len(heatmap["z"]))
    # the numbers or names, flat, with their tick marks, and the axis title under them (it
    # reached 73 px under the matrix, past a bar chart's margin of 60)
    below = margin["b"] + round(LINE_EM * font_size)
    if keyed:
        margin["l"] = round(3.5 * font_size)  # the numbers, the axis title (grown if need be)
    if heatmap["showscale"]:
        # a colour bar along the matrix: its title, the bar, its numbers (67 px drawn at 16 px)
        bar = round(2 * LINE_EM * font_size + 12 + 20)
        heatmap["colorbar"] |= {
            "orientation": "h",
            "thickness": 12,
            "len": 1,
            "x": 0.5,
            "xanchor": "center",
            "y": -(below + 4) / plot,
            "yanchor": "top",
            "title": {"text": _("value"), "side": "top"},
        }
        below += bar
    if keyed:
        size = max(12, font_size - 2)
        lines = key_lines(keyed, size)
        layout["annotations"] = [
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "top",
                "xshift": 4 - margin["l"],
                "yshift": -below - 4,
                "align": "left",
                "showarrow": False,
                "text": "<br>".join(lines),
                "font": {"size": size},
            }
        ]
        below += round(len(lines) * LINE_EM * size + 10)
    margin["b"] = below
    layout["height"] = margin["t"] + plot + below


def loss_history(
    losses: Sequence[float] | np.ndarray,
    *,
    title: str | None = None,
    font_size: int = 16,
    narrow: bool = False,
) -> go.Figure:
    """Loss per step (step 0 is before the first step), each point labelled with its loss
    up to 12 steps, with a line of room above the highest label.

    ``narrow`` (a phone): 12 labels side by side overprinted each other and the last was
    cut at the chart's right edge, so only the first and the last point are labelled, the
    last to its left (under the line when the loss fell to it). Elsewhere the right margin
    has room for the last label.

    >>> [t or "" for t in loss_history([0.42, 0.33, 0.28, 0.23]).data[0].text]
    ['0.42', '0.33', '0.28', '0.23']
    >>> fig = loss_history([0.42, 0.33, 0.28, 0.23], narrow=True)
    >>> fig.data[0].text, fig.data[0].textposition
    (('0.42', '', '', '0.23'), ('top right', 'top right', 'top right', 'bottom left'))
    """
    title = _("Cross-entropy loss after each gradient step") if title is None else title
    y = np.asarray(losses, dtype=np.float64)
    line = {
        "type": "scatter",
        "x": np.arange(len(y)),
        "y": y,
        "name": _("loss"),
        "mode": "lines+markers+text",
        "line": {"color": WINNER, "width": 3},
        "marker": {"symbol": "circle", "size": 9},
        "textposition": "top right",
        "cliponaxis": False,
        "hovertemplate": _("step %{x}<br>loss = %{y:.5g}") + "<extra></extra>",
    }

    def labels(values: np.ndarray) -> list[str]:
        # as many digits as it takes for unequal losses to read unequal (two steps that
        # both read "0.000453" looked as if the loss had stopped)
        # and every digit of a whole part ("2000", not "2e+03")
        big = float(np.abs(values[np.isfinite(values)]).max(initial=0.0))
        whole = int(math.log10(big)) + 1 if big >= 1 else 0
        digits = min(max(3, whole), 8)
        if np.isfinite(values).all():
            return list(ordered(*values, digits=digits))
        return [prose_number(v, digits) for v in values]

    if len(y) <= 12:
        line["text"] = labels(y)
    # On a phone the last label goes to its point's left, over the points before it where
    # the loss rose to it and under them where it fell ("0,109" over the markers of steps
    # 8 and 9, in French; a student tour), with a line of room under 0 for it if needed.
    under = False
    if narrow and len(y) > 1:
        first, last = labels(y[[0, -1]])
        under = bool(y[-2] > y[-1])
        line["text"] = [first, *[""] * (len(y) - 2), last]
        line["textposition"] = ["top right"] * (len(y) - 1) + [
            "bottom left" if under else "top left"
        ]
    xaxis = {"type": "linear", "rangemode": "tozero"}
    if len(y) <= 20:
        xaxis["dtick"] = 1
    top = float(y.max(initial=0.0)) if np.isfinite(y).all() else None
    yaxis: dict = {"rangemode": "tozero"}  # plain numbers (chart_layout): not "400μ"
    if top is not None and top > 0:
        low, high = range_with_labels(0.0, top, above=1, below=0, font_size=font_size, pad=5)
        yaxis["range"] = [low, high]
        # a line of room under 0 when the last label, under its point, would reach there
        room = (LINE_EM * font_size + 8) / plot_height(font_size)  # a line of text
        if under and (y[-1] - low) / (high - low) < room:
            yaxis["range"] = range_with_labels(
                0.0, top, above=1, below=1, font_size=font_size, pad=5
            )
    layout = chart_layout(
        title=title,
        x_title=_("step"),
        y_title=_("loss −log p(target)"),
        font_size=font_size,
        xaxis=xaxis,
        yaxis=yaxis,
        showlegend=False,
    )
    if "text" in line and not narrow:  # the last label, to its point's right, in the margin
        layout["margin"]["r"] = max(layout["margin"]["r"], round(3.2 * font_size))
    return figure([line], layout)


def derivative_curves(
    x: Sequence[float] | np.ndarray,
    curves: Mapping[str, Sequence[float] | np.ndarray],
    *,
    steps: Collection[str] = (),
    marks: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
    mark_names: Sequence[str] = (),
    title: str | None = None,
    font_size: int = 16,
) -> go.Figure:
    """Curves f'(x) over the evenly spaced grid ``x``, and the current logits marked on each.

    ``curves`` maps a name to its values on ``x``. A curve named in ``steps`` is a step
    function (ReLU′): its line jumps straight up or down at the grid point after which it
    changes value (Plotly's line shape "vh"), so ReLU′ jumps exactly at 0 when 0 is on the
    grid, instead of a slope across one grid step. The grid is sent as its start and step
    (``x0``, ``dx``), not as one array per curve, and the curves as float32 (4 bytes a
    number, 7 digits). ``marks`` maps a curve's name to the (x, y) points to mark (float64),
    named by ``mark_names`` (class labels: escaped, as Plotly draws HTML in hover text).
    Traces: the curves in order, then one marker trace per curve
    that has marks.
    """
    title = _("Derivatives of hidden-layer activations") if title is None else title
    xs = np.asarray(x, dtype=np.float64)
    dx = float(xs[-1] - xs[0]) / (len(xs) - 1) if len(xs) > 1 else 1.0
    if not np.allclose(np.diff(xs), dx, rtol=1e-9, atol=0):
        raise ValueError("derivative_curves needs an evenly spaced x grid")
    lines = [
        {
            "type": "scatter",
            "x0": float(xs[0]),
            "dx": dx,
            "y": np.asarray(values, dtype=np.float64).astype(np.float32),
            "name": name,
            "mode": "lines",
            "line": {
                "color": SERIES[i % len(SERIES)],
                "dash": DASHES[i % len(DASHES)],
                "width": 3,
                "shape": "vh" if name in steps else "linear",
            },
            "hovertemplate": f"{name}<br>x = %{{x:.3g}}<br>%{{y:.4f}}<extra></extra>",
        }
        for i, (name, values) in enumerate(curves.items())
    ]
    points = []
    for i, name in enumerate(curves):
        if not marks or name not in marks:
            continue
        mx, my = (np.asarray(v, dtype=np.float64) for v in marks[name])
        points.append(
            {
                "type": "scatter",
                "x": mx,
                "y": my,
                "name": _("{curve} at your logits").format(curve=name),
                "mode": "markers",
                "marker": {
                    "symbol": SYMBOLS[i % len(SYMBOLS)],
                    "size": 13,
                    "color": SERIES[i % len(SERIES)],
                    "line": {"color": "#333", "width": 1.5},
                },
                "customdata": [plot_text(label) for label in list(mark_names)[: len(mx)]],
                "hovertemplate": "%{customdata}: z = %{x:.4g}<br>%{y:.4f}<extra></extra>",
            }
        )
    layout = chart_layout(
        title=title,
        x_title=_("input x (a logit)"),
        y_title=_("derivative"),
        font_size=font_size,
        legend=[*(t["name"] for t in lines), *(t["name"] for t in points)],
        xaxis={"type": "linear", "range": [float(xs.min()), float(xs.max())], "showgrid": True},
        yaxis={"range": [-0.1, 1.15]},
    )
    return figure([*lines, *points], layout)


def before_and_after(
    before: ReliabilityBins, after: ReliabilityBins, temperature: str
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The Calibration lesson's two curves for :func:`reliability_diagram`, named for the
    reader: the bins before scaling, and after dividing by ``temperature`` (as the page
    spells it)."""
    return {
        _("before: softmax(z)"): (before.confidence, before.accuracy, before.counts),
        _("after: softmax(z / {t})").format(t=temperature): (
            after.confidence,
            after.accuracy,
            after.counts,
        ),
    }


def reliability_diagram(
    curves: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    *,
    title: str | None = None,
    font_size: int = 16,
) -> go.Figure:
    """Accuracy per confidence bin, one marker series per model, with the diagonal y = x.

    ``curves`` maps a name (e.g. "before", "after temperature scaling") to
    ``(confidence, accuracy, counts)`` per bin; empty bins (count 0) are left out.
    A marker's area grows with its bin's count, so a bin of 3 predictions does not
    look as weighty as one of 600. Points below the diagonal are overconfident.
    Traces: the diagonal, then one per curve in order (differing in symbol too).
    """
    title = _("Reliability diagram: accuracy against confidence") if title is None else title
    diagonal = {
        "type": "scatter",
        "x": [0, 1],
        "y": [0, 1],
        "name": _("calibrated: accuracy = confidence"),
        "mode": "lines",
        "line": {"color": "#333", "dash": "dot", "width": 2},
        "hoverinfo": "skip",
    }
    colours = [MARK["vermillion"], MARK["blue"], MARK["green"]]
    models = []
    for i, (name, (conf, acc, counts)) in enumerate(curves.items()):
        c = np.asarray(conf, dtype=np.float64)
        a = np.asarray(acc, dtype=np.float64)
        n = np.asarray(counts, dtype=np.int64)
        used = n > 0
        size = 8 + 14 * np.sqrt(n[used] / max(1, int(n.max(initial=1))))
        models.append(
            {
                "type": "scatter",
                "x": c[used],
                "y": a[used],
                "name": name,
                "mode": "markers",
                "marker": {
                    "symbol": SYMBOLS[i % len(SYMBOLS)],
                    "size": size,
                    "color": colours[i % 3],
                    # Opaque: Plotly draws markers sized per point at 0.7, too faint (< 3:1).
                    "opacity": 1,
                    "line": {"color": "#333", "width": 1},
                },
                # a bin at accuracy 1 (or confidence 1) sits on the plot's edge: its marker is
                # drawn whole, not cut in half by the plot area
                "cliponaxis": False,
                "customdata": n[used],
                "hovertemplate": name
                + _("<br>confidence %{x:.3f}<br>accuracy %{y:.3f}<br>%{customdata} predictions")
                + "<extra></extra>",
            }
        )
    layout = chart_layout(
        title=title,
        x_title=_("confidence (max p)"),
        y_title=_("accuracy"),
        font_size=font_size,
        # Both from a little under 0, so the two "0" tick labels do not meet in the corner.
        # Labels every 0.2 (every 0.1 they touch on a phone), a grid line every 0.1 (a bin).
        xaxis={
            "type": "linear",
            "range": [-0.04, 1.02],
            "dtick": 0.2,
            "showgrid": True,
            "gridcolor": "#eee",
            "minor": {"dtick": 0.1, "showgrid": True, "gridcolor": "#eee"},
        },
        # the same on y: eleven labels drawn over one another on a short plot (a phone
        # held sideways)
        yaxis={
            "range": [-0.04, 1.02],
            "dtick": 0.2,
            "minor": {"dtick": 0.1, "showgrid": True, "gridcolor": "#eee"},
        },
        legend=[diagonal["name"], *(t["name"] for t in models)],
    )
    return figure([diagonal, *models], layout)

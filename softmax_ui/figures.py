"""Figure builders: data in, ``plotly.graph_objects.Figure`` out.

Pure functions (no Streamlit), so they are tested on their own. Colours come from
the Okabe–Ito palette, which stays distinguishable for colour-blind viewers, and
meaning is never carried by colour alone: the winning class is also hatched and
labelled, and invalid values are labelled in words.

Each builder writes its traces and its layout as plain plotly-JSON dicts (``chart_layout`` for
the shared style, ``rule`` for labelled reference lines) and makes the figure once, with
:func:`figure`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from softmax_ui.text import num, plot_text

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
BAR = OKABE_ITO["sky"]
WINNER = OKABE_ITO["blue"]
INVALID = "#999999"
SERIES = [OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]
PATTERNS = ["", "/", ".", "x", "-", "+"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon"]


def figure(data: list[dict], layout: dict) -> go.Figure:
    """The one place a figure is made: plain plotly-JSON dicts in, one Figure out.

    Plotly's per-property validation is skipped here (``_validate=False``): it is most of
    the cost of building a chart on every rerun, and the JSON is the same without it up to
    key order (docs/benchmarks.md). tests/ui/test_figure_validity.py re-validates every
    builder's output with plotly's full validation instead. The dicts and arrays are stored
    as given, not copied, so a builder makes fresh dicts on every call.
    """
    return go.Figure(data=data, layout=layout, _validate=False)


def _merge(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, nested dictionaries merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        nested = isinstance(value, dict) and isinstance(old, dict)
        out[key] = _merge(old, value) if nested else value
    return out


# Width the x tick labels may take, flat, before the chart could need them rotated: a
# conservative plot width for a half-page column on a 1280 px laptop screen.
FLAT_LABELS_PX = 400


def _labels_fit_flat(categories: Sequence[str], font_size: int) -> bool:
    """Whether the class names surely fit side by side under the chart (a cautious estimate:
    0.62 em per character plus a gap per class)."""
    chars = sum(len(c) for c in categories)
    return 0.62 * font_size * chars + 14 * len(categories) <= FLAT_LABELS_PX


def chart_layout(
    *,
    title: str,
    x_title: str,
    y_title: str,
    font_size: int,
    categories: Sequence[str] = (),
    **extra,
) -> dict:
    """The shared layout as a fresh dict, ``extra`` merged in (``yaxis={"range": ...}``
    adds to the y axis, ``showlegend=True`` sets one key).

    ``categories`` are the x axis's class names, if it has them. The x axis measures its tick
    labels to grow the bottom margin (``automargin``) only when long names might be rotated:
    that measuring costs the browser time per chart on every redraw (docs/benchmarks.md).
    Numbers and short names get a bottom margin sized from the font instead.
    """
    measure = not _labels_fit_flat(categories, font_size)
    return _merge(
        {
            # What plotly makes of template="none" (an empty template; the bare string
            # "none" would be sent as is without validation).
            "template": {"data": {"scatter": [{"type": "scatter"}]}},
            "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": font_size + 4}},
            "font": {"size": font_size, "family": "sans-serif", "color": "#222"},
            "margin": {"l": 70, "r": 20, "t": 60, "b": max(60, 3 * font_size + 10)},
            "height": 320 + 6 * font_size,
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "legend": {"orientation": "h", "y": -0.25, "x": 0},
            "hoverlabel": {"font": {"size": font_size}},
            "bargap": 0.25,
            "xaxis": {
                "title": {"text": x_title},
                "type": "category",
                "showgrid": False,
                "automargin": measure,
            },
            "yaxis": {
                "title": {"text": y_title},
                "gridcolor": "#ddd",
                "zerolinecolor": "#888",
                "automargin": True,
            },
        },
        extra,
    )


def rule(
    layout: dict,
    axis: str,
    at: float,
    *,
    line: dict,
    text: str,
    position: str,
    font: dict | None = None,
) -> None:
    """Add to ``layout`` what ``fig.add_hline`` (axis "y") or ``fig.add_vline`` (axis "x")
    draws, with a label: the same shape and annotation JSON, without their validation."""
    vertical, horizontal = position.split()
    if axis == "y":
        shape = {"type": "line", "line": line, "xref": "x domain", "x0": 0, "x1": 1}
        shape |= {"yref": "y", "y0": at, "y1": at}
        note = {"xref": "x domain", "x": 0 if horizontal == "left" else 1, "xanchor": horizontal}
        note |= {"yref": "y", "y": at, "yanchor": "bottom" if vertical == "top" else "top"}
    else:
        shape = {"type": "line", "line": line, "xref": "x", "x0": at, "x1": at}
        shape |= {"yref": "y domain", "y0": 0, "y1": 1}
        note = {"xref": "x", "x": at, "xanchor": "left" if horizontal == "right" else "right"}
        note |= {"yref": "y domain", "y": 1 if vertical == "top" else 0, "yanchor": vertical}
    note |= {"showarrow": False, "text": text}
    if font:
        note["font"] = font
    layout.setdefault("shapes", []).append(shape)
    layout.setdefault("annotations", []).append(note)


def category_names(labels: Sequence[str]) -> list[str]:
    """Class labels as axis categories, escaped (Plotly renders a subset of HTML in labels)."""
    return [plot_text(label) for label in labels]


def _invalid_text(value: float) -> str:
    if np.isnan(value):
        return "NaN"
    return "+inf" if value > 0 else "-inf"


def probability_bars(
    labels: Sequence[str],
    probs: Sequence[float] | np.ndarray,
    *,
    title: str = "Softmax probabilities",
    name: str = "probability",
    highlight_argmax: bool = True,
    font_size: int = 16,
) -> go.Figure:
    """Bar chart of a probability vector on a fixed [0, 1] axis.

    The most probable class is drawn darker, hatched and marked "▲ max" so it is
    found without colour. Non-finite entries (the naive formula's NaN and inf)
    keep their IEEE value in the main trace and get a full-height grey, cross-
    hatched bar labelled ``NaN`` or ``+inf`` in a second trace, so a broken value
    is never just a missing bar.
    """
    p = np.asarray(probs, dtype=np.float64)
    x = category_names(labels)
    finite = np.isfinite(p)
    winner = int(np.argmax(np.where(finite, p, -np.inf))) if finite.any() else -1
    is_winner = [highlight_argmax and i == winner for i in range(len(p))]
    text = [
        (num(v, 3) + ("<br>▲ max" if w else "")) if f else ""
        for v, f, w in zip(p, finite, is_winner, strict=True)
    ]
    bars = [
        {
            "type": "bar",
            "x": x,
            "y": p,
            "name": name,
            "marker": {
                "color": [WINNER if w else BAR for w in is_winner],
                "pattern": {"shape": ["/" if w else "" for w in is_winner], "fgcolor": "white"},
                "line": {"color": "#333", "width": 1},
            },
            "text": text,
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [repr(float(v)) for v in p],
            "hovertemplate": "%{x}<br>p = %{customdata}<extra></extra>",
        }
    ]
    if finite.all():
        legend = {"showlegend": False}
    else:
        bad = np.flatnonzero(~finite)
        bars.append(
            {
                "type": "bar",
                "x": [x[i] for i in bad],
                "y": [1.0] * len(bad),
                "name": "not a number (IEEE NaN / inf)",
                "marker": {
                    "color": INVALID,
                    "opacity": 0.55,
                    "pattern": {"shape": "x", "fgcolor": "#333"},
                    "line": {"color": "#333", "width": 2},
                },
                "text": [f"<b>{_invalid_text(p[i])}</b>" for i in bad],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"size": font_size + 6, "color": "black"},
                "hovertemplate": "%{x}: the formula returned " + "%{text}<extra></extra>",
            }
        )
        legend = {"barmode": "overlay", "showlegend": True}
    layout = chart_layout(
        title=title,
        x_title="class",
        categories=labels,
        y_title="probability",
        font_size=font_size,
        yaxis={"range": [0, 1.12], "tickformat": ".1f", "dtick": 0.2, "fixedrange": True},
        **legend,
    )
    return figure(bars, layout)


def grouped_bars(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float] | np.ndarray],
    *,
    title: str,
    y_title: str = "output",
    font_size: int = 16,
) -> go.Figure:
    """Several outputs for the same classes, side by side (one hatch per series)."""
    x = category_names(labels)
    bars = []
    for i, (name, values) in enumerate(series.items()):
        v = np.asarray(values, dtype=np.float64)
        bars.append(
            {
                "type": "bar",
                "x": x,
                "y": v,
                "name": name,
                "marker": {
                    "color": SERIES[i % len(SERIES)],
                    "pattern": {"shape": PATTERNS[i % len(PATTERNS)], "fgcolor": "white"},
                    "line": {"color": "#333", "width": 1},
                },
                "customdata": [repr(float(a)) for a in v],
                "hovertemplate": f"{plot_text(name)}<br>%{{x}}: %{{customdata}}<extra></extra>",
            }
        )
    layout = chart_layout(
        title=title,
        x_title="class",
        categories=labels,
        y_title=y_title,
        font_size=font_size,
        barmode="group",
        showlegend=True,
    )
    return figure(bars, layout)


def exponent_bars(
    labels: Sequence[str],
    exponents: Sequence[float] | np.ndarray,
    *,
    overflow: float,
    underflow: float,
    dtype: str,
    title: str = "What exp() is asked to compute",
    font_size: int = 16,
) -> go.Figure:
    """The exponents z/T + c fed to exp(), against the dtype's overflow/underflow lines.

    Bars beyond a line are hatched and labelled, so a crossing is visible without colour.
    """
    e = np.asarray(exponents, dtype=np.float64)
    over = e > overflow
    under = e < underflow
    colours = [
        OKABE_ITO["vermillion"] if o else OKABE_ITO["purple"] if u else BAR
        for o, u in zip(over, under, strict=True)
    ]
    text = ["overflow" if o else "underflow" if u else "" for o, u in zip(over, under, strict=True)]
    bar = {
        "type": "bar",
        "x": category_names(labels),
        "y": e,
        "name": "z/T + c",
        "marker": {
            "color": colours,
            "pattern": {"shape": ["x" if o or u else "" for o, u in zip(over, under, strict=True)]},
            "line": {"color": "#333", "width": 1},
        },
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [repr(float(a)) for a in e],
        "hovertemplate": "%{x}: exponent %{customdata}<extra></extra>",
    }
    lo = min(float(e.min(initial=0.0)), underflow) * 1.15
    hi = max(float(e.max(initial=0.0)), overflow) * 1.15
    layout = chart_layout(
        title=title,
        x_title="class",
        categories=labels,
        y_title="exponent z/T + c",
        font_size=font_size,
        yaxis={"range": [lo, hi]},
        showlegend=False,
    )
    for level, word in ((overflow, "overflow"), (underflow, "underflow")):
        rule(
            layout,
            "y",
            level,
            line={"dash": "dash", "color": "#333", "width": 2},
            text=f"{dtype} {word} at {level:.2f}",
            position="top left" if word == "overflow" else "bottom left",
        )
    return figure([bar], layout)

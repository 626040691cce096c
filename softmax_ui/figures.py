"""Figure builders: data in, ``plotly.graph_objects.Figure`` out.

Pure functions (no Streamlit), so they are tested on their own. Colours come from
the Okabe–Ito palette, which stays distinguishable for colour-blind viewers, and
meaning is never carried by colour alone: the winning class is also hatched and
labelled, and invalid values are labelled in words.
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


def _layout(fig: go.Figure, *, title: str, x_title: str, y_title: str, font_size: int) -> None:
    fig.update_layout(
        template="none",
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": font_size + 4}},
        font={"size": font_size, "family": "sans-serif", "color": "#222"},
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
        height=320 + 6 * font_size,
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.25, "x": 0},
        hoverlabel={"font_size": font_size},
        bargap=0.25,
    )
    fig.update_xaxes(title_text=x_title, type="category", showgrid=False, automargin=True)
    fig.update_yaxes(title_text=y_title, gridcolor="#ddd", zerolinecolor="#888", automargin=True)


def _category_names(labels: Sequence[str]) -> list[str]:
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
    x = _category_names(labels)
    finite = np.isfinite(p)
    winner = int(np.argmax(np.where(finite, p, -np.inf))) if finite.any() else -1
    is_winner = [highlight_argmax and i == winner for i in range(len(p))]
    text = [
        (num(v, 3) + ("<br>▲ max" if w else "")) if f else ""
        for v, f, w in zip(p, finite, is_winner, strict=True)
    ]
    fig = go.Figure()
    fig.add_bar(
        x=x,
        y=p,
        name=name,
        marker={
            "color": [WINNER if w else BAR for w in is_winner],
            "pattern": {"shape": ["/" if w else "" for w in is_winner], "fgcolor": "white"},
            "line": {"color": "#333", "width": 1},
        },
        text=text,
        textposition="outside",
        cliponaxis=False,
        customdata=[repr(float(v)) for v in p],
        hovertemplate="%{x}<br>p = %{customdata}<extra></extra>",
    )
    if not finite.all():
        bad = np.flatnonzero(~finite)
        fig.add_bar(
            x=[x[i] for i in bad],
            y=[1.0] * len(bad),
            name="not a number (IEEE NaN / inf)",
            marker={
                "color": INVALID,
                "opacity": 0.55,
                "pattern": {"shape": "x", "fgcolor": "#333"},
                "line": {"color": "#333", "width": 2},
            },
            text=[f"<b>{_invalid_text(p[i])}</b>" for i in bad],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"size": font_size + 6, "color": "black"},
            hovertemplate="%{x}: the formula returned " + "%{text}<extra></extra>",
        )
        fig.update_layout(barmode="overlay", showlegend=True)
    else:
        fig.update_layout(showlegend=False)
    _layout(fig, title=title, x_title="class", y_title="probability", font_size=font_size)
    fig.update_yaxes(range=[0, 1.12], tickformat=".1f", dtick=0.2, fixedrange=True)
    return fig


def grouped_bars(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float] | np.ndarray],
    *,
    title: str,
    y_title: str = "output",
    font_size: int = 16,
) -> go.Figure:
    """Several outputs for the same classes, side by side (one hatch per series)."""
    x = _category_names(labels)
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        v = np.asarray(values, dtype=np.float64)
        fig.add_bar(
            x=x,
            y=v,
            name=name,
            marker={
                "color": SERIES[i % len(SERIES)],
                "pattern": {"shape": PATTERNS[i % len(PATTERNS)], "fgcolor": "white"},
                "line": {"color": "#333", "width": 1},
            },
            customdata=[repr(float(a)) for a in v],
            hovertemplate=f"{plot_text(name)}<br>%{{x}}: %{{customdata}}<extra></extra>",
        )
    _layout(fig, title=title, x_title="class", y_title=y_title, font_size=font_size)
    fig.update_layout(barmode="group", showlegend=True)
    return fig


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
    fig = go.Figure()
    fig.add_bar(
        x=_category_names(labels),
        y=e,
        name="z/T + c",
        marker={
            "color": colours,
            "pattern": {"shape": ["x" if o or u else "" for o, u in zip(over, under, strict=True)]},
            "line": {"color": "#333", "width": 1},
        },
        text=text,
        textposition="outside",
        cliponaxis=False,
        customdata=[repr(float(a)) for a in e],
        hovertemplate="%{x}: exponent %{customdata}<extra></extra>",
    )
    for level, word in ((overflow, "overflow"), (underflow, "underflow")):
        fig.add_hline(
            y=level,
            line={"dash": "dash", "color": "#333", "width": 2},
            annotation_text=f"{dtype} {word} at {level:.2f}",
            annotation_position="top left" if word == "overflow" else "bottom left",
        )
    _layout(fig, title=title, x_title="class", y_title="exponent z/T + c", font_size=font_size)
    lo = min(float(e.min(initial=0.0)), underflow) * 1.15
    hi = max(float(e.max(initial=0.0)), overflow) * 1.15
    fig.update_yaxes(range=[lo, hi])
    fig.update_layout(showlegend=False)
    return fig

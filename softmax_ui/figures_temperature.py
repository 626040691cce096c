"""Figure builders for the temperature-and-sampling lesson: data in, Plotly figure out.

Pure functions (no Streamlit, no maths of their own: the page computes the numbers with
``softmax_core`` and hands them over). Styled like :mod:`softmax_ui.figures`: Okabe–Ito
colours, and every series also differs by line dash, marker symbol or hatch pattern, so
colour is never the only way to tell them apart.

Curves (many points) are sent as float32: Plotly gets NumPy arrays as base64 typed arrays,
4 bytes a number instead of 8, and 7 significant digits are far below a pixel. Bars (a
handful of numbers, their exact values in the hover) stay float64.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from softmax_core import softmax, softmax_entropy
from softmax_ui.figures import (
    BAR,
    DASHES,
    LINE_EM,
    MARK,
    SERIES,
    SYMBOLS,
    WINNER,
    align,
    bar_number,
    category_names,
    chart_layout,
    figure,
    hatch,
    localized,
    plot_height,
    range_with_labels,
    rule,
)
from softmax_ui.i18n import N_, _, ngettext
from softmax_ui.text import ordered, plot_text, prose_number

CURRENT = MARK["vermillion"]
SWEEP_LOW, SWEEP_HIGH, SWEEP_POINTS = 0.05, 20.0, 41
"""The temperature sweep: 41 temperatures from 0.05 to 20, evenly spaced on the log-T axis
(T = 1 in the middle): few enough to send on every rerun, and drawn as straight segments the
curves stay within a pixel of the exact ones for any logits (the check is in
docs/benchmarks.md, "Sampling density of the curves")."""


def sweep_temperatures(temperature: float) -> np.ndarray:
    """The temperatures of the sweep that shows ``temperature``: 0.05 to 20, stretched to a T
    typed outside that range, at the same density on the log axis (so the current T is
    always on the drawn curves, never clamped to an end).

    >>> sweep_temperatures(1.0)[[0, 20, -1]]
    array([ 0.05,  1.  , 20.  ])
    >>> t = sweep_temperatures(100.0); len(t), float(t[0]), float(t[-1])
    (52, 0.05, 100.0)
    >>> t = sweep_temperatures(0.01); len(t), float(t[0]), float(t[-1])
    (52, 0.01, 20.0)
    """
    low, high = min(SWEEP_LOW, temperature), max(SWEEP_HIGH, temperature)
    per_decade = (SWEEP_POINTS - 1) / math.log10(SWEEP_HIGH / SWEEP_LOW)
    points = SWEEP_POINTS + math.ceil(
        round(math.log10(high / low / (SWEEP_HIGH / SWEEP_LOW)) * per_decade, 9)
    )
    return np.geomspace(low, high, points)


def sweep_over_temperature(
    z: np.ndarray, temperature: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sweep that shows ``temperature``: its temperatures ts (:func:`sweep_temperatures`),
    softmax(z / t) for each t (a row each) and each row's entropy H(t) in nats, for
    :func:`sweep_charts`.

    >>> ts, p, H = sweep_over_temperature(np.array([2.0, 1.0, 0.1]), 1.0)
    >>> p.shape == (len(ts), 3), bool(np.allclose(p.sum(axis=1), 1.0)), H.shape == ts.shape
    (True, True, True)
    """
    ts = sweep_temperatures(temperature)
    exponents = z[np.newaxis, :] / ts[:, np.newaxis]
    return ts, softmax(exponents), softmax_entropy(exponents)


NOW = N_("at the current T")
"""The current T's legend name (marked for translation; shown through ``_()``)."""


TICKS = ("0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10", "20", "50", "100")
"""Round temperatures marked on a sweep's axis (those outside the drawn range are not shown)."""


def _log_t_axis(ts: np.ndarray) -> dict:
    """The x axis of a temperature sweep: log scale, ticks at round temperatures."""
    return {
        "type": "log",
        "range": [float(np.log10(ts.min())), float(np.log10(ts.max()))],
        "tickvals": [float(t) for t in TICKS],
        "ticktext": [localized(t) for t in TICKS],
        "showgrid": True,
        "gridcolor": "#eee",
    }


def _mark_temperature(
    layout: dict, temperature: float, ts: np.ndarray, *, gaps: Sequence[tuple[float, float]] = ()
) -> None:
    """A labelled vertical line at the current T (clipped to the drawn range); the label
    goes on the side of the line with more room, so it stays inside the plot.

    ``gaps``: spans of the plot's height (fractions, from its foot) the line leaves out, in
    ascending order, where other labels lie: it is drawn in pieces between them."""
    low, high = float(ts.min()), float(ts.max())
    shown = min(max(temperature, low), high)
    across = math.log(shown / low) / math.log(high / low) if high > low else 0.0
    rule(
        layout,
        "x",
        shown,
        line={"dash": "dash", "color": CURRENT, "width": 2},
        text=f"T = {prose_number(temperature, 3)}",
        position="top right" if across < 0.7 else "top left",
        font={"color": CURRENT},
        log=True,  # the T axes are log axes (the label of T = 1 stood at T = 10)
    )
    if gaps:
        line = layout["shapes"].pop()
        ends = [0.0, *(e for gap in gaps for e in gap), 1.0]
        layout["shapes"] += [
            line | {"y0": start, "y1": end}
            for start, end in zip(ends[::2], ends[1::2], strict=True)
            if end > start
        ]


def probability_vs_temperature(
    labels: Sequence[str],
    temperatures: Sequence[float] | np.ndarray,
    probs: Sequence[Sequence[float]] | np.ndarray,
    *,
    temperature: float,
    current: Sequence[float] | np.ndarray,
    font_size: int = 16,
) -> go.Figure:
    """One line per class: p_i(T) against T on a log axis, the current T marked.

    ``probs`` has one row per temperature and one column per class. Each class
    gets its own colour, dash and marker symbol, and its name in the legend.
    Trace ``i`` draws class ``i`` (float32); the last trace marks ``current`` (the
    probabilities at the current ``temperature``).
    """
    ts = np.asarray(temperatures, dtype=np.float64)
    p = np.asarray(probs, dtype=np.float64)
    names = category_names(labels)
    every = max(1, len(ts) // 8)
    x = ts.astype(np.float32)
    lines = [
        {
            "type": "scatter",
            "x": x,
            "y": p[:, i].astype(np.float32),
            "name": name,
            "mode": "lines+markers",
            "line": {"color": SERIES[i % len(SERIES)], "dash": DASHES[i % len(DASHES)], "width": 2},
            "marker": {
                "symbol": SYMBOLS[i % len(SYMBOLS)],
                "size": 7,
                "maxdisplayed": len(ts) // every,
            },
            # the class name is read from the trace, never pasted into the template, where
            # a label such as "%{y}" would be a placeholder
            "hovertemplate": "%{fullData.name}<br>T = %{x:.3g}<br>p = %{y:.4f}<extra></extra>",
        }
        for i, name in enumerate(names)
    ]
    c = np.asarray(current, dtype=np.float64)
    now = {
        "type": "scatter",
        "x": [min(max(temperature, float(ts.min())), float(ts.max()))] * len(c),
        "y": c,
        "name": _(NOW),
        "showlegend": False,  # the circles sit on the labelled line of the current T
        "mode": "markers",
        "marker": {"symbol": "circle-open", "size": 14, "color": CURRENT, "line": {"width": 3}},
        "customdata": names,
        "hovertemplate": "%{customdata}: p = %{y:.4f}<extra></extra>",
    }
    layout = chart_layout(
        title=_("Each class's probability as T changes"),
        x_title=_("temperature T (log scale)"),
        y_title=_("probability"),
        font_size=font_size,
        legend=names,
        xaxis=_log_t_axis(ts),
        # From a little under 0, so the "0.0" and "0.05" tick labels do not meet in the corner.
        yaxis={"range": [-0.04, 1.05], "tickformat": ".1f", "dtick": 0.2},
    )
    _mark_temperature(layout, temperature, ts)
    return figure([*lines, now], layout)


CEILING_BAND = 1.5
"""The entropy chart's y axis runs to this many times log K: room above the ceiling for its
label and, over that, the current T's."""


def entropy_ticks(ceiling: float) -> list[float]:
    """Round entropies from 0 to ``ceiling`` (log K), about five of them.

    >>> entropy_ticks(np.log(3)), entropy_ticks(np.log(12))
    ([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], [0.0, 0.5, 1.0, 1.5, 2.0])
    """
    step = next((s for s in (0.1, 0.2, 0.25, 0.5, 1.0, 2.0) if ceiling / s <= 6), 5.0)
    return [round(step * i, 10) for i in range(int(ceiling / step + 1e-9) + 1)]


def entropy_vs_temperature(
    temperatures: Sequence[float] | np.ndarray,
    entropies: Sequence[float] | np.ndarray,
    *,
    temperature: float,
    current: float,
    n_classes: int,
    font_size: int = 16,
) -> go.Figure:
    """Entropy H(T) in nats with its ceiling log K drawn and the current T marked.

    Trace 0 is the curve (float32), trace 1 the current point.
    """
    ts = np.asarray(temperatures, dtype=np.float64)
    h = np.asarray(entropies, dtype=np.float64)
    ceiling = float(np.log(n_classes))
    # The legend's H and the ceiling's label are printed so that rounding never shows H
    # above log K (H <= log K exactly; a last-bit excess is rounding and clamped), to fixed
    # places: H is right to ~1e-16 absolute, not relative, when p rounds to one-hot.
    current_text, ceiling_text = ordered(
        min(float(current), ceiling), ceiling, digits=3, fixed=True, tolerance=1e-12
    )
    curve = {
        "type": "scatter",
        "x": ts.astype(np.float32),
        "y": h.astype(np.float32),
        "name": _("entropy H(T)"),
        "mode": "lines",
        "line": {"color": WINNER, "width": 3},
        "hovertemplate": _("T = %{x:.3g}<br>H = %{y:.4f} nats") + "<extra></extra>",
    }
    now = {
        "type": "scatter",
        "x": [min(max(temperature, float(ts.min())), float(ts.max()))],
        "y": [current],
        "name": _("now: H = {entropy} nats").format(entropy=current_text),
        "mode": "markers",
        "marker": {"symbol": "diamond", "size": 14, "color": CURRENT, "line": {"width": 1}},
        "hovertemplate": _("T = %{x:.3g}<br>H = %{y:.4f} nats") + "<extra></extra>",
    }
    layout = chart_layout(
        title=_("Entropy: how spread out the distribution is"),
        x_title=_("temperature T (log scale)"),
        y_title=_("entropy (nats)"),
        font_size=font_size,
        legend=[curve["name"], _(NOW)],
        xaxis=_log_t_axis(ts),
        # above log K, a band of its own for the ceiling's label (the curve never goes
        # there), under the label of T at the top; under 0 another for the label of 0
        yaxis={
            "range": range_with_labels(
                0.0, CEILING_BAND * ceiling, above=0, below=1, font_size=font_size
            ),
            "tickvals": entropy_ticks(ceiling),  # none above log K: H never gets there
        },
    )
    rule(
        layout,
        "y",
        ceiling,
        line={"dash": "dot", "color": "#333", "width": 2},
        text=_("log K = log {k} = {ceiling} (uniform)").format(k=n_classes, ceiling=ceiling_text),
        # over the line: under it, the label's box hid the curve where it rises to log K
        # (in the presenter view, from T ≈ 1.3 to 5; a student tour)
        position="top left",
    )
    rule(
        layout,
        "y",
        0,
        line={"dash": "dot", "color": "#333", "width": 1},
        text=_("0 (all mass on one class)"),
        # under the line, in its band: over it, the label's box hid the curve rising from 0
        # wherever the words reached (Spanish and French, from T ≈ 0.1 to 0.3; a student
        # tour). The curve never goes below 0, whatever the language.
        position="bottom right",
    )
    # The current T's line stops at the two labels' bands, under 0 and over log K: on a
    # phone each label is most of the plot's width, and the line ran through them ("1.099",
    # "mass"; a student tour at 360 px), wherever T was.
    low, high = layout["yaxis"]["range"]
    gaps = []
    if high > low:  # not one class (log K = 0: the range is one value)
        label = (LINE_EM * font_size + 6) / plot_height(font_size)  # a label's box
        at = (ceiling - low) / (high - low)
        gaps = [(0.0, -low / (high - low)), (at, at + label)]
    _mark_temperature(layout, temperature, ts, gaps=gaps)
    return figure([curve, now], layout)


DIAMOND_PX = 16
"""The size of an observed frequency's diamond."""


def sample_frequencies(
    labels: Sequence[str],
    expected: Sequence[float] | np.ndarray,
    counts: Sequence[int] | np.ndarray,
    *,
    seed: int,
    font_size: int = 16,
) -> go.Figure:
    """Expected probabilities as bars, the observed frequencies of a draw over them.

    Trace 0: the expected probabilities; trace 1: observed frequency = count / n,
    drawn as labelled diamonds so the two are told apart by shape too.
    """
    p = np.asarray(expected, dtype=np.float64)
    k = np.asarray(counts, dtype=np.int64)
    n = int(k.sum())
    freq = k / n if n else np.zeros_like(p)
    x = category_names(labels)
    bars = {
        "type": "bar",
        "x": x,
        "y": p,
        "name": _("expected: p = softmax(z/T)"),
        "marker": {"color": BAR, "line": {"color": "#333", "width": 1}},
        "customdata": [repr(float(v)) for v in p],
        "hovertemplate": _("%{x}<br>expected p = %{customdata}") + "<extra></extra>",
    }
    observed = {
        "type": "scatter",
        "x": x,
        "y": freq,
        "name": _("observed (seed {seed})").format(seed=seed),
        "mode": "markers+text",
        "marker": {
            "symbol": "diamond",
            "size": DIAMOND_PX,
            "color": MARK["vermillion"],
            "line": {"color": "#333", "width": 1},
        },
        "customdata": k,
        "hovertemplate": _("%{x}<br>%{customdata} draws = %{y:.4f}") + "<extra></extra>",
    }
    top = max(float(p.max(initial=0)), float(freq.max(initial=0)), 0.05)
    # Each count over the higher of its bar and its diamond: on the diamond, a count under
    # its bar's top was written across the bar's edge ("385" at 0.385 under a bar of 0.414;
    # a student tour). Lifted by half a diamond and a pixel, so it clears the diamond too.
    counts = [
        {
            "x": name,
            "y": max(float(e), float(f)),
            "yanchor": "bottom",
            "yshift": DIAMOND_PX // 2 + 1,
            "text": localized(f"{c:,}"),
            "showarrow": False,
        }
        for name, e, f, c in zip(x, p, freq, k, strict=True)
    ]
    # Above the highest diamond or bar: its count, one line of text over half a diamond;
    # under 0, the lower half of a diamond, clear of the class names.
    layout = chart_layout(
        title=ngettext(
            "{n} sample vs the probabilities it comes from",
            "{n} samples vs the probabilities they come from",
            n,
        ).format(n=localized(f"{n:,}")),
        x_title=_("class"),
        categories=labels,
        y_title=_("probability / frequency"),
        font_size=font_size,
        legend=[bars["name"], observed["name"]],
        yaxis={
            "range": range_with_labels(
                0.0, top, above=1, below=0, font_size=font_size, pad=DIAMOND_PX // 2 + 2
            ),
            "fixedrange": True,
        },
        annotations=counts,
    )
    return figure([bars, observed], layout)


FILTER_STYLES = [
    (WINNER, "/"),
    (MARK["orange"], "."),
    (MARK["green"], "x"),
    (MARK["vermillion"], "-"),
    (MARK["purple"], "+"),
]
CUT = "#767676"
"""Fill of a class a filter cut: a mid grey (4.5:1 on white), cross-hatched in black, unlike
every filter's colour and hatch."""
CUT_MIN = 0.03
"""The least height of a cut class's bar, in probability (3 % of the axis: 8 px or more on
every screen): a class of probability 0.004 would be a bar under a pixel tall, gone on any
screen. A number of the data, not of the font, so the presenter view draws the same figure
as a student's screen."""


def filtered_bars(
    labels: Sequence[str],
    original: Sequence[float] | np.ndarray,
    filtered: Mapping[str, Sequence[float] | np.ndarray],
    *,
    title: str,
    font_size: int = 16,
    wide: bool = False,
) -> go.Figure:
    """The distribution before filtering and after each filter (top-k, top-p), per class.

    ``filtered`` maps a name (the legend entry, e.g. "after top-k (k = 2)") to the
    renormalised distribution that filter leaves. Trace 0: the original; then one trace per
    filter, in order, each with its own colour and hatch, a zero bar for a class it cut. Then
    one trace per filter, in the same order, of the classes it cut: in the cut bar's place,
    a grey cross-hatched bar as tall as the class was before (at least :data:`CUT_MIN`)
    with the word "cut" over it, one legend entry for all. A zero
    bar alone looked like a small probability, and the word, hidden where it does not fit
    (eight classes on a phone), could not say otherwise (a student tour).

    The bars' numbers are sized for the room they have (:func:`~softmax_ui.figures.bar_number`):
    on a phone, for every bar side by side (".66": nine bars of 3 classes are too narrow for
    "0.66"); when ``wide`` (the page's full width on a laptop or a projector, where each
    class's group of bars is about as wide as one bar on a phone), for the number of classes,
    as the lessons' main bars are ("0.66", or "0,66", not ",66").

    On a phone (not ``wide``) the legend is drawn in the order "before", "cut", then the
    filters, so the two short entries share a row: three rows, not four, above the plot; and
    the title has the room its lines take there (at 360 px the page's title wrapped onto two
    lines and its second ran into the legend, drawn on rows 34 px apart; a student tour).
    """
    p = np.asarray(original, dtype=np.float64)
    bars = len(p) if wide else len(p) * (1 + len(filtered))
    cut = _("cut")
    names = [plot_text(name) for name in filtered]
    # the legend's order (legendrank): on a phone "cut" beside "before" (see above)
    rank = {"before": 1, "cut": 2 if not wide else 3 + len(filtered)}
    x = category_names(labels)
    y_range = range_with_labels(0.0, 1.0, above=1, below=0, font_size=font_size)
    # Each filter's bars and its cut bars share a slot (an offset group): a cut bar stands
    # where the filter's zero bar is, not beside it.
    before = {
        "type": "bar",
        "x": x,
        "y": p,
        "name": _("before"),
        "legendrank": rank["before"],
        "offsetgroup": "before",
        "marker": {"color": BAR, "line": {"color": "#333", "width": 1}},
        "text": [bar_number(v, 2, bars) for v in p],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": _("%{x}<br>before: %{y:.4f}") + "<extra></extra>",
    }
    afters, cuts = [], []
    for i, (name, values) in enumerate(filtered.items()):
        q = np.asarray(values, dtype=np.float64)
        colour, shape = FILTER_STYLES[i % len(FILTER_STYLES)]
        legend = plot_text(name)
        afters.append(
            {
                "type": "bar",
                "x": x,
                "y": q,
                "name": legend,
                "legendrank": 3 + i,
                "offsetgroup": f"filter {i}",
                "marker": {
                    "color": colour,
                    "pattern": hatch(colour, shape),
                    "line": {"color": "#333", "width": 1},
                },
                "text": [bar_number(v, 2, bars) if v > 0 else "" for v in q],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": f"%{{x}}<br>{legend}: %{{y:.4f}}<extra></extra>",
            }
        )
        gone = [j for j, v in enumerate(q) if not v > 0]
        cuts.append(
            {
                "type": "bar",
                "x": [x[j] for j in gone],
                "y": [max(float(p[j]), CUT_MIN) for j in gone],
                "name": cut,
                "legendgroup": "cut",
                "legendrank": rank["cut"],
                # one legend entry for every filter's cut bars, from the first that has any
                "showlegend": bool(gone) and not any(c["showlegend"] for c in cuts),
                "offsetgroup": f"filter {i}",
                "marker": {
                    "color": CUT,
                    "pattern": hatch(CUT, "x"),
                    "line": {"color": "#333", "width": 1},
                },
                "text": [cut] * len(gone),
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": f"%{{x}}<br>{legend}: {cut}<extra></extra>",
            }
        )
    layout = chart_layout(
        title=plot_text(title),
        x_title=_("class"),
        categories=labels,
        y_title=_("probability"),
        font_size=font_size,
        # the band keeps room for "cut" while nothing is cut: the plot stays put as k moves
        legend=[_("before"), cut, *names] if not wide else [_("before"), *names, cut],
        grouped_legend=True,
        narrow=not wide,
        yaxis={
            "range": y_range,
            "tickvals": [0, 0.2, 0.4, 0.6, 0.8, 1],
            "tickformat": ".1f",
            "fixedrange": True,
        },
        barmode="group",
    )
    # The cut bars' legend group makes Plotly lay the entries out as groups (grouped_legend),
    # 10 px apart: with no gap its rows are as far apart as the band counts them (24 px, not
    # 34: four rows ran 40 px over the band, into the title).
    layout["legend"]["tracegroupgap"] = 0
    return figure([before, *afters, *cuts], layout)


def sweep_charts(
    labels: tuple[str, ...],
    ts: np.ndarray,
    sweep: np.ndarray,
    sweep_h: np.ndarray,
    *,
    temperature: float,
    p: np.ndarray,
    H: float,
    font_size: int,
) -> tuple[go.Figure, go.Figure]:
    """The sweep's two charts, side by side on one frame (:func:`~softmax_ui.figures.align`):
    :func:`probability_vs_temperature` and :func:`entropy_vs_temperature` at ``temperature``,
    where the probabilities are ``p`` and their entropy ``H``."""
    return align(
        probability_vs_temperature(
            labels, ts, sweep, temperature=temperature, current=p, font_size=font_size
        ),
        entropy_vs_temperature(
            ts, sweep_h, temperature=temperature, current=H, n_classes=len(p), font_size=font_size
        ),
    )

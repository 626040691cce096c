"""Figure builders: data in, ``plotly.graph_objects.Figure`` out.

Pure functions (no Streamlit), so they are tested on their own. Colours come from
the Okabe–Ito palette, which stays distinguishable for colour-blind viewers, and
meaning is never carried by colour alone: the winning class is also hatched and
labelled, and invalid values are labelled in words.

Each builder writes its traces and its layout as plain plotly-JSON dicts (``chart_layout``
for the shared style and frame, ``rule`` for labelled reference lines) and makes the figure
once, with :func:`figure`. Charts shown side by side go through :func:`align`.

The frame is fixed in pixels, so a legend never changes the size of a plot: the title is
at the top, the legend (if any) in a band of its own between the title and the plot, and
the plot below has the same height on every chart of a font size
(:func:`plot_height`); the band's height is estimated from the legend's entries, with
every number in them counted at the same width, so moving a slider never moves the plot.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from softmax_core import top_classes
from softmax_ui.i18n import N_, _, current, decimal_comma, four_digits_whole, number_symbols
from softmax_ui.text import plot_text, prose_number, rounded_bound, significant

# Okabe & Ito (2008), "Color Universal Design": the reference hues.
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
# What the charts draw with: the same hues, the light ones (orange, sky, purple) darkened
# (HLS lightness only) until every bar, line and marker has at least 3:1 contrast with the
# white plot (WCAG 2.1 SC 1.4.11); yellow (1.3:1) is not used. Vermillion is darkened to
# 5.5:1, so it stays as far from the darkened orange for deuteranopes as Okabe–Ito's own
# pair (CIE76 ΔE 18), and doubles as the colour of text (≥ 4.5:1). Hues and their order
# are kept, so the palette stays colour-blind safe, and every series also has its own
# hatch, dash or symbol. tests/ui/test_chart_contrast.py checks every figure.
MARK = {
    "orange": "#C28600",
    "sky": "#1D9AE1",
    "green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#AD4C00",
    "purple": "#CB77A6",
}
TEXT = "#222222"
"""Every chart text (15.9:1 on white)."""
BACKGROUND = "#FFFFFF"
BAR = MARK["sky"]
WINNER = MARK["blue"]
INVALID = "#888888"
"""Grey of a value that is not a number: 3.5:1 on white; its white hatch 3.5:1 on it."""
SERIES = [MARK[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]
PATTERNS = ["", "/", ".", "x", "-", "+"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon"]
FEW = 5
"""Up to this many classes, bars are wide enough for full labels (see :func:`bar_number`)."""
MIN_LABEL_PX = 10
"""Smallest font a bar label is drawn at. A label that would need less to fit its bar is
not drawn (Plotly's ``uniformtext`` mode "hide"); the exact value is in the hover."""


def separators() -> str:
    """The reader's decimal mark, then thousands separator (Babel's symbols): Plotly's
    ``layout.separators`` (ticks and hover numbers) and :func:`localized` (numbers formatted
    here)."""
    return "".join(number_symbols(current()))


def localized(text: str) -> str:
    """A number written with "." and "," (as Python formats it) in the reader's convention.

    >>> localized("1,234.5"), localized("<.01")
    ('1,234.5', '<.01')
    """
    point, group = separators()[:2]
    text = four_digits_whole(text)
    return "".join(point if c == "." else group if c == "," else c for c in text)


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours, from 1 to 21.

    >>> round(contrast_ratio("#0072B2", "#FFFFFF"), 2), contrast_ratio("#000000", "#FFFFFF")
    (5.19, 21.0)
    """
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (hatch lines over a bar).

    >>> ink(WINNER), ink(BAR)
    ('#FFFFFF', '#000000')
    """
    return max(("#000000", "#FFFFFF"), key=lambda c: contrast_ratio(c, fill))


def hatch(colour: str | Sequence[str], shape: str | Sequence[str]) -> dict:
    """``marker.pattern`` for bars filled with ``colour`` and hatched with ``shape`` ("" for
    none), one value for all bars or one per bar.

    The bar keeps its colour under the hatch (``fillmode`` "overlay" with an explicit
    ``bgcolor``: Plotly's default "replace" draws the hatch on no fill at all), and the
    hatch lines are black or white, whichever contrasts more with that colour.

    When every hatched bar has the same colour (a winner, a target, the right answers), the
    pattern's colours are that one colour and its ink, not one per bar: Plotly works out a
    default hatch colour from ``bgcolor`` as it reads the figure, and with a list there it
    logged "Invalid color specifier" with a stack trace, six times per keypress on the
    Playground. Bars without a hatch are drawn in their own ``marker.color`` either way.
    Hatched bars of two colours still need one colour per bar, and Plotly still warns then
    (Naive vs stable's exponents when some overflow and others underflow).

    >>> hatch(["#1D9AE1", "#0072B2", "#1D9AE1"], ["", "/", ""])["bgcolor"]
    '#0072B2'
    >>> hatch(["#D55E00", "#1D9AE1", "#CC79A7"], ["x", "", "x"])["fgcolor"]
    ['#000000', '#000000', '#000000']
    """
    if isinstance(colour, str):
        return _pattern(shape, colour, ink(colour))
    shapes = [shape] * len(colour) if isinstance(shape, str) else list(shape)
    hatched = list(dict.fromkeys(c for c, s in zip(colour, shapes, strict=True) if s))
    shape = shape if isinstance(shape, str) else shapes
    if len(hatched) <= 1:
        one = hatched[0] if hatched else (colour[0] if len(colour) else BAR)
        return _pattern(shape, one, ink(one))
    # hatched bars of two colours (Naive vs stable's overflow and underflow at once): one
    # colour per bar, and Plotly's warning with it
    return _pattern(shape, list(colour), [ink(c) for c in colour])


def _pattern(shape: str | Sequence[str], background, lines) -> dict:
    return {
        "shape": shape,
        "fillmode": "overlay",
        "bgcolor": background,
        "fgcolor": lines,
        "fgopacity": 1,
        "solidity": 0.3,
    }


def figure(data: list[dict], layout: dict) -> go.Figure:
    """The one place a figure is made: plain plotly-JSON dicts in, one Figure out.

    Plotly's per-property validation is skipped here (``_validate=False``): it is most of
    the cost of building a chart on every rerun, and the JSON is the same without it up to
    key order (docs/benchmarks.md). tests/ui/test_figure_validity.py re-validates every
    builder's output with plotly's full validation instead. The dicts and arrays are stored
    as given, not copied, so a builder makes fresh dicts on every call.
    """
    return go.Figure(data=data, layout=layout, _validate=False)


def align(*figures: go.Figure) -> tuple[go.Figure, ...]:
    """Charts shown side by side, made to line up: every one gets the largest margin of each
    side and the largest plot height, so their plot areas start at the same height, are as
    tall, and have the same left edge, whatever legend or title each one has.

    Returns the figures (changed in place), marked as aligned (``layout.meta``), so that
    :func:`sideways` leaves their frames alone.
    """
    margins = [fig.layout.margin for fig in figures]
    sides = {side: max(getattr(m, side) for m in margins) for side in ("l", "r", "t", "b")}
    plot = max(fig.layout.height - m.t - m.b for fig, m in zip(figures, margins, strict=True))
    for fig in figures:  # set directly: update_layout costs ~1 ms a figure for the same result
        fig.layout.margin = sides
        fig.layout.height = sides["t"] + plot + sides["b"]
        fig.layout.meta = {ALIGNED: True}
    return figures


ALIGNED = "aligned"
"""The mark :func:`align` leaves in a figure's ``layout.meta``."""


def _merge(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, nested dictionaries merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        nested = isinstance(value, dict) and isinstance(old, dict)
        out[key] = _merge(old, value) if nested else value
    return out


# --- the frame ----------------------------------------------------------------------------------

# Width the x tick labels may take, flat, before the chart could need them rotated: the
# plot's width on a 360 px phone (it was a half-page column on a 1280 px laptop, 400 px:
# five French names, estimated to fit, were turned on a phone, unmeasured, under "classe").
FLAT_LABELS_PX = 250
LINE_EM = 1.3
"""Plotly's line height, in em of the font."""
GLYPH_EM = 0.6
"""A cautious average width of a character (sans-serif, mixed case), in em."""
LEGEND_ROW_EM = 1.5
"""Height of one legend row (measured: 1.49 em at 16 and 24 px)."""
LEGEND_ENTRY_PX = 45
"""Width of a legend entry besides its text (symbol and gaps: Plotly's 40 + 5)."""
LEGEND_PAD_PX = 12
PHONE_CHART_PX = 328
"""A chart's width on a 360 px phone, the narrowest screen planned for (the page's 16 px
padding on each side)."""
TITLE_STANDOFF_PX = 12
"""The standoff of an axis title from its measured tick labels (a drawn gap of 8-9 px)."""
TITLE_TOP_PX = 10
_NUMBER = re.compile(r"[-+]?\d[\d.,]*(?:e[-+]?\d+)?")


def plot_height(font_size: int) -> int:
    """Height of every plot area (axes, not margins) at ``font_size``, in px."""
    return 200 + 6 * font_size


def _legend_width(font_size: int) -> int:
    """The narrowest plot a legend is planned for: a half column of a 1280 px laptop screen
    at the normal font (a phone's plot is a little narrower, but :data:`GLYPH_EM` is 15-25 %
    wider than the fonts browsers use), a projector's half column in the presenter view."""
    return 300 if font_size < 20 else 400


def _chars(text: str) -> int:
    """The characters of one line of legend text as estimated: every number counted as 4."""
    return len(_NUMBER.sub("0000", html.unescape(text)))


def _legend_grid(entries: Sequence[str], font_size: int, grouped: bool) -> list[int]:
    """The rows of a horizontal legend of ``entries`` (cautious estimate), each as the
    number of text lines of its tallest entry (an entry's lines are split by ``<br>``)."""
    if not entries:
        return []
    lines = [e.split("<br>") for e in entries]
    widths = [LEGEND_ENTRY_PX + GLYPH_EM * font_size * max(map(_chars, e)) for e in lines]
    room = _legend_width(font_size)
    if sum(widths) <= room:
        rows = [list(range(len(entries)))]
    elif grouped:
        # Plotly's grouped legend: each group (here one entry) as wide as itself, side by
        # side while they fit, then on the next row
        rows = [[0]]
        for i in range(1, len(entries)):
            if sum(widths[j] for j in rows[-1]) + widths[i] > room:
                rows.append([i])
            else:
                rows[-1].append(i)
    else:
        per_row = max(1, int(room // max(widths)))
        rows = [
            list(range(i, min(i + per_row, len(entries)))) for i in range(0, len(entries), per_row)
        ]
    return [max(len(lines[i]) for i in row) for row in rows]


def legend_rows(entries: Sequence[str], font_size: int, *, grouped: bool = False) -> int:
    """How many rows a horizontal legend of ``entries`` takes at most (cautious estimate).

    Plotly puts the entries on one row if they fit, else in a grid of columns as wide as
    the widest entry; a legend with groups (``grouped``: a trace has a ``legendgroup``)
    puts each group beside the last while it fits, as wide as itself. Every number in an
    entry is counted as 4 characters, so an entry whose numbers follow a slider never
    changes the estimate.

    >>> legend_rows([], 16), legend_rows(["a", "b"], 16), legend_rows(["entry"] * 9, 16)
    (0, 1, 3)
    >>> legend_rows(["before", "cut", "after top-k (k = 3)", "after top-p (p = 0.9)"], 16)
    4
    >>> legend_rows(["before", "cut", "after top-k (k = 3)", "after top-p (p = 0.9)"], 16,
    ...             grouped=True)
    3
    """
    return len(_legend_grid(entries, font_size, grouped))


def legend_band(entries: Sequence[str], font_size: int, *, grouped: bool = False) -> float:
    """The height of the band a horizontal legend of ``entries`` is given (px): its rows
    (:func:`legend_rows`), a row of a line more for each more line of its tallest entry.

    >>> legend_band([], 16), legend_band(["a", "b"], 16), legend_band(["a<br>b", "c"], 16)
    (0, 36.0, 56.8)
    """
    rows = _legend_grid(entries, font_size, grouped)
    if not rows:
        return 0
    lines = sum(LEGEND_ROW_EM + (n - 1) * LINE_EM for n in rows)
    return lines * font_size + LEGEND_PAD_PX


def legend_name(text: str, font_size: int) -> str:
    """A legend entry in lines (``<br>``) that each fit the narrowest chart planned for,
    broken between words (cautious estimate, numbers counted as in :func:`legend_rows`): a
    legend entry is one line, Plotly moves a legend wider than its plot to the chart's left
    edge and cuts it at the right one, so French "dépassement de capacité float64 à 709,79"
    lost its end on a 360 px phone (a student tour).

    >>> legend_name("float64 underflow at -745.14", 16)
    'float64 underflow at -745.14'
    >>> legend_name("dépassement de capacité float64 à 709,79", 16)
    'dépassement de capacité<br>float64 à 709,79'
    """
    room = (max(PHONE_CHART_PX, _legend_width(font_size)) - LEGEND_ENTRY_PX) // (
        GLYPH_EM * font_size
    )
    if _chars(text) <= room or "<br>" in text:
        return text
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _chars(f"{lines[-1]} {word}") <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _title_px(font_size: int) -> float:
    return TITLE_TOP_PX + LINE_EM * (font_size + 4) + 8


def sideways(spec: dict) -> dict:
    """``spec`` (a figure as Plotly's JSON: ``figure.to_dict()``) for a phone held sideways:
    a legend in a band above the plot goes beside it, on the right, and the top margin keeps
    room for the title only.

    There every chart is as tall as the screen below the header (``layout.css``), 270 px on
    an 844 × 390 phone, and the band for a legend above the plot took most of it: the
    reliability diagram's plot was 80 px tall, its eleven y labels drawn over one another (a
    tour). The screen is wide: the legend fits beside the plot. Charts shown side by side
    (:func:`align`) keep their frames, which line them up. ``spec`` is not changed (a
    shared figure is read by many sessions).

    >>> spec = {"data": [], "layout": {"showlegend": True, "font": {"size": 16},
    ...     "margin": {"l": 70, "r": 20, "t": 128, "b": 60},
    ...     "legend": {"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"}}}
    >>> out = sideways(spec)
    >>> out["layout"]["legend"]["orientation"], out["layout"]["margin"]["t"] < 128
    ('v', True)
    >>> spec["layout"]["margin"]["t"], sideways({"data": [], "layout": {}}) == {"data": [],
    ...     "layout": {}}
    (128, True)
    """
    layout = spec.get("layout", {})
    legend = layout.get("legend", {})
    if not (layout.get("showlegend") and legend.get("orientation") == "h"):
        return spec
    if (layout.get("meta") or {}).get(ALIGNED):
        return spec  # one of charts side by side (align): its legend would unalign them
    if legend.get("y", 0) < 1 or legend.get("yanchor", "bottom") != "bottom":
        return spec
    font_size = layout.get("font", {}).get("size", 16)
    margin = dict(layout.get("margin", {}))
    margin["t"] = min(margin.get("t", 0), round(_title_px(font_size)))
    beside = {**legend, "orientation": "v", "x": 1.02, "xanchor": "left", "y": 1}
    beside["yanchor"] = "top"
    return {**spec, "layout": {**layout, "margin": margin, "legend": beside}}


PHONE_TITLE_PX = PHONE_CHART_PX - 16
"""The width of a chart's title on a 360 px phone: the page's own text laid over the chart's
top margin (``page.chart``, ``layout.css``: the chart's width less 1rem), where it wraps."""
PHONE_TITLE_FONT_PX = 15.2
"""The title's type size on a phone (0.95rem), in lines of 1.2 em, 0.3rem below the chart's
top (``layout.css``)."""


def phone_title_lines(title: str) -> int:
    """How many lines a chart's title takes on a 360 px phone (cautious estimate: 0.5 em a
    character of its semi-bold type, where 0.41 em was measured), its words kept whole.

    >>> phone_title_lines("Entropy: how spread out the distribution is")
    2
    >>> phone_title_lines("Before and after filtering: top-k with k = 3, top-p with p = 0.9")
    2
    >>> phone_title_lines("Softmax probabilities")
    1
    """
    room = int(PHONE_TITLE_PX // (0.5 * PHONE_TITLE_FONT_PX))
    text = html.unescape(re.sub(r"<[^>]*>", " ", title))
    lines, length = 0, room
    for word in text.split():
        if length + 1 + len(word) > room:
            lines, length = lines + 1, len(word)
        else:
            length += 1 + len(word)
    return lines


def _phone_title_px(title: str) -> float:
    """The top margin a title needs on a 360 px phone: its lines and a gap of 6 px."""
    return 0.3 * 16 + phone_title_lines(title) * 1.2 * PHONE_TITLE_FONT_PX + 6


def _label_room(lines: int, font_size: int) -> float:
    """The share of the plot's height that ``lines`` lines of bar label need beyond a bar."""
    return (lines * LINE_EM * font_size + 8) / plot_height(font_size) if lines else 0.0


def _labels_fit_flat(categories: Sequence[str], font_size: int) -> bool:
    """Whether the class names surely fit side by side under the chart (a cautious estimate:
    0.62 em per character plus a gap per class)."""
    chars = sum(len(c) for c in categories)
    return 0.62 * font_size * chars + 14 * len(categories) <= FLAT_LABELS_PX


def axis_title_lines(text: str, font_size: int) -> list[str]:
    """An x axis title in lines that each fit the narrowest plot planned for (cautious
    estimate): French "température T (échelle logarithmique)" lost its ")" at the right edge
    of a phone (a student tour). A title too long is broken before its last parenthesis
    ("température T" over "(échelle logarithmique)"), else between words.

    >>> axis_title_lines("temperature T (log scale)", 16)
    ['temperature T (log scale)']
    >>> axis_title_lines("température T (échelle logarithmique)", 16)
    ['température T', '(échelle logarithmique)']
    """
    room = _legend_width(font_size) // (GLYPH_EM * font_size)
    if len(text) <= room or "<br>" in text:
        return [text]
    cut = text.rfind(" (")
    if cut > 0 and len(text) - cut - 1 <= room and cut <= room:
        return [text[:cut], text[cut + 1 :]]
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def chart_layout(
    *,
    title: str,
    x_title: str,
    y_title: str,
    font_size: int,
    categories: Sequence[str] = (),
    legend: Sequence[str] = (),
    grouped_legend: bool = False,
    narrow: bool = False,
    **extra,
) -> dict:
    """The shared layout as a fresh dict, ``extra`` merged in (``yaxis={"range": ...}``
    adds to the y axis, ``showlegend=True`` sets one key).

    ``legend`` are the legend entries to make room for, in the order they are drawn: a band
    above the plot, below the title, so a legend never shares space with the plot or the
    axis titles (:func:`legend_band`; ``grouped_legend``: a trace has a ``legendgroup``,
    which changes how Plotly lays the entries out, :func:`legend_rows`). Entries too long
    for the narrowest legend are best given in lines (:func:`legend_name`). The legend is
    shown when there are entries (``showlegend`` in ``extra`` decides otherwise: a chart
    whose legend can appear keeps its band while it is hidden).

    ``narrow`` (a phone, where the builder knows it): the title has the room its lines take
    on a 360 px phone (:func:`phone_title_lines`), as the page writes it over the chart's
    top margin: a title on two or three lines ran into the legend under it.

    ``categories`` are the x axis's class names, if it has them. The x axis measures its tick
    labels to grow the bottom margin (``automargin``) only when long names might be rotated
    or are on several lines:
    that measuring costs the browser time per chart on every redraw (docs/benchmarks.md).
    Numbers and short names get a bottom margin sized from the font instead.
    """
    # names on several lines (<br>) need a bottom margin measured for them
    measure = not _labels_fit_flat(categories, font_size) or any("<br>" in c for c in categories)
    band = legend_band(legend, font_size, grouped=grouped_legend)
    title_px = _title_px(font_size)
    if narrow:
        title_px = max(title_px, _phone_title_px(title))
    top = round(title_px + band)
    x_lines = axis_title_lines(x_title, font_size)
    # a title on two lines gets a line more of bottom margin, not a shorter plot
    bottom = max(60, 3 * font_size + 10) + round((len(x_lines) - 1) * LINE_EM * font_size)
    x_title_spec: dict = {"text": "<br>".join(x_lines)}
    if measure:
        # Under the lowest tick label: without a standoff Plotly moves the title only clear
        # of the labels right under it, and "classe" stood between the longer rotated class
        # names beside it (a phone, eight French classes; a student tour). With one, it is
        # placed under the box of all the labels, 3 to 4 px less than the standoff away (a
        # standoff of 6 left "class" touching "Great White Shark" on a 360 px phone).
        x_title_spec["standoff"] = TITLE_STANDOFF_PX
    return _merge(
        {
            # What plotly makes of template="none" (an empty template; the bare string
            # "none" would be sent as is without validation).
            "template": {"data": {"scatter": [{"type": "scatter"}]}},
            "title": {
                "text": title,
                "font": {"size": font_size + 4},
                "x": 0,
                "xref": "container",
                "xanchor": "left",
                "y": 1,
                "yref": "container",
                "yanchor": "top",
                "pad": {"t": TITLE_TOP_PX, "l": 4},
            },
            "font": {"size": font_size, "family": "sans-serif", "color": TEXT},
            "separators": separators(),
            "margin": {"l": round(4.4 * font_size), "r": 20, "t": top, "b": bottom},
            "height": top + plot_height(font_size) + bottom,
            "paper_bgcolor": BACKGROUND,
            "plot_bgcolor": BACKGROUND,
            "showlegend": bool(legend),
            # Just above the plot, in the band: Plotly moves the plot only for a legend taller
            # than its band (on a screen narrower than planned for), and then pushes the
            # plot down rather than drawing over it.
            "legend": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 1,
                "yanchor": "bottom",
                "font": {"size": font_size},
            },
            "uniformtext": {"minsize": MIN_LABEL_PX, "mode": "hide"},
            "hoverlabel": {"font": {"size": font_size}},
            # narrow bars (many classes, a phone) get more of their column: a label that
            # does not fit its bar at MIN_LABEL_PX is hidden, and "0,81" (Spanish, French)
            # needs 18.4 px at 10 px, more than the 17.7 px bar of ten classes on a phone,
            # so no bar had a number there (a student tour)
            "bargap": 0.25 if len(categories) <= FEW else 0.12,
            # side-by-side bars (barmode "group") keep a gap, so their labels never run
            # together ("0,660,66" on a phone in Spanish)
            "bargroupgap": 0.12,
            "xaxis": {
                "title": x_title_spec,
                "type": "category",
                "showgrid": False,
                "automargin": measure,
                # names that do not fit flat are turned upright, each centred under its
                # bar: turned 30°, the last ran off the chart's right edge ("classe 5" on a
                # phone in French) and each lay over its neighbour's column
                "autotickangles": [0, 90],
            },
            "yaxis": {
                "title": {"text": y_title},
                # plain numbers, never Plotly's SI prefixes ("400μ" for a loss of 0.0004,
                # "1M" for an exponent of 10⁶): up to 7 significant digits, thousands
                # grouped the reader's way ("1,000,000"), e-notation beyond ("4e-42")
                "tickformat": ",.7~g",
                "gridcolor": "#ddd",
                "zerolinecolor": "#767676",
                "automargin": True,
            },
        },
        extra,
    )


def range_with_labels(
    low: float, high: float, *, above: int, below: int, font_size: int, pad: float = 0
) -> list[float]:
    """A y range showing [``low``, ``high``] with room for ``above`` lines of bar label over
    the highest bar and ``below`` lines under the lowest (labels drawn outside the bars),
    and ``pad`` px more on each side (half a marker drawn at a value)."""
    extra = pad / plot_height(font_size)
    top = _label_room(above, font_size) + extra
    bottom = _label_room(below, font_size) + extra
    span = (high - low) / (1 - top - bottom)
    return [low - bottom * span, high + top * span]


def bar_number(value: float, digits: int, classes: int) -> str:
    """A bar's label: ``digits`` significant digits with up to :data:`FEW` classes; with more
    (narrow bars, down to 20 px on a phone) two decimals without the leading zero, as in
    ".66", and "<.01" rather than a misleading ".00" for a positive value (">.99" for one
    just below 1), so a label fits its bar at a readable size. A language that writes a
    decimal comma keeps the zero (",66" is not how Spanish or French write 0,66).

    >>> bar_number(0.6590011, 3, 3), bar_number(0.6590011, 3, 10), bar_number(0.000559, 3, 10)
    ('0.659', '.66', '<.01')
    >>> bar_number(0.0, 3, 10), bar_number(0.9991, 3, 10), bar_number(1.0, 3, 10)
    ('0', '>.99', '1')
    >>> bar_number(0.999998, 3, 3), bar_number(0.9994, 3, 3)  # never "1" below 1
    ('>0.999', '0.999')
    >>> bar_number(0.09003, 3, 3), bar_number(0.34, 2, 3), bar_number(100.0, 3, 3)
    ('0.0900', '0.34', '100')
    >>> bar_number(-1.774, 3, 8), bar_number(-0.52, 3, 8), bar_number(-0.0004, 3, 8)
    ('-1.77', '-.52', '>-.01')
    >>> bar_number(-0.99998, 3, 12), bar_number(-0.99998, 3, 3), bar_number(-0.9994, 3, 3)
    ('<-.99', '<-0.999', '-0.999')
    >>> bar_number(-0.996, 3, 12), bar_number(-0.994, 3, 12), bar_number(-1.0, 3, 12)
    ('<-.99', '-.99', '-1')
    >>> from softmax_ui.i18n import language
    >>> with language("fr"):
    ...     [bar_number(v, 3, 10) for v in (0.41, 0.000559, 0.9991, -0.52, -0.99998, 1.5)]
    ['0,41', '<0,01', '>0,99', '-0,52', '<-0,99', '1,50']
    """
    point = "0." if decimal_comma() else "."  # the compact labels' "0.", or "."
    if 0.5 < value < 1 and float(f"{value:.{digits}g}") >= 1:
        # never "1" for a value below 1 (read as certainty)
        return localized(">0." + "9" * digits if classes <= FEW else f">{point}99")
    if -1 < value < -0.5 and float(f"{value:.{digits}g}") <= -1:
        # nor "-1" above -1 (a gradient p - 1 of -1 reads as p = 0)
        return localized("<-0." + "9" * digits if classes <= FEW else f"<-{point}99")
    if not np.isfinite(value) or value == 0 or abs(value) == 1:
        return prose_number(value, digits)
    if classes <= FEW:  # trailing zeros kept: 0.0900 beside 0.245, not 0.09
        return significant(value, digits)
    if 0 < value < 0.005:
        return localized(f"<{point}01")
    if -0.005 < value < 0:
        return localized(f">-{point}01")
    if 0.995 <= value < 1:
        return localized(f">{point}99")
    if -1 < value <= -0.995:
        return localized(f"<-{point}99")
    text = f"{value:.2f}"
    return localized(text.replace("0.", point, 1) if abs(value) < 1 else text)


# --- builders --------------------------------------------------------------------------------


LABEL_BOX = "rgba(255,255,255,0.85)"
"""The background of a rule's label (:func:`rule`)."""


def rule(
    layout: dict,
    axis: str,
    at: float,
    *,
    line: dict,
    text: str = "",
    position: str = "top left",
    font: dict | None = None,
    log: bool = False,
) -> None:
    """Add to ``layout`` what ``fig.add_hline`` (axis "y") or ``fig.add_vline`` (axis "x")
    draws, with a label (none if ``text`` is empty): the same shape and annotation JSON,
    without their validation. ``log``: the axis is a log axis, where Plotly places a label
    at the log10 of its position (a shape at the value itself)."""
    vertical, horizontal = position.split()
    if axis == "y":
        shape = {"type": "line", "line": line, "xref": "x domain", "x0": 0, "x1": 1}
        shape |= {"yref": "y", "y0": at, "y1": at}
        note = {"xref": "x domain", "x": 0 if horizontal == "left" else 1, "xanchor": horizontal}
        note |= {"yref": "y", "y": at, "yanchor": "bottom" if vertical == "top" else "top"}
    else:
        shape = {"type": "line", "line": line, "xref": "x", "x0": at, "x1": at}
        shape |= {"yref": "y domain", "y0": 0, "y1": 1}
        where = math.log10(at) if log else at
        note = {"xref": "x", "x": where, "xanchor": "left" if horizontal == "right" else "right"}
        note |= {"yref": "y domain", "y": 1 if vertical == "top" else 0, "yanchor": vertical}
    # On a white box: a line crossing the label (the current T's over the entropy chart's
    # "log K … (uniform)", found by a student tour) passes behind its text, not through it.
    note |= {"showarrow": False, "text": text, "bgcolor": LABEL_BOX}
    if font:
        note["font"] = font
    layout.setdefault("shapes", []).append(shape)
    if text:
        layout.setdefault("annotations", []).append(note)


def category_names(labels: Sequence[str]) -> list[str]:
    """Class labels as axis categories, escaped (Plotly renders a subset of HTML in labels)."""
    return [plot_text(label) for label in labels]


def _invalid_text(value: float) -> str:
    if np.isnan(value):
        return "NaN"
    return "+inf" if value > 0 else "-inf"


INVALID_NAME = N_("not a number (NaN or inf)")
"""The legend name of invalid values (marked for translation; shown through ``_()``)."""


def probability_bars(
    labels: Sequence[str],
    probs: Sequence[float] | np.ndarray,
    *,
    title: str | None = None,
    name: str | None = None,
    highlight_argmax: bool = True,
    winners: Sequence[int] | np.ndarray | None = None,
    reserve_legend: bool = False,
    font_size: int = 16,
) -> go.Figure:
    """Bar chart of a probability vector on a fixed [0, 1] axis.

    The most probable classes are drawn darker, hatched and marked "▲ max" so they are
    found without colour. ``winners`` says which: by default every class tied for the
    largest finite value (:func:`softmax_core.top_classes`); a page passes the classes it
    knows to be on top (tied logits, or none when the values are broken), so a NaN, an
    inf or a wrong naive 0 is never marked. Non-finite entries (the naive formula's NaN
    and inf) keep their IEEE value in the main trace and get a full-height grey, cross-
    hatched bar labelled ``NaN`` or ``+inf`` in a second trace, so a broken value
    is never just a missing bar; the legend then names them. With ``reserve_legend``
    the legend's band is kept while every value is finite, so the plot does not move
    when a value breaks (the naive chart, whose values can).
    """
    title = _("Softmax probabilities") if title is None else title
    name = _("probability") if name is None else name
    p = np.asarray(probs, dtype=np.float64)
    x = category_names(labels)
    finite = np.isfinite(p)
    top = top_classes(p) if winners is None else np.asarray(winners, dtype=np.int64)
    marked = {int(i) for i in top if finite[int(i)]} if highlight_argmax else set()
    is_winner = [i in marked for i in range(len(p))]
    # Wide bars (few classes): the mark is part of the bar's label. Narrow bars: the mark is
    # a note of its own above the label, on two lines. In the label, its word was the
    # widest line: Plotly shrinks every label to fit its bar and hides one that would be
    # smaller than MIN_LABEL_PX, so on a phone the winner's label, number and mark, was the
    # one label hidden (found by a student tour). A note is never shrunk or hidden.
    word = _("max")
    mark = f"<br>▲ {word}" if len(p) <= FEW else ""
    # A 1 that float64 rounded, in a distribution whose other classes hold some: a hair
    # below 1, labelled so (">0.999" above a metric of "1 − 3.7e-44", not "1": a review)
    shares = np.where(finite, p, 0.0)
    distribution = bool(finite.all()) and abs(float(np.sum(shares)) - 1.0) <= 1e-9
    rounded = [
        distribution and v == 1.0 and bool(np.any(np.delete(shares, i) > 0))
        for i, v in enumerate(p)
    ]
    text = [
        (bar_number(np.nextafter(1.0, 0.0) if r else v, 3, len(p)) + (mark if w else ""))
        if f
        else ""
        for v, f, w, r in zip(p, finite, is_winner, rounded, strict=True)
    ]
    notes = winner_notes(sorted(marked), p, word, font_size) if len(p) > FEW else []
    colours = [WINNER if w else BAR for w in is_winner]
    bars = [
        {
            "type": "bar",
            "x": x,
            "y": p,
            "name": name,
            "showlegend": False,
            "marker": {
                "color": colours,
                "pattern": hatch(colours, ["/" if w else "" for w in is_winner]),
                "line": {"color": "#333", "width": 1},
            },
            "text": text,
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [repr(float(v)) for v in p],
            "hovertemplate": "%{x}<br>p = %{customdata}<extra></extra>",
        }
    ]
    legend = {"showlegend": False}
    if not finite.all():
        bad = np.flatnonzero(~finite)
        bars.append(
            {
                "type": "bar",
                "x": [x[i] for i in bad],
                "y": [1.0] * len(bad),
                "name": _(INVALID_NAME),
                "marker": {
                    "color": INVALID,
                    # White lines: black ones would cross the black label.
                    "pattern": hatch(INVALID, "x") | {"fgcolor": "#FFFFFF"},
                    "line": {"color": "#333", "width": 2},
                },
                "text": [f"<b>{_invalid_text(p[i])}</b>" for i in bad],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"size": font_size + 6, "color": "#000000"},
                "hovertemplate": _("%{x}: the formula returned %{text}") + "<extra></extra>",
            }
        )
        legend = {"barmode": "overlay", "showlegend": True}
    layout = chart_layout(
        title=title,
        x_title=_("class"),
        categories=labels,
        y_title=_("probability"),
        font_size=font_size,
        legend=[_(INVALID_NAME)] if reserve_legend or not finite.all() else [],
        yaxis={
            "range": range_with_labels(
                0.0, 1.0, above=2 if len(p) <= FEW else 3, below=0, font_size=font_size
            ),
            "tickvals": [0, 0.2, 0.4, 0.6, 0.8, 1],
            "tickformat": ".1f",
            "fixedrange": True,
        },
        **legend,
    )
    if notes:
        layout["annotations"] = [*layout.get("annotations", []), *notes]
    return figure(bars, layout)


def note_size(font_size: int) -> int:
    """The type size of a bar's note (:func:`bar_note`): three quarters of the chart's."""
    return max(MIN_LABEL_PX, round(0.75 * font_size))


def bar_note(x: float, y: float, text: str, shift: int, size: int) -> dict:
    """A note at bar ``x`` (the category's position: two classes may share a name), value
    ``y``, ``shift`` px above it (below it when negative, hanging from its top). Notes are
    never shrunk or hidden, as a bar's label is when it does not fit its bar."""
    return {
        "x": x,
        "y": y,
        "xref": "x",
        "yref": "y",
        "text": text,
        "showarrow": False,
        "yanchor": "bottom" if shift >= 0 else "top",
        "yshift": shift,
        "font": {"size": size, "color": "#000000"},
    }


def winner_notes(winners: Sequence[int], p: np.ndarray, word: str, font_size: int) -> list[dict]:
    """The notes that mark narrow bars ``winners`` (ascending positions) above their numbers:
    a "▲" over each, and the ``word`` once over each run of neighbours (tied winners side by
    side: one word each ran together as "maxmax" on a phone).

    >>> [(n["x"], n["text"]) for n in winner_notes([2, 3, 7], np.full(8, 0.3), "max", 16)]
    [(2, '▲'), (3, '▲'), (7, '▲'), (2.5, 'max'), (7.0, 'max')]
    """
    size = note_size(font_size)
    above_number = round(1.3 * font_size)
    line = round(1.5 * size)  # a note's box is about 1.4 lines of its text high

    def note(x: float, y: float, text: str, shift: int) -> dict:
        return bar_note(x, y, text, shift, size)

    runs: list[list[int]] = []
    for i in winners:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    marks = [note(i, float(p[i]), "▲", above_number) for i in winners]
    words = [
        note(sum(run) / len(run), max(float(p[i]) for i in run), word, above_number + line)
        for run in runs
    ]
    return marks + words


def grouped_bars(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float] | np.ndarray],
    *,
    title: str,
    y_title: str | None = None,
    font_size: int = 16,
) -> go.Figure:
    """Several outputs for the same classes, side by side: each series has its own colour
    and its own hatch (the first none), in the bars and in the legend."""
    y_title = _("output") if y_title is None else y_title
    x = category_names(labels)
    bars = []
    for i, (name, values) in enumerate(series.items()):
        v = np.asarray(values, dtype=np.float64)
        # Past the sixth series colours repeat, with the next hatch along.
        colour = SERIES[i % len(SERIES)]
        shape = PATTERNS[(i + i // len(SERIES)) % len(PATTERNS)]
        bars.append(
            {
                "type": "bar",
                "x": x,
                "y": v,
                "name": name,
                "marker": {
                    "color": colour,
                    "pattern": hatch(colour, shape),
                    "line": {"color": "#333", "width": 1},
                },
                "customdata": [repr(float(a)) for a in v],
                "hovertemplate": f"{plot_text(name)}<br>%{{x}}: %{{customdata}}<extra></extra>",
            }
        )
    layout = chart_layout(
        title=title,
        x_title=_("class"),
        categories=labels,
        y_title=y_title,
        font_size=font_size,
        legend=list(series),
        barmode="group",
    )
    return figure(bars, layout)


def _legend_line(name: str, line: dict, x: str, y: float) -> dict:
    """A legend entry for a reference line drawn as a layout shape: a line trace of the one
    point (``x``, ``y``) on that line, so nothing is drawn in the plot (a line needs two
    points; Plotly leaves a trace without data out of the legend)."""
    return {
        "type": "scatter",
        "x": [x],
        "y": [y],
        "mode": "lines",
        "name": name,
        "line": line,
        "hoverinfo": "skip",
    }


def exponent_bars(
    labels: Sequence[str],
    exponents: Sequence[float] | np.ndarray,
    *,
    overflow: float,
    underflow: float,
    dtype: str,
    exponent: str = "z/T",
    title: str | None = None,
    font_size: int = 16,
) -> go.Figure:
    """The exponents fed to exp(), against the dtype's overflow/underflow lines.

    ``exponent`` names what was exponentiated, as the page computes it (``"(z + c)/T"``
    when an offset c is added before dividing by T); the trace and the axis use it.

    Bars beyond a line are hatched and labelled, so a crossing is visible without colour.
    The two lines are named in the legend, above the plot, where no bar label can meet
    their names. Traces: the bars, then the two lines' legend entries.
    """
    title = _("What exp() is asked to compute") if title is None else title
    e = np.asarray(exponents, dtype=np.float64)
    over = e > overflow
    under = e < underflow
    colours = [
        MARK["vermillion"] if o else MARK["purple"] if u else BAR
        for o, u in zip(over, under, strict=True)
    ]
    words = _("overflow"), _("underflow")
    text = [words[0] if o else words[1] if u else "" for o, u in zip(over, under, strict=True)]
    bar = {
        "type": "bar",
        "x": category_names(labels),
        "y": e,
        "name": exponent,
        "showlegend": False,
        "marker": {
            "color": colours,
            "pattern": hatch(
                colours, ["x" if o or u else "" for o, u in zip(over, under, strict=True)]
            ),
            "line": {"color": "#333", "width": 1},
        },
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [repr(float(a)) for a in e],
        "hovertemplate": _("%{x}: exponent %{customdata}") + "<extra></extra>",
    }
    shown = e[np.isfinite(e)]
    low = min(float(shown.min(initial=0.0)), underflow)
    high = max(float(shown.max(initial=0.0)), overflow)
    # Rounded outwards, as in the page's table of limits (the same two numbers on one
    # screen: the legend said 709.78 and the table 709.79; found by a student tour). In
    # lines that fit a phone's legend (French and Spanish names were cut at its edge).
    names = [
        legend_name(text, font_size)
        for text in (
            _("{dtype} overflow at {level}").format(
                dtype=dtype, level=rounded_bound(overflow, up=True)
            ),
            _("{dtype} underflow at {level}").format(
                dtype=dtype, level=rounded_bound(underflow, up=False)
            ),
        )
    ]
    layout = chart_layout(
        title=title,
        x_title=_("class"),
        categories=labels,
        y_title=_("exponent {exponent}").format(exponent=exponent),
        font_size=font_size,
        legend=names,
        yaxis={"range": range_with_labels(low, high, above=1, below=1, font_size=font_size)},
    )
    line = {"dash": "dash", "color": "#333", "width": 2}
    entries = []
    for level, name in zip((overflow, underflow), names, strict=True):
        rule(layout, "y", level, line=line)
        if bar["x"]:
            entries.append(_legend_line(name, line, bar["x"][0], level))
    return figure([bar, *entries], layout)


def naive_and_stable_charts(
    labels: Sequence[str],
    naive: np.ndarray,
    stable: np.ndarray,
    *,
    exponent: str,
    naive_winners: Sequence[int],
    stable_winners: Sequence[int],
    font_size: int,
) -> tuple[go.Figure, go.Figure]:
    """Naive vs stable's two charts, side by side on one frame (:func:`align`): the naive
    softmax of ``exponent`` (e.g. "(z + c)/T") and the stable one. The naive chart keeps room
    for the legend its broken values get, so neither plot moves when one appears."""
    return align(
        probability_bars(
            labels,
            naive,
            title=_("Naive: exp({x}) / Σ exp({x})").format(x=exponent),
            winners=list(naive_winners),
            reserve_legend=True,
            font_size=font_size,
        ),
        probability_bars(
            labels,
            stable,
            title=_("Stable: subtract max({x}) first").format(x=exponent),
            winners=list(stable_winners),
            font_size=font_size,
        ),
    )

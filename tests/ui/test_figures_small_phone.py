"""The figure builders' frame for a 360 px phone, from the figure JSON (the drawn result is
checked in tests/browser/test_browser_small_phone.py).

* Legend entries too long for a phone's chart are given in lines, and the band above the
  plot has room for every line; a legend with groups is estimated as Plotly lays it out.
* The filter chart on a phone: "cut" beside "before" (three legend rows, not four), no gap
  between the rows of its groups, and room for a title on two lines.
* The entropy chart's current-T line leaves out the bands of the labels of 0 and log K.
* The Jacobian on a phone: long names give way to the classes' numbers and a key naming
  them; the colour bar lies under the matrix.
* An axis title stands off from measured (turned) tick labels.
"""

from __future__ import annotations

import numpy as np
import pytest

from softmax_ui import figures
from softmax_ui.figures import (
    LEGEND_ROW_EM,
    LINE_EM,
    exponent_bars,
    legend_band,
    legend_name,
    legend_rows,
    phone_title_lines,
    probability_bars,
)
from softmax_ui.figures_temperature import entropy_vs_temperature, filtered_bars
from softmax_ui.figures_training import (
    gradient_bars,
    jacobian_heatmap,
    key_lines,
    names_fit_a_phone,
)
from softmax_ui.i18n import language
from tests.class_names import EIGHT_NAMES

TS = np.geomspace(0.05, 20, 41)
LONG = list(EIGHT_NAMES)


def jacobian_of(k: int) -> np.ndarray:
    p = np.linspace(2, 1, k)
    p /= p.sum()
    return np.diag(p) - np.outer(p, p)


# --- legends ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, lines",
    [
        ("float64 overflow at 709.79", 1),
        ("float64 underflow at -745.14", 1),
        ("dépassement de capacité float64 à 709,79", 2),
        ("soupassement de capacité float64 à -745,14", 2),
        ("subdesbordamiento de float64 en -745,14", 2),
    ],
)
def test_a_legend_entry_too_long_for_a_phone_is_broken_between_words(text, lines):
    name = legend_name(text, 16)
    assert name.count("<br>") + 1 == lines
    assert name.replace("<br>", " ") == text  # every word kept, in order
    # each line fits a 360 px phone's chart with the legend's symbol (cautious estimate)
    for line in name.split("<br>"):
        assert figures.LEGEND_ENTRY_PX + 0.6 * 16 * len(line) <= figures.PHONE_CHART_PX + 10


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_the_exponent_charts_legend_fits_a_phone_and_its_band_has_room_for_its_lines(lang):
    with language(lang):
        fig = exponent_bars(
            ["a", "b", "c"], [2.0, 1.0, 0.1], overflow=709.78, underflow=-745.13, dtype="float64"
        )
    names = [t.name for t in fig.data[1:]]
    if lang != "en":
        assert all("<br>" in n for n in names), names
    band = fig.layout.margin.t - figures._title_px(16)
    rows = legend_rows(names, 16)
    lines = sum(n.count("<br>") + 1 for n in names)  # one entry a row here
    assert rows == 2
    assert band >= (rows * LEGEND_ROW_EM + (lines - rows) * LINE_EM) * 16


def test_a_band_counts_each_rows_tallest_entry():
    assert legend_band(["a", "b"], 16) == LEGEND_ROW_EM * 16 + figures.LEGEND_PAD_PX
    two = legend_band(["a<br>b", "c"], 16)
    assert two == (LEGEND_ROW_EM + LINE_EM) * 16 + figures.LEGEND_PAD_PX
    assert legend_rows(["a<br>b", "c"], 16) == 1


def test_a_grouped_legend_puts_short_entries_side_by_side():
    entries = ["before", "cut", "after top-k (k = 12)", "after top-p (p = 0.95)"]
    assert legend_rows(entries, 16) == 4  # a grid of the widest entry: one a row
    assert legend_rows(entries, 16, grouped=True) == 3  # "before" and "cut" share a row
    # numbers never change the estimate
    other = ["before", "cut", "after top-k (k = 1)", "after top-p (p = 1)"]
    assert legend_rows(other, 16, grouped=True) == 3


# --- the filter chart ---------------------------------------------------------------------------

FILTERED = {"after top-k (k = 3)": [0.66, 0.24, 0.1], "after top-p (p = 0.9)": [0.73, 0.27, 0]}
TITLE = "Before and after filtering: top-k with k = 3, top-p with p = 0.9"


def test_on_a_phone_the_filter_chart_puts_cut_beside_before_and_its_rows_together():
    phone = filtered_bars(["dog", "cat", "bird"], [0.66, 0.24, 0.1], FILTERED, title=TITLE)
    laptop = filtered_bars(
        ["dog", "cat", "bird"], [0.66, 0.24, 0.1], FILTERED, title=TITLE, wide=True
    )
    for fig in (phone, laptop):
        assert fig.layout.legend.tracegroupgap == 0  # rows 24 px apart, as the band counts
        assert any(t.legendgroup for t in fig.data)  # so Plotly lays groups out
    order = lambda fig: [  # noqa: E731
        t.name for t in sorted(fig.data, key=lambda t: t.legendrank) if t.showlegend is not False
    ]
    assert order(phone) == ["before", "cut", *FILTERED]
    assert order(laptop) == ["before", *FILTERED, "cut"]
    # three rows on a phone, four on a laptop (where the chart spans the page and the legend
    # takes one row; the band is planned for the narrowest plot)
    assert phone.layout.margin.t < laptop.layout.margin.t
    assert phone.layout.height - phone.layout.margin.t - phone.layout.margin.b == (
        figures.plot_height(16)
    )
    plot = figures.plot_height(16)
    assert plot >= 0.6 * phone.layout.height


def test_on_a_phone_a_title_has_the_room_of_its_lines():
    assert phone_title_lines(TITLE) == 2
    long = TITLE + " and a great many more words to make it three lines long"
    assert phone_title_lines(long) == 3
    short = filtered_bars(["a", "b"], [0.5, 0.5], {"f": [1, 0]}, title="t")
    three = filtered_bars(["a", "b"], [0.5, 0.5], {"f": [1, 0]}, title=long)
    laptop = filtered_bars(["a", "b"], [0.5, 0.5], {"f": [1, 0]}, title=long, wide=True)
    # 0.3rem from the chart's top, three lines of 1.2 × 15.2 px, 6 px over the legend
    title = 0.3 * 16 + 3 * 1.2 * 15.2 + 6
    assert three.layout.margin.t - short.layout.margin.t >= title - figures._title_px(16) - 0.5
    assert laptop.layout.margin.t < three.layout.margin.t  # a laptop's title: one line


# --- the entropy chart's current T ---------------------------------------------------------------


@pytest.mark.parametrize("temperature", [0.05, 0.3, 1.0, 20.0])
@pytest.mark.parametrize("font", [16, 24])
def test_the_current_ts_line_leaves_out_the_labels_bands(temperature, font):
    fig = entropy_vs_temperature(
        TS,
        np.linspace(0, np.log(3), len(TS)),
        temperature=temperature,
        current=0.5,
        n_classes=3,
        font_size=font,
    )
    low, high = fig.layout.yaxis.range
    ceiling = np.log(3)

    def domain(y: float) -> float:
        return (y - low) / (high - low)

    pieces = [s for s in fig.layout.shapes if s.line.color == "#AD4C00"]
    assert len(pieces) == 2 and all(s.yref == "y domain" for s in pieces)
    assert {s.x0 for s in pieces} == {min(max(temperature, 0.05), 20.0)}
    label = (LINE_EM * font + 4) / figures.plot_height(font)  # a label's box
    bands = [(domain(0) - label, domain(0)), (domain(ceiling), domain(ceiling) + label)]
    for s in pieces:
        for a, b in bands:
            assert s.y1 <= a + 1e-9 or s.y0 >= b - 1e-9, (s.y0, s.y1, a, b)
    assert max(s.y1 for s in pieces) == 1  # up to its own label, at the top
    assert min(s.y0 for s in pieces) == pytest.approx(domain(0))  # from 0, the curve's floor


def test_one_class_has_its_t_line_whole():
    fig = entropy_vs_temperature(TS, np.zeros(len(TS)), temperature=1.0, current=0.0, n_classes=1)
    pieces = [s for s in fig.layout.shapes if s.line.color == "#AD4C00"]
    assert [(s.y0, s.y1) for s in pieces] == [(0, 1)]


# --- the Jacobian on a phone ------------------------------------------------------------------


def test_names_that_fit_a_phone_are_kept():
    assert names_fit_a_phone(["dog", "cat", "bird"], 16)
    assert names_fit_a_phone(["chien", "chat", "oiseau"], 16)
    assert names_fit_a_phone([str(d) for d in range(10)], 16)
    assert not names_fit_a_phone(LONG, 16)
    assert not names_fit_a_phone(["le tapis", "le sol", "la chaise", "le lit", "la table"], 16)


def test_a_phones_jacobian_of_long_names_shows_numbers_and_a_key():
    fig = jacobian_heatmap(LONG, jacobian_of(8), narrow=True)
    heatmap = fig.data[0]
    keys = [str(i) for i in range(1, 9)]
    assert list(heatmap.x) == keys and list(heatmap.y) == keys
    # the key names every class whole, after its number
    (key,) = fig.layout.annotations
    text = key.text.replace("<br>", " · ")
    assert [entry.split(" ", 1) for entry in text.split(" · ")] == [
        [str(i + 1), name] for i, name in enumerate(LONG)
    ]
    assert key.yref == "paper" and key.y == 0 and key.yanchor == "top"
    # the hover names them too
    assert heatmap.customdata[0][1] == "∂p(Golden Retriever) / ∂z(Great White Shark)"
    # eight classes: the cells are coloured only, the colour bar lies under the matrix
    assert heatmap.showscale and heatmap.colorbar.orientation == "h"
    assert heatmap.texttemplate == ""
    # the matrix has the chart's width but for its numbers and axis title
    assert fig.layout.margin.l <= 4 * 16 and fig.layout.margin.r <= 20
    # the key, the colour bar and the axis title each have their band under the plot
    lines = len(key.text.split("<br>"))
    assert fig.layout.margin.b >= 60 + 50 + lines * LINE_EM * 14
    assert fig.layout.height == (
        fig.layout.margin.t + figures.plot_height(16) + fig.layout.margin.b
    )


def test_a_phones_jacobian_of_short_names_keeps_them_and_a_laptops_keeps_every_name():
    short = jacobian_heatmap(["dog", "cat", "bird"], jacobian_of(3), narrow=True)
    assert list(short.data[0].x) == ["dog", "cat", "bird"]
    assert not short.layout.annotations and not short.data[0].showscale
    laptop = jacobian_heatmap(LONG, jacobian_of(8))
    assert list(laptop.data[0].x) == LONG and not laptop.layout.annotations
    assert laptop.data[0].colorbar.orientation is None  # beside the matrix, as it was
    # the y axis title stands off from the names (it touched them)
    assert laptop.layout.yaxis.title.standoff == figures.TITLE_STANDOFF_PX


def test_a_phones_key_keeps_each_class_on_one_line_and_escapes_it():
    lines = key_lines([*LONG, "<b>x</b>"], 14)
    assert all(len(line) <= (figures.PHONE_CHART_PX - 8) / (0.6 * 14) + 15 for line in lines)
    assert "9 &lt;b&gt;x&lt;/b&gt;" in lines[-1]
    assert sum(line.count(" · ") + 1 for line in lines) == 9


def test_a_phones_jacobian_of_six_long_names_writes_its_cells():
    fig = jacobian_heatmap(LONG[:6], jacobian_of(6), narrow=True)
    assert list(fig.data[0].x) == [str(i) for i in range(1, 7)]
    assert fig.data[0].texttemplate == "%{text}" and not fig.data[0].showscale
    assert len(fig.layout.annotations) == 1


# --- axis titles under turned names -------------------------------------------------------------


@pytest.mark.parametrize(
    "fig",
    [
        probability_bars(LONG, np.full(8, 1 / 8)),
        gradient_bars(LONG, np.full(8, 0.1) - np.eye(8)[0], target=0),
    ],
    ids=["probability_bars", "gradient_bars"],
)
def test_the_class_title_stands_off_from_turned_names(fig):
    assert fig.layout.xaxis.automargin
    assert fig.layout.xaxis.title.standoff == figures.TITLE_STANDOFF_PX >= 12

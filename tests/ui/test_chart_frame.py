"""The frame of every chart: where the title, legend, plot and labels go, from the figure
JSON (the browser suite checks the drawn result, tests/browser/test_browser_charts.py).

* Every builder's plot area has the same height at a font size, and the legend has a band
  of its own between the title and the plot: Plotly never has to shrink the plot for it.
* A legend's band depends on its entries' words, not on the numbers in them, so moving a
  slider (T, k, p, c) never resizes a chart.
* :func:`softmax_ui.figures.align` gives charts shown side by side one frame.
* Bar labels have room on their side of the bar, inside the plot (issue 10: the target's
  "-1.77 ◆ target" sat on the class name under the plot).
* The Jacobian's title is the formula of what its cells hold (issue 10: it said pᵢ(δᵢⱼ − pⱼ)
  while the cells were divided by T).
"""

from __future__ import annotations

import numpy as np
import pytest

from softmax_ui import figures
from softmax_ui.figures import align, legend_rows, plot_height, probability_bars
from softmax_ui.figures_temperature import entropy_vs_temperature, probability_vs_temperature
from softmax_ui.figures_training import gradient_bars, jacobian_heatmap, jacobian_title
from tests.figure_data import figure as decoded
from tests.ui.conftest import GRADIENTS, assert_healthy, open_page
from tests.ui.test_figure_validity import BUILDERS, EXAMPLES
from tests.ui.test_figures_temperature_and_training import heatmap_z

TS = np.geomspace(0.05, 20, 41)
OWN_HEIGHT = {"jacobian_heatmap"}
"""Builders that size their plot to their content (one row per class)."""


def plot_px(fig) -> float:
    layout = fig.layout
    return layout.height - layout.margin.t - layout.margin.b


def examples():
    for name, cases in EXAMPLES.items():
        for i, (_, args, kwargs) in enumerate(cases):
            yield pytest.param(name, args, kwargs, id=f"{name}-{i}")


@pytest.mark.parametrize(("name", "args", "kwargs"), list(examples()))
def test_the_legend_has_a_band_of_its_own_above_a_plot_of_fixed_height(name, args, kwargs):
    fig = BUILDERS[name](*args, **kwargs)
    layout = fig.layout
    font = layout.font.size
    if name not in OWN_HEIGHT:
        assert plot_px(fig) == plot_height(font)
    legend = layout.legend
    assert (legend.orientation, legend.x, legend.y, legend.yanchor) == ("h", 0, 1, "bottom")
    shown = [t for t in fig.data if t.showlegend is not False] if layout.showlegend else []
    # in the legend's order; a legend group lays the entries out as groups
    names = [t.name for t in sorted(shown, key=lambda t: t.legendrank or 1000)]
    grouped = any(t.legendgroup for t in fig.data)
    band = layout.margin.t - figures._title_px(font)
    needed = legend_rows(names, font, grouped=grouped) * figures.LEGEND_ROW_EM * font
    assert band >= needed - 1, f"{name}: {band:.0f} px of band for {needed:.0f} px of legend"
    assert layout.title.yref == "container" and layout.title.yanchor == "top"


def test_numbers_in_legend_entries_never_change_the_band():
    """Entries whose numbers follow a control are estimated the same at every value."""
    for a, b in [
        ("at T = 0.05", "at T = 12.75"),
        ("after top-p (p = 1)", "after top-p (p = 0.35)"),
    ]:
        assert legend_rows([a, "before", a], 16) == legend_rows([b, "before", b], 16)
    sweep = np.tile([0.5, 0.3, 0.2], (len(TS), 1))
    frames = {
        (round(fig.layout.margin.t), round(fig.layout.height))
        for t in (0.01, 0.5, 1.0, 7.25, 100.0)
        for fig in [
            probability_vs_temperature(["a", "b", "c"], TS, sweep, temperature=t, current=sweep[0]),
        ]
    }
    assert len(frames) == 1, frames


def test_the_naive_chart_keeps_its_legend_band_while_every_value_is_finite():
    fine = probability_bars(["a", "b", "c"], [0.5, 0.3, 0.2], reserve_legend=True)
    broken = probability_bars(["a", "b", "c"], [np.nan, np.nan, np.nan], reserve_legend=True)
    assert not fine.layout.showlegend and broken.layout.showlegend
    for part in ("t", "b", "l", "r"):
        assert fine.layout.margin[part] == broken.layout.margin[part]
    assert fine.layout.height == broken.layout.height
    assert fine.layout.yaxis.range == broken.layout.yaxis.range  # the same axis, always
    plain = probability_bars(["a", "b", "c"], [0.5, 0.3, 0.2])
    assert plain.layout.margin.t < fine.layout.margin.t  # no band where no legend can come


def test_align_gives_side_by_side_charts_one_frame():
    labels = [f"word {i}" for i in range(8)]
    p = np.full(8, 1 / 8)
    sweep = probability_vs_temperature(
        labels, TS, np.tile(p, (len(TS), 1)), temperature=1, current=p
    )
    entropy = entropy_vs_temperature(TS, np.zeros(len(TS)), temperature=1, current=0, n_classes=8)
    assert sweep.layout.margin.t > entropy.layout.margin.t  # eight entries against two
    align(sweep, entropy)
    assert sweep.layout.margin.to_plotly_json() == entropy.layout.margin.to_plotly_json()
    assert sweep.layout.height == entropy.layout.height
    assert plot_px(sweep) == plot_px(entropy) == plot_height(16)
    assert sweep.layout.xaxis.range == entropy.layout.xaxis.range


@pytest.mark.parametrize("font", [16, 24])
@pytest.mark.parametrize("temperature", [0.05, 0.5, 1.0])
def test_gradient_labels_fit_between_the_bars_and_the_class_names(font, temperature):
    """The target's bar is negative and labelled under its end, in two lines (with many
    classes, its number and two notes): the axis leaves that much room above the class
    names under the plot."""
    for labels in (["dog", "cat", "bird"], [str(d) for d in range(10)]):
        k = len(labels)
        p = np.full(k, 0.2 / (k - 1))
        p[1] = 0.8
        g = (p - np.eye(k)[0]) / temperature
        fig = gradient_bars(labels, g, target=0, font_size=font)
        low, high = fig.layout.yaxis.range
        px_per_unit = plot_px(fig) / (high - low)
        # its number and mark: lines of its label, and notes under it (narrow bars)
        lines = fig.data[0].text[0].count("<br>") + 1 + len(fig.layout.annotations)
        below = (g.min() - low) * px_per_unit
        above = (high - g.max()) * px_per_unit
        needed = lines * 1.2 * font
        assert below >= needed, (below, needed)
        assert above >= 1.2 * font, (above, font)


def test_jacobian_title_says_what_the_cells_hold():
    assert "/ T" not in jacobian_title(1.0)
    assert jacobian_title(0.5).endswith("pᵢ(δᵢⱼ − pⱼ) / T, T = 0.5")


def test_the_jacobians_title_on_the_page_writes_its_subscripts_as_subscripts():
    """The page's bold type drew ᵢ and ⱼ as small capitals: "∂pɪ/∂zᴊ = pɪ(δɪᴊ − pᴊ)" (a
    tour). The title the page writes over the chart has them as <sub>."""
    at = open_page(GRADIENTS, {"tab": "jacobian"})
    assert_healthy(at)
    titles = [h.proto.body for h in at.get("html") if "chart-title" in h.proto.body]
    jacobian = next(t for t in titles if "∂p" in t)
    assert "∂p<sub>i</sub>/∂z<sub>j</sub> = p<sub>i</sub>(δ<sub>i</sub><sub>j</sub>" in jacobian
    assert "ᵢ" not in jacobian and "ⱼ" not in jacobian
    p = np.array([0.5, 0.3, 0.2])
    fig = jacobian_heatmap(["a", "b", "c"], (np.diag(p) - np.outer(p, p)) / 2, temperature=2)
    assert fig.layout.title.text == "Softmax Jacobian ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ) / T, T = 2"
    assert jacobian_heatmap(["a"], [[0.0]], title="mine").layout.title.text == "mine"


@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0])
def test_the_gradients_page_titles_its_jacobian_by_what_it_plots(temperature):
    """The page's heatmap cells are pᵢ(δᵢⱼ − pⱼ)/T (computed here from scratch), and its
    title says so: "/ T" exactly when T ≠ 1."""
    z = np.array([2.0, 1.0, 0.1])
    query = {"z": "2,1,0.1", "labels": "dog,cat,bird", "T": f"{temperature}", "tab": "jacobian"}
    at = open_page(GRADIENTS, query)
    assert_healthy(at)
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("-jacobian_chart"))
    e = np.exp(z / temperature - np.max(z / temperature))
    p = e / e.sum()
    expected = (np.diag(p) - np.outer(p, p)) / temperature
    np.testing.assert_allclose(heatmap_z(chart.proto.spec), expected, rtol=1e-12, atol=1e-15)
    title = decoded(chart.proto.spec)["layout"]["title"]["text"]
    assert ("/ T" in title) == (temperature != 1), title
    if temperature != 1:
        assert f"T = {temperature:g}" in title

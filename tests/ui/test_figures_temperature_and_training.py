"""softmax_ui.figures_temperature and softmax_ui.figures_training (lessons 4–6) are pure: check
what each builder would draw, without Streamlit."""

import base64
import itertools
import json
import math

import numpy as np
import plotly.io as pio
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from softmax_ui import i18n
from softmax_ui.figures_temperature import (
    entropy_vs_temperature,
    filtered_bars,
    probability_vs_temperature,
    sample_frequencies,
)
from softmax_ui.figures_training import (
    derivative_curves,
    gradient_bars,
    jacobian_heatmap,
    loss_history,
    reliability_diagram,
)
from tests.figure_data import trace_values

TS = np.geomspace(0.05, 20, 7)
PROBS = np.array([[0.7, 0.2, 0.1]] * 7)


def spec(fig):
    return pio.to_json(fig, validate=False)


def heatmap_z(spec_json: str, trace: int = 0) -> np.ndarray:
    """A heatmap's matrix from the JSON (plotly writes its shape as the text "3, 3")."""
    z = json.loads(spec_json)["data"][trace]["z"]
    if isinstance(z, dict):
        flat = np.frombuffer(base64.b64decode(z["bdata"]), dtype=np.dtype(z["dtype"]))
        return flat.reshape([int(n) for n in str(z["shape"]).split(",")]).astype(np.float64)
    return np.array(z, dtype=np.float64)


def typed_array(spec_json: str, trace: int, axis: str = "y") -> str:
    """The dtype plotly sends a trace's ``axis`` array as ("f4", "f8", …)."""
    return json.loads(spec_json)["data"][trace][axis]["dtype"]


def test_probability_vs_temperature_draws_one_line_per_class_on_a_log_t_axis():
    probs = PROBS + np.linspace(0, 0.01, 7)[:, None] * [1, -1, 0]
    fig = probability_vs_temperature(
        ["a", "b", "c"], TS, probs, temperature=2.0, current=[0.5, 0.3, 0.2]
    )
    for i in range(3):
        np.testing.assert_allclose(trace_values(spec(fig), i), probs[:, i], rtol=1e-7)
        np.testing.assert_allclose(trace_values(spec(fig), i, "x"), TS, rtol=1e-7)
        assert typed_array(spec(fig), i) == typed_array(spec(fig), i, "x") == "f4"
    assert typed_array(spec(fig), 3) == "f8", "the current point keeps every digit"
    assert fig.layout.xaxis.type == "log"
    lines = [(t.line.dash, t.marker.symbol) for t in fig.data[:3]]
    assert len(set(lines)) == 3, "classes differ by dash and marker, not only colour"
    np.testing.assert_allclose(trace_values(spec(fig), 3), [0.5, 0.3, 0.2])
    assert set(trace_values(spec(fig), 3, "x")) == {2.0}
    assert any(s.x0 == 2.0 for s in fig.layout.shapes), "current T marked by a vertical line"
    # its label beside it: Plotly places an annotation on a log axis at the log10 of x (the
    # label of T = 1 stood at T = 10; found by a student tour)
    label = next(a for a in fig.layout.annotations if a.text == "T = 2")
    assert label.x == math.log10(2.0)


def test_current_temperature_outside_the_sweep_is_drawn_at_its_edge_and_labelled():
    fig = probability_vs_temperature(["a", "b", "c"], TS, PROBS, temperature=80, current=[1, 0, 0])
    assert set(trace_values(spec(fig), 3, "x")) == {20.0}
    assert "T = 80" in fig.layout.annotations[0].text


def test_entropy_curve_has_its_ceiling_log_k_and_the_current_point():
    h = np.linspace(0, math.log(4) * 0.99, 7)
    fig = entropy_vs_temperature(TS, h, temperature=1.0, current=0.8, n_classes=4)
    np.testing.assert_allclose(trace_values(spec(fig), 0), h, rtol=1e-7)
    np.testing.assert_allclose(trace_values(spec(fig), 0, "x"), TS, rtol=1e-7)
    assert typed_array(spec(fig), 0) == "f4"
    np.testing.assert_allclose(trace_values(spec(fig), 1), [0.8])
    levels = {round(s.y0, 9) for s in fig.layout.shapes if s.y0 == s.y1}
    assert round(math.log(4), 9) in levels and 0 in levels
    assert any("log 4 = 1.386" in a.text for a in fig.layout.annotations)
    # the T line crosses the labels of the ceiling and of 0 at some T: each label is on an
    # opaque-enough white box, so the line passes behind its text (a student tour)
    boxes = {a.text: a.bgcolor for a in fig.layout.annotations}
    assert len(boxes) == 3 and all(box == "rgba(255,255,255,0.85)" for box in boxes.values())


def test_entropy_label_of_zero_is_under_its_line_in_a_band_of_its_own():
    """Over the line, the label's white box hid the curve rising from 0 in Spanish and
    French (a student tour): under it, in a band below 0 where the curve never goes."""
    h = np.linspace(0, math.log(3) * 0.99, 7)
    for size in (16, 24):
        fig = entropy_vs_temperature(
            TS, h, temperature=1.0, current=0.8, n_classes=3, font_size=size
        )
        zero = next(a for a in fig.layout.annotations if a.y == 0 and a.yref == "y")
        assert (zero.yanchor, zero.xanchor) == ("top", "right")
        low, high = fig.layout.yaxis.range
        plot = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
        band = -low / (high - low) * plot
        assert band >= 1.3 * size + 4, band  # a line of text and its box


def test_sample_frequencies_draw_observed_over_expected():
    fig = sample_frequencies(["a", "b", "c"], [0.6, 0.3, 0.1], [55, 35, 10], seed=3)
    np.testing.assert_allclose(trace_values(spec(fig)), [0.6, 0.3, 0.1])
    np.testing.assert_allclose(trace_values(spec(fig), 1), [0.55, 0.35, 0.10])
    assert fig.data[0].type == "bar" and fig.data[1].marker.symbol == "diamond"
    assert fig.data[1].name == "observed (seed 3)"
    assert fig.layout.title.text.startswith("100 samples")
    # each count over the higher of its bar and its diamond (a count on a diamond under its
    # bar's top was written across the bar; a student tour), lifted clear of the diamond
    counts = [(a.text, a.x, a.y, a.yanchor) for a in fig.layout.annotations]
    assert counts == [
        ("55", "a", 0.6, "bottom"),
        ("35", "b", 0.35, "bottom"),
        ("10", "c", 0.1, "bottom"),
    ]
    assert all(a.yshift > fig.data[1].marker.size / 2 for a in fig.layout.annotations)
    assert fig.data[1].text is None


def test_filtered_bars_show_before_and_each_filter_and_name_the_cut_classes():
    fig = filtered_bars(
        ["a", "b", "c"],
        [0.6, 0.3, 0.1],
        {"after top-k": [2 / 3, 1 / 3, 0.0], "after top-p": [1.0, 0.0, 0.0]},
        title="top-k and top-p",
    )
    assert [t.name for t in fig.data] == ["before", "after top-k", "after top-p", "cut", "cut"]
    np.testing.assert_allclose(trace_values(spec(fig)), [0.6, 0.3, 0.1])
    np.testing.assert_allclose(trace_values(spec(fig), 1), [2 / 3, 1 / 3, 0])
    np.testing.assert_allclose(trace_values(spec(fig), 2), [1, 0, 0])
    # nine bars side by side: compact labels, sized for nine (".67", as with nine classes)
    assert fig.data[1].text == (".67", ".33", "")
    assert fig.data[2].text == ("1", "", "")
    assert fig.data[3].text == ("cut",) and fig.data[4].text == ("cut", "cut")
    assert fig.data[0].text == (".60", ".30", ".10")
    one = filtered_bars(["a", "b"], [0.6, 0.4], {"after top-k": [1.0, 0.0]}, title="top-k")
    assert one.data[0].text == ("0.60", "0.40")  # four bars: room for the full number
    # the page's full width (a laptop, a projector): room for the full numbers of 3 classes
    wide = filtered_bars(
        ["a", "b", "c"],
        [0.6, 0.3, 0.1],
        {"after top-k": [2 / 3, 1 / 3, 0.0], "after top-p": [1.0, 0.0, 0.0]},
        title="top-k and top-p",
        wide=True,
    )
    assert wide.data[0].text == ("0.60", "0.30", "0.10")
    assert wide.data[1].text == ("0.67", "0.33", "")
    with i18n.language("fr"):
        french = filtered_bars(
            ["a", "b", "c"], [0.6, 0.3, 0.1], {"α": [2 / 3, 1 / 3, 0.0]}, title="t", wide=True
        )
    assert french.data[1].text == ("0,67", "0,33", "")
    assert french.data[2].text == ("écartée",) and french.data[2].name == "écartée"
    # twelve classes are narrow even there: compact labels again
    twelve = filtered_bars(
        list("abcdefghijkl"), [1 / 12] * 12, {"α": [1 / 12] * 12}, title="t", wide=True
    )
    assert twelve.data[0].text[0] == ".08"
    hatches = [t.marker.pattern.shape for t in fig.data[:3]]
    colours = [t.marker.color for t in fig.data[:3]]
    assert len(set(hatches)) == 3 and len(set(colours)) == 3, "told apart by hatch, not only colour"
    assert fig.layout.barmode == "group"
    assert "after top-p" in fig.data[2].hovertemplate


def test_filtered_bars_draw_each_cut_class_as_a_grey_bar_where_it_was():
    """A class a filter cut was a zero bar under the word "cut", and the word is hidden where
    it does not fit (eight classes on a phone, "écartée" in French): a cut class looked like a
    class of very small probability (a student tour). Each is drawn in the filter's slot as a
    grey cross-hatched bar as tall as the class was before, at least 0.03 (8 px), with
    one legend entry."""
    p = [0.45, 0.25, 0.15, 0.08, 0.04, 0.02, 0.008, 0.002]
    labels = ["mat", "sofa", "floor", "bed", "roof", "table", "moon", "piano"]
    after_k = [0.45 / 0.85, 0.25 / 0.85, 0.15 / 0.85, 0, 0, 0, 0, 0]
    fig = filtered_bars(labels, p, {"top-k": after_k, "top-p": p}, title="t", font_size=16)
    before, kept_k, kept_p, cut_k, cut_p = fig.data
    # in the slot of the filter that cut them: the same offset group as its bars
    assert cut_k.offsetgroup == kept_k.offsetgroup != kept_p.offsetgroup == cut_p.offsetgroup
    assert before.offsetgroup not in (kept_k.offsetgroup, kept_p.offsetgroup)
    assert cut_k.x == ("bed", "roof", "table", "moon", "piano")
    assert cut_p.x == () and cut_p.y == ()  # top-p at 1 cuts nothing here
    # as tall as before; a class too small to see is drawn 0.03 tall (8 px at 16 px), the
    # same in the presenter view's larger type: a scene's figure is the teacher's
    low, high = fig.layout.yaxis.range
    px = np.array(cut_k.y) / (high - low) * (200 + 6 * 16)
    np.testing.assert_allclose(cut_k.y, [0.08, 0.04, 0.03, 0.03, 0.03])
    assert px.min() >= 8, px  # 0.02, 0.008 and 0.002: under 8 px
    large = filtered_bars(labels, p, {"top-k": after_k, "top-p": p}, title="t", font_size=24)
    for a, b in zip(large.data, fig.data, strict=True):
        np.testing.assert_array_equal(a.y, b.y)
    # a fill and hatch of their own: grey, unlike every kept bar's colour and hatch
    kept = [before, kept_k, kept_p]
    assert cut_k.marker.color not in {t.marker.color for t in kept}
    assert cut_k.marker.pattern.shape not in {t.marker.pattern.shape for t in kept}
    assert cut_k.marker.pattern.fillmode == "overlay"
    assert cut_k.marker.pattern.bgcolor == cut_k.marker.color
    r, g, b = (int(cut_k.marker.color[i : i + 2], 16) for i in (1, 3, 5))
    assert r == g == b, "grey"
    # one legend entry, "cut", from the first filter that cut anything
    assert [t.name for t in fig.data if t.showlegend is not False] == [
        "before",
        "top-k",
        "top-p",
        "cut",
    ]
    only_p = filtered_bars(labels, p, {"top-k": p, "top-p": after_k}, title="t")
    assert [t.showlegend for t in only_p.data[3:]] == [False, True]
    assert cut_k.text == ("cut",) * 5
    assert "top-k" in cut_k.hovertemplate and "cut" in cut_k.hovertemplate


def test_gradient_bars_mark_the_target_by_hatch_and_word():
    fig = gradient_bars(["a", "b", "c"], [-0.4, 0.3, 0.1], target=0)
    np.testing.assert_allclose(trace_values(spec(fig)), [-0.4, 0.3, 0.1])
    assert fig.data[0].marker.pattern.shape == ("x", "", "")
    assert "target" in fig.data[0].text[0] and "target" not in fig.data[0].text[1]
    low, high = fig.layout.yaxis.range
    assert low < -0.4 and high > 0.3
    # narrow bars: the number alone in the label, never hidden for its width; the mark and
    # the word are notes under it, at the target's place
    many = gradient_bars(list("abcdefgh"), [0.1] * 2 + [-0.83] + [0.1] * 5, target=2)
    assert many.data[0].text[2] == "-.83"
    assert [(n.text, n.x, n.y) for n in many.layout.annotations] == [
        ("◆", 2, -0.83),
        ("target", 2, -0.83),
    ]


def test_jacobian_heatmap_holds_the_matrix_with_a_centred_scale_and_values_in_cells():
    p = np.array([0.5, 0.3, 0.2])
    j = np.diag(p) - np.outer(p, p)
    fig = jacobian_heatmap(["a", "b", "c"], j)
    np.testing.assert_allclose(heatmap_z(spec(fig)), j)
    assert fig.data[0].zmin == -fig.data[0].zmax
    assert fig.data[0].text[0][0] == "0.25"
    assert fig.layout.yaxis.autorange == "reversed"


def test_loss_history_draws_one_point_per_step_from_zero():
    fig = loss_history([1.2, 0.8, 0.5])
    np.testing.assert_allclose(trace_values(spec(fig)), [1.2, 0.8, 0.5])
    np.testing.assert_allclose(trace_values(spec(fig), 0, "x"), [0, 1, 2])
    assert fig.data[0].text == ("1.2", "0.8", "0.5")
    assert fig.layout.margin.r >= 3 * 16  # room for the last label, drawn to its point's right
    assert fig.layout.yaxis.range[1] > 1.2  # and for the highest one, above its point
    phone = loss_history(np.linspace(1.2, 0.1, 12), font_size=16, narrow=True)
    assert [t for t in phone.data[0].text if t] == ["1.2", "0.1"]
    # the last label to its point's left: under the line where the loss fell to it (over
    # it, "0,109" sat on the markers of the steps before; a student tour), with room under 0
    assert phone.data[0].textposition[-1] == "bottom left"
    assert phone.layout.yaxis.range[0] < 0 < phone.layout.yaxis.range[1]
    high = loss_history(np.linspace(1.2, 0.9, 12), font_size=16, narrow=True)
    assert high.data[0].textposition[-1] == "bottom left"
    assert high.layout.yaxis.range[0] > phone.layout.yaxis.range[0]  # room enough above 0
    rising = loss_history([0.5, 0.8, 1.2], font_size=16, narrow=True)
    assert rising.data[0].textposition[-1] == "top left"
    assert rising.layout.yaxis.range[0] > phone.layout.yaxis.range[0]  # no label under 0


def grid_x(spec_json: str, trace: int) -> np.ndarray:
    """The x values of a trace sent as a start and a step (``x0``, ``dx``), not an array."""
    data = json.loads(spec_json)["data"][trace]
    assert "x" not in data
    return data["x0"] + data["dx"] * np.arange(len(trace_values(spec_json, trace)))


def test_derivative_curves_draw_curves_then_the_marked_logits():
    x = np.linspace(-6, 6, 5)
    fig = derivative_curves(
        x,
        {"s": [0.0, 0.1, 0.25, 0.1, 0.0], "r": [0, 0, 0, 1, 1]},
        steps=["r"],
        marks={"s": ([1.0], [0.2]), "r": ([1.0], [1.0])},
        mark_names=["dog"],
    )
    assert [t.name for t in fig.data] == ["s", "r", "s at your logits", "r at your logits"]
    np.testing.assert_allclose(trace_values(spec(fig), 0), [0.0, 0.1, 0.25, 0.1, 0.0], rtol=1e-7)
    np.testing.assert_allclose(trace_values(spec(fig), 1), [0, 0, 0, 1, 1])
    for trace in (0, 1):
        np.testing.assert_array_equal(grid_x(spec(fig), trace), x)
        assert typed_array(spec(fig), trace) == "f4"
    np.testing.assert_allclose(trace_values(spec(fig), 2), [0.2])
    assert fig.data[0].line.shape == "linear"
    assert fig.data[1].line.shape == "vh", "a step function jumps at a grid point, no ramp"
    assert fig.data[0].line.dash != fig.data[1].line.dash
    assert fig.data[2].customdata[0] == "dog"


def test_derivative_curves_refuse_an_uneven_grid():
    with pytest.raises(ValueError, match="evenly spaced"):
        derivative_curves([0, 1, 3], {"s": [0, 1, 2]})


def test_reliability_diagram_has_the_diagonal_and_skips_empty_bins():
    conf = np.array([np.nan, 0.35, 0.75, 0.95])
    acc = np.array([np.nan, 0.3, 0.6, 0.7])
    counts = np.array([0, 10, 40, 50])
    fig = reliability_diagram({"before": (conf, acc, counts), "after": (conf, acc, counts)})
    np.testing.assert_allclose(trace_values(spec(fig), 0), [0, 1])
    np.testing.assert_allclose(trace_values(spec(fig), 1), [0.3, 0.6, 0.7])
    np.testing.assert_allclose(trace_values(spec(fig), 1, "x"), [0.35, 0.75, 0.95])
    assert fig.data[1].marker.symbol != fig.data[2].marker.symbol
    assert list(fig.data[1].customdata) == [10, 40, 50]
    assert fig.data[1].marker.size[0] < fig.data[1].marker.size[2]  # area grows with count
    # a bin at accuracy 1 sits on the plot's top edge: drawn whole, not cut by the plot area
    assert fig.layout.yaxis.range[1] < 1 + 0.05
    assert fig.data[1].cliponaxis is False and fig.data[2].cliponaxis is False


@pytest.mark.parametrize(
    "build",
    [
        lambda labels: probability_vs_temperature(
            labels, TS, PROBS[:, :2], temperature=1, current=[0.5, 0.5]
        ),
        lambda labels: sample_frequencies(labels, [0.5, 0.5], [1, 1], seed=0),
        lambda labels: filtered_bars(labels, [0.5, 0.5], {"after": [1, 0]}, title="t"),
        lambda labels: gradient_bars(labels, [-0.5, 0.5], target=0),
        lambda labels: jacobian_heatmap(labels, [[0.25, -0.25], [-0.25, 0.25]]),
    ],
)
def test_user_labels_are_escaped(build):
    text = json.dumps(json.loads(spec(build(["<b>x</b>", "y"]))), ensure_ascii=False)
    assert "<b>x</b>" not in text and "&lt;b&gt;x&lt;/b&gt;" in text


def test_figures_are_small_and_use_the_plain_template():
    k = 20
    probs = np.full((81, k), 1 / k)
    fig = probability_vs_temperature(
        [f"c{i}" for i in range(k)],
        np.geomspace(0.05, 20, 81),
        probs,
        temperature=1,
        current=probs[0],
    )
    assert len(spec(fig)) < 50_000
    assert fig.layout.template.layout.to_plotly_json() == {}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(1e-300, 1e6),
            st.sampled_from([0.0, 0.0004533, 0.0004532, 2000.0, 1999.0, 1.0, 0.999]),
        ),
        min_size=1,
        max_size=12,
    )
)
@example([0.0004533, 0.00045327, 0.0004498])  # read "0.000453, 0.000453" (a student tour)
@example([2000.0, 1500.0, 1000.0])  # read "2e+03"
def test_a_loss_label_reads_its_loss(losses: list[float]):
    """Each point's label is its loss, to its printed digits; unequal losses read unequal,
    in the same order; a loss of 1 or more is written with every digit of its whole part
    (never "2e+03")."""
    texts = loss_history(losses).data[0].text
    for value, text in zip(losses, texts, strict=True):
        read = float(text)
        mantissa = text.split("e")[0].lstrip("-").replace(".", "").lstrip("0")
        assert math.isclose(read, value, rel_tol=10.0 ** (1 - max(len(mantissa), 1))), (
            value,
            text,
        )
        if value >= 1:
            assert "e" not in text, text
    for (a, ta), (b, tb) in itertools.combinations(zip(losses, texts, strict=True), 2):
        assert (a < b) == (float(ta) < float(tb)) and (a == b) == (ta == tb), (a, ta, b, tb)

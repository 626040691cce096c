"""Figure builders are pure: check what they would draw, without Streamlit."""

import json
import re

import numpy as np
import plotly.io as pio
from hypothesis import example, given
from hypothesis import strategies as st

from softmax_ui.figures import MARK, bar_number, exponent_bars, grouped_bars, probability_bars
from softmax_ui.i18n import language
from tests.figure_data import trace_values


def spec(fig):
    return pio.to_json(fig, validate=False)


def test_probability_bars_draw_the_values_on_a_fixed_axis_and_mark_the_winner():
    fig = probability_bars(["dog", "cat", "bird"], [0.659, 0.242, 0.099])
    np.testing.assert_allclose(trace_values(spec(fig)), [0.659, 0.242, 0.099])
    low, high = fig.layout.yaxis.range
    assert low == 0 and 1.15 < high < 1.3  # room above a full bar for its two-line label
    assert fig.layout.yaxis.tickvals[-1] == 1  # no tick above probability 1
    bar = fig.data[0]
    assert bar.marker.pattern.shape == ("/", "", "")  # the winner is hatched, not only coloured
    assert "▲ max" in bar.text[0] and "▲" not in bar.text[1]
    assert bar.customdata[0] == "0.659"  # exact value on hover
    assert len(fig.data) == 1


def test_invalid_values_keep_ieee_in_the_data_and_get_a_labelled_marker():
    fig = probability_bars(["a", "b", "c"], [np.nan, np.inf, 0.5])
    values = trace_values(spec(fig))
    assert np.isnan(values[0]) and values[2] == 0.5
    marker = fig.data[1]
    assert list(marker.x) == ["a", "b"]
    assert [t.replace("<b>", "").replace("</b>", "") for t in marker.text] == ["NaN", "+inf"]
    assert fig.layout.showlegend


def test_user_labels_are_escaped_for_plotly():
    fig = probability_bars(["<b>x</b>", "y"], [0.5, 0.5])
    assert fig.data[0].x[0] == "&lt;b&gt;x&lt;/b&gt;"


def test_grouped_bars_have_one_trace_per_series_with_distinct_patterns():
    fig = grouped_bars(["a", "b"], {"softmax": [0.3, 0.7], "ReLU": [0.0, 2.0]}, title="t")
    assert [t.name for t in fig.data] == ["softmax", "ReLU"]
    assert fig.data[0].marker.pattern.shape != fig.data[1].marker.pattern.shape
    assert fig.layout.barmode == "group"


def test_exponent_bars_mark_crossings_of_the_limit_lines():
    fig = exponent_bars(
        ["a", "b"],
        [710.0, 1.0],
        overflow=709.782712893384,
        underflow=-745.1332191019411,
        dtype="float64",
    )
    assert fig.data[0].text == ("overflow", "")
    assert fig.data[0].marker.color[0] == MARK["vermillion"]
    assert fig.data[0].marker.pattern.shape == ("x", "")
    lines = [shape.y0 for shape in fig.layout.shapes]
    assert lines == [709.782712893384, -745.1332191019411]
    # The lines are named in the legend (above the plot), each by a one-point line trace.
    names = [(t.name, t.y[0], t.line.dash) for t in fig.data[1:]]
    assert names == [
        # named as the page's table rounds them: outwards
        ("float64 overflow at 709.79", 709.782712893384, "dash"),
        ("float64 underflow at -745.14", -745.1332191019411, "dash"),
    ]
    assert fig.layout.showlegend and fig.data[0].showlegend is False


def test_figures_are_small_enough_to_send_on_every_rerun():
    fig = probability_bars([str(i) for i in range(20)], np.full(20, 0.05))
    assert len(spec(fig)) < 6000
    assert (
        "template" not in json.loads(spec(fig))["layout"]
        or len(json.dumps(json.loads(spec(fig))["layout"]["template"])) < 200
    )


def test_x_labels_are_measured_only_when_long_names_might_rotate():
    short = probability_bars(["dog", "cat", "bird"], [0.659, 0.242, 0.099])
    assert short.layout.xaxis.automargin is False  # the browser skips measuring them
    assert short.layout.margin.b >= 3 * 16  # room for one line of labels and the axis title
    many = [f"class number {i}" for i in range(1, 21)]
    long = probability_bars(many, np.full(20, 0.05))
    assert long.layout.xaxis.automargin is True  # Plotly may rotate them and grow the margin
    big = probability_bars(["dog", "cat", "bird"], [0.659, 0.242, 0.099], font_size=24)
    assert big.layout.margin.b >= 3 * 24  # presenter fonts get a taller margin
    assert big.layout.yaxis.automargin is True  # tick numbers are measured: cheap, and safe


@given(st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([2, 3]))
@example(0.09003, 3)  # read "0.09" beside "0.245" (a student tour)
@example(-0.0, 2)
@example(0.34, 3)
@example(0.9999, 3)
@example(99.96, 3)
@example(-0.99609375, 2)
def test_a_bar_over_few_classes_shows_the_same_number_of_digits(value: float, digits: int):
    """Every bar label over a few classes has ``digits`` significant digits, trailing zeros
    kept, and is ``value`` rounded to them; a value below 1 never reads 1 (">0.99…"), nor
    one above -1 -1 ("<-0.99…")."""
    text = bar_number(value, digits, 3)
    if value in (0.0, 1.0, -1.0):
        assert text == f"{value + 0.0:g}"  # (no "-0")
        return
    if text.startswith(">"):
        assert 0 < value < 1 and float(text[1:]) == 1 - 10.0**-digits, text
        return
    if text.startswith("<"):  # nor -1 above -1 (a gradient p - 1 of -1 reads as p = 0)
        assert -1 < value < 0 and float(text[1:]) == -(1 - 10.0**-digits), text
        return
    mantissa = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    assert len(mantissa) == digits, text
    assert float(text) == float(f"{value:.{digits}g}"), text


@given(st.floats(-1e6, 1e6, allow_nan=False))
@example(-0.99998)  # a gradient p - 1 with p = 2e-5: read "-1.00", as if p were 0
@example(-0.996)
@example(0.996)
@example(0.004)
@example(-0.004)
def test_a_narrow_bars_label_never_says_more_than_its_value(value: float):
    """Over many classes a label has two decimals ("-.83"); a bound says which side of it
    the value is ("<.01", ">.99", "<-.99", ">-.01"); what a label says is always true."""
    text = bar_number(value, 3, 12)
    if text[0] in "<>":
        bound = float(text[1:])  # Python reads ".01" and "-.99"
        assert (value < bound) if text[0] == "<" else (value > bound), (text, value)
        assert abs(value) < 1, text
        return
    if value in (0.0, 1.0, -1.0):
        assert text == f"{value + 0.0:g}"
        return
    assert float(text) == round(value, 2) or float(text) == float(f"{value:.2f}"), (text, value)
    assert not (0 < abs(value) < 1 and abs(float(text)) >= 1), (text, value)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from(["es", "fr"]))
@example(0.41, "fr")  # ",41" on a phone in French (a student tour)
@example(0.004, "es")
@example(-0.996, "fr")
def test_a_narrow_bars_label_keeps_its_zero_before_a_decimal_comma(value: float, lang: str):
    """Spanish and French write 0,41, never ",41": a narrow bar's label keeps the zero that
    the English ".41" drops, and says what the English label says."""
    with language("en"):
        english = bar_number(value, 3, 12)
    with language(lang):
        text = bar_number(value, 3, 12)
    assert not re.search(r"(^|[^\d]),", text), text
    assert float(text.lstrip("<>").replace(".", "").replace(",", ".")) == float(
        english.lstrip("<>").replace(",", "")
    ), (text, english)
    assert text[:1] in "<>" if english[:1] in "<>" else text[:1] not in "<>"


def test_a_long_x_axis_title_is_wrapped_to_fit_a_phone_and_gets_a_line_of_margin():
    """French "température T (échelle logarithmique)" lost its ")" at a phone's right edge
    (a student tour): a title longer than the narrowest plot is broken before its
    parenthesis, and the bottom margin grows by a line so the plot keeps its height."""
    from softmax_ui.figures import GLYPH_EM, chart_layout, plot_height
    from softmax_ui.figures_temperature import sweep_charts

    ts = np.geomspace(0.05, 20, 9)
    sweep = np.tile([0.6, 0.3, 0.1], (9, 1))
    h = np.full(9, 0.9)
    for font in (16, 24):
        with language("en"):
            english = sweep_charts(
                ("a", "b", "c"), ts, sweep, h, temperature=1.0, p=sweep[0], H=0.9, font_size=font
            )
        with language("fr"):
            french = sweep_charts(
                ("a", "b", "c"), ts, sweep, h, temperature=1.0, p=sweep[0], H=0.9, font_size=font
            )
        assert "<br>" not in english[0].layout.xaxis.title.text
        for fig, base in zip(french, english, strict=True):
            lines = fig.layout.xaxis.title.text.split("<br>")
            assert lines == ["température T", "(échelle logarithmique)"]
            room = 300 if font < 20 else 400
            assert all(GLYPH_EM * font * len(line) <= room for line in lines)
            assert fig.layout.margin.b >= base.layout.margin.b + 1.3 * font - 1
            m = fig.layout.margin
            assert fig.layout.height - m.t - m.b == plot_height(font)
    # A short title is left alone, with the usual margin.
    short = chart_layout(title="t", x_title="step", y_title="loss", font_size=16)
    assert short["xaxis"]["title"] == {"text": "step"} and short["margin"]["b"] == 60


def test_an_x_title_under_measured_class_names_stands_off_all_of_them():
    """Without a standoff Plotly moved the title only clear of the rotated class names
    right under it: "classe" stood among the longer names beside it (a phone, eight French
    classes; a student tour). With one, it goes under the box of every label."""
    from softmax_ui.figures import chart_layout

    names = ["le tapis", "le sol", "la chaise", "le lit", "la table", "le canapé", "le toit"]
    measured = chart_layout(
        title="t", x_title="classe", y_title="p", font_size=16, categories=names
    )
    assert measured["xaxis"]["automargin"] and measured["xaxis"]["title"]["standoff"] >= 0
    flat = chart_layout(title="t", x_title="class", y_title="p", font_size=16, categories=["a"])
    assert "standoff" not in flat["xaxis"]["title"]


def test_a_probability_float64_rounds_to_1_is_labelled_below_1():
    """At T = 0.01 dog's bar read "1" above the metric's "1 − 3.7e-44" (a review): a 1 in a
    distribution whose other classes hold some is a hair below 1. A one-hot 1 stays 1."""
    rounded = probability_bars(["dog", "cat", "bird"], np.array([1.0, 3.7e-44, 3.05e-83]))
    assert rounded.data[0].text[0].startswith(">0.999"), rounded.data[0].text
    one_hot = probability_bars(["dog", "cat", "bird"], np.array([1.0, 0.0, 0.0]))
    assert one_hot.data[0].text[0].startswith("1<br>"), one_hot.data[0].text

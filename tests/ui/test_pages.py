"""Every page in AppTest: renders, reacts to controls, round-trips its URL, survives bad input."""

from __future__ import annotations

import html
from urllib.parse import unquote

import numpy as np
import pytest

from softmax_core import exp_limits, sigmoid, softmax
from softmax_ui import catalog
from softmax_ui.memory import KEY as MEMORY
from softmax_ui.session import ERRORS
from softmax_ui.spoken import ANNOUNCE_CLASS
from softmax_ui.text import markdown_safe, plain, plot_text, prose_number
from tests.figure_data import figure
from tests.ui.conftest import (
    ALL_PAGES,
    CALIBRATION,
    HOME,
    LESSON_PAGES,
    NAIVE,
    PLAYGROUND,
    TEMPERATURE,
    VERSUS,
    assert_healthy,
    chart_values,
    errors,
    markdown_tables,
    open_every_tab,
    open_page,
    warnings,
)

SEED = [0.6590011, 0.2424330, 0.0985659]


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_renders_without_exception(path):
    at = open_page(path)
    assert_healthy(at)
    assert at.title, "every page has a title"


@pytest.mark.parametrize("page", catalog.PAGES, ids=lambda page: page.slug or "landing")
def test_a_page_marked_with_charts_draws_one_at_its_defaults(page):
    """``Page.charts`` has a page's HTML fetch Plotly's code from the start (page_script):
    each page opened at its defaults draws a chart exactly when it is marked so."""
    at = open_page(page.path)
    assert_healthy(at)
    assert bool(at.get("plotly_chart")) is page.charts


def test_landing_page_computes_the_worked_example():
    at = open_page("app.py")
    table = markdown_tables(at)[0]
    assert table["class"] == ["dog", "cat", "bird"]
    # one precision down each computed column: "0.659" stood beside 0.2424 and 0.09857
    # (its zero dropped; a student tour)
    assert table["softmax = exp(z) / Σ"] == ["0.6590", "0.2424", "0.09857"]
    assert table["exp(z)"] == ["7.389", "2.718", "1.105"]
    assert table["logit z"] == ["2", "1", "0.1"]  # typed numbers as typed
    np.testing.assert_allclose([float(v) for v in table["softmax = exp(z) / Σ"]], SEED, atol=5e-4)
    assert any("0.659" in m.value for m in at.markdown)


def test_the_home_page_offers_teachers_both_their_pages():
    """ "For teachers" on the home page listed the Workshop only, not the Live class, and the
    entry read "Workshop: For teachers: …" under the heading "For teachers"."""
    at = open_page(HOME)
    main = [link.proto for link in at.get("page_link") if "**" in link.proto.label]
    teachers = [link.page for link in main][-2:]
    assert teachers == ["Workshop", "Live_class"], [link.page for link in main]
    assert not any("For teachers" in link.label for link in main)
    # French puts a no-break space before the colon ("**Atelier**: Parcourez" before)
    french = open_page(HOME, {"lang": "fr"})
    labels = [link.proto.label for link in french.get("page_link") if "**" in link.proto.label]
    assert len(labels) == len(main) and all("**\u00a0: " in label for label in labels), labels


@pytest.mark.parametrize("path", LESSON_PAGES)
def test_url_state_in_is_what_the_page_shows(path):
    at = open_page(path, {"z": "1, 2, 3, 4", "labels": "a,b,c,d", "T": "2"})
    assert_healthy(at)
    np.testing.assert_allclose(chart_values(at), softmax([1, 2, 3, 4], temperature=2), rtol=1e-12)
    assert not warnings(at)


@pytest.mark.parametrize("path", LESSON_PAGES)
def test_state_goes_back_into_the_url(path):
    at = open_page(path)
    at.text_input(key="w:paste").input("3, 1").run()
    assert at.query_params["z"] == "3,1"
    assert at.query_params["labels"] == "dog,cat"


def test_temperature_changes_the_chart():
    at = open_page(PLAYGROUND)
    np.testing.assert_allclose(chart_values(at), SEED, atol=1e-7)
    at.number_input(key="w:T_number").set_value(0.5).run()
    np.testing.assert_allclose(chart_values(at), softmax([2, 1, 0.1], temperature=0.5))
    assert at.slider(key="w:T_slider").value == 0.5  # the paired slider follows
    at.slider(key="w:T_slider").set_value(3.0).run()
    np.testing.assert_allclose(chart_values(at), softmax([2, 1, 0.1], temperature=3.0))


@pytest.mark.parametrize(
    ("typed", "key", "low", "high"),
    [(100.0, "w:T_slider@range=high", 0.05, 100.0), (0.01, "w:T_slider@range=low", 0.01, 5.0)],
)
def test_a_temperature_outside_the_slider_range_widens_the_slider(typed, key, low, high):
    """A T typed into the box beyond the slider's 0.05–5 gets a slider that reaches it, so
    the slider never reads 5.00 at T = 100 and one arrow press moves from the T shown."""
    at = open_page(PLAYGROUND)
    at.number_input(key="w:T_number").set_value(typed).run()
    slider = at.slider(key=key)
    assert (slider.min, slider.max, slider.value) == (low, high, typed)
    at.slider(key=key).set_value(typed + (-0.05 if typed > 1 else 0.01)).run()
    expected = typed - 0.05 if typed > 1 else typed + 0.01
    np.testing.assert_allclose(chart_values(at), softmax([2, 1, 0.1], temperature=expected))
    at.number_input(key="w:T_number").set_value(2.0).run()  # back in range: the usual slider
    assert not [w for w in at.slider if w.key == key]
    assert (at.slider(key="w:T_slider").max, at.slider(key="w:T_slider").value) == (5.0, 2.0)


def test_the_temperature_sweep_stretches_to_a_temperature_outside_it():
    """The sweep runs from 0.05 to 20; a T of 100 stretches it to 100, so the current T is
    drawn where it is, not clamped to the edge, and the header says the range drawn."""
    at = open_page(TEMPERATURE, {"T": "100"})
    assert_healthy(at)
    specs = {c.proto.id.rsplit("-", 1)[-1]: figure(c.proto.spec) for c in at.get("plotly_chart")}
    sweep = specs["sweep_chart"]
    xs = [x for trace in sweep["data"] for x in np.atleast_1d(trace["x"])]
    assert min(xs) == pytest.approx(0.05) and max(xs) == pytest.approx(100.0)
    assert sweep["layout"]["xaxis"]["range"] == pytest.approx([np.log10(0.05), 2.0])
    assert any("sweep T from 0.05 to 100" in h.value for h in at.header)


def test_slider_and_number_input_move_one_logit():
    at = open_page(PLAYGROUND)
    at.slider(key="w:logit_slider1@span=10").set_value(4.0).run()
    np.testing.assert_allclose(chart_values(at), softmax([2, 4, 0.1]))
    assert at.number_input(key="w:z1").value == 4.0
    at.number_input(key="w:z2").set_value(50.0).run()  # widens every slider to ±100
    np.testing.assert_allclose(chart_values(at), softmax([2, 4, 50]))
    assert at.slider(key="w:logit_slider2@span=100").value == 50.0


def test_presets_and_class_count():
    at = open_page(PLAYGROUND)
    at.selectbox(key="w:preset").set_value("Handwritten digit (0-9)").run()
    assert len(chart_values(at)) == 10
    assert at.selectbox(key="w:preset").value is None  # ready for the next choice
    at.number_input(key="w:classes").set_value(4).run()
    assert len(chart_values(at)) == 4


def test_labels_are_editable_and_markup_is_not_rendered():
    at = open_page(PLAYGROUND, {"z": "5, 1", "labels": "a,b"})
    at.text_input(key="w:label0").input("**<b>bold</b>**").run()
    assert_healthy(at)
    metric = at.metric[0]  # a metric value is Markdown too: escaped, reads as typed
    assert metric.value == markdown_safe("**<b>bold</b>**")
    assert plain(metric.value) == "**<b>bold</b>**"
    shown = " ".join(m.value for m in at.markdown)
    assert "\\*\\*&lt;b&gt;bold&lt;/b&gt;\\*\\*" in shown


def test_step_table_walks_the_formula_and_downloads():
    at = open_page(PLAYGROUND, {"z": "1000, 1001, 1002", "labels": "a,b,c", "T": "1"})
    table = markdown_tables(at)[0]
    assert table["z"] == ["1000", "1001", "1002"]
    assert table["z/T − max"] == ["-2", "-1", "0"]
    assert table["p = exp / Σ"] == [prose_number(v) for v in softmax([0, 1, 2])]
    assert at.get("download_button")


@pytest.mark.parametrize("k", [2, 3, 6, 7, 10])
def test_equal_logits_are_at_the_maximum_entropy(k):
    """Equal logits: "this distribution is at 99.99999999999997 % of the maximum" beside
    "each class 1/3" (H / log K rounds to 0.9999999999999998 for K = 3, 6, 7 and 10; a
    student tour). It is the maximum: 100 %."""
    at = open_page(PLAYGROUND, {"z": ",".join(["1"] * k), "T": "1"})
    (caption,) = [c.value for c in at.caption if "of the maximum" in c.value]
    assert "at 100% of the maximum" in caption, caption
    # not equal: never "100 %", nor float64's rounding in 15 digits (99.99999999999997 %,
    # 99.9999999999998 %: the Playground and Temperature pages printed both)
    for z in ("2,1.9999999", "0,1e-300,0", "1,1,1.0000000000000002"):
        near = open_page(PLAYGROUND, {"z": z, "T": "1"})
        (caption,) = [c.value for c in near.caption if "of the maximum" in c.value]
        assert "at more than 99.9999% of the maximum" in caption, caption
        near = open_page(TEMPERATURE, {"z": z, "T": "1"})
        now = next(m.value for m in near.markdown if "**Now**" in m.value)
        assert "nats, more than 99.9999% of the way" in now, now


def test_the_announcement_names_the_winner_the_metric_names():
    """z = 1e-300, 0, -1e-300 at T = 100: the probabilities are 1/3 each in float64, and the
    screen reader heard "all 3 classes tie at 0.333" while the metric named a, the largest
    logit (a student tour). Both name a."""
    at = open_page(PLAYGROUND, {"z": "1e-300,0,-1e-300", "labels": "a,b,c", "T": "100"})
    assert_healthy(at)
    spoken = [m.value for m in at.markdown if ANNOUNCE_CLASS in m.value]
    assert len(spoken) == 1 and "a has the largest probability" in spoken[0], spoken
    assert "tie" not in spoken[0]


BAD_PASTES = ["abc", "nan, 1", "inf, 2", "1e999, 1", "", "1", ", ".join(["1"] * 21), "1, 99999"]


@pytest.mark.parametrize("path", LESSON_PAGES)
@pytest.mark.parametrize("text", BAD_PASTES)
def test_bad_pasted_logits_keep_the_last_good_state(path, text):
    at = open_page(path)
    before = chart_values(at)
    at.text_input(key="w:paste").input(text).run()
    assert_healthy(at)
    assert errors(at), f"no message for {text!r}"
    np.testing.assert_array_equal(chart_values(at), before)
    at.text_input(key="w:paste").input("0, 0").run()  # and the page still works
    assert not errors(at)
    np.testing.assert_allclose(chart_values(at), [0.5, 0.5])


@pytest.mark.parametrize("value", [0.0, -1.0, 1000.0])
def test_bad_temperature_is_refused(value):
    at = open_page(PLAYGROUND)
    at.number_input(key="w:T_number").set_value(value).run()
    assert_healthy(at)
    assert any("temperature" in e for e in errors(at))
    np.testing.assert_allclose(chart_values(at), SEED, atol=1e-7)


def test_duplicate_label_is_refused():
    at = open_page(PLAYGROUND)
    at.text_input(key="w:label1").input("dog").run()
    assert any("different" in e for e in errors(at))
    assert plain(at.metric[0].value) == "dog"


def test_a_refused_name_is_taken_once_the_class_it_clashed_with_is_renamed():
    """A name typed for class 2 that class 3 already has is refused, and kept in its box;
    renaming class 3 takes it (it went back to the old name without a word, and a teacher's
    deck was saved with it: a tour)."""
    at = open_page(PLAYGROUND)  # dog, cat, bird
    at.text_input(key="w:label1").input("bird").run()
    assert any("different" in e for e in errors(at))
    assert at.text_input(key="w:label1").value == "bird"
    assert at.query_params["labels"] == "dog,cat,bird"
    at.text_input(key="w:label2").input("tree").run()
    assert_healthy(at)
    assert not errors(at)
    assert at.text_input(key="w:label1").value == "bird"
    assert at.text_input(key="w:label2").value == "tree"
    assert at.query_params["labels"] == "dog,bird,tree"
    # a change of the refused box itself, back to a free name, is an ordinary change
    at.text_input(key="w:label1").input("tree").run()
    assert any("different" in e for e in errors(at))
    at.text_input(key="w:label1").input("cat").run()
    assert not errors(at)
    assert at.query_params["labels"] == "dog,cat,tree"


def test_a_refused_name_is_not_put_on_a_preset_chosen_after_it():
    """A preset names every class anew: a name refused before it is not laid over its names
    (the review of the retry: "Game action" read left, bird, jump, wait)."""
    at = open_page(PLAYGROUND)  # dog, cat, bird
    at.text_input(key="w:label1").input("bird").run()
    assert any("different" in e for e in errors(at))
    at.selectbox(key="w:preset").set_value("Game action").run()
    assert_healthy(at)
    assert not errors(at)
    assert at.query_params["labels"] == "left,right,jump,wait"
    assert at.text_input(key="w:label1").value == "right"
    at.text_input(key="w:label2").input("bird").run()  # nothing refused is left to retry
    assert at.query_params["labels"] == "left,right,bird,wait"


def test_a_refused_value_still_refused_at_the_next_change_is_dropped():
    """A T typed out of range, then the T slider moved: the box shows the slider's T, not the
    refused value beside it, and no message stays."""
    at = open_page(PLAYGROUND)
    at.number_input(key="w:T_number").set_value(1000.0).run()
    assert any("temperature" in e for e in errors(at))
    at.slider(key="w:T_slider").set_value(2.0).run()
    assert not at.session_state[MEMORY][ERRORS]
    assert at.session_state["w:T_number"] == 2.0  # the box shows the slider's T
    assert at.query_params["T"] == "2"


@pytest.mark.parametrize("path", ALL_PAGES)
@pytest.mark.parametrize(
    "query",
    [
        {"z": "abc"},
        {"z": "1e999,1"},
        {"z": ""},
        {"T": "0"},
        {"T": "-5"},
        {"T": "nan"},
        {"dtype": "float8"},
        {"labels": "only-one"},
        {"z": "1,2", "labels": "%ZZ,<img src=x onerror=alert(1)>"},  # label 2 is too long
        {"present": "maybe", "hide": "all", "seed": "-1", "n": "1e9", "c": "1e400"},
    ],
)
def test_tampered_links_show_a_message_and_defaults(path, query):
    at = open_page(path, query)
    assert_healthy(at)
    assert warnings(at), "a tampered link must be reported"


ODD_LABELS = ["%ZZ", "<img src=x onerror=1>"]


@pytest.mark.parametrize("path", LESSON_PAGES)
def test_odd_but_valid_labels_in_a_link_are_kept_and_drawn_as_text(path):
    at = open_page(path, {"z": "1,2", "labels": ",".join(ODD_LABELS)})
    assert_healthy(at)
    assert not warnings(at), "valid labels must not be reported as a tampered link"
    assert [unquote(part) for part in at.query_params["labels"].split(",")] == ODD_LABELS
    x = figure(at.get("plotly_chart")[0].proto.spec)["data"][0]["x"]
    assert list(x) == [plot_text(label) for label in ODD_LABELS]
    assert "&lt;img" in x[1]  # Plotly shows the tag as text; it never builds an <img>


def test_state_survives_page_switches():
    at = open_page(PLAYGROUND)
    at.text_input(key="w:paste").input("5, 1, 1, 1").run()
    at.run()  # AppTest keeps only the sections that reran; the temperature box is in another
    at.number_input(key="w:T_number").set_value(2.0).run()
    at.switch_page(NAIVE).run()
    assert_healthy(at)
    np.testing.assert_allclose(chart_values(at, 1), softmax([5, 1, 1, 1], temperature=2))
    at.switch_page(VERSUS).run()
    np.testing.assert_allclose(chart_values(at), softmax([5, 1, 1, 1], temperature=2))


def test_versus_page_compares_activations_and_sums():
    at = open_page(VERSUS, {"z": "-1, 0.5, 2", "labels": "a,b,c"})
    z = np.array([-1, 0.5, 2])
    np.testing.assert_allclose(chart_values(at, trace=0), softmax(z))
    np.testing.assert_allclose(chart_values(at, trace=1), sigmoid(z))
    np.testing.assert_allclose(chart_values(at, trace=2), np.maximum(z, 0))
    sums = markdown_tables(at)[0]["sum over classes"]
    assert sums == ["1", prose_number(sigmoid(z).sum()), "2.5"]
    at.multiselect(key="w:activations").select("silu").run()
    traces = figure(at.get("plotly_chart")[0].proto.spec)["data"]
    silu = [t for t in traces if t["name"].startswith("SiLU")]
    assert len(silu) == 1, [t["name"] for t in traces]
    np.testing.assert_allclose(np.asarray(silu[0]["y"], dtype=float), z / (1 + np.exp(-z)))
    assert at.query_params["act"].split(",")[-1] == "silu"


@pytest.mark.parametrize(
    ("lang", "bounded"),
    [("en", "between 0 and 3"), ("es", "entre 0 y 3"), ("fr", "entre 0 et 3")],
)
def test_the_sum_of_sigmoids_is_bounded_in_every_language(lang, bounded):
    """The sums table said the sum of the sigmoids was "non bornée" in French and "no
    acotada" in Spanish, "between 0 and 3" in English (the row was matched by its shown
    name, "sigmoïde"; found by a student tour). Each sigmoid is in (0, 1)."""
    at = open_page(
        VERSUS, {"z": "2,1,0.1", "labels": "a,b,c", "act": "sigmoid,relu,silu", "lang": lang}
    )
    columns = list(markdown_tables(at)[0].values())
    assert columns[2][:2] == [columns[2][0], bounded], columns
    assert len(set(columns[2][2:])) == 1 and columns[2][2] not in (bounded, columns[2][0])


def test_versus_page_shows_relu_normalisation_failing():
    at = open_page(VERSUS, {"z": "-1, -2, -3", "labels": "a,b,c"})
    assert any("0/0" in w for w in warnings(at))


def test_naive_page_marks_overflow_and_explains_it():
    at = open_page(NAIVE)
    at.selectbox(key="w:preset").set_value("Overflow trap").run()
    naive = chart_values(at, 0)
    assert np.isnan(naive).all()
    np.testing.assert_allclose(chart_values(at, 1), softmax([0, 1, 2]))
    marker = at.get("plotly_chart")[0].proto.spec
    assert "NaN" in marker
    assert any("overflow" in e.lower() for e in errors(at))


def test_offset_breaks_only_the_naive_chart_at_the_dtype_threshold():
    at = open_page(NAIVE, {"dtype": "float16"})
    stable = chart_values(at, 1)
    at.number_input(key="w:offset_number").set_value(9.0).run()  # max z/T = 11.0 < 11.09
    assert np.isfinite(chart_values(at, 0)).all()
    at.number_input(key="w:offset_number").set_value(9.2).run()  # 11.2 > 11.09: overflow
    assert np.isnan(chart_values(at, 0)[0])
    # float16 stores z + c with only 11 significant bits: the stable bars move by that rounding
    np.testing.assert_allclose(chart_values(at, 1), stable, rtol=1e-2)


def test_naive_page_writes_a_negative_offset_as_it_reads():
    """c = -1000 on Naive vs stable: the heading read "The same logits + -1000, in
    float64", and its verdict "1 of 3 probabilities are NaN" (found by a student tour)."""
    at = open_page(NAIVE, {"z": "1000, -1000, 0", "labels": "a,b,c"})
    assert any("1 of 3 probabilities is NaN" in e for e in errors(at)), errors(at)
    at.number_input(key="w:offset_number").set_value(-1000.0).run()
    assert_healthy(at)
    headings = [h.value for h in at.header]
    assert "The same logits − 1000, in float64" in headings, headings
    assert not any("+ -" in h for h in headings), headings


def test_naive_page_tables_where_exp_gives_up_for_each_dtype():
    (shown,) = markdown_tables(open_page(NAIVE))
    table = {html.unescape(name): cells for name, cells in shown.items()}  # "&gt;" shows as ">"
    assert table["dtype"] == ["`float16`", "`float32`", "`float64`"]  # code: kept whole
    limits = [exp_limits(d.strip("`")) for d in table["dtype"]]
    # Each column is a promise about every x beyond the printed bound (issue 10, defect 8):
    # "exp(x) = inf when x > 88.72" would be false at x = 88.721, so bounds round outwards.
    assert table["exp(x) = inf when x >"] == ["11.09", "88.73", "709.79"]
    assert table["exp(x) is subnormal when x <"] == ["-9.71", "-87.34", "-708.40"]
    assert table["exp(x) = 0 when x <"] == ["-17.33", "-103.98", "-745.14"]
    for lim, over, sub, under in zip(
        limits,
        table["exp(x) = inf when x >"],
        table["exp(x) is subnormal when x <"],
        table["exp(x) = 0 when x <"],
        strict=True,
    ):
        dt = np.dtype(lim.dtype)
        with np.errstate(all="ignore"):
            x = np.nextafter(dt.type(float(over)), dt.type(np.inf))
            assert np.isinf(np.exp(x)) and float(over) >= lim.overflow
            x = np.nextafter(dt.type(float(under)), dt.type(-np.inf))
            assert np.exp(x) == 0 and float(under) <= lim.underflow
            x = np.nextafter(dt.type(float(sub)), dt.type(-np.inf))
            assert np.exp(x) < np.finfo(dt).smallest_normal and float(sub) <= lim.subnormal


def test_dtype_choice_changes_where_it_breaks():
    at = open_page(NAIVE, {"z": "100, 0", "labels": "a,b"})
    assert np.isfinite(chart_values(at, 0)).all()  # float64 holds exp(100)
    at.radio(key="w:dtype").set_value("float32").run()
    assert np.isnan(chart_values(at, 0)[0])  # float32 does not (limit 88.72)


@pytest.mark.parametrize("path", ALL_PAGES)
def test_every_slider_is_paired_with_a_number_input(path):
    """Accessibility: a value set by dragging can also be typed exactly."""
    for at in open_every_tab(path):
        numbers = [n.value for n in at.number_input if n.value is not None]
        for slider in at.slider:
            assert any(np.isclose(slider.value, v) for v in numbers), slider.label


def test_two_controls_changed_in_one_rerun_both_apply():
    """A browser sends every widget's value with a rerun, so two changes can arrive together
    (a number typed, then a slider moved before the run is over): neither may be lost."""
    at = open_page(PLAYGROUND)
    at.number_input(key="w:T_number").set_value(2.0)
    at.slider(key="w:logit_slider0@span=10").set_value(5.0)
    at.number_input(key="w:z2").set_value(-1.0)
    at.run()
    assert_healthy(at)
    np.testing.assert_allclose(chart_values(at), softmax([5, 1, -1], temperature=2))
    assert (at.query_params["z"], at.query_params["T"]) == ("5,1,-1", "2")
    assert at.number_input(key="w:T_number").value == 2.0
    assert at.slider(key="w:T_slider").value == 2.0
    assert [at.number_input(key=f"w:z{i}").value for i in range(3)] == [5.0, 1.0, -1.0]


@pytest.mark.parametrize("path", [HOME, PLAYGROUND, VERSUS, NAIVE, CALIBRATION])
def test_tables_are_markdown_and_the_presenter_can_hide_them(path):
    at = open_page(path)
    assert markdown_tables(at), "the page shows its numbers in a table"
    assert not at.dataframe  # no Arrow grid and its JavaScript (softmax_ui.tables)
    if path != HOME:
        hidden = open_page(path, {"present": "1", "hide": "table"})
        assert_healthy(hidden)
        # the step/number tables go (Calibration's bins: before and after); the vs page keeps
        # its sums, part of the picture
        gone = 2 if path == CALIBRATION else 1
        assert len(markdown_tables(hidden)) == len(markdown_tables(at)) - gone

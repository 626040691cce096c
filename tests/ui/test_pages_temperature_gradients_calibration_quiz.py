"""Lessons 4–7 in AppTest: temperature & sampling, gradients, calibration, quiz.

The generic checks (renders, URL in/out, bad pasted logits, tampered links) run for the
temperature and gradient pages through ``LESSON_PAGES`` in test_pages.py; here are the
page-specific ones. Expected numbers come from softmax_core, computed in the test.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from softmax_core import (
    entropy,
    expected_calibration_error,
    fit_temperature,
    make_overconfident_classifier,
    nll,
    relu_derivative,
    sample_counts,
    sigmoid_derivative,
    softmax,
    softmax_jacobian,
    top_k_filter,
    top_p_filter,
    train_test_split_indices,
)
from softmax_ui import i18n
from softmax_ui.i18n import _
from softmax_ui.memory import KEY as MEMORY
from softmax_ui.quiz import KINDS, check, option_text
from softmax_ui.quiz_round import answer_key, shown_answer
from softmax_ui.text import CODE_WIDTH, plain
from tests.figure_data import figure, trace_values
from tests.link_boxes import links_shown
from tests.ui.conftest import (
    CALIBRATION,
    GRADIENTS,
    QUIZ,
    TEMPERATURE,
    assert_healthy,
    chart_values,
    errors,
    open_page,
    warnings,
)
from tests.ui.test_figures_temperature_and_training import grid_x, heatmap_z
from tests.ui.test_quiz import right_and_wrong

Z = np.array([2.0, 1.0, 0.1])


def spec(at, key: str) -> str:
    """The figure JSON of the chart drawn with ``key``."""
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert found, f"no chart {key!r}"
    return found[0].proto.spec


def values(at, key: str, trace: int = 0, axis: str = "y") -> np.ndarray:
    return trace_values(spec(at, key), trace, axis)


def param(at, key: str) -> str:
    """A query parameter of the page's URL, as text."""
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def logits_in_url(at) -> np.ndarray:
    return np.array([float(v) for v in param(at, "z").split(",")])


def has_chart(at, key: str) -> bool:
    return any(c.proto.id.endswith(f"-{key}") for c in at.get("plotly_chart"))


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def text(at) -> str:
    return " ".join(m.value for m in at.markdown)


# --- temperature & sampling -------------------------------------------------------------------


def test_sweep_and_entropy_curves_follow_the_logits_and_mark_t():
    at = open_page(TEMPERATURE, {"z": "1,2,3,4", "labels": "a,b,c,d", "T": "2"})
    assert_healthy(at)
    z = np.array([1.0, 2, 3, 4])
    ts = values(at, "sweep_chart", 0, "x")
    grid = np.geomspace(0.05, 20, len(ts))  # evenly spaced on the log axis
    assert 31 <= len(ts) <= 81
    np.testing.assert_allclose(ts, grid, rtol=1e-7)  # sent as float32: 7 digits
    expected = softmax(z[None, :] / grid[:, None])
    for i in range(4):
        np.testing.assert_array_equal(values(at, "sweep_chart", i, "x"), ts)
        np.testing.assert_allclose(
            values(at, "sweep_chart", i), expected[:, i], rtol=1e-7, atol=1e-38
        )
    np.testing.assert_allclose(values(at, "sweep_chart", 4), softmax(z, temperature=2))
    h = values(at, "entropy_chart")
    np.testing.assert_array_equal(values(at, "entropy_chart", 0, "x"), ts)
    np.testing.assert_allclose(h, entropy(expected), rtol=1e-7, atol=1e-7)
    assert h[0] < 0.01 and np.log(4) - h[-1] < 0.01
    np.testing.assert_allclose(values(at, "entropy_chart", 1), [entropy(softmax(z / 2))])
    levels = [s["y0"] for s in figure(spec(at, "entropy_chart"))["layout"]["shapes"]]
    assert any(abs(y - np.log(4)) < 1e-12 for y in levels)
    shown = text(at)
    assert "argmax" in shown and "uniform" in shown and "1.386" in shown


def chart_keys(at) -> list[str]:
    return [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]


@pytest.mark.parametrize(
    ("tab", "charts", "heading"),
    [
        ("", ["sweep_chart", "entropy_chart"], "From argmax to uniform"),
        ("sweep", ["sweep_chart", "entropy_chart"], "From argmax to uniform"),
        ("sampling", ["sample_chart"], "Sampling: what a generator actually picks"),
        ("filters", ["filter_chart"], "Top-k and top-p: cut the tail, then sample"),
    ],
)
def test_the_further_pictures_are_in_tabs_and_only_the_open_one_is_drawn(tab, charts, heading):
    at = open_page(TEMPERATURE, {"tab": tab} if tab else {})
    assert_healthy(at)
    assert [t.label for t in at.tabs] == ["From argmax to uniform", "Sampling", "Top-k and top-p"]
    assert chart_keys(at) == ["None", *charts]  # the main picture first, always
    headings = [h.value for h in at.header]
    assert len(headings) == 2 and headings[0] == "Logits z" and headings[1].startswith(heading)
    if tab:
        assert param(at, "tab") == tab  # the link says which tab it shows
    else:
        assert "tab" not in at.query_params  # the first tab, by default


@pytest.mark.parametrize(
    ("tab", "charts", "heading"),
    [
        ("", ["gradient_chart"], "The loss and its gradient"),
        ("steps", [], "Learning: take gradient steps"),
        ("jacobian", ["jacobian_chart"], "The softmax Jacobian"),
        ("relu", ["derivative_chart"], "Why ReLU inside, softmax at the output"),
        ("keras", [], "The same thing in Keras"),
        ("sampling", ["gradient_chart"], "The loss and its gradient"),  # another lesson's tab
    ],
)
def test_the_gradient_lessons_are_in_tabs_and_only_the_open_one_is_drawn(tab, charts, heading):
    at = open_page(GRADIENTS, {"tab": tab} if tab else {})
    assert_healthy(at)
    assert [t.label for t in at.tabs] == ["Gradient", "Learning", "Jacobian", "ReLU", "Keras"]
    assert chart_keys(at) == ["None", *charts]
    assert [h.value for h in at.header] == ["Logits z", heading]


def test_a_link_to_an_unknown_tab_opens_the_first_and_says_so():
    at = open_page(TEMPERATURE, {"tab": "x" * 500})
    assert_healthy(at)
    assert chart_keys(at) == ["None", "sweep_chart", "entropy_chart"]
    [problem] = [w for w in warnings(at) if "tab" in w]
    problem = problem.replace("\\", "")  # as read: Markdown's escapes dropped
    assert problem == "Ignored the link's “tab” setting: Unknown tab “" + "x" * 40 + "”."
    assert "tab" not in at.query_params


def test_the_tabs_are_named_in_the_readers_language():
    at = open_page(TEMPERATURE, {"tab": "filters", "lang": "es"})
    assert_healthy(at)
    assert [t.label for t in at.tabs] == ["Del argmax a la uniforme", "Muestreo", "Top-k y top-p"]
    assert chart_keys(at) == ["None", "filter_chart"]


def test_ties_are_explained_as_an_even_split_in_the_cold_limit():
    at = open_page(TEMPERATURE, {"z": "1,1,0", "labels": "h,t,e"})
    assert "tied" in text(at) and "0.5 each" in text(at)


def test_url_seed_and_n_reproduce_the_draw():
    at = open_page(TEMPERATURE, {"seed": "7", "samples": "500", "tab": "sampling"})
    assert_healthy(at)
    p = softmax(Z)
    np.testing.assert_allclose(values(at, "sample_chart"), p)
    np.testing.assert_allclose(values(at, "sample_chart", 1), sample_counts(p, 500, 7) / 500)
    assert at.number_input(key="w:n_samples").value == 500
    assert at.number_input(key="w:seed").value == 7


def test_sample_controls_change_the_draw_and_the_link():
    at = open_page(TEMPERATURE, {"T": "0.5", "tab": "sampling"})
    p = softmax(Z, temperature=0.5)
    at.number_input(key="w:n_samples").set_value(200).run()
    np.testing.assert_allclose(values(at, "sample_chart", 1), sample_counts(p, 200, 0) / 200)
    assert param(at, "samples") == "200"
    at.number_input(key="w:seed").set_value(3).run()
    np.testing.assert_allclose(values(at, "sample_chart", 1), sample_counts(p, 200, 3) / 200)
    button(at, "Draw again").click().run()
    assert param(at, "seed") == "4"
    assert at.number_input(key="w:seed").value == 4
    np.testing.assert_allclose(values(at, "sample_chart", 1), sample_counts(p, 200, 4) / 200)


@pytest.mark.parametrize(("key", "value"), [("n_samples", 0), ("n_samples", 99999), ("seed", -1)])
def test_bad_sample_settings_are_refused(key, value):
    at = open_page(TEMPERATURE, {"tab": "sampling"})
    before = values(at, "sample_chart", 1)
    at.number_input(key=f"w:{key}").set_value(value).run()
    assert_healthy(at)
    assert any("between" in e for e in errors(at)), errors(at)
    np.testing.assert_array_equal(values(at, "sample_chart", 1), before)
    assert "samples" not in at.query_params and "seed" not in at.query_params


def filter_chart(at) -> dict:
    """The top-k / top-p chart, decoded: trace 0 before, 1 after top-k, 2 after top-p, then
    3 and 4 the classes top-k and top-p cut."""
    return figure(spec(at, "filter_chart"))


def test_top_k_and_top_p_filter_and_renormalise_in_one_chart():
    at = open_page(TEMPERATURE, {"tab": "filters"})
    p = softmax(Z)
    assert not has_chart(at, "top_k_chart") and not has_chart(at, "top_p_chart")
    traces = filter_chart(at)["data"]
    assert [t["type"] for t in traces] == ["bar"] * 5
    assert [t["name"] for t in traces[:3]] == [
        "before",
        "after top-k (k = 3)",
        "after top-p (p = 0.9)",
    ]
    assert [t["name"] for t in traces[3:]] == ["cut", "cut"]
    assert len({t["marker"].get("pattern", {}).get("shape") for t in traces}) == 4
    np.testing.assert_allclose(values(at, "filter_chart"), p)
    np.testing.assert_allclose(values(at, "filter_chart", 1), p)  # k = 3 keeps all 3
    np.testing.assert_allclose(values(at, "filter_chart", 2), top_p_filter(p, 0.9))
    # top-p 0.9 cuts bird; whole numbers: no phone behind AppTest (its 9 bars are compact)
    assert traces[2]["text"] == ["0.73", "0.27", ""]
    assert (traces[3]["x"], traces[4]["x"], traces[4]["text"]) == ([], ["bird"], ["cut"])
    at.slider(key="w:top_k@classes=3").set_value(2).run()
    np.testing.assert_allclose(values(at, "filter_chart", 1), top_k_filter(p, 2))
    assert filter_chart(at)["data"][3]["x"] == ["bird"]
    assert param(at, "top_k") == "2"
    at.slider(key="w:top_p").set_value(0.5).run()
    np.testing.assert_allclose(values(at, "filter_chart", 2), [1, 0, 0])
    np.testing.assert_allclose(values(at, "filter_chart", 1), top_k_filter(p, 2))
    assert filter_chart(at)["data"][2]["text"] == ["1", "", ""]
    assert filter_chart(at)["data"][4]["x"] == ["cat", "bird"]
    assert param(at, "top_p") == "0.5"
    assert "k = 2" in filter_chart(at)["layout"]["title"]["text"]
    assert "p = 0.5" in filter_chart(at)["layout"]["title"]["text"]


@pytest.mark.parametrize(
    ("lang", "quote"), [("en", "“{}”"), ("es", "«{}»"), ("fr", "«\u00a0{}\u00a0»")]
)
def test_the_filter_charts_description_names_the_label_it_draws(lang, quote):
    """A screen reader heard that a cut class is labelled « cut » while the French chart drew
    « écartée » (found by a translation review): the description quotes the chart's word."""
    at = open_page(TEMPERATURE, {"tab": "filters", "top_p": "0.5", "lang": lang})
    drawn = {label for trace in filter_chart(at)["data"] for label in trace["text"] if label}
    [cut] = drawn - {label for label in drawn if any(c.isdigit() for c in label)}
    [described] = [
        c.proto.alt for c in at.get("plotly_chart") if c.proto.id.endswith("-filter_chart")
    ]
    assert quote.format(cut) in described, (cut, described)
    # a cut bar is drawn at least CUT_MIN tall: a class of 0.01 read as taller (a tour)
    least = {"en": "0.03", "es": "0,03", "fr": "0,03"}[lang]
    cut_heights = [y for t in filter_chart(at)["data"][3:] for y in t["y"]]
    assert min(cut_heights) >= 0.03 and least in described, (cut_heights, described)


def test_top_k_says_the_kept_classes_sum_to_1_without_a_stray_number():
    """ "…makes them sum to 1 again (1)." (a student tour): the sum printed beside the words
    said nothing more; the words alone say it."""
    at = open_page(TEMPERATURE, {"tab": "filters", "z": "4.1,3.6,3.2,2.9", "top_k": "2"})
    said = next(m.value for m in at.markdown if "dividing by that total" in m.value)
    assert "makes them sum to 1 again." in said and "again (" not in said, said


def test_one_class_kept_or_certain_is_said_of_one_class():
    """k = 1 read "Top-k keeps the 1 most likely class: dog. They held 0.337 …", and at
    T = 0.01 the sampling tab said "the rest 0" right after quoting 3.7e-44 (a tour)."""
    at = open_page(TEMPERATURE, {"tab": "filters", "T": "100", "top_k": "1", "top_p": "0.01"})
    said = next(m.value for m in at.markdown if "dividing by that total" in m.value)
    assert "It held" in said and "makes it 1." in said and "They" not in said, said
    at = open_page(TEMPERATURE, {"tab": "sampling", "T": "0.01"})
    said = next(m.value for m in at.markdown if "chance moves nothing" in m.value)
    assert "too small for any draw to land on" in said and "rest 0" not in said, said


def test_top_p_of_1_says_which_classes_have_a_computed_probability():
    """z = 1000, -1000, 0, 0 at T = 0.5 and p = 1: "keeps every class that has any
    probability: 1 class (a)", though c and d have e^-2000 > 0 (it underflows to 0 in
    float64; a student tour). The sentence is about the probabilities as computed."""
    at = open_page(
        TEMPERATURE,
        {"z": "1000,-1000,0,0", "labels": "a,b,c,d", "T": "0.5", "top_p": "1", "tab": "filters"},
    )
    assert_healthy(at)
    p = softmax(np.array([1000.0, -1000.0, 0.0, 0.0]), temperature=0.5)
    assert list(p > 0) == [True, False, False, False]  # what "as computed" means here
    shown = " ".join(m.value for m in at.markdown)
    assert "whose probability, as computed, is above 0: 1 class (**a**)" in shown, shown
    assert "has any probability" not in shown


def test_a_k_larger_than_the_classes_keeps_all_of_them():
    at = open_page(TEMPERATURE, {"top_k": "10", "tab": "filters"})
    assert_healthy(at)
    np.testing.assert_allclose(values(at, "filter_chart", 1), softmax(Z))
    assert "k = 10" in text(at)


def test_the_next_word_example_is_offered_and_loads():
    at = open_page(TEMPERATURE, {"tab": "filters"})
    assert at.info
    button(at, "Load “Next word (NLP)”").click().run()
    assert_healthy(at)
    assert len(chart_values(at)) == 8
    assert param(at, "labels").startswith("mat,sofa")
    assert not at.info and not [b for b in at.button if b.label.startswith("Load")]
    np.testing.assert_allclose(values(at, "filter_chart", 1).astype(bool).sum(), 3)


# --- gradients & cross-entropy ----------------------------------------------------------------


def onehot(i: int, k: int = 3) -> np.ndarray:
    return np.eye(k)[i]


def test_target_choice_sets_loss_and_gradient():
    at = open_page(GRADIENTS)
    assert_healthy(at)
    p = softmax(Z)
    np.testing.assert_allclose(values(at, "gradient_chart"), p - onehot(0))
    at.selectbox(key="w:target@classes=3").set_value(1).run()
    np.testing.assert_allclose(values(at, "gradient_chart"), p - onehot(1))
    assert metric(at, "Loss −log p(target), in nats") == f"{-np.log(p[1]):.4g}"
    assert param(at, "target") == "1"


def test_a_large_loss_is_written_whole_not_in_powers_of_ten():
    """z = 10000, -10000 with target b: the loss read "2e+04 nats" (a tour), 20000 written
    with one significant digit."""
    at = open_page(GRADIENTS, {"z": "10000,-10000", "labels": "a,b", "target": "1"})
    assert_healthy(at)
    assert metric(at, "Loss −log p(target), in nats") == "20000"
    assert "2e+04" not in text(at)


def stepped(z: np.ndarray) -> np.ndarray:
    """Logits after a step, as the page keeps them: 6 significant digits (the boxes and the
    link showed every digit of a float)."""
    return np.array([float(f"{v:.6g}") for v in z])


def test_gradient_steps_move_the_logits_lower_the_loss_and_reset():
    at = open_page(GRADIENTS, {"lr": "1", "tab": "steps"})
    assert not has_chart(at, "history_chart")
    button(at, "Take a gradient step").click().run()
    assert_healthy(at)
    z1 = stepped(Z - 1.0 * (softmax(Z) - onehot(0)))
    np.testing.assert_allclose(chart_values(at), softmax(z1), rtol=1e-12)
    np.testing.assert_allclose(at.number_input(key="w:z0").value, z1[0])
    np.testing.assert_allclose(logits_in_url(at), z1, rtol=1e-15)
    losses = values(at, "history_chart")
    np.testing.assert_allclose(losses, [-np.log(softmax(Z)[0]), -np.log(softmax(z1)[0])])
    button(at, "Take 10 steps").click().run()
    losses = values(at, "history_chart")
    assert len(losses) == 12 and np.all(np.diff(losses) < 0)
    button(at, "Reset").click().run()
    np.testing.assert_array_equal(logits_in_url(at), Z)
    np.testing.assert_allclose(chart_values(at), softmax(Z))
    assert not has_chart(at, "history_chart")
    assert button(at, "Reset").disabled


@pytest.mark.parametrize(
    ("lang", "one", "ten"),
    [
        ("en", "over 1 gradient step,", "over 11 gradient steps,"),
        ("es", "a lo largo de 1 paso de gradiente,", "a lo largo de 11 pasos de gradiente,"),
        ("fr", "sur 1 pas de gradient,", "sur 11 pas de gradient,"),
    ],
)
def test_the_loss_charts_name_counts_its_steps_in_the_readers_grammar(lang, one, ten):
    """The loss chart's accessible name read "a lo largo de 1 pasos" after one step."""

    def alt(at) -> str:
        return next(
            c.proto.alt for c in at.get("plotly_chart") if c.proto.id.endswith("-history_chart")
        )

    at = open_page(GRADIENTS, {"tab": "steps", "lang": lang})
    with i18n.language(lang):
        step, steps = _("Take a gradient step"), _("Take 10 steps")
    button(at, step).click().run()
    assert one in alt(at), alt(at)
    button(at, steps).click().run()
    assert ten in alt(at), alt(at)


def test_editing_the_logits_detaches_the_history():
    at = open_page(GRADIENTS, {"tab": "steps"})
    button(at, "Take a gradient step").click().run()
    assert has_chart(at, "history_chart")
    at.text_input(key="w:paste").input("0, 0, 0").run()
    assert not has_chart(at, "history_chart") and button(at, "Reset").disabled


def test_temperature_enters_through_the_chain_rule():
    at = open_page(GRADIENTS, {"T": "2", "target": "2"})
    p = softmax(Z, temperature=2)
    np.testing.assert_allclose(values(at, "gradient_chart"), (p - onehot(2)) / 2)
    at = open_page(GRADIENTS, {"T": "2", "target": "2", "tab": "jacobian"})
    np.testing.assert_allclose(
        heatmap_z(spec(at, "jacobian_chart")), softmax_jacobian(Z, temperature=2), atol=1e-15
    )
    at = open_page(GRADIENTS, {"T": "2", "target": "2", "tab": "steps"})
    button(at, "Take a gradient step").click().run()
    z1 = stepped(Z - 0.5 * (p - onehot(2)) / 2)
    np.testing.assert_allclose(chart_values(at), softmax(z1, temperature=2), rtol=1e-12)


@pytest.mark.parametrize("rate", [0.0, 100.0, None])
def test_bad_learning_rate_is_refused_and_steps_use_the_last_good_one(rate):
    at = open_page(GRADIENTS, {"tab": "steps"})
    at.number_input(key="w:learning_rate").set_value(rate).run()
    assert_healthy(at)
    assert any("learning rate" in e for e in errors(at)), errors(at)
    button(at, "Take a gradient step").click().run()
    z1 = stepped(Z - 0.5 * (softmax(Z) - onehot(0)))
    np.testing.assert_allclose(chart_values(at), softmax(z1), rtol=1e-12)


def test_a_step_past_the_logit_limit_is_refused_with_a_message():
    query = {"z": "9999,9999", "labels": "a,b", "T": "0.01", "lr": "10", "tab": "steps"}
    at = open_page(GRADIENTS, query)
    before = chart_values(at)
    button(at, "Take a gradient step").click().run()
    assert_healthy(at)
    assert any("not taken" in e for e in errors(at)), errors(at)
    np.testing.assert_array_equal(chart_values(at), before)


def test_jacobian_derivatives_and_keras_code():
    logits = {"z": "-1,0.5,8", "labels": "a,b,c"}
    at = open_page(GRADIENTS, logits | {"tab": "jacobian"})
    z = np.array([-1.0, 0.5, 8.0])
    j = heatmap_z(spec(at, "jacobian_chart"))
    np.testing.assert_allclose(j, softmax_jacobian(z), atol=1e-15)
    p = softmax(z)
    np.testing.assert_allclose(j, np.diag(p) - np.outer(p, p), atol=1e-15)
    # the matrix written out under the chart, row by row (a screen reader reads no heatmap)
    table = next(plain(m.value) for m in at.markdown if "∂/∂z1 (a)" in plain(m.value))
    rows = [line.strip("| ").split(" | ") for line in table.splitlines()[2:]]
    assert [row[0] for row in rows] == ["a", "b", "c"]
    written = np.array([[float(cell) for cell in row[1:]] for row in rows])
    np.testing.assert_allclose(written, np.diag(p) - np.outer(p, p), rtol=5e-3, atol=1e-300)
    at = open_page(GRADIENTS, logits | {"tab": "relu"})
    x = grid_x(spec(at, "derivative_chart"), 0)
    assert x[0] == -6 and x[-1] == 6 and 0 in x  # ReLU′ jumps at a grid point
    np.testing.assert_array_equal(grid_x(spec(at, "derivative_chart"), 1), x)
    np.testing.assert_allclose(values(at, "derivative_chart", 0), sigmoid_derivative(x), rtol=1e-7)
    np.testing.assert_array_equal(values(at, "derivative_chart", 1), relu_derivative(x))
    assert figure(spec(at, "derivative_chart"))["data"][1]["line"]["shape"] == "vh"
    np.testing.assert_allclose(values(at, "derivative_chart", 2, "x"), [-1, 0.5])  # 8 is off
    np.testing.assert_allclose(values(at, "derivative_chart", 2), sigmoid_derivative([-1, 0.5]))
    at = open_page(GRADIENTS, logits | {"tab": "keras", "lr": "0.25"})
    code = at.code[0].value
    assert "layers.Dense(3),\n    layers.Softmax()," in code
    assert 'loss="categorical_crossentropy"' in code and "from_logits=True" in code
    # it runs (on a stand-in for Keras's API): two whole models, neither used before it is
    # made (the sample called model.add on a model it never made: a student tour)
    first, second = run_on_stand_in_keras(code)
    assert first == {
        "layers": [("Input", (16,)), ("Dense", 3, None), ("Softmax",)],
        "optimizer": ("SGD", 0.25),
        "loss": "categorical_crossentropy",
    }
    assert second["layers"] == [("Input", (16,)), ("Dense", 3, None)]
    assert second["loss"] == ("CategoricalCrossentropy", True)


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
@pytest.mark.parametrize(
    "z, lr", [("2,1,0.1", "0.5"), (",".join(["1"] * 12), "0.0012345678901234567")]
)
def test_every_line_of_the_keras_sample_fits_a_phone(lang: str, z: str, lr: str):
    """A phone's code box holds CODE_WIDTH characters a line (the browser test measures it):
    every line of the sample, code and comment, in every language, with the most classes and
    the longest learning rate the URL can hold, is at most that long."""
    code = open_page(GRADIENTS, {"z": z, "lr": lr, "tab": "keras", "lang": lang}).code[0].value
    assert f"rate = {lr}" in code
    assert [line for line in code.splitlines() if len(line) > CODE_WIDTH] == []


def run_on_stand_in_keras(code: str) -> list[dict]:
    """Run a Keras sample against a stand-in of the few parts of Keras's API it may use
    (``keras.Sequential``, ``keras.Input``, ``layers.Dense``, ``layers.Softmax``, ``losses``,
    ``optimizers``):
    each model it made, as built and compiled. A name it uses and does not define fails."""
    import sys
    import types

    made: list[dict] = []
    keras = types.ModuleType("keras")
    layers, losses, optimizers = (
        types.ModuleType(f"keras.{n}") for n in ("layers", "losses", "optimizers")
    )

    class Sequential:
        def __init__(self, stack):
            self.record = {"layers": list(stack)}
            made.append(self.record)

        def compile(self, *, optimizer, loss):
            self.record |= {"optimizer": optimizer, "loss": loss}

    keras.Sequential = Sequential
    keras.Input = lambda shape: ("Input", shape)
    layers.Dense = lambda units, activation=None: ("Dense", units, activation)
    layers.Softmax = lambda: ("Softmax",)
    losses.CategoricalCrossentropy = lambda from_logits=False: (
        "CategoricalCrossentropy",
        from_logits,
    )
    optimizers.SGD = lambda learning_rate: ("SGD", learning_rate)
    keras.layers, keras.losses, keras.optimizers = layers, losses, optimizers
    stand_ins = {
        "keras": keras,
        "keras.layers": layers,
        "keras.losses": losses,
        "keras.optimizers": optimizers,
    }
    saved = {name: sys.modules.get(name) for name in stand_ins}
    sys.modules.update(stand_ins)
    try:
        exec(compile(code, "keras_sample", "exec"), {})
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return made


# --- calibration ------------------------------------------------------------------------------


def reference(classes: int, over: float, seed: int) -> dict:
    logits, labels = make_overconfident_classifier(
        n_samples=3000, n_classes=classes, seed=seed, overconfidence=over
    )
    fit, test = train_test_split_indices(3000, test_fraction=0.5, seed=seed)
    t = fit_temperature(logits[fit], labels[fit])
    before, after = softmax(logits[test]), softmax(logits[test], temperature=t)
    return {
        "T": t,
        "ece": (
            expected_calibration_error(before, labels[test]),
            expected_calibration_error(after, labels[test]),
        ),
        "accuracy": float(np.mean(before.argmax(1) == labels[test])),
        "nll": (nll(logits[test], labels[test]), nll(logits[test], labels[test], temperature=t)),
    }


def test_calibration_fits_t_on_one_half_and_measures_on_the_other():
    at = open_page(CALIBRATION)
    assert_healthy(at)
    ref = reference(5, 3.0, 0)
    assert metric(at, "Fitted temperature T") == f"{ref['T']:.4g}"
    assert metric(at, "ECE (test half)") == f"{ref['ece'][1]:.3g}"
    assert ref["ece"][1] < ref["ece"][0]
    assert metric(at, "Accuracy (test half)") == f"{ref['accuracy']:.1%}"
    assert "the predicted class is the same for all" in text(at)
    fig = figure(spec(at, "reliability_chart"))
    assert [t["name"].split(":")[0] for t in fig["data"]][1:] == ["before", "after"]
    before = values(at, "reliability_chart", 1)
    assert np.all(np.diff(values(at, "reliability_chart", 1, "x")) > 0)
    assert np.mean(before - values(at, "reliability_chart", 1, "x")) < 0  # overconfident


@pytest.mark.parametrize(
    ("over", "seed"),
    [(1.0, 1), (1.0, 3), (1.1, 0), (0.9, 5), (1.0, 0), (3.0, 0), (0.5, 2), (1.1, 2), (0.9, 3)],
)
def test_calibration_says_when_scaling_made_the_test_half_worse(over, seed):
    """Overconfidence 1 ("calibrated"), seed 1: T = 1.05, "says the model is overconfident",
    while the ECE and NLL metrics rose on the test half (a student tour). The page says
    which of them rose, and only when one did (computed here apart from the page)."""
    at = open_page(CALIBRATION, {"overconfidence": str(over), "seed": str(seed)})
    assert_healthy(at)
    ref = reference(5, over, seed)
    rose = [name for name in ("ece", "nll") if ref[name][1] > ref[name][0]]
    shown = text(at)
    # within 5 % of 1 (T = 0.985 at overconfidence 1 read "underconfident"), no direction
    side = "overconfident" if ref["T"] > 1 else "underconfident"
    if abs(ref["T"] - 1) < 0.05:
        assert "the model is close to calibrated" in shown, shown
        assert f"the model is {side}" not in shown, shown
    elif rose:
        assert f"the model is {side} on the validation half:" in shown, shown
    else:
        assert f"the model is {side}:" in shown, shown
    if not rose:
        assert "did not help" not in shown and "on the validation half:" not in shown, shown
        return
    worse = {("ece",): "the ECE", ("nll",): "the NLL", ("ece", "nll"): "the ECE and the NLL"}
    assert f"on the test half it made {worse[tuple(rose)]} worse" in shown, shown


@pytest.mark.parametrize("overconfidence", ["3", "1.5", "0.6"])
def test_calibration_writes_the_fitted_t_one_way_everywhere(overconfidence):
    """The metric said T 2.955 and the legend and table softmax(z / 2.95) (a student tour):
    every place on the page spells the fitted T the same way."""
    at = open_page(CALIBRATION, {"overconfidence": overconfidence})
    shown = metric(at, "Fitted temperature T")
    names = [t["name"] for t in figure(spec(at, "reliability_chart"))["data"]]
    assert f"after: softmax(z / {shown})" in names, (shown, names)
    assert f"**T = {shown}**" in text(at)
    assert f"After: softmax(z / {shown})" in text(at)
    alt = next(
        c.proto.alt for c in at.get("plotly_chart") if c.proto.id.endswith("-reliability_chart")
    )
    assert f"dividing by T = {shown} " in alt, alt
    every = re.findall(r"softmax\(z / ([\d.]+)\)", text(at) + " ".join(names) + alt)
    assert set(every) == {shown}, every


def test_calibration_settings_round_trip_through_the_link():
    at = open_page(CALIBRATION, {"calib_classes": "4", "overconfidence": "2", "seed": "3"})
    assert_healthy(at)
    ref = reference(4, 2.0, 3)
    assert metric(at, "Fitted temperature T") == f"{ref['T']:.4g}"
    assert at.slider(key="w:calib_classes").value == 4
    assert at.slider(key="w:overconfidence").value == 2.0
    assert at.number_input(key="w:calib_seed").value == 3
    at.slider(key="w:calib_classes").set_value(6).run()
    assert param(at, "calib_classes") == "6"
    assert metric(at, "Fitted temperature T") == f"{reference(6, 2.0, 3)['T']:.4g}"
    at.slider(key="w:overconfidence").set_value(0.5).run()
    assert param(at, "overconfidence") == "0.5"
    assert float(metric(at, "Fitted temperature T")) < 1  # underconfident: T < 1 sharpens
    button(at, "New data").click().run()
    assert param(at, "seed") == "4"


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_calibration_refuses_a_bad_seed(seed):
    at = open_page(CALIBRATION)
    before = values(at, "reliability_chart", 1)
    at.number_input(key="w:calib_seed").set_value(seed).run()
    assert_healthy(at)
    assert any("seed" in e for e in errors(at))
    np.testing.assert_array_equal(values(at, "reliability_chart", 1), before)


@pytest.mark.parametrize(
    "query", [{"calib_classes": "2"}, {"overconfidence": "99"}, {"seed": "x"}, {"classes": "2"}]
)
def test_calibration_reports_a_tampered_link(query):
    at = open_page(CALIBRATION, query)
    assert_healthy(at)
    assert warnings(at)
    assert metric(at, "Fitted temperature T") == f"{reference(5, 3.0, 0)['T']:.4g}"


# --- quiz -------------------------------------------------------------------------------------


def current_question(at):
    number = at.session_state[MEMORY]["quiz:number"]
    return number, at.session_state[MEMORY]["quiz:question"]


def answer(at, given) -> None:
    number, question = current_question(at)
    key = answer_key(number)
    if question.numeric:
        at.text_input(key=key).input(str(float(given)))
    else:
        at.radio(key=key).set_value(given)
    button(at, "Check").click().run()


def test_quiz_judges_answers_keeps_score_and_shows_the_proof():
    at = open_page(QUIZ)
    assert_healthy(at)
    seen_numeric = seen_choice = False
    for i in range(4):
        _, question = current_question(at)
        right, wrong = right_and_wrong(question)
        seen_numeric |= question.numeric
        seen_choice |= not question.numeric
        answer(at, right if i % 2 == 0 else wrong)
        assert_healthy(at)
        assert ("Right" in at.success[0].value) if i % 2 == 0 else ("Not quite" in errors(at)[0])
        assert "Computed just now" in text(at)
        assert button(at, "Check").disabled
        assert metric(at, "Answered") == str(i + 1)
        assert metric(at, "Correct") == str(i // 2 + 1)
        kind = question.kind
        button(at, "New question").click().run()
        assert current_question(at)[1].kind != kind
        assert not at.success and not button(at, "Check").disabled
    assert seen_numeric and seen_choice


def test_a_wrong_answer_no_right_one_could_be_is_told_why():
    """A negative cross-entropy was told "Not quite" and the answer, no more (a tour): the
    misconception went unnamed. Now the verdict says why it cannot be."""
    at = open_page(QUIZ)
    hints = {
        "cross_entropy": (-0.4, "Cross-entropy is never negative"),
        "probability": (1.4, "A probability lies between 0 and 1."),
    }
    for _turn in range(80):
        _, question = current_question(at)
        if question.kind in hints:
            break
        button(at, "New question").click().run()
    given, why = hints[question.kind]
    # the prompt's "T = 1" held on one line (a heading broke it after the T: a student tour)
    (prompt,) = [m.value for m in at.markdown if m.value.startswith("## ")]
    assert "T\u00a0=\u00a0" in prompt and " = " not in prompt, prompt
    answer(at, given)
    assert_healthy(at)
    (said,) = errors(at)
    assert said.startswith("**Not quite.**") and why in plain(said), said
    # a switch of language says it all again in the new one: the verdict kept from the
    # Check read "Dijiste -0,4; la respuesta es 1.42. Cross-entropy is never negative…"
    right = check(question, right_and_wrong(question)[0]).answer
    at.selectbox(key="language_switch").set_value("es").run()
    (dicho,) = errors(at)
    assert dicho.startswith("**No exactamente.**"), dicho
    assert right.replace(".", ",") in plain(dicho) and why not in plain(dicho), dicho
    assert ("nunca es negativa" in dicho) or ("entre 0 y 1" in dicho), dicho


def test_a_whole_number_question_asks_for_a_whole_number():
    """The box of a whole-number question (how many classes top-p keeps) said "a whole number"
    above a placeholder "e.g. 0.25" (a student tour, in Spanish and French): its example is a
    whole number now."""
    at = open_page(QUIZ)
    seen: set[bool] = set()
    for _turn in range(40):
        number, question = current_question(at)
        if question.numeric:
            box = at.text_input(key=answer_key(number))
            whole = question.decimals == 0
            seen.add(whole)
            assert ("whole number" in box.label) == whole, box.label
            assert box.placeholder == (
                "Type a whole number, e.g. 3" if whole else "Type a number, e.g. 0.25"
            )
        if seen == {True, False}:
            break
        button(at, "New question").click().run()
    assert seen == {True, False}, seen


def unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def test_a_verdict_quotes_a_choice_it_names():
    """ "You said The right probabilities (to float32 precision), adding up to 1; the answer
    is The right probabilities …": a choice is a sentence of its own, and a verdict naming
    it mid-sentence read wrongly (found by a student tour). Choices are quoted; a number
    is not."""
    at = open_page(QUIZ)
    seen = set()
    for _round in range(len(KINDS)):  # every kind comes once before any comes again
        _, question = current_question(at)
        right, wrong = right_and_wrong(question)
        answer(at, wrong)
        said = unescaped(errors(at)[0])
        truth = check(question, right).answer
        if question.options:
            assert f"You said “{option_text(wrong)}”" in said, said
            one_choice = truth in [option_text(option) for option in question.options]
            shown = f"“{truth}”" if one_choice else truth  # "a or b (tied)" is not quoted
            assert f"the answer is **{shown}**" in said, said
        else:
            assert "“" not in said, said
        seen.add(bool(question.options))
        button(at, "New question").click().run()
    assert seen == {True, False}


def test_a_reload_goes_on_with_the_same_round():
    """A phone reloads a tab the student left for a moment, and the quiz started again from
    nothing: a new question, the score at 0. The Quiz's address keeps the round's key, and a
    new session opened from that address goes on with the same question, the checked answer
    (in its widget) and the score. The share link never carries the key."""
    at = open_page(QUIZ)
    first = current_question(at)[1]
    answer(at, right_and_wrong(first)[0])
    button(at, "New question").click().run()
    number, question = current_question(at)
    answer(at, right_and_wrong(question)[1])
    address = dict(at.query_params)
    shared = links_shown(at.sidebar)
    assert address["quiz"] and shared and all("quiz=" not in link for link in shared)

    again = open_page(QUIZ, address)  # the reload: a new session from the same address
    assert_healthy(again)
    assert current_question(again) == (number, question)
    assert (metric(again, "Answered"), metric(again, "Correct")) == ("2", "1")
    assert "Not quite" in errors(again)[0] and button(again, "Check").disabled
    wrong = right_and_wrong(question)[1]
    if question.numeric:
        assert again.text_input(key=answer_key(number)).value == shown_answer(float(wrong))
    else:
        assert again.radio(key=answer_key(number)).value == wrong
    # a copy under a key of its own, which a second reload finds
    assert dict(again.query_params)["quiz"] not in ("", address["quiz"])
    twice = open_page(QUIZ, dict(again.query_params))
    assert current_question(twice) == (number, question) and metric(twice, "Answered") == "2"

    # the next question, drawn after the reload, is of a kind not seen in this round yet
    button(again, "New question").click().run()
    assert current_question(again)[1].kind not in {first.kind, question.kind}
    assert metric(again, "Answered") == "2"


LOST_ROUND = "Your earlier round is no longer on the server"


@pytest.mark.parametrize("key", ["", "nope", "A" * 16, "<a href=x>" * 3, "A" * 400])
def test_an_unknown_or_malformed_round_key_starts_a_new_round(key):
    """A round the address names that is not kept (the server restarted: a poor-Wi-Fi tour
    saw the score go to 0 unexplained) starts a new round and says why, once; an address
    with no key, or one no round could have, starts one without a word."""
    at = open_page(QUIZ, {"quiz": key})
    assert_healthy(at)
    assert (metric(at, "Answered"), current_question(at)[0]) == ("0", 1)
    assert dict(at.query_params)["quiz"] != key
    told = [i.value for i in at.info if LOST_ROUND in i.value]
    assert len(told) == (1 if key == "A" * 16 else 0), [i.value for i in at.info]
    at.run()
    assert not [i.value for i in at.info if LOST_ROUND in i.value]


def test_two_sessions_from_one_address_do_not_share_a_round():
    """An address copied to a second tab (or to a classmate) opens the round as it was; from
    then on each tab's answers are its own, and a reload of either tab finds its own round.
    Both kept the round under one key: whichever pressed last wrote it, and a reload of the
    other showed that one's question and score (a navigation tour)."""
    first = open_page(QUIZ)
    answer(first, right_and_wrong(current_question(first)[1])[0])
    second = open_page(QUIZ, dict(first.query_params))
    assert dict(second.query_params)["quiz"] != dict(first.query_params)["quiz"]
    button(second, "New question").click().run()
    answer(second, right_and_wrong(current_question(second)[1])[0])
    assert metric(second, "Answered") == "2"
    first.run()
    assert metric(first, "Answered") == "1"
    button(first, "New question").click().run()  # the first tab writes its round last
    first_again = open_page(QUIZ, dict(first.query_params))
    second_again = open_page(QUIZ, dict(second.query_params))
    assert metric(first_again, "Answered") == "1" and metric(second_again, "Answered") == "2"
    assert current_question(first_again) == current_question(first)
    assert current_question(second_again) == current_question(second)


def test_checking_without_an_answer_asks_for_one():
    at = open_page(QUIZ)
    button(at, "Check").click().run()
    assert_healthy(at)
    assert any("answer first" in e for e in errors(at))
    assert metric(at, "Answered") == "0"


def test_new_questions_use_the_logits_in_the_editor():
    at = open_page(QUIZ, {"z": "5,1", "labels": "yes,no"})
    assert current_question(at)[1].logits == (5.0, 1.0)
    at.text_input(key="w:paste").input("3, 2, 1").run()
    assert any("New question" in c.value for c in at.caption)
    button(at, "New question").click().run()
    assert current_question(at)[1].logits == (3.0, 2.0, 1.0)
    assert current_question(at)[1].labels == ("yes", "no", "class 3")


@pytest.mark.parametrize("path", [TEMPERATURE, GRADIENTS, CALIBRATION, QUIZ])
def test_presenter_view_hides_what_the_teacher_chose(path):
    at = open_page(path, {"present": "1", "hide": "editor,temperature,table,explanation"})
    assert_healthy(at)
    assert not warnings(at) and not errors(at)
    assert not [t for t in at.text_input if t.key == "w:paste"]
    assert not [n for n in at.number_input if n.key == "w:T_number"]
    assert not at.dataframe
    assert "Computed just now" not in text(at) and "T → 0" not in text(at)

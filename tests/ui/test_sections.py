"""Sections: a control reruns only its section and the share link, never the page's frame,
and the share link and the address bar stay exact (softmax_ui.session.section)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

import softmax_ui.controls
import softmax_ui.page
import softmax_ui.pictures
from softmax_ui.memory import KEY as MEMORY
from softmax_ui.session import DRAWN, rerun_scope
from softmax_ui.state import LessonState, to_query
from tests.link_boxes import links_shown
from tests.ui.conftest import (
    GRADIENTS,
    NAIVE,
    PLAYGROUND,
    TEMPERATURE,
    VERSUS,
    assert_healthy,
    build_every_figure,
    chart_values,
    open_page,
)

START = {"z": "2,1,0.1", "labels": "dog,cat,bird", "T": "1"}


class Counter:
    """Wraps a function of the app and counts its calls (the page script imports it afresh
    on every full run, so a patched module attribute is what it calls).

    Figures are then built on every call, not taken from the figures shared between runs
    and sessions (softmax_ui.shared_figures): a count says which sections ran."""

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        module: object,
        name: str,
        only: tuple[str, ...] = (),
    ) -> None:
        """``only``: count only the calls whose first argument names one of these (a widget
        key, or a tuple of keys, that starts with one of them)."""
        self.calls = 0
        original = getattr(module, name)
        build_every_figure(monkeypatch)

        def counted(*args, **kwargs):
            keys = args[0] if args and isinstance(args[0], tuple) else args[:1]
            if not only or any(str(k).startswith(only) for k in keys):
                self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)


def expected_link(state: LessonState) -> str:
    """The share link of ``state``, written here apart from softmax_ui.session.share_url
    (AppTest has no page URL, so the link is its query alone)."""
    return "?" + urlencode(to_query(state), safe=",")


def shown_link(at) -> str:
    return links_shown(at.sidebar)[0]


def address_bar(at) -> dict[str, str]:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


def test_a_slider_reruns_its_section_and_the_share_link_only(monkeypatch):
    frames = Counter(monkeypatch, softmax_ui.page, "lesson")
    at = open_page(PLAYGROUND, START)
    assert frames.calls == 1
    before = chart_values(at)

    at.slider(key="w:T_slider").set_value(2.0).run()

    assert_healthy(at)
    assert frames.calls == 1, "the whole page reran: the frame (title, sidebar) was redrawn"
    assert list(chart_values(at)) != list(before)  # the section did rerun
    state = LessonState(temperature=2.0)
    assert shown_link(at) == expected_link(state)
    assert address_bar(at) == to_query(state)


def test_an_inner_section_reruns_alone_and_keeps_the_link_exact(monkeypatch):
    """Temperature: the seed belongs to the sampling section; the main picture is not redrawn,
    and the link carries the new seed. A change the section does not own (the logits, from
    its preset button) reruns the whole lesson (next test)."""
    pictures = Counter(monkeypatch, softmax_ui.pictures, "prediction_picture")
    at = open_page(TEMPERATURE, START | {"tab": "sampling"})
    drawn = pictures.calls
    assert drawn == 1

    at.number_input(key="w:seed").set_value(7).run()

    assert_healthy(at)
    assert pictures.calls == drawn, "the seed reran more than its section"
    state = LessonState(seed=7, tab="sampling")
    assert shown_link(at) == expected_link(state)
    assert address_bar(at) == to_query(state)


def test_a_change_an_inner_section_does_not_own_reruns_the_lesson(monkeypatch):
    """Its preset button changes the logits, which the whole lesson shows."""
    pictures = Counter(monkeypatch, softmax_ui.pictures, "prediction_picture")
    at = open_page(TEMPERATURE, START | {"tab": "filters"})

    [load] = [b for b in at.button if b.label.startswith("Load")]
    load.click().run()

    assert_healthy(at)
    assert pictures.calls == 2, "new logits must redraw the main picture"
    z = address_bar(at)["z"]
    assert z != START["z"] and shown_link(at).startswith(f"?z={z}&")


def test_two_controls_changed_in_one_rerun_both_apply():
    """The first change's commit must not lose the second's value."""
    at = open_page(PLAYGROUND, START)
    at.number_input(key="w:T_number").set_value(2.0)
    at.number_input(key="w:z0").set_value(3.0)
    at.run()

    assert_healthy(at)
    state = LessonState(logits=(3.0, 1.0, 0.1), temperature=2.0)
    assert address_bar(at) == to_query(state)
    assert shown_link(at) == expected_link(state)


def test_a_keypress_sent_before_the_last_one_came_back_is_not_undone_by_the_old_box_value():
    """Two quick presses on the T slider: the second request carries the box's value from
    before the first run (the browser had not drawn the new one). Only the slider changed."""
    at = open_page(PLAYGROUND, START)
    at.slider(key="w:T_slider").set_value(1.5).run()
    assert at.number_input(key="w:T_number").value == 1.5
    at.slider(key="w:T_slider").set_value(2.0)
    at.number_input(key="w:T_number").set_value(1.0)  # what the box showed before
    at.run()
    assert_healthy(at)
    assert address_bar(at)["T"] == "2" and at.number_input(key="w:T_number").value == 2.0
    # The reader typing an old value into the box, the slider left alone, is a change.
    at.number_input(key="w:T_number").set_value(1.5).run()
    assert address_bar(at)["T"] == "1.5" and at.slider(key="w:T_slider").value == 1.5


def test_a_change_sent_before_a_presets_run_came_back_keeps_the_preset():
    """A preset chosen from the menu, then a class's number typed before its run is back:
    that request still carries the menu's choice and the other boxes' old values; the
    preset stays loaded and the typed number is taken."""
    at = open_page(PLAYGROUND, START)
    at.selectbox(key="w:preset").set_value("Overflow trap").run()
    assert address_bar(at)["z"] == "1000,1001,1002"
    at.selectbox(key="w:preset").set_value("Overflow trap")  # the menu, as the browser had it
    at.number_input(key="w:z0").set_value(2.0)  # the box, as the browser had it
    at.number_input(key="w:z1").set_value(500.0)  # typed by the reader
    at.run()
    assert_healthy(at)
    assert address_bar(at)["z"] == "1000,500,1002"
    # Typed afterwards, on its own, the old value is the reader's change.
    at.run()
    at.number_input(key="w:z0").set_value(2.0).run()
    assert address_bar(at)["z"] == "2,500,1002"


def _remount_script() -> None:
    import streamlit as st

    from softmax_ui import session
    from softmax_ui.memory import memory
    from softmax_ui.state import LessonState, format_logits, parse_logits

    def put(state: LessonState, text: str) -> LessonState:
        return state.replace(logits=parse_logits(text))

    session.bound(st.text_input, "paste", "Logits", get=lambda s: format_logits(s.logits), put=put)
    if st.button("Teacher moves"):
        session.commit(LessonState(logits=(5.0, 1.0, -2.0)), remount=True)
    if st.button("Old widget reports its value"):
        # What a request sent by the browser before it drew the new widgets does: the
        # callback of the widget drawn before the remount fires with the old value.
        session._on_change("w:paste", put, True, (), generation=memory()[session.GENERATION] - 1)
    st.write(f"state {format_logits(session.current().logits)}")


def test_a_value_sent_for_a_widget_from_before_a_remount_changes_nothing():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_remount_script).run()
    assert at.text_input(key="w:paste").value == "2, 1, 0.1"
    at.button[0].click().run()
    at.run()  # the run after the commit draws the widgets under their new keys
    assert at.text_input(key="w:paste#1").value == "5, 1, -2"
    at.session_state["w:paste"] = "2, 1, 0.1"  # the stale value, as the browser sent it
    at.button[1].click().run()
    assert at.markdown[-1].value == "state 5, 1, -2"


def _echo_script() -> None:
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from softmax_ui import session
    from softmax_ui.state import format_logits, parse_logits

    def put(state: session.LessonState, text: str) -> session.LessonState:
        return state.replace(logits=parse_logits(text))

    drawn_in = []

    @session.section("lesson")
    def lesson() -> None:
        drawn_in.append(session._sections.get())
        session.bound(
            st.text_input, "paste", "Logits", get=lambda s: format_logits(s.logits), put=put
        )

    lesson()
    st.fragment(lambda: None, key=session.SHARE)()
    st.fragment(lambda: None, key="timer")()  # the teacher's bar, say
    ctx = get_script_run_ctx()
    for run in ["a timer's tick", "the paste box's section", "a fragment since gone"]:
        if st.button(f"The old value, with {run}"):
            # What the browser sends when it has not drawn the paste box's new value yet
            # (the button makes the run; the fragments say which run Streamlit reports it in).
            ours = ctx.fragment_storage.resolve_target(["lesson"])
            timer = ctx.fragment_storage.resolve_target(["timer"])
            ids = {"a timer's tick": timer, "a fragment since gone": ["gone"]}.get(run, ours)
            ctx.fragment_ids_this_run = ids
            try:
                session._on_change("w:paste", put, True, drawn_in[0])
            except Exception as rerun:  # the rerun a change asks for (not made here)
                st.write(f"rerun {type(rerun).__name__}")
            finally:
                ctx.fragment_ids_this_run = None
    st.write(f"state {format_logits(session.current().logits)}")


def test_an_old_value_sent_with_a_timers_tick_is_not_taken_as_a_change():
    """A live class's timers (the teacher's bar, a student's follow check) send every widget's
    value as the browser has it: one this session's last run changed comes back stale. Taken
    as a change, it undid the teacher's pasted logits (the CI failure of the live test)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_echo_script).run()
    at.text_input(key="w:paste").set_value("5, 1, -2").run()
    at.run()
    assert at.markdown[-1].value == "state 5, 1, -2"
    at.session_state["w:paste"] = "2, 1, 0.1"  # the stale value, as the browser sent it
    at.button[0].click().run()
    assert at.markdown[-1].value == "state 5, 1, -2"
    at.run()  # the paste box is drawn with the state again
    assert at.text_input(key="w:paste").value == "5, 1, -2"
    # The same value reported with the paste box's own section is the reader's change.
    at.session_state["w:paste"] = "2, 1, 0.1"
    at.button[1].click().run()
    assert at.markdown[-1].value == "state 2, 1, 0.1"
    # A request sent before the page's layout changed names a fragment that is gone (an id
    # depends on where the fragment is drawn): not a tick, the change is the reader's.
    at.text_input(key="w:paste").set_value("5, 1, -2").run()
    at.run()
    at.session_state["w:paste"] = "7, 1, 0"
    at.button[2].click().run()
    assert at.markdown[-1].value == "state 7, 1, 0"


@pytest.mark.parametrize("page", [PLAYGROUND, VERSUS, NAIVE, TEMPERATURE, GRADIENTS])
def test_a_temperature_change_redraws_the_pictures_not_the_logits_editor(monkeypatch, page):
    """The lesson's outermost section only lays out inner ones (``shows=()``): a change of T
    reruns the sections that show T (the temperature controls, every picture), not the
    logits editor beside them; the share link and the address bar stay exact."""
    editors = Counter(monkeypatch, softmax_ui.controls, "logits_editor")
    at = open_page(page, START)
    assert editors.calls == 1
    before = chart_values(at)

    at.number_input(key="w:T_number").set_value(2.0).run()

    assert_healthy(at)
    assert editors.calls == 1, "the logits editor was redrawn for a change of T"
    assert list(chart_values(at)) != list(before), "the picture did not follow T"
    state = LessonState(temperature=2.0)
    assert shown_link(at) == expected_link(state)
    assert address_bar(at) == to_query(state)
    at.run()  # the whole page again (AppTest keeps only the sections that reran)
    assert at.number_input(key="w:T_number").value == 2.0
    assert editors.calls == 2


def test_a_logits_change_redraws_the_pictures_and_the_editor_not_the_temperature(monkeypatch):
    temperature = Counter(monkeypatch, softmax_ui.controls, "temperature_control")
    at = open_page(PLAYGROUND, START)
    before = chart_values(at)

    at.number_input(key="w:z0").set_value(4.0).run()

    assert_healthy(at)
    assert temperature.calls == 1
    assert list(chart_values(at)) != list(before)
    assert shown_link(at) == expected_link(LessonState(logits=(4.0, 1.0, 0.1)))


@pytest.mark.parametrize("tab", ["sampling", "filters"])
def test_a_temperature_change_leaves_the_sampling_and_filter_controls_alone(monkeypatch, tab):
    """Temperature: N, the seed, "Draw again", k and p do not depend on T; their pictures do.
    Each is in a tab of its own, drawn only while open."""
    import softmax_ui.figures_temperature

    seeds = Counter(monkeypatch, softmax_ui.controls, "seed_input")
    k_and_p = Counter(monkeypatch, softmax_ui.controls, "paired_slider", only=("top_k", "top_p"))
    samples = Counter(monkeypatch, softmax_ui.figures_temperature, "sample_frequencies")
    filtered = Counter(monkeypatch, softmax_ui.figures_temperature, "filtered_bars")
    at = open_page(TEMPERATURE, START | {"tab": tab})
    controls = (seeds.calls, k_and_p.calls)
    assert controls == ((1, 0) if tab == "sampling" else (0, 2))
    pictures = (samples.calls, filtered.calls)
    assert pictures == ((1, 0) if tab == "sampling" else (0, 1)), "only the open tab is drawn"

    at.number_input(key="w:T_number").set_value(2.0).run()

    assert_healthy(at)
    assert (seeds.calls, k_and_p.calls) == controls, "the tab's controls were redrawn for T"
    assert (samples.calls, filtered.calls) == tuple(2 * n for n in pictures), "not following T"
    assert shown_link(at) == expected_link(LessonState(temperature=2.0, tab=tab))


def test_a_temperature_change_redraws_the_open_tab_only(monkeypatch):
    """The sweep is open by default: a change of T redraws it and builds no picture of the
    closed tabs."""
    import softmax_ui.figures_temperature

    sweeps = Counter(monkeypatch, softmax_ui.figures_temperature, "sweep_charts")
    samples = Counter(monkeypatch, softmax_ui.figures_temperature, "sample_frequencies")
    filtered = Counter(monkeypatch, softmax_ui.figures_temperature, "filtered_bars")
    at = open_page(TEMPERATURE, START)
    at.slider(key="w:T_slider").set_value(2.0).run()
    assert_healthy(at)
    assert (sweeps.calls, samples.calls, filtered.calls) == (2, 0, 0)
    assert shown_link(at) == expected_link(LessonState(temperature=2.0))


def test_opening_a_tab_reruns_the_tabs_alone():
    """A change of the open tab (the tabs' own control, owned by the section around them)
    reruns that section and the share link: not the editor, not the main picture."""
    at = open_page(TEMPERATURE, START)
    drawn = at.session_state[MEMORY][DRAWN]
    chain = drawn["sweep"][:-1]  # the sections the tabs are drawn in
    assert [s.key for s in chain] == ["lesson", "further"]
    assert rerun_scope(chain, LessonState(), LessonState(tab="sampling"), drawn) == [
        "further",
        "share_link",
    ]


def test_a_temperature_change_leaves_the_pictures_that_do_not_show_t_alone(monkeypatch):
    """Gradients: the ReLU-vs-sigmoid derivatives and the Keras code depend on the logits
    (and the learning rate), not on T; the Jacobian depends on T. Each is in a tab, drawn
    only while open."""
    import softmax_ui.figures_training

    curves = Counter(monkeypatch, softmax_ui.figures_training, "derivative_curves")
    jacobians = Counter(monkeypatch, softmax_ui.figures_training, "jacobian_heatmap")
    at = open_page(GRADIENTS, START | {"tab": "relu"})

    at.number_input(key="w:T_number").set_value(2.0).run()

    assert_healthy(at)
    assert curves.calls == 1, "the derivative curves were redrawn for a change of T"
    assert jacobians.calls == 0, "a closed tab was drawn"
    at.run()
    at.number_input(key="w:z0").set_value(3.0).run()
    assert curves.calls == 3  # the whole page, then the logits: the curves mark them

    at = open_page(GRADIENTS, START | {"tab": "jacobian"})
    at.number_input(key="w:T_number").set_value(2.0).run()
    assert_healthy(at)
    assert jacobians.calls == 2, "the Jacobian did not follow T"
    assert curves.calls == 3


def test_a_value_for_a_class_removed_meanwhile_changes_nothing():
    """A request the browser sent for the 4th class's name or logit, handled after the state
    went back to 3 classes (a teacher's view, a stale tab), is ignored, not an exception."""
    from softmax_ui.controls import label_setter, logit_setter

    state = LessonState()
    assert label_setter(3)(state, "fish") == state
    assert logit_setter(3)(state, 2.0) == state

"""The frame around the lessons: what the presenter view hides, the scene bar, the charts'
config. What these look like in a browser is tested in tests/browser/test_browser_layout.py."""

from __future__ import annotations

import json

import pytest

from softmax_ui.page import DOCKED
from softmax_ui.state import DEFAULT, to_query
from tests.ui.conftest import (
    CALIBRATION,
    GRADIENTS,
    NAIVE,
    PLAYGROUND,
    TEMPERATURE,
    VERSUS,
    assert_healthy,
    open_every_tab,
    open_page,
)

PASTE, T_SLIDER, ACTIVATIONS = "w:paste", "w:T_slider", "w:activations"


def keys(at) -> set[str]:
    """Keys of the widgets on the page."""
    return {w.key for kind in ("text_input", "slider", "multiselect") for w in at.get(kind)}


@pytest.mark.parametrize(
    ("hide", "hidden", "shown"),
    [
        ("editor", {PASTE}, {T_SLIDER, ACTIVATIONS}),
        ("temperature", {T_SLIDER}, {PASTE, ACTIVATIONS}),
        ("editor,temperature", {PASTE, T_SLIDER}, {ACTIVATIONS}),
    ],
)
def test_each_hidden_part_hides_only_itself_on_the_comparison_page(hide, hidden, shown):
    """Issue 10, #9: ``hide=editor`` on the comparison page also hid the temperature control
    and the activation chooser."""
    at = open_page(VERSUS, {"present": "1", "hide": hide})
    assert_healthy(at)
    assert not hidden & keys(at), hidden & keys(at)
    assert shown <= keys(at), shown - keys(at)


@pytest.mark.parametrize("path", [PLAYGROUND, TEMPERATURE, GRADIENTS])
def test_hiding_the_editor_keeps_the_temperature_and_the_other_way_round(path):
    at = open_page(path, {"present": "1", "hide": "editor"})
    assert T_SLIDER in keys(at) and PASTE not in keys(at)
    at = open_page(path, {"present": "1", "hide": "temperature"})
    assert PASTE in keys(at) and T_SLIDER not in keys(at)


@pytest.mark.parametrize("hide", ["editor", "temperature", "editor,temperature"])
def test_naive_vs_stable_keeps_its_precision_and_c_whatever_is_hidden(hide):
    """With the editor and T hidden in the presenter view, Naive vs stable showed no control
    at all: not the precision, nor the c that its scene "slide c" asks the teacher to move.
    A hidden part leaves out only itself."""
    at = open_page(NAIVE, {"present": "1", "hide": hide})
    assert_healthy(at)
    shown = keys(at) | {w.key for w in at.radio}
    assert {"w:offset_slider", "w:dtype"} <= shown, shown
    assert ("editor" in hide) == (PASTE not in shown)
    assert ("temperature" in hide) == (T_SLIDER not in shown)


def test_the_scene_bar_buttons_carry_icons_not_emoji_arrows():
    at = open_page(PLAYGROUND, to_query(DEFAULT.at_scene(2)))
    buttons = {b.key: b for b in at.button if b.key and b.key.startswith("scene_")}
    assert {b.label for b in buttons.values()} == {"Previous", "Next", "Leave deck"}
    assert all(b.proto.icon.startswith(":material/") for b in buttons.values())


@pytest.mark.parametrize("path", [PLAYGROUND, VERSUS, NAIVE, TEMPERATURE, GRADIENTS, CALIBRATION])
def test_charts_have_no_mode_bar_and_one_docked_picture(path):
    """Plotly's mode bar covered chart titles; the lesson's main picture is marked to stay in
    view on a phone (``docked``), once per page."""
    for at in open_every_tab(path):
        assert_healthy(at)
        charts = at.get("plotly_chart")
        assert charts
        for element in charts:
            config = json.loads(element.proto.config)
            assert config.get("displayModeBar") is False, config
        assert len(blocks_with_key(at, DOCKED)) == 1


def blocks_with_key(at, key: str) -> list:
    """The containers made with ``st.container(key=key)`` on the page."""
    found, todo = [], [at._tree]
    while todo:
        node = todo.pop()
        proto = getattr(node, "proto", None)
        if proto is not None and type(proto).__name__ == "Block" and proto.id.endswith(f"-{key}"):
            found.append(node)
        todo.extend(getattr(node, "children", {}).values())
    return found

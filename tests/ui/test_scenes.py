"""Workshop decks: packing into a link, and stepping through scenes in the app."""

import re

import numpy as np
import pytest

from softmax_core import softmax
from softmax_ui import catalog
from softmax_ui.catalog import page_path
from softmax_ui.scenes import DEFAULT_DECK, Scene, decode_deck, encode_deck
from softmax_ui.state import DEFAULT, from_query, to_query
from tests.ui.conftest import (
    HOME,
    NAIVE,
    PLAYGROUND,
    assert_healthy,
    chart_values,
    errors,
    open_page,
    warnings,
)

WORKSHOP = catalog.WORKSHOP.path
CALIBRATION_PAGE = catalog.CALIBRATION.path


def test_deck_round_trips_through_a_link_token():
    deck = (Scene("Playground", "Sharp", "z=1,2&labels=a,b&T=0.2"), *DEFAULT_DECK[:2])
    token = encode_deck(deck)
    assert token.replace("-", "").replace("_", "").isalnum()
    assert decode_deck(token) == deck


@pytest.mark.parametrize("token", ["", "!!", "abc", encode_deck(())[:-3], "A" * 5000])
def test_damaged_deck_tokens_are_refused(token):
    with pytest.raises(ValueError, match="deck"):
        decode_deck(token)


def test_default_deck_tells_the_story_on_pages_that_exist():
    assert len(DEFAULT_DECK) >= 7
    for scene in DEFAULT_DECK:
        assert page_path(scene.page) is not None, scene.page
        _, problems = from_query(scene.settings())
        assert problems == [], (scene.title, problems)


def test_a_scene_records_only_the_lesson_settings():
    scene = DEFAULT.replace(present=True, temperature=2.0).as_scene("Playground", "hot")
    assert "present" not in scene.query and "T=2" in scene.query


def test_the_workshop_adds_a_calibration_view_with_all_its_settings():
    """Issue 10, #2: Classes = 8, Overconfidence = 6 on Calibration, added as a scene, come
    back when the deck link is opened and stepped to."""
    at = open_page(CALIBRATION_PAGE, {"calib_classes": "8", "overconfidence": "6"})
    at.switch_page(WORKSHOP).run()
    assert_healthy(at)
    next(box for box in at.selectbox if box.label == "Page").select("Calibration")
    next(box for box in at.text_input if box.label == "Scene title").input("Eight classes")
    next(b for b in at.button if b.label == "Add the current view as a scene").click().run()
    assert_healthy(at)
    state, problems = from_query(
        {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    )
    assert problems == []
    scene = state.deck[-1]
    assert (scene.page, scene.title) == ("Calibration", "Eight classes")
    shown = state.at_scene(len(state.deck))
    assert (shown.calib_classes, shown.overconfidence) == (8, 6.0)


def test_the_workshop_offers_the_lesson_just_seen_as_the_scenes_page():
    """A teacher who set up a view on Naive vs stable and came to the Workshop finds that
    page chosen (it was always the Playground, to change for every scene); without a lesson
    seen, the first one."""
    at = open_page(NAIVE)
    at.switch_page(WORKSHOP).run()
    assert_healthy(at)
    assert next(box for box in at.selectbox if box.label == "Page").value == "Naive_vs_Stable"
    fresh = open_page(WORKSHOP)
    assert next(box for box in fresh.selectbox if box.label == "Page").value == "Playground"


def deck_table(at) -> tuple[str, str]:
    """The Workshop's deck table as Markdown, and as read (Markdown escapes undone)."""
    table = next(m.value for m in at.markdown if m.value.startswith("| \\#"))
    return table, re.sub(r"\\(.)", r"\1", table)


def test_the_deck_table_writes_each_scenes_settings_the_readers_way():
    """The Workshop's table of the deck says what each scene sets as the scene will show it:
    in Spanish the default deck's class names in Spanish and decimal commas (it showed
    "labels = dog, cat, bird · T = 0.5"), the target class by name (it showed a 0-based
    "target = 1"); a teacher's own class names as typed, escaped."""
    at = open_page(WORKSHOP, {"lang": "es"})
    assert_healthy(at)
    _, table = deck_table(at)
    assert "clases: perro, gato, pájaro · T = 0,5" in table, table
    assert "labels" not in table and "T = 0.5" not in table and "dog" not in table
    assert "precisión float16 · c = 9,5" in table, table

    deck = (
        Scene(
            "Gradients_and_Cross_Entropy",
            "mine",
            "z=2,1,0.25&labels=%2A%2Aa%2A%2A,b%7Cc,d&T=2&target=1",
        ),
    )
    at = open_page(WORKSHOP, {"deck": encode_deck(deck)})
    assert_healthy(at)
    markdown, table = deck_table(at)
    assert "z = 2, 1, 0.25 · classes: **a**, b|c, d · T = 2 · target class: b|c" in table, table
    assert r"\*\*a\*\*" in markdown and r"b\|c" in markdown


def test_a_deck_link_with_settings_the_app_does_not_replay_still_opens_the_workshop():
    """A deck whose scenes carry a setting no scene replays (``lang``, an unknown key) or an
    empty activation list: the Workshop's table shows what the scenes do replay (it raised
    KeyError on ``lang`` and left a dangling "·" for no activations)."""
    deck = (
        Scene("Playground", "one", "z=1,2&labels=a,b&T=1&lang=fr&foo=bar"),
        Scene("Softmax_vs_Sigmoid_vs_ReLU", "two", "z=1,2&labels=a,b&T=1&act="),
    )
    at = open_page(WORKSHOP, {"deck": encode_deck(deck)})
    assert_healthy(at)
    _markdown, table = deck_table(at)
    assert "| z = 1, 2 · classes: a, b · T = 1 |" in table, table
    assert table.count("| z = 1, 2 · classes: a, b · T = 1 |") == 2, table


def test_a_refused_deck_says_which_scene_and_why():
    """A scene with a bad setting is refused with its own reason (a shadowed ``_`` made it
    "could not be read (TypeError)")."""
    deck = (Scene("Playground", "bad", "z=1,2&labels=a,b&T=0"),)
    _state, problems = from_query({"deck": encode_deck(deck)})
    assert len(problems) == 1 and "Scene 1 of the deck is refused" in problems[0], problems
    assert "TypeError" not in problems[0]


def test_starting_the_deck_shows_scene_one():
    at = open_page(WORKSHOP)
    assert_healthy(at)
    at.button[0].click().run()  # Start the deck
    assert_healthy(at)
    assert "Scene 1 of" in at.markdown[0].value
    assert at.title[0].value.endswith("Softmax, taught live")


# AppTest follows a script's st.switch_page within one run only, so each step starts from a
# link to the scene before it (the browser tests click through the deck in one session).
def test_next_goes_to_the_next_scene_with_its_settings():
    at = open_page("app.py", to_query(DEFAULT.at_scene(1)))
    at.button(key="scene_next").click().run()
    assert_healthy(at)
    assert "Scene 2 of" in at.markdown[0].value
    np.testing.assert_allclose(chart_values(at), softmax([2, 1, 0.1], temperature=0.5))


def test_previous_goes_back():
    at = open_page(NAIVE, to_query(DEFAULT.at_scene(5)))
    at.button(key="scene_previous").click().run()
    assert_healthy(at)
    assert "Scene 4 of" in at.markdown[0].value
    assert np.isnan(chart_values(at, 0)).all()


@pytest.mark.parametrize(("key", "step"), [("scene_next", 1), ("scene_previous", -1)])
def test_a_second_step_pressed_before_the_first_ones_page_arrives_steps_on(key, step):
    """On a slow machine a second Next, pressed on the scene bar of the page still shown
    while the first Next's page was on its way, ran that page with the deck on a scene of
    another page: it left the deck (4 of 13 tries at CPU ×4, a tour). It steps on from the
    scene the first press reached, on that scene's page."""
    deck = DEFAULT_DECK
    first = next(
        n
        for n in range(1, len(deck) + 1)
        if 1 <= n + 2 * step <= len(deck)
        and deck[n - 1].page not in (deck[n - 1 + step].page, deck[n - 1 + 2 * step].page)
    )
    shown = page_path(deck[first - 1].page)
    at = open_page(shown, to_query(DEFAULT.at_scene(first)))
    at.button(key=key).click().run()  # the first press: its page, the next scene's
    assert f"Scene {first + step} of" in at.markdown[0].value
    at.switch_page(shown)  # the browser still shows the first page, and its bar is pressed
    at.button(key=key).click().run()
    assert_healthy(at)
    assert f"Scene {first + 2 * step} of" in at.markdown[0].value
    assert str(first + 2 * step) in at.query_params["scene"]


def test_a_step_still_waiting_when_another_page_is_chosen_leaves_the_deck():
    """A Next pressed while the last step's page was on its way, then a page chosen in the
    menu before either arrived: Streamlit merges the two into one run of the page chosen,
    with Next's press in it. The reader chose the page: the deck is left there, as after any
    page chosen in the menu, not stepped on."""
    deck = DEFAULT_DECK
    first = next(n for n in range(1, len(deck) - 1) if deck[n - 1].page != deck[n].page)
    shown = page_path(deck[first - 1].page)
    at = open_page(shown, to_query(DEFAULT.at_scene(first)))
    at.button(key="scene_next").click().run()  # the first press: its page is on its way
    at.context = {"url": f"http://localhost:8501/{deck[first - 1].page}"}  # still shown
    at.switch_page(catalog.CALIBRATION.path)  # the menu, with the second Next merged in
    at.button(key="scene_next").click().run()
    assert_healthy(at)
    assert "Scene" not in at.markdown[0].value
    assert "scene" not in at.query_params


def test_leaving_the_deck_keeps_the_view():
    at = open_page(NAIVE, to_query(DEFAULT.at_scene(4)))
    at.button(key="scene_leave").click().run()
    assert "Scene" not in at.markdown[0].value
    assert "scene" not in at.query_params
    assert np.isnan(chart_values(at, 0)).all()


def test_a_deck_link_opens_at_its_scene():
    state = DEFAULT.at_scene(4)
    at = open_page(NAIVE, to_query(state))
    assert_healthy(at)
    assert not warnings(at)
    assert np.isnan(chart_values(at, 0)).all()  # the overflow scene
    assert "Scene 4 of" in at.markdown[0].value


def test_a_scene_opens_the_tab_it_was_recorded_with():
    """The default deck's text-generation scene shows the filters; its line in the deck says
    so, and the scene's view (as its link and Next open it) opens that tab."""
    from softmax_ui.workshop import scene_settings

    number = next(i for i, s in enumerate(DEFAULT_DECK, 1) if s.page == "Temperature_and_Sampling")
    assert scene_settings(DEFAULT, number).endswith("· tab: Top-k and top-p")
    shown = DEFAULT.at_scene(number)
    assert shown.tab == "filters"
    query = {k: v for k, v in to_query(shown).items()} | {"scene": str(number)}
    at = open_page(catalog.TEMPERATURE.path, query)
    assert_healthy(at)
    assert [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")][1:] == ["filter_chart"]


def test_a_scenes_tab_is_named_only_on_a_page_that_has_it():
    """A view recorded on Gradients while the state still named Temperature's filters tab:
    Gradients opens its first tab, and the deck's line does not name the other page's."""
    from softmax_ui.workshop import scene_settings

    deck = (Scene("Gradients_and_Cross_Entropy", "x", "z=2,1&labels=a,b&T=1&tab=filters"),)
    assert "tab" not in scene_settings(DEFAULT.replace(deck=deck), 1)
    deck = (Scene("Gradients_and_Cross_Entropy", "x", "z=2,1&labels=a,b&T=1&tab=jacobian"),)
    assert scene_settings(DEFAULT.replace(deck=deck), 1).endswith("· tab: Jacobian")


@pytest.mark.parametrize("query", [{"scene": "3", "present": "1"}, {"scene": "3"}])
def test_a_scene_of_another_page_is_not_shown_over_this_one(query):
    """/?present=1&scene=3 drew "Scene 3 of 8: Temperature drives text generation" above the
    Home page (a student tour): a scene is shown on its own page; elsewhere the page is out
    of the deck, as after "Leave deck"."""
    at = open_page(HOME, query)
    assert_healthy(at)
    assert not any("Scene 3 of" in m.value for m in at.markdown)
    assert "scene" not in at.query_params


def test_a_page_chosen_from_the_menu_during_a_deck_leaves_the_deck():
    """The scene bar followed a student who chose another page in the menu, naming a scene
    of a page they were not on."""
    at = open_page(NAIVE, to_query(DEFAULT.at_scene(4)))
    assert "Scene 4 of" in at.markdown[0].value
    at.switch_page(PLAYGROUND).run()
    assert_healthy(at)
    assert not any("Scene 4 of" in m.value for m in at.markdown)
    assert "scene" not in at.query_params


def test_a_scenes_line_names_only_what_its_page_uses():
    """A Temperature scene recorded after a visit to Gradients and Naive vs stable listed
    "c = 5 · target class: b · learning rate 0.5" in the deck table (a student tour): its line
    names the settings its page uses."""
    from softmax_ui.workshop import scene_settings

    settings = "z=2,1&labels=a,b&T=1&offset=5&target=1&lr=0.5&tab=keras&seed=3"
    deck = (Scene("Temperature_and_Sampling", "x", settings),)
    assert (
        scene_settings(DEFAULT.replace(deck=deck), 1) == "z = 2, 1 · classes: a, b · T = 1 · seed 3"
    )
    deck = (Scene("Gradients_and_Cross_Entropy", "x", settings),)
    line = scene_settings(DEFAULT.replace(deck=deck), 1)
    assert (
        line
        == "z = 2, 1 · classes: a, b · T = 1 · target class: b · learning rate 0.5 · tab: Keras"
    )


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_every_scene_of_the_default_deck_names_its_settings(lang):
    """The Workshop's deck table showed an empty settings cell for the default deck's
    Calibration scene (its link sets the logits, which Calibration does not use). A scene
    that sets none of its page's settings names the defaults its page opens with."""
    from softmax_ui.i18n import language
    from softmax_ui.workshop import scene_settings

    with language(lang):
        lines = [scene_settings(DEFAULT, n) for n in range(1, len(DEFAULT_DECK) + 1)]
    assert all(lines), lines
    calibration = DEFAULT.at_scene(
        next(i for i, s in enumerate(DEFAULT_DECK, 1) if s.page == "Calibration")
    )
    with language(lang):
        line = lines[calibration.scene - 1]
        assert str(calibration.calib_classes) in line and str(calibration.seed) in line, line


def shown_in_main(at) -> list[str]:
    """Every element of the page's body (not the sidebar, whose share link names every
    setting), as Streamlit sends it; a download's file id, new each run, left out."""
    found: list[str] = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if children is None:
            found.append(re.sub(r"deferred_file_id: \S+", "", str(node.proto)))
            return
        for child in children.values():
            walk(child)

    walk(at.main)
    return found


@pytest.mark.parametrize("page", catalog.LESSONS, ids=lambda page: page.slug)
def test_a_setting_a_page_does_not_list_changes_nothing_on_it(page):
    """The deck table describes a scene by its page's ``settings`` (catalog): every other
    lesson setting, changed, leaves the page's body as it was, so the line leaves out nothing
    the scene shows."""
    from softmax_ui.state import LESSON_FIELDS

    assert set(page.settings) <= set(LESSON_FIELDS), page.settings
    changed = DEFAULT.replace(
        logits=(3.0, -1.0, 0.5),
        labels=("x", "y", "w"),
        temperature=0.5,
        dtype="float32",
        offset=50.0,
        activations=("relu",),
        seed=7,
        n_samples=300,
        top_k=2,
        top_p=0.5,
        target=2,
        learning_rate=0.3,
        calib_classes=4,
        overconfidence=2.0,
        tab="jacobian" if "jacobian" not in page.tabs else "sweep",
    )
    others = tuple(f for f in LESSON_FIELDS if f not in page.settings)
    assert {f for f in LESSON_FIELDS if getattr(changed, f) == getattr(DEFAULT, f)} == set()
    base = to_query(DEFAULT, only=("logits", "labels", "temperature"))
    for tab in page.tabs or (None,):  # every tab: the learning rate is the Learning tab's
        opened = base | ({"tab": tab} if tab else {})
        plain = open_page(page.path, opened)
        moved = open_page(page.path, to_query(changed, only=others) | opened)
        assert_healthy(plain)
        assert_healthy(moved)
        assert shown_in_main(moved) == shown_in_main(plain), (tab, others)


def workshop_with(deck: tuple[Scene, ...]):
    at = open_page(WORKSHOP, {"deck": encode_deck(deck)})
    assert_healthy(at)
    return at


def press(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert_healthy(at)
    return at


def deck_in_link(at) -> tuple[Scene, ...]:
    query = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    return decode_deck(query["deck"]) if "deck" in query else ()


THREE = tuple(
    Scene("Playground", title, f"z=2,1,0&labels=a,b,c&T={t}")
    for title, t in (("cold", "0.5"), ("warm", "1"), ("hot", "4"))
)


def test_a_removed_scene_comes_back_with_undo():
    at = workshop_with(THREE)
    next(box for box in at.selectbox if box.label == "Remove a scene").select(1).run()
    press(at, "Remove it")
    assert deck_in_link(at) == (THREE[0], THREE[2])
    assert [i.value for i in at.info] == ["Scene removed: warm."]
    press(at, "Undo")
    assert deck_in_link(at) == THREE
    assert not at.info and not [b for b in at.button if b.label == "Undo"]


def test_a_scene_chosen_for_removal_stays_chosen_through_a_language_switch():
    """The "Remove a scene" box lost its choice when the teacher switched language (its
    label, and with it the widget, changed): Remove it was then greyed out. After a
    removal the box is new, with nothing chosen."""
    at = workshop_with(THREE)
    next(box for box in at.selectbox if box.label == "Remove a scene").select(2).run()
    for lang in ("es", "fr", "en"):
        switch = next(box for box in at.selectbox if box.label.startswith("Language"))
        switch.set_value(lang).run()
        assert_healthy(at)
        (box,) = [b for b in at.selectbox if b.options and b.options[0] == "1. cold"]
        assert box.value == 2, (lang, box.label)
    press(at, "Remove it")
    assert deck_in_link(at) == THREE[:2]
    assert next(box for box in at.selectbox if box.label == "Remove a scene").value is None


def test_back_to_the_default_deck_can_be_undone():
    """One Enter on "Back to the default deck" wiped a teacher's five scenes, with no way
    back but a copied link (a teacher's tour); removing the last scene brought the default
    story back unsaid."""
    at = press(workshop_with(THREE), "Back to the default deck")
    assert deck_in_link(at) == ()
    assert "The deck (the default story)" in [h.value for h in at.header]
    (note,) = [i.value for i in at.info]
    assert "Your deck is empty" in note and "your 3 scenes" in note, note
    press(at, "Undo")
    assert deck_in_link(at) == THREE
    at = workshop_with(THREE[:1])
    next(box for box in at.selectbox if box.label == "Remove a scene").select(0).run()
    press(at, "Remove it")
    assert deck_in_link(at) == ()
    assert [i.value for i in at.info] == [
        "Your deck is empty: the table shows the default story. Undo brings back your 1 scene."
    ]
    press(at, "Undo")
    assert deck_in_link(at) == THREE[:1]


def test_a_refused_scene_title_stays_in_its_box():
    """A title over 60 characters was refused and its box emptied: the teacher typed it all
    again (a teacher's tour). The box keeps it until a scene is added, then is emptied."""
    at = open_page(WORKSHOP)
    title = next(box for box in at.text_input if box.label == "Scene title")
    assert "up to 60 characters" in title.placeholder
    title.input("x" * 61)
    press(at, "Add the current view as a scene")
    assert any("keep it to 60" in e for e in errors(at))
    assert next(box for box in at.text_input if box.label == "Scene title").value == "x" * 61
    assert deck_in_link(at) == ()
    next(box for box in at.text_input if box.label == "Scene title").input("x" * 60)
    press(at, "Add the current view as a scene")
    assert not errors(at)
    assert [s.title for s in deck_in_link(at)] == ["x" * 60]
    assert next(box for box in at.text_input if box.label == "Scene title").value == ""


def test_the_workshop_resumes_the_deck_at_the_scene_left():
    """A teacher on scene 4 who opened the Live class page to ask the room (a page out of
    the deck) could only start the deck again at scene 1, every Next broadcast to the room
    (a French teacher's tour). The Workshop offers the scene left; not after "Leave deck"."""
    at = open_page(NAIVE, to_query(DEFAULT.at_scene(4)))
    at.switch_page(catalog.LIVE.path).run()
    at.switch_page(WORKSHOP).run()
    assert_healthy(at)
    resume = [b for b in at.button if b.label == "Resume the deck at scene 4"]
    assert resume, [b.label for b in at.button]
    resume[0].click().run()
    assert_healthy(at)
    state, _ = from_query(
        {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    )
    assert state.scene == 4  # AppTest stops at the switch: the address names the scene
    left = open_page(NAIVE, to_query(DEFAULT.at_scene(4)))
    left.button(key="scene_leave").click().run()
    left.switch_page(WORKSHOP).run()
    assert not [b for b in left.button if b.label.startswith("Resume the deck")]


def test_a_step_that_carries_a_slider_not_yet_redrawn_still_steps():
    """T typed in the box, then Next pressed before the browser had drawn the box's run: the
    press carried the T slider's old value, 1. Taken as the reader's change, it put T back to
    1 and asked for a rerun of the slider's section only, which took the place of Next's
    whole run: the deck stayed on scene 1, and each Next pressed again did the same (CI runs
    92 and 93, a teacher's clicker on a busy server). A whole run with a press carries a
    section's widget as the browser showed it; an old value there is not the reader's."""
    deck = (
        Scene("Playground", "one", "z=2,1,0.1&labels=dog,cat,bird&T=1"),
        Scene("Temperature_and_Sampling", "two", "z=3,1,-1&labels=dog,cat,bird&T=0.3"),
    )
    at = open_page(PLAYGROUND, {"deck": encode_deck(deck), "scene": "1"})
    # the page as the browser shows it: the box's run is not drawn there yet
    box, slider = at.number_input(key="w:T_number"), at.slider(key="w:T_slider")
    step = at.button(key="scene_next")
    box.set_value(4.0).run()
    assert_healthy(at)
    assert at.query_params["T"] == "4"
    slider.set_value(1.0)  # as that page shows it
    step.click().run()
    assert_healthy(at)
    assert "Scene 2 of 2" in at.markdown[0].value
    assert at.query_params["scene"] == "2"


def test_a_press_that_carries_a_slider_not_yet_redrawn_keeps_the_typed_value():
    """The same race with "Leave deck", which keeps the scene's settings as they are: T typed
    in the box, then the button pressed before the box's run was drawn. The T the reader
    typed stays; the slider's old value is the browser's."""
    deck = (Scene("Playground", "one", "z=2,1,0.1&labels=dog,cat,bird&T=1"),) * 2
    at = open_page(PLAYGROUND, {"deck": encode_deck(deck), "scene": "1"})
    box, slider = at.number_input(key="w:T_number"), at.slider(key="w:T_slider")
    leave = at.button(key="scene_leave")
    box.set_value(4.0).run()
    slider.set_value(1.0)  # as the browser still shows it
    leave.click().run()
    assert_healthy(at)
    assert "scene" not in at.query_params
    assert at.query_params["T"] == "4"
    assert at.slider(key="w:T_slider").value == 4.0


def test_a_change_merged_with_a_press_keeps_both():
    """A section's change and a press outside it in one whole run (Streamlit merges requests
    that wait behind a run: the T slider moved, then Leave deck pressed, on a busy server):
    the change is taken, and the press too. The change's own rerun of its section took the
    place of the whole run, and the press was lost."""
    deck = (Scene("Playground", "one", "z=2,1,0.1&labels=dog,cat,bird&T=1"),) * 2
    at = open_page(PLAYGROUND, {"deck": encode_deck(deck), "scene": "1"})
    at.slider(key="w:T_slider").set_value(2.5)
    at.button(key="scene_leave").click().run()
    assert_healthy(at)
    assert "scene" not in at.query_params
    assert at.query_params["T"] == "2.5"


def test_a_control_moved_back_to_a_value_it_showed_long_ago_is_a_change():
    """The browser sends a control's old value only until it has drawn the new one: T typed
    2, then 3, in the box (the slider drawn with each), then the slider moved back to 1, the
    first T, with a press in the same request: the reader's move, taken."""
    deck = (Scene("Playground", "one", "z=2,1,0.1&labels=dog,cat,bird&T=1"),) * 2
    at = open_page(PLAYGROUND, {"deck": encode_deck(deck), "scene": "1"})
    box, slider = at.number_input(key="w:T_number"), at.slider(key="w:T_slider")
    leave = at.button(key="scene_leave")
    box.set_value(2.0).run()
    box.set_value(3.0).run()  # the request brings the slider at 2: drawn
    slider.set_value(1.0)
    leave.click().run()
    assert_healthy(at)
    assert "scene" not in at.query_params
    assert at.query_params["T"] == "1"

"""Every text input is bounded, and what the Workshop builds is what its link brings back.

* Each text box has ``max_chars`` (the browser stops typing there; Streamlit's server cuts a
  longer value a modified client sends) and the app checks the length again before any work.
  The paste box, a class name's and the scene title's let more than their own limit
  through (the browser drops a longer paste without a word), so a too-long paste gets a
  message.
* The Workshop's "Add" refuses, with a reason at the button, any scene whose deck link would
  be rejected; every deck it accepts round-trips through its link (hypothesis).
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from softmax_ui import catalog
from softmax_ui.controls import (
    LABEL_BOX_CHARS,
    MAX_PASTE_LENGTH,
    PASTE_BOX_CHARS,
    label_setter,
    with_pasted_logits,
)
from softmax_ui.scenes import MAX_SCENES, MAX_TITLE_LENGTH, decode_deck, encode_deck
from softmax_ui.state import (
    DEFAULT,
    LOGIT_LIMIT,
    MAX_CLASSES,
    MAX_LABEL_LENGTH,
    LessonState,
    clean_label,
    from_query,
    to_query,
)
from softmax_ui.text import plain
from softmax_ui.workshop import TITLE_BOX_CHARS, add_scene, scene_title
from tests.ui.conftest import PLAYGROUND, assert_healthy, chart_values, errors, open_page

WORKSHOP = catalog.WORKSHOP.path
LESSON_SLUGS = [page.slug for page in catalog.LESSONS]

# --- bounded text inputs ----------------------------------------------------------------------

BOUNDS = {"w:paste": PASTE_BOX_CHARS, "w:label": LABEL_BOX_CHARS, "title": TITLE_BOX_CHARS}


def bound_of(key: str | None, label: str) -> int | None:
    """The bound this app sets for a box, or None for a box of another part (any bound)."""
    if key and key.startswith("w:label"):
        return BOUNDS["w:label"]
    if key in BOUNDS:
        return BOUNDS[key]
    return BOUNDS["title"] if label == "Scene title" else None


@pytest.mark.parametrize("path", [page.path for page in catalog.PAGES])
def test_every_text_input_on_every_page_has_its_bound(path):
    at = open_page(path)  # AppTest lists the boxes inside closed expanders and forms too
    for box in at.text_input:
        assert box.max_chars > 0, (box.key, box.label)
        assert bound_of(box.key, box.label) in {None, box.max_chars}, (box.key, box.label)
        assert box.value is None or len(box.value) <= box.max_chars


def test_the_paste_box_refuses_a_long_paste_before_reading_it():
    huge = "1, " * 7_000_000  # 21 MB, as in issue 15
    with pytest.raises(ValueError, match=f"longer than {MAX_PASTE_LENGTH} characters"):
        with_pasted_logits(DEFAULT, huge)
    longest = ", ".join(repr(-LOGIT_LIMIT + 0.1234567890123 * i) for i in range(MAX_CLASSES))
    assert len(longest) <= MAX_PASTE_LENGTH  # 20 logits written in full still fit
    assert len(with_pasted_logits(DEFAULT, longest).logits) == MAX_CLASSES


def test_a_label_box_refuses_a_long_label_before_cleaning_it():
    with pytest.raises(ValueError, match=f"longer than {MAX_LABEL_LENGTH}"):
        label_setter(0)(DEFAULT, "x" * 10_000_000)
    assert label_setter(0)(DEFAULT, "😀" * MAX_LABEL_LENGTH).labels[0] == "😀" * 24


def test_a_scene_title_is_bounded_and_cleaned():
    with pytest.raises(ValueError, match=f"longer than {MAX_TITLE_LENGTH}"):
        scene_title("t" * 10_000_000, "Playground")
    with pytest.raises(ValueError, match=f"keep it to {MAX_TITLE_LENGTH}"):
        scene_title("t" * (MAX_TITLE_LENGTH + 1), "Playground")
    assert scene_title("  two\u200b  words ", "Playground") == "two words"
    assert scene_title("", "Naive_vs_Stable") == "Naive vs stable"


def test_a_client_sending_an_oversized_paste_changes_nothing():
    """A modified client can send more than ``max_chars``: Streamlit's server cuts it to the
    bound, the app refuses what is left, and the page keeps its state."""
    at = open_page(PLAYGROUND)
    before = chart_values(at)
    at.text_input(key="w:paste").set_value("1, " * 100_000).run()
    assert_healthy(at)
    assert errors(at)
    np.testing.assert_array_equal(chart_values(at), before)


def test_a_client_sending_an_oversized_label_gets_the_bound():
    at = open_page(PLAYGROUND)
    at.text_input(key="w:label0").set_value("y" * 100_000).run()
    # Streamlit's server cuts it to the box's bound; the app refuses what is left, and says why
    assert at.query_params["labels"].split(",")[0] == "dog"
    assert any(f"longer than {MAX_LABEL_LENGTH} characters" in e for e in errors(at)), errors(at)


# --- the Workshop: what it builds, its link brings back ----------------------------------------

label_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30
).map(clean_label)


@st.composite
def lesson_states(draw):
    n = draw(st.integers(2, MAX_CLASSES))
    labels = draw(
        st.lists(
            label_text.filter(lambda s: 0 < len(s) <= MAX_LABEL_LENGTH),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    logits = draw(st.lists(st.floats(-LOGIT_LIMIT, LOGIT_LIMIT), min_size=n, max_size=n))
    return LessonState(
        logits=tuple(logits),
        labels=tuple(labels),
        temperature=draw(st.floats(0.01, 100)),
        dtype=draw(st.sampled_from(["float16", "float32", "float64"])),
        offset=draw(st.floats(-1000, 1000)),
        seed=draw(st.integers(0, 2**32 - 1)),
        top_k=draw(st.integers(1, MAX_CLASSES)),
        top_p=draw(st.floats(0.01, 1.0)),
        target=draw(st.integers(0, n - 1)),
        learning_rate=draw(st.floats(0.001, 10.0)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            lesson_states(),
            st.sampled_from(LESSON_SLUGS),
            st.text(max_size=MAX_TITLE_LENGTH + 5),
        ),
        min_size=1,
        max_size=MAX_SCENES + 2,
    )
)
def test_every_deck_the_workshop_builds_round_trips_through_its_link(steps):
    state = DEFAULT
    for view, page, title in steps:
        # the teacher sets up a view (keeping the deck), then presses Add
        current = view.replace(deck=state.deck)
        try:
            state = add_scene(current, page, title)
        except ValueError as err:
            assert str(err), "a refusal says why"
            state = current
            continue
        assert decode_deck(encode_deck(state.deck)) == state.deck
        assert from_query(to_query(state)) == (state, [])
        last = state.at_scene(len(state.deck))  # stepping to the new scene shows the view
        assert last.logits == view.logits and last.labels == view.labels


def test_the_issue_deck_of_emoji_labels_is_accepted_and_reads_back():
    """Issue 15, point 5: labels of 24 emoji each made a scene the deck link then rejected."""
    labels = tuple(chr(0x1F600 + i) * 24 for i in range(5))
    state = LessonState(logits=(1.0, 2.0, 3.0, 4.0, 5.0), labels=labels)
    built = add_scene(state, "Playground", "Emoji")
    assert from_query(to_query(built)) == (built, [])


def incompressible_labels(seed: int) -> tuple[str, ...]:
    rng = random.Random(seed)
    return tuple(
        "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(MAX_LABEL_LENGTH))
        for _ in range(MAX_CLASSES)
    )


def test_a_deck_too_long_for_a_link_is_refused_at_the_button():
    logits = tuple(float(i) for i in range(MAX_CLASSES))
    first = add_scene(LessonState(logits=logits, labels=incompressible_labels(1)), "Playground", "")
    view = first.replace(labels=incompressible_labels(2))
    with pytest.raises(ValueError, match="characters in the link"):
        add_scene(view, "Playground", "too much")
    # and in the app: the error is shown at the button, the deck stays as it was
    at = open_page(WORKSHOP, to_query(view))
    assert_healthy(at)
    next(box for box in at.text_input if box.label == "Scene title").input("too much")
    submit = next(b for b in at.button if b.label == "Add the current view as a scene")
    submit.click().run()
    assert_healthy(at)
    assert any("characters in the link" in e for e in errors(at))
    assert decode_deck(at.query_params["deck"]) == first.deck


@pytest.mark.parametrize("path", [page.path for page in catalog.PAGES])
def test_a_number_box_the_browser_could_not_read_changes_nothing_and_says_so(path):
    """A browser sends an empty number box for what it cannot read (1e309, "1e"): the logit
    typed as 1e309 became 0 without a word, and flipped the prediction (a tour); the T box
    said "got 0". Every number box of every page, emptied: the state stays, the box shows
    it again, and a message says why."""
    for tab in next(page for page in catalog.PAGES if page.path == path).tabs or ("",):
        at = open_page(path, {"tab": tab} if tab else {})
        labels = [box.label for box in at.number_input if box.key and box.key.startswith("w:")]
        for label in labels:
            at = open_page(path, {"tab": tab} if tab else {})
            before = dict(at.query_params)
            box = next(b for b in at.number_input if b.label == label)
            shown = box.value
            box.set_value(None).run()
            assert not at.exception, (path, tab, label)
            (error,) = [e.value for e in at.error]
            assert plain(error).startswith("Type a number: "), (label, error)
            assert plain(error).endswith(" kept its value."), (label, error)
            assert dict(at.query_params) == before, (path, tab, label)
            assert next(b for b in at.number_input if b.label == label).value == shown

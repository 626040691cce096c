"""The lesson state: validation messages and the URL round trip."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from softmax_ui.state import (
    DEFAULT,
    LOGIT_LIMIT,
    MAX_CLASSES,
    LessonState,
    from_query,
    parse_logits,
    to_query,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2, 1, 0.1", (2.0, 1.0, 0.1)),
        ("[2 1 0.1]", (2.0, 1.0, 0.1)),
        ("1e3;-1e3", (1000.0, -1000.0)),
        ("\u22122, 3", (-2.0, 3.0)),
    ],
)
def test_parse_logits_reads_what_people_paste(text, expected):
    assert parse_logits(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("  [ ] ", "empty"),
        ("2, abc", "not a number"),
        ("nan, 1", "NaN"),
        ("inf, 1", "infinite"),
        ("1e999, 1", "infinite"),
        ("5", "2 to 20 classes"),
        (", ".join(["1"] * 21), "2 to 20 classes"),
        ("1, 20000", "between"),
    ],
)
def test_parse_logits_rejects_bad_input_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_logits(text)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"temperature": 0.0}, "temperature"),
        ({"temperature": -1.0}, "temperature"),
        ({"temperature": math.inf}, "temperature"),
        ({"dtype": "float128"}, "precision"),
        ({"labels": ("a", "a", "b")}, "different"),
        ({"labels": ("a", "", "b")}, "empty"),
        ({"labels": ("a", "b")}, "labels"),
        ({"target": 3}, "target"),
        ({"top_p": 0.0}, "top-p"),
        ({"n_samples": 0}, "samples"),
        ({"hide": ("everything",)}, "hide"),
    ],
)
def test_invalid_states_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        DEFAULT.replace(**changes)


def test_with_classes_grows_and_shrinks_keeping_labels_unique():
    grown = DEFAULT.with_classes(5)
    assert grown.logits == (2.0, 1.0, 0.1, 0.0, 0.0)
    assert grown.labels == ("dog", "cat", "bird", "class 4", "class 5")
    assert grown.with_classes(2).labels == ("dog", "cat")
    clash = DEFAULT.replace(labels=("class 4", "cat", "bird")).with_classes(4)
    assert len(set(clash.labels)) == 4


def test_default_link_states_the_example():
    assert to_query(DEFAULT) == {"z": "2,1,0.1", "labels": "dog,cat,bird", "T": "1"}


labels = (
    st.text(
        alphabet=st.characters(blacklist_categories=("C", "Z")) | st.sampled_from(" ,%&<>*$"),
        min_size=1,
        max_size=24,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@st.composite
def states(draw):
    n = draw(st.integers(2, MAX_CLASSES))
    logits = tuple(draw(st.lists(st.floats(-LOGIT_LIMIT, LOGIT_LIMIT), min_size=n, max_size=n)))
    names = tuple(draw(st.lists(labels, min_size=n, max_size=n, unique=True)))
    return LessonState(
        logits=logits,
        labels=names,
        temperature=draw(st.floats(0.01, 100)),
        dtype=draw(st.sampled_from(["float16", "float32", "float64"])),
        offset=draw(st.floats(-1000, 1000)),
        seed=draw(st.integers(0, 2**32 - 1)),
        top_p=draw(st.floats(0.01, 1.0)),
        target=draw(st.integers(0, n - 1)),
        present=draw(st.booleans()),
        hide=tuple(draw(st.lists(st.sampled_from(["editor", "table"]), unique=True))),
    )


@given(states())
def test_every_state_survives_the_url_round_trip(state):
    restored, problems = from_query(to_query(state))
    assert problems == []
    assert restored == state


def test_tampered_link_keeps_the_valid_parts_and_names_the_bad_ones():
    state, problems = from_query(
        {"z": "1, 2, 3, 4", "T": "-1", "dtype": "<script>", "labels": "a,b", "seed": "x"}
    )
    assert state.logits == (1.0, 2.0, 3.0, 4.0)
    assert state.temperature == DEFAULT.temperature
    assert state.dtype == DEFAULT.dtype
    assert len(problems) == 4
    assert any("`T`" in p and "temperature" in p for p in problems)


def test_malformed_values_never_raise():
    for junk in ["", "%", "1e999", "nan", ",,,", "[" * 500, "9" * 5000]:
        state, _ = from_query({key: junk for key in ("z", "labels", "T", "n", "p", "present")})
        assert isinstance(state, LessonState)

"""The lesson state: validation messages and the URL round trip."""

import math
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from softmax_ui.scenes import DEFAULT_DECK, Scene
from softmax_ui.state import (
    ACTIVATIONS,
    DEFAULT,
    FIELD_OF_KEY,
    HIDEABLE,
    LESSON_FIELDS,
    LOGIT_LIMIT,
    MAX_CLASSES,
    PARAMS,
    LessonState,
    check_labels,
    from_query,
    lesson_settings,
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
        ("2,5; -1; 0", (2.5, -1.0, 0.0)),
        ("1,2,3", (1.0, 2.0, 3.0)),
        ("2.5, 1,0", (2.5, 1.0, 0.0)),  # a point: the commas separate
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
        # commas written two ways: "2,5, -1, 0" was read as 2, 5, -1, 0 (a student tour)
        ("2,5, -1, 0", r"Is 2,5 one number or two\?.*\(2,5; -1; 0\), or write 2\.5"),
        ("1,000, 2", r"Is 1,000 one number or two\?.*\(1,000; 2\)"),
        ("abc 2,5, 1", r"\(2,5; -1; 0\)"),  # it quotes numbers only
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
    """Any valid state: every field of the URL table varies (a new field must be added here,
    or the round-trip tests below fail on it)."""
    n = draw(st.integers(2, MAX_CLASSES))
    logits = tuple(draw(st.lists(st.floats(-LOGIT_LIMIT, LOGIT_LIMIT), min_size=n, max_size=n)))
    names = tuple(draw(st.lists(labels, min_size=n, max_size=n, unique=True)))
    deck = tuple(draw(st.lists(st.sampled_from(DEFAULT_DECK), max_size=3)))
    state = LessonState(
        logits=logits,
        labels=names,
        temperature=draw(st.floats(0.01, 100)),
        dtype=draw(st.sampled_from(["float16", "float32", "float64"])),
        offset=draw(st.floats(-1000, 1000)),
        activations=tuple(draw(st.lists(st.sampled_from(ACTIVATIONS), unique=True))),
        seed=draw(st.integers(0, 2**32 - 1)),
        n_samples=draw(st.integers(1, 10_000)),
        top_k=draw(st.integers(1, MAX_CLASSES)),
        top_p=draw(st.floats(0.01, 1.0)),
        target=draw(st.integers(0, n - 1)),
        learning_rate=draw(st.floats(0.001, 10.0)),
        calib_classes=draw(st.integers(3, 10)),
        overconfidence=draw(st.floats(0.25, 10.0)),
        present=draw(st.booleans()),
        hide=tuple(draw(st.lists(st.sampled_from(HIDEABLE), unique=True))),
        deck=deck,
        scene=draw(st.integers(0, len(deck or DEFAULT_DECK))),
    )
    return state


@given(states())
def test_every_state_survives_the_url_round_trip(state):
    restored, problems = from_query(to_query(state))
    assert problems == []
    assert restored == state


@given(st.lists(labels, min_size=2, max_size=MAX_CLASSES, unique=True))
def test_a_link_escapes_a_label_once(names):
    """Through the text of a real link (as the share box shows it and a browser reads it):
    the labels come back, and a label without ``%`` or ``,`` is escaped once, never twice
    (``café`` was ``caf%25C3%25A9``: escaped, then escaped again)."""
    state = DEFAULT.replace(logits=tuple(0.0 for _ in names), labels=tuple(names))
    link = urlencode(to_query(state), safe=",")
    restored, problems = from_query(dict(parse_qsl(link, keep_blank_values=True)))
    assert problems == []
    assert restored.labels == state.labels
    written = dict(parse_qsl(link))["labels"]
    expected = ",".join(n.replace("%", "%25").replace(",", "%2C") for n in names)
    assert written == expected  # an oracle written apart from the app's writer
    if not any(c in n for n in names for c in "%,"):
        assert "%25" not in link


def test_tampered_link_keeps_the_valid_parts_and_names_the_bad_ones():
    state, problems = from_query(
        {"z": "1, 2, 3, 4", "T": "-1", "dtype": "<script>", "labels": "a,b", "seed": "x"}
    )
    assert state.logits == (1.0, 2.0, 3.0, 4.0)
    assert state.temperature == DEFAULT.temperature
    assert state.dtype == DEFAULT.dtype
    assert len(problems) == 4
    assert any("“T”" in p and "temperature" in p for p in problems)


def test_malformed_values_never_raise():
    for junk in ["", "%", "1e999", "nan", ",,,", "[" * 500, "9" * 5000]:
        state, _ = from_query({key: junk for key in FIELD_OF_KEY})
        assert isinstance(state, LessonState)


# --- one table of URL settings ------------------------------------------------------------------


@given(states())
def test_a_workshop_scene_keeps_every_lesson_setting(state):
    """Add a view as a scene, step to it: every lesson setting is the view's (issue 10, #2: a
    Calibration scene lost its classes and overconfidence); the presenter options and the
    deck stay those of the presentation."""
    scene = state.as_scene("Calibration", "a scene")
    presenting = DEFAULT.replace(present=True, hide=("editor",), deck=(scene,))
    shown = presenting.at_scene(1)
    for name in LESSON_FIELDS:
        assert getattr(shown, name) == getattr(state, name), name
    assert (shown.present, shown.hide, shown.deck, shown.scene) == (True, ("editor",), (scene,), 1)


def test_a_scene_records_no_presenter_option_and_no_deck():
    state = DEFAULT.replace(present=True, hide=("table",), deck=DEFAULT_DECK[:2], scene=2)
    query = state.as_scene("Playground", "x").settings()
    assert set(query) == {"z", "labels", "T"}


@pytest.mark.parametrize(
    ("old", "new", "field", "value"),
    [
        ("p", "top_p", "top_p", 0.5),
        ("k", "top_k", "top_k", 2),
        ("n", "samples", "n_samples", 200),
        ("c", "offset", "offset", 500.0),
        ("classes", "calib_classes", "calib_classes", 8),
        ("over", "overconfidence", "overconfidence", 6.0),
    ],
)
def test_old_links_still_open_and_are_rewritten_with_the_new_names(old, new, field, value):
    state, problems = from_query({"z": "1,2,3", old: str(value)})
    assert problems == []
    assert getattr(state, field) == value
    query = to_query(state)
    assert query[new] == PARAMS[field].write(value) and old not in query
    # A scene of an old deck replays the old name too.
    old_deck = DEFAULT.replace(deck=(Scene("Playground", "old", f"z=1,2,3&{old}={value}"),))
    assert getattr(old_deck.at_scene(1), field) == value


def test_the_current_name_wins_over_an_old_one():
    state, problems = from_query({"p": "0.3", "top_p": "0.7", "over": "9"})
    assert problems == []
    assert (state.top_p, state.overconfidence) == (0.7, 9.0)


def test_old_and_current_names_are_read_through_the_same_validation():
    _, problems = from_query({"p": "2"})
    assert len(problems) == 1 and "“p”" in problems[0] and "top-p" in problems[0]


def test_url_names_explain_themselves():
    """No single-letter names but the maths' own z and T (p is the probability vector here)."""
    short = [p.key for p in PARAMS.values() if len(p.key) < 2 and p.key not in ("z", "T")]
    assert short == []


def test_every_list_of_keys_comes_from_the_table():
    assert set(LESSON_FIELDS) | {"present", "hide", "deck", "scene"} == set(PARAMS)
    query = {key: "1" for key in FIELD_OF_KEY}
    assert {FIELD_OF_KEY[k] for k in lesson_settings(query)} == set(LESSON_FIELDS)
    # The default deck is written with the current names only.
    for scene in DEFAULT_DECK:
        for key in scene.settings():
            assert PARAMS[FIELD_OF_KEY[key]].key == key, (scene.title, key)


def test_a_label_count_that_does_not_match_says_so_in_good_english():
    """A 5000-character ``labels`` (one label for three logits) read "There are 3 logits but
    1 labels" (a student tour)."""
    with pytest.raises(ValueError, match=r"^There are 3 logits but 1 label\.$"):
        check_labels(("x" * 5000,), 3)
    with pytest.raises(ValueError, match=r"^There are 3 logits but 2 labels\.$"):
        check_labels(("a", "b"), 3)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("environ 1,4", "«\u00a0environ 1,4\u00a0»"),
        ("1,4,2", "«\u00a01,4,2\u00a0»"),
        ("1e999,5", "«\u00a01e999,5\u00a0»"),
    ],
)
def test_a_refused_number_is_quoted_as_typed(text, quoted):
    """A French student typed "environ 1,4" and read "'environ 1.4' n'est pas un nombre": a
    point they never typed (a student tour). The message quotes the text as typed, in the
    reader's quotation marks (Python's quotes read "'abc' n'est pas un nombre", and a typed
    quote came out as "\"'x'\"": a student tour)."""
    from softmax_ui.i18n import language
    from softmax_ui.state import parse_number

    with language("fr"), pytest.raises(ValueError) as refused:
        parse_number(text, comma=True)
    assert quoted in str(refused.value), str(refused.value)
    assert "'" not in str(refused.value).replace("n'est", ""), str(refused.value)


def test_a_quiz_answer_grouped_the_readers_way_is_read_or_refused_never_misread():
    """A Spanish "1.000" was read as 1 and judged right ("Correcto. La respuesta es 1"), and
    a French "1 000" was "not a number" (a tour). A thousand grouped with spaces is read; a
    point before three digits, a thousand or 1 with three decimals, is refused as ambiguous,
    as English refuses "1,000"."""
    from softmax_ui.i18n import language
    from softmax_ui.quiz_round import read_answer as parse_answer

    with language("fr"):
        assert parse_answer("1 000") == 1000.0 and parse_answer("-12\u202f345,5") == -12345.5
        assert parse_answer("0,125") == 0.125 and parse_answer("0.125") == 0.125
    with language("es"):
        with pytest.raises(ValueError, match="se puede leer de dos maneras"):
            parse_answer("1.000")
        assert parse_answer("1000") == 1000.0 and parse_answer("1,5") == 1.5
    with language("en"), pytest.raises(ValueError, match="is not a number"):
        parse_answer("1,000")


def test_the_logit_limit_is_written_as_the_reader_groups_thousands():
    """ "gardez les logits entre -10000 et 10000" (a tour): the bounds grouped the reader's
    way, as the rest of the page writes its thousands."""
    from softmax_ui.i18n import language

    for lang, bound in (("en", "10,000"), ("es", "10\u202f000"), ("fr", "10\u202f000")):
        with language(lang), pytest.raises(ValueError) as err:
            LessonState(logits=(20000.0, 1.0), labels=("a", "b"))
        assert f"-{bound}" in str(err.value) and f" {bound}." in str(err.value), str(err.value)

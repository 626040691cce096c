"""Live questions: predict kinds judged against plain-NumPy oracles, answers counted right,
the after-class CSV safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from softmax_ui.figures_live import answers_chart
from softmax_ui.i18n import language
from softmax_ui.live_questions import (
    KIND_NAMES,
    TIE,
    answer_text,
    ask,
    from_json,
    judge,
    report,
    report_csv,
    right_answers,
    tally,
    to_json,
)
from softmax_ui.state import LessonState

finite = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 5.0, 1e3, -1e3, 9999.0, 1e-300]),
    st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
)
logits = st.lists(finite, min_size=2, max_size=8)


def labels_for(z):
    return tuple(f"c{i}" for i in range(len(z)))


@given(logits)
def test_winner_as_T_goes_to_0_is_the_largest_logit_or_a_tie(z):
    state = LessonState(logits=tuple(z), labels=labels_for(z))
    q = ask("winner_T_to_0", state, np.random.default_rng(0))
    best = max(z)
    winners = [label for label, v in zip(q.labels, z, strict=True) if v == best]
    expected = winners[0] if len(winners) == 1 else TIE
    assert judge(q, expected).correct
    for option in q.options:
        if option != expected:
            assert not judge(q, option).correct


@given(logits)
def test_every_probability_tends_to_one_over_K_as_T_grows(z):
    state = LessonState(logits=tuple(z), labels=labels_for(z))
    q = ask("uniform_T_to_inf", state, np.random.default_rng(0))
    k = len(z)
    assert judge(q, answer_text(q, 1 / k)).correct
    assert not judge(q, answer_text(q, 1 / k + 0.02)).correct


def test_naive_after_800_overflows_float32():
    q = ask("naive_c800", LessonState(), np.random.default_rng(0))
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(np.float32(np.array([2.0, 1.0, 0.1]) + 800.0))
        naive = e / e.sum()
    assert not np.isfinite(naive).all()  # the oracle: inf / inf = NaN
    assert judge(q, "NaN (or inf) for at least one class").correct
    assert not judge(q, "Valid probabilities that add up to 1").correct


@pytest.mark.parametrize("kind", list(KIND_NAMES))
def test_every_kind_survives_the_wire_and_has_a_right_answer(kind):
    state = LessonState(logits=(3.0, 3.0, -1.0), labels=("a<b>", "=1+1", "c"))
    q = ask(kind, state, np.random.default_rng(1))
    assert from_json(to_json(q)) == q
    verdict = judge(q, "")
    assert verdict.answer and verdict.proof


def test_numbers_are_stored_rounded_and_options_only_as_given():
    q = ask("uniform_T_to_inf", LessonState(), None)
    assert answer_text(q, 0.3333) == "0.33"
    assert answer_text(q, -0.001) == "0.00"
    for bad in ("nan", "inf", "x", None, 1e300):
        with pytest.raises(ValueError):
            answer_text(q, bad)
    assert [answer_text(q, v) for v in (0, 1, 1.004)] == ["0.00", "1.00", "1.00"]
    # a probability typed "0,33" on an English page reached the server as 33 (a tour)
    for outside in (33.0, -0.5, 1.006):
        with pytest.raises(ValueError, match="A probability is between 0 and 1"):
            answer_text(q, outside)
    assert answer_text(ask("sigmoid_sum", LessonState(), None), 2.14) == "2.14"  # no bound
    probability = ask("probability", LessonState(), np.random.default_rng(0))
    assert answer_text(probability, 0.66) == "0.66"
    with pytest.raises(ValueError, match="A probability is between 0 and 1"):
        answer_text(probability, 66.0)
    q = ask("winner_T_to_0", LessonState(), None)
    assert answer_text(q, "dog") == "dog"
    with pytest.raises(ValueError):
        answer_text(q, "wolf")


def test_tally_keeps_every_option_in_order_and_counts_each_answer_once():
    q = ask("winner_T_to_0", LessonState(), None)
    t = tally(q, ["cat", "dog", "cat"])
    assert t.answers == ("dog", "cat", "bird", TIE) and t.counts == (1, 2, 0, 0) and t.total == 3
    numbers = ask("uniform_T_to_inf", LessonState(), None)
    many = [f"{i / 100:.2f}" for i in range(20)] + ["0.05"] * 5
    t = tally(numbers, many)
    assert len(t.answers) == 12 and t.answers[-1] == "other" and sum(t.counts) == 25


@pytest.mark.parametrize(
    ("lang", "asked", "answered", "title"),
    [
        ("en", 1, 1, "1 of 1 student answered"),
        ("en", 3, 2, "2 of 3 students answered"),
        ("en", 3, 4, "4 of 4 students answered"),  # never "4 of 3"
        ("fr", 1, 0, "Réponses\u00a0: 0 sur 1 élève"),
        ("fr", 2, 1, "Réponses\u00a0: 1 sur 2 élèves"),
        ("es", 1, 1, "Respuestas: 1 de 1 estudiante"),
        ("es", 5, 1, "Respuestas: 1 de 5 estudiantes"),
    ],
)
def test_the_projector_chart_says_how_many_answered_in_the_rooms_number(
    lang, asked, answered, title
):
    """ "0 des 1 élèves connectés ont répondu" on a French projector with one student (found
    by a student tour): the title's noun agrees with the number asked. French and
    Spanish have no verb there, which would have to agree with the number who answered
    ("1 des 2 élèves connectés ont répondu", "respondieron 1 de 2": a translation review).
    The number asked is never below the number who answered: a student who answered and
    closed the browser left the projector reading "4 of 3 connected students answered" (a
    tour); the room store counts them (``RoomStore.asked``), and the chart holds to it."""
    q = ask("winner_T_to_0", LessonState(), None)
    with language(lang):
        fig = answers_chart(tally(q, ["dog"] * answered), asked)
    assert fig.layout.title.text == title
    assert all(text.endswith(f"/ {max(asked, answered)}") for text in fig.data[0].text)


def test_the_projector_chart_draws_counts_over_the_room_and_marks_the_right_bar():
    q = ask("winner_T_to_0", LessonState(), None)
    fig = answers_chart(tally(q, ["dog", "dog", "cat"]), 3, right={"dog"})
    bar = fig.data[0]
    assert list(bar.y) == [2, 1, 0, 0]
    assert bar.text[0] == "2 / 3 · right" and bar.text[1] == "1 / 3"
    assert fig.layout.yaxis.range[1] >= 3
    assert bar.marker.pattern.shape[0] == "/" and bar.marker.pattern.shape[1] == ""
    hostile = ask("winner_T_to_0", LessonState(labels=("<b>x</b>", "cat", "bird")), None)
    assert answers_chart(tally(hostile, []), 0).data[0].x[0] == "&lt;b&gt;x&lt;/b&gt;"


NUMBER_KINDS = [
    k for k in KIND_NAMES if not ask(k, LessonState(), np.random.default_rng(0)).options
]


@pytest.mark.parametrize("kind", NUMBER_KINDS)
@given(z=logits, seed=st.integers(0, 2**31 - 1))
def test_a_revealed_number_question_has_a_bar_for_each_right_number_even_one_nobody_gave(
    kind, z, seed
):
    """After a reveal that nobody got right the chart had no bar for the right answer (a
    tour): every right number is a bar, counted 0, drawn as right."""
    q = ask(kind, LessonState(logits=tuple(z), labels=labels_for(z)), np.random.default_rng(seed))
    verdict = judge(q, "")
    assert verdict.values, "a number question knows its right numbers"
    stored = {answer_text(q, v) for v in verdict.values}
    for value in stored:
        assert judge(q, value).correct, value
    # a wrong answer: beyond every right number by a unit of the last decimal asked for
    step = 10.0**-q.decimals
    numbers = [float(v) for v in verdict.values]
    try:
        wrong = answer_text(q, max(numbers) + step)
    except ValueError:  # a probability of 1 has nothing above it
        wrong = answer_text(q, min(numbers) - step)
    assert not judge(q, wrong).correct, wrong  # every right number is in ``values``
    answers = [wrong, wrong]
    right = right_answers(q, answers)
    assert right == stored
    counts = tally(q, answers, right=right)
    assert set(counts.answers) == stored | {wrong}
    fig = answers_chart(counts, 2, right=right)
    bar = fig.data[0]
    for name, n, text in zip(counts.answers, bar.y, bar.text, strict=True):
        if name in stored:
            assert n == 0 and text == "0 / 2 · right"
        else:
            assert n == 2 and text == "2 / 2"


def test_the_right_numbers_keep_their_bars_among_many_answers():
    q = ask("uniform_T_to_inf", LessonState(), None)  # 3 classes: 0.33
    many = [f"0.{i:02d}" for i in range(40, 80)] * 2 + ["0.79", "0.70"]
    counts = tally(q, many, right={"0.33"})
    assert "0.33" in counts.answers and counts.counts[counts.answers.index("0.33")] == 0
    assert len(counts.answers) == 12 and counts.answers[-1] == "other"
    assert sum(counts.counts) == len(many)
    # the most given first, then the smaller numbers among equals: the same bars every time
    assert counts.answers[1:-1] == (
        "0.40",
        "0.41",
        "0.42",
        "0.43",
        "0.44",
        "0.45",
        "0.46",
        "0.47",
        "0.70",
        "0.79",
    )
    assert tally(q, many[::-1], right={"0.33"}) == counts
    ninth = tuple(f"0.{i:02d}" for i in range(40, 49))
    assert tally(q, many).answers[:-1] == (*ninth, "0.70", "0.79")


def test_the_csv_has_counts_only_and_no_formulas():
    state = LessonState(labels=("=HYPERLINK()", "cat", "@bird"))
    q = ask("winner_T_to_0", state, None)
    rows = report([(1, q, ["=HYPERLINK()", "cat", "cat"])])
    assert rows[0].answered == 3 and rows[0].right == 1
    text = report_csv(rows)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not any(c[:1] in "=+@" for c in cells if c), text
    assert "'=HYPERLINK()" in cells
    numbers = ask("uniform_T_to_inf", LessonState(), None)
    text = report_csv(report([(2, numbers, ["-0.50"])]))
    assert "-0.50" in text.splitlines()[1].split(",")  # a negative number stays a number


@pytest.mark.parametrize(
    ("lang", "sep", "decimal"), [("en", ",", "."), ("es", ";", ","), ("fr", ";", ",")]
)
def test_the_csv_opens_in_the_readers_spreadsheet(lang, sep, decimal):
    """A Spanish teacher's CSV: commas between cells (a Spanish Excel put each line in one
    cell), no byte order mark (Excel garbled "¿Qué" and "→"), and "0,19" beside "0.19" and
    "66.7" in one line (a teacher's tour). Each number now has the reader's decimal sign,
    and the cells the other separator."""
    q = ask("uniform_T_to_inf", LessonState(), None)
    with language(lang):
        text = report_csv(report([(1, q, ["0.33", "0.33", "-0.5"])]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=sep))
    assert len({len(row) for row in rows}) == 1, rows
    numbers = [c for row in rows[1:] for c in (row[3], *row[5:])]  # answers, counts, %
    other = "," if decimal == "." else "."
    assert not any(other in c for c in numbers), numbers
    assert f"66{decimal}7" in numbers and f"0{decimal}33" in numbers and f"-0{decimal}5" in numbers


@pytest.mark.parametrize("right", [None, {"dog"}])
def test_the_projector_chart_passes_plotly_validation(right):
    """As tests/ui/test_figure_validity.py does for the other builders."""
    q = ask("winner_T_to_0", LessonState(), None)
    fig = answers_chart(tally(q, ["dog", "cat"]), 5, right=right, font_size=24)
    checked = go.Figure(fig.to_dict())  # raises ValueError on an invalid property
    assert json.loads(checked.to_json()) == json.loads(fig.to_json())


def test_the_teachers_menu_names_each_question_in_words_and_the_prompts_define_their_letters():
    """The menu listed code names ("top p count", "jacobian row sum") and the sigmoid
    question asked about "the K outputs", K said nowhere on the class page (a projector
    tour)."""
    from softmax_ui import quiz
    from softmax_ui.live_questions import KIND_NAMES

    for kind, name in KIND_NAMES.items():
        if "_" in kind:  # a code name of several words, as a menu entry
            assert kind.replace("_", " ") not in name.lower(), name
    q = quiz.new_question(
        np.random.default_rng(0), (2.0, 1.0, 0.1, 3.0), list("abcd"), kind="sigmoid_sum"
    )
    assert "the 4 outputs" in q.prompt and " K " not in q.prompt, q.prompt


def test_the_results_count_a_revealed_questions_right_number_and_hide_an_unrevealed_ones():
    """The after-class table and CSV as the projector draws the chart: after the reveal the
    right number has its row, given or not; before it, nothing tells where it is."""
    q = ask("uniform_T_to_inf", LessonState(), None)  # 3 classes: 0.33
    many = [f"0.{i:02d}" for i in range(10, 30)] + ["0.33"]  # 21 numbers, each given once
    (hidden,) = report([(1, q, many)])
    (shown,) = report([(1, q, many)], revealed={1})
    assert hidden.right == shown.right == 1
    assert "0.33" not in hidden.tally.answers  # 11 of 21 kept: the smaller ones, not 0.33
    assert "0.33" in shown.tally.answers
    rows = list(csv.DictReader(io.StringIO(report_csv([shown]))))
    assert {r["answer"]: r["count"] for r in rows}["0.33"] == "1"
    (nobody,) = report([(1, q, ["0.50"])], revealed={1})
    rows = list(csv.DictReader(io.StringIO(report_csv([nobody]))))
    assert {r["answer"]: r["count"] for r in rows} == {"0.33": "0", "0.50": "1"}

"""Quiz questions: every kind generates, and is judged right and wrong correctly.

The expected answers here are recomputed independently with plain NumPy (a textbook
max-shifted softmax), not with softmax_core, which the quiz itself uses.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from softmax_core.overflow import exp_limits
from softmax_ui import quiz
from softmax_ui.i18n import language
from softmax_ui.quiz import KINDS, check, describe, in_verdict, new_question
from softmax_ui.quiz_round import next_kind

EXAMPLES = {
    "dog/cat/bird": ((2.0, 1.0, 0.1), ("dog", "cat", "bird")),
    "next word": (
        (4.1, 3.6, 3.2, 2.5, 1.9, 1.2, 0.4, -0.5),
        ("mat", "sofa", "floor", "bed", "roof", "table", "moon", "piano"),
    ),
    "mixed": ((5.0, -3.0, 0.5, 1.0), ("a", "b", "c", "d")),
    "large": ((1000.0, 998.0, -50.0), ("x", "y", "z")),
}


def ref_softmax(z, t=1.0):
    s = np.asarray(z, dtype=np.float64) / t
    e = np.exp(s - s.max())
    return e / e.sum()


def ref_top_p_count(p, top_p):
    ordered = np.sort(p)[::-1]
    return int(np.searchsorted(np.cumsum(ordered), top_p - 1e-12) + 1)


def ref_naive_float32_breaks(z):
    with np.errstate(all="ignore"):
        e = np.exp(np.asarray(z, dtype=np.float32))
        return not np.isfinite(e / e.sum()).all()


def right_and_wrong(q):
    """An answer that must be judged right, and one that must be judged wrong."""
    z, labels, k = np.array(q.logits), q.labels, len(q.logits)
    top = int(np.argmax(z))
    other = labels[(top + 1) % k]
    match q.kind:
        case "winner_at_T":
            return labels[top], other
        case "shift":
            return quiz.SHIFT_OPTIONS[0], quiz.SHIFT_OPTIONS[2]
        case "sigmoid_sum":
            value = float(np.sum(1 / (1 + np.exp(-z))))
            return round(value, 2), round(value, 2) + 0.1
        case "sharper":
            return quiz.SHARPER_OPTIONS[0], quiz.SHARPER_OPTIONS[1]
        case "naive_float32":
            broken = ref_naive_float32_breaks(z + q.get("c"))
            right = quiz.NAIVE_OPTIONS[1] if broken else quiz.NAIVE_OPTIONS[0]
            wrong = quiz.NAIVE_OPTIONS[0] if broken else quiz.NAIVE_OPTIONS[1]
            return right, wrong
        case "cross_entropy":
            t = q.get("target")
            loss = float(z.max() + np.log(np.sum(np.exp(z - z.max()))) - z[t])
            return round(loss, 2), round(loss, 2) + 0.5
        case "probability":
            value = float(ref_softmax(z, q.get("T"))[q.get("class")])
            return round(value, 2), round(value, 2) + 0.1
        case "entropy_limit":
            return round(math.log(k), 2), 0.0
        case "gradient_direction":
            up, down = quiz.DIRECTION_OPTIONS[:2]
            return (up, down) if q.get("asked") == q.get("target") else (down, up)
        case "gradient_sum" | "jacobian_row_sum":
            return 0, 1
        case "top_p_count":
            count = ref_top_p_count(ref_softmax(z), q.get("top_p"))
            return count, count + 1 if count < k else count - 1
        case "scaling_keeps_argmax":
            return quiz.SCALING_OPTIONS[0], quiz.SCALING_OPTIONS[1]
        case "expected_count":
            value = q.get("n") * float(ref_softmax(z)[q.get("class")])
            return round(value), round(value) + 5
    raise AssertionError(f"no reference for {q.kind}")


def test_there_are_at_least_ten_kinds_across_the_lessons():
    assert len(KINDS) >= 10
    assert len({kind.lesson for kind in KINDS.values()}) >= 5


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_judges_right_as_right_and_wrong_as_wrong(kind, example):
    z, labels = EXAMPLES[example]
    for seed in range(3):
        q = new_question(np.random.default_rng(seed), z, labels, kind=kind)
        assert q.kind == kind and q.logits == z and q.labels == labels
        assert q.prompt and q.lesson
        right, wrong = right_and_wrong(q)
        verdict = check(q, right)
        assert verdict.correct, (q.prompt, right, verdict)
        assert verdict.proof and all(isinstance(line, str) and line for line in verdict.proof)
        assert not check(q, wrong).correct, (q.prompt, wrong)
        if not q.numeric:
            assert right in q.options and wrong in q.options


@pytest.mark.parametrize(
    "kind",
    [
        k
        for k in KINDS
        if not new_question(np.random.default_rng(0), (1.0, 0.0), ("a", "b"), kind=k).options
    ],
)
@pytest.mark.parametrize("answer", [None, "abc", float("nan"), float("inf")])
def test_numeric_questions_refuse_non_numbers(kind, answer):
    q = new_question(np.random.default_rng(0), (1.0, 0.0), ("a", "b"), kind=kind)
    assert not check(q, answer).correct


def test_answers_are_computed_when_checked_not_stored():
    q = new_question(np.random.default_rng(0), (2.0, 1.0, 0.1), ("a", "b", "c"), kind="probability")
    assert not any(isinstance(v, float) and 0 < v < 1 and v != q.get("T") for _, v in q.settings)
    p = ref_softmax(q.logits, q.get("T"))[q.get("class")]
    assert check(q, round(p, 2)).answer == f"{p:.2f}"


def test_ties_accept_every_tied_winner():
    q = new_question(np.random.default_rng(0), (1.0, 1.0, 0.0), ("h", "t", "e"), kind="winner_at_T")
    assert check(q, "h").correct and check(q, "t").correct and not check(q, "e").correct


def test_equal_logits_are_equally_sharp_at_every_temperature():
    q = new_question(np.random.default_rng(0), (0.0, 0.0), ("a", "b"), kind="sharper")
    assert check(q, quiz.SHARPER_OPTIONS[2]).correct
    assert not check(q, quiz.SHARPER_OPTIONS[0]).correct


def test_a_gap_too_large_for_float64_is_shown_through_the_other_classes_share():
    q = new_question(np.random.default_rng(0), (1000.0, 0.0), ("a", "b"), kind="sharper")
    verdict = check(q, quiz.SHARPER_OPTIONS[0])
    assert verdict.correct  # p(a) rounds to 1.0 at both; 1 − p(a) is e^-2000 vs e^-500
    assert "e^-2000" in verdict.proof[0] and "7.125e-218" in verdict.proof[0]  # e^-500
    assert not check(q, quiz.SHARPER_OPTIONS[2]).correct
    assert not check(q, quiz.SHARPER_OPTIONS[1]).correct


def test_a_gap_below_float64_precision_accepts_both_and_says_why():
    q = new_question(np.random.default_rng(0), (0.0, 1e-300), ("a", "b"), kind="sharper")
    assert q.get("top") == 1
    assert check(q, quiz.SHARPER_OPTIONS[0]).correct and check(q, quiz.SHARPER_OPTIONS[2]).correct
    assert not check(q, quiz.SHARPER_OPTIONS[1]).correct
    assert "exactly" in check(q, quiz.SHARPER_OPTIONS[0]).answer


def test_new_question_avoids_repeating_the_last_kind_and_is_seeded():
    z, labels = EXAMPLES["dog/cat/bird"]
    first = [new_question(np.random.default_rng(5), z, labels) for _ in range(2)]
    assert first[0] == first[1]
    rng = np.random.default_rng(1)
    previous = None
    kinds = set()
    for _ in range(300):
        q = new_question(rng, z, labels, avoid=previous)
        assert q.kind != previous
        previous = q.kind
        kinds.add(q.kind)
    assert kinds == set(KINDS)


def test_describe_names_each_logit():
    q = new_question(np.random.default_rng(0), (2.0, -0.5), ("dog", "cat"), kind="shift")
    # a name and its value never break apart ("b =" / "-1000" on a phone; a student tour)
    assert describe(q) == "z = [2, -0.5], i.e. dog\xa0=\xa02, cat\xa0=\xa0-0.5"


@given(st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_every_kind_comes_once_before_any_comes_again_and_never_twice_in_a_row(seed, rounds):
    rng, bag, drawn = np.random.default_rng(seed), [], []
    for _ in range(rounds * len(KINDS)):
        drawn.append(next_kind(rng, bag, drawn[-1] if drawn else None))
    for start in range(0, len(drawn), len(KINDS)):
        assert sorted(drawn[start : start + len(KINDS)]) == sorted(KINDS)
    assert all(a != b for a, b in itertools.pairwise(drawn))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_float32_proof_names_float32s_limits_as_float32_prints_them(lang):
    """The float32 proof said "inf for x above 88.72283172607422": float64's spelling of
    a float32 number, digits float32 does not have (found by a student tour). The limits
    are printed as NumPy prints a float32, and read back as exp's real float32 limits."""
    limits = exp_limits("float32")
    with language(lang):
        q = new_question(
            np.random.default_rng(0), (2.0, 1.0, 0.1), ("a", "b", "c"), kind="naive_float32"
        )
        line = check(q, None).proof[1]  # after "z + c = [...]"
    numbers = [s.replace(",", ".") for s in re.findall(r"-?\d+[.,]\d+", line)]
    assert [np.float32(s) for s in numbers] == [limits.overflow, limits.underflow], line
    assert numbers == ["88.72283", "-103.97208"], line
    # the true thresholds: exp is finite at the limit and inf one float32 above it
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(np.float32(numbers[0])))
        assert np.isinf(np.exp(np.nextafter(np.float32(numbers[0]), np.float32(np.inf))))


def test_the_entropy_proof_writes_french_colons_the_french_way():
    """ "Entropie à T = 1: 0,84674; T = 10: …" beside the page's "à T = 0,5 : 0,863777": a
    colon in French takes a space before it (found by a student tour)."""
    q = new_question(
        np.random.default_rng(0), (2.0, 1.0, 0.1), ("a", "b", "c"), kind="entropy_limit"
    )
    with language("fr"):
        line = check(q, None).proof[0]
    assert re.findall(r"T = \d+(.):", line) == ["\xa0"] * 3, line
    with language("en"):
        assert re.findall(r"T = \d+(.)", check(q, None).proof[0]) == [":"] * 3


HOSTILE_NAMES = (
    "[x](http://e.vil)",
    "<img src=x onerror=alert(1)>",
    "http://evil.example",
    "$x^2$",
)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_verdict_quotes_a_hostile_class_name_as_text(lang):
    """A winner question's choices are class names a teacher or a link typed: quoted in a
    verdict (in_verdict), each is still escaped, so no link, image, HTML or LaTeX."""
    q = new_question(
        np.random.default_rng(0), (3.0, 2.0, 1.0, 0.0), HOSTILE_NAMES, kind="winner_at_T"
    )
    with language(lang):
        for name in HOSTILE_NAMES:
            shown = in_verdict(q, name)
            assert shown[0] in "“«" and shown[-1] in "”»", shown
            assert "<img" not in shown and "](" not in shown, shown
            assert not re.search(r"(?<!\\)\$", shown), shown  # every $ escaped: no LaTeX
            assert "http://evil" not in shown and "http://e.vil" not in shown, shown


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_no_prompt_gives_its_answer_away(lang):
    """The gradient and cross-entropy questions began "The right answer is c.": read on a
    projector as the answer to the question that followed (a teacher's tour). They name the
    true class, the training target; no prompt speaks of the answer."""
    words = {"en": "right answer", "es": "respuesta correcta", "fr": "bonne réponse"}[lang]
    for kind in KINDS:
        q = new_question(np.random.default_rng(3), [2.0, 1.0, 0.1], ["a", "b", "c"], kind=kind)
        with language(lang):
            prompt = q.prompt
        assert words not in prompt.lower(), (kind, prompt)
    with language(lang):
        kind = "gradient_direction"
        asked = new_question(np.random.default_rng(3), [2.0, 1.0, 0.1], "abc", kind=kind).prompt
    true = {"en": "true class", "es": "clase verdadera", "fr": "vraie classe"}[lang]
    assert true in asked.lower(), asked


@pytest.mark.parametrize(
    "kind", ["shift", "sharper", "naive_float32", "gradient_direction", "scaling_keeps_argmax"]
)
def test_the_right_choice_is_not_always_in_one_place(kind):
    """The right answer of a kind whose answer the mathematics fixes (adding a constant
    changes nothing) was always the first choice, and a student learned to pick the first (a
    student tour). Its place changes from question to question; a "the same at both" or
    "Neither" stays last."""
    places = set()
    for seed in range(40):
        q = new_question(np.random.default_rng(seed), (2.0, 1.0, 0.1), ("a", "b", "c"), kind=kind)
        right = [i for i, option in enumerate(q.options) if check(q, option).correct]
        places.update(right)
        assert sorted(q.options) == sorted(
            {
                "shift": quiz.SHIFT_OPTIONS,
                "sharper": quiz.SHARPER_OPTIONS,
                "naive_float32": quiz.NAIVE_OPTIONS,
                "gradient_direction": quiz.DIRECTION_OPTIONS,
                "scaling_keeps_argmax": quiz.SCALING_OPTIONS,
            }[kind]
        )
        if kind in ("sharper", "gradient_direction"):
            assert q.options[-1] in (quiz.SHARPER_OPTIONS[-1], quiz.DIRECTION_OPTIONS[-1])
    assert len(places) > 1, (kind, places)

"""softmax_ui.explain: the sentences written from diagnose_naive's facts (moved out of the core)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from softmax_core import diagnose_naive, softmax
from softmax_ui.explain import (
    dtype_note,
    log_sum_exp_trick,
    naive_reasons,
    naive_summary,
    naive_winners,
    sampling_gap,
    stable_fix,
)


def test_float64_overflow_sentences():
    d = diagnose_naive([1000.0, 1001.0])
    assert naive_reasons(d)[1] == (
        "z/T = 1001 is above 709.783, the largest exponent float64 can hold, "
        "so exp overflowed to inf; inf/inf is NaN."
    )
    assert "2 of 2 exponentials overflowed to inf (z/T above 709.782712893384)" in naive_summary(d)
    assert naive_reasons(d, "(z + c)/T")[1].startswith("(z + c)/T = 1001 is above")


def test_each_outcome_has_its_sentence():
    reasons = naive_reasons(diagnose_naive([89.0, 0.0], dtype="float32"))
    assert "88.7228" in reasons[0] and "inf/inf is NaN" in reasons[0]
    assert "1/inf = 0" in reasons[1]
    zero = diagnose_naive([-1000.0, -1000.0])
    assert "-745.133" in naive_reasons(zero)[0] and "0/0 is NaN" in naive_reasons(zero)[0]
    assert "underflowed to 0" in naive_summary(zero)
    fine = diagnose_naive([10.0, 9.0, 8.0], dtype="float32")
    assert "works" in naive_summary(fine)
    assert all("matches the stable softmax" in r for r in naive_reasons(fine))
    wrong = diagnose_naive([89.0, 88.0], dtype="float32")
    assert "although the true probability is 0.2689" in naive_reasons(wrong)[1]
    assert (
        "sum overflowed to inf" in naive_reasons(diagnose_naive([11.0, 11.0], dtype="float16"))[0]
    )
    assert "subnormal" in naive_reasons(diagnose_naive([-740.0, -741.0]))[0]
    tiny = naive_reasons(diagnose_naive([-3.0, -120.0], dtype="float32"))[1]
    assert "right to float32's precision: the true probability is 1.54e-51" in tiny, tiny
    lost = naive_reasons(diagnose_naive([-800.0, -740.0]))[0]  # e^-60 is a float64
    assert "came out as 0 instead of 8.757e-27" in lost, lost
    assert "masked" in naive_reasons(diagnose_naive([1.0, -np.inf, 2.0]))[1]
    assert (
        "does not fit in float16" in naive_reasons(diagnose_naive([7e4, 0.0], dtype="float16"))[0]
    )


def test_a_subnormal_exponent_is_never_printed_above_the_limit_it_is_below():
    """-708.398 with 6 digits and the limit -708.3964 rounded to 2 places read as
    "-708.398 is below -708.40", which is false: print both so the order shows."""
    d = diagnose_naive([-708.398, 0.0])
    reason = naive_reasons(d)[0]
    assert "-708.398 is below -708.396" in reason


def test_naive_winners_are_empty_when_anything_is_broken():
    assert naive_winners(diagnose_naive([88.0, 89.0, 90.0], dtype="float32")).tolist() == []
    assert naive_winners(diagnose_naive([1.0, 1.0, 0.0])).tolist() == [0, 1]
    assert naive_winners(diagnose_naive([-3.0, -120.0], dtype="float32")).tolist() == [0]
    assert naive_winners(diagnose_naive([-800.0, -740.0])).tolist() == []  # e^-60 lost


def test_the_stable_explanation_is_finite_at_the_issue_15_input():
    """/Naive_vs_Stable?c=700&T=0.01&dtype=float16 said "m = max(z/T) = inf ... NaN"."""
    z = np.array([2.0, 1.0, 0.1]) + 700
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = diagnose_naive(z, temperature=0.01, dtype="float16")
        text = stable_fix(["dog", "cat", "bird"], z / 0.01, "(z + c)/T")
        text += log_sum_exp_trick(["dog", "cat", "bird"], z / 0.01, "(z + c)/T")
        note = dtype_note(d, "(z + c)/T")
    assert "inf" not in text and "NaN" not in text
    assert "max((z + c)/T) = **70200**" in text and "[0, -100, -190]" in text
    assert "-3.72008e-44" in text  # log p(dog): the tail log1p keeps, not 0
    assert "does not fit" in note and "65504" in note


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(-2e4, 2e4), min_size=2, max_size=8),
    st.floats(0.01, 100.0),
    st.sampled_from(["float16", "float32", "float64"]),
)
def test_every_sentence_is_written_without_a_warning(z, t, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = diagnose_naive(z, temperature=t, dtype=dtype)
        sentences = [*naive_reasons(d, "(z + c)/T"), naive_summary(d), dtype_note(d)]
        labels = [f"c{i}" for i in range(len(z))]
        exponents = np.asarray(z) / t
        sentences += [stable_fix(labels, exponents), log_sum_exp_trick(labels, exponents)]
    assert all(s.strip() for s in sentences)
    assert "inf" not in sentences[-1] + sentences[-2]


@pytest.mark.parametrize("dtype", ["float16", "float32"])
def test_the_dtype_note_shows_the_rounding_it_talks_about(dtype):
    d = diagnose_naive([0.1, 500.1], dtype=dtype)
    note = dtype_note(d)
    assert f"Stored in {dtype}" in note
    stored, exact = note.split(" is [")[1].split("] instead of [")
    assert stored != exact.split("]")[0]  # the two lists differ where the values do


TRUE_P = re.compile(
    r"true (?:probability is |)(\S+?)(?:\.$|,| is| \(of the logits as (\w+) stores them\))"
)


@pytest.mark.parametrize(
    ("z", "dtype", "offset"),
    [
        ((2.0, 1.0, 0.1), "float16", 9.5),  # the tour's workshop scene: 9.6 kept as 9.6015625
        ((2.0, 1.0, 0.1), "float16", 10.0),
        ((2.0, 1.0, 0.1), "float32", 88.0),
        ((89.0, 88.0, 87.1), "float32", 0.0),
        ((11.0, 11.0, 3.3), "float16", 0.0),
        ((-800.0, -740.0, -740.3), "float64", 0.0),
    ],
)
def test_a_true_probability_is_the_typed_logits_unless_the_sentence_says_otherwise(
    z, dtype, offset
):
    """ "la probabilidad verdadera es 0,0987" for logits whose softmax is 0,0986: float16
    had rounded 9.6 to 9.6015625 (found by a student tour). A "true" probability is that of
    the logits as typed, computed here apart from the page; where the stored logits give
    other digits, the sentence says it is theirs, and then it is."""
    typed = np.array(z) + offset
    d = diagnose_naive(typed, dtype=dtype)
    stored = typed.astype(dtype).astype(np.float64)
    for i, reason in enumerate(naive_reasons(d, "(z + c)/T")):
        for number, said_dtype in TRUE_P.findall(reason):
            source = stored if said_dtype else typed
            if said_dtype:
                assert said_dtype == dtype, reason
            p = float(softmax(source)[i])
            digits = 3 if "too small" in reason else 4
            shown = float(number)  # the English sentences write a point
            # p rounded to that many significant digits: within half a unit of the last one
            assert abs(shown - p) <= 0.5 * 10 ** (np.floor(np.log10(p)) - digits + 1) * 1.0001, (
                reason,
                p,
            )


def test_the_sampling_law_asks_for_no_more_draws_than_the_page_allows():
    """At N = 10 000, the largest N the page takes, it said "multiply N by 100 and the
    diamonds land 10 times closer" (a student tour): the law is stated, not prescribed."""
    text = sampling_gap(["a", "b"], np.array([0.7, 0.3]), np.array([6950, 3050]))
    assert "100 times as many draws bring the diamonds 10 times closer" in text, text
    assert "multiply N" not in text


def test_the_stable_fix_answers_what_failed():
    """All exponentials underflowed (c = -1000), and the page said the stable softmax makes
    "every exponent at most 0, so this cannot happen": the overflow's reason (a Spanish
    student's tour). An underflow is mended by the largest exponent being 0 (a sum of at
    least 1), an overflow by every exponent being at most 0."""
    under = naive_summary(diagnose_naive([-1000.0, -1000.0]))
    assert "the largest exponent is exactly 0, so the sum is at least 1, never 0/0" in under
    assert "overflows" not in under
    over = naive_summary(diagnose_naive([1000.0, 1001.0]))
    assert "every exponent is at most 0, so none overflows" in over and "0/0" not in over
    both = naive_summary(diagnose_naive([-1000.0, 1000.0]))
    assert "none overflows" in both and "never 0/0" in both

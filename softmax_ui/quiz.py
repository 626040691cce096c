"""Quiz questions, "predict, then reveal": pure Python, tested without Streamlit.

A :class:`Question` holds only its inputs (the logits it is about, the labels, and a
few settings such as a temperature). The right answer is never stored: :func:`check`
computes it with ``softmax_core`` at the moment the student checks, and returns it
with the computation that proves it.

Prompts, answers and proofs are plain text (they contain user labels): escape them
with :func:`softmax_ui.text.md` before showing them as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from softmax_core import (
    cross_entropy,
    cross_entropy_gradient,
    diagnose_naive,
    entropy,
    exp_limits,
    logsumexp,
    sample_counts,
    sigmoid,
    softmax,
    softmax_jacobian,
    top_p_filter,
)
from softmax_ui.state import format_logits, format_number
from softmax_ui.text import num


@dataclass(frozen=True)
class Question:
    kind: str
    lesson: str
    """The lesson the question belongs to (for the student to revisit)."""
    prompt: str
    logits: tuple[float, ...]
    labels: tuple[str, ...]
    options: tuple[str, ...] = ()
    """Choices for a multiple-choice question; empty for a number answer."""
    settings: tuple[tuple[str, Any], ...] = ()
    """Inputs of this question besides the logits, e.g. ``(("T", 5.0),)``."""
    decimals: int = 2
    """For a number answer: how many decimals the student is asked for."""

    @property
    def numeric(self) -> bool:
        return not self.options

    def get(self, name: str) -> Any:
        return dict(self.settings)[name]

    @property
    def z(self) -> np.ndarray:
        return np.array(self.logits, dtype=np.float64)


@dataclass(frozen=True)
class Verdict:
    correct: bool
    answer: str
    """The right answer, as text."""
    proof: tuple[str, ...]
    """The live computation that shows why, one line each."""


@dataclass(frozen=True)
class _Solution:
    accepts: Callable[[Any], bool]
    answer: str
    proof: tuple[str, ...]


def _vec(values: Sequence[float] | np.ndarray, digits: int = 4) -> str:
    return "[" + ", ".join(num(v, digits) for v in np.asarray(values, dtype=np.float64)) + "]"


def _plus(c: float) -> str:
    """``+ 100`` or ``− 1000``: an offset written the way it reads."""
    return f"+ {num(c)}" if c >= 0 else f"− {num(-c)}"


def _add(c: float) -> str:
    return f"Add {num(c)} to" if c >= 0 else f"Subtract {num(-c)} from"


def _within(exact: float, tolerance: float) -> Callable[[Any], bool]:
    def accepts(answer: Any) -> bool:
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return False
        return bool(np.isfinite(value) and abs(value - exact) <= tolerance)

    return accepts


def _rounded(exact: float, decimals: int) -> Callable[[Any], bool]:
    """Accept any answer that rounds like the exact value, to ``decimals`` places."""
    return _within(exact, 0.5 * 10.0**-decimals + 1e-9)


def _one_of(*good: str) -> Callable[[Any], bool]:
    return lambda answer: answer in good


def _top(p: np.ndarray) -> list[int]:
    """Every class tied for the largest probability."""
    return [int(i) for i in np.flatnonzero(p == p.max())]


def _pick(rng: np.random.Generator, values: Sequence[Any]) -> Any:
    return values[int(rng.integers(len(values)))]


@dataclass(frozen=True)
class Kind:
    lesson: str
    make: Callable[[np.random.Generator, tuple[float, ...], tuple[str, ...]], Question]
    solve: Callable[[Question], _Solution]


def _question(kind: str, prompt: str, z, labels, **rest: Any) -> Question:
    return Question(kind, KINDS[kind].lesson, prompt, tuple(z), tuple(labels), **rest)


# --- the question kinds -----------------------------------------------------------------------


def make_winner_at_T(rng, z, labels):
    t = float(_pick(rng, (0.1, 0.5, 2.0, 5.0, 20.0)))
    return _question(
        "winner_at_T",
        f"Which class has the largest probability at temperature T = {num(t)}?",
        z,
        labels,
        options=labels,
        settings=(("T", t),),
    )


def solve_winner_at_T(q):
    t = q.get("T")
    p = softmax(q.z, temperature=t)
    best = [q.labels[i] for i in _top(p)]
    return _Solution(
        _one_of(*best),
        " or ".join(best) + (" (tied)" if len(best) > 1 else ""),
        (
            f"softmax(z / {num(t)}) = {_vec(p)}: the largest is {best[0]} with p = {num(p.max())}.",
            "Dividing by a positive T keeps the order of the logits, and exp() is increasing, "
            "so the class with the largest logit wins at every temperature.",
        ),
    )


SHIFT_OPTIONS = (
    "No: every probability stays the same",
    "Yes: the probabilities change, the winner stays",
    "Yes: even the winner changes",
)


def make_shift(rng, z, labels):
    c = float(_pick(rng, (10.0, 100.0, 1000.0, -1000.0)))
    return _question(
        "shift",
        f"{_add(c)} every logit. Does the softmax output change?",
        z,
        labels,
        options=SHIFT_OPTIONS,
        settings=(("c", c),),
    )


def solve_shift(q):
    c = q.get("c")
    p, shifted = softmax(q.z), softmax(q.z + c)
    if np.allclose(p, shifted, rtol=1e-9, atol=1e-12):
        answer = SHIFT_OPTIONS[0]
    elif int(np.argmax(p)) == int(np.argmax(shifted)):
        answer = SHIFT_OPTIONS[1]
    else:
        answer = SHIFT_OPTIONS[2]
    return _Solution(
        _one_of(answer),
        answer,
        (
            f"softmax(z) = {_vec(p, 6)}",
            f"softmax(z {_plus(c)}) = {_vec(shifted, 6)}",
            f"Largest difference: {num(float(np.max(np.abs(p - shifted))), 3)} (rounding only).",
            f"exp(zᵢ + c) = exp(zᵢ)·exp(c): the factor exp({num(c)}) is in every term of the "
            "top and the bottom of the fraction, so it cancels.",
        ),
    )


def make_sigmoid_sum(rng, z, labels):
    return _question(
        "sigmoid_sum",
        "Apply the sigmoid to each logit on its own. What do the K outputs add up to "
        "(to 2 decimals)?",
        z,
        labels,
    )


def solve_sigmoid_sum(q):
    s = sigmoid(q.z)
    total = float(np.sum(s))
    return _Solution(
        _rounded(total, 2),
        f"{total:.2f}",
        (
            f"sigmoid(z) = {_vec(s)}",
            f"Sum: {' + '.join(num(v, 4) for v in s)} = {num(total, 6)}.",
            f"Sigmoid scores each class independently, so the sum can be anything between "
            f"0 and K = {len(s)}; only softmax always sums to exactly 1.",
        ),
    )


SHARPER_OPTIONS = ("at T = 0.5", "at T = 2", "the same at both")


def make_sharper(rng, z, labels):
    top = int(np.argmax(z))
    return _question(
        "sharper",
        f"Which gives the top class, {labels[top]}, the larger probability: T = 0.5 or T = 2?",
        z,
        labels,
        options=SHARPER_OPTIONS,
        settings=(("top", top),),
    )


def solve_sharper(q):
    top = q.get("top")
    sharp = float(softmax(q.z, temperature=0.5)[top])
    flat = float(softmax(q.z, temperature=2.0)[top])
    if sharp == flat:
        if np.ptp(q.z) == 0:
            good: tuple[str, ...] = (SHARPER_OPTIONS[2],)
            why = "All logits are equal: every class gets 1/K at any temperature."
        else:
            good = (SHARPER_OPTIONS[0], SHARPER_OPTIONS[2])
            why = (
                "The gap is so large that both round to the same float64 number; exactly, "
                "T = 0.5 gives more (lower T sharpens)."
            )
    else:
        good = (SHARPER_OPTIONS[0] if sharp > flat else SHARPER_OPTIONS[1],)
        why = (
            "Lower T stretches the gaps between logits, so the largest logit takes a bigger "
            "share; higher T shrinks them towards uniform."
        )
    return _Solution(
        _one_of(*good),
        good[0],
        (
            f"p({q.labels[top]}) at T = 0.5: {num(sharp, 6)}",
            f"p({q.labels[top]}) at T = 2: {num(flat, 6)}",
            why,
        ),
    )


NAIVE_OPTIONS = (
    "Valid probabilities that add up to 1",
    "NaN (or inf) for at least one class",
    "All zeros",
)


def make_naive_float32(rng, z, labels):
    c = float(_pick(rng, (100.0, 50.0, -120.0)))
    return _question(
        "naive_float32",
        f"{_add(c)} every logit and compute the textbook formula exp(z)/Σexp(z) in "
        "float32. What comes out?",
        z,
        labels,
        options=NAIVE_OPTIONS,
        settings=(("c", c),),
    )


def solve_naive_float32(q):
    c = q.get("c")
    shifted = q.z + c
    diagnosis = diagnose_naive(shifted, temperature=1.0, dtype="float32")
    naive = np.asarray(diagnosis.naive, dtype=np.float64)
    if not np.isfinite(naive).all():
        answer = NAIVE_OPTIONS[1]
    elif not naive.any():
        answer = NAIVE_OPTIONS[2]
    else:
        answer = NAIVE_OPTIONS[0]
    limits = exp_limits("float32")
    return _Solution(
        _one_of(answer),
        answer,
        (
            f"z {_plus(c)} = {_vec(shifted, 6)}",
            f"float32 exp() overflows to inf above {limits.overflow:.2f} and rounds to 0 "
            f"below {limits.underflow:.2f}.",
            f"Naive result in float32: {_vec(naive)}",
            diagnosis.summary,
            f"The stable formula (subtract the max first) gives {_vec(diagnosis.stable)}.",
        ),
    )


def make_cross_entropy(rng, z, labels):
    target = int(rng.integers(len(z)))
    return _question(
        "cross_entropy",
        f"The right answer is {labels[target]}. What is the cross-entropy loss −log p"
        f"({labels[target]}) at T = 1, in nats (to 2 decimals)?",
        z,
        labels,
        settings=(("target", target),),
    )


def solve_cross_entropy(q):
    t = q.get("target")
    loss = float(cross_entropy(q.z, t))
    lse = float(logsumexp(q.z))
    p = softmax(q.z)
    return _Solution(
        _rounded(loss, 2),
        f"{loss:.2f}",
        (
            f"softmax(z) = {_vec(p)}, so p({q.labels[t]}) = {num(p[t], 6)}.",
            f"Computed stably: −log p = logsumexp(z) − z_target = {num(lse, 8)} − "
            f"{num(q.z[t], 8)} = {num(loss, 6)} nats.",
        ),
    )


def make_probability(rng, z, labels):
    i = int(rng.integers(len(z)))
    t = float(_pick(rng, (0.5, 1.0, 2.0)))
    return _question(
        "probability",
        f"What probability does softmax give {labels[i]} at T = {num(t)} (to 2 decimals)?",
        z,
        labels,
        settings=(("class", i), ("T", t)),
    )


def solve_probability(q):
    i, t = q.get("class"), q.get("T")
    p = softmax(q.z, temperature=t)
    return _Solution(
        _rounded(float(p[i]), 2),
        f"{p[i]:.2f}",
        (
            f"z / {num(t)} = {_vec(q.z / t)}",
            f"softmax(z / {num(t)}) = {_vec(p)}; the entry for {q.labels[i]} is {num(p[i], 6)}.",
        ),
    )


def make_entropy_limit(rng, z, labels):
    return _question(
        "entropy_limit",
        "As the temperature T grows without limit, what value does the entropy of "
        "softmax(z / T) approach, in nats (to 2 decimals)?",
        z,
        labels,
    )


def solve_entropy_limit(q):
    k = len(q.z)
    limit = float(entropy(softmax(np.zeros(k))))
    steps = [(t, float(entropy(softmax(q.z, temperature=t)))) for t in (1.0, 10.0, 100.0)]
    return _Solution(
        _rounded(limit, 2),
        f"{limit:.2f}",
        (
            "Entropy at " + ", ".join(f"T = {num(t)}: {num(h, 5)}" for t, h in steps) + " nats.",
            f"As T → ∞ every z/T → 0, so softmax → uniform 1/{k}, whose entropy is "
            f"log {k} = {num(limit, 6)} nats: the largest possible for {k} classes.",
        ),
    )


DIRECTION_OPTIONS = ("It goes up", "It goes down", "It does not move")


def make_gradient_direction(rng, z, labels):
    target = int(rng.integers(len(z)))
    return _question(
        "gradient_direction",
        f"The right answer is {labels[target]}. After one gradient-descent step on the "
        f"cross-entropy loss, what happens to the logit of {labels[target]}?",
        z,
        labels,
        options=DIRECTION_OPTIONS,
        settings=(("target", target),),
    )


def solve_gradient_direction(q):
    t = q.get("target")
    g = cross_entropy_gradient(q.z, t)
    move = -float(g[t])
    answer = DIRECTION_OPTIONS[0 if move > 0 else 1 if move < 0 else 2]
    return _Solution(
        _one_of(answer),
        answer,
        (
            f"Gradient p − y = {_vec(g)}.",
            f"For the target, ∂L/∂z = p − 1 = {num(g[t], 6)}; a step z ← z − lr·gradient "
            f"changes it by lr × {num(move, 6)}.",
            "p < 1 whenever another class has any probability, so the target's logit goes "
            "up and every other logit goes down.",
        ),
    )


def make_gradient_sum(rng, z, labels):
    target = int(rng.integers(len(z)))
    return _question(
        "gradient_sum",
        f"With target {labels[target]}, what is the sum over all classes of the gradient "
        "of the cross-entropy with respect to the logits (to 2 decimals)?",
        z,
        labels,
        settings=(("target", target),),
    )


def solve_gradient_sum(q):
    t = q.get("target")
    g = cross_entropy_gradient(q.z, t)
    total = float(np.sum(g))
    return _Solution(
        _rounded(total, 2),
        f"{abs(total):.2f}",
        (
            f"Gradient p − y = {_vec(g)}; its sum is {num(total, 3)} (0 up to rounding).",
            "Σp = 1 and Σy = 1, so Σ(p − y) = 0: raising every logit by the same amount "
            "cannot change the loss.",
        ),
    )


def make_top_p_count(rng, z, labels):
    top_p = float(_pick(rng, (0.5, 0.8, 0.9, 0.95)))
    return _question(
        "top_p_count",
        f"Nucleus (top-p) sampling with p = {num(top_p)} at T = 1: how many classes can "
        "still be drawn?",
        z,
        labels,
        settings=(("top_p", top_p),),
        decimals=0,
    )


def solve_top_p_count(q):
    top_p = q.get("top_p")
    p = softmax(q.z)
    kept = top_p_filter(p, top_p)
    count = int(np.count_nonzero(kept))
    order = np.argsort(-p, kind="stable")
    running = np.cumsum(p[order])
    return _Solution(
        _within(count, 0.0),
        str(count),
        (
            "Sorted probabilities: "
            + ", ".join(f"{q.labels[i]} {num(p[i], 3)}" for i in order)
            + ".",
            f"Running totals: {_vec(running, 3)}.",
            f"Keep the most likely classes until their total reaches {num(top_p)}: "
            f"{count} class{'es' if count != 1 else ''} "
            f"({', '.join(q.labels[i] for i in np.flatnonzero(kept))}).",
        ),
    )


def make_jacobian_row_sum(rng, z, labels):
    i = int(rng.integers(len(z)))
    return _question(
        "jacobian_row_sum",
        f"What is the sum of the {labels[i]} row of the softmax Jacobian, "
        f"Σⱼ ∂p({labels[i]})/∂zⱼ (to 2 decimals)?",
        z,
        labels,
        settings=(("row", i),),
    )


def solve_jacobian_row_sum(q):
    i = q.get("row")
    row = softmax_jacobian(q.z)[i]
    total = float(np.sum(row))
    return _Solution(
        _rounded(total, 2),
        f"{abs(total):.2f}",
        (
            f"Row {q.labels[i]} of diag(p) − ppᵀ: {_vec(row)}; sum {num(total, 3)}.",
            "Σⱼ pᵢ(δᵢⱼ − pⱼ) = pᵢ(1 − Σⱼ pⱼ) = 0: adding the same amount to every logit "
            "changes no probability.",
        ),
    )


SCALING_OPTIONS = ("No: the same class wins", "Yes: another class wins")


def make_scaling_keeps_argmax(rng, z, labels):
    t = float(_pick(rng, (0.4, 1.7, 3.0)))
    return _question(
        "scaling_keeps_argmax",
        f"Temperature scaling divides every logit by a fitted T = {num(t)}. Does the "
        "predicted class (and so the accuracy) change?",
        z,
        labels,
        options=SCALING_OPTIONS,
        settings=(("T", t),),
    )


def solve_scaling_keeps_argmax(q):
    t = q.get("T")
    before, after = softmax(q.z), softmax(q.z, temperature=t)
    same = set(_top(before)) == set(_top(after))
    answer = SCALING_OPTIONS[0 if same else 1]
    return _Solution(
        _one_of(answer),
        answer,
        (
            f"Before: {_vec(before)}; after dividing by {num(t)}: {_vec(after)}.",
            f"Top class before: {q.labels[_top(before)[0]]}, after: "
            f"{q.labels[_top(after)[0]]}. Confidence changes, the ranking does not.",
        ),
    )


def make_expected_count(rng, z, labels):
    i = int(rng.integers(len(z)))
    n = int(_pick(rng, (100, 1000)))
    return _question(
        "expected_count",
        f"Draw {n} samples from softmax(z) at T = 1. How many do you expect to be "
        f"{labels[i]}, on average (a whole number)?",
        z,
        labels,
        settings=(("class", i), ("n", n), ("seed", int(rng.integers(2**31)))),
        decimals=0,
    )


def solve_expected_count(q):
    i, n, seed = q.get("class"), q.get("n"), q.get("seed")
    p = softmax(q.z)
    expected = n * float(p[i])
    counts = sample_counts(p, n, seed)
    return _Solution(
        _within(expected, 1.0),
        f"{expected:.0f}",
        (
            f"p({q.labels[i]}) = {num(p[i], 6)}, so on average {n} × {num(p[i], 6)} = "
            f"{num(expected, 6)} draws (any answer within 1 counts).",
            f"One real draw of {n} (seed {seed}): {int(counts[i])} were {q.labels[i]}. "
            "A single draw scatters around the average.",
        ),
    )


KINDS: dict[str, Kind] = {
    "winner_at_T": Kind("Temperature & sampling", make_winner_at_T, solve_winner_at_T),
    "shift": Kind("Naive vs stable", make_shift, solve_shift),
    "sigmoid_sum": Kind("Softmax vs sigmoid vs ReLU", make_sigmoid_sum, solve_sigmoid_sum),
    "sharper": Kind("Playground", make_sharper, solve_sharper),
    "naive_float32": Kind("Naive vs stable", make_naive_float32, solve_naive_float32),
    "cross_entropy": Kind("Gradients & cross-entropy", make_cross_entropy, solve_cross_entropy),
    "probability": Kind("Playground", make_probability, solve_probability),
    "entropy_limit": Kind("Temperature & sampling", make_entropy_limit, solve_entropy_limit),
    "gradient_direction": Kind(
        "Gradients & cross-entropy", make_gradient_direction, solve_gradient_direction
    ),
    "gradient_sum": Kind("Gradients & cross-entropy", make_gradient_sum, solve_gradient_sum),
    "top_p_count": Kind("Temperature & sampling", make_top_p_count, solve_top_p_count),
    "jacobian_row_sum": Kind(
        "Gradients & cross-entropy", make_jacobian_row_sum, solve_jacobian_row_sum
    ),
    "scaling_keeps_argmax": Kind(
        "Calibration", make_scaling_keeps_argmax, solve_scaling_keeps_argmax
    ),
    "expected_count": Kind("Temperature & sampling", make_expected_count, solve_expected_count),
}
"""Every question kind, by name."""


# --- asking and checking ----------------------------------------------------------------------


def new_question(
    rng: np.random.Generator,
    logits: Sequence[float],
    labels: Sequence[str],
    *,
    kind: str | None = None,
    avoid: str | None = None,
) -> Question:
    """A question of ``kind`` (random if ``None``, not ``avoid``) about these logits."""
    if kind is None:
        choices = [k for k in KINDS if k != avoid]
        kind = _pick(rng, choices)
    return KINDS[kind].make(rng, tuple(float(v) for v in logits), tuple(labels))


def check(question: Question, answer: Any) -> Verdict:
    """Judge ``answer``, computing the right answer now, with its proof."""
    solution = KINDS[question.kind].solve(question)
    return Verdict(bool(solution.accepts(answer)), solution.answer, solution.proof)


def describe(question: Question) -> str:
    """The logits a question is about, as plain text."""
    pairs = ", ".join(
        f"{label} = {format_number(v)}"
        for label, v in zip(question.labels, question.logits, strict=True)
    )
    return f"z = [{format_logits(question.logits)}], i.e. {pairs}"

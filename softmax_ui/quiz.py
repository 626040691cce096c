"""Quiz questions, "predict, then reveal": pure Python, tested without Streamlit.

A :class:`Question` holds only its inputs (the logits it is about, the labels, and a
few settings such as a temperature). The right answer is never stored: :func:`check`
computes it with ``softmax_core`` at the moment the student checks, and returns it
with the computation that proves it.

Prompts, answers and proofs are plain text (they contain user labels): escape them
with :func:`softmax_ui.text.markdown_safe` before showing them as Markdown.

Language: nothing in a :class:`Question` depends on the reader's language. Its prompt
(:attr:`Question.prompt`) is worded when it is read, from the kind and the settings
(:data:`ASK`), and the answer and its proof when it is checked; the fixed answer options
(:data:`OPTIONS`) and the lesson names stay in English, so an answer, a tally or a question
sent to the room means the same whatever language each reader chose, and a language switch
rewords the question on screen. Show options and lessons with :func:`option_text` and
:func:`lesson_title`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from softmax_core import (
    TOP_P_DECIMALS,
    cross_entropy,
    cross_entropy_gradient,
    diagnose_naive,
    exp_limits,
    logsumexp,
    sample_counts,
    sigmoid,
    softmax,
    softmax_entropy,
    softmax_jacobian,
    top_classes,
    top_p_order,
)
from softmax_ui.explain import naive_summary
from softmax_ui.i18n import N_, _, current, ngettext
from softmax_ui.presets import in_language
from softmax_ui.state import logit_list, shown_number
from softmax_ui.text import (
    fixed,
    fixed_decimals,
    join_names,
    list_separator,
    markdown_safe,
    ordered,
    prose_number,
    quoted,
    signed_offset,
    stored_number,
)


@dataclass(frozen=True)
class Question:
    kind: str
    lesson: str
    """The lesson the question belongs to (for the student to revisit)."""
    asked: str
    """The question as it was worded when drawn (shown only when it cannot be worded again,
    e.g. a question from the room store whose kind this version words differently)."""
    logits: tuple[float, ...]
    labels: tuple[str, ...]
    options: tuple[str, ...] = ()
    """Choices for a multiple-choice question; empty for a number answer. The fixed ones
    (:data:`OPTIONS`) are kept in English, so an answer means the same in every language:
    show them with :func:`option_text`."""
    settings: tuple[tuple[str, Any], ...] = ()
    """Inputs of this question besides the logits, e.g. ``(("T", 5.0),)``."""
    decimals: int = 2
    """For a number answer: how many decimals the student is asked for."""

    @property
    def prompt(self) -> str:
        """The question in the reader's language, worded now from the kind and settings (so a
        language switch rewords it)."""
        ask = ASK.get(self.kind)
        if ask is None:
            return self.asked
        try:
            return ask(self)
        except (KeyError, IndexError, TypeError, ValueError):
            return self.asked

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
    """The right answer, as text in the reader's language."""
    proof: tuple[str, ...]
    """The live computation that shows why, one line each."""
    hint: str | None = None
    """For a wrong answer that no right one could be (a negative loss, a probability over 1):
    why it cannot be, in the reader's language; ``None`` otherwise."""
    values: tuple[str, ...] = ()
    """For a question answered with a number: every right number, written the Python way
    ("0.33", "12"); ``()`` for a choice."""


def _no_hint(answer: Any) -> str | None:
    return None


@dataclass(frozen=True)
class _Solution:
    accepts: Callable[[Any], bool]
    answer: str
    proof: tuple[str, ...]
    hint: Callable[[Any], str | None] = _no_hint
    values: tuple[str, ...] = ()
    """Every right number, where ``accepts`` is not a :class:`Rounded` (which knows them)."""


def finite(answer: Any) -> float | None:
    """An answer as a finite number, or ``None`` (not a number, or infinite, or NaN).

    >>> finite("0.25"), finite(3), finite("half"), finite("inf"), finite(None)
    (0.25, 3.0, None, None, None)
    """
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def outside(
    low: float, high: float, decimals: int, why: Callable[[], str]
) -> Callable[[Any], str | None]:
    """A hint for a number that, rounded to ``decimals`` places, no value in ``[low, high]``
    rounds to: ``why()``, called then (in the reader's language). Anything else (an answer
    some right value could round to, or not a number) has no hint.

    >>> hint = outside(0.0, 1.0, 2, lambda: "A probability lies between 0 and 1.")
    >>> hint("1.2"), hint("-0.004"), hint("1.004"), hint("0.4"), hint("half"), hint("nan")
    ('A probability lies between 0 and 1.', None, None, None, None, None)
    >>> outside(0.0, math.log(3), 2, lambda: "no")("1.10")  # log 3 = 1.0986: 1.10
    """
    # compared as rounded: rounding is monotone, so [low, high] rounds onto [r(low), r(high)]
    first, last = (float(fixed_decimals(v, decimals)) for v in (low, high))

    def hint(answer: Any) -> str | None:
        value = finite(answer)
        if value is None or first <= float(fixed_decimals(value, decimals)) <= last:
            return None
        return why()

    return hint


def _vec(values: Sequence[float] | np.ndarray, digits: int = 4) -> str:
    return (
        "["
        + list_separator().join(
            prose_number(v, digits) for v in np.asarray(values, dtype=np.float64)
        )
        + "]"
    )


def either(answers: Sequence[str]) -> str:
    """Answers that all count, in the reader's language: ``a``, ``a or b``, ``a or b or c``."""
    text = answers[0]
    for other in answers[1:]:
        text = _("{first} or {second}").format(first=text, second=other)
    return text


def _tied(names: Sequence[str]) -> str:
    """``a``, or ``a and b (tied)``."""
    joined = join_names(list(names))
    return joined if len(names) == 1 else _("{names} (tied)").format(names=joined)


@dataclass(frozen=True)
class Rounded:
    """Accepts the answers that round, to ``decimals`` places, to one of ``good`` (written
    the Python way, increasing)."""

    good: tuple[str, ...]
    decimals: int

    def __call__(self, answer: Any) -> bool:
        value = finite(answer)
        if value is None or (self.decimals == 0 and not value.is_integer()):
            return False  # asked for a whole number: 2.6 classes was "Right. The answer is 3"
        return fixed_decimals(value, self.decimals) in self.good


def decimal_answer(exact: float, decimals: int, error: float) -> tuple[Rounded, str]:
    """Accept the answers that round, to ``decimals`` places, as the value does.

    ``exact`` is computed in float64 with an error of at most ``error``; if that leaves the
    rounding undecided (the value sits on a boundary such as 0.125), both roundings are
    right and both are shown. So the answer shown and the answers accepted are the same set.
    With ``decimals`` 0 (a count) only a whole number is accepted.

    >>> accepts, shown = decimal_answer(3.0, 0, 0.0)
    >>> shown, accepts(3), accepts("3.0"), accepts(2.6), accepts(3.4)
    ('3', True, True, False, False)
    >>> decimal_answer(0.125, 2, 1e-12)[0].good
    ('0.12', '0.13')
    """
    good = tuple(
        sorted(
            {fixed_decimals(v, decimals) for v in (exact - error, exact, exact + error)}, key=float
        )
    )
    # compared the Python way (a point), shown in the reader's language (0,86 in es and fr)
    return Rounded(good, decimals), either([fixed(float(g), decimals) for g in good])


def backing_decimals(value: float, decimals: int, start: int = 4) -> int:
    """How many decimals a proof prints ``value`` to, so that it backs an answer rounded to
    ``decimals``: ``start``, or more while the printed digits sit on a rounding boundary
    that ``value`` is not on (3088.4250 would round to 3088.42; 3088.42501 to 3088.43, as
    the loss, 3088.425006, does).

    >>> backing_decimals(20000.693147, 2), backing_decimals(3088.425006175323, 2)
    (4, 5)
    >>> backing_decimals(0.125, 2)  # on the boundary itself: both roundings are accepted
    12
    """
    places = start
    while places < 12 and fixed_decimals(value, places).split(".")[1][decimals:].rstrip("0") == "5":
        places += 1
    return places


def _error(value: float) -> float:
    """A bound on the float64 error of the quiz's computed values: relative 1e-12, thousands
    of times the real one (a few ulps, 1e-16 relative) and far below the 2 decimals asked.
    A bound of 1e-9 accepted both 3088.42 and 3088.43 for a loss of 3088.425006."""
    return 1e-12 * max(1.0, abs(value))


def _one_of(*good: str) -> Callable[[Any], bool]:
    return lambda answer: answer in good


def _exp_text(log_value: float) -> str:
    """e^x as a number, or as ``e^-2000`` when it is too small for float64 to hold with its
    full precision (below the smallest normal number, 2.2e-308, it keeps only a few digits:
    e^-745.5 is 3.4e-324 but float64 stores 4.9e-324)."""
    value = float(np.exp(log_value))
    return prose_number(value) if value >= _TINY else f"e^{prose_number(log_value, 6)}"


_TINY = float(np.finfo(np.float64).tiny)


def _log_complement(z: np.ndarray, i: int, t: float = 1.0) -> float:
    """log(1 − pᵢ) = log Σ_{j≠i} exp(zⱼ/T) − logsumexp(z/T), exact where 1 − pᵢ underflows."""
    others = np.delete(z, i) / t
    return float(logsumexp(others) - logsumexp(z / t))


def _pick(rng: np.random.Generator, values: Sequence[Any]) -> Any:
    return values[int(rng.integers(len(values)))]


def _shuffled(rng: np.random.Generator, options: Sequence[str], last: int = 0) -> tuple[str, ...]:
    """``options`` in a random order, their ``last`` ones kept last ("the same at both"):
    the right answer of a kind whose answer the mathematics fixes was always the first, and a
    student learned to pick the first (a student tour).

    >>> sorted(_shuffled(np.random.default_rng(0), SHIFT_OPTIONS)) == sorted(SHIFT_OPTIONS)
    True
    >>> _shuffled(np.random.default_rng(1), SHARPER_OPTIONS, last=1)[-1]
    'the same at both'
    """
    moved = len(options) - last
    order = [int(i) for i in rng.permutation(moved)]
    return tuple(options[i] for i in order) + tuple(options[moved:])


@dataclass(frozen=True)
class Kind:
    lesson: str
    make: Callable[[np.random.Generator, tuple[float, ...], tuple[str, ...]], Question]
    solve: Callable[[Question], _Solution]
    ask: Callable[[Question], str]
    """Words the question in the reader's language from its labels and settings."""


ASK: dict[str, Callable[[Question], str]] = {}
"""How each kind's prompt is worded (the quiz kinds, and the live class's predict kinds)."""


def _question(kind: str, z, labels, **rest: Any) -> Question:
    question = Question(kind, KINDS[kind].lesson, "", tuple(z), tuple(labels), **rest)
    return replace(question, asked=question.prompt)


# --- the question kinds -----------------------------------------------------------------------


def make_winner_at_T(rng, z, labels):
    t = float(_pick(rng, (0.1, 0.5, 2.0, 5.0, 20.0)))
    return _question("winner_at_T", z, labels, options=labels, settings=(("T", t),))


def ask_winner_at_T(q):
    return _("Which class has the largest probability at temperature T = {t}?").format(
        t=prose_number(q.get("T"))
    )


def _too_close_to_show(q: Question, p: np.ndarray, top: list[int], digits: int = 4) -> list[str]:
    """Lines for classes whose shown probability equals a winner's although their logit is
    smaller: exactly, the winner's probability is larger."""
    shown = prose_number(p[top[0]], digits)
    lines = []
    for j in range(len(p)):
        if j not in top and prose_number(p[j], digits) == shown:
            lines.append(
                _(
                    "{name}'s logit {logit} is smaller than {largest}, so its probability is "
                    "smaller too, by less than the digits shown."
                ).format(
                    name=q.labels[j],
                    logit=shown_number(q.z[j]),
                    largest=shown_number(q.z[top[0]]),
                )
            )
    return lines


def solve_winner_at_T(q):
    t = q.get("T")
    p = softmax(q.z, temperature=t)
    top = [int(i) for i in top_classes(q.z)]  # exact: T > 0 keeps the order of the logits
    best = [q.labels[i] for i in top]
    values = {"t": prose_number(t), "p": _vec(p), "top": prose_number(p[top[0]])}
    largest = (
        _("softmax(z / {t}) = {p}: the largest is {name} with p = {top}.").format(
            name=best[0], **values
        )
        if len(top) == 1
        else _("softmax(z / {t}) = {p}: {names} tie for the largest, p = {top} each.").format(
            names=join_names(best), **values
        )
    )
    return _Solution(
        _one_of(*best),
        either(best) + ("" if len(best) == 1 else " " + _("(tied)")),
        (
            largest,
            *_too_close_to_show(q, p, top),
            _(
                "Dividing by a positive T keeps the order of the logits, and exp() is "
                "increasing, so the classes with the largest logit win at every temperature."
            ),
        ),
    )


SHIFT_OPTIONS = (
    N_("No: every probability stays the same"),
    N_("Yes: the probabilities change, the winner stays"),
    N_("Yes: even the winner changes"),
)


def make_shift(rng, z, labels):
    c = float(_pick(rng, (10.0, 100.0, 1000.0, -1000.0)))
    options = _shuffled(rng, SHIFT_OPTIONS)
    return _question("shift", z, labels, options=options, settings=(("c", c),))


def ask_shift(q):
    c = q.get("c")
    prompt = (
        _("Add {c} to every logit. Does the softmax output change?")
        if c >= 0
        else _("Subtract {c} from every logit. Does the softmax output change?")
    )
    return prompt.format(c=prose_number(abs(c)))


def solve_shift(q):
    c = q.get("c")
    p, shifted = softmax(q.z), softmax(q.z + c)
    difference = float(np.max(np.abs(p - shifted)))
    largest = (
        _("Largest difference: {d} (float rounding of z + c only).")
        if difference
        else _("Largest difference: {d}.")
    )
    return _Solution(
        _one_of(SHIFT_OPTIONS[0]),
        _(SHIFT_OPTIONS[0]),
        (
            f"softmax(z) = {_vec(p, 6)}",
            f"softmax(z {signed_offset(c)}) = {_vec(shifted, 6)}",
            largest.format(d=prose_number(difference, 3)),
            _(
                "exp(zᵢ + c) = exp(zᵢ)·exp(c): the factor exp({c}) is in every term of the "
                "top and the bottom of the fraction, so it cancels."
            ).format(c=prose_number(c)),
        ),
    )


def make_sigmoid_sum(rng, z, labels):
    return _question("sigmoid_sum", z, labels)


def ask_sigmoid_sum(q):
    # "the K outputs", K said nowhere on the class page (a projector tour)
    return _(
        "Apply the sigmoid to each of the {k} logits on its own. What do the {k} outputs add "
        "up to (to 2 decimals)?"
    ).format(k=len(q.z))


def solve_sigmoid_sum(q):
    s = sigmoid(q.z)
    total = float(np.sum(s))
    accepts, answer = decimal_answer(total, 2, _error(total))
    return _Solution(
        accepts,
        answer,
        (
            f"sigmoid(z) = {_vec(s)}",
            _("Sum: {terms} = {total}.").format(
                terms=" + ".join(prose_number(v, 4) for v in s), total=prose_number(total, 6)
            ),
            _(
                "Sigmoid scores each class independently, so the sum of {k} outputs can be "
                "anything between 0 and {k}; only softmax always sums to exactly 1."
            ).format(k=len(s)),
        ),
        outside(
            0.0,
            len(s),
            2,
            lambda: _(
                "Each sigmoid lies between 0 and 1, so {k} of them add up to between 0 and {k}."
            ).format(k=len(s)),
        ),
    )


SHARPER_OPTIONS = (N_("at T = 0.5"), N_("at T = 2"), N_("the same at both"))


def make_sharper(rng, z, labels):
    top = int(top_classes(z)[0])
    options = _shuffled(rng, SHARPER_OPTIONS, last=1)
    return _question("sharper", z, labels, options=options, settings=(("top", top),))


def ask_sharper(q):
    tied = len(top_classes(q.z)) > 1
    prompt = (
        _(
            "Which gives {name} (tied for the largest logit) the larger probability: "
            "T = 0.5 or T = 2?"
        )
        if tied
        else _("Which gives {name} (the largest logit) the larger probability: T = 0.5 or T = 2?")
    )
    return prompt.format(name=q.labels[q.get("top")])


def _at_both(name: str, sharp: float, flat: float) -> str:
    return _("p({name}) at T = 0.5: {sharp}; at T = 2: {flat}.").format(
        name=name, sharp=prose_number(sharp, 6), flat=prose_number(flat, 6)
    )


def solve_sharper(q):
    top = q.get("top")
    name = q.labels[top]
    sharp = float(softmax(q.z, temperature=0.5)[top])
    flat = float(softmax(q.z, temperature=2.0)[top])
    if np.ptp(q.z) == 0:
        return _Solution(
            _one_of(SHARPER_OPTIONS[2]),
            _(SHARPER_OPTIONS[2]),
            (
                _at_both(name, sharp, flat),
                _("All logits are equal: every class gets 1/{k} at any temperature.").format(
                    k=len(q.z)
                ),
            ),
        )
    why = _(
        "Lower T stretches the gaps between logits, so the largest logit takes a bigger "
        "share; higher T shrinks them towards uniform."
    )
    # Exactly, T = 0.5 gives more. Show it with numbers that tell the two apart: p itself,
    # or 1 − p (computed in log space) when p rounds to the same float at both. A difference
    # of a few units in the last place is rounding noise, not evidence.
    log_sharp, log_flat = _log_complement(q.z, top, 0.5), _log_complement(q.z, top, 2.0)
    if sharp - flat > 1e-12 * sharp:
        a, b = ordered(sharp, flat, digits=6)
        shown = _("p({name}) at T = 0.5: {sharp}; at T = 2: {flat}.").format(
            name=name, sharp=a, flat=b
        )
    elif log_flat - log_sharp > 1e-12 * max(1.0, abs(log_sharp)):
        a, b = (
            ordered(float(np.exp(log_sharp)), float(np.exp(log_flat)), digits=4)
            # below float64's smallest normal number exp() keeps only a few digits: e^-738
            # printed 3.093e-321 for 3.095e-321 (hypothesis found it)
            if np.exp(log_sharp) >= _TINY
            else (_exp_text(log_sharp), _exp_text(log_flat))
        )
        shown = _(
            "p({name}) rounds to {p} at both, but 1 − p({name}), the other classes' share, "
            "is {sharp} at T = 0.5 and {flat} at T = 2."
        ).format(name=name, p=prose_number(sharp, 6), sharp=a, flat=b)
    else:
        return _Solution(
            _one_of(SHARPER_OPTIONS[0], SHARPER_OPTIONS[2]),
            _("{answer} (exactly), though float64 shows the same at both").format(
                answer=_(SHARPER_OPTIONS[0])
            ),
            (
                _at_both(name, sharp, flat),
                _(
                    "Exactly, T = 0.5 gives more (lower T sharpens), but the difference is far "
                    "below what float64 can show, so both answers count."
                ),
            ),
        )
    return _Solution(_one_of(SHARPER_OPTIONS[0]), _(SHARPER_OPTIONS[0]), (shown, why))


NAIVE_OPTIONS = (
    N_("The right probabilities (to float32 precision), adding up to 1"),
    N_("NaN (or inf) for at least one class"),
    N_("All zeros"),
    N_("Finite numbers, but not the right probabilities"),
)


def make_naive_float32(rng, z, labels):
    c = float(_pick(rng, (100.0, 50.0, -120.0)))
    options = _shuffled(rng, NAIVE_OPTIONS)
    return _question("naive_float32", z, labels, options=options, settings=(("c", c),))


def ask_naive_float32(q):
    """The float32 question's prompt; with the setting ``predict`` (the live class asks it
    before the teacher moves c), worded as a prediction."""
    c = q.get("c")
    if dict(q.settings).get("predict"):
        prompt = _(
            "Predict: add c = {c} to every logit and compute the textbook formula "
            "exp(z)/Σexp(z) in float32. What comes out?"
        )
        return prompt.format(c=prose_number(c))
    prompt = (
        _(
            "Add {c} to every logit and compute the textbook formula exp(z)/Σexp(z) in "
            "float32. What comes out?"
        )
        if c >= 0
        else _(
            "Subtract {c} from every logit and compute the textbook formula exp(z)/Σexp(z) in "
            "float32. What comes out?"
        )
    )
    return prompt.format(c=prose_number(abs(c)))


def solve_naive_float32(q):
    c = q.get("c")
    shifted = q.z + c
    diagnosis = diagnose_naive(shifted, temperature=1.0, dtype="float32")
    naive = np.asarray(diagnosis.naive, dtype=np.float64)
    if not np.isfinite(naive).all():
        answer = NAIVE_OPTIONS[1]
    elif diagnosis.ok:
        answer = NAIVE_OPTIONS[0]
    elif not naive.any():
        answer = NAIVE_OPTIONS[2]
    else:
        answer = NAIVE_OPTIONS[3]
    limits = exp_limits("float32")
    exponent = "z " + signed_offset(c)
    return _Solution(
        _one_of(answer),
        _(answer),
        (
            f"{exponent} = {_vec(shifted, 6)}",
            _("float32 exp(x) is inf for x above {overflow} and 0 for x below {underflow}.").format(
                overflow=stored_number(limits.overflow, limits.dtype),
                underflow=stored_number(limits.underflow, limits.dtype),
            ),
            _("Naive result in float32: {p}").format(p=_vec(naive)),
            naive_summary(diagnosis, exponent),
            _("The stable formula (subtract the max first) gives {p}.").format(
                p=_vec(diagnosis.stable)
            ),
        ),
    )


def make_cross_entropy(rng, z, labels):
    target = int(rng.integers(len(z)))
    return _question("cross_entropy", z, labels, settings=(("target", target),))


def ask_cross_entropy(q):
    return _(
        "The true class (the target) is {name}. What is the cross-entropy loss "
        "−log p({name}) at T = 1, in nats (to 2 decimals)?"
    ).format(name=q.labels[q.get("target")])


def solve_cross_entropy(q):
    t = q.get("target")
    loss = float(cross_entropy(q.z, t))
    lse = float(logsumexp(q.z))
    p = softmax(q.z)
    accepts, answer = decimal_answer(loss, 2, _error(lse) + _error(loss))
    return _Solution(
        accepts,
        answer,
        (
            _("softmax(z) = {p}, so p({name}) = {value}.").format(
                p=_vec(p), name=q.labels[t], value=prose_number(p[t], 6)
            ),
            _(
                "Computed stably: −log p = logsumexp(z) − z_target = {lse} − {z} = {loss} nats."
            ).format(
                # to 4 decimals, more than the answer's 2 ("20000.7" backed 20000.69); a
                # negative logit in brackets ("− (−10000)", not "− -10000")
                lse=fixed(lse, 4),
                z=prose_number(q.z[t], 8) if q.z[t] >= 0 else f"({prose_number(q.z[t], 8)})",
                loss=fixed(loss, backing_decimals(loss, 2)),
            ),
        ),
        outside(
            0.0,
            math.inf,
            2,
            lambda: _("Cross-entropy is never negative: p ≤ 1, so log p ≤ 0 and −log p ≥ 0."),
        ),
    )


def make_probability(rng, z, labels):
    i = int(rng.integers(len(z)))
    t = float(_pick(rng, (0.5, 1.0, 2.0)))
    return _question("probability", z, labels, settings=(("class", i), ("T", t)))


def ask_probability(q):
    return _("What probability does softmax give {name} at T = {t} (to 2 decimals)?").format(
        name=q.labels[q.get("class")], t=prose_number(q.get("T"))
    )


def solve_probability(q):
    i, t = q.get("class"), q.get("T")
    p = softmax(q.z, temperature=t)
    accepts, answer = decimal_answer(float(p[i]), 2, _error(1.0))
    return _Solution(
        accepts,
        answer,
        (
            f"z / {prose_number(t)} = {_vec(q.z / t)}",
            _("softmax(z / {t}) = {p}; the entry for {name} is {value}.").format(
                t=prose_number(t), p=_vec(p), name=q.labels[i], value=prose_number(p[i], 6)
            ),
        ),
        outside(0.0, 1.0, 2, lambda: _("A probability lies between 0 and 1.")),
    )


def make_entropy_limit(rng, z, labels):
    return _question("entropy_limit", z, labels)


def ask_entropy_limit(q):
    return _(
        "As the temperature T grows without limit, what value does the entropy of "
        "softmax(z / T) approach, in nats (to 2 decimals)?"
    )


def solve_entropy_limit(q):
    k = len(q.z)
    limit = float(np.log(k))
    ts = (1.0, 10.0, 100.0)
    # H <= log K exactly; a last-bit excess is rounding, clamped. Each H is right to
    # every digit (softmax_entropy), so it is printed to significant digits: 3.757e-42,
    # not a fixed 0.0000 beside 0.0005.
    hs = [min(float(softmax_entropy(q.z, temperature=t)), limit) for t in ts]
    # Entropies within 1e-8 of each other may read equal: z = 0, 217, 217 has H = log 2 +
    # 1e-92 at T = 1 and log 2 + 4e-9 at T = 10, read "0.693147181" and "0.693147185".
    *shown, limit_s = ordered(*hs, limit, digits=4, tolerance=1e-8)
    accepts, answer = decimal_answer(limit, 2, _error(limit))
    return _Solution(
        accepts,
        answer,
        (
            _("Entropy at {values} nats.").format(
                values=list_separator().join(
                    _("T = {t}: {value}").format(t=prose_number(t), value=h)
                    for t, h in zip(ts, shown, strict=True)
                )
            ),
            _(
                "As T → ∞ every z/T → 0, so softmax → uniform 1/{k}, whose entropy is "
                "log {k} = {limit} nats: the largest possible for {k} classes."
            ).format(k=k, limit=limit_s),
        ),
        outside(
            0.0,
            limit,
            2,
            lambda: _(
                "The entropy of {k} classes lies between 0 (one class certain) and log {k} = "
                "{limit} nats (all equally likely)."
            ).format(k=k, limit=prose_number(limit, 4)),
        ),
    )


DIRECTION_OPTIONS = (N_("Up"), N_("Down"), N_("Neither: its gradient is exactly 0"))


def make_gradient_direction(rng, z, labels):
    target = int(rng.integers(len(z)))
    other = int(rng.integers(len(z) - 1))
    asked = target if rng.random() < 0.5 else other + (other >= target)
    return _question(
        "gradient_direction",
        z,
        labels,
        options=_shuffled(rng, DIRECTION_OPTIONS, last=1),
        settings=(("target", target), ("asked", asked)),
    )


def ask_gradient_direction(q):
    return _(
        "The true class (the target) is {target}. Gradient descent moves every logit "
        "against the sign of its gradient ∂L/∂z of the cross-entropy loss L at T = 1. Which "
        "way does it push the logit of {asked}?"
    ).format(target=q.labels[q.get("target")], asked=q.labels[q.get("asked")])


def solve_gradient_direction(q):
    t, i = q.get("target"), q.get("asked")
    g = cross_entropy_gradient(q.z, t)
    lse = float(logsumexp(q.z))
    name = q.labels[i]
    rounds = _("{value} (float64 rounds it to 0)")
    if i == t:
        # ∂L/∂z_t = p_t − 1 = −Σ_{j≠t} p_j < 0 exactly: every p_j is positive.
        value = (
            prose_number(g[i], 4)
            if abs(g[i]) >= _TINY
            else f"−{_exp_text(_log_complement(q.z, i))}"
            if g[i] != 0
            else rounds.format(value=f"−{_exp_text(_log_complement(q.z, i))}")
        )
        line = _(
            "For the target {name}: ∂L/∂z = p − 1 = −(sum of the other probabilities) = "
            "{value} < 0, so gradient descent raises it."
        ).format(name=name, value=value)
        answer = DIRECTION_OPTIONS[0]
    else:
        value = (
            prose_number(g[i], 4)
            if abs(g[i]) >= _TINY
            else _exp_text(float(q.z[i]) - lse)
            if g[i] != 0
            else rounds.format(value=_exp_text(float(q.z[i]) - lse))
        )
        line = _(
            "For {name}, not the target: ∂L/∂z = p({name}) = {value} > 0, so it is lowered."
        ).format(name=name, value=value)
        answer = DIRECTION_OPTIONS[1]
    return _Solution(
        _one_of(answer),
        _(answer),
        (
            # at T = 1, said (a live class on T = 0.3 read these numbers as its own)
            _("At T = 1, the gradient p − y = {g}.").format(g=_vec(g)),
            line,
            _(
                "Every probability is positive (exp never reaches 0 exactly), so the target's "
                "gradient is negative and every other class's positive, however small."
            ),
        ),
    )


def make_gradient_sum(rng, z, labels):
    target = int(rng.integers(len(z)))
    return _question("gradient_sum", z, labels, settings=(("target", target),))


def ask_gradient_sum(q):
    return _(
        "With target {name}, what is the sum over all classes of the gradient of the "
        "cross-entropy with respect to the logits at T = 1 (to 2 decimals)?"
    ).format(name=q.labels[q.get("target")])


def solve_gradient_sum(q):
    t = q.get("target")
    g = cross_entropy_gradient(q.z, t)
    total = float(np.sum(g))
    accepts, answer = decimal_answer(0.0, 2, 0.0)  # exactly 0: Σp = Σy = 1
    computed = (
        _(
            "At T = 1, the gradient p − y = {g}; its sum is computed as {total} (0 up to float "
            "rounding)."
        )
        if total
        else _("At T = 1, the gradient p − y = {g}; its sum is computed as {total}.")
    )
    return _Solution(
        accepts,
        answer,
        (
            computed.format(g=_vec(g), total=prose_number(total, 3)),
            _(
                "Σp = 1 and Σy = 1, so Σ(p − y) = 0 exactly: raising every logit by the same "
                "amount cannot change the loss."
            ),
        ),
    )


def make_top_p_count(rng, z, labels):
    top_p = float(_pick(rng, (0.5, 0.8, 0.9, 0.95)))
    return _question("top_p_count", z, labels, settings=(("top_p", top_p),), decimals=0)


def ask_top_p_count(q):
    return _(
        "Nucleus (top-p) sampling with p = {p} at T = 1 keeps the fewest most likely "
        "classes whose total probability reaches p (tied classes counted one by one, as "
        "Hugging Face's TopPLogitsWarper does). How many classes does it keep?"
    ).format(p=prose_number(q.get("top_p")))


def solve_top_p_count(q):
    top_p = q.get("top_p")
    p = softmax(q.z)
    order, running, count = top_p_order(p, top_p, scores=q.z)
    *running_s, top_p_s = ordered(*(float(r) for r in running), top_p, digits=3)
    return _Solution(
        decimal_answer(float(count), 0, 0.0)[0],
        str(count),
        (
            _("Sorted by probability (by logit, tied ones in class order): {classes}.").format(
                classes=list_separator().join(
                    f"{q.labels[i]} {prose_number(p[i], 3)}" for i in order
                )
            ),
            _(
                # (shown to 3 digits beside "rounded to 12 decimals", a student was lost: a tour)
                "Running totals: [{totals}] (compared with p at {decimals} decimals, so float "
                "rounding does not decide)."
            ).format(totals=list_separator().join(running_s), decimals=TOP_P_DECIMALS),
            ngettext(
                "The first total that reaches {p} is number {n}: it keeps {n} class ({names}).",
                "The first total that reaches {p} is number {n}: it keeps {n} classes ({names}).",
                count,
            ).format(p=top_p_s, n=count, names=", ".join(q.labels[i] for i in order[:count])),
        ),
        outside(
            1,
            len(p),
            0,
            lambda: _("Top-p keeps at least 1 class and at most all {k}.").format(k=len(p)),
        ),
    )


def make_jacobian_row_sum(rng, z, labels):
    i = int(rng.integers(len(z)))
    return _question("jacobian_row_sum", z, labels, settings=(("row", i),))


def ask_jacobian_row_sum(q):
    return _(
        "What is the sum of the {name} row of the softmax Jacobian at T = 1, "
        "Σⱼ ∂p({name})/∂zⱼ (to 2 decimals)?"
    ).format(name=q.labels[q.get("row")])


def solve_jacobian_row_sum(q):
    i = q.get("row")
    row = softmax_jacobian(q.z)[i]
    total = float(np.sum(row))
    accepts, answer = decimal_answer(0.0, 2, 0.0)  # exactly 0: pᵢ(1 − Σⱼ pⱼ)
    computed = (
        _(
            "Row {name} of diag(p) − ppᵀ: {row}; its sum is computed as {total} "
            "(0 up to float rounding)."
        )
        if total
        else _("Row {name} of diag(p) − ppᵀ: {row}; its sum is computed as {total}.")
    )
    return _Solution(
        accepts,
        answer,
        (
            computed.format(name=q.labels[i], row=_vec(row), total=prose_number(total, 3)),
            _(
                "Σⱼ pᵢ(δᵢⱼ − pⱼ) = pᵢ(1 − Σⱼ pⱼ) = 0 exactly: adding the same amount to every "
                "logit changes no probability."
            ),
        ),
    )


SCALING_OPTIONS = (N_("No: the same class wins"), N_("Yes: another class wins"))


def make_scaling_keeps_argmax(rng, z, labels):
    t = float(_pick(rng, (0.4, 1.7, 3.0)))
    options = _shuffled(rng, SCALING_OPTIONS)
    return _question("scaling_keeps_argmax", z, labels, options=options, settings=(("T", t),))


def ask_scaling_keeps_argmax(q):
    return _(
        "Temperature scaling divides every logit by a fitted T = {t}. Does the predicted "
        "class (and so the accuracy) change?"
    ).format(t=prose_number(q.get("T")))


def solve_scaling_keeps_argmax(q):
    t = q.get("T")
    before, after = softmax(q.z), softmax(q.z, temperature=t)
    top = [int(i) for i in top_classes(q.z)]
    return _Solution(
        _one_of(SCALING_OPTIONS[0]),
        _(SCALING_OPTIONS[0]),
        (
            _("Before: {before}; after dividing by {t}: {after}.").format(
                before=_vec(before), t=prose_number(t), after=_vec(after)
            ),
            _(
                "Top before and after: {names}, with the largest logit. Dividing by a "
                "positive T keeps the order of the logits: confidence changes, the ranking "
                "does not."
            ).format(names=_tied([q.labels[i] for i in top])),
        ),
    )


def make_expected_count(rng, z, labels):
    i = int(rng.integers(len(z)))
    n = int(_pick(rng, (100, 1000)))
    return _question(
        "expected_count",
        z,
        labels,
        settings=(("class", i), ("n", n), ("seed", int(rng.integers(2**31)))),
        decimals=0,
    )


def ask_expected_count(q):
    return _(
        "Draw {n} samples from softmax(z) at T = 1. How many do you expect to be {name}, "
        "on average (a whole number within 1 of it counts)?"
    ).format(n=q.get("n"), name=q.labels[q.get("class")])


def solve_expected_count(q):
    i, n, seed = q.get("class"), q.get("n"), q.get("seed")
    p = softmax(q.z)
    expected = n * float(p[i])
    slack = 1.0 + _error(expected)
    low, high = max(0, math.ceil(expected - slack)), min(n, math.floor(expected + slack))
    counts = sample_counts(p, n, seed)

    def accepts(answer: Any) -> bool:
        value = finite(answer)
        # a count of n draws: never below 0 nor above n, however near (−1 was right when
        # the mean was 0.0…, beside "any whole number from 0 to 1": a review)
        return (
            value is not None
            and value.is_integer()  # a count: 10.5 was right beside "any whole number from…"
            and abs(value - expected) <= slack
            and 0 <= value <= n
        )

    mean = prose_number(expected, 6)
    answer = (
        _("{mean} on average: any whole number from {low} to {high} counts").format(
            mean=mean, low=low, high=high
        )
        if low != high
        else _("{mean} on average: {count}").format(mean=mean, count=low)
    )
    drawn = int(counts[i])
    return _Solution(
        accepts,
        answer,
        values=tuple(str(count) for count in range(low, high + 1)),
        proof=(
            _(
                "p({name}) = {p}, so on average {n} × {p} = {mean} draws (any answer within 1 "
                "counts)."
            ).format(name=q.labels[i], p=prose_number(p[i], 6), n=n, mean=mean),
            ngettext(
                "One real draw of {n} (seed {seed}): {count} was {name}. A single draw "
                "scatters around the average.",
                "One real draw of {n} (seed {seed}): {count} were {name}. A single draw "
                "scatters around the average.",
                drawn,
            ).format(n=n, seed=seed, count=drawn, name=q.labels[i]),
        ),
        hint=outside(
            0,
            n,
            0,
            lambda: _("Of {n} samples, between 0 and {n} can be {name}.").format(
                n=n, name=q.labels[i]
            ),
        ),
    )


LESSONS = {
    "temperature": N_("Temperature & sampling"),
    "naive": N_("Naive vs stable"),
    "activations": N_("Softmax vs sigmoid vs ReLU"),
    "playground": N_("Playground"),
    "gradients": N_("Gradients & cross-entropy"),
    "calibration": N_("Calibration"),
}
"""The lessons the questions come from, by page title (English; shown through ``_()``)."""
_L = LESSONS

KINDS: dict[str, Kind] = {
    "winner_at_T": Kind(_L["temperature"], make_winner_at_T, solve_winner_at_T, ask_winner_at_T),
    "shift": Kind(_L["naive"], make_shift, solve_shift, ask_shift),
    "sigmoid_sum": Kind(_L["activations"], make_sigmoid_sum, solve_sigmoid_sum, ask_sigmoid_sum),
    "sharper": Kind(_L["playground"], make_sharper, solve_sharper, ask_sharper),
    "naive_float32": Kind(_L["naive"], make_naive_float32, solve_naive_float32, ask_naive_float32),
    "cross_entropy": Kind(
        _L["gradients"], make_cross_entropy, solve_cross_entropy, ask_cross_entropy
    ),
    "probability": Kind(_L["playground"], make_probability, solve_probability, ask_probability),
    "entropy_limit": Kind(
        _L["temperature"], make_entropy_limit, solve_entropy_limit, ask_entropy_limit
    ),
    "gradient_direction": Kind(
        _L["gradients"], make_gradient_direction, solve_gradient_direction, ask_gradient_direction
    ),
    "gradient_sum": Kind(_L["gradients"], make_gradient_sum, solve_gradient_sum, ask_gradient_sum),
    "top_p_count": Kind(_L["temperature"], make_top_p_count, solve_top_p_count, ask_top_p_count),
    "jacobian_row_sum": Kind(
        _L["gradients"], make_jacobian_row_sum, solve_jacobian_row_sum, ask_jacobian_row_sum
    ),
    "scaling_keeps_argmax": Kind(
        _L["calibration"],
        make_scaling_keeps_argmax,
        solve_scaling_keeps_argmax,
        ask_scaling_keeps_argmax,
    ),
    "expected_count": Kind(
        _L["temperature"], make_expected_count, solve_expected_count, ask_expected_count
    ),
}
"""Every question kind, by name. ``lesson`` is the English title (``_()`` it to show it)."""
ASK.update({name: kind.ask for name, kind in KINDS.items()})

OPTIONS = frozenset(
    (*SHIFT_OPTIONS, *SHARPER_OPTIONS, *NAIVE_OPTIONS, *DIRECTION_OPTIONS, *SCALING_OPTIONS)
)
"""Every fixed answer option: stored, compared and sent in English, shown through
:func:`option_text`."""


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
    correct = bool(solution.accepts(answer))
    hint = None if correct else solution.hint(answer) or _not_whole(question, answer)
    accepts = solution.accepts
    values = accepts.good if isinstance(accepts, Rounded) else solution.values
    return Verdict(correct, solution.answer, solution.proof, hint, values)


def _not_whole(question: Question, answer: Any) -> str | None:
    """A number with decimals where a whole one is asked for (a count of classes): said, as
    it is marked wrong (2.6 classes was right once; then wrong without a word: a review)."""
    if question.options or question.decimals:
        return None
    value = finite(answer)
    if value is None or value.is_integer():
        return None
    return _("The question asks for a whole number.")


def describe(question: Question) -> str:
    """The logits a question is about, as plain text."""
    pairs = list_separator().join(
        f"{label}\u00a0=\u00a0{shown_number(v)}"  # on a phone "bird" / "= 0.1" broke apart
        for label, v in zip(question.labels, question.logits, strict=True)
    )
    return _("z = [{logits}], i.e. {pairs}").format(logits=logit_list(question.logits), pairs=pairs)


def in_reader_language(question: Question) -> Question:
    """``question`` with an example's class names in the reader's language, in its labels and
    in its options (a French teacher's chien, chat, oiseau are a Spanish student's perro, gato,
    pájaro, as on the lesson pages they follow); names the teacher typed stay as typed. The
    options keep their order: answers are stored as the question's own options, and the
    option at the same place is how the reader sees one.

    >>> from softmax_ui.i18n import language
    >>> example = ("chien", "chat", "oiseau")
    >>> asked = Question("k", "L", "", (2.0, 1.0, 0.1), example, options=("chien", "x"))
    >>> with language("es"):
    ...     shown = in_reader_language(asked)
    >>> shown.labels, shown.options
    (('perro', 'gato', 'pájaro'), ('perro', 'x'))
    >>> own = Question("k", "L", "", (2.0, 1.0, 0.1), ("chien", "chat", "b"), options=("chien",))
    >>> with language("es"):
    ...     in_reader_language(own) == own
    True
    """
    labels = in_language(question.labels, current())
    if labels == question.labels:
        return question
    rename = dict(zip(question.labels, labels, strict=True))
    return replace(
        question, labels=labels, options=tuple(rename.get(o, o) for o in question.options)
    )


def option_text(option: str) -> str:
    """An answer option as the reader sees it: a fixed option (:data:`OPTIONS`) in the
    reader's language, anything else (a class label) exactly as it is."""
    return _(option) if option in OPTIONS else option


def in_verdict(question: Question, answer: str, shown: Callable[[str], str] | None = None) -> str:
    """An answer as a verdict's sentence names it ("You said …; the answer is …"), safe
    Markdown: one of the question's choices, a sentence of its own ("No: every probability
    stays the same"), in quotation marks; anything else (a number, "a or b (tied)") as it is.
    ``shown`` writes an option as the reader sees it (:func:`option_text` by default).

    >>> q = Question("shift", "", "", (1.0, 0.0), ("a", "b"), options=SHIFT_OPTIONS)
    >>> in_verdict(q, SHIFT_OPTIONS[0]), in_verdict(q, "0.5")  # Markdown-escaped
    ('“No\\\\: every probability stays the same”', '0\\\\.5')
    """
    choices = {(shown or option_text)(option) for option in question.options}
    return quoted(markdown_safe(answer)) if answer in choices else markdown_safe(answer)


def why_not(verdict: Verdict) -> str:
    """A wrong verdict's hint (:attr:`Verdict.hint`) as safe Markdown after its sentence: a
    space and the hint, or nothing.

    >>> why_not(Verdict(False, "0.41", (), "A probability lies between 0 and 1."))
    ' A probability lies between 0 and 1\\\\.'
    >>> why_not(Verdict(False, "0.41", ()))
    ''
    """
    return f" {markdown_safe(verdict.hint)}" if verdict.hint else ""


def lesson_title(question: Question) -> str:
    """The lesson a question comes from, in the reader's language."""
    return _(question.lesson)

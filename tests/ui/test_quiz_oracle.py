"""Every quiz kind against an oracle written apart from the app: mpmath at 700 digits (and
plain float32 NumPy for the naive formula), never softmax_core or softmax_ui.

For logits with ties, huge and tiny values, gaps of 1e-300, and the boundary values of
top-p, the question, the answer it accepts, the answer it shows and the numbers in its
proof must never disagree with each other or with the exact mathematics.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal

import mpmath as mp
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from softmax_ui import quiz
from softmax_ui.quiz import KINDS, check, new_question

# 700 digits: enough to see a gap of 5e-324 between two logits near 1e4.
mp.mp.dps = 700
LABELS = ("ant", "bee", "cat", "dog", "eel", "fox")

# --- the oracle ---------------------------------------------------------------------------------


def exact_softmax(z, t=1.0) -> list[mp.mpf]:
    xs = [mp.mpf(float(v)) / mp.mpf(float(t)) for v in z]
    m = max(xs)
    e = [mp.exp(x - m) for x in xs]
    s = mp.fsum(e)
    return [v / s for v in e]


def exact_lse(z) -> mp.mpf:
    xs = [mp.mpf(float(v)) for v in z]
    m = max(xs)
    return m + mp.log(mp.fsum(mp.exp(x - m) for x in xs))


def exact_log_complement(z, i: int, t: float) -> mp.mpf:
    """log(1 − pᵢ) for the largest logit i, exact however tiny 1 − pᵢ is (log1p)."""
    xs = [mp.mpf(float(v)) / mp.mpf(float(t)) for v in z]
    others = [x for j, x in enumerate(xs) if j != i]
    m = max(others)
    lse_others = m + mp.log(mp.fsum(mp.exp(x - m) for x in others))
    return lse_others - xs[i] - mp.log1p(mp.fsum(mp.exp(x - xs[i]) for x in others))


def exact_entropy(z, t=1.0) -> mp.mpf:
    p = exact_softmax(z, t)
    return -mp.fsum(q * mp.log(q) for q in p if q > 0)


def argmax_set(z) -> list[int]:
    best = max(z)
    return [i for i, v in enumerate(z) if v == best]


def rounded(x: mp.mpf, decimals: int) -> str:
    text = str(Decimal(mp.nstr(x, 50)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN))
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def roundings(x: mp.mpf, decimals: int, slack: float = 1e-12) -> set[str]:
    """Every rounding within ``slack`` (relative, absolute below 1) of x: two of them on a
    rounding boundary, or within float64's error of one."""
    slack = slack * max(1, abs(x))
    return {rounded(x + d, decimals) for d in (-slack, 0, slack)}


def shown_number(text: str) -> mp.mpf:
    """A number as the app prints it: 0.25, -8.5e-18, −0.34, e^-2000 or −e^-1000."""
    text = text.strip().replace("−", "-")
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("-")
    if body.startswith("e^"):
        return sign * mp.exp(mp.mpf(body[2:]))
    return sign * mp.mpf(body)


def print_unit(text: str) -> mp.mpf:
    """The value of one unit in the last printed digit: 1e-22 for 1.454e-19."""
    return mp.mpf(10) ** Decimal(text).as_tuple().exponent


def close(shown: str, exact: mp.mpf, rel: float = 1e-12, abs_: float = 1e-12) -> bool:
    """``shown`` is ``exact`` rounded to the digits printed (half a unit in the last digit),
    give or take ``rel`` (relative) and ``abs_`` (absolute) for float64 noise."""
    text = shown.strip().replace("−", "-")
    body = text.lstrip("-")
    value = shown_number(text)
    if body.startswith("e^"):  # e^x, x printed: the value is right to a factor e^(unit / 2)
        half = print_unit(body[2:]) / 2
        allowed = abs(value) * (mp.exp(half) - 1) * 1.02
    else:
        allowed = print_unit(body) / 2 * 1.02
    return abs(value - exact) <= allowed + max(abs_, rel * abs(exact))


def naive_float32(z) -> tuple[np.ndarray, list[mp.mpf]]:
    """The textbook formula in float32, and the exact softmax of the float32-stored logits."""
    x = np.asarray(np.asarray(z, dtype=np.float64), dtype=np.float32)
    with np.errstate(all="ignore"):
        e = np.exp(x)
        out = e / np.sum(e, dtype=np.float32)
    return out.astype(np.float64), exact_softmax([float(v) for v in x])


def exact_top_p_count(z, top_p: float) -> int:
    """Smallest n whose n most probable classes reach top_p (the decimal typed), totals
    rounded to 12 decimals as the question states."""
    p = sorted(exact_softmax(z), reverse=True)
    total = mp.mpf(0)
    target = mp.mpf(repr(float(top_p)))
    for n, q in enumerate(p, 1):
        total += q
        if mp.nint(total * 10**12) / 10**12 >= target:
            return n
    return len(p)


# --- the checks, one per kind -------------------------------------------------------------------


def names_in(text: str, labels) -> set[str]:
    return {name for name in labels if re.search(rf"\b{re.escape(name)}\b", text)}


def accepted_strings(answer: str) -> set[str]:
    return {part.strip() for part in answer.split(" or ")}


def check_decimal(q, exact: mp.mpf, decimals: int = 2):
    verdict = check(q, None)
    truth = rounded(exact, decimals)
    allowed = roundings(exact, decimals)
    shown = accepted_strings(verdict.answer)
    assert truth in shown and shown <= allowed, (q.prompt, verdict.answer, mp.nstr(exact, 20))
    assert check(q, float(truth)).correct
    for step in (-1, 1):
        neighbour = f"{float(truth) + step * 10.0**-decimals:.{decimals}f}"
        if neighbour not in allowed:
            assert not check(q, float(neighbour)).correct, (q.prompt, neighbour)
    return verdict


def check_option(q, good: set[str], allowed_extra: set[str] = frozenset()):
    """Every answer in ``good`` is accepted, every option outside good|allowed_extra refused,
    and the answer shown is one of the good ones."""
    for option in q.options:
        verdict = check(q, option)
        if option in good:
            assert verdict.correct, (q.prompt, option, verdict)
        elif option not in allowed_extra:
            assert not verdict.correct, (q.prompt, option, verdict)
    verdict = check(q, None)
    assert any(verdict.answer.startswith(g) for g in good), (q.prompt, verdict.answer)
    return verdict


def oracle_check(q) -> None:
    z = list(q.logits)
    k = len(z)
    match q.kind:
        case "winner_at_T":
            best = {q.labels[i] for i in argmax_set(z)}
            verdict = check_option(q, best)
            first = verdict.proof[0]
            named = names_in(first.split(":", 1)[1], q.labels)
            assert named == best, (first, best)
        case "shift":
            check_option(q, {quiz.SHIFT_OPTIONS[0]})
        case "sigmoid_sum":
            exact = mp.fsum(1 / (1 + mp.exp(-mp.mpf(v))) for v in z)
            check_decimal(q, exact)
        case "sharper":
            top = q.get("top")
            assert top in argmax_set(z)
            if len(set(z)) == 1:
                check_option(q, {quiz.SHARPER_OPTIONS[2]})
                return
            sharp = exact_softmax(z, 0.5)[top]
            flat = exact_softmax(z, 2.0)[top]
            spread = (max(z) - min(z)) / 0.5  # digits needed to see e^-spread next to 1
            with mp.workdps(max(700, int(spread / 2.3) + 100)):
                rest_sharp = exact_log_complement(z, top, 0.5)
                rest_flat = exact_log_complement(z, top, 2.0)
            assert rest_sharp < rest_flat  # T = 0.5 leaves the others less: the mathematics
            gap = rest_flat - rest_sharp
            # "the same" may count only where float64 cannot tell the two apart at all
            extra = {quiz.SHARPER_OPTIONS[2]} if gap < 1e-12 else set()
            verdict = check_option(q, {quiz.SHARPER_OPTIONS[0]}, extra)
            line = verdict.proof[0]
            pair = re.fullmatch(r"p\(\w+\) at T = 0\.5: (\S+); at T = 2: (\S+)\.", line)
            share = re.search(r"is (\S+) at T = 0\.5 and (\S+) at T = 2\.", line)
            if pair:
                a, b = pair.groups()
                assert close(a, sharp) and close(b, flat), (line, sharp, flat)
                assert shown_number(a) >= shown_number(b), line
                if not extra:
                    assert shown_number(a) > shown_number(b), line
            elif share:
                a, b = share.groups()
                assert close(a, mp.exp(rest_sharp), abs_=0), (line, rest_sharp)
                assert close(b, mp.exp(rest_flat), abs_=0), (line, rest_flat)
                assert shown_number(a) < shown_number(b), line
            else:
                assert extra, line
        case "naive_float32":
            naive, exact = naive_float32(np.array(z) + q.get("c"))
            # right "to float32 precision": within 16 eps relatively, or 16 of float32's
            # smallest subnormals (a 0 for a true 4e-18, which float32 holds, is wrong)
            # (relatively as far as a float64 reference tells: its exponent z_i − max rounds)
            tol = 16 * float(np.finfo(np.float32).eps)
            floor = 16 * float(np.finfo(np.float32).smallest_subnormal)
            x = (np.array(z) + q.get("c")).astype(np.float32).astype(np.float64)
            spreads = 1 + np.abs(x - np.max(x))
            if not np.isfinite(naive).all():
                good = quiz.NAIVE_OPTIONS[1]
            elif all(
                abs(a - float(b)) <= max(tol * spread * abs(float(b)), floor)
                for a, b, spread in zip(naive, exact, spreads, strict=True)
            ):
                good = quiz.NAIVE_OPTIONS[0]
            elif not naive.any():
                good = quiz.NAIVE_OPTIONS[2]
            else:
                good = quiz.NAIVE_OPTIONS[3]
            verdict = check_option(q, {good})
            shown = verdict.proof[2].split(": ", 1)[1].strip("[]").split(", ")
            for s, value in zip(shown, naive, strict=True):
                if math.isfinite(value):
                    assert close(s, mp.mpf(value)), (s, value)
                else:
                    assert s in ("NaN", "inf"), s
        case "cross_entropy":
            t = q.get("target")
            verdict = check_decimal(q, exact_lse(z) - mp.mpf(z[t]))
            # the proof's sum: logsumexp(z) − z_target = loss, each number right to the
            # digits it prints, a negative logit in brackets, and the loss printed to more
            # decimals than the answer, which it must back ("20000.7" backed 20000.69)
            sum_ = re.search(r"= (\S+) − (\(\S+\)|\S+) = (\S+) nats", verdict.proof[-1])
            assert sum_, verdict.proof[-1]
            lse, zt, loss = sum_.groups()
            assert close(lse, exact_lse(z)) and close(loss, exact_lse(z) - mp.mpf(z[t]))
            assert close(zt.strip("()"), mp.mpf(z[t]))
            assert zt.startswith("(") == (z[t] < 0), zt
            assert "." in loss and len(loss.split(".")[1]) > 2, loss
            assert rounded(shown_number(loss), 2) in roundings(exact_lse(z) - mp.mpf(z[t]), 2)
        case "probability":
            check_decimal(q, exact_softmax(z, q.get("T"))[q.get("class")])
        case "entropy_limit":
            verdict = check_decimal(q, mp.log(k))
            hs = re.findall(r"T = \d+: (\S+?)[,\s]", verdict.proof[0])
            ceiling = re.search(r"= (\S+) nats: the largest", verdict.proof[1]).group(1)
            assert len(hs) == 3
            for t, h in zip((1, 10, 100), hs, strict=True):
                exact = exact_entropy(z, t)
                # right to its last printed digit ("3.757e-42": to 1e-45, not to 1e-7; it
                # was 3.72e-42, the winner's part of H lost) and no float64 spelling
                # ("0.0004994208675666009")
                mantissa, _e, power = h.partition("e")
                decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
                place = mp.mpf(10) ** (int(power or 0) - decimals)
                # (a subnormal H is right to float64's own spacing there, 4.9e-324)
                tolerance = place / 2 + abs(exact) * 1e-13 + k * 5e-324
                assert abs(shown_number(h) - exact) <= tolerance, (h, exact)
                assert len(mantissa.replace("-", "").replace(".", "").lstrip("0")) <= 8, h
                assert shown_number(h) <= shown_number(ceiling)
                if exact < mp.log(k) - mp.mpf(10) ** -(decimals + 1):
                    assert shown_number(h) < shown_number(ceiling), (h, ceiling)
        case "gradient_direction":
            t, i = q.get("target"), q.get("asked")
            up, down = quiz.DIRECTION_OPTIONS[:2]
            verdict = check_option(q, {up if i == t else down})
            line = verdict.proof[1]
            value = re.search(r"= ([^=]+?)(?: \(float64 rounds it to 0\))? [<>] 0", line).group(1)
            p = exact_softmax(z)
            exact = p[i] - 1 if i == t else p[i]
            if i == t:
                exact = -mp.fsum(p[j] for j in range(k) if j != t)
            assert close(value, exact, abs_=0), (line, mp.nstr(exact, 10))
            assert (shown_number(value) < 0) == (i == t), line
        case "gradient_sum" | "jacobian_row_sum":
            check_decimal(q, mp.mpf(0))
        case "top_p_count":
            count = exact_top_p_count(z, q.get("top_p"))
            verdict = check_decimal(q, mp.mpf(count), decimals=0)
            assert verdict.answer == str(count)
            totals = re.search(r"Running totals: \[([^\]]*)\]", verdict.proof[1]).group(1)
            totals = [float(v) for v in totals.split(", ")]
            reach = re.search(r"reaches (\S+) is number (\d+)", verdict.proof[2])
            top_p, n = float(reach.group(1)), int(reach.group(2))
            assert n == count and top_p == q.get("top_p")
            assert totals[n - 1] >= top_p and (n == 1 or totals[n - 2] < top_p), verdict.proof
        case "scaling_keeps_argmax":
            verdict = check_option(q, {quiz.SCALING_OPTIONS[0]})
            top = re.search(r"Top before and after: (.*), with the largest", verdict.proof[1])
            named = names_in(top.group(1), q.labels)
            assert named == {q.labels[i] for i in argmax_set(z)}
        case "expected_count":
            n, i = q.get("n"), q.get("class")
            expected = n * exact_softmax(z)[i]
            for whole in range(int(mp.floor(expected)) - 3, int(mp.ceil(expected)) + 4):
                # within 1 of the mean, and a count of n draws: 0 to n (1001 of 1000 was
                # right beside "any whole number from 999 to 1000": a review)
                possible = 0 <= whole <= n
                inside = abs(whole - expected) <= 1 and possible
                clearly_out = abs(whole - expected) > 1 + 1e-6 or not possible
                if inside:
                    assert check(q, whole).correct, (whole, expected)
                elif clearly_out:
                    assert not check(q, whole).correct, (whole, expected)
            answer = check(q, None).answer
            first = answer.split(" on average")[0]
            assert close(first, expected, rel=1e-9), (answer, expected)
        case _:
            raise AssertionError(f"no oracle for {q.kind}")


# --- inputs -------------------------------------------------------------------------------------

SPECIAL = [
    0.0,
    1.0,
    -1.0,
    2.0,
    0.1,
    40.0,
    1e-300,
    5e-324,
    1e4,
    -1e4,
    9999.5,
    745.5,
    88.0,
    89.0,
    math.log(5),
    math.log(3),
    math.log(2),
]
LOGIT = st.one_of(st.sampled_from(SPECIAL), st.floats(-1e4, 1e4))
LOGITS = st.lists(LOGIT, min_size=2, max_size=6)
# Probabilities on the boundary of a top-p cut (0.5, 0.8, 0.9, 0.95) and ties.
BOUNDARY = [
    tuple(math.log(v) for v in (0.5, 0.3, 0.2)),
    tuple(math.log(v) for v in (0.4, 0.4, 0.2)),
    tuple(math.log(v) for v in (0.45, 0.45, 0.1)),
    tuple(math.log(v) for v in (0.25, 0.25, 0.25, 0.25)),
    tuple(math.log(v) for v in (0.7, 0.1, 0.2)),
    tuple(math.log(v) for v in (0.9, 0.05, 0.05)),
    (1.0, 1.0, 1.0),
    (40.0, 0.0, 0.0),
    (0.0, 1e-300, 0.0),
    (1e4, -1e4),
    (1000.0, 0.0, -5.0),
    (0.0, 217.0, 217.0),  # H at T = 1 and 10 differ by 4e-9: read "0.693147181", "…185"
]


@pytest.mark.parametrize("z", BOUNDARY, ids=lambda z: ",".join(f"{v:.3g}" for v in z))
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_agrees_with_the_oracle_on_ties_and_boundaries(kind, z):
    labels = LABELS[: len(z)]
    for seed in range(6):
        oracle_check(new_question(np.random.default_rng(seed), z, labels, kind=kind))


@settings(max_examples=200, deadline=None)
@given(LOGITS, st.sampled_from(list(KINDS)), st.integers(0, 2**16))
@example([40.0, 0.0, 0.0], "gradient_direction", 12)
@example([0.0, 745.5, 0.0], "gradient_direction", 106)  # p below float64's normal range
@example([1.0, 1.0, 1.0], "top_p_count", 31)
@example([3088.425006175323, 0.0], "cross_entropy", 0)  # 6e-6 above a rounding boundary
@example([10000.0, -10000.0, 0.0, 10000.0], "cross_entropy", 1)  # "= 20000.7" for 20000.69
@example([1000.0, -1000.0, 0.0], "entropy_limit", 0)  # H at T = 10: 3.757e-42, not 3.72e-42
@example([1.0, 745.5], "entropy_limit", 0)  # H = 3.46e-321, subnormal (was 3.681e-321)
def test_every_kind_agrees_with_the_oracle(z, kind, seed):
    q = new_question(np.random.default_rng(seed), z, LABELS[: len(z)], kind=kind)
    oracle_check(q)


def test_issue_examples():
    """Issue 10, defect 4: z = 40, 0, 0 and the direction of the target's logit; z = 1, 1, 1
    and top-p 0.5, whose running totals reach 0.5 after two classes."""
    z, labels = (40.0, 0.0, 0.0), ("a", "b", "c")
    q = quiz.Question(
        "gradient_direction",
        "Gradients & cross-entropy",
        "",
        z,
        labels,
        quiz.DIRECTION_OPTIONS,
        (("target", 0), ("asked", 0)),
    )
    verdict = check(q, "Up")
    assert verdict.correct and "-8.497e-18 < 0" in verdict.proof[1]
    q = quiz.Question(
        "top_p_count",
        "Temperature & sampling",
        "",
        (1.0, 1.0, 1.0),
        labels,
        (),
        (("top_p", 0.5),),
        0,
    )
    verdict = check(q, 2)
    assert verdict.correct and verdict.answer == "2" and not check(q, 3).correct


def test_live_limit_question_shows_every_answer_it_accepts():
    """Live class, "the top class's probability as T → ∞" with 8 classes: 1/8 = 0.125 sits
    on a rounding boundary, so 0.12 and 0.13 are both right and both shown."""
    from softmax_ui import live_questions
    from softmax_ui.state import DEFAULT

    state = DEFAULT.with_classes(8)
    q = live_questions.ask("uniform_T_to_inf", state, np.random.default_rng(0))
    for typed in ("0.12", "0.13"):
        verdict = live_questions.judge(q, typed)
        assert verdict.correct and typed in accepted_strings(verdict.answer), verdict.answer
    assert not live_questions.judge(q, "0.14").correct


# --- hints: why a wrong answer cannot be right ---------------------------------------------------


def possible_range(q) -> tuple[float, float] | None:
    """What any right answer of this kind could be, from the mathematics alone (not the
    question's logits): a probability in [0, 1], a loss ≥ 0, an entropy of K classes in
    [0, ln K], … ``None``: the kind gives no range hint."""
    k = len(q.logits)
    return {
        "probability": (0.0, 1.0),
        "cross_entropy": (0.0, math.inf),
        "sigmoid_sum": (0.0, float(k)),
        "entropy_limit": (0.0, math.log(k)),
        "top_p_count": (1.0, float(k)),
        "expected_count": (0.0, float(q.get("n")) if q.kind == "expected_count" else 0.0),
    }.get(q.kind)


def as_written(value: float, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places as written (half-even on its exact binary)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


ANSWER = st.one_of(
    st.floats(-1e6, 1e6),
    st.sampled_from(
        [-1.0, -0.5, -0.006, -0.005, -0.004, 0.0, 0.004, 0.995, 1.0, 1.004, 1.005, 1.006, 1.5]
        + [math.log(k) + d for k in range(2, 7) for d in (0.004, 0.005, 0.006, 0.01)]
        + [float(k) + d for k in range(1, 7) for d in (-0.6, -0.5, 0.4, 0.5, 0.6)]
        + [100.4, 100.5, 100.6, 1000.5, 1001.0]
    ),
)


@settings(max_examples=300, deadline=None)
@given(LOGITS, st.sampled_from(list(KINDS)), st.integers(0, 2**16), ANSWER)
@example([0.0, 0.0], "cross_entropy", 0, -0.5)
@example([1.0, 2.0, 3.0], "entropy_limit", 0, math.log(3) + 0.004)  # 1.10: log 3 rounded
@example([1.0, 2.0, 3.0], "top_p_count", 0, 0.4)  # rounds to 0: no class kept
@example([1.0, 2.0, 3.0], "probability", 0, 1.005)  # 1.00499…: rounds to 1.00
# a count of n draws below 0 or above n was right (within 1 of a mean near 0 or n: a review)
@example([0.0, -40.0], "expected_count", 0, -1.0)
@example([0.0, -40.0], "expected_count", 1, 1001.0)
@example([0.0, 0.0], "expected_count", 0, -1.0)
@example([1.0, 1.0, 1.0], "top_p_count", 31, 2.4)  # keeps 2: 2.4 rounds to 2, not whole
@example([0.0, 0.0], "expected_count", 0, 500.5)  # 500 on average: within 1, not whole
def test_a_hint_says_only_what_no_right_answer_could_be(z, kind, seed, answer):
    """A wrong answer outside what the mathematics allows (a negative loss, a probability
    over 1) is told why it cannot be; an answer some right value could round to, and a
    right one, never is."""
    q = new_question(np.random.default_rng(seed), z, LABELS[: len(z)], kind=kind)
    verdict = check(q, answer)
    span = possible_range(q)
    if span is None or q.options:
        assert verdict.hint is None
        return
    low, high = (as_written(v, q.decimals) if math.isfinite(v) else Decimal(v) for v in span)
    impossible = not low <= as_written(answer, q.decimals) <= high
    if verdict.correct:  # a right answer is a possible one, and has no hint
        assert not impossible and verdict.hint is None, (answer, span, verdict)
        # a question asking for a whole number takes only one (2.6 classes was right)
        assert q.decimals or float(answer).is_integer(), (answer, verdict)
        return
    if not q.decimals and not float(answer).is_integer() and not impossible:
        assert verdict.hint == "The question asks for a whole number.", (answer, verdict)
        return
    assert (verdict.hint is not None) == impossible, (answer, span, verdict)


def test_the_hints_say_why_in_words():
    z, labels = (2.0, 1.0, 0.1), ("a", "b", "c")
    rng = np.random.default_rng(0)
    said = {
        kind: check(new_question(rng, z, labels, kind=kind), answer).hint
        for kind, answer in (
            ("cross_entropy", -0.3),
            ("probability", 1.2),
            ("sigmoid_sum", 3.5),
            ("entropy_limit", 1.2),
            ("top_p_count", 4),
            ("expected_count", -3),
        )
    }
    assert said["cross_entropy"] == (
        "Cross-entropy is never negative: p ≤ 1, so log p ≤ 0 and −log p ≥ 0."
    )
    assert said["probability"] == "A probability lies between 0 and 1."
    assert said["sigmoid_sum"] == (
        "Each sigmoid lies between 0 and 1, so 3 of them add up to between 0 and 3."
    )
    assert said["entropy_limit"] == (
        "The entropy of 3 classes lies between 0 (one class certain) and log 3 = 1.099 nats "
        "(all equally likely)."
    )
    assert said["top_p_count"] == "Top-p keeps at least 1 class and at most all 3."
    assert said["expected_count"].startswith("Of ") and "between 0 and" in said["expected_count"]

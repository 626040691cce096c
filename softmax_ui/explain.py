"""Sentences about the naive and the stable softmax, written from the core's facts.

:func:`softmax_core.diagnose_naive` records what the textbook formula did (which element,
which limit, overflow or underflow) and never writes prose; this module words those
facts for a student. ``exponent`` is the name the page gives the quantity that is
actually exponentiated (``"z/T"``, or ``"(z + c)/T"`` on the page that adds an offset c
before dividing by T), so every sentence names what was computed.

Numbers are printed with :func:`softmax_ui.text.ordered` wherever a sentence compares
them with a limit, so rounding never reverses the comparison it states.

:func:`naive_reason`, :func:`naive_summary` and :func:`dtype_note` return plain text
(escape with :func:`softmax_ui.text.markdown_safe`); :func:`stable_fix` and
:func:`log_sum_exp_trick` return Markdown with the labels already escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from softmax_core import (
    TOP_P_DECIMALS,
    Division,
    ElementFacts,
    ExpOutcome,
    NaiveDiagnosis,
    exp_limits,
    logsumexp,
    softmax,
    top_classes,
    top_k_filter,
    top_k_kept,
    top_p_order,
)
from softmax_ui.text import join_names, markdown_safe, ordered, percent, prose_number, rounded_bound


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _exp_part(e: ElementFacts, d: NaiveDiagnosis, x: str) -> str:
    lim = d.limits
    info = np.finfo(d.dtype)
    match e.exp_outcome:
        case ExpOutcome.EXPONENT_OUT_OF_RANGE:
            return (
                f"{x} = {prose_number(e.exact_exponent, 6)} does not fit in {d.dtype} (largest "
                f"{prose_number(float(info.max), 6)}), so it became {prose_number(e.exponent)} and "
                f"exp({x}) = {prose_number(e.exp)}"
            )
        case ExpOutcome.OVERFLOW:
            s, limit = ordered(e.exponent, lim.overflow, digits=6)
            return (
                f"{x} = {s} is above {limit}, the largest exponent {d.dtype} can hold, "
                "so exp overflowed to inf"
            )
        case ExpOutcome.UNDERFLOW:
            s, limit = ordered(e.exponent, lim.underflow, digits=6)
            return f"{x} = {s} is below {limit}, so exp underflowed to exactly 0"
        case ExpOutcome.SUBNORMAL:
            s, limit = ordered(e.exponent, lim.subnormal, digits=6)
            return (
                f"{x} = {s} is below {limit}, so exp({x}) = {prose_number(e.exp, 4)} is subnormal "
                "and keeps only a few significant digits"
            )
        case _:
            return f"exp({x}) = exp({prose_number(e.exponent, 6)}) = {prose_number(e.exp, 6)}"


def _division_part(e: ElementFacts, d: NaiveDiagnosis) -> str:
    cause = (
        "another term overflowed, so the sum is inf"
        if d.exp_overflow.any()
        else "the terms are finite but their sum overflowed to inf"
    )
    match e.division:
        case Division.INF_OVER_INF:
            return "inf/inf is NaN."
        case Division.ZERO_OVER_ZERO:
            return "every term underflowed, so the sum is 0 and 0/0 is NaN."
        case Division.NAN:
            return f"the sum is {prose_number(d.total)} and the result is NaN."
        case Division.SUM_INF_WRONG:
            return (
                f"{cause}, and {prose_number(e.exp, 6)}/inf = 0 although the true probability is "
                f"{prose_number(e.stable, 4)}."
            )
        case Division.SUM_INF_MATCHES:
            return (
                f"{cause}, and {prose_number(e.exp, 6)}/inf = 0, which matches the true "
                f"{prose_number(e.stable, 4)}."
            )
        case Division.WRONG:
            return (
                f"the probability came out as {prose_number(e.naive, 4)} instead of "
                f"{prose_number(e.stable, 4)}."
            )
        case Division.NEGLIGIBLE:
            return (
                f"the probability came out as 0; the true {prose_number(e.stable, 3)} is too small "
                "to matter."
            )
        case _:
            return f"the probability {prose_number(e.naive, 4)} matches the stable softmax."


def naive_reason(e: ElementFacts, d: NaiveDiagnosis, exponent: str = "z/T") -> str:
    """One sentence: what the naive formula did to class ``e.index`` (plain text)."""
    x = exponent
    match e.exp_outcome:
        case ExpOutcome.NAN_LOGIT:
            return f"{x} is NaN, so exp({x}) and the probability are NaN as well."
        case ExpOutcome.MASKED if e.division is Division.ZERO_OVER_ZERO:
            return (
                f"{x} is -inf (a masked logit), so exp({x}) is 0; every logit is masked, "
                "so the sum is 0 and 0/0 is NaN."
            )
        case ExpOutcome.MASKED:
            return (
                f"{x} is -inf (a masked logit), so exp({x}) is exactly 0 and the "
                "probability is 0, as intended."
            )
        case ExpOutcome.INFINITE_LOGIT:
            return f"{x} is inf, so exp({x}) is inf and the probability is NaN."
    return f"{_exp_part(e, d, x)}; {_division_part(e, d)}"


def naive_reasons(d: NaiveDiagnosis, exponent: str = "z/T") -> list[str]:
    """:func:`naive_reason` for every class, in order."""
    return [naive_reason(e, d, exponent) for e in d.elements]


def naive_summary(d: NaiveDiagnosis, exponent: str = "z/T") -> str:
    """One or two sentences about the whole vector (plain text)."""
    x, k, lim = exponent, len(d.elements), d.limits
    n_nan = int(np.isnan(d.naive).sum())
    n_wrong = int(d.wrong_but_finite.sum())
    n_over, n_under = int(d.exp_overflow.sum()), int(d.exp_underflow.sum())
    n_sub = int(d.exp_subnormal.sum())
    if d.ok:
        text = (
            f"The naive formula works here in {d.dtype}: every exp({x}) is finite and their "
            f"sum is {prose_number(d.total, 6)}, so it agrees with the stable softmax."
        )
        if n_under:
            text += (
                f" ({_plural(n_under, 'exponential')} underflowed to 0, but the true "
                "probabilities there are negligible.)"
            )
        return text
    problems = []
    if n_over:
        above = rounded_bound(lim.overflow, up=False)
        problems.append(f"{n_over} of {k} exponentials overflowed to inf ({x} above {above})")
    if n_under:
        below = rounded_bound(lim.underflow, up=True)
        problems.append(f"{n_under} of {k} exponentials underflowed to 0 ({x} below {below})")
    if d.sum_overflowed:
        problems.append("the sum of the exponentials overflowed to inf")
    if n_sub and n_wrong:
        problems.append(f"{_plural(n_sub, 'exponential')} lost precision as subnormal numbers")
    if not d.logits_finite:
        problems.append("the logits include NaN or infinite values")
    outcome = []
    if n_nan:
        outcome.append(f"{n_nan} of {k} probabilities are NaN")
    if n_wrong:
        outcome.append(f"{n_wrong} of {k} are finite but wrong")
    head = join_names(problems) + ", so " if problems else ""
    text = f"The naive formula fails in {d.dtype}: {head}{join_names(outcome)}."
    if d.logits_finite:
        largest = prose_number(float(np.max(d.exact_scaled)), 6)
        text += (
            f" The stable softmax subtracts the largest {x} ({largest}) first, so every "
            "exponent is at most 0 and this cannot happen."
        )
    return text


def naive_winners(d: NaiveDiagnosis) -> np.ndarray:
    """Classes the naive chart may mark as the largest: none when the naive result is broken
    (an invalid value is never "the max", and a valid 0 beside a NaN is not one either),
    else every class tied for the top of the exponents actually used."""
    if not d.ok:
        return np.array([], dtype=np.int64)
    return top_classes(d.stable_exponents)


def stable_fix(labels: Sequence[str], exponents: np.ndarray, exponent: str = "z/T") -> str:
    """Why subtracting the maximum works, with these exponents (Markdown, labels escaped).

    ``exponents`` are the values actually exponentiated, in float64 from the unrounded
    inputs, so every number here is finite and true for every reachable input.
    """
    values = np.asarray(exponents, dtype=np.float64)
    m = float(values.max())
    shifted = values - m
    top = [int(i) for i in top_classes(values)]
    names = join_names([f"**{markdown_safe(labels[i])}**" for i in top])
    ones = f"from {names}" if len(top) == 1 else f"1 each from {names}"
    return (
        "Softmax does not change when the same number is subtracted from every exponent, "
        "because the factor e^−m cancels between the top and the bottom of the fraction. The "
        f"stable version subtracts m = max({exponent}) = **{prose_number(m, 6)}** first. The "
        "exponents "
        f"become [{', '.join(prose_number(v, 4) for v in shifted)}]: the largest is exactly 0, so "
        f"exp() lies in (0, 1] and cannot overflow, and the sum is at least 1 ({ones}), so "
        "it is never 0/0."
    )


def log_sum_exp_trick(labels: Sequence[str], exponents: np.ndarray, exponent: str = "z/T") -> str:
    """log p computed without p, with these exponents (Markdown, labels escaped)."""
    values = np.asarray(exponents, dtype=np.float64)
    m = float(values.max())
    # log Σ exp(x − m): at least log 1 = 0, computed with log1p, so a tiny tail keeps its
    # digits (3.7e-44, where lse − m would round to 0).
    tail = float(logsumexp(values - m))
    lse = m + tail
    first = markdown_safe(labels[int(top_classes(values)[0])])
    return (
        f"For the loss we need log p, and log of a tiny p underflows too. Instead: "
        f"log Σ exp({exponent}) = m + log Σ exp({exponent} − m) = {prose_number(m, 6)} + "
        f"{prose_number(tail, 6)} = **{prose_number(lse, 8)}**, and log pᵢ = ({exponent})ᵢ − "
        "logsumexp, e.g. "
        f"log p({first}) = m − logsumexp = **{prose_number(-tail, 6)}**, "
        "finite even when p itself is too small to store."
    )


def dtype_note(d: NaiveDiagnosis, exponent: str = "z/T") -> str:
    """What the chosen dtype does to the exponents before any formula runs (plain text)."""
    x = exponent
    if d.dtype == "float64":
        lim = exp_limits("float64")
        return (
            f"In float64 exp(x) is finite for x up to {lim.overflow!r} and above 0 for x down "
            f"to {lim.underflow!r}; every number above is computed in float64."
        )
    info = np.finfo(d.dtype)
    if not np.isfinite(d.scaled).all():
        return (
            f"In {d.dtype} the largest finite number is {prose_number(float(info.max), 6)}, and "
            f"{x} = {prose_number(float(np.max(np.abs(d.exact_scaled))), 6)} does not fit: it "
            "becomes "
            f"inf before exp() is even called. The stable chart is computed in float64 from "
            f"the unrounded {x}."
        )
    text = (
        f"In {d.dtype} every number keeps about {int(info.precision)} significant digits and "
        f"exp(x) is finite only for x up to {d.limits.overflow!r}."
    )
    pairs = [ordered(a, b, digits=6) for a, b in zip(d.scaled, d.exact_scaled, strict=True)]
    if any(a != b for a, b in pairs):
        text += (
            f" Stored in {d.dtype}, {x} is [{', '.join(a for a, _ in pairs)}] instead of "
            f"[{', '.join(b for _, b in pairs)}]; both charts start from these {d.dtype} "
            "values (the stable one then works in float64), which is why its bars can move a "
            "little when c changes."
        )
    return text


def temperature_effect(labels: Sequence[str], logits: Sequence[float], temperature: float) -> str:
    """What halving and doubling T does to the top classes (Markdown, labels escaped).

    Ties are named together, and the three probabilities are printed so that their order
    (flatter < now < sharper, exact for every logits with a gap) is never reversed by rounding.
    """
    z = np.asarray(logits, dtype=np.float64)
    t, k = float(temperature), len(z)
    top = [int(i) for i in top_classes(z)]
    n, w = len(top), top[0]
    intro = "Dividing the logits by T before the exponential scales the gaps between them. "
    if n == k:
        return intro + (
            f"Here all {k} logits are equal, so every class gets 1/{k} = "
            f"{prose_number(1 / k, 3)} at "
            "every temperature: halving or doubling T changes nothing. The order of the "
            "classes never changes with T: softmax is monotonic."
        )
    now = float(softmax(z, temperature=t)[w])
    # Exactly, a top class gains as T falls and loses as T rises; clamp away the last-bit
    # rounding that could say otherwise.
    sharp = max(float(softmax(z, temperature=t / 2)[w]), now)
    flat = min(float(softmax(z, temperature=t * 2)[w]), now)
    flat_s, now_s, sharp_s = ordered(flat, now, sharp, digits=3)
    names = join_names([f"**{markdown_safe(labels[i])}**" for i in top])
    if n == 1:
        who, gets, limit = f"the top class {names}", "gets", "towards a one-hot argmax"
    else:
        who = f"the {n} tied top classes {names}"
        gets = "get"
        limit = f"towards an even split of the tied classes, 1/{n} = {prose_number(1 / n, 3)} each"
    each = "" if n == 1 else " each"
    pronoun = "it gets" if n == 1 else "they get"
    return intro + (
        f"At T = {prose_number(t)} {who} {gets} {now_s}{each}. Halve T to {prose_number(t / 2)} "
        f"and {pronoun} "
        f"{sharp_s}{each} (sharper, {limit}); double T to {prose_number(t * 2)} and {pronoun} "
        f"{flat_s}{each} (flatter, towards 1/{k} = {prose_number(1 / k, 3)} each). The order of "
        "the "
        "classes never changes: softmax is monotonic, so the argmax is the same at every "
        "temperature."
    )


# --- temperature and sampling ------------------------------------------------------------------


def entropy_sweep_alt(first: float, last: float, n_classes: int, *, all_tied: bool) -> str:
    """Alt text of the entropy-over-T chart (plain text): rises, and stays below log K."""
    ceiling = float(np.log(n_classes))
    if all_tied:
        return (
            f"Line chart: every logit is equal, so the entropy stays at its ceiling "
            f"log {n_classes} = {ceiling:.3f} nats at every T."
        )
    # Exactly, H rises with T and stays below log K; clamp away last-bit rounding.
    last = min(float(last), ceiling)
    first = min(float(first), last)
    a, b, c = ordered(first, last, ceiling, digits=3, fixed=True, tolerance=1e-12)
    return (
        f"Line chart: entropy rises from {a} nats at T = 0.05 to {b} at T = 20, below the "
        f"ceiling log {n_classes} = {c}."
    )


def temperature_limits(
    labels: Sequence[str],
    logits: Sequence[float],
    temperatures: np.ndarray,
    sweep: np.ndarray,
    sweep_entropy: np.ndarray,
    temperature: float,
    current_entropy: float,
) -> str:
    """The T → 0 and T → ∞ paragraphs of the sweep (Markdown, labels escaped).

    ``sweep[i]`` is softmax(z / temperatures[i]) and ``sweep_entropy[i]`` its entropy; the
    first and last temperatures are the ends of the sweep.
    """
    z = np.asarray(logits, dtype=np.float64)
    k = len(z)
    log_k = float(np.log(k))
    t_low, t_high = float(temperatures[0]), float(temperatures[-1])
    cold, hot = np.asarray(sweep[0]), np.asarray(sweep[-1])
    h_cold = min(float(sweep_entropy[0]), log_k)
    h_hot = min(float(sweep_entropy[-1]), log_k)
    h_now = min(float(current_entropy), log_k)
    top = [int(i) for i in top_classes(z)]
    n = len(top)
    # Entropies are right to ~1e-16 absolute (not relative: p rounds to 1), so fixed places.
    h_cold_s, h_hot_s, h_now_s, ceiling_s = ordered(
        h_cold, h_hot, h_now, log_k, digits=3, fixed=True, tolerance=1e-12
    )
    if n == k:
        return (
            f"**Every T.** All {k} logits are equal, so every class gets 1/{k} = "
            f"{prose_number(1 / k, 3)} at every temperature and the entropy stays at its ceiling "
            f"log {k} = {log_k:.3f} nats: a tie stays a tie, and dividing equal logits by "
            "any T leaves them equal."
        )
    if n == 1:
        w = top[0]
        cold_text = (
            f"**{markdown_safe(labels[w])}** (the largest logit) takes "
            f"{prose_number(cold[w], 6)} and the entropy "
            f"is {h_cold_s} nats: softmax becomes **argmax**, a one-hot vector, because "
            "dividing by a tiny T blows every gap between logits up."
        )
    else:
        names = join_names([f"**{markdown_safe(labels[i])}**" for i in top])
        cold_text = (
            f"the {n} tied classes {names} share it, {prose_number(cold[top[0]], 4)} each, and the "
            f"entropy tends to log {n} = {float(np.log(n)):.3f}: a tie stays a tie at "
            "every temperature, so the limit is an even split of the argmax set."
        )
    lo, uniform, hi = ordered(float(hot.min()), 1 / k, float(hot.max()), digits=3)
    return (
        f"**T → 0.** At T = {prose_number(t_low)} {cold_text}\n\n"
        f"**T → ∞.** At T = {prose_number(t_high)} the probabilities are {lo} to {hi} (uniform "
        "would "
        f"be 1/{k} = {uniform} each) and the entropy is {h_hot_s} nats, "
        f"{percent(h_hot / log_k)} of its ceiling log {k} = {ceiling_s}: as T grows every "
        "z/T shrinks towards 0, so the distribution tends to **uniform**.\n\n"
        f"**Now** (T = {prose_number(temperature)}): entropy {h_now_s} nats, "
        f"{percent(h_now / log_k)} of the way from certain to uniform. Temperature never "
        "changes the order of the classes, only how unevenly the probability is shared."
    )


def sampling_gap(labels: Sequence[str], p: np.ndarray, counts: np.ndarray) -> str:
    """Which class's frequency is furthest from its probability (Markdown, labels escaped).

    Gaps that differ by less than 1e-12 (float rounding) are a tie and named together; with
    two classes the two gaps are always equal.
    """
    p = np.asarray(p, dtype=np.float64)
    counts = np.asarray(counts, dtype=np.int64)
    n = int(counts.sum())
    freq = counts / n
    gaps = np.abs(freq - p)
    widest = float(gaps.max())
    law = (
        "Chance alone moves a frequency by about √(p(1 − p)/N) = {spread} here, so the gap "
        "shrinks like 1/√N: multiply N by 100 and the diamonds land 10 times closer to the bars."
    )
    if widest == 0:
        return (
            f"In {n:,} draws every class came up exactly as often as its probability says. "
            + law.format(spread=prose_number(float(np.sqrt(p.max() * (1 - p.max()) / n)), 3))
        )
    far = [int(i) for i in np.flatnonzero(gaps >= widest - 1e-12)]
    pairs = []
    for i in far:
        observed, expected = ordered(float(freq[i]), float(p[i]), digits=4)
        pairs.append((i, observed, expected))
    if len(far) == 1:
        i, observed, expected = pairs[0]
        head = (
            f"In {n:,} draws **{markdown_safe(labels[i])}** is furthest from its probability: "
            "observed "
            f"{observed} vs expected {expected}."
        )
    else:
        names = join_names([f"**{markdown_safe(labels[i])}**" for i in far])
        detail = "; ".join(f"{markdown_safe(labels[i])} {o} vs {e}" for i, o, e in pairs)
        head = (
            f"In {n:,} draws {names} are equally far from their probabilities (observed vs "
            f"expected: {detail})."
        )
    w = far[0]
    return head + " " + law.format(spread=prose_number(float(np.sqrt(p[w] * (1 - p[w]) / n)), 3))


def filters_explained(
    labels: Sequence[str],
    logits: Sequence[float],
    p: np.ndarray,
    k: int,
    top_p: float,
    *,
    requested_k: int,
) -> str:
    """What top-k and top-p keep, with the tie rules stated (Markdown, labels escaped).

    ``p`` is softmax(z / T) of ``logits``; the logits rank the classes (exact ties only).
    """
    p = np.asarray(p, dtype=np.float64)
    z = np.asarray(logits, dtype=np.float64)
    n_classes = len(p)

    def names(indices) -> str:
        return join_names([f"**{markdown_safe(labels[int(i)])}**" for i in indices])

    kept_k = top_k_kept(p, k, scores=z)
    after_k = top_k_filter(p, k, scores=z)
    note = (
        f" (the link asks for k = {requested_k}, more than the {n_classes} classes: all are kept)"
        if requested_k > n_classes
        else ""
    )
    ties = (
        f" {len(kept_k) - k} more {'class is' if len(kept_k) - k == 1 else 'classes are'} "
        "tied with the k-th and kept too, as Hugging Face's TopKLogitsWarper does."
        if len(kept_k) > k
        else ""
    )
    never = [int(i) for i in kept_k if p[i] == 0]
    zero_note = (
        f" ({names(never)} {'has' if len(never) == 1 else 'have'} probability 0 as computed, "
        "so kept or not, never drawn.)"
        if never
        else ""
    )
    order, running, kept_p = top_p_order(p, top_p, scores=z)
    if top_p == 1:
        nucleus = (
            f"**Top-p** with p = 1 keeps every class that has any probability: {kept_p} "
            f"class{'es' if kept_p != 1 else ''} ({names(order[:kept_p])})."
        )
    else:
        *running_s, top_p_s = ordered(*(float(r) for r in running), float(top_p), digits=3)
        totals = ", ".join(
            f"{markdown_safe(labels[int(i)])} {r}" for i, r in zip(order, running_s, strict=True)
        )
        nucleus = (
            "**Top-p** sorts the classes by probability (by logit, tied ones in class "
            f"order) and keeps adding them until the running total reaches p = {top_p_s}. "
            f"The running totals are {totals}, so it keeps {kept_p} "
            f"class{'es' if kept_p != 1 else ''}: {names(order[:kept_p])}."
        )
    return (
        f"**Top-k** keeps the {k} most likely classes{note}: {names(kept_k)}.{ties}{zero_note} "
        f"They held {prose_number(float(p[kept_k].sum()), 4)} of the probability; dividing by that "
        f"total makes them sum to 1 again ({prose_number(float(after_k.sum()), 6)}).\n\n"
        f"{nucleus} This is the rule of Hugging Face transformers' "
        "TopPLogitsWarper: the fewest classes whose total reaches p. Where tied classes "
        "straddle the cut it keeps the same number, but which of them depends on its sort. "
        f"Totals are compared after rounding to {TOP_P_DECIMALS} decimals, so float rounding "
        "(0.1 + 0.7 = 0.7999999999999999) does not decide. Unlike top-k it adapts: a "
        "confident model keeps few words, an unsure one keeps many.\n\n"
        "Generators apply temperature first, then top-k or top-p, then sample from what is "
        "left. The draw above samples from the unfiltered softmax(z/T)."
    )

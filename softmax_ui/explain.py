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
    top_k_kept,
    top_p_order,
)
from softmax_ui.figures import localized
from softmax_ui.i18n import _, ngettext, pgettext
from softmax_ui.state import T_MAX, T_MIN
from softmax_ui.text import (
    fixed,
    join_names,
    list_separator,
    markdown_safe,
    near_one,
    ordered,
    percent,
    prose_number,
    stored_number,
    top_probability,
)


def _exp_part(e: ElementFacts, d: NaiveDiagnosis, x: str) -> str:
    lim = d.limits
    info = np.finfo(d.dtype)
    match e.exp_outcome:
        case ExpOutcome.EXPONENT_OUT_OF_RANGE:
            return _(
                "{x} = {value} does not fit in {dtype} (largest {largest}), so it became "
                "{stored} and exp({x}) = {exp}"
            ).format(
                x=x,
                value=prose_number(e.exact_exponent, 6),
                dtype=d.dtype,
                largest=prose_number(float(info.max), 6),
                stored=prose_number(e.exponent),
                exp=prose_number(e.exp),
            )
        case ExpOutcome.OVERFLOW:
            s, limit = ordered(e.exponent, lim.overflow, digits=6)
            return _(
                "{x} = {value} is above {limit}, the largest exponent {dtype} can hold, "
                "so exp overflowed to inf"
            ).format(x=x, value=s, limit=limit, dtype=d.dtype)
        case ExpOutcome.UNDERFLOW:
            s, limit = ordered(e.exponent, lim.underflow, digits=6)
            return _("{x} = {value} is below {limit}, so exp underflowed to exactly 0").format(
                x=x, value=s, limit=limit
            )
        case ExpOutcome.SUBNORMAL:
            s, limit = ordered(e.exponent, lim.subnormal, digits=6)
            return _(
                "{x} = {value} is below {limit}, so exp({x}) = {exp} is subnormal "
                "and keeps only a few significant digits"
            ).format(x=x, value=s, limit=limit, exp=prose_number(e.exp, 4))
        case _:
            return f"exp({x}) = exp({prose_number(e.exponent, 6)}) = {prose_number(e.exp, 6)}"


def _true_p(e: ElementFacts, d: NaiveDiagnosis, digits: int = 4) -> str:
    """The stable probability of class ``e.index``, said to be of the stored logits when the
    dtype rounded them: float16 keeps 9.6 as 9.6015625, and the stable 0.0987 then differs
    from the 0.0986 that the typed logits give (a student checking by hand found it).

    >>> from softmax_core import diagnose_naive
    >>> d = diagnose_naive([11.5, 10.5, 9.6], dtype="float16")
    >>> _true_p(d.elements[2], d)
    '0.0987 (of the logits as float16 stores them)'
    >>> d = diagnose_naive([89.0, 88.0, 87.1], dtype="float32")  # 87.1 is rounded, unseen
    >>> _true_p(d.elements[1], d)
    '0.2424'
    """
    p = prose_number(e.stable, digits)
    if not np.isfinite(d.exact_scaled).all():
        return p
    typed = prose_number(float(softmax(d.exact_scaled)[e.index]), digits)
    if typed == p:  # the rounding of the logits does not show in these digits
        return p
    return _("{p} (of the logits as {dtype} stores them)").format(p=p, dtype=d.dtype)


def _tiny_p(e: ElementFacts, d: NaiveDiagnosis) -> str:
    """The true probability of a class the naive formula rightly gave 0: the stable one, or,
    when even float64 rounds it to 0, said so (it read "matches the true 0" beside a true
    e^-2000000: a tour).

    >>> from softmax_core import diagnose_naive
    >>> d = diagnose_naive([10000.0, -10000.0, 0.0], temperature=0.01)
    >>> _tiny_p(d.elements[1], d)
    'too small for even float64 to hold'
    """
    if e.stable > 0:
        return _true_p(e, d, 3)
    return _("too small for even float64 to hold")


def _division_part(e: ElementFacts, d: NaiveDiagnosis) -> str:
    overflowed = bool(d.exp_overflow.any())
    match e.division:
        case Division.INF_OVER_INF:
            return _("inf/inf is NaN.")
        case Division.ZERO_OVER_ZERO:
            return _("every term underflowed, so the sum is 0 and 0/0 is NaN.")
        case Division.NAN:
            return _("the sum is {total} and the result is NaN.").format(
                total=prose_number(d.total)
            )
        case Division.SUM_INF_WRONG:
            text = (
                _(
                    "another term overflowed, so the sum is inf, and {exp}/inf = 0 although "
                    "the true probability is {p}."
                )
                if overflowed
                else _(
                    "the terms are finite but their sum overflowed to inf, and {exp}/inf = 0 "
                    "although the true probability is {p}."
                )
            )
            return text.format(exp=prose_number(e.exp, 6), p=_true_p(e, d))
        case Division.SUM_INF_MATCHES:
            text = (
                _(
                    "another term overflowed, so the sum is inf, and {exp}/inf = 0, right to "
                    "{dtype}'s precision: the true probability is {p}."
                )
                if overflowed
                else _(
                    "the terms are finite but their sum overflowed to inf, and {exp}/inf = 0, "
                    "right to {dtype}'s precision: the true probability is {p}."
                )
            )
            return text.format(exp=prose_number(e.exp, 6), dtype=d.dtype, p=_tiny_p(e, d))
        case Division.WRONG:
            return _("the probability came out as {naive} instead of {p}.").format(
                naive=prose_number(e.naive, 4), p=_true_p(e, d)
            )
        case Division.NEGLIGIBLE:
            return _(
                "the probability came out as 0, right to {dtype}'s precision: the true "
                "probability is {p}."
            ).format(dtype=d.dtype, p=_tiny_p(e, d))
        case _:
            return _("the probability {p} matches the stable softmax.").format(
                p=prose_number(e.naive, 4)
            )


def naive_reason(e: ElementFacts, d: NaiveDiagnosis, exponent: str = "z/T") -> str:
    """One sentence: what the naive formula did to class ``e.index`` (plain text)."""
    x = exponent
    match e.exp_outcome:
        case ExpOutcome.NAN_LOGIT:
            return _("{x} is NaN, so exp({x}) and the probability are NaN as well.").format(x=x)
        case ExpOutcome.MASKED if e.division is Division.ZERO_OVER_ZERO:
            return _(
                "{x} is -inf (a masked logit), so exp({x}) is 0; every logit is masked, "
                "so the sum is 0 and 0/0 is NaN."
            ).format(x=x)
        case ExpOutcome.MASKED:
            return _(
                "{x} is -inf (a masked logit), so exp({x}) is exactly 0 and the "
                "probability is 0, as intended."
            ).format(x=x)
        case ExpOutcome.INFINITE_LOGIT:
            return _("{x} is inf, so exp({x}) is inf and the probability is NaN.").format(x=x)
    return _("{exponential}; {division}").format(
        exponential=_exp_part(e, d, x), division=_division_part(e, d)
    )


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
        text = _(
            "The naive formula works here in {dtype}: every exp({x}) is finite and their "
            "sum is {total}, so it agrees with the stable softmax."
        ).format(dtype=d.dtype, x=x, total=prose_number(d.total, 6))
        if n_under:
            text += " " + ngettext(
                "({n} exponential underflowed to 0, but the true probability there is 0 to "
                "{dtype}'s precision.)",
                "({n} exponentials underflowed to 0, but the true probabilities there are 0 to "
                "{dtype}'s precision.)",
                n_under,
            ).format(n=n_under, dtype=d.dtype)
        return text
    problems = []
    if n_over:
        # The exact limit, as the explanation under the charts writes it (rounded down to
        # two places, the true "above 11.08" stood next to the table's "x > 11.09").
        above = stored_number(lim.overflow, lim.dtype)
        problems.append(
            ngettext(
                "{n} of {k} exponentials overflowed to inf ({x} above {bound})",
                "{n} of {k} exponentials overflowed to inf ({x} above {bound})",
                n_over,
            ).format(n=n_over, k=k, x=x, bound=above)
        )
    if n_under:
        below = stored_number(lim.underflow, lim.dtype)
        problems.append(
            ngettext(
                "{n} of {k} exponentials underflowed to 0 ({x} below {bound})",
                "{n} of {k} exponentials underflowed to 0 ({x} below {bound})",
                n_under,
            ).format(n=n_under, k=k, x=x, bound=below)
        )
    if d.sum_overflowed:
        problems.append(_("the sum of the exponentials overflowed to inf"))
    if n_sub and n_wrong:
        problems.append(
            ngettext(
                "{n} exponential lost precision as subnormal numbers",
                "{n} exponentials lost precision as subnormal numbers",
                n_sub,
            ).format(n=n_sub)
        )
    if not d.logits_finite:
        problems.append(_("the logits include NaN or infinite values"))
    outcome = []
    if n_nan:
        outcome.append(
            ngettext(
                "{n} of {k} probabilities is NaN", "{n} of {k} probabilities are NaN", n_nan
            ).format(n=n_nan, k=k)
        )
    if n_wrong:
        outcome.append(
            ngettext(
                "{n} of {k} is finite but wrong", "{n} of {k} are finite but wrong", n_wrong
            ).format(n=n_wrong, k=k)
        )
    if problems:
        text = _("The naive formula fails in {dtype}: {problems}, so {outcome}.").format(
            dtype=d.dtype, problems=join_names(problems), outcome=join_names(outcome)
        )
    else:
        text = _("The naive formula fails in {dtype}: {outcome}.").format(
            dtype=d.dtype, outcome=join_names(outcome)
        )
    if d.logits_finite:
        largest = prose_number(float(np.max(d.exact_scaled)), 6)
        # what the shift mends, for what failed here: an underflow to 0/0 was answered with
        # "every exponent is at most 0", the overflow's reason (a Spanish student's tour)
        mends = []
        if n_over or d.sum_overflowed:
            mends.append(_("every exponent is at most 0, so none overflows"))
        if n_under or n_sub:
            mends.append(
                _("the largest exponent is exactly 0, so the sum is at least 1, never 0/0")
            )
        if mends:
            text += " " + _(
                "The stable softmax subtracts the largest {x} ({largest}) first: {mends}."
            ).format(x=x, largest=largest, mends=join_names(mends))
        else:
            text += " " + _(
                "The stable softmax subtracts the largest {x} ({largest}) first, so every "
                "exponent is at most 0 and this cannot happen."
            ).format(x=x, largest=largest)
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
    ones = (
        _("from {names}").format(names=names)
        if len(top) == 1
        else _("1 each from {names}").format(names=names)
    )
    return _(
        "Softmax does not change when the same number is subtracted from every exponent, "
        "because the factor e^−m cancels between the top and the bottom of the fraction. The "
        "stable version subtracts m = max({exponent}) = **{m}** first. The exponents "
        "become [{shifted}]: the largest is exactly 0, so exp() lies in (0, 1] and cannot "
        "overflow, and the sum is at least 1 ({ones}), so it is never 0/0."
    ).format(
        exponent=exponent,
        m=prose_number(m, 6),
        shifted=list_separator().join(prose_number(v, 4) for v in shifted),
        ones=ones,
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
    return _(
        "For the loss we need log p, and log of a tiny p underflows too. Instead: "
        "log Σ exp({exponent}) = m + log Σ exp({exponent} − m) = {m} + {tail} = **{lse}**, "
        "and log pᵢ = ({exponent})ᵢ − logsumexp, e.g. log p({first}) = m − logsumexp = "
        "**{log_p}**, finite even when p itself is too small to store."
    ).format(
        exponent=exponent,
        m=prose_number(m, 6),
        tail=prose_number(tail, 6),
        lse=prose_number(lse, 8),
        first=first,
        log_p=prose_number(-tail, 6),
    )


def dtype_note(d: NaiveDiagnosis, exponent: str = "z/T") -> str:
    """What the chosen dtype does to the exponents before any formula runs (plain text)."""
    x = exponent
    if d.dtype == "float64":
        lim = exp_limits("float64")
        return _(
            "In float64 exp(x) is finite for x up to {overflow} and above 0 for x down "
            "to {underflow}; every number above is computed in float64."
        ).format(
            overflow=stored_number(lim.overflow, lim.dtype),
            underflow=stored_number(lim.underflow, lim.dtype),
        )
    info = np.finfo(d.dtype)
    if not np.isfinite(d.scaled).all():
        return _(
            "In {dtype} the largest finite number is {largest}, and {x} = {value} does not "
            "fit: it becomes inf before exp() is even called. The stable chart is computed "
            "in float64 from the unrounded {x}."
        ).format(
            dtype=d.dtype,
            largest=prose_number(float(info.max), 6),
            x=x,
            value=prose_number(float(np.max(np.abs(d.exact_scaled))), 6),
        )
    text = _(
        "In {dtype} every number keeps about {digits} significant digits and "
        "exp(x) is finite only for x up to {overflow}."
    ).format(
        dtype=d.dtype,
        digits=int(info.precision),
        overflow=stored_number(d.limits.overflow, d.dtype),
    )
    pairs = [ordered(a, b, digits=6) for a, b in zip(d.scaled, d.exact_scaled, strict=True)]
    if any(a != b for a, b in pairs):
        text += " " + _(
            "Stored in {dtype}, {x} is [{stored}] instead of [{exact}]; both charts start "
            "from these {dtype} values (the stable one then works in float64), which is why "
            "its bars can move a little when c changes."
        ).format(
            dtype=d.dtype,
            x=x,
            stored=list_separator().join(a for a, _b in pairs),
            exact=list_separator().join(b for _a, b in pairs),
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
    intro = _("Dividing the logits by T before the exponential scales the gaps between them.")
    if n == k:
        equal = (
            _(
                "Here both logits are equal, so each class gets 1/2 = {share} at every "
                "temperature: halving or doubling T changes nothing. The order of the classes "
                "never changes with T: softmax is monotonic."
            )
            if k == 2  # not "all 2 logits" (a tour)
            else _(
                "Here all {k} logits are equal, so every class gets 1/{k} = {share} at "
                "every temperature: halving or doubling T changes nothing. The order of the "
                "classes never changes with T: softmax is monotonic."
            )
        )
        return intro + " " + equal.format(k=k, share=prose_number(1 / k, 3))
    p_now = softmax(z, temperature=t)
    now = float(p_now[w])
    # Halving or doubling T is only suggested where the reader can go: T stays in
    # [T_MIN, T_MAX] (at the ends the sentence says why that step is missing).
    can_halve, can_double = t / 2 >= T_MIN, t * 2 <= T_MAX
    # Exactly, a top class gains as T falls and loses as T rises; clamp away the last-bit
    # rounding that could say otherwise.
    p_sharp, p_flat = softmax(z, temperature=t / 2), softmax(z, temperature=t * 2)
    sharp = max(float(p_sharp[w]), now)
    flat = min(float(p_flat[w]), now)
    flat_s, now_s, sharp_s = (
        # below 1 never reads "1", nor a 1 that float64 rounded (1 − 3.7e-44: a tour)
        top_probability(dist, w) if text == "1" else text
        for text, dist in zip(
            ordered(flat, now, sharp, digits=3), (p_flat, p_now, p_sharp), strict=True
        )
    )
    names = join_names([f"**{markdown_safe(labels[i])}**" for i in top])
    values = {
        "t": prose_number(t),
        "names": names,
        "now": now_s,
        "half": prose_number(t / 2),
        "sharp": sharp_s,
        "double": prose_number(t * 2),
        "flat": flat_s,
        "k": k,
        "uniform": prose_number(1 / k, 3),
        "n": n,
        "tied_share": prose_number(1 / n, 3),
        "t_min": prose_number(T_MIN),
        "t_max": prose_number(T_MAX),
    }
    no_halving = _("T cannot be halved here: {t_min} is the lowest T.")
    no_doubling = _("T cannot be doubled here: {t_max} is the highest T.")
    if n == 1:
        sentences = [
            _("At T = {t} the top class, {names}, gets {now}."),
            _("Halve T to {half} and it gets {sharp} (sharper, towards a one-hot argmax).")
            if can_halve
            else no_halving,
            _("Double T to {double} and it gets {flat} (flatter, towards 1/{k} = {uniform} each).")
            if can_double
            else no_doubling,
        ]
    else:
        sentences = [
            _("At T = {t} the {n} tied top classes, {names}, get {now} each."),
            _(
                "Halve T to {half} and they get {sharp} each (sharper, towards an even split "
                "of the tied classes, 1/{n} = {tied_share} each)."
            )
            if can_halve
            else no_halving,
            _(
                "Double T to {double} and they get {flat} each (flatter, towards 1/{k} = "
                "{uniform} each)."
            )
            if can_double
            else no_doubling,
        ]
    sentences.append(
        _(
            "The order of the classes never changes: softmax is monotonic, so the argmax is "
            "the same at every temperature."
        )
    )
    return " ".join([intro, *(sentence.format(**values) for sentence in sentences)])


# --- temperature and sampling ------------------------------------------------------------------


def entropy_sweep_alt(
    temperatures: np.ndarray, entropies: np.ndarray, n_classes: int, *, all_tied: bool
) -> str:
    """Alt text of the entropy-over-T chart (plain text): from the sweep's first temperature
    to its last (0.05 to 20, stretched to a T typed outside that range), the entropy rises,
    or stays where it is as computed (tied top classes: ln 2 at every T of the sweep), and
    stays below log K.

    >>> entropy_sweep_alt(np.array([0.01, 20.0]), np.array([0.0, 1.0979]), 3, all_tied=False)
    ... # doctest: +NORMALIZE_WHITESPACE
    'Line chart: entropy rises from 0.000 nats at T = 0.01 to 1.098 at T = 20,
     below the ceiling log 3 = 1.099.'
    >>> ln2 = float(np.log(2))
    >>> entropy_sweep_alt(np.array([0.05, 100.0]), np.array([ln2, ln2]), 3, all_tied=False)
    ... # doctest: +NORMALIZE_WHITESPACE
    'Line chart: entropy stays at 0.693 nats from T = 0.05 to T = 100,
     below the ceiling log 3 = 1.099.'
    """
    ceiling = float(np.log(n_classes))
    if all_tied:
        return _(
            "Line chart: every logit is equal, so the entropy stays at its ceiling "
            "log {k} = {ceiling} nats at every T."
        ).format(k=n_classes, ceiling=fixed(ceiling, 3))
    low, high = prose_number(float(temperatures[0])), prose_number(float(temperatures[-1]))
    # Exactly, H rises with T and stays below log K; clamp away last-bit rounding.
    last = min(float(entropies[-1]), ceiling)
    first = min(float(entropies[0]), last)
    a, b, c = ordered(first, last, ceiling, digits=3, fixed=True, tolerance=1e-12)
    if first == last:  # tied top classes: ln 2 (say) at every T, as computed
        return _(
            "Line chart: entropy stays at {value} nats from T = {low} to T = {high}, below "
            "the ceiling log {k} = {ceiling}."
        ).format(value=a, low=low, high=high, k=n_classes, ceiling=c)
    return _(
        "Line chart: entropy rises from {first} nats at T = {low} to {last} at T = {high}, "
        "below the ceiling log {k} = {ceiling}."
    ).format(first=a, low=low, last=b, high=high, k=n_classes, ceiling=c)


NATS_NOISE = 1e-7
"""Entropies closer than this (relative) may be printed equal (:func:`nats`)."""


def nats(*entropies: float) -> tuple[str, ...]:
    """Entropies for prose, each printed in the order the numbers are in: to 3 places
    (``1.098``, ``1.099``: the last digit tells a near-uniform H from its ceiling log K), and
    below 0.0005 to 4 significant digits, as softmax_entropy knows them even where p rounds
    to 1. In fixed places alone, 9.837e-21 read 0.000, and told apart from an exact 0 it
    took every digit of every number ("log 3 = 1.0986122886681098").

    >>> nats(0.0, 9.836624224615976e-21, 1.0979, 1.0986122886681098)
    ('0', '9.837e-21', '1.098', '1.099')
    """
    small = [i for i, h in enumerate(entropies) if h < 5e-4]
    large = [i for i, h in enumerate(entropies) if h >= 5e-4]
    # the same entropy reached two ways (the sweep's T = 20 and the current T = 20) differs
    # in its last bits: that is no difference to print; nor is one below 1e-7 relative, for
    # which every number was printed to 11 places (z = 0, 1e-300, -1202: the cold and the
    # hot end's entropies both log 2 to 2e-11, found by hypothesis)
    tiny = ordered(*(entropies[i] for i in small), digits=4, tolerance=NATS_NOISE)
    shown = dict(zip(small, tiny, strict=True))
    shown |= dict(
        zip(
            large,
            ordered(*(entropies[i] for i in large), digits=3, fixed=True, tolerance=NATS_NOISE),
            strict=True,
        )
    )
    return tuple(shown[i] for i in range(len(entropies)))


def share_of_ceiling(
    entropy: float, log_k: float, *, equal: bool = False, noun: bool = False
) -> str:
    """How far the entropy has come from 0 (certain) to its ceiling log K, as a percentage
    the reader can trust: 100 % only for ``equal`` logits (uniform exactly), and "more than
    99.9999 %" above that. Beyond six digits H / log K is float64's rounding: equal logits
    read "99.99999999999997 %", and z = 0, 1e-300, 0 (uniform to 600 places, not exactly)
    read "100 %" or "99.99999999999997 %" depending on how H was summed.

    >>> share_of_ceiling(1.0986122886681096, float(np.log(3)), equal=True)
    '100%'
    >>> share_of_ceiling(1.0986122886681096, float(np.log(3))), share_of_ceiling(0.5, 1.0)
    ('more than 99.9999%', '50%')

    ``noun``: a percentage where a sentence needs a noun, which Spanish writes with its
    article ("está en el 77 %", "está en más del 99,9999 %": "llega a 77 %" read wrong, a
    tour).

    >>> from softmax_ui.i18n import language
    >>> with language("es"):
    ...     share_of_ceiling(0.5, 1.0, noun=True), share_of_ceiling(1.0, 1.0, noun=True)
    ('el 50\xa0%', 'más del 99,9999\xa0%')
    """
    if equal:
        share = 1.0
    else:
        share = min(max(entropy / log_k, 0.0), 1.0)
        if share > 1 - 1e-6:
            return _("more than {percent}").format(percent=percent(1 - 1e-6))
    if noun:
        # (its context tells the translator: Spanish writes "el {percent}"; the catalogues
        # are extracted without code comments)
        return pgettext("a percentage as a noun", "{percent}").format(percent=percent(share))
    return percent(share)


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
    if n == 1:
        h_cold_s, h_hot_s, h_now_s, ceiling_s = nats(h_cold, h_hot, h_now, log_k)
    else:  # the cold end's entropy is not printed (its limit log n is): not ordered with them
        # (ordered with log 2, 7e-8 below the hot end's, it took every number to 8 places:
        # "log 3 = 1.09861229", found by hypothesis)
        h_hot_s, h_now_s, ceiling_s = nats(h_hot, h_now, log_k)
    if n == k:
        equal = (
            _(
                "**Every T.** Both logits are equal, so each class gets 1/2 = {share} at "
                "every temperature and the entropy stays at its ceiling log 2 = {ceiling} "
                "nats: a tie stays a tie, and dividing equal logits by any T leaves them equal."
            )
            if k == 2  # not "all 2 logits" (a tour)
            else _(
                "**Every T.** All {k} logits are equal, so every class gets 1/{k} = {share} at "
                "every temperature and the entropy stays at its ceiling log {k} = {ceiling} "
                "nats: a tie stays a tie, and dividing equal logits by any T leaves them equal."
            )
        )
        return equal.format(k=k, share=prose_number(1 / k, 3), ceiling=fixed(log_k, 3))
    if n == 1:
        w = top[0]
        cold_text = _(
            "At T = {t} **{name}** (the largest logit) takes {p} and the entropy is "
            "{entropy} nats: softmax becomes **argmax**, a one-hot vector, because dividing "
            "by a tiny T blows every gap between logits up."
        ).format(
            t=prose_number(t_low),
            name=markdown_safe(labels[w]),
            p=near_one(cold[w], float(np.sum(np.delete(cold, w)))),
            entropy=h_cold_s,
        )
    else:
        names = join_names([f"**{markdown_safe(labels[i])}**" for i in top])
        cold_text = _(
            "At T = {t} the {n} tied classes {names} share it, {p} each, and the entropy "
            "tends to log {n} = {limit}: a tie stays a tie at every temperature, so the "
            "limit is an even split of the argmax set."
        ).format(
            t=prose_number(t_low),
            n=n,
            names=names,
            p=prose_number(cold[top[0]], 4),
            limit=fixed(float(np.log(n)), 3),
        )
    lo, uniform, hi = ordered(float(hot.min()), 1 / k, float(hot.max()), digits=3)
    if h_hot >= log_k / 2:
        hot_text = _(
            "At T = {t} the probabilities are {low} to {high} (uniform would be 1/{k} = "
            "{uniform} each) and the entropy is {entropy} nats, {percent} of its ceiling "
            "log {k} = {ceiling}: as T grows every z/T shrinks towards 0, so the distribution "
            "tends to **uniform**."
        )
    else:  # the chart's hot end is still far from uniform: say so, and how far T must go
        hot_text = _(
            "At T = {t}, the chart's highest, the probabilities are still {low} to {high} "
            "(uniform would be 1/{k} = {uniform} each) and the entropy is {entropy} nats, "
            "{percent} of its ceiling log {k} = {ceiling}: these logits are {spread} apart, "
            "so T must grow to about that size before the distribution comes near "
            "**uniform**, which it tends to as T grows without end (every z/T shrinks "
            "towards 0)."
        )
    hot_text = hot_text.format(
        spread=prose_number(float(z.max() - z.min()), 4),
        t=prose_number(t_high),
        low=lo,
        high=hi,
        k=k,
        uniform=uniform,
        entropy=h_hot_s,
        percent=share_of_ceiling(h_hot, log_k),
        ceiling=ceiling_s,
    )
    now_text = _(
        "**Now** (T = {t}): entropy {entropy} nats, {percent} of the way from certain to "
        "uniform. Temperature never changes the order of the classes, only how unevenly the "
        "probability is shared."
    ).format(t=prose_number(temperature), entropy=h_now_s, percent=share_of_ceiling(h_now, log_k))
    return f"**T → 0.** {cold_text}\n\n**T → ∞.** {hot_text}\n\n{now_text}"


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
    law = _(
        "Chance alone moves a frequency by about √(p(1 − p)/N) = {spread} here, so the gap "
        "shrinks like 1/√N: 100 times as many draws bring the diamonds 10 times closer to the "
        "bars."
    )
    draws = localized(f"{n:,}")
    certain = _(  # "and the rest 0" right after quoting 3.7e-44 (a tour)
        "Here one class has probability 1 as computed (the others are too small for any draw "
        "to land on), so every draw gives that class: chance moves nothing, whatever N."
    )
    if widest == 0:
        return (
            ngettext(
                "In {n} draw every class came up exactly as often as its probability says.",
                "In {n} draws every class came up exactly as often as its probability says.",
                n,
            ).format(n=draws)
            + " "
            + (certain if p.max() == 1 else law.format(spread=spread_of(p.max(), n)))
        )
    if widest < 1e-12:  # a frequency moves by 1/N: a gap this small is a rounding's
        return (
            ngettext(
                "In {n} draw every class came up as often as its probability says, to within "
                "{gap}, far less than one draw in {n}.",
                "In {n} draws every class came up as often as its probability says, to within "
                "{gap}, far less than one draw in {n}.",
                n,
            ).format(n=draws, gap=prose_number(widest, 2))
            + " "
            + (certain if p.max() == 1 else law.format(spread=spread_of(p.max(), n)))
        )
    far = [int(i) for i in np.flatnonzero(gaps >= widest - 1e-12)]
    pairs = []
    for i in far:
        observed, expected = ordered(float(freq[i]), float(p[i]), digits=4)
        pairs.append((i, observed, expected))
    if len(far) == 1:
        i, observed, expected = pairs[0]
        head = ngettext(
            "In {n} draw **{name}** is furthest from its probability: observed {observed} "
            "vs expected {expected}.",
            "In {n} draws **{name}** is furthest from its probability: observed {observed} "
            "vs expected {expected}.",
            n,
        ).format(n=draws, name=markdown_safe(labels[i]), observed=observed, expected=expected)
    else:
        names = join_names([f"**{markdown_safe(labels[i])}**" for i in far])
        detail = "; ".join(
            _("{name} {observed} vs {expected}").format(
                name=markdown_safe(labels[i]), observed=o, expected=e
            )
            for i, o, e in pairs
        )
        head = ngettext(
            "In {n} draw {names} are equally far from their probabilities (observed vs "
            "expected: {detail}).",
            "In {n} draws {names} are equally far from their probabilities (observed vs "
            "expected: {detail}).",
            n,
        ).format(n=draws, names=names, detail=detail)
    return head + " " + law.format(spread=spread_of(p[far[0]], n))


def spread_of(p: float, n: int) -> str:
    """√(p(1 − p)/N), the standard deviation of a frequency over ``n`` draws, for prose."""
    return prose_number(float(np.sqrt(p * (1 - p) / n)), 3)


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
    note = (
        " "
        + _("(the link asks for k = {requested}, more than the {n} classes: all are kept)").format(
            requested=requested_k, n=n_classes
        )
        if requested_k > n_classes
        else ""
    )
    extra = len(kept_k) - k
    ties = (
        " "
        + ngettext(
            "{n} more class is tied with the k-th and kept too, as Hugging Face's "
            "TopKLogitsWarper does.",
            "{n} more classes are tied with the k-th and kept too, as Hugging Face's "
            "TopKLogitsWarper does.",
            extra,
        ).format(n=extra)
        if extra > 0
        else ""
    )
    never = [int(i) for i in kept_k if p[i] == 0]
    zero_note = (
        " "
        + ngettext(
            "({names} has probability 0 as computed, so kept or not, never drawn.)",
            "({names} have probability 0 as computed, so kept or not, never drawn.)",
            len(never),
        ).format(names=names(never))
        if never
        else ""
    )
    order, running, kept_p = top_p_order(p, top_p, scores=z)
    if top_p == 1:
        nucleus = ngettext(
            "**Top-p** with p = 1 keeps every class whose probability, as computed, is above "
            "0: {n} class ({names}).",
            "**Top-p** with p = 1 keeps every class whose probability, as computed, is above "
            "0: {n} classes ({names}).",
            kept_p,
        ).format(n=kept_p, names=names(order[:kept_p]))
    else:
        *running_s, top_p_s = ordered(*(float(r) for r in running), float(top_p), digits=3)
        totals = list_separator().join(
            f"{markdown_safe(labels[int(i)])} {r}" for i, r in zip(order, running_s, strict=True)
        )
        nucleus = ngettext(
            "**Top-p** sorts the classes by probability (by logit, tied ones in class "
            "order) and keeps adding them until the running total reaches p = {p}. "
            "The running totals are {totals}, so it keeps {n} class: {names}.",
            "**Top-p** sorts the classes by probability (by logit, tied ones in class "
            "order) and keeps adding them until the running total reaches p = {p}. "
            "The running totals are {totals}, so it keeps {n} classes: {names}.",
            kept_p,
        ).format(p=top_p_s, totals=totals, n=kept_p, names=names(order[:kept_p]))
    if extra > 0:  # "keeps the 1 most likely class: dog and cat" (a tour)
        top_k = ngettext(
            "**Top-k** with k = {k}: the cut after the first class by logit falls inside a "
            "tie, so it keeps {count} classes: {names}.",
            "**Top-k**: the cut after the first {k} classes by logit falls inside a tie, so "
            "it keeps {count} classes: {names}.",
            k,
        ).format(k=k, count=len(kept_k), names=names(kept_k))
    else:
        top_k = ngettext(
            "**Top-k** keeps the {k} most likely class{note}: {names}.",
            "**Top-k** keeps the {k} most likely classes{note}: {names}.",
            k,
        ).format(k=k, note=note, names=names(kept_k))
    mass = (
        _("With every class kept, nothing is cut and the probabilities stay as they are.")
        if len(kept_k) == len(p)
        else ngettext(  # "They held" of one class kept (a tour)
            "It held {mass} of the probability; dividing by that total makes it 1.",
            "They held {mass} of the probability; dividing by that total makes them sum to 1 "
            "again.",
            len(kept_k),
        ).format(  # not "1" for a mass below 1 (a review)
            mass=near_one(float(p[kept_k].sum()), float(np.delete(p, kept_k).sum()))
        )
    )
    rule = _(
        "This is the rule of Hugging Face transformers' TopPLogitsWarper: the fewest "
        "classes whose total reaches p. Where tied classes straddle the cut it keeps the "
        "same number, but which of them depends on its sort. Totals are compared after "
        "rounding to {decimals} decimals, so float rounding (0.1 + 0.7 = 0.7999999999999999) "
        "does not decide. Unlike top-k it adapts: a confident model keeps few words, an "
        "unsure one keeps many."
    ).format(decimals=TOP_P_DECIMALS)
    order_note = _(
        "Generators apply temperature first, then top-k or top-p, then sample from what is "
        "left. The Sampling tab draws from the unfiltered softmax(z/T)."
    )
    return f"{top_k}{ties}{zero_note} {mass}\n\n{nucleus} {rule}\n\n{order_note}"


# --- gradients ---------------------------------------------------------------------------------


def jacobian_alt(jacobian: np.ndarray, temperature: float) -> str:
    """Alt text of the Jacobian heatmap (plain text), true of the entries as computed.

    Exactly, the diagonal pᵢ(1 − pᵢ)/T is positive and the rest, −pᵢpⱼ/T, negative; as
    computed a product of probabilities underflows to 0, and at z = (10000, −10000, 0),
    T = 0.01, every entry does (the alt text said "positive on the diagonal (from 0 to 0),
    negative elsewhere").

    >>> jacobian_alt(np.array([[0.25, -0.25], [-0.25, 0.25]]), 1.0)
    ... # doctest: +NORMALIZE_WHITESPACE
    'Heatmap of the 2×2 softmax Jacobian at T = 1: positive on the diagonal (0.25 each),
     negative elsewhere, every row and column summing to zero.'
    >>> jacobian_alt(np.zeros((3, 3)), 0.01)  # doctest: +NORMALIZE_WHITESPACE
    'Heatmap of the 3×3 softmax Jacobian at T = 0.01, every entry 0 as computed: one class
     takes practically all the probability, and each entry, a product of probabilities,
     underflows to 0 in float64.'
    """
    j = np.asarray(jacobian, dtype=np.float64)
    k = len(j)
    t = prose_number(float(temperature))
    if not j.any():
        return _(
            "Heatmap of the {k}×{k} softmax Jacobian at T = {t}, every entry 0 as computed: "
            "one class takes practically all the probability, and each entry, a product of "
            "probabilities, underflows to 0 in float64."
        ).format(k=k, t=t)
    diag = np.diag(j)
    off = j[~np.eye(k, dtype=bool)]
    low, high = ordered(float(diag.min()), float(diag.max()), digits=3, tolerance=1e-12)
    if not diag.any():
        diagonal = _("0 on the diagonal")
    elif diag.min() == 0:
        diagonal = _("0 or positive on the diagonal (from {low} to {high})")
    elif low == high:
        diagonal = _("positive on the diagonal ({value} each)")
    else:
        diagonal = _("positive on the diagonal (from {low} to {high})")
    if not off.any():
        elsewhere = _("0 elsewhere")
    elif off.max() < 0:
        elsewhere = _("negative elsewhere")
    else:
        elsewhere = _("negative or 0 elsewhere")
    return _(
        "Heatmap of the {k}×{k} softmax Jacobian at T = {t}: {diagonal}, {elsewhere}, every "
        "row and column summing to zero."
    ).format(
        k=k,
        t=t,
        diagonal=diagonal.format(low=low, high=high, value=low),
        elsewhere=elsewhere,
    )

"""What a screen reader says about a chart or a new prediction: plain sentences (no Markdown,
no HTML) built from the numbers the chart draws.

A chart's accessible name (``softmax_ui.page.chart``'s ``alt``) and the announcement after a
control changes (``softmax_ui.page.announce``) must say what is shown *now*, so they are
made from the live values here, with ties named: the winners come from
:func:`softmax_core.top_classes`, never from ``np.argmax``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from softmax_core import top_classes
from softmax_ui.i18n import N_, _, ngettext
from softmax_ui.text import (
    join_names,
    number_list,
    probability_number,
    prose_number,
    semicolon,
    top_probability,
)


def names(labels: Sequence[str], indices: Sequence[int] | np.ndarray) -> str:
    """``a``, ``a and b``, ``a, b and c``: the classes at ``indices``, in order.

    >>> names(["dog", "cat", "bird"], [0, 2])
    'dog and bird'
    >>> names(["a", "b", "c"], [0, 1, 2])
    'a, b and c'
    """
    return join_names([str(labels[int(i)]) for i in indices])


PROBABILITY = N_("probability")


def top(
    labels: Sequence[str],
    values: ArrayLike,
    *,
    what: str = PROBABILITY,
    winners: Sequence[int] | None = None,
) -> str:
    """Which class has the largest ``what`` and how large it is; every tied class is named.
    ``what`` is English, marked with ``N_`` (the sentence is in the reader's language).
    ``winners``, when given, are the classes that win (the largest logits: probabilities
    may round to a tie the logits do not have, and the page's metric names the logits'
    winner).

    NaN and infinities never win (as in :func:`softmax_core.top_classes`); with no finite
    value at all the sentence says so.

    >>> top(["dog", "cat", "bird"], [0.659, 0.242, 0.099])
    'dog has the largest probability, 0.659'
    >>> top(["heads", "tails", "edge"], [0.422, 0.422, 0.155])
    'heads and tails tie for the largest probability, 0.422 each'
    >>> top(["a", "b"], [float("nan"), float("nan")])
    'no class has a finite probability (NaN or infinite)'
    >>> top(["a", "b", "c"], [1 / 3, 1 / 3, 1 / 3], winners=[0])  # z = 1e-300, 0, -1e-300
    'a has the largest probability, 0.333'
    >>> top(["dog", "cat"], [1002.0, 1001.0], what=N_("exponent"))  # not "1e+03"
    'dog has the largest exponent, 1002'
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    winners = top_classes(x) if winners is None else np.asarray(winners, dtype=int)
    if len(winners) == 0:
        return _("no class has a finite {what} (NaN or infinite)").format(what=_(what))
    # a probability as the chart's bar labels write it: 0.760, not 0.76 under a bar of 0.760
    value = (
        top_probability(x, int(winners[0]), 3, zeros=True)
        if what == PROBABILITY
        else prose_number(x[winners[0]], whole_digits(x[winners[0]], 3))
    )
    if len(winners) == 1:
        return _("{names} has the largest {what}, {value}").format(
            names=names(labels, winners), what=_(what), value=value
        )
    if len(winners) == len(x) == 2:  # not "all 2 classes" (a tour)
        return _("both classes tie at {value}").format(value=value)
    if len(winners) == len(x):
        return _("all {n} classes tie at {value}").format(n=len(x), value=value)
    return _("{names} tie for the largest {what}, {value} each").format(
        names=names(labels, winners), what=_(what), value=value
    )


def naive_top(labels: Sequence[str], values: ArrayLike) -> str:
    """What the naive softmax's chart shows: :func:`top` when every value is finite; else
    which classes are NaN or infinite, what the others got, and that no class is marked the
    largest (the chart marks none: a 0 beside a NaN is no winner). :func:`top` named the
    finite 0s of [NaN, 0, 0] as tied for the largest (a tour).

    >>> naive_top(["a", "b", "c"], [float("nan"), 0.0, 0.0])
    'a is NaN; b and c get 0 each; no class is marked the largest'
    >>> naive_top(["a", "b"], [float("nan"), float("nan")])
    'a and b are NaN; no class is marked the largest'
    >>> naive_top(["a", "b"], [0.25, 0.75])
    'b has the largest probability, 0.750'
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    finite = np.isfinite(x)
    if finite.all():
        return top(labels, x)
    parts = []
    for mask, value in ((np.isnan(x), "NaN"), (x == np.inf, "+inf"), (x == -np.inf, "-inf")):
        where = np.flatnonzero(mask)
        if where.size:
            parts.append(
                ngettext("{names} is {value}", "{names} are {value}", len(where)).format(
                    names=names(labels, where), value=value
                )
            )
    rest = np.flatnonzero(finite)
    if rest.size:
        shown = [probability_number(v, 3, zeros=True) for v in x[rest]]
        if len(set(shown)) == 1:
            parts.append(
                ngettext("{names} gets {value}", "{names} get {value} each", len(rest)).format(
                    names=names(labels, rest), value=shown[0]
                )
            )
        else:
            parts.append(
                _("{names} get {values} in that order").format(
                    names=names(labels, rest), values=number_list(shown)
                )
            )
    parts.append(_("no class is marked the largest"))
    return semicolon().join(parts)


def whole_digits(value: float, digits: int) -> int:
    """Significant digits enough for ``digits`` and for the whole part of ``value``: a
    screen reader heard "the largest exponent, 1e+03" for 1002 (a tour).

    >>> whole_digits(1002.0, 3), whole_digits(0.336, 3), whole_digits(-12345.6, 3)
    (4, 3, 5)
    >>> whole_digits(float("inf"), 3), whole_digits(1e300, 3)
    (3, 3)
    """
    if not np.isfinite(value) or abs(value) >= 1e15:
        return digits
    return max(digits, len(str(int(abs(value)))))


def prediction(
    labels: Sequence[str],
    p: ArrayLike,
    temperature: float | None = None,
    *,
    winners: Sequence[int] | None = None,
) -> str:
    """The announcement after a control changes: the prediction now, at ``temperature``
    (``winners`` as for :func:`top`).

    >>> prediction(["dog", "cat", "bird"], [0.659, 0.242, 0.099], 1.0)
    'Prediction at T = 1: dog has the largest probability, 0.659.'
    >>> prediction(["a", "b"], [0.5, 0.5])
    'Prediction: both classes tie at 0.500.'
    >>> prediction(["a", "b", "c"], [1 / 3, 1 / 3, 1 / 3])
    'Prediction: all 3 classes tie at 0.333.'
    """
    said = top(labels, p, winners=winners)
    if temperature is None:
        return _("Prediction: {top}.").format(top=said)
    return _("Prediction at T = {t}: {top}.").format(t=prose_number(temperature), top=said)

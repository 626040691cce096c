"""Training steps for the Gradients lesson: the loss, its gradient, the steps taken so far.

The loss and gradient are pure (:func:`loss_and_gradient`); the steps a student takes live in
this session only (not in the link: a link holds the logits they led to), under
:data:`HISTORY`. The buttons call :func:`take_steps` and :func:`reset_steps`; the page reads
:func:`steps_taken` and :func:`step_error`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from softmax_core import cross_entropy, cross_entropy_gradient
from softmax_ui.i18n import _
from softmax_ui.memory import memory
from softmax_ui.session import current, update
from softmax_ui.state import LessonState

HISTORY = "gradients:history"
"""Session key: ``{"target", "T", "steps": (logits before step 1, after step 1, …)}``."""
STEP_ERROR = "gradients:step_error"
"""Session key: why the last step was refused (or ``None``)."""


@dataclass(frozen=True)
class LossAndGradient:
    """Cross-entropy of ``softmax(z / T)`` against the target, and its gradient in ``z``."""

    loss: float
    """−log softmax(z/T)[target], in nats."""
    gradient: np.ndarray
    """(p − y) / T, one value per class."""


def loss_and_gradient(state: LessonState, logits: ArrayLike) -> LossAndGradient:
    """Loss −log softmax(z/T)[target] and its gradient with respect to z: (p − y) / T.

    >>> lg = loss_and_gradient(LessonState(logits=(0.0, 0.0), labels=("a", "b")), [0.0, 0.0])
    >>> round(lg.loss, 6), lg.gradient.tolist()
    (0.693147, [-0.5, 0.5])
    """
    scaled = np.asarray(logits, dtype=np.float64) / state.temperature
    return LossAndGradient(
        loss=float(cross_entropy(scaled, state.target)),
        gradient=cross_entropy_gradient(scaled, state.target) / state.temperature,
    )


@dataclass(frozen=True)
class StepHistory:
    """The gradient steps that led to the logits shown now (none if they were edited since)."""

    logits: tuple[tuple[float, ...], ...]
    """The logits before the first step, then after each step (empty: no steps)."""
    losses: tuple[float, ...]
    """The loss at each of ``logits``."""

    @property
    def count(self) -> int:
        """How many steps were taken."""
        return max(len(self.logits) - 1, 0)

    def __bool__(self) -> bool:
        return bool(self.logits)


def _recorded_steps(state: LessonState) -> tuple[tuple[float, ...], ...]:
    record = memory().get(HISTORY)
    if (
        record
        and record["target"] == state.target
        and record["T"] == state.temperature
        and record["steps"][-1] == state.logits
    ):
        return tuple(record["steps"])
    return ()


def steps_taken(state: LessonState) -> StepHistory:
    """The steps taken so far in this session, if they lead to ``state``'s logits."""
    steps = _recorded_steps(state)
    return StepHistory(steps, tuple(loss_and_gradient(state, z).loss for z in steps))


STEP_DIGITS = 6
"""Significant digits of a logit after a gradient step (a step smaller than that is lost:
by then the loss is below about 1e-5)."""


def take_steps(count: int) -> None:
    """Button callback: ``count`` steps of z ← z − learning rate × gradient.

    The new logits become the lesson state (editor and link follow); a step the state refuses
    (e.g. past the logit limit) is not taken, and :func:`step_error` says why.
    """
    state = current()
    steps = list(_recorded_steps(state) or [state.logits])
    z = np.array(state.logits)
    for _step in range(count):
        z = z - state.learning_rate * loss_and_gradient(state, z).gradient
        # Kept to STEP_DIGITS significant digits: the logit boxes, the paste box and the link
        # showed every digit of a float ("3.0145796792014146", cut off in its box; found by
        # a student tour); the next step starts from the logits shown.
        z = np.array([float(f"{v:.{STEP_DIGITS}g}") for v in z])
        steps.append(tuple(float(v) for v in z))
    try:
        update(logits=steps[-1])
    except ValueError as err:
        memory()[STEP_ERROR] = _("The step was not taken: {problem}").format(problem=err)
        return
    memory()[STEP_ERROR] = None
    memory()[HISTORY] = {"target": state.target, "T": state.temperature, "steps": steps}


def reset_steps() -> None:
    """Button callback: put the logits back as they were before the first step."""
    steps = _recorded_steps(current())
    if steps:
        update(logits=steps[0])
    memory()[HISTORY] = None
    memory()[STEP_ERROR] = None


def step_error() -> str | None:
    """Why the last step was refused, or ``None`` (plain text: escape it for Markdown)."""
    return memory().get(STEP_ERROR)

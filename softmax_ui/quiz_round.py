"""The Quiz lesson's session: the question on screen, the student's answer, the score.

Questions themselves are pure (:mod:`softmax_ui.quiz`); this module keeps one student's
round in the session (:func:`~softmax_ui.memory.memory`). The buttons call :func:`draw_question` and
:func:`check_answer`; the page reads :func:`current_round`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from softmax_ui import i18n
from softmax_ui.i18n import N_
from softmax_ui.memory import memory
from softmax_ui.quiz import KINDS, Question, Verdict, check, new_question, option_text
from softmax_ui.session import current, remount_key
from softmax_ui.state import parse_number, shown_number
from softmax_ui.text import share_of

RNG = "quiz:rng"
BAG = "quiz:bag"
"""The kinds of question still to come before any kind comes again (see :func:`next_kind`)."""
QUESTION = "quiz:question"
NUMBER = "quiz:number"
"""How many questions this session has drawn (each has its own answer widget)."""
RESULT = "quiz:result"
"""(question number, the student's answer, Verdict) once checked."""
SCORE = "quiz:score"
MISSING = "quiz:missing"
"""Whether Check was pressed with no answer given."""
UNREADABLE = "quiz:unreadable"
"""Why the number typed as an answer could not be read (``""`` when it could)."""
ANSWER = N_("answer")


@dataclass(frozen=True)
class Score:
    correct: int = 0
    answered: int = 0

    @property
    def share(self) -> str:
        """The share answered right, as a percentage ("–" before the first answer).

        >>> Score(2, 3).share, Score(5, 8).share, Score().share
        ('67%', '63%', '–')
        >>> with i18n.language("fr"):
        ...     Score(1, 8).share  # 12.5 % read as a score is rounded up
        '13\xa0%'
        """
        return share_of(self.correct, self.answered)


@dataclass(frozen=True)
class Checked:
    """A checked answer: what the student said and the verdict."""

    answer: Any
    verdict: Verdict


@dataclass(frozen=True)
class QuizRound:
    question: Question
    number: int
    """The question's number in this session."""
    checked: Checked | None
    """The student's checked answer to this question, if any."""
    score: Score
    missing_answer: bool
    """Check was pressed with no answer."""
    unreadable: str = ""
    """Why the number typed could not be read (in the reader's language), or ``""``."""

    @property
    def answer_key(self) -> str:
        return answer_key(self.number)


def answer_key(number: int) -> str:
    """The key of question ``number``'s answer widget: a fresh, empty one per question."""
    return remount_key("quiz:answer", question=number)


def next_kind(rng: np.random.Generator, bag: list[str], previous: str | None) -> str:
    """The next kind of question, from ``bag`` (the kinds still to come, changed in place):
    every kind once, in a random order, before any comes again, and never the ``previous``
    one twice in a row across two rounds (a student met the same question as the 1st and
    the 5th of 14 kinds: found by a student tour).

    >>> rng, bag = np.random.default_rng(0), []
    >>> drawn = [next_kind(rng, bag, None) for _ in range(len(KINDS))]
    >>> sorted(drawn) == sorted(KINDS)
    True
    """
    if not bag:
        bag.extend(str(kind) for kind in rng.permutation(list(KINDS)))
        if len(bag) > 1 and bag[-1] == previous:
            bag[0], bag[-1] = bag[-1], bag[0]
    return bag.pop()


def draw_question() -> None:
    """Button callback: a new question (of another kind) on the editor's logits."""
    state = current()
    if RNG not in memory():
        memory()[RNG] = np.random.default_rng(state.seed)
    previous = memory().get(QUESTION)
    bag = memory().setdefault(BAG, [])
    memory()[QUESTION] = new_question(
        memory()[RNG],
        state.logits,
        state.labels,
        kind=next_kind(memory()[RNG], bag, previous.kind if previous else None),
    )
    memory()[NUMBER] = memory().get(NUMBER, 0) + 1
    memory()[RESULT] = None
    memory()[MISSING] = False
    memory()[UNREADABLE] = ""


def read_answer(text: str) -> float:
    """A typed numeric answer, the reader's way: ``0,25`` in Spanish and French (a point is
    read too), ``0.25`` in English (where ``1,000`` is refused, not read as 1).

    >>> read_answer(" 0.25 ")
    0.25
    >>> with i18n.language("es"):
    ...     read_answer("−0,25")
    -0.25
    """
    return parse_number(text, ANSWER, comma=i18n.decimal_comma())


def shown_answer(answer: Any) -> str:
    """A checked answer as the student reads it (a number with the reader's decimal sign)."""
    if isinstance(answer, float):
        return shown_number(answer)
    return option_text(str(answer))


def check_answer() -> None:
    """Button callback: judge the answer given (or ask for one) and count it in the score."""
    number, question = memory()[NUMBER], memory()[QUESTION]
    answer = st.session_state.get(answer_key(number))
    memory()[UNREADABLE] = ""
    if isinstance(answer, str) and not answer.strip():
        answer = None
    if answer is None:
        memory()[MISSING] = True
        return
    if question.numeric:
        try:
            answer = read_answer(str(answer))
        except ValueError as err:
            memory()[UNREADABLE] = str(err)
            memory()[MISSING] = False
            return
    verdict = check(question, answer)
    memory()[RESULT] = (number, answer, verdict)
    memory()[MISSING] = False
    score = memory()[SCORE]
    memory()[SCORE] = Score(score.correct + verdict.correct, score.answered + 1)


def current_round() -> QuizRound:
    """The round on screen (the first question is drawn on the first visit)."""
    if SCORE not in memory():
        memory()[SCORE] = Score()
    if QUESTION not in memory():
        draw_question()
    number = memory()[NUMBER]
    result = memory().get(RESULT)
    checked = None
    if result is not None and result[0] == number:
        checked = Checked(answer=result[1], verdict=result[2])
    return QuizRound(
        question=memory()[QUESTION],
        number=number,
        checked=checked,
        score=memory()[SCORE],
        missing_answer=bool(memory().get(MISSING)),
        unreadable=memory().get(UNREADABLE, ""),
    )

"""The Quiz lesson's session: the question on screen, the student's answer, the score.

Questions themselves are pure (:mod:`softmax_ui.quiz`); this module keeps one student's
round in the session (:func:`~softmax_ui.memory.memory`). The buttons call :func:`draw_question` and
:func:`check_answer`; the page reads :func:`current_round`.

A reload starts a new session, and a phone reloads a tab the student left for a moment. So
the round is also kept in this process under a random key that the Quiz page's address
carries (``quiz=…``, :func:`url_params`; never in the share link): a session opened from
that address goes on with the same question, answer and score (:func:`current_round`), in
a copy kept under a key of its own (:func:`round_key`).
Kept rounds are few and small, bounded in number and dropped after :data:`KEEP_SECONDS`
unused; a server restart forgets them (the live class's polls are the ones that must
survive one). Behind several processes, the load balancer's cookie affinity brings a
reload back to the same process.
"""

from __future__ import annotations

import contextlib
import copy
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from softmax_ui import i18n
from softmax_ui.i18n import N_
from softmax_ui.memory import memory
from softmax_ui.quiz import KINDS, Question, Verdict, check, new_question, option_text
from softmax_ui.session import current, per_language, remount_key
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
ROUND_KEYS = (RNG, BAG, QUESTION, NUMBER, RESULT, SCORE, MISSING, UNREADABLE)
"""What a round is: the values kept for a reload (:class:`KeptRounds`)."""
KEEP = "quiz"
"""The URL key of the kept round (not a lesson setting: the share link never has it)."""
KEEP_ID = "quiz:id"
LOST = "quiz:lost"
"""Whether this session's address named a round no longer kept (a server restart, or a
round unused for :data:`KEEP_SECONDS`): the new round says so once."""
KEEP_SECONDS = 6 * 3600
"""How long a kept round lasts unused: a school day's lessons."""
KEEP_MOST = 5000
"""The most rounds one process keeps (the least recently used go first)."""
_KEEP_FORM = re.compile(r"[A-Za-z0-9_-]{16}")


class KeptRounds:
    """Quiz rounds kept by key for a reload: least recently used first out, each for at
    most ``seconds`` unused, at most ``most`` of them; safe across sessions' threads.

    >>> kept = KeptRounds(most=2, seconds=60, clock=lambda: 0.0)
    >>> kept.put("a", {"n": 1}); kept.put("b", {"n": 2}); kept.put("c", {"n": 3})
    >>> kept.get("a"), kept.get("c")
    (None, {'n': 3})
    """

    def __init__(self, most: int = KEEP_MOST, seconds: float = KEEP_SECONDS, clock=time.monotonic):
        self._rounds: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()
        self._most, self._seconds, self._clock = most, seconds, clock

    def put(self, key: str, values: dict[str, Any]) -> None:
        with self._lock:
            self._rounds[key] = (self._clock(), values)
            self._rounds.move_to_end(key)
            while len(self._rounds) > self._most:
                self._rounds.popitem(last=False)

    def get(self, key: str) -> dict[str, Any] | None:
        """A copy of the round kept under ``key`` (a session never shares another's values)."""
        with self._lock:
            now = self._clock()
            while self._rounds:  # the oldest first: drop what has expired
                oldest, (used, _values) = next(iter(self._rounds.items()))
                if now - used <= self._seconds:
                    break
                del self._rounds[oldest]
            found = self._rounds.get(key)
            if found is None:
                return None
            self._rounds[key] = (now, found[1])
            self._rounds.move_to_end(key)
            return copy.deepcopy(found[1])


KEPT = KeptRounds()
"""This process's kept rounds."""


def keep_round() -> None:
    """Keep this session's round for a reload (after each button)."""
    values = {name: memory()[name] for name in ROUND_KEYS if name in memory()}
    KEPT.put(round_key(), copy.deepcopy(values))


def url_params() -> dict[str, str]:
    """What the Quiz page's address carries besides the lesson state: the round's key."""
    return {KEEP: round_key()}


def round_key() -> str:
    """This session's round key, new for every session. A session whose address names a kept
    round goes on with a copy of it, kept under its own key from the start: an address
    carries its key to wherever it is opened (a second tab, a classmate given the address
    bar's text), and two sessions that kept one round under one key took over each other's
    question and score at every press and reload (a navigation tour)."""
    key = memory().get(KEEP_ID)
    if key is None:
        resumed = _resume_kept_round()
        key = secrets.token_urlsafe(12)
        memory()[KEEP_ID] = key
        if resumed:
            keep_round()  # a reload of this session's address finds its copy
    return key


def _resume_kept_round() -> bool:
    """Go on with the round kept under the address's key: its question, its checked answer
    (shown in the answer widget) and its score. Returns whether one was kept."""
    key = st.query_params.get(KEEP, "")
    kept = KEPT.get(key) if _KEEP_FORM.fullmatch(key) else None
    if kept is None or QUESTION not in kept:
        # a student whose score went to 0 after the server restarted was not told why
        # (a poor-Wi-Fi tour)
        memory()[LOST] = bool(_KEEP_FORM.fullmatch(key))
        return False
    memory().update(kept)
    result = kept.get(RESULT)
    if result is not None and result[0] == kept[NUMBER]:
        question, answer = kept[QUESTION], result[1]
        st.session_state[answer_key(kept[NUMBER])] = (
            shown_number(answer) if question.numeric else answer
        )
    return True


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
    lost: bool = False
    """The round the address named is no longer kept: this one is new (said once)."""

    @property
    def answer_key(self) -> str:
        return answer_key(self.number)


def answer_key(number: int, lang: str | None = None) -> str:
    """The key of question ``number``'s answer widget: a fresh, empty one per question, and
    one per language (the reader's, or ``lang``).

    The browser knows an answer button by its label: after a switch to Spanish the same
    widget, its labels now Spanish, showed none chosen, though the server kept the choice
    (a tour). A new widget per language draws the choice that :func:`carry_answer` hands
    over.

    >>> answer_key(3, "fr")
    'quiz:answer@question=3@lang=fr'
    """
    return remount_key("quiz:answer", question=number, lang=lang or i18n.current())


def carry_answer(number: int) -> None:
    """Hand question ``number``'s answer (chosen or typed, checked or not) from its widget in
    the language last drawn to the reader's (:func:`softmax_ui.session.per_language`): a
    checked answer as the verdict has it, a number typed and not checked written again the
    reader's way ("0,25" in French is "0.25" in English, which the English reading takes)."""

    def carry(value: Any, last: str) -> Any:
        result = memory().get(RESULT)
        if result is not None and result[0] == number:  # checked: as the verdict says it
            return shown_number(result[1]) if memory()[QUESTION].numeric else result[1]
        if memory()[QUESTION].numeric and isinstance(value, str):
            with contextlib.suppress(ValueError):  # not a number: kept as typed
                with i18n.language(last):
                    typed = read_answer(value)
                return shown_number(typed)
        return value

    per_language("quiz:answer", carry, question=number)  # the key answer_key(number) names


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
    keep_round()


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
    if question.numeric:
        # The box keeps what was checked: typed and then Check clicked at once (no Enter), it
        # was drawn again disabled and empty, though the verdict said "You said 0.5" (a tour)
        st.session_state[answer_key(number)] = shown_number(answer)
    memory()[RESULT] = (number, answer, verdict)
    memory()[MISSING] = False
    score = memory()[SCORE]
    memory()[SCORE] = Score(score.correct + verdict.correct, score.answered + 1)
    keep_round()


def current_round() -> QuizRound:
    """The round on screen: the session's, else the one its address's key kept (a reload),
    else a new one (the first question is drawn on the first visit)."""
    round_key()  # a reload goes on with its round
    if SCORE not in memory():
        memory()[SCORE] = Score()
    if QUESTION not in memory():
        draw_question()
    number = memory()[NUMBER]
    carry_answer(number)
    result = memory().get(RESULT)
    checked = None
    if result is not None and result[0] == number:
        # judged again, in the reader's language now: kept from the Check, a verdict read
        # "Dijiste -0,4; la respuesta es 1.42. Cross-entropy is never negative…" after a
        # switch to Spanish (a review). Right or wrong does not depend on the language.
        checked = Checked(answer=result[1], verdict=check(memory()[QUESTION], result[1]))
    return QuizRound(
        question=memory()[QUESTION],
        number=number,
        checked=checked,
        score=memory()[SCORE],
        missing_answer=bool(memory().get(MISSING)),
        unreadable=memory().get(UNREADABLE, ""),
        lost=bool(memory().pop(LOST, False)),
    )

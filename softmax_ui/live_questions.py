"""Questions the teacher asks the room: pure Python, tested without Streamlit.

A live question is a :class:`softmax_ui.quiz.Question` about the logits on the teacher's
screen: any quiz kind, plus *predict* kinds asked before the teacher moves a control
("which class wins as T → 0?", "what does the naive formula give in float32 after
c = 800?"). It travels to the room store as JSON (:func:`to_json` / :func:`from_json`);
the right answer is never stored, :func:`judge` computes it when asked, with its proof.

Also here: a student's answer as it is stored (:func:`answer_text`), the tally the
projector draws (:func:`tally`) and the after-class report and its CSV (:func:`report`,
:func:`report_csv`). Everything returned is plain text: escape it with
:func:`softmax_ui.text.markdown_safe` before showing it as Markdown.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from softmax_core import softmax, top_classes
from softmax_ui import quiz
from softmax_ui.i18n import N_, _, decimal_comma, localize
from softmax_ui.quiz import Question, Verdict, finite
from softmax_ui.state import LessonState, check_labels, check_logits, logit_list
from softmax_ui.text import join_names, list_separator, markdown_safe, prose_number, quoted

TIE = N_("A tie: no single class takes it all")
"""The tie option of the T → 0 question (kept in English, shown with :func:`option_text`)."""
OTHER = N_("other")
"""The tally's bar of the answers beyond the first few (shown with :func:`option_text`)."""
NAIVE_C = 800.0
MAX_BARS = 12
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _vec(values: Any) -> str:
    values = np.asarray(values, dtype=np.float64)
    return "[" + list_separator().join(prose_number(v, 4) for v in values) + "]"


def _winner_T_to_0(z: tuple[float, ...], labels: tuple[str, ...]) -> Question:
    question = Question(
        "winner_T_to_0", quiz.LESSONS["temperature"], "", z, labels, options=(*labels, TIE)
    )
    return replace(question, asked=question.prompt)


def _ask_winner_T_to_0(q: Question) -> str:
    return _("Predict: as the temperature T → 0, which class takes all the probability?")


def _solve_winner_T_to_0(q: Question) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    top = [int(i) for i in top_classes(q.z)]
    if len(top) == 1:
        good, answer = (q.labels[top[0]],), q.labels[top[0]]
        why = _(
            "{name} has the largest logit, {z}: dividing by a smaller and smaller T stretches "
            "every gap without bound, so it takes everything."
        ).format(name=q.labels[top[0]], z=prose_number(q.z[top[0]], 6))
    else:
        names = join_names([q.labels[i] for i in top])
        good = (TIE,)
        # quoted, as a verdict quotes a choice: "the answer is A tie: …" read as one sentence
        answer = _("{tie} ({names} share it)").format(tie=quoted(_(TIE)), names=names)
        why = _(
            "{names} tie for the largest logit: as T → 0 each gets 1/{n} and every other "
            "class gets 0."
        ).format(names=names, n=len(top))
    steps = list_separator().join(
        _("T = {t}: {value}").format(t=prose_number(t), value=_vec(softmax(q.z, temperature=t)))
        for t in (1.0, 0.1, 0.01)
    )
    return good, answer, (_("softmax(z / T) at {steps}.").format(steps=steps), why)


def _uniform_T_to_inf(z: tuple[float, ...], labels: tuple[str, ...]) -> Question:
    question = Question("uniform_T_to_inf", quiz.LESSONS["temperature"], "", z, labels)
    return replace(question, asked=question.prompt)


def _ask_uniform_T_to_inf(q: Question) -> str:
    return _(
        "Predict: as T grows without limit, what probability does the top class approach "
        "(to 2 decimals)?"
    )


def _naive_c800(z: tuple[float, ...], labels: tuple[str, ...]) -> Question:
    """The quiz's float32 question with c = 800, worded as a prediction (setting ``predict``)."""
    question = Question(
        "naive_float32",
        quiz.LESSONS["naive"],
        "",
        z,
        labels,
        options=quiz.NAIVE_OPTIONS,
        settings=(("c", NAIVE_C), ("predict", True)),
    )
    return replace(question, asked=question.prompt)


quiz.ASK.update(winner_T_to_0=_ask_winner_T_to_0, uniform_T_to_inf=_ask_uniform_T_to_inf)


PREDICT = {
    "winner_T_to_0": (N_("Predict: the winner as T → 0"), _winner_T_to_0),
    "uniform_T_to_inf": (N_("Predict: the top class's probability as T → ∞"), _uniform_T_to_inf),
    "naive_c800": (N_("Predict: the naive formula in float32 after c = 800"), _naive_c800),
}
"""The predict kinds: menu name (English, marked) and maker (``naive_c800`` makes a quiz
``naive_float32``)."""

QUIZ_KIND_TITLES = {
    "winner_at_T": N_("which class wins at a temperature"),
    "shift": N_("adding a constant to every logit"),
    "sigmoid_sum": N_("what the sigmoids add up to"),
    "sharper": N_("which temperature is sharper"),
    "naive_float32": N_("the naive formula in float32"),
    "cross_entropy": N_("the cross-entropy loss"),
    "probability": N_("one class's probability"),
    "entropy_limit": N_("the entropy as T grows"),
    "gradient_direction": N_("which way gradient descent pushes a logit"),
    "gradient_sum": N_("what the gradient adds up to"),
    "top_p_count": N_("how many classes top-p keeps"),
    "jacobian_row_sum": N_("a row of the Jacobian, summed"),
    "scaling_keeps_argmax": N_("whether temperature scaling changes the prediction"),
    "expected_count": N_("how many samples land on a class"),
}
"""A short name of each quiz kind for the teacher's menu (English, marked): words a teacher
reads, not the kind's code name ("top p count", "jacobian row sum": a projector tour)."""

KIND_NAMES = {
    **{kind: name for kind, (name, _maker) in PREDICT.items()},
    **{kind: f"{k.lesson}: {QUIZ_KIND_TITLES[kind]}" for kind, k in quiz.KINDS.items()},
}
"""Every kind a teacher may ask, predict kinds first, with its English name for the menu
(:func:`kind_name` gives it in the reader's language)."""


def kind_name(kind: str) -> str:
    """A kind's name for the teacher's menu, in the reader's language."""
    if kind in PREDICT:
        return _(PREDICT[kind][0])
    return _("{lesson}: {question}").format(
        lesson=_(quiz.KINDS[kind].lesson), question=_(QUIZ_KIND_TITLES[kind])
    )


OPTIONS = quiz.OPTIONS | {TIE, OTHER}
"""Every fixed answer and bar name a live question uses (kept in English)."""


def option_text(option: str) -> str:
    """An answer option or tally bar as the reader sees it: the fixed ones (:data:`OPTIONS`)
    in the reader's language, a class label or a number exactly as it is."""
    return _(option) if option in OPTIONS else option


def answer_labels(asked: Question) -> dict[str, str]:
    """Each option of ``asked`` as stored → its label on a student's answer buttons, in the
    reader's language (the example's class names as the reader reads them, the fixed answers
    translated), escaped for Markdown. The class page draws its buttons with these labels,
    and an answer that reaches the server after the student's page has moved on (following
    the teacher: :func:`softmax_ui.live.record_late_answers`) is known by its label alone.

    >>> from softmax_ui.i18n import language
    >>> asked = Question("t0", "", "?", (2.0, 1.0), ("dog", "cat"), options=("dog", "cat", TIE))
    >>> with language("fr"):
    ...     answer_labels(asked)["dog"], answer_labels(asked)[TIE].startswith("Une égalité")
    ('chien', True)
    >>> hostile = Question("t0", "", "?", (2.0, 1.0), ("*a*", "b"), options=("*a*", "b"))
    >>> answer_labels(hostile)["*a*"]
    '\\\\*a\\\\*'
    """
    question = quiz.in_reader_language(asked)
    return {
        stored: markdown_safe(option_text(shown))
        for stored, shown in zip(asked.options, question.options, strict=True)
    }


def as_read(asked: Question, answers: Sequence[str]) -> tuple[Question, list[str]]:
    """A question as stored and its answers, as the reader reads them: the example's class
    names in the reader's language (:func:`softmax_ui.quiz.in_reader_language`), in the
    options and in the answers that name them. After a French teacher's switch the
    projector and the results said "dog = -1 ; cat = 0,5" inside French sentences (a
    projector tour).

    >>> from softmax_ui.i18n import language
    >>> asked = Question("t0", "", "?", (2.0, 1.0), ("dog", "cat"), options=("dog", "cat", TIE))
    >>> with language("fr"):
    ...     shown, answers = as_read(asked, ["dog", "dog", TIE])
    >>> shown.labels, answers
    (('chien', 'chat'), ['chien', 'chien', 'A tie: no single class takes it all'])
    """
    shown = quiz.in_reader_language(asked)
    rename = dict(zip(asked.options, shown.options, strict=True))
    return shown, [rename.get(answer, answer) for answer in answers]


def in_verdict(question: Question, answer: str) -> str:
    """:func:`softmax_ui.quiz.in_verdict` knowing this module's own options: the tie is a
    choice, quoted ("You said Une égalité : aucune classe…" read as a sentence run together).

    >>> q = _winner_T_to_0((2.0, 2.0, 1.0), ("a", "b", "c"))
    >>> in_verdict(q, option_text(TIE)), in_verdict(q, "b")
    ('“A tie\\\\: no single class takes it all”', '“b”')
    """
    return quiz.in_verdict(question, answer, shown=option_text)


def listed_answer(tally: Tally, answer: str) -> str:
    """A tally bar's name where a list goes on after it ("…: 2 answers"): a fixed option, a
    sentence of its own, in quotation marks ("A tie: no single class takes it all: 2
    answers" read as one more clause); a class name or a number as :func:`tally_text`.

    >>> listed_answer(Tally((TIE, "a"), (2, 1), 3), TIE), listed_answer(Tally(("a",), (1,), 1), "a")
    ('“A tie: no single class takes it all”', 'a')
    """
    text = tally_text(tally, answer)
    return quoted(text) if answer in OPTIONS and answer != OTHER else text


def shown_answer(question: Question, stored: str) -> str:
    """A student's answer, as stored (:func:`answer_text`), as the reader sees it: a typed
    number with the reader's decimal sign, an option as :func:`option_text` shows it.

    >>> from softmax_ui.i18n import language
    >>> number = from_json(to_json(_uniform_T_to_inf((2.0, 1.0, 0.1), ("a", "b", "c"))))
    >>> with language("es"):
    ...     shown_answer(number, "0.33"), shown_answer(number, "-2.00")
    ('0,33', '-2,00')
    >>> with language("fr"):
    ...     shown_answer(from_json(to_json(_winner_T_to_0((2.0, 2.0), ("a", "b")))), TIE)
    'Une égalité\xa0: aucune classe ne prend tout'
    """
    if not question.options and NUMBER.fullmatch(stored):
        return localize(stored)
    return option_text(stored)


def ask(kind: str, state: LessonState, rng: np.random.Generator) -> Question:
    """A question of ``kind`` about the logits and labels of ``state``."""
    z, labels = tuple(float(v) for v in state.logits), tuple(state.labels)
    if kind in PREDICT:
        return PREDICT[kind][1](z, labels)
    return quiz.new_question(rng, z, labels, kind=kind)


def judge(question: Question, answer: Any) -> Verdict:
    """Whether ``answer`` is right, with the right answer and its computation, done now."""
    if question.kind == "winner_T_to_0":
        good, text, proof = _solve_winner_T_to_0(question)
        return Verdict(answer in good, text, proof)
    if question.kind == "uniform_T_to_inf":
        top = float(softmax(np.zeros(len(question.logits)))[0])
        value = finite(answer)
        steps = list_separator().join(
            _("T = {t}: {value}").format(
                t=prose_number(t),
                value=prose_number(float(softmax(question.z, temperature=t).max()), 5),
            )
            for t in (1.0, 10.0, 100.0, 1000.0)
        )
        accepts, shown = quiz.decimal_answer(top, 2, 1e-12)  # 1/8 = 0.125: 0.12 or 0.13
        return Verdict(
            value is not None and accepts(value),
            shown,
            (
                _("The top class's probability at {steps}.").format(steps=steps),
                _("z / T → 0 for every class, so softmax → uniform: 1/{k} = {p} each.").format(
                    k=len(question.logits), p=prose_number(top, 6)
                ),
            ),
            values=accepts.good,
        )
    return quiz.check(question, answer)


# --- the question's wire form ------------------------------------------------------------------


def to_json(question: Question) -> str:
    return json.dumps(
        {
            "kind": question.kind,
            "lesson": question.lesson,
            "prompt": question.asked,
            "logits": list(question.logits),
            "labels": list(question.labels),
            "options": list(question.options),
            "settings": [list(pair) for pair in question.settings],
            "decimals": question.decimals,
        },
        ensure_ascii=False,
    )


def from_json(text: str) -> Question:
    """The question back from the store; :class:`ValueError` if it is not one."""
    data = json.loads(text)
    kind = str(data["kind"])
    if kind not in quiz.KINDS and kind not in PREDICT:
        raise ValueError(_("Unknown question kind {kind}.").format(kind=repr(kind[:40])))
    logits = tuple(float(v) for v in data["logits"])
    labels = tuple(str(v) for v in data["labels"])
    check_logits(logits)
    check_labels(labels, len(logits))
    settings = tuple((str(k), v) for k, v in data.get("settings", []))
    return Question(
        kind,
        str(data["lesson"]),
        str(data["prompt"]),
        logits,
        labels,
        options=tuple(str(o) for o in data.get("options", [])),
        settings=settings,
        decimals=int(data.get("decimals", 2)),
    )


PROBABILITY_ANSWERS = frozenset({"probability", "uniform_T_to_inf"})
"""The kinds whose answer is a probability, between 0 and 1."""


def answer_text(question: Question, value: Any) -> str:
    """A student's answer as stored: an option as is, a number rounded to the decimals asked
    for (so equal answers are counted together). :class:`ValueError` if it is neither, or a
    probability outside [0, 1]: on an English page the browser's number box drops a comma,
    and "0,33" was counted as 33 without a word (a tour).

    A question of a whole number refuses one with decimals: 7.9 classes was shown and
    counted as 8 without a word (a tour).

    >>> q = ask("top_p_count", LessonState(), np.random.default_rng(0))
    >>> answer_text(q, 3), answer_text(q, 3.0), answer_text(q, -0.0)
    ('3', '3', '0')
    >>> answer_text(q, 2.5)
    Traceback (most recent call last):
    ...
    ValueError: The question asks for a whole number: type one without decimals.
    """
    if question.options:
        if value not in question.options:
            raise ValueError(_("Choose one of the answers."))
        return str(value)
    number = finite(value)
    if number is None:
        raise ValueError(_("Type a finite number."))
    if abs(number) > 1e12:
        raise ValueError(_("That number is too large for this question."))
    if question.decimals == 0 and not number.is_integer():
        raise ValueError(_("The question asks for a whole number: type one without decimals."))
    # rounded as the number box shows it (half away from zero, on the number's exact binary
    # value, as JavaScript's toFixed): 2.5 showed 3 in the box and was stored and said 2 (a
    # review)
    shown = Decimal(number).quantize(Decimal(1).scaleb(-question.decimals), ROUND_HALF_UP)
    if question.kind in PROBABILITY_ANSWERS and not 0 <= shown <= 1:
        raise ValueError(
            _("A probability is between 0 and 1: for 33%, type {example}.").format(
                example=localize("0.33")
            )
        )
    if shown == 0:
        shown = abs(shown)  # "-0.00" and "0.00" are one answer
    return f"{shown:f}"


# --- what the projector draws ------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    answers: tuple[str, ...]
    """The bars, in order: every option (even with no vote), or the distinct numbers."""
    counts: tuple[int, ...]
    total: int
    """Answers received (the sum of ``counts``)."""
    numeric: bool = False
    """Whether the answers are typed numbers (stored the Python way, see :func:`answer_text`)."""


def tally_text(tally: Tally, answer: str) -> str:
    """A tally bar's name as the reader sees it: a typed number with the reader's decimal
    sign (0,33 in Spanish and French), anything else as :func:`option_text` shows it.

    >>> from softmax_ui.i18n import language
    >>> with language("fr"):
    ...     tally_text(Tally(("0.33", OTHER), (2, 1), 3, numeric=True), "0.33")
    '0,33'
    """
    if tally.numeric and NUMBER.fullmatch(answer):
        return localize(answer)
    return option_text(answer)


def tally(question: Question, answers: Sequence[str], *, right: Iterable[str] = ()) -> Tally:
    """Count the answers per option (options in their order), or per distinct number (in
    increasing order; beyond 12 distinct values the rest are counted as "other"). ``right``:
    numbers that have a bar even if nobody gave them (the revealed right answers: a chart
    without the one nobody found did not show it, a tour), and are never counted as "other".

    >>> q = ask("uniform_T_to_inf", LessonState(), None)
    >>> tally(q, ["0.50", "0.50"], right=["0.33"])
    Tally(answers=('0.33', '0.50'), counts=(0, 2), total=2, numeric=True)
    """
    counts = Counter(answers)
    if question.options:
        known = list(question.options)
        other = sum(n for a, n in counts.items() if a not in question.options)
    else:
        always = set(right)
        known = sorted(set(counts) | always, key=lambda a: (finite(a) is None, finite(a) or 0.0, a))
        other = 0
        if len(known) > MAX_BARS:
            # the most given, the smaller number first among equals (a stable sort of the
            # numbers in order: a set's order moved bars between runs, a review)
            ranked = sorted((a for a in known if a not in always), key=lambda a: -counts[a])
            kept = always | set(ranked[: max(0, MAX_BARS - 1 - len(always))])
            other = sum(counts[a] for a in known if a not in kept)
            known = [a for a in known if a in kept]
    bars = known + ([OTHER] if other else [])
    values = [counts.get(a, 0) for a in known] + ([other] if other else [])
    return Tally(tuple(bars), tuple(values), len(answers), numeric=not question.options)


def right_answers(question: Question, answers: Sequence[str]) -> set[str]:
    """The answers a revealed chart marks right: every right choice of a choice question,
    every right number of a number question (as :func:`answer_text` stores it), and of the
    numbers in ``answers`` those that are right. Each has its bar, even one nobody gave
    (``tally(…, right=…)``).

    >>> q = ask("uniform_T_to_inf", LessonState(), None)
    >>> sorted(right_answers(q, ["0.33", "0.5", "0.33"]))
    ['0.33']
    >>> sorted(right_answers(q, ["0.5"]))
    ['0.33']
    """
    if question.options:
        return {a for a in question.options if judge(question, a).correct}
    found = {a for a in set(answers) if judge(question, a).correct}
    return found | {answer_text(question, value) for value in judge(question, "").values}


# --- after class -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    number: int
    prompt: str
    logits: str
    right_answer: str
    answered: int
    right: int
    tally: Tally
    z: str = ""
    """The logits alone ("2, 2, 0.5"): two rows asking the same of other logits differ by them."""

    @property
    def percent_right(self) -> float:
        return 100.0 * self.right / self.answered if self.answered else float("nan")


def report(
    polls: Sequence[tuple[int, Question, Sequence[str]]], *, revealed: Collection[int] = ()
) -> list[Row]:
    """Per question: how many answered, how many were right, the distribution. A question
    in ``revealed`` (by number) counts its right numbers as the projector draws them: each
    one a row, given or not, never in "other"; before its reveal its answers are counted
    as given, so where its right numbers are is not told (the projector shows the table).

    >>> q = ask("uniform_T_to_inf", LessonState(), None)
    >>> report([(1, q, ["0.50"])])[0].tally.answers
    ('0.50',)
    >>> report([(1, q, ["0.50"])], revealed={1})[0].tally.answers
    ('0.33', '0.50')
    """
    rows = []
    for number, asked, stored in polls:
        question, answers = as_read(asked, stored)
        good = right_answers(question, answers)
        rows.append(
            Row(
                number,
                question.prompt,
                quiz.describe(question),
                judge(question, "").answer,
                len(answers),
                sum(1 for a in answers if a in good),
                tally(question, answers, right=good if number in revealed else ()),
                logit_list(question.logits),
            )
        )
    return rows


SPREADSHEET_NUMBER = re.compile(r"-?\d+([.,]\d+)?")
"""A number as a spreadsheet reads it, with either decimal sign: never run as a formula."""


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = str(value)
    if SPREADSHEET_NUMBER.fullmatch(text):
        return text  # a negative number stays a number
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_COLUMNS = (
    N_("question"),
    N_("prompt"),
    N_("logits"),
    N_("right answer"),
    N_("answered"),
    N_("right answers"),
    N_("right answers (%)"),
    N_("answer"),
    N_("count"),
)
"""The report's columns (English, marked: the CSV is written in the reader's language)."""


def report_csv(rows: Sequence[Row]) -> str:
    """One line per question and answer: no student ids, no nicknames. Written for the
    reader's spreadsheet: a byte order mark (so Excel reads the file as UTF-8: "¿Qué", "→",
    "Σ"), and where the decimal sign is a comma, semicolons between the cells and a comma in
    every number (a comma-separated file opened in a Spanish Excel put each line in one
    cell, and "0,19" stood beside "0.19" and "66.7" in one line).

    >>> from softmax_ui.i18n import language
    >>> q = ask("uniform_T_to_inf", LessonState(), None)
    >>> with language("es"):
    ...     text = report_csv(report([(1, q, ["0.33", "0.5"])]))
    >>> text.startswith("\ufeffpregunta;"), text.splitlines()[1].endswith(";0,33;2;1;50,0;0,33;1")
    (True, True)
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if decimal_comma() else ",", lineterminator="\n")
    writer.writerow([_(name) for name in CSV_COLUMNS])
    for row in rows:
        percent = "" if not row.answered else localize(f"{row.percent_right:.1f}")
        bars = list(zip(row.tally.answers, row.tally.counts, strict=True)) or [("", 0)]
        for answer, count in bars:
            cells = [row.number, row.prompt, row.logits, row.right_answer, row.answered]
            shown = tally_text(row.tally, answer)
            writer.writerow([_cell(c) for c in [*cells, row.right, percent, shown, count]])
    return "\ufeff" + out.getvalue()


def question_news(number: int, status: str, question: Question, mine: str | None) -> str:
    """What a student's screen reader is told of the room's question ``number`` (its
    ``status``: open, closed or revealed; ``mine``: the student's answer as they read it).

    >>> q = quiz.new_question(np.random.default_rng(0), (2.0, 1.0), ("a", "b"))
    >>> question_news(3, "closed", q, None)
    'Question 3: answers are closed.'
    >>> question_news(3, "open", q, None) == "Question 3: " + q.prompt
    True
    """
    if status == "open":
        return _("Question {number}: {prompt}").format(number=number, prompt=question.prompt)
    if status == "closed":
        return _("Question {number}: answers are closed.").format(number=number)
    verdict = judge(question, mine if mine is not None else "")
    if mine is None:
        return _("Question {number}: the answer is {answer}.").format(
            number=number, answer=verdict.answer
        )
    if verdict.correct:
        return _("Question {number}: the answer is {answer}. You were right.").format(
            number=number, answer=verdict.answer
        )
    return _("Question {number}: the answer is {answer}. You said {given}.").format(
        number=number, answer=verdict.answer, given=shown_answer(question, mine)
    )

"""Lesson 7: predict, then reveal. Questions on every lesson, computed from live logits."""

import numpy as np
import streamlit as st

from softmax_ui.catalog import QUIZ
from softmax_ui.controls import logits_editor
from softmax_ui.page import lesson, visible
from softmax_ui.quiz import KINDS, Question, check, describe, new_question
from softmax_ui.session import current
from softmax_ui.text import markdown_safe

RNG = "quiz:rng"
QUESTION = "quiz:question"
NUMBER = "quiz:number"
# How many questions this session has drawn (makes each answer widget fresh).
RESULT = "quiz:result"
# (question number, the student's answer, Verdict) once checked.
SCORE = "quiz:score"
MISSING = "quiz:missing"


def answer_key(number: int) -> str:
    return f"quiz:answer:{number}"


def draw_question() -> None:
    s = current()
    if RNG not in st.session_state:
        st.session_state[RNG] = np.random.default_rng(s.seed)
    previous = st.session_state.get(QUESTION)
    st.session_state[QUESTION] = new_question(
        st.session_state[RNG],
        s.logits,
        s.labels,
        avoid=previous.kind if previous else None,
    )
    st.session_state[NUMBER] = st.session_state.get(NUMBER, 0) + 1
    st.session_state[RESULT] = None
    st.session_state[MISSING] = False


def check_answer() -> None:
    number, question = st.session_state[NUMBER], st.session_state[QUESTION]
    answer = st.session_state.get(answer_key(number))
    if answer is None:
        st.session_state[MISSING] = True
        return
    verdict = check(question, answer)
    st.session_state[RESULT] = (number, answer, verdict)
    st.session_state[MISSING] = False
    score = st.session_state[SCORE]
    st.session_state[SCORE] = {
        "correct": score["correct"] + verdict.correct,
        "answered": score["answered"] + 1,
    }


state = lesson(
    QUIZ,
    "Commit to an answer first, then see the right one computed live. Many questions are "
    f"about the logits in the editor, so change them and the questions change too "
    f"({len(KINDS)} kinds of question, from every lesson).",
)

if SCORE not in st.session_state:
    st.session_state[SCORE] = {"correct": 0, "answered": 0}
if QUESTION not in st.session_state:
    draw_question()

question: Question = st.session_state[QUESTION]
number: int = st.session_state[NUMBER]
result = st.session_state.get(RESULT)
checked = result is not None and result[0] == number

score = st.session_state[SCORE]
s1, s2, s3 = st.columns(3)
s1.metric("Correct", score["correct"])
s2.metric("Answered", score["answered"])
s3.metric("Score", f"{score['correct'] / score['answered']:.0%}" if score["answered"] else "–")

with st.container(border=True):
    st.caption(f"Question {number} · from the lesson *{markdown_safe(question.lesson)}*")
    st.markdown(f"**The logits:** {markdown_safe(describe(question))}")
    st.markdown(f"#### {markdown_safe(question.prompt)}")
    if question.numeric:
        st.number_input(
            "Your answer" + (" (a whole number)" if question.decimals == 0 else ""),
            value=None,
            step=1.0 if question.decimals == 0 else 0.01,
            format="%.0f" if question.decimals == 0 else "%.2f",
            placeholder="Type a number",
            key=answer_key(number),
            disabled=checked,
        )
    else:
        st.radio(
            "Your answer",
            options=list(question.options),
            index=None,
            format_func=markdown_safe,
            key=answer_key(number),
            disabled=checked,
        )
    check_col, next_col, _ = st.columns([1, 1, 4])
    check_col.button("Check", on_click=check_answer, disabled=checked, type="primary")
    next_col.button("New question", on_click=draw_question)
    if st.session_state.get(MISSING) and not checked:
        st.error("Choose or type an answer first, then press Check.", icon=":material/edit:")

if checked:
    _, answer, verdict = result
    if verdict.correct:
        st.success(
            f"**Right.** The answer is {markdown_safe(verdict.answer)}.",
            icon=":material/check_circle:",
        )
    else:
        st.error(
            f"**Not quite.** You said {markdown_safe(answer)}; the answer is "
            f"**{markdown_safe(verdict.answer)}**.",
            icon=":material/cancel:",
        )
    if visible("explanation"):
        st.markdown(
            "**Computed just now:**\n\n"
            + "\n".join(f"- {markdown_safe(line)}" for line in verdict.proof)
        )

if question.logits != state.logits:
    st.caption(
        "The editor's logits have changed since this question was drawn: "
        "**New question** uses the new ones."
    )

if visible("editor"):
    with st.expander("The logits new questions are about", expanded=False):
        logits_editor()

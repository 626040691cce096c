"""Lesson 7: predict, then reveal. Questions on every lesson, computed from live logits."""

import streamlit as st

from softmax_ui.catalog import QUIZ
from softmax_ui.controls import logits_editor
from softmax_ui.page import lesson, visible
from softmax_ui.quiz import KINDS, describe
from softmax_ui.quiz_round import check_answer, current_round, draw_question
from softmax_ui.session import current, section
from softmax_ui.text import markdown_safe

lesson(
    QUIZ,
    "Commit to an answer first, then see the right one computed live. Many questions are "
    f"about the logits in the editor, so change them and the questions change too "
    f"({len(KINDS)} kinds of question, from every lesson).",
)


@section("lesson")
def body() -> None:
    state = current()
    quiz = current_round()
    question, number, checked = quiz.question, quiz.number, quiz.checked is not None

    s1, s2, s3 = st.columns(3)
    s1.metric("Correct", quiz.score.correct)
    s2.metric("Answered", quiz.score.answered)
    s3.metric("Score", quiz.score.share)

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
                key=quiz.answer_key,
                disabled=checked,
            )
        else:
            st.radio(
                "Your answer",
                options=list(question.options),
                index=None,
                format_func=markdown_safe,
                key=quiz.answer_key,
                disabled=checked,
            )
        check_col, next_col, _ = st.columns([1, 1, 4])
        check_col.button("Check", on_click=check_answer, disabled=checked, type="primary")
        next_col.button("New question", on_click=draw_question)
        if quiz.missing_answer and not checked:
            st.error("Choose or type an answer first, then press Check.", icon=":material/edit:")

    if quiz.checked:
        answer, verdict = quiz.checked.answer, quiz.checked.verdict
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


body()

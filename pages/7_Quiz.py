"""Lesson 7: predict, then reveal. Questions on every lesson, computed from live logits."""

import streamlit as st

from softmax_ui.catalog import QUIZ
from softmax_ui.controls import logits_editor, teachers_settings
from softmax_ui.i18n import _
from softmax_ui.live import following, identity
from softmax_ui.page import answer_place, asks, lesson, question_prompt, visible
from softmax_ui.quiz import KINDS, describe, in_verdict, lesson_title, option_text, why_not
from softmax_ui.quiz_round import check_answer, current_round, draw_question, shown_answer
from softmax_ui.session import current, section
from softmax_ui.text import markdown_safe

lesson(
    QUIZ,
    _(
        "Commit to an answer first, then see the right one computed live. Many questions are "
        "about the logits in the editor, so change them and the questions change too "
        "({n} kinds of question, from every lesson)."
    ).format(n=len(KINDS)),
)


@section("lesson")
def body() -> None:
    state = current()
    quiz = current_round()
    question, number, checked = quiz.question, quiz.number, quiz.checked is not None

    if quiz.lost:
        st.info(
            _(
                "Your earlier round is no longer on the server (the app was restarted, or the "
                "round was left for hours), so a new round starts here."
            ),
            icon=":material/restart_alt:",
        )
    in_class = identity()
    if in_class is not None:
        # each has a round of their own: the teacher's New question left the room on
        # question 1, with the bar saying they followed (a teacher's tour)
        st.caption(
            _(
                "In the live class each student answers a round of their own here, at their "
                "own pace: **New question** changes only your screen. To put one question to "
                "the whole room and see its answers, use **Ask the room** on the class page."
            )
            if in_class.teacher
            else _(
                "Your own round, at your own pace: the teacher's **New question** does not "
                "change yours. The teacher's questions to the whole room come on the class "
                "page."
            )
        )
    s1, s2, s3 = st.columns(3)
    s1.metric(_("Correct"), quiz.score.correct)
    s2.metric(_("Answered"), quiz.score.answered)
    s3.metric(_("Score"), quiz.score.share)

    with st.container(border=True):
        st.caption(
            _("Question {number} · from the lesson *{lesson}*").format(
                number=number, lesson=markdown_safe(lesson_title(question))
            )
        )
        st.markdown(_("**The logits:** {logits}").format(logits=markdown_safe(describe(question))))
        question_prompt(question.prompt, level=2)
        if question.numeric:
            st.text_input(
                _("Your answer (a whole number)") if question.decimals == 0 else _("Your answer"),
                value=None,
                max_chars=40,
                placeholder=(
                    _("Type a whole number, e.g. 3")
                    if question.decimals == 0
                    else _("Type a number, e.g. 0.25")
                ),
                key=quiz.answer_key,
                disabled=checked,
            )
            if quiz.unreadable and not checked:
                st.error(markdown_safe(quiz.unreadable), icon=":material/edit:")
        else:
            st.radio(
                _("Your answer"),
                options=list(question.options),
                index=None,
                format_func=lambda option: markdown_safe(option_text(option)),
                key=quiz.answer_key,
                disabled=checked,
            )
        check_col, next_col, _space = st.columns([1, 1, 4])
        check_col.button(
            _("Check"),
            on_click=check_answer,
            disabled=checked,
            type="primary",
            key=asks("verdict", "check"),
        )
        next_col.button(_("New question"), on_click=draw_question)
        if quiz.missing_answer and not checked:
            with answer_place("verdict"):  # (no verdict yet: this is Check's answer)
                st.error(
                    _("Choose or type an answer first, then press Check."), icon=":material/edit:"
                )

    if quiz.checked:
        answer, verdict = quiz.checked.answer, quiz.checked.verdict
        with answer_place("verdict"):
            if verdict.correct:
                st.success(
                    _("**Right.** The answer is {answer}.").format(
                        answer=in_verdict(question, verdict.answer)
                    ),
                    icon=":material/check_circle:",
                )
            else:
                st.error(
                    _("**Not quite.** You said {given}; the answer is **{answer}**.").format(
                        given=in_verdict(question, shown_answer(answer)),
                        answer=in_verdict(question, verdict.answer),
                    )
                    + why_not(verdict),  # a negative loss: why it cannot be
                    icon=":material/cancel:",
                )
            if visible("explanation"):
                st.markdown(
                    _("**Computed just now:**")
                    + "\n\n"
                    + "\n".join(f"- {markdown_safe(line)}" for line in verdict.proof)
                )

    if question.logits != state.logits:
        st.caption(
            _(
                "The editor's logits have changed since this question was drawn: "
                "**New question** uses the new ones."
            )
        )

    if visible("editor") and following():
        teachers_settings()  # the teacher's next move would undo a change in the editor
    elif visible("editor"):
        with st.expander(_("The logits new questions are about"), expanded=False):
            logits_editor()


body()

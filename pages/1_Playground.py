"""Lesson 1: change the logits and the temperature, watch the probabilities."""

import math

import numpy as np
import streamlit as st

from softmax_ui.catalog import PLAYGROUND
from softmax_ui.controls import editor_beside_picture
from softmax_ui.explain import share_of_ceiling, temperature_effect
from softmax_ui.i18n import _
from softmax_ui.page import lesson, visible
from softmax_ui.pictures import predict, prediction_picture
from softmax_ui.session import current, section
from softmax_ui.tables import markdown_table, softmax_steps, to_csv
from softmax_ui.text import fixed, prose_number

lesson(
    PLAYGROUND,
    _(
        "Softmax turns any list of scores into probabilities. Move the logits and the "
        "temperature and watch the bars: they are always positive and always add up to 1."
    ),
)


@section("lesson", shows=())
def body() -> None:
    picture = editor_beside_picture()
    with picture:
        prediction()
    formula_and_explanation()


@section("prediction")
def prediction() -> None:
    guess = predict(current())
    p, H = guess.probabilities, guess.entropy
    prediction_picture(
        guess,
        winner_label=_("Predicted class (argmax)"),
        entropy_help=_("0 = certain; log K = uniform over K classes."),
    )
    st.caption(
        _(
            "Entropy ranges from 0 (all probability on one class) to log {k} = {log_k} nats "
            "(every class equally likely); this distribution is at {share} of the maximum."
        ).format(
            k=len(p),
            log_k=fixed(math.log(len(p)), 3),
            share=share_of_ceiling(
                H, math.log(len(p)), equal=len(guess.winners) == len(p), noun=True
            ),
        )
    )


@section("formula")
def formula_and_explanation() -> None:
    state = current()
    labels, z, T = state.labels, np.array(state.logits), state.temperature
    steps = softmax_steps(labels, z, T)
    if visible("table"):
        st.header(_("The formula, step by step"))
        st.markdown(
            _(
                "Divide by the temperature, subtract the largest value (so every exponent is "
                "≤ 0 and exp() cannot overflow), exponentiate, and divide by the sum."
            )
        )
        st.markdown(markdown_table(steps))
        total = float(np.sum(steps["exp(z/T − max)"]))
        p = predict(state).probabilities
        st.markdown(
            _(
                "Σ exp(z/T − max) = **{total}**; each p is its exp divided by that sum, and the "
                "p column adds up to **{sum}**."
            ).format(total=prose_number(total), sum=prose_number(float(np.sum(p))))
        )
        st.download_button(
            _("Download this table as CSV"),
            # made when clicked, from this run's table: a keypress no longer writes a file
            # that the browser then fetches to check, and no click finds a replaced file gone
            data=lambda: to_csv(steps),
            file_name=_("softmax_steps.csv"),
            mime="text/csv",
            on_click="ignore",  # a download changes nothing on the page
        )

    if visible("explanation"):
        st.header(_("What the temperature does"))
        st.markdown(temperature_effect(labels, z, T))


body()

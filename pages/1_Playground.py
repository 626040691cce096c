"""Lesson 1: change the logits and the temperature, watch the probabilities."""

import math

import numpy as np
import streamlit as st

from softmax_core import entropy, softmax, top_classes
from softmax_ui import speech
from softmax_ui.catalog import PLAYGROUND
from softmax_ui.controls import editor_beside_picture
from softmax_ui.explain import temperature_effect
from softmax_ui.figures import probability_bars
from softmax_ui.page import announce, chart, font_size, lesson, visible
from softmax_ui.tables import markdown_table, softmax_steps, to_csv
from softmax_ui.text import percent, prose_number, winner_metric

state = lesson(
    PLAYGROUND,
    "Softmax turns any list of scores into probabilities. Move the logits and the temperature "
    "and watch the bars: they are always positive and always add up to 1.",
)

picture = editor_beside_picture()

labels, z, T = state.labels, np.array(state.logits), state.temperature
p = softmax(z, temperature=T)
# Dividing by T > 0 keeps the order of the logits, so the tied-for-largest logits are the
# classes with the largest probability, exactly (even where float64 rounds p to a tie).
top = [int(i) for i in top_classes(z)]
winner = top[0]
each = "" if len(top) == 1 else " each"
H = float(entropy(p))

with picture:
    chart(
        probability_bars(
            labels,
            p,
            title=f"softmax(z / T) with T = {prose_number(T)}",
            winners=top,
            font_size=font_size(),
        ),
        alt=f"Bar chart of {len(p)} class probabilities at T = {prose_number(T)}: "
        f"{speech.top(labels, p)}.",
        docked=True,
    )
    announce(speech.prediction(labels, p, T))
    a, b, c = st.columns(3)
    a.metric("Predicted class (argmax)", **winner_metric(labels, top))
    b.metric("Its probability", prose_number(p[winner], 3) + each)
    c.metric("Entropy", f"{H:.3f} nats", help="0 = certain; log K = uniform over K classes.")
    st.caption(
        f"Entropy ranges from 0 (all probability on one class) to log {len(p)} = "
        f"{math.log(len(p)):.3f} nats (every class equally likely); this distribution is at "
        f"{percent(min(H / math.log(len(p)), 1.0))} of the maximum."
    )

steps = softmax_steps(labels, z, T)
if visible("table"):
    st.subheader("The formula, step by step")
    st.markdown(
        "Divide by the temperature, subtract the largest value (so every exponent is ≤ 0 and "
        "exp() cannot overflow), exponentiate, and divide by the sum."
    )
    st.markdown(markdown_table(steps))
    total = float(np.sum(steps["exp(z/T − max)"]))
    st.markdown(
        f"Σ exp(z/T − max) = **{prose_number(total)}**; each p is its exp divided by that sum, "
        "and the "
        f"p column adds up to **{prose_number(float(np.sum(p)))}**."
    )
    st.download_button(
        "Download this table as CSV",
        data=to_csv(steps),
        file_name="softmax_steps.csv",
        mime="text/csv",
    )

if visible("explanation"):
    st.subheader("What the temperature does")
    st.markdown(temperature_effect(labels, z, T))

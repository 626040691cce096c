"""Lesson 1: change the logits and the temperature, watch the probabilities."""

import math

import numpy as np
import streamlit as st

from softmax_core import entropy, softmax
from softmax_ui.catalog import PLAYGROUND
from softmax_ui.controls import editor_beside_picture
from softmax_ui.figures import probability_bars
from softmax_ui.page import announce, chart, font_size, lesson, visible
from softmax_ui.speech import prediction, top
from softmax_ui.tables import markdown_table, softmax_steps, to_csv
from softmax_ui.text import md, num

state = lesson(
    PLAYGROUND,
    "Softmax turns any list of scores into probabilities. Move the logits and the temperature "
    "and watch the bars: they are always positive and always add up to 1.",
)

picture = editor_beside_picture()

labels, z, T = state.labels, np.array(state.logits), state.temperature
p = softmax(z, temperature=T)
winner = int(np.argmax(p))
H = float(entropy(p))

with picture:
    chart(
        probability_bars(
            labels, p, title=f"softmax(z / T) with T = {num(T)}", font_size=font_size()
        ),
        alt=f"Bar chart of {len(p)} class probabilities at T = {num(T)}: {top(labels, p)}.",
    )
    announce(prediction(labels, p, T))
    a, b, c = st.columns(3)
    a.metric("Predicted class (argmax)", labels[winner])
    b.metric("Its probability", num(p[winner], 3))
    c.metric("Entropy", f"{H:.3f} nats", help="0 = certain; log K = uniform over K classes.")
    st.caption(
        f"Entropy ranges from 0 (all probability on one class) to log {len(p)} = "
        f"{math.log(len(p)):.3f} nats (every class equally likely); this distribution is at "
        f"{H / math.log(len(p)):.0%} of the maximum."
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
        f"Σ exp(z/T − max) = **{num(total)}**; each p is its exp divided by that sum, and the "
        f"p column adds up to **{num(float(np.sum(p)))}**."
    )
    st.download_button(
        "Download this table as CSV",
        data=to_csv(steps),
        file_name="softmax_steps.csv",
        mime="text/csv",
    )

if visible("explanation"):
    st.subheader("What the temperature does")
    sharp = softmax(z, temperature=T / 2)
    flat = softmax(z, temperature=T * 2)
    st.markdown(
        f"Dividing the logits by T before the exponential scales the gaps between them. "
        f"At T = {num(T)} the top class **{md(labels[winner])}** gets {num(p[winner], 3)}. "
        f"Halve T to {num(T / 2)} and it gets {num(sharp[winner], 3)} (sharper, towards a "
        f"one-hot argmax); double T to {num(T * 2)} and it gets {num(flat[winner], 3)} "
        f"(flatter, towards 1/{len(p)} = {num(1 / len(p), 3)} each). The order of the classes "
        "never changes: softmax is monotonic, so the argmax is the same at every temperature."
    )

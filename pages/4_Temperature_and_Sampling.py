"""Lesson 4: temperature from argmax to uniform, sampling, and top-k / top-p filtering."""

import math

import numpy as np
import streamlit as st

from softmax_core import entropy, sample_counts, softmax, top_k_filter, top_p_filter
from softmax_ui.catalog import TEMPERATURE
from softmax_ui.controls import (
    editor_beside_picture,
    matching_preset,
    paired_slider,
    seed_input,
    whole_number,
)
from softmax_ui.figures import probability_bars
from softmax_ui.figures_temperature import (
    entropy_vs_temperature,
    filtered_bars,
    probability_vs_temperature,
    sample_frequencies,
)
from softmax_ui.page import announce, chart, font_size, lesson, visible
from softmax_ui.presets import PRESETS
from softmax_ui.session import bound, commit, current, update
from softmax_ui.speech import prediction, top
from softmax_ui.text import md, num

NLP = "Next word (NLP)"
T_LOW, T_HIGH = 0.05, 20.0
# 41 temperatures, evenly spaced on the log-T axis (T = 1 in the middle): few enough to send
# on every rerun, and drawn as straight segments the curves stay within a pixel of the exact
# ones for any logits (the check is in docs/benchmarks.md, "Sampling density of the curves").
SWEEP = np.geomspace(T_LOW, T_HIGH, 41)


def load_nlp_preset() -> None:
    preset = PRESETS[NLP]
    state = current().with_classes(len(preset.logits))
    commit(state.replace(logits=preset.logits, labels=preset.labels))


def draw_again() -> None:
    update(seed=(current().seed + 1) % 2**32)


state = lesson(
    TEMPERATURE,
    "A language model does not always write its most likely word: it *samples* from softmax. "
    "The temperature decides how adventurous that draw is, and top-k / top-p cut off the "
    "unlikely tail first.",
)

picture = editor_beside_picture()

labels, z, T = state.labels, np.array(state.logits), state.temperature
K = len(z)
p = softmax(z, temperature=T)
winner = int(np.argmax(p))
H = float(entropy(p))
log_k = math.log(K)

with picture:
    chart(
        probability_bars(
            labels, p, title=f"softmax(z / T) with T = {num(T)}", font_size=font_size()
        ),
        alt=f"Bar chart of {K} class probabilities at T = {num(T)}: {top(labels, p)}.",
    )
    announce(prediction(labels, p, T))
    a, b, c = st.columns(3)
    a.metric("Most likely class", labels[winner])
    b.metric("Its probability", num(p[winner], 3))
    c.metric("Entropy", f"{H:.3f} nats", help=f"0 = certain; log {K} = {log_k:.3f} = uniform.")

# --- T from 0.05 to 20 --------------------------------------------------------------------------
st.header("From argmax to uniform: sweep T from 0.05 to 20")
sweep = softmax(z[np.newaxis, :] / SWEEP[:, np.newaxis])
sweep_h = entropy(sweep)  # one value per temperature
left, right = st.columns(2)
with left:
    chart(
        probability_vs_temperature(
            labels, SWEEP, sweep, temperature=T, current=p, font_size=font_size()
        ),
        alt=f"Line chart: the probability of each of the {K} classes as T goes from 0.05 to 20 "
        f"on a log axis, with the current T = {num(T)} marked, where {top(labels, p)}.",
        key="sweep_chart",
    )
with right:
    chart(
        entropy_vs_temperature(
            SWEEP, sweep_h, temperature=T, current=H, n_classes=K, font_size=font_size()
        ),
        alt=f"Line chart: entropy rises from {num(sweep_h[0], 3)} nats at T = 0.05 to "
        f"{num(sweep_h[-1], 3)} at T = 20, below the ceiling log {K} = {log_k:.3f}; "
        f"{num(H, 3)} nats at the current T = {num(T)}.",
        key="entropy_chart",
    )

if visible("explanation"):
    cold, hot = sweep[0], sweep[-1]
    tied = np.flatnonzero(z == z.max())
    if len(tied) == 1:
        cold_text = (
            f"**{md(labels[winner])}** (the largest logit) takes {num(cold[winner], 6)} and "
            f"the entropy is {num(sweep_h[0], 3)} nats: softmax becomes **argmax**, a one-hot "
            "vector, because dividing by a tiny T blows every gap between logits up."
        )
    else:
        names = ", ".join(f"**{md(labels[i])}**" for i in tied)
        cold_text = (
            f"the {len(tied)} tied classes {names} share it, {num(cold[tied[0]], 4)} each, and "
            f"the entropy tends to log {len(tied)} = {math.log(len(tied)):.3f}: a tie stays a "
            "tie at every temperature, so the limit is an even split of the argmax set."
        )
    st.markdown(
        f"**T → 0.** At T = {num(T_LOW)} {cold_text}\n\n"
        f"**T → ∞.** At T = {num(T_HIGH)} the probabilities are "
        f"{num(hot.min(), 3)} to {num(hot.max(), 3)}, close to 1/{K} = {num(1 / K, 3)} each, "
        f"and the entropy is {num(sweep_h[-1], 3)} nats, near its ceiling log {K} = "
        f"{log_k:.3f}: every z/T shrinks towards 0, so the distribution becomes **uniform**.\n\n"
        f"**Now** (T = {num(T)}): entropy {num(H, 3)} nats, {H / log_k:.0%} of the way from "
        "certain to uniform. Temperature never changes the order of the classes, only how "
        "unevenly the probability is shared."
    )

# --- sampling ---------------------------------------------------------------------------------
st.header("Sampling: what a generator actually picks")
st.markdown(
    "A model that always took the argmax would write the same text every time. Sampling draws "
    "a class with probability p instead. The seed fixes the random draw, so everyone who "
    "opens this link sees the same samples."
)
n_col, seed_col, again_col = st.columns([2, 2, 1], vertical_alignment="bottom")
with n_col:
    bound(
        st.number_input,
        "n_samples",
        "Number of samples N (1 to 10,000)",
        step=100,
        get=lambda s: s.n_samples,
        put=lambda s, v: s.replace(n_samples=whole_number(v, "number of samples")),
    )
with seed_col:
    seed_input("seed", "Random seed")
with again_col:
    st.button(
        "Draw again",
        icon=":material/casino:",
        on_click=draw_again,
        help="Next seed: a fresh draw of N samples.",
    )


n, seed = state.n_samples, state.seed
counts = np.asarray(sample_counts(p, n, seed))
freq = counts / n
chart(
    sample_frequencies(labels, p, counts, seed=seed, font_size=font_size()),
    alt=f"Bar chart of the expected probabilities with the observed frequencies of {n} "
    f"samples (seed {seed}) drawn over them: {top(labels, freq, what='observed frequency')}.",
    key="sample_chart",
)
if visible("explanation"):
    gap = int(np.argmax(np.abs(freq - p)))
    spread = math.sqrt(p[gap] * (1 - p[gap]) / n)
    st.markdown(
        f"In {n:,} draws **{md(labels[gap])}** is furthest from its probability: observed "
        f"{num(freq[gap], 4)} vs expected {num(p[gap], 4)}. Chance alone moves a frequency by "
        f"about √(p(1 − p)/N) = {num(spread, 3)} here, so the gap shrinks like 1/√N: "
        "multiply N by 100 and the diamonds land 10 times closer to the bars."
    )

# --- top-k and top-p --------------------------------------------------------------------------
st.header("Top-k and top-p: cut the tail, then sample")
if matching_preset(state) != NLP:
    info, button = st.columns([4, 1], vertical_alignment="center")
    info.info(
        "Top-k and top-p come from text generation. Load the next-word example to see them "
        "on a language model's vocabulary.",
        icon=":material/lightbulb:",
    )
    button.button(f"Load “{NLP}”", on_click=load_nlp_preset)

k_col, p_col = st.columns(2)
with k_col:
    paired_slider(
        (f"top_k:{K}", "top_k_number"),
        "top-k: keep the k most likely classes",
        min_value=1,
        max_value=K,
        step=1,
        number_label="k (1 to the number of classes)",
        get=lambda s: min(s.top_k, K),
        put=lambda s, v: s.replace(top_k=int(v)),
    )
with p_col:
    paired_slider(
        ("top_p", "top_p_number"),
        "top-p (nucleus): keep the fewest classes whose total reaches p",
        min_value=0.01,
        max_value=1.0,
        step=0.01,
        number_label="p (above 0, at most 1)",
        number_format="%.2f",
        get=lambda s: s.top_p,
        put=lambda s, v: s.replace(top_p=float(v)),
    )


k, top_p = min(state.top_k, K), state.top_p
after_k = np.asarray(top_k_filter(p, k))
after_p = np.asarray(top_p_filter(p, top_p))
chart(
    filtered_bars(
        labels,
        p,
        {f"after top-k (k = {k})": after_k, f"after top-p (p = {num(top_p)})": after_p},
        title=f"Before and after filtering: top-k with k = {k}, top-p with p = {num(top_p)}",
        font_size=font_size(),
    ),
    alt=f"Grouped bars per class: the distribution before filtering, after keeping the top "
    f"{k} classes, and after nucleus filtering at p = {num(top_p)}; a class a filter cut is "
    f"labelled “cut”. Top-k keeps {np.count_nonzero(after_k)} of {K} classes, top-p keeps "
    f"{np.count_nonzero(after_p)}.",
    key="filter_chart",
)

if visible("explanation"):
    kept_k = np.flatnonzero(after_k)
    kept_p = np.flatnonzero(after_p)
    order = np.argsort(-p, kind="stable")
    running = np.cumsum(p[order])

    def names(indices) -> str:
        return ", ".join(f"**{md(labels[i])}**" for i in indices)

    note = (
        f" (the link asks for k = {state.top_k}, more than the {K} classes: all are kept)"
        if state.top_k > K
        else ""
    )
    ties = " A class tied with the k-th is kept too." if len(kept_k) > k else ""
    st.markdown(
        f"**Top-k** keeps the {k} most likely classes{note}: {names(kept_k)}. They held "
        f"{num(p[kept_k].sum(), 4)} of the probability; dividing by that total makes them sum "
        f"to 1 again ({num(after_k.sum(), 6)}).{ties}\n\n"
        f"**Top-p** sorts the classes by probability and keeps adding them until the total "
        f"reaches {num(top_p)}. The running totals are "
        + ", ".join(f"{md(labels[i])} {num(r, 3)}" for i, r in zip(order, running, strict=True))
        + f", so it keeps {len(kept_p)} class{'es' if len(kept_p) != 1 else ''}: "
        f"{names(kept_p)}. Unlike top-k it adapts: a confident model keeps few words, an "
        "unsure one keeps many.\n\n"
        "Generators apply temperature first, then top-k or top-p, then sample from what is "
        "left. The draw above samples from the unfiltered softmax(z/T)."
    )

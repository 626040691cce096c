"""Lesson 3: the textbook formula overflows; the max-shift does not."""

import numpy as np
import streamlit as st

from softmax_core import diagnose_naive, exp_limits, logsumexp
from softmax_ui.catalog import NAIVE
from softmax_ui.controls import dtype_control, logits_editor, paired_slider, temperature_control
from softmax_ui.figures import exponent_bars, probability_bars
from softmax_ui.page import announce, chart, font_size, lesson, visible
from softmax_ui.speech import prediction, top
from softmax_ui.state import DTYPES, OFFSET_LIMIT
from softmax_ui.tables import markdown_table
from softmax_ui.text import md, num

state = lesson(
    NAIVE,
    "On paper softmax is exp(z)/Σexp(z). In a computer exp() only goes so far: past a limit it "
    "returns inf, and the formula returns NaN. Push the logits up and watch one version break "
    "while the other does not move.",
)

if visible("editor") or visible("temperature"):
    left, mid = st.columns(2, gap="large")
    with left:
        if visible("editor"):
            logits_editor(expanded=False)
    with mid:
        if visible("temperature"):
            temperature_control()
        dtype_control()
        st.markdown("**Add c to every logit**")
        paired_slider(
            ("offset_slider", "offset_number"),
            "Offset c",
            min_value=-1000.0,
            max_value=1000.0,
            step=1.0,
            number_label=f"c (any value from -{OFFSET_LIMIT:g} to {OFFSET_LIMIT:g})",
            number_format="%.2f",
            help="Softmax is shift-invariant: adding the same c to every logit changes nothing.",
            get=lambda s: s.offset,
            put=lambda s, c: s.replace(offset=float(c)),
        )

labels, T, dtype, c = state.labels, state.temperature, state.dtype, state.offset
z = np.array(state.logits) + c
diagnosis = diagnose_naive(z, temperature=T, dtype=dtype)
limits = exp_limits(dtype)
scaled = np.asarray(diagnosis.scaled, dtype=np.float64)

st.subheader(f"The same logits + {num(c)}, in {dtype}")
naive_col, stable_col = st.columns(2)
with naive_col:
    chart(
        probability_bars(
            labels, diagnosis.naive, title="Naive: exp(z/T) / Σ exp(z/T)", font_size=font_size()
        ),
        alt=f"Naive softmax bar chart in {dtype} at T = {num(T)}: "
        f"{top(labels, diagnosis.naive)}. " + diagnosis.summary,
        key="naive_chart",
    )
with stable_col:
    chart(
        probability_bars(
            labels, diagnosis.stable, title="Stable: subtract max(z/T) first", font_size=font_size()
        ),
        alt=f"Stable softmax bar chart at T = {num(T)}, always a valid distribution: "
        f"{top(labels, diagnosis.stable)}.",
        key="stable_chart",
    )
announce(
    f"{prediction(labels, diagnosis.stable, T)} The naive formula in {dtype} "
    + ("gives the same." if diagnosis.ok else "fails.")
)

if diagnosis.ok:
    st.success(md(diagnosis.summary), icon=":material/check_circle:")
else:
    st.error(md(diagnosis.summary), icon=":material/error:")
with st.expander("What happened to each class", expanded=not diagnosis.ok):
    st.markdown(
        "\n".join(
            f"- **{md(label)}**: {md(reason)}"
            for label, reason in zip(labels, diagnosis.reasons, strict=True)
        )
    )

chart(
    exponent_bars(
        labels,
        scaled,
        overflow=limits.overflow,
        underflow=limits.underflow,
        dtype=dtype,
        font_size=font_size(),
    ),
    alt=f"Bar chart of the exponents z/T + c against the {dtype} overflow line at "
    f"{limits.overflow:.2f} and underflow line at {limits.underflow:.2f}; "
    f"{top(labels, scaled, what='exponent')}.",
    key="exponent_chart",
)

if visible("table"):
    st.markdown("**Where exp() gives up, by precision** (computed from `numpy.finfo`)")
    table = [exp_limits(d) for d in DTYPES]
    st.markdown(
        markdown_table(
            {
                "dtype": [t.dtype for t in table],
                "exp(x) = inf when x >": [t.overflow for t in table],
                "exp(x) is subnormal when x <": [t.subnormal for t in table],
                "exp(x) = 0 when x <": [t.underflow for t in table],
            },
            formats={
                name: "{:.2f}".format
                for name in (
                    "exp(x) = inf when x >",
                    "exp(x) is subnormal when x <",
                    "exp(x) = 0 when x <",
                )
            },
        )
    )

if visible("explanation"):
    m = float(scaled.max())
    shifted = scaled - m
    lse = float(logsumexp(scaled))
    top = int(np.argmax(scaled))
    st.subheader("The fix: shift by the maximum")
    st.markdown(
        f"Softmax does not change when the same number is subtracted from every logit, because "
        f"the factor e^−m cancels between the top and the bottom of the fraction. The stable "
        f"version subtracts m = max(z/T) = **{num(m, 6)}** first. The exponents become "
        f"[{', '.join(num(v, 4) for v in shifted)}]: the largest is exactly 0, so "
        f"exp() lies in (0, 1] and cannot overflow, and the sum is at least 1 (from "
        f"**{md(labels[top])}**), so it is never 0/0. That is why the stable bars never move "
        "when you slide c, while the naive ones break as soon as the largest z/T + c passes "
        f"{limits.overflow:.2f} for {dtype}."
    )
    st.subheader("The log-sum-exp trick")
    st.markdown(
        f"For the loss we need log p, and log of a tiny p underflows too. Instead: "
        f"log Σ exp(z/T) = m + log Σ exp(z/T − m) = {num(m, 6)} + "
        f"{num(lse - m, 6)} = **{num(lse, 8)}**, and log pᵢ = zᵢ/T − logsumexp, e.g. "
        f"log p({md(labels[top])}) = {num(m, 6)} − {num(lse, 8)} = **{num(m - lse, 6)}**, "
        "finite even when p itself is too small to store."
    )

"""Lesson 6: softmax outputs are confidences; temperature scaling calibrates them."""

import streamlit as st

from softmax_ui.calibration_study import N_BINS, N_SAMPLES, cached_calibration_study
from softmax_ui.catalog import CALIBRATION
from softmax_ui.controls import paired_slider, redraw_button, seed_input
from softmax_ui.figures_training import reliability_diagram
from softmax_ui.page import announce, chart, font_size, lesson, visible
from softmax_ui.session import current, section
from softmax_ui.tables import reliability_table
from softmax_ui.text import ordered, prose_number

lesson(
    CALIBRATION,
    "A classifier that says 95 % should be right 95 % of the time. Modern networks are often "
    "*overconfident*: their softmax outputs are larger than their accuracy. One number, a "
    "temperature fitted after training, fixes much of it without changing a single prediction.",
)


@section("lesson")
def body() -> None:
    state = current()
    classes_col, over_col, seed_col, again_col = st.columns(
        [2, 2, 2, 1], vertical_alignment="bottom"
    )
    with classes_col:
        paired_slider(
            ("calib_classes", "calib_classes_number"),
            "Number of classes",
            min_value=3,
            max_value=10,
            step=1,
            number_label="Classes (3 to 10)",
            get=lambda s: s.calib_classes,
            put=lambda s, v: s.replace(calib_classes=int(v)),
        )
    with over_col:
        paired_slider(
            ("overconfidence", "overconfidence_number"),
            "Overconfidence (1 = calibrated)",
            min_value=0.25,
            max_value=10.0,
            step=0.25,
            number_label="Overconfidence (0.25 to 10)",
            number_format="%.2f",
            help="The synthetic model multiplies its well-calibrated logits by this factor: above "
            "1 it is overconfident, below 1 underconfident.",
            get=lambda s: s.overconfidence,
            put=lambda s, v: s.replace(overconfidence=float(v)),
        )
    with seed_col:
        seed_input("calib_seed", "Data seed")
    with again_col:
        redraw_button("New data")

    study = cached_calibration_study(state.calib_classes, state.overconfidence, state.seed)
    before, after, T = study.before, study.after, study.temperature

    st.header("Reliability before and after temperature scaling")
    a, b, c, d = st.columns(4)
    a.metric("Fitted temperature T", prose_number(T, 4))
    b.metric(
        "ECE (test half)",
        prose_number(after.ece, 3),
        delta=f"{prose_number(after.ece - before.ece, 3)} from {prose_number(before.ece, 3)}",
        delta_color="inverse",
        help="Expected calibration error: the average gap between confidence and accuracy over "
        f"{N_BINS} confidence bins, weighted by how many predictions fall in each. 0 is perfect.",
    )
    c.metric(
        "NLL per example (test half)",
        prose_number(after.nll, 4),
        delta=f"{prose_number(after.nll - before.nll, 3)} from {prose_number(before.nll, 4)}",
        delta_color="inverse",
    )
    d.metric(
        "Accuracy (test half)",
        f"{after.accuracy:.1%}",
        delta="unchanged" if after.accuracy == before.accuracy else "changed",
        delta_color="off",
        delta_arrow="off",
    )

    chart(
        reliability_diagram(
            {
                "before: softmax(z)": (
                    before.bins.confidence,
                    before.bins.accuracy,
                    before.bins.counts,
                ),
                f"after: softmax(z / {prose_number(T, 3)})": (
                    after.bins.confidence,
                    after.bins.accuracy,
                    after.bins.counts,
                ),
            },
            font_size=font_size(),
        ),
        alt=f"Reliability diagram: accuracy against confidence in {N_BINS} bins, before scaling "
        f"(ECE {prose_number(before.ece, 3)}) and after dividing by T = {prose_number(T, 3)} "
        f"(ECE {prose_number(after.ece, 3)}); the diagonal is perfect calibration.",
        key="reliability_chart",
        docked=True,
    )
    announce(
        f"Fitted temperature {prose_number(T, 4)}; expected calibration error from "
        f"{prose_number(before.ece, 3)} to {prose_number(after.ece, 3)}."
    )

    changed = study.predictions_changed
    if visible("explanation"):
        direction = (
            "overconfident: T > 1 softens its outputs"
            if T > 1
            else "underconfident: T < 1 sharpens its outputs"
            if T < 1
            else "already calibrated"
        )
        fitted = ordered(T, 1.0, digits=4)[0]  # never printed as 1 unless it is exactly 1
        st.markdown(
            f"The data: {N_SAMPLES:,} examples from a synthetic {state.calib_classes}-class "
            f"model whose logits were multiplied by {prose_number(state.overconfidence)} (seed "
            f"{state.seed}), shuffled into two halves. {study.n_fit:,} are the "
            "**validation half**: T is chosen there to minimise the negative log-likelihood (from "
            f"{prose_number(study.fit_nll_before, 4)} to "
            f"{prose_number(study.fit_nll_after, 4)} nats). The "
            f"other {study.n_test:,} are the **test half**, never seen by the fit, where "
            "everything above is measured.\n\n"
            f"The fitted **T = {fitted}** says the model is {direction}. Before scaling, its "
            f"average confidence is {before.mean_confidence:.1%} for an accuracy of "
            f"{before.accuracy:.1%}; after, {after.mean_confidence:.1%} for "
            f"{after.accuracy:.1%}. ECE goes from {prose_number(before.ece, 3)} to "
            f"{prose_number(after.ece, 3)}.\n\n"
            + (
                f"**What did not change:** dividing every logit by the same positive T keeps "
                f"their order, so the predicted class is the same for all "
                f"{study.n_test:,} test examples and the accuracy stays "
                f"{after.accuracy:.1%}."
                if not changed
                else "**What barely changed:** dividing every logit by the same positive T keeps "
                f"their order, yet float rounding broke a near-tie for {changed:,} of the "
                f"{study.n_test:,} test examples, so the accuracy went from "
                f"{before.accuracy:.1%} to {after.accuracy:.1%}."
            )
        )
        st.subheader("Confidences, not guaranteed probabilities")
        st.markdown(
            "Softmax always returns numbers that look like probabilities: positive, summing to 1. "
            "Nothing in the formula makes them *calibrated*. Training with cross-entropy keeps "
            "pushing the right logit up, and a large network can drive its training loss towards "
            "0 by growing all its logits, which makes the softmax sharper than its real accuracy "
            "justifies. So read a softmax output as the model's confidence.\n\n"
            "**Temperature scaling fixes** a uniform over- or under-confidence: one number, fitted "
            "on held-out data after training, rescales every output. **It does not fix** a model "
            "that is overconfident on some inputs and underconfident on others, inputs unlike the "
            "training data (it can still be sure and wrong there), or the accuracy itself: a "
            "wrong prediction stays wrong, only less sure of itself. And it only holds for data "
            "like the validation half it was fitted on."
        )

    if visible("table"):
        st.subheader("The bins")
        # Two tables of four columns, side by side (one above the other on a phone, where seven
        # columns did not fit), rather than one of seven.
        for column, (heading, scores) in zip(
            st.columns(2),
            (("Before: softmax(z)", before), (f"After: softmax(z / {prose_number(T, 3)})", after)),
            strict=True,
        ):
            column.markdown(f"**{heading}**")
            column.markdown(reliability_table(scores.bins))
        st.caption("Empty bins show –: no prediction had that confidence.")


body()

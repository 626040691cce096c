"""Lesson 5: the cross-entropy loss, its gradient p − y, the Jacobian, and training steps."""

import numpy as np
import streamlit as st

from softmax_core import (
    relu_derivative,
    sigmoid_derivative,
    softmax,
    softmax_jacobian,
    top_classes,
)
from softmax_ui import speech
from softmax_ui.catalog import GRADIENTS
from softmax_ui.controls import editor_beside_picture, learning_rate_input
from softmax_ui.figures import probability_bars
from softmax_ui.figures_training import (
    derivative_curves,
    gradient_bars,
    jacobian_heatmap,
    loss_history,
)
from softmax_ui.page import announce, chart, font_size, lesson, visible
from softmax_ui.session import bound, changes_rerun, current, remount_key, section
from softmax_ui.text import computed_zero, markdown_safe, prose_number, winner_metric
from softmax_ui.training import (
    loss_and_gradient,
    reset_steps,
    step_error,
    steps_taken,
    take_steps,
)

# Every 0.25 from -6 to 6 (0 is on the grid, where ReLU′ jumps): a small chart to re-send when
# the logits move, and drawn as straight segments sigmoid′ stays within a pixel of the exact
# curve (docs/benchmarks.md, "Sampling density of the curves").
X = np.linspace(-6.0, 6.0, 49)

lesson(
    GRADIENTS,
    "Training a classifier means nudging the logits so the right class gets more probability. "
    "The loss says how wrong the prediction is; its gradient says which way to nudge each "
    "logit, and it turns out to be as simple as p − y.",
)


@section("lesson")
def body() -> None:
    state = current()
    picture = editor_beside_picture(
        temperature_help="Training normally uses T = 1. With another T the loss is computed "
        "on z/T, and the chain rule divides the gradient by T."
    )

    labels, z, T = state.labels, np.array(state.logits), state.temperature
    K, target = len(z), state.target
    p = softmax(z, temperature=T)
    fit = loss_and_gradient(state, z)
    loss, grad = fit.loss, fit.gradient

    with picture:
        chart(
            probability_bars(
                labels,
                p,
                title=f"Prediction: softmax(z / T) with T = {prose_number(T)}",
                font_size=font_size(),
            ),
            alt=f"Bar chart of the {K} predicted probabilities at T = {prose_number(T)}: "
            f"{speech.top(labels, p)}; "
            f"the target class {labels[target]} has {prose_number(p[target], 3)}.",
            docked=True,
        )
        announce(f"{speech.prediction(labels, p, T)} Loss {prose_number(loss, 4)} nats.")
        bound(
            st.selectbox,
            remount_key("target", classes=K),
            "Target: the right answer for this example",
            options=list(range(K)),
            format_func=lambda i: labels[i],
            get=lambda s: s.target,
            put=lambda s, i: s.replace(target=int(i)),
        )
        a, b, c = st.columns(3)
        a.metric("p(target)", prose_number(p[target], 4))
        b.metric("Loss −log p(target)", f"{prose_number(loss, 4)} nats")
        c.metric("Predicted class", **winner_metric(labels, top_classes(z)))

    # --- loss and gradient ------------------------------------------------------------------------
    st.header("The loss and its gradient")
    left, right = st.columns([3, 2], gap="large")
    with left:
        grad_title = (
            "Gradient of the loss: p − y" if T == 1 else "Gradient of the loss: (p − y) / T"
        )
        chart(
            gradient_bars(labels, grad, target=target, title=grad_title, font_size=font_size()),
            alt="Bar chart of the gradient per class: "
            f"{prose_number(grad[target], 3)} for the target "
            f"{labels[target]}, p{'' if T == 1 else ' / T'} for every other class.",
            key="gradient_chart",
        )
    with right:
        if visible("explanation"):
            scale = "" if T == 1 else f", divided by T = {prose_number(T)}"
            per_t = "" if T == 1 else " / T"
            st.markdown(
                "With the right answer as a one-hot vector y (1 for "
                f"**{markdown_safe(labels[target])}**, 0 "
                "elsewhere), cross-entropy is −Σ y log p = −log p(target) = "
                f"**{prose_number(loss, 4)}** "
                "nats. It is computed from the logits, as log-sum-exp(z/T) − z_target/T, so it "
                "stays finite even when p(target) is too small to store.\n\n"
                f"Its gradient with respect to the logits is p − y{scale}: for the target, "
                f"(p(target) − 1){per_t} = −(sum of the other probabilities){per_t} = "
                f"**{prose_number(grad[target], 4)}** (computed that way it keeps its digits when "
                "p(target) "
                f"rounds to 1), and just p{per_t} "
                f"for every other class. The bars add up to {computed_zero(float(grad.sum()))}: "
                "probability taken from the wrong classes is given to the right one. Gradient "
                "descent moves each logit against its bar."
            )

    # --- training steps ---------------------------------------------------------------------------
    st.header("Learning: take gradient steps")
    steps = steps_taken(state)
    rate_col, step_col, ten_col, reset_col = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    with rate_col:
        learning_rate_input()
    step_col.button(
        "Take a gradient step", on_click=changes_rerun(take_steps), args=(1,), type="primary"
    )
    ten_col.button("Take 10 steps", on_click=changes_rerun(take_steps), args=(10,))
    reset_col.button(
        "Reset",
        on_click=changes_rerun(reset_steps),
        disabled=not steps,
        help="Put the logits back as they were before the first step.",
    )
    if step_error():
        st.error(markdown_safe(step_error()), icon=":material/error:")

    if steps:
        losses = steps.losses
        chart(
            loss_history(losses, font_size=font_size()),
            alt=f"Line chart of the loss over {steps.count} gradient steps, from "
            f"{prose_number(losses[0], 4)} to {prose_number(losses[-1], 4)}.",
            key="history_chart",
        )
        if visible("explanation"):
            first = np.array(steps.logits[0])
            st.markdown(
                f"{steps.count} step{'s' if steps.count > 1 else ''} of z ← z − "
                f"{prose_number(state.learning_rate)} × gradient took the loss from "
                f"**{prose_number(losses[0], 4)}** to "
                f"**{prose_number(losses[-1], 4)}** nats. The target's logit moved by "
                f"{prose_number(z[target] - first[target], 4)}; the logits (in the editor and the "
                "link) "
                "followed. Press **Reset** to start again from "
                f"[{', '.join(prose_number(v) for v in first)}]."
            )
    else:
        st.caption(
            "Each step computes z ← z − lr × gradient with lr = "
            f"{prose_number(state.learning_rate)} and "
            "shows the loss falling. The logits in the editor and in the link follow."
        )

    # --- Jacobian ---------------------------------------------------------------------------------
    st.header("The softmax Jacobian")
    J = softmax_jacobian(z, temperature=T)
    left, right = st.columns([3, 2], gap="large")
    with left:
        chart(
            jacobian_heatmap(labels, J, temperature=T, font_size=font_size()),
            alt=f"Heatmap of the {K}×{K} softmax Jacobian at T = {prose_number(T)}: "
            "positive on the "
            f"diagonal (from {prose_number(float(np.diag(J).min()), 3)} to "
            f"{prose_number(float(np.diag(J).max()), 3)}), "
            "negative elsewhere, every row and column summing to zero.",
            key="jacobian_chart",
        )
    with right:
        if visible("explanation"):
            scale = "" if T == 1 else f" (divided by T = {prose_number(T)})"
            rows, cols = J.sum(axis=1), J.sum(axis=0)
            st.markdown(
                f"Entry (i, j) is how much pᵢ moves when zⱼ is nudged: pᵢ(1 − pᵢ) on the diagonal, "
                f"−pᵢpⱼ off it, i.e. diag(p) − ppᵀ{scale}. Raising one logit raises its own "
                "probability and lowers all the others.\n\n"
                f"**Every row sums to {computed_zero(float(np.abs(rows).max()))}**: "
                "adding the same amount to all logits changes nothing, the shift invariance again. "
                f"**Every column sums to {computed_zero(float(np.abs(cols).max()))}**: the "
                "probabilities always add up to 1, so what one gains the others lose. The matrix "
                "is symmetric, and backpropagation multiplies it by ∂L/∂p to get p − y above."
            )

    # --- hidden layers ----------------------------------------------------------------------------
    st.header("Why ReLU inside, softmax at the output")
    inside = np.abs(z) <= 6
    d_sig, d_relu = sigmoid_derivative(X), relu_derivative(X)
    chart(
        derivative_curves(
            X,
            {"sigmoid′(x)": d_sig, "ReLU′(x)": d_relu},
            steps=["ReLU′(x)"],
            marks={
                "sigmoid′(x)": (z[inside], sigmoid_derivative(z[inside])),
                "ReLU′(x)": (z[inside], relu_derivative(z[inside])),
            },
            mark_names=[labels[i] for i in np.flatnonzero(inside)],
            font_size=font_size(),
        ),
        alt="Line chart of the derivatives of sigmoid (a bump of height 0.25 at 0) and ReLU "
        "(0 for negative x, 1 for positive x), with the current logits marked.",
        key="derivative_chart",
    )
    if visible("explanation"):
        outside = "" if inside.all() else " (logits outside [−6, 6] are not drawn)"
        sig_at = ", ".join(
            f"{markdown_safe(labels[i])} {prose_number(v, 3)}"
            for i, v in enumerate(sigmoid_derivative(z))
        )
        st.markdown(
            f"At your logits{outside} sigmoid′ is {sig_at}. It is at most 0.25, so a gradient "
            "passing back through ten sigmoid layers shrinks by at least 0.25¹⁰ ≈ 10⁻⁶: the "
            "*vanishing gradient*. ReLU′ is exactly 1 for every positive input, so gradients pass "
            "through hidden layers unchanged (and 0 for negative ones, which is cheap and "
            "sparse). That is why hidden layers use ReLU. The output layer needs something else: "
            "one probability per class that add up to 1, which is softmax, and with cross-entropy "
            "its gradient is the simple, well-scaled p − y shown above."
        )

    # --- Keras ------------------------------------------------------------------------------------
    st.header("The same thing in Keras")
    st.markdown(
        f"This page computes what these lines ask a framework to do, for K = {K} classes "
        f"with the target as a one-hot vector:"
    )
    st.code(
        f"""from keras import layers, losses, optimizers

# Output layer: K = {K} logits, then softmax; the loss is −log p(target).
model.add(layers.Dense({K}, activation="softmax"))
model.compile(optimizer=optimizers.SGD(learning_rate={prose_number(state.learning_rate)}),
              loss="categorical_crossentropy")

# Safer: emit raw logits and let the loss apply softmax itself, stably
# (log-sum-exp, as on this page): no log(0) when a probability underflows.
model.add(layers.Dense({K}))
model.compile(optimizer=optimizers.SGD(learning_rate={prose_number(state.learning_rate)}),
              loss=losses.CategoricalCrossentropy(from_logits=True))""",
        language="python",
        wrap_lines=True,  # no sideways scrolling on a phone (a scroll box keyboards cannot reach)
    )
    st.caption(
        "With integer class indices instead of one-hot vectors, use "
        '`"sparse_categorical_crossentropy"` (or '
        "`SparseCategoricalCrossentropy(from_logits=True)`)."
    )


body()

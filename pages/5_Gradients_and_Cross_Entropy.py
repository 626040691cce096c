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
from softmax_ui.controls import editor_beside_picture, learning_rate_input, lesson_tabs
from softmax_ui.explain import jacobian_alt
from softmax_ui.figures import probability_bars
from softmax_ui.figures_training import (
    derivative_curves,
    gradient_bars,
    gradient_title,
    jacobian_heatmap,
    loss_history,
)
from softmax_ui.i18n import _, ngettext
from softmax_ui.page import (
    answer_place,
    asks,
    chart,
    font_size,
    lesson,
    narrow_screen,
    visible,
)
from softmax_ui.session import bound, changes_rerun, current, remount_key, section
from softmax_ui.shared_figures import shared
from softmax_ui.spoken import announce
from softmax_ui.state import ACTIVATION_NAMES, format_number
from softmax_ui.tables import markdown_table
from softmax_ui.text import (
    computed_zero,
    markdown_safe,
    near_one,
    not_one,
    number_list,
    prose_number,
    python_comment,
    unbroken,
    winner_metric,
)
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
    _(
        "Training a classifier means nudging the logits so the right class gets more "
        "probability. The loss says how wrong the prediction is; its gradient says which way to "
        "nudge each logit, and it turns out to be as simple as p − y."
    ),
)


@section("lesson", shows=())
def body() -> None:
    picture = editor_beside_picture(
        temperature_help=_(
            "Training normally uses T = 1. With another T the loss is computed on z/T, and the "
            "chain rule divides the gradient by T."
        )
    )
    with picture:
        prediction()
    further_pictures()


@section("prediction")
def prediction() -> None:
    state = current()
    labels, z, T = state.labels, np.array(state.logits), state.temperature
    K, target = len(z), state.target
    p = softmax(z, temperature=T)
    fit = loss_and_gradient(state, z)
    loss = fit.loss
    target_p = near_one(p[target], float(np.sum(np.delete(p, target))))
    chart(
        shared(
            probability_bars,
            labels,
            p,
            title=_("Prediction: softmax(z / T) with T = {t}").format(t=prose_number(T)),
            font_size=font_size(),
        ),
        alt=_(
            "Bar chart of the {k} predicted probabilities at T = {t}: {top}; the target "
            "class {target} has {p}."
        ).format(
            k=K,
            t=prose_number(T),
            top=speech.top(labels, p),
            target=labels[target],
            p=target_p,
        ),
        docked=True,
    )
    announce(
        speech.prediction(labels, p, T)
        + " "
        + _("Loss {loss} nats.").format(loss=prose_number(loss, 4))
    )
    bound(
        st.selectbox,
        remount_key("target", classes=K),
        _("Target: the right answer for this example"),
        options=list(range(K)),
        format_func=lambda i: labels[i],
        get=lambda s: s.target,
        put=lambda s, i: s.replace(target=int(i)),
    )
    a, b, c = st.columns(3)
    # not "1" beside a loss of 4.5e-05 (a review); "1 − x" on one line
    a.metric(_("p(target)"), unbroken(target_p))
    b.metric(_("Loss −log p(target), in nats"), prose_number(loss, 4))
    c.metric(_("Predicted class"), **winner_metric(labels, top_classes(z)))


@section("further", owns=("tab",), shows=())
def further_pictures() -> None:
    """The loss and its gradient, the steps, the Jacobian, ReLU and Keras in tabs: only the
    open one is drawn, so a change of T redraws the main picture and one tab's (a section of
    its own: opening a tab reruns only it)."""
    tab, place = lesson_tabs(GRADIENTS.tabs)
    with place:
        {
            "gradient": loss_and_its_gradient,
            "steps": learning,
            "jacobian": jacobian,
            "relu": hidden_layers,
            "keras": keras,
        }[tab]()


@section("gradient")
def loss_and_its_gradient() -> None:
    state = current()
    labels, z, T = state.labels, np.array(state.logits), state.temperature
    target = state.target
    fit = loss_and_gradient(state, z)
    loss, grad = fit.loss, fit.gradient
    st.header(_("The loss and its gradient"))
    left, right = st.columns([3, 2], gap="large")
    with left:
        chart(
            shared(
                gradient_bars,
                labels,
                grad,
                target=target,
                title=gradient_title(T),
                font_size=font_size(),
            ),
            alt=_(
                "Bar chart of the gradient per class: {g} for the target {target}, {p} for "
                "every other class."
            ).format(
                g=not_one(grad[target], 3, scale=T),
                target=labels[target],
                p="p" if T == 1 else "p / T",
            ),
            key="gradient_chart",
        )
    with right:
        if visible("explanation"):
            scale = "" if T == 1 else _(", divided by T = {t}").format(t=prose_number(T))
            per_t = "" if T == 1 else " / T"
            st.markdown(
                _(
                    "With the right answer as a one-hot vector y (1 for **{target}**, 0 "
                    "elsewhere), cross-entropy is −Σ y log p = −log p(target) = **{loss}** nats. "
                    "It is computed from the logits, as log-sum-exp(z/T) − z_target/T, so it "
                    "stays finite even when p(target) is too small to store.\n\n"
                    "Its gradient with respect to the logits is p − y{scale}: for the target, "
                    "(p(target) − 1){per_t} = −(sum of the other probabilities){per_t} = "
                    "**{g}** (computed that way it keeps its digits when p(target) rounds to 1), "
                    "and just p{per_t} for every other class. The bars add up to {total}: "
                    "probability taken from the wrong classes is given to the right one. "
                    "Gradient descent moves each logit against its bar."
                ).format(
                    target=markdown_safe(labels[target]),
                    loss=prose_number(loss, 4),
                    scale=scale,
                    per_t=per_t,
                    g=not_one(grad[target], 4, scale=T),
                    total=computed_zero(float(grad.sum())),
                )
            )


@section("steps")
def learning() -> None:
    state = current()
    z, target = np.array(state.logits), state.target
    st.header(_("Learning: take gradient steps"))
    steps = steps_taken(state)
    rate_col, step_col, ten_col, reset_col = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    with rate_col:
        learning_rate_input()
    step_col.button(
        _("Take a gradient step"),
        on_click=changes_rerun(take_steps),
        args=(1,),
        type="primary",
        key=asks("steps", "one"),
    )
    ten_col.button(
        _("Take 10 steps"),
        on_click=changes_rerun(take_steps),
        args=(10,),
        key=asks("steps", "ten"),
    )
    reset_col.button(
        _("Reset"),
        key=asks("steps", "reset"),
        on_click=changes_rerun(reset_steps),
        disabled=not steps,
        help=_("Put the logits back as they were before the first step."),
    )
    with answer_place("steps"):  # what a step's press draws
        if step_error():
            st.error(markdown_safe(step_error()), icon=":material/error:")

        if steps:
            losses = steps.losses
            chart(
                shared(loss_history, losses, font_size=font_size(), narrow=narrow_screen()),
                alt=ngettext(
                    "Line chart of the loss over {n} gradient step, from {first} to {last}.",
                    "Line chart of the loss over {n} gradient steps, from {first} to {last}.",
                    steps.count,
                ).format(
                    n=steps.count,
                    first=prose_number(losses[0], 4),
                    last=prose_number(losses[-1], 4),
                ),
                key="history_chart",
            )
            if visible("explanation"):
                first = np.array(steps.logits[0])
                st.markdown(
                    ngettext(
                        "{n} step of z ← z − {lr} × gradient took the loss from **{first}** to "
                        "**{last}** nats. The target's logit moved by {moved}; the logits (in the "
                        "editor and the link) followed. Press **Reset** to start again from "
                        "[{start}].",
                        "{n} steps of z ← z − {lr} × gradient took the loss from **{first}** to "
                        "**{last}** nats. The target's logit moved by {moved}; the logits (in the "
                        "editor and the link) followed. Press **Reset** to start again from "
                        "[{start}].",
                        steps.count,
                    ).format(
                        n=steps.count,
                        lr=prose_number(state.learning_rate),
                        first=prose_number(losses[0], 4),
                        last=prose_number(losses[-1], 4),
                        moved=prose_number(z[target] - first[target], 4),
                        start=number_list([prose_number(v) for v in first]),
                    )
                )
        else:
            st.caption(
                _(
                    "Each step computes z ← z − lr × gradient with lr = {lr} and shows the loss "
                    "falling. The logits in the editor and in the link follow."
                ).format(lr=prose_number(state.learning_rate))
            )


@section("jacobian")
def jacobian() -> None:
    state = current()
    labels, z, T = state.labels, np.array(state.logits), state.temperature
    st.header(_("The softmax Jacobian"))
    J = softmax_jacobian(z, temperature=T)
    left, right = st.columns([3, 2], gap="large")
    with left:
        chart(
            shared(
                jacobian_heatmap,
                labels,
                J,
                temperature=T,
                font_size=font_size(),
                narrow=narrow_screen(),
            ),
            alt=jacobian_alt(J, T),
            key="jacobian_chart",
        )
        if visible("table"):  # the chart's numbers, for a screen reader too (a tour)
            st.markdown(
                markdown_table(
                    {_("class"): list(labels)}
                    | {f"∂/∂z{j + 1} ({label})": J[:, j] for j, label in enumerate(labels)},
                    digits=3,
                )
            )
    with right:
        if visible("explanation"):
            scale = "" if T == 1 else _(" (divided by T = {t})").format(t=prose_number(T))
            rows, cols = J.sum(axis=1), J.sum(axis=0)
            st.markdown(
                _(
                    "Entry (i, j) is how much pᵢ moves when zⱼ is nudged: pᵢ(1 − pᵢ) on the "
                    "diagonal, −pᵢpⱼ off it, i.e. diag(p) − ppᵀ{scale}. Raising one logit raises "
                    "its own probability and lowers all the others.\n\n"
                    "**Every row sums to {rows}**: adding the same amount to all logits changes "
                    "nothing, the shift invariance again. **Every column sums to {cols}**: the "
                    "probabilities always add up to 1, so what one gains the others lose. The "
                    "matrix is symmetric, and backpropagation multiplies it by ∂L/∂p to get "
                    "p − y, in the Gradient tab."
                ).format(
                    scale=scale,
                    rows=computed_zero(float(np.abs(rows).max())),
                    cols=computed_zero(float(np.abs(cols).max())),
                )
            )


@section("hidden_layers", shows=("logits", "labels"))
def hidden_layers() -> None:
    """Why ReLU inside (depends on the logits only: a change of T leaves it alone)."""
    state = current()
    labels, z = state.labels, np.array(state.logits)
    # --- hidden layers ----------------------------------------------------------------------------
    st.header(_("Why ReLU inside, softmax at the output"))
    inside = np.abs(z) <= 6
    d_sig, d_relu = sigmoid_derivative(X), relu_derivative(X)
    sig = _(ACTIVATION_NAMES["sigmoid"]) + "′(x)"  # sigmoide′(x) on a Spanish page
    chart(
        shared(
            derivative_curves,
            X,
            {sig: d_sig, "ReLU′(x)": d_relu},
            steps=["ReLU′(x)"],
            marks={
                sig: (z[inside], sigmoid_derivative(z[inside])),
                "ReLU′(x)": (z[inside], relu_derivative(z[inside])),
            },
            mark_names=[labels[i] for i in np.flatnonzero(inside)],
            font_size=font_size(),
        ),
        alt=_(
            "Line chart of the derivatives of sigmoid (a bump of height 0.25 at 0) and ReLU "
            "(0 for negative x, 1 for positive x), with the current logits marked."
        ),
        key="derivative_chart",
    )
    if visible("explanation"):
        outside = "" if inside.all() else _(" (logits outside [−6, 6] are not drawn)")
        sig_at = number_list(
            f"{markdown_safe(labels[i])} {prose_number(v, 3)}"
            for i, v in enumerate(sigmoid_derivative(z))
        )
        st.markdown(
            _(
                "At your logits{outside} sigmoid′ is {values}. It is at most 0.25, so a gradient "
                "passing back through ten sigmoid layers shrinks by at least 0.25¹⁰ ≈ 10⁻⁶: the "
                "*vanishing gradient*. ReLU′ is exactly 1 for every positive input, so "
                "gradients pass through hidden layers unchanged (and 0 for negative ones, which "
                "is cheap and sparse). That is why hidden layers use ReLU. The output layer "
                "needs something else: one probability per class that add up to 1, which is "
                "softmax, and with cross-entropy its gradient is the simple, well-scaled p − y "
                "of the Gradient tab."
            ).format(outside=outside, values=sig_at)
        )


@section("keras", shows=("logits", "learning_rate"))
def keras() -> None:
    """The same in Keras (depends on K and the learning rate only)."""
    state = current()
    K = len(state.logits)
    # --- Keras ------------------------------------------------------------------------------------
    st.header(_("The same thing in Keras"))
    st.markdown(
        _(
            "This page computes what these lines ask a framework to do, for K = {k} classes "
            "with the target as a one-hot vector:"
        ).format(k=K)
    )
    # The code stays Python (a decimal point in learning_rate); its comments are the reader's.
    rate = format_number(state.learning_rate)
    output_layer = _(
        "A model of 16 input features (your data's number), whose output layer gives K = {k} "
        "logits, then softmax; the loss is −log p(target)."
    )
    safer = _(
        "Safer: emit raw logits and let the loss apply softmax itself, stably "
        "(log-sum-exp, as on this page): no log(0) when a probability underflows."
    )
    # two whole models, each runnable alone (one block that added both output layers to a
    # model it never made raised NameError: a Spanish student's tour); every line at most
    # CODE_WIDTH characters (comments wrapped), so a phone shows each on one line: a wrapped
    # comment's last word read as code, a wrapped call broke mid-word
    st.code(
        f"""import keras
from keras import layers, losses
from keras import optimizers

rate = {rate}

{python_comment(output_layer.format(k=K))}
model = keras.Sequential([
    keras.Input(shape=(16,)),
    layers.Dense({K}),
    layers.Softmax(),
])
model.compile(
    optimizer=optimizers.SGD(rate),
    loss="categorical_crossentropy",
)

{python_comment(safer)}
model = keras.Sequential([
    keras.Input(shape=(16,)),
    layers.Dense({K}),
])
model.compile(
    optimizer=optimizers.SGD(rate),
    loss=losses.CategoricalCrossentropy(
        from_logits=True
    ),
)""",
        language="python",
        wrap_lines=True,  # no sideways scrolling on a phone (a scroll box keyboards cannot reach)
    )
    st.caption(
        _(
            "With integer class indices instead of one-hot vectors, use "
            '`"sparse_categorical_crossentropy"` (or '
            "`SparseCategoricalCrossentropy(from_logits=True)`)."
        )
    )


body()

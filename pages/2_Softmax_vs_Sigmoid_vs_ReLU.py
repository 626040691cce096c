"""Lesson 2: the same logits through softmax, sigmoid and ReLU."""

import numpy as np
import streamlit as st

from softmax_core import leaky_relu, relu, sigmoid, silu, softmax, top_classes
from softmax_ui import speech
from softmax_ui.catalog import VERSUS
from softmax_ui.controls import editor_beside_picture
from softmax_ui.figures import grouped_bars
from softmax_ui.page import announce, chart, font_size, lesson, visible
from softmax_ui.session import bound, current, section
from softmax_ui.state import ACTIVATIONS
from softmax_ui.tables import markdown_table
from softmax_ui.text import join_names, markdown_safe, prose_number

ACTIVATION_NAMES = {
    "sigmoid": "sigmoid",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU (slope 0.01)",
    "silu": "SiLU (x·sigmoid x)",
}
FUNCTIONS = {"sigmoid": sigmoid, "relu": relu, "leaky_relu": leaky_relu, "silu": silu}

lesson(
    VERSUS,
    "Three functions, three jobs. Feed them the same logits and compare: softmax shares one "
    "unit of probability among the classes, sigmoid scores each class on its own, ReLU just "
    "clips negatives for the next layer.",
)


@section("lesson")
def body() -> None:
    state = current()
    picture = editor_beside_picture(
        temperature_help="Only softmax has a temperature: it divides the logits by T. "
        "Sigmoid and ReLU act on the raw logits.",
        more=lambda: bound(
            st.multiselect,
            "activations",
            "Compare softmax with",
            options=list(ACTIVATIONS),
            format_func=ACTIVATION_NAMES.get,
            get=lambda s: list(s.activations),
            put=lambda s, v: s.replace(activations=tuple(v)),
        ),
    )

    labels, z, T = state.labels, np.array(state.logits), state.temperature
    outputs = {"softmax": softmax(z, temperature=T)} | {
        ACTIVATION_NAMES[name]: FUNCTIONS[name](z) for name in state.activations
    }

    with picture:
        chart(
            grouped_bars(
                labels,
                outputs,
                title="The same logits, different activations",
                font_size=font_size(),
            ),
            alt="Grouped bar chart comparing "
            + ", ".join(outputs)
            + f" for each class; softmax at T = {prose_number(T)}: "
            f"{speech.top(labels, outputs['softmax'])}.",
            docked=True,
        )
        announce(speech.prediction(labels, outputs["softmax"], T))
        if T != 1:
            st.caption(
                f"Softmax uses the temperature T = {prose_number(T)}; sigmoid and ReLU have none."
            )
        st.markdown("**Sum of each output over the classes**")
        st.markdown(
            markdown_table(
                {
                    "activation": list(outputs),
                    "sum over classes": [float(np.sum(v)) for v in outputs.values()],
                    "range of the sum": [
                        "exactly 1"
                        if name == "softmax"
                        else f"between 0 and {len(z)}"
                        if name == "sigmoid"
                        else "unbounded"
                        for name in outputs
                    ],
                }
            )
        )

    if visible("table"):
        st.subheader("The numbers")
        st.markdown(markdown_table({"class": list(labels), "logit z": z} | dict(outputs.items())))

    if visible("explanation"):
        p, s = outputs["softmax"], sigmoid(z)
        top = [int(i) for i in top_classes(z)]  # T > 0 keeps the order: ties are named together
        if len(top) == 1:
            leader = (
                f"Here **{markdown_safe(labels[top[0]])}** wins with {prose_number(p[top[0]], 3)}."
            )
        else:
            names = join_names([f"**{markdown_safe(labels[i])}**" for i in top])
            leader = f"Here {names} tie for the lead with {prose_number(p[top[0]], 3)} each."
        st.subheader("Which one when?")
        st.markdown(
            f"- **One answer among K (multi-class)**: softmax. The classes compete: raising one "
            f"logit lowers every other probability, and the outputs sum to exactly "
            f"{prose_number(float(p.sum()))}. {leader}\n"
            f"- **Several labels at once (multi-label)**: sigmoid on each logit. Each output is an "
            "independent yes/no probability; "
            f"here they sum to {prose_number(float(s.sum()), 4)}, "
            "which "
            f"could be anything between 0 and {len(z)}: "
            "a photo can be tagged *dog* and *outdoors*.\n"
            f"- **Inside the network (hidden layers)**: ReLU. It is not a probability at all "
            f"(sum here {prose_number(float(relu(z).sum()), 4)}); "
            "it keeps positive signals, zeroes "
            "negative ones, and its gradient is 1 for every active unit, so deep networks train."
        )

        st.subheader("Two classes: softmax is a sigmoid")
        a, b = z[0], z[1]
        two = softmax(np.array([a, b]), temperature=T)
        gap = (a - b) / T
        st.markdown(
            f"Take the first two classes alone, **{markdown_safe(labels[0])}** (z = "
            f"{prose_number(a)}) and "
            f"**{markdown_safe(labels[1])}** (z = {prose_number(b)}): softmax gives "
            f"{markdown_safe(labels[0])} "
            f"**{prose_number(two[0], 6)}**, and "
            f"sigmoid((z₁ − z₂)/T) = sigmoid({prose_number(gap)}) = "
            f"**{prose_number(float(sigmoid(gap)), 6)}**. The same number, because "
            "e^z₁ / (e^z₁ + e^z₂) = 1 / (1 + e^−(z₁ − z₂)) (with T = 1; otherwise divide by T)."
        )

        st.subheader("Why not ReLU, then divide by the sum?")
        r = relu(z)
        total = float(r.sum())
        if total > 0:
            shares = r / total
            lost = [markdown_safe(label) for label, v in zip(labels, z, strict=True) if v <= 0]
            st.markdown(
                f"With these logits, ReLU(z) / Σ ReLU(z) gives "
                f"[{', '.join(prose_number(v, 3) for v in shares)}]: it sums to 1, but every class "
                "with a "
                f"logit ≤ 0 gets exactly 0"
                + (f" ({', '.join(lost)})" if lost else "")
                + ", so the model can never say how unlikely it is, and its gradient there is 0. "
                "Make every logit ≤ 0 (try the *Underflow trap* preset) to see it fail completely."
            )
        else:
            with np.errstate(invalid="ignore"):
                broken = r / r.sum()
            st.warning(
                f"Every logit is ≤ 0, so ReLU(z) is all zeros and Σ ReLU(z) = 0: "
                f"ReLU(z) / Σ ReLU(z) = 0/0 = [{', '.join(prose_number(v) for v in broken)}]. "
                f"Softmax still gives a proper distribution: "
                f"[{', '.join(prose_number(v, 3) for v in p)}].",
                icon=":material/error:",
            )


body()

"""Lesson 2: the same logits through softmax, sigmoid and ReLU."""

import numpy as np
import streamlit as st

from softmax_core import relu, sigmoid, softmax, top_classes
from softmax_ui import speech
from softmax_ui.catalog import VERSUS
from softmax_ui.controls import editor_beside_picture
from softmax_ui.figures import grouped_bars
from softmax_ui.i18n import _
from softmax_ui.page import chart, font_size, lesson, visible
from softmax_ui.pictures import activation_outputs
from softmax_ui.session import bound, current, section
from softmax_ui.shared_figures import shared
from softmax_ui.spoken import announce
from softmax_ui.state import ACTIVATION_NAMES, ACTIVATIONS
from softmax_ui.tables import markdown_table
from softmax_ui.text import (
    join_names,
    markdown_safe,
    near_one,
    not_one,
    number_list,
    prose_number,
    top_probability,
)

lesson(
    VERSUS,
    _(
        "Three functions, three jobs. Feed them the same logits and compare: softmax shares one "
        "unit of probability among the classes, sigmoid scores each class on its own, ReLU "
        "just clips negatives for the next layer."
    ),
)


@section("lesson", shows=())
def body() -> None:
    picture = editor_beside_picture(
        temperature_help=_(
            "Only softmax has a temperature: it divides the logits by T. "
            "Sigmoid and ReLU act on the raw logits."
        ),
        more=lambda: bound(
            st.multiselect,
            "activations",
            _("Compare softmax with"),
            options=list(ACTIVATIONS),
            format_func=lambda name: _(ACTIVATION_NAMES[name]),
            get=lambda s: list(s.activations),
            put=lambda s, v: s.replace(activations=tuple(v)),
        ),
    )
    with picture:
        comparison()
    numbers_and_explanation()


@section("comparison")
def comparison() -> None:
    state = current()
    labels, z, T = state.labels, np.array(state.logits), state.temperature
    outputs = activation_outputs(state)
    chart(
        shared(
            grouped_bars,
            labels,
            outputs,
            title=_("The same logits, different activations"),
            font_size=font_size(),
        ),
        alt=_(
            "Grouped bar chart comparing {names} for each class; softmax at T = {t}: {top}."
        ).format(
            names=join_names(list(outputs)),
            t=prose_number(T),
            top=speech.top(labels, outputs["softmax"]),
        ),
        docked=True,
    )
    announce(speech.prediction(labels, outputs["softmax"], T))
    if T != 1:
        st.caption(
            _("Softmax uses the temperature T = {t}; sigmoid and ReLU have none.").format(
                t=prose_number(T)
            )
        )
    st.markdown(_("**Sum of each output over the classes**"))
    total = _("sum over classes")
    softmax_sum = float(np.sum(outputs["softmax"]))

    def sum_text(value: float) -> str:  # (the table's column holds this very float)
        return prose_number(value, 4) if value is softmax_sum else not_one(value)

    st.markdown(
        markdown_table(
            {
                _("activation"): list(outputs),
                total: [softmax_sum] + [float(np.sum(v)) for v in list(outputs.values())[1:]],
                # by the activation, not its shown name ("sigmoïde" in French read unbounded)
                _("range of the sum"): [_("exactly 1")]
                + [
                    _("between 0 and {n}").format(n=len(z)) if name == "sigmoid" else _("unbounded")
                    for name in state.activations
                ],
            },
            # a sum, not a probability: softmax's 0.9999999999999999 (float rounding) reads 1
            # beside "exactly 1", as the sentence below writes it (a tour); no other sum
            # reads 1 unless it is (a sigmoid sum of 1.00005: a review)
            formats={total: sum_text},
        )
    )


@section("details")
def numbers_and_explanation() -> None:
    state = current()
    labels, z, T = state.labels, np.array(state.logits), state.temperature
    outputs = activation_outputs(state)

    if visible("table"):
        st.header(_("The numbers"))
        st.markdown(
            markdown_table({_("class"): list(labels), _("logit z"): z} | dict(outputs.items()))
        )

    if visible("explanation"):
        p, s = outputs["softmax"], sigmoid(z)
        top = [int(i) for i in top_classes(z)]  # T > 0 keeps the order: ties are named together
        if len(top) == 1:
            leader = _("Here **{name}** wins with {p}.").format(  # not "1" below 1 (a review)
                name=markdown_safe(labels[top[0]]),
                p=top_probability(p, top[0]),
            )
        else:
            names = join_names([f"**{markdown_safe(labels[i])}**" for i in top])
            leader = _("Here {names} tie for the lead with {p} each.").format(
                names=names, p=prose_number(p[top[0]], 3)
            )
        st.header(_("Which one when?"))
        st.markdown(
            _(
                "- **One answer among K (multi-class)**: softmax. The classes compete: raising "
                "one logit lowers every other probability, and the outputs sum to exactly "
                "{p_sum}. {leader}\n"
                "- **Several labels at once (multi-label)**: sigmoid on each logit. Each output "
                "is an independent yes/no probability; here they sum to {s_sum}, which could be "
                "anything between 0 and {n}: a photo can be tagged *dog* and *outdoors*.\n"
                "- **Inside the network (hidden layers)**: ReLU. It is not a probability at all "
                "(sum here {r_sum}); it keeps positive signals, zeroes negative ones, and its "
                "gradient is 1 for every active unit, so deep networks train."
            ).format(
                p_sum=prose_number(float(p.sum())),
                leader=leader,
                s_sum=prose_number(float(s.sum()), 4),
                n=len(z),
                r_sum=prose_number(float(relu(z).sum()), 4),
            )
        )

        st.header(_("Two classes: softmax is a sigmoid"))
        a, b = z[0], z[1]
        two = softmax(np.array([a, b]), temperature=T)
        gap = (a - b) / T
        st.markdown(
            _(
                "Take the first two classes alone, **{first}** (z = {a}) and **{second}** "
                "(z = {b}): softmax gives {first} **{p}**, and sigmoid((z₁ − z₂)/T) = "
                "sigmoid({gap}) = **{s}**. The same number, because e^z₁ / (e^z₁ + e^z₂) = "
                "1 / (1 + e^−(z₁ − z₂)) (with T = 1; otherwise divide by T)."
            ).format(
                first=markdown_safe(labels[0]),
                a=prose_number(a),
                second=markdown_safe(labels[1]),
                b=prose_number(b),
                # near 1, both as 1 − the other's share: "1" for 1 − 2.1e-09 (a tour)
                p=near_one(two[0], float(two[1])),
                gap=prose_number(gap),
                s=near_one(float(sigmoid(gap)), float(sigmoid(-gap))),
            )
        )

        st.header(_("Why not ReLU, then divide by the sum?"))
        r = relu(z)
        total = float(r.sum())
        if total > 0:
            shares = r / total
            lost = [markdown_safe(label) for label, v in zip(labels, z, strict=True) if v <= 0]
            st.markdown(
                _(
                    "With these logits, ReLU(z) / Σ ReLU(z) gives [{shares}]: it sums to 1, but "
                    "every class with a logit ≤ 0 gets exactly 0{lost}, so the model can never "
                    "say how unlikely it is, and its gradient there is 0. Make every logit ≤ 0 "
                    "(try the *Underflow trap* preset) to see it fail completely."
                ).format(
                    shares=number_list([prose_number(v, 3) for v in shares]),
                    lost=f" ({', '.join(lost)})" if lost else "",
                )
            )
        else:
            with np.errstate(invalid="ignore"):
                broken = r / r.sum()
            st.warning(
                _(
                    "Every logit is ≤ 0, so ReLU(z) is all zeros and Σ ReLU(z) = 0: "
                    "ReLU(z) / Σ ReLU(z) = 0/0 = [{broken}]. Softmax still gives a proper "
                    "distribution: [{p}]."
                ).format(
                    broken=number_list([prose_number(v) for v in broken]),
                    p=number_list([prose_number(v, 3) for v in p]),
                ),
                icon=":material/error:",
            )


body()

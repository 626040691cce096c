"""Lesson 3: the textbook formula overflows; the max-shift does not."""

import numpy as np
import streamlit as st

from softmax_core import diagnose_naive, exp_limits, top_classes
from softmax_ui import speech
from softmax_ui.catalog import NAIVE
from softmax_ui.controls import (
    below_teachers_settings,
    dtype_control,
    logits_editor,
    paired_slider,
    teachers_settings,
    temperature_control,
)
from softmax_ui.explain import (
    dtype_note,
    log_sum_exp_trick,
    naive_reasons,
    naive_summary,
    naive_winners,
    stable_fix,
)
from softmax_ui.figures import exponent_bars, naive_and_stable_charts
from softmax_ui.i18n import N_, _, group
from softmax_ui.live import following
from softmax_ui.page import chart, font_size, lesson, on_a_projector, visible
from softmax_ui.session import current, section
from softmax_ui.shared_figures import shared
from softmax_ui.spoken import announce
from softmax_ui.state import DTYPES, OFFSET_LIMIT
from softmax_ui.tables import markdown_table
from softmax_ui.text import (
    markdown_safe,
    prose_number,
    rounded_bound,
    signed_offset,
    stored_number,
)

EXPONENT = "(z + c)/T"
EXPONENT_WORD = N_("exponent")
lesson(
    NAIVE,
    _(
        "On paper softmax is exp(z)/Σexp(z). In a computer exp() only goes so far: past a limit "
        "it returns inf, and the formula returns NaN. Push the logits up and watch one version "
        "break while the other does not move."
    ),
)


@section("lesson", shows=())
def body() -> None:
    if following():
        # The teacher's settings line, then the page's own controls and the charts: on a
        # phone the docked chart never rises above that line (softmax_ui/assets/layout.css).
        teachers_settings()
        with below_teachers_settings():
            left, _right = st.columns(2, gap="large")
            with left:
                controls()
            comparison()
    elif on_a_projector():
        # The charts beside the controls, in view while the teacher slides c: under them
        # they started at 910 px on a 1280 x 720 projector (a projector tour).
        left, right = st.columns([1, 2], gap="large")
        with left:
            controls()
            if visible("editor"):
                editor()
        with right:
            comparison()
    elif visible("editor"):
        left, mid = st.columns(2, gap="large")
        with left:
            editor()
        with mid:
            controls()
        comparison()
    else:
        # A part the teacher hides leaves out only itself: the precision and c stay (with
        # the editor and T hidden, the page showed no control at all).
        controls()
        comparison()


@section("logits_editor", shows=("logits", "labels"))
def editor() -> None:
    logits_editor(expanded=False)


@section("controls", shows=("temperature", "dtype", "offset"))
def controls() -> None:
    with_t = visible("temperature") and not following()
    if on_a_projector():
        # c first, beside the charts: its scene asks the teacher to slide it, and in French
        # it came below a 720 px screen, after T and the precision.
        offset_control()
        dtype_control()
        if with_t:
            temperature_control()
    else:
        if with_t:
            temperature_control()
        dtype_control()
        offset_control()


def offset_control() -> None:
    st.markdown(_("**Add c to every logit**"))
    paired_slider(
        ("offset_slider", "offset_number"),
        _("Offset c"),
        min_value=-1000.0,
        max_value=1000.0,
        step=1.0,
        said_as="c",
        number_label=_("c (any value from {low} to {high})").format(
            low=group(-OFFSET_LIMIT),
            high=group(OFFSET_LIMIT),  # "10 000" in French
        ),
        number_format="%.2f",
        help=_("Softmax is shift-invariant: adding the same c to every logit changes nothing."),
        get=lambda s: s.offset,
        put=lambda s, c: s.replace(offset=float(c)),
    )


@section("comparison")
def comparison() -> None:
    state = current()
    labels, T, dtype, c = state.labels, state.temperature, state.dtype, state.offset
    # The page adds c to the logits, then divides by T: (z + c)/T is what exp() is asked for.
    z = np.array(state.logits) + c
    diagnosis = diagnose_naive(z, temperature=T, dtype=dtype)
    limits = exp_limits(dtype)
    scaled = np.asarray(diagnosis.scaled, dtype=np.float64)

    st.header(
        _("The same logits {offset}, in {dtype}").format(offset=signed_offset(c), dtype=dtype)
    )
    naive_figure, stable_figure = shared(
        naive_and_stable_charts,
        labels,
        diagnosis.naive,
        diagnosis.stable,
        exponent=EXPONENT,
        naive_winners=naive_winners(diagnosis),
        stable_winners=top_classes(diagnosis.stable_exponents),
        font_size=font_size(),
    )
    naive_col, stable_col = st.columns(2)
    with naive_col:
        chart(
            naive_figure,
            alt=_("Naive softmax bar chart in {dtype} at T = {t}: {top}.").format(
                dtype=dtype, t=prose_number(T), top=speech.naive_top(labels, diagnosis.naive)
            )
            + " "
            + naive_summary(diagnosis, EXPONENT),
            key="naive_chart",
            docked=True,
        )
    with stable_col:
        chart(
            stable_figure,
            alt=_(
                "Stable softmax bar chart at T = {t}, always a valid distribution: {top}."
            ).format(t=prose_number(T), top=speech.top(labels, diagnosis.stable)),
            key="stable_chart",
        )
    naive_verdict = (
        _("The naive formula in {dtype} gives the same.")
        if diagnosis.ok
        else _("The naive formula in {dtype} fails.")
    )
    announce(
        speech.prediction(labels, diagnosis.stable, T) + " " + naive_verdict.format(dtype=dtype)
    )

    if diagnosis.ok:
        st.success(
            markdown_safe(naive_summary(diagnosis, EXPONENT)), icon=":material/check_circle:"
        )
    else:
        st.error(markdown_safe(naive_summary(diagnosis, EXPONENT)), icon=":material/error:")
    with st.expander(_("What happened to each class"), expanded=not diagnosis.ok):
        st.markdown(
            "\n".join(
                "- "
                + _("**{name}**: {reason}").format(  # French: a space before the colon
                    name=markdown_safe(label), reason=markdown_safe(reason)
                )
                for label, reason in zip(labels, naive_reasons(diagnosis, EXPONENT), strict=True)
            )
        )

    chart(
        shared(
            exponent_bars,
            labels,
            scaled,
            overflow=limits.overflow,
            underflow=limits.underflow,
            dtype=dtype,
            exponent=EXPONENT,
            font_size=font_size(),
        ),
        alt=_(
            "Bar chart of the exponents {x} against the {dtype} overflow line at {over} and "
            "underflow line at {under}; {top}."
        ).format(
            x=EXPONENT,
            dtype=dtype,
            over=rounded_bound(limits.overflow, up=True),
            under=rounded_bound(limits.underflow, up=False),
            top=speech.top(labels, scaled, what=EXPONENT_WORD),
        ),
        key="exponent_chart",
    )

    if visible("table"):
        st.markdown(_("**Where exp() gives up, by precision** (computed from `numpy.finfo`)"))
        table = [exp_limits(d) for d in DTYPES]
        inf, subnormal, zero = (
            _("exp(x) = inf when x >"),
            _("exp(x) is subnormal when x <"),
            _("exp(x) = 0 when x <"),
        )
        st.markdown(
            markdown_table(
                {
                    "dtype": [t.dtype for t in table],
                    inf: [t.overflow for t in table],
                    subnormal: [t.subnormal for t in table],
                    zero: [t.underflow for t in table],
                },
                # Rounded outwards, so each column's promise holds for every x it covers.
                formats={
                    "dtype": lambda d: f"`{d}`",  # code, kept whole (it broke as "float1" / "6")
                    inf: lambda v: rounded_bound(v, up=True),
                    subnormal: lambda v: rounded_bound(v, up=False),
                    zero: lambda v: rounded_bound(v, up=False),
                },
            )
        )

    if visible("explanation"):
        st.header(_("The fix: shift by the maximum"))
        # What the stable chart works from: the exponents as the dtype stores them (float16
        # stores 10.1 as 10.1016, so they become [0, -1, -1.8984], not -1.9), or the float64
        # ones when they do not fit (finite for every reachable input).
        exponents = np.asarray(diagnosis.stable_exponents, dtype=np.float64)
        st.markdown(
            stable_fix(labels, exponents, EXPONENT)
            + " "
            + _(
                "That is why the stable formula never overflows however far you slide c, while "
                "the naive one breaks once the largest {x} passes {over}, the largest x whose "
                "exp(x) is finite in {dtype} (a little earlier if the sum of several large "
                "exponentials overflows), or once every {x} is below {under}, the smallest x "
                "whose exp(x) is above 0 (then every term is 0 and 0/0 is NaN)."
            ).format(
                x=EXPONENT,
                over=stored_number(limits.overflow, dtype),
                dtype=dtype,
                under=stored_number(limits.underflow, dtype),
            )
        )
        st.caption(markdown_safe(dtype_note(diagnosis, EXPONENT)))
        st.header(_("The log-sum-exp trick"))
        st.markdown(log_sum_exp_trick(labels, exponents, EXPONENT))


body()

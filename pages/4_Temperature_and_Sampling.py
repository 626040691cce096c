"""Lesson 4: temperature from argmax to uniform, sampling, and top-k / top-p filtering."""

import math

import numpy as np
import streamlit as st

from softmax_core import (
    sample_counts,
    top_k_filter,
    top_p_filter,
)
from softmax_ui import speech
from softmax_ui.catalog import TEMPERATURE
from softmax_ui.controls import (
    editor_beside_picture,
    lesson_tabs,
    load_preset,
    matching_preset,
    paired_slider,
    redraw_button,
    seed_input,
)
from softmax_ui.explain import (
    entropy_sweep_alt,
    filters_explained,
    sampling_gap,
    temperature_limits,
)
from softmax_ui.figures_temperature import (
    CUT_MIN,
    filtered_bars,
    sample_frequencies,
    sweep_charts,
    sweep_over_temperature,
)
from softmax_ui.i18n import N_, _, ngettext
from softmax_ui.page import chart, font_size, lesson, narrow_screen, visible
from softmax_ui.pictures import predict, prediction_picture
from softmax_ui.session import bound, changes_rerun, current, remount_key, section
from softmax_ui.shared_figures import shared
from softmax_ui.text import fixed, prose_number, quoted

NLP = "Next word (NLP)"
OBSERVED = N_("observed frequency")


lesson(
    TEMPERATURE,
    _(
        "A language model does not always write its most likely word: it *samples* from "
        "softmax. The temperature decides how adventurous that draw is, and top-k / top-p cut "
        "off the unlikely tail first."
    ),
)


@section("lesson", shows=())
def body() -> None:
    picture = editor_beside_picture()
    with picture:
        prediction()
    further_pictures()


@section("prediction")
def prediction() -> None:
    state = current()
    K = len(state.logits)
    prediction_picture(
        predict(state),
        winner_label=_("Most likely class"),
        entropy_help=_("0 = certain; log {k} = {log_k} = uniform.").format(
            k=K, log_k=fixed(math.log(K), 3)
        ),
    )


@section("further", owns=("tab",), shows=())
def further_pictures() -> None:
    """The sweep, sampling and filters in tabs: only the open one is drawn, so a change of T
    redraws the main picture and one tab's pictures (a section of its own: opening a tab
    reruns only it)."""
    tab, place = lesson_tabs(TEMPERATURE.tabs)
    with place:
        {"sweep": temperature_sweep, "sampling": sampling, "filters": filters}[tab]()


@section("sweep")
def temperature_sweep() -> None:
    """T from 0.05 to 20 (stretched to a T outside that range)."""
    state = current()
    labels, z, T = state.labels, np.array(state.logits), state.temperature
    K = len(z)
    guess = predict(state)
    p, H, top = guess.probabilities, guess.entropy, guess.winners
    ts, sweep, sweep_h = sweep_over_temperature(z, T)
    st.header(
        _("From argmax to uniform: sweep T from {low} to {high}").format(
            low=prose_number(float(ts[0])), high=prose_number(float(ts[-1]))
        )
    )
    sweep_figure, entropy_figure = shared(
        sweep_charts, labels, ts, sweep, sweep_h, temperature=T, p=p, H=H, font_size=font_size()
    )
    left, right = st.columns(2)
    with left:
        chart(
            sweep_figure,
            alt=_(
                "Line chart: the probability of each of the {k} classes as T goes from {low} "
                "to {high} on a log axis, with the current T = {t} marked, where {top}."
            ).format(
                k=K,
                low=prose_number(float(ts[0])),
                high=prose_number(float(ts[-1])),
                t=prose_number(T),
                top=speech.top(labels, p),
            ),
            key="sweep_chart",
        )
    with right:
        chart(
            entropy_figure,
            alt=entropy_sweep_alt(ts, sweep_h, K, all_tied=len(top) == K),
            key="entropy_chart",
        )

    if visible("explanation"):
        st.markdown(temperature_limits(labels, z, ts, sweep, sweep_h, T, H))


@section("sampling", owns=("n_samples", "seed"), shows=())
def sampling() -> None:
    """Draw N samples (a section of its own: N, the seed and "Draw again" rerun only it; a
    change of T or the logits redraws the samples, not the controls)."""
    sampling_controls()
    sampled()


@section("sampling_controls", shows=("n_samples", "seed"))
def sampling_controls() -> None:
    st.header(_("Sampling: what a generator actually picks"))
    st.markdown(
        _(
            "A model that always took the argmax would write the same text every time. "
            "Sampling draws a class with probability p instead. The seed fixes the random "
            "draw, so everyone who opens this link sees the same samples."
        )
    )
    n_col, seed_col, again_col = st.columns([2, 2, 1], vertical_alignment="bottom")
    with n_col:
        bound(
            st.number_input,
            "n_samples",
            # "10 000", not the thousands' point of "1.000" beside it: a box reads a point
            # as a decimal point, and "10.000" invited 10 samples (test_i18n)
            _("Number of samples N (1 to 10,000)"),
            said_as="N",
            step=100,
            get=lambda s: s.n_samples,
            put=lambda s, v: s.replace(n_samples=int(v)),
        )
    with seed_col:
        seed_input("seed", _("Random seed"))
    with again_col:
        redraw_button(_("Draw again"), help=_("Next seed: a fresh draw of N samples."))


@section("sampled")
def sampled() -> None:
    state = current()
    labels, p = state.labels, predict(state).probabilities
    n, seed = state.n_samples, state.seed
    counts = np.asarray(sample_counts(p, n, seed))
    chart(
        shared(sample_frequencies, labels, p, counts, seed=seed, font_size=font_size()),
        alt=ngettext(
            "Bar chart of the expected probabilities with the observed frequency of {n} "
            "sample (seed {seed}) drawn over them: {top}.",
            "Bar chart of the expected probabilities with the observed frequencies of {n} "
            "samples (seed {seed}) drawn over them: {top}.",
            n,
        ).format(n=n, seed=seed, top=speech.top(labels, counts / n, what=OBSERVED)),
        key="sample_chart",
    )
    if visible("explanation"):
        st.markdown(sampling_gap(labels, p, counts))


@section("filters", owns=("top_k", "top_p"), shows=())
def filters() -> None:
    """Top-k and top-p (a section of its own: k and p rerun only it; a change of T redraws
    the filtered bars, not the controls)."""
    filter_controls()
    filtered()


@section("filter_controls", shows=("logits", "labels", "top_k", "top_p"))
def filter_controls() -> None:
    state = current()
    K = len(state.logits)
    st.header(_("Top-k and top-p: cut the tail, then sample"))
    if matching_preset(state) != NLP:
        info, button = st.columns([4, 1], vertical_alignment="center")
        info.info(
            _(
                "Top-k and top-p come from text generation. Load the next-word example to see "
                "them on a language model's vocabulary."
            ),
            icon=":material/lightbulb:",
        )
        button.button(
            _("Load “{name}”").format(name=_(NLP)),
            on_click=changes_rerun(load_preset),
            args=(NLP,),
        )

    k_col, p_col = st.columns(2)
    with k_col:
        paired_slider(
            (remount_key("top_k", classes=K), "top_k_number"),
            _("top-k: keep the k most likely classes (and any tied with the k-th)"),
            min_value=1,
            max_value=K,
            step=1,
            number_label=_("k (1 to the number of classes)"),
            said_as="k",
            get=lambda s: min(s.top_k, K),
            put=lambda s, v: s.replace(top_k=int(v)),
        )
    with p_col:
        paired_slider(
            ("top_p", "top_p_number"),
            _("top-p (nucleus): keep the fewest classes whose total reaches p"),
            min_value=0.01,
            max_value=1.0,
            step=0.01,
            number_label=_("p (above 0, at most 1)"),
            said_as="p",
            number_format="%.2f",
            get=lambda s: s.top_p,
            put=lambda s, v: s.replace(top_p=float(v)),
        )


@section("filtered")
def filtered() -> None:
    state = current()
    labels, z = state.labels, np.array(state.logits)
    K, p = len(z), predict(state).probabilities
    k, top_p = min(state.top_k, K), state.top_p
    after_k = np.asarray(top_k_filter(p, k, scores=z))
    after_p = np.asarray(top_p_filter(p, top_p, scores=z))
    chart(
        shared(
            filtered_bars,
            labels,
            p,
            {
                _("after top-k (k = {k})").format(k=k): after_k,
                _("after top-p (p = {p})").format(p=prose_number(top_p)): after_p,
            },
            title=_("Before and after filtering: top-k with k = {k}, top-p with p = {p}").format(
                k=k, p=prose_number(top_p)
            ),
            font_size=font_size(),
            wide=not narrow_screen(),
        ),
        alt=_(
            "Grouped bars per class: the distribution before filtering, after top-k "
            "filtering with k = {k}, and after nucleus filtering at p = {p}; in place of a "
            "class a filter cut, a grey cross-hatched bar as tall as the class was before "
            "(and at least {least} tall, to be seen), named {cut} in the legend. Top-k keeps "
            "{kept_k} of {n} classes, top-p keeps {kept_p}."
        ).format(
            cut=quoted(_("cut")),  # the legend entry the chart draws, in any language
            # a cut class of 0.01 drawn 0.03 tall was read as taller than it was (a tour)
            least=prose_number(CUT_MIN),
            k=k,
            p=prose_number(top_p),
            kept_k=np.count_nonzero(after_k),
            n=K,
            kept_p=np.count_nonzero(after_p),
        ),
        key="filter_chart",
    )

    if visible("explanation"):
        st.markdown(filters_explained(labels, z, p, k, top_p, requested_k=state.top_k))


body()

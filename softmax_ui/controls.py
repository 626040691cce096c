"""Shared controls, written once and used by every lesson.

Each control is bound to the lesson state (see :func:`softmax_ui.session.bound`),
so a value typed on one page is there on the next, and in the share link.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import nullcontext

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from softmax_ui import i18n, live
from softmax_ui.i18n import _
from softmax_ui.page import visible
from softmax_ui.presets import PRESETS
from softmax_ui.session import (
    bound,
    changes_rerun,
    commit,
    current,
    remount_key,
    section,
    update,
)
from softmax_ui.state import (
    DTYPES,
    LOGIT_LIMIT,
    MAX_CLASSES,
    MAX_LABEL_LENGTH,
    T_MAX,
    T_MIN,
    TABS,
    LessonState,
    clean_label,
    format_logits,
    logit_list,
    parse_logits,
    shown_number,
)
from softmax_ui.text import markdown_safe

SLIDER_SPANS = (10.0, 100.0, 1000.0, LOGIT_LIMIT)
MAX_PASTE_LENGTH = 1000
"""Longest paste the logits box takes: 20 logits written out in full (``repr``, at most 24
characters each, with separators) need about 520."""
PASTE_BOX_CHARS = 10 * MAX_PASTE_LENGTH
"""What the browser lets into the paste box. Above :data:`MAX_PASTE_LENGTH` the server refuses
the text with a message saying why; the browser drops a paste longer than the box's limit
without a word (and Enter then applies what the box still holds), so that limit is far above
any list of numbers, and still a hundred times below ``server.maxMessageSize``."""
LABEL_BOX_CHARS = 10 * MAX_LABEL_LENGTH
"""What the browser lets into a class name's box: a longer name is refused by the server with
its reason (:func:`label_setter`), not dropped by the browser without a word."""


def slider_span(logits: tuple[float, ...]) -> float:
    """The smallest slider range (±10, ±100, …) that shows every logit.

    Small logits get a fine slider; typing a large value widens every slider.
    """
    largest = max(abs(v) for v in logits)
    return next(span for span in SLIDER_SPANS if largest <= span)


def with_preset(state: LessonState, name: str | None) -> LessonState:
    if name is None:
        return state
    preset = PRESETS[name]
    resized = state.with_classes(len(preset.logits))
    return resized.replace(logits=preset.logits, labels=preset.labels_in())


def with_pasted_logits(state: LessonState, text: str) -> LessonState:
    if len(text) > MAX_PASTE_LENGTH:  # before any parsing: an oversized paste costs nothing
        raise ValueError(
            _(
                "The pasted text is longer than {length} characters: paste at most {n} numbers."
            ).format(length=MAX_PASTE_LENGTH, n=MAX_CLASSES)
        )
    logits = parse_logits(text)
    return state.with_classes(len(logits)).replace(logits=logits)


def logit_setter(i: int):
    def put(state: LessonState, value: float | None) -> LessonState:
        if i >= len(state.logits):
            return state  # a request for a class removed meanwhile (a stale widget)
        if value is None or not math.isfinite(value):
            raise ValueError(_("Logit {i} needs a finite number.").format(i=i + 1))
        logits = list(state.logits)
        logits[i] = float(value)
        return state.replace(logits=tuple(logits))

    return put


def label_setter(i: int):
    def put(state: LessonState, text: str) -> LessonState:
        if i >= len(state.labels):
            return state  # a request for a class removed meanwhile (a stale widget)
        if len(text) > MAX_LABEL_LENGTH:
            raise ValueError(
                _("Label {i} is longer than {n} characters.").format(i=i + 1, n=MAX_LABEL_LENGTH)
            )
        labels = list(state.labels)
        labels[i] = clean_label(text)
        return state.replace(labels=tuple(labels))

    return put


def load_preset(name: str) -> None:
    """Button callback: show preset ``name`` (its logits and labels; other settings stay)."""
    commit(with_preset(current(), name))


def matching_preset(state: LessonState) -> str | None:
    for name, preset in PRESETS.items():
        if preset.logits == state.logits and preset.labels_in() == state.labels:
            return name
    return None


def logits_editor(*, expanded: bool | None = None) -> LessonState:
    """Presets, number of classes, a paste box, and per class a label, a number and a slider.

    The per-class rows are open when ``expanded`` (default: for up to 6 classes).
    """
    state = current()
    st.header(_("Logits z"))
    bound(
        st.selectbox,
        "preset",
        _("Load an example"),
        options=list(PRESETS),
        format_func=_,
        index=None,
        placeholder=_("Choose a preset…"),
        get=lambda s: None,
        put=with_preset,
        keep_after_change=False,
    )
    # The preset's story, in a slot that is there with or without one: when the logits stop
    # (or start) matching a preset, the widgets below keep their place in the page, and a
    # focused slider or box keeps the keyboard focus (it was drawn anew, and lost it).
    story = st.empty()
    name = matching_preset(state)
    if name:
        story.caption(
            _("**{name}**: {story}").format(
                name=markdown_safe(_(name)), story=markdown_safe(_(PRESETS[name].story))
            )
        )
    bound(
        st.text_input,
        "paste",
        _("Paste logits (comma-separated)"),
        max_chars=PASTE_BOX_CHARS,
        get=lambda s: format_logits(s.logits),
        put=with_pasted_logits,
        help=_("For example `2, 1, 0.1`. Press Enter to apply."),
    )
    bound(
        st.number_input,
        "classes",
        _("Number of classes"),
        said_as=_("the number of classes"),
        # no min_value / max_value: out of range, Streamlit's browser kept the value in a red
        # box, said why in English in a tooltip a phone cannot hover, and sent nothing (a
        # tour); the state's message says the range, in the reader's language
        step=1,
        get=lambda s: len(s.logits),
        put=lambda s, n: s.with_classes(int(n)),
    )
    span = slider_span(state.logits)
    if expanded is None:
        expanded = len(state.logits) <= 6
    with st.expander(_("Each class: name and logit"), expanded=expanded):
        for i in range(len(state.logits)):
            left, right = st.columns([3, 2])
            with left:
                bound(
                    st.text_input,
                    f"label{i}",
                    _("Class {i} name").format(i=i + 1),
                    max_chars=LABEL_BOX_CHARS,
                    get=lambda s, i=i: s.labels[i],
                    put=label_setter(i),
                )
            with right:
                bound(
                    st.number_input,
                    f"z{i}",
                    f"z{i + 1}",
                    step=0.1,
                    format="%g",
                    get=lambda s, i=i: s.logits[i],
                    put=logit_setter(i),
                )
            bound(
                st.slider,
                remount_key(f"logit_slider{i}", span=f"{span:g}"),
                _("Slide z{i}").format(i=i + 1),
                min_value=-span,
                max_value=span,
                step=span / 1000,
                label_visibility="collapsed",
                get=lambda s, i=i: min(max(s.logits[i], -span), span),
                put=logit_setter(i),
            )
    return current()


def paired_slider(
    keys: tuple[str, str],
    label: str,
    *,
    min_value: float,
    max_value: float,
    step: float,
    get: Callable[[LessonState], float],
    put: Callable[[LessonState, float], LessonState],
    number_label: str | None = None,
    number_format: str | None = None,
    help: str | None = None,
    said_as: str | None = None,
) -> None:
    """A slider for the useful range, paired with a number box for exact values.

    The number box takes any value the state accepts (the slider shows it clamped),
    and works from the keyboard and with a screen reader. ``keys`` names the two widgets.
    """

    bound(
        st.slider,
        keys[0],
        label,
        min_value=min_value,
        max_value=max_value,
        step=step,
        help=help,
        get=lambda s: min(max(get(s), min_value), max_value),
        put=put,
    )
    bound(
        st.number_input,
        keys[1],
        number_label or _("{label}: exact value").format(label=label),
        step=step,
        format=number_format,
        get=get,
        put=put,
        said_as=said_as or label,  # the short name a message under the box gives it
    )


TEMPERATURE_SLIDERS = {
    "": (0.05, 5.0, 0.05),
    "low": (T_MIN, 5.0, 0.01),
    "high": (0.05, T_MAX, 0.05),
}
"""The T slider's range and step, by name: the useful range 0.05–5, and wider ones for a T
typed into the number box outside it (any T in [0.01, 100]), so the slider never shows a T it
cannot reach and one arrow press moves from the T shown."""


def temperature_slider(t: float) -> str:
    """The name of the T slider that shows ``t`` (see :data:`TEMPERATURE_SLIDERS`).

    >>> temperature_slider(1.0), temperature_slider(0.01), temperature_slider(100.0)
    ('', 'low', 'high')
    >>> temperature_slider(0.05), temperature_slider(5.0)
    ('', '')
    """
    low, high, _step = TEMPERATURE_SLIDERS[""]
    return "low" if t < low else "high" if t > high else ""


def temperature_control(*, help_text: str | None = None) -> float:
    """Temperature T: a slider for the useful range and a number box for any T in [0.01, 100].

    A T typed outside the slider's usual range widens the slider to reach it (a new slider,
    like the logit sliders' :func:`slider_span`); a T back inside narrows it again.
    """
    name = temperature_slider(current().temperature)
    low, high, step = TEMPERATURE_SLIDERS[name]
    paired_slider(
        (remount_key("T_slider", range=name) if name else "T_slider", "T_number"),
        _("Temperature T"),
        min_value=low,
        max_value=high,
        step=step,
        number_label=_("T (type any value from 0.01 to 100)"),
        number_format="%g",
        said_as="T",
        help=help_text
        or _(
            "Softmax divides every logit by T before exponentiating. T < 1 sharpens the "
            "distribution towards the largest logit; T > 1 flattens it towards uniform."
        ),
        get=lambda s: s.temperature,
        put=lambda s, t: s.replace(temperature=float(t)),
    )
    return current().temperature


def dtype_control() -> str:
    """Floating-point precision used by the naive formula."""
    bound(
        st.radio,
        "dtype",
        _("Precision (dtype)"),
        options=list(DTYPES),
        horizontal=True,
        help=_("float16 overflows at exp(11.09), float32 at exp(88.72), float64 at exp(709.78)."),
        get=lambda s: s.dtype,
        put=lambda s, d: s.replace(dtype=d),
    )
    return current().dtype


def open_tab(state: LessonState, names: tuple[str, ...]) -> str:
    """The tab of ``names`` that ``state`` opens: its ``tab``, or the first of ``names``
    when it names none of them (another lesson's tab, or none).

    >>> open_tab(LessonState(tab="filters"), ("sweep", "sampling", "filters"))
    'filters'
    >>> open_tab(LessonState(), ("sweep", "sampling", "filters"))
    'sweep'
    """
    return state.tab if state.tab in names else names[0]


def lesson_tabs(names: tuple[str, ...]) -> tuple[str, DeltaGenerator]:
    """Tabs for the lesson's further pictures (``names``, keys of ``TABS``): the open tab's
    name and its container.

    Only the open tab is drawn: the page draws its pictures into the container, and a setting
    such as T then reruns and re-sends that tab's pictures alone (issue 14). The open tab is
    the lesson state's ``tab``: in the link, a deck's scene and the live class's view.
    """
    labels = [_(TABS[name]) for name in names]

    def put(state: LessonState, label: object) -> LessonState:
        if label not in labels:  # a label of another language, from before a switch
            return state
        return state.replace(tab=names[labels.index(str(label))])

    tabs = bound(
        st.tabs,
        # a new widget in another language: Streamlit would open the first tab for a label
        # it no longer has, where this one opens the state's
        remount_key("tab", lang=i18n.current()),
        labels,
        get=lambda s: labels[names.index(open_tab(s, names))],
        put=put,
    )
    shown = [i for i, tab in enumerate(tabs) if tab.open]
    index = shown[0] if shown else names.index(open_tab(current(), names))
    return names[index], tabs[index]


def editor_beside_picture(
    *,
    temperature_help: str | None = None,
    more: Callable[[], object] | None = None,
) -> DeltaGenerator:
    """The usual lesson layout: logits editor and temperature on the left, picture on the right.

    ``more`` draws the page's own control under the editor (it is never hidden). Each part
    the teacher hides in presenter view (``editor``, ``temperature``) leaves out only itself;
    with nothing left to show, the picture gets the full width. Returns the container to
    draw the picture in.

    The logits editor and the temperature controls are sections of their own (each showing
    only its settings), so a page whose outermost section shows nothing itself redraws only
    the temperature controls and its pictures on a temperature change (see
    :func:`softmax_ui.session.section`).
    """

    @section("logits_editor", owns=(), shows=("logits", "labels"))
    def logits_part() -> None:
        logits_editor()

    @section("temperature_control", owns=(), shows=("temperature",))
    def temperature_part() -> None:
        temperature_control(help_text=temperature_help)

    @section("page_control", owns=())
    def more_part() -> None:
        more()  # type: ignore[misc]

    follower = live.following()
    if follower:
        teachers_settings()
    parts = [
        draw
        for draw, shown in (
            (logits_part, visible("editor") and not follower),
            (more_part, more is not None),
            (temperature_part, visible("temperature") and not follower),
        )
        if shown
    ]
    with below_teachers_settings() if follower else nullcontext():
        if not parts:
            return st.container()
        controls, picture = st.columns([2, 3], gap="large")
        with controls:
            for draw in parts:
                draw()
    return picture


BELOW_SETTINGS = "below_teachers_settings"
"""Key of the container that holds, for a following student, what comes after the teacher's
settings line: on a phone the docked picture stays inside it (``layout.css``), so it never
covers that line."""


def below_teachers_settings() -> DeltaGenerator:
    """The container for what follows the teacher's settings line (:func:`teachers_settings`)
    on a following student's page: the page's own controls and its main picture. On a phone
    the picture docks to the foot of the screen only within it: the banner and the teacher's
    settings stay readable above it when a student arrives (``layout.css``)."""
    return st.container(key=BELOW_SETTINGS)


@section("teachers_settings", owns=(), shows=("logits", "temperature"))
def teachers_settings() -> None:
    """What a student following the teacher sees in place of the logits editor and the
    temperature controls (those the presenter view does not hide): the teacher's settings,
    to read. The teacher's next move would undo a change; "Explore on my own" gives the
    controls back (see :func:`softmax_ui.live.following`). One short line, so that on a
    phone the picture comes right after it."""
    state = current()
    settings = []
    if visible("editor"):
        settings.append(_("logits z = {z}").format(z=markdown_safe(logit_list(state.logits))))
    if visible("temperature"):
        settings.append(
            _("temperature T = {t}").format(t=markdown_safe(shown_number(state.temperature)))
        )
    if not settings:
        return
    with st.container(key="teachers_settings"):
        st.markdown(
            ":material/tune: "
            + _("**The teacher's settings:** {settings}").format(settings=" · ".join(settings))
        )
        st.caption(_("To change them yourself, choose “Explore on my own”."))


def seed_input(key: str, label: str) -> None:
    """The random seed (one per session, in the link), shared by every lesson that draws."""
    bound(
        st.number_input,
        key,
        label,
        step=1,
        get=lambda s: s.seed,
        put=lambda s, v: s.replace(seed=int(v)),
        said_as=_("the seed"),
    )


def learning_rate_input() -> None:
    """The learning rate of a gradient step (a number box: any rate the state accepts)."""

    bound(
        st.number_input,
        "learning_rate",
        _("Learning rate (0.001 to 10)"),
        step=0.1,
        format="%g",
        get=lambda s: s.learning_rate,
        put=lambda s, v: s.replace(learning_rate=float(v)),
        said_as=_("the learning rate"),
    )


def next_seed() -> None:
    """Callback: the next random seed, so every lesson that draws draws afresh."""
    update(seed=(current().seed + 1) % 2**32)


def redraw_button(label: str, *, help: str | None = None) -> None:
    """A button that moves to the next seed (:func:`next_seed`)."""
    st.button(label, icon=":material/casino:", on_click=changes_rerun(next_seed), help=help)

"""Building a Workshop deck: what the Add button may add (pure, no Streamlit).

A deck travels in a link, and a link is read back by :func:`softmax_ui.state.from_query`.
:func:`add_scene` adds the current view only if the link of the new deck reads back to exactly
the same state, so the Workshop can never build a deck that its own link would reject; when it
cannot, the :class:`ValueError` says why, for the teacher, at the button.
"""

from __future__ import annotations

from softmax_ui.catalog import page_of
from softmax_ui.i18n import _, group
from softmax_ui.scenes import MAX_SCENES, MAX_TITLE_LENGTH, check_deck
from softmax_ui.state import (
    ACTIVATION_NAMES,
    FIELD_OF_KEY,
    TABS,
    LessonState,
    from_query,
    lesson_settings,
    logit_list,
    shown_number,
    to_query,
)
from softmax_ui.text import clean_text

TITLE_BOX_CHARS = 5 * MAX_TITLE_LENGTH  # 300: no other box's limit (streamlit_words.box_limits)
"""What the browser lets into the scene title's box: a longer title is refused with its reason
(:func:`scene_title`), where the browser would drop a paste over the box's limit unsaid."""


def scene_title(text: str, page: str) -> str:
    """The title a scene is saved with: ``text`` cleaned, or the page's title if empty.

    :class:`ValueError` if it is longer than :data:`~softmax_ui.scenes.MAX_TITLE_LENGTH`
    (checked before cleaning a long text, so an oversized one costs nothing).
    """
    if len(text) > TITLE_BOX_CHARS:
        raise ValueError(
            _("The scene title is longer than {n} characters.").format(n=MAX_TITLE_LENGTH)
        )
    title = clean_text(text)
    if not title:
        known = page_of(page)
        title = _(known.title) if known else page
    if len(title) > MAX_TITLE_LENGTH:
        raise ValueError(
            _("The scene title has {length} characters; keep it to {n}.").format(
                length=len(title), n=MAX_TITLE_LENGTH
            )
        )
    return title


def add_scene(state: LessonState, page: str, title: str) -> LessonState:
    """``state`` with the current view added to its deck as a scene on ``page``.

    The default deck is replaced by a new deck of one scene. Raises :class:`ValueError` with
    the reason if the deck is full, or if the new deck's link would not read back as it is.
    """
    if state.deck and len(state.deck) >= MAX_SCENES:
        raise ValueError(
            _("A deck holds at most {n} scenes: remove one first.").format(n=MAX_SCENES)
        )
    scene = state.as_scene(page, scene_title(title, page))
    deck = (*state.deck, scene)
    check_deck(deck)
    new = state.replace(deck=deck, scene=0)
    restored, problems = from_query(to_query(new))
    if problems or restored != new:
        reason = problems[0] if problems else _("it does not read back as this view")
        raise ValueError(_("This scene cannot be shared in a link: {reason}").format(reason=reason))
    return new


def scene_settings(state: LessonState, number: int) -> str:
    """What scene ``number`` (1-based) of ``state``'s deck sets, as the reader writes it, for
    the Workshop's deck table: the logits, class names (translated in the default deck, as
    the scene shows them), T and the lesson's own settings the scene's link names, with the
    reader's decimal sign; the target class by its name. Plain text: the table escapes it.

    >>> from softmax_ui.i18n import language
    >>> from softmax_ui.scenes import Scene
    >>> deck = (Scene("Gradients_and_Cross_Entropy", "x", "z=2,1,0.1&labels=a,b,c&T=0.5&target=1"),)
    >>> with language("fr"):
    ...     scene_settings(LessonState(deck=deck), 1)
    'z = 2\u202f; 1\u202f; 0,1 · classes\xa0: a, b, c · T = 0,5 · classe cible\xa0: b'
    >>> scene_settings(LessonState(), 4)
    'z = 1000, 1001, 1002 · classes: a, b, c · T = 1'
    >>> scene_settings(LessonState(), 8)  # sets nothing Calibration uses: its defaults
    'seed 0 · 5 classes to calibrate · overconfidence = 3'
    """
    shown = state.at_scene(number)
    scene_page = state.active_deck[number - 1].page
    page = page_of(scene_page)
    tabs = page.tabs if page else ()
    # the settings the scene replays (a link's deck may carry others: they are not shown),
    # those its page uses (a Temperature scene listed the target class and c, set elsewhere)
    named = {FIELD_OF_KEY[key] for key in lesson_settings(state.active_deck[number - 1].settings())}
    if page is not None and page.settings:
        # a scene that sets none of its page's settings opens the page with their defaults:
        # those, not an empty cell (the default deck's Calibration scene read as nothing)
        named = (named & set(page.settings)) or set(page.settings)
    parts = {
        "logits": lambda: _("z = {z}").format(z=logit_list(shown.logits)),
        "labels": lambda: _("classes: {names}").format(names=", ".join(shown.labels)),
        "temperature": lambda: _("T = {t}").format(t=shown_number(shown.temperature)),
        "dtype": lambda: _("precision {dtype}").format(dtype=shown.dtype),
        "offset": lambda: _("c = {c}").format(c=shown_number(shown.offset)),
        "activations": lambda: ", ".join(_(ACTIVATION_NAMES[a]) for a in shown.activations),
        "seed": lambda: _("seed {seed}").format(seed=shown.seed),
        "n_samples": lambda: _("N = {n}").format(n=group(shown.n_samples)),
        "top_k": lambda: _("top-k = {k}").format(k=shown.top_k),
        "top_p": lambda: _("top-p = {p}").format(p=shown_number(shown.top_p)),
        "target": lambda: _("target class: {name}").format(name=shown.labels[shown.target]),
        "learning_rate": lambda: _("learning rate {rate}").format(
            rate=shown_number(shown.learning_rate)
        ),
        "calib_classes": lambda: _("{n} classes to calibrate").format(n=shown.calib_classes),
        # the tab only where the scene's page has it (another page opens its first tab)
        "tab": lambda: (
            _("tab: {name}").format(name=_(TABS[shown.tab])) if shown.tab in tabs else ""
        ),
        "overconfidence": lambda: _("overconfidence = {x}").format(
            x=shown_number(shown.overconfidence)
        ),
    }
    return " · ".join(
        text for name, describe in parts.items() if name in named and (text := describe())
    )

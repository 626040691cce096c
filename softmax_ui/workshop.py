"""Building a Workshop deck: what the Add button may add (pure, no Streamlit).

A deck travels in a link, and a link is read back by :func:`softmax_ui.state.from_query`.
:func:`add_scene` adds the current view only if the link of the new deck reads back to exactly
the same state, so the Workshop can never build a deck that its own link would reject; when it
cannot, the :class:`ValueError` says why, for the teacher, at the button.
"""

from __future__ import annotations

from softmax_ui.catalog import PAGES
from softmax_ui.i18n import _
from softmax_ui.scenes import MAX_SCENES, MAX_TITLE_LENGTH, check_deck
from softmax_ui.state import LessonState, from_query, to_query
from softmax_ui.text import clean_text


def scene_title(text: str, page: str) -> str:
    """The title a scene is saved with: ``text`` cleaned, or the page's title if empty.

    :class:`ValueError` if it is longer than :data:`~softmax_ui.scenes.MAX_TITLE_LENGTH`
    (checked before cleaning a long text, so an oversized one costs nothing).
    """
    if len(text) > 4 * MAX_TITLE_LENGTH:
        raise ValueError(
            _("The scene title is longer than {n} characters.").format(n=MAX_TITLE_LENGTH)
        )
    title = clean_text(text)
    if not title:
        title = next((_(item.title) for item in PAGES if item.slug == page), page)
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

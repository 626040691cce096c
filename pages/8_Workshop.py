"""Workshop mode: a deck of scenes the teacher steps through, shareable as one link."""

import zlib
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from softmax_ui import i18n
from softmax_ui.catalog import LESSONS, PAGES, WORKSHOP, page_path, page_slug
from softmax_ui.i18n import _, ngettext
from softmax_ui.memory import memory
from softmax_ui.page import (
    LEFT_SCENE,
    go_to_scene,
    last_lesson,
    left_scene,
    lesson,
    link_box,
    scene_title,
)
from softmax_ui.scenes import MAX_TITLE_LENGTH, Scene, encode_deck
from softmax_ui.session import commit, current, per_language, section, update
from softmax_ui.state import to_query
from softmax_ui.tables import markdown_table
from softmax_ui.text import markdown_safe
from softmax_ui.workshop import TITLE_BOX_CHARS, add_scene, scene_settings

PAGE_KEY = "workshop:page"
TITLE_KEY = "workshop:title"
REMOVE_KEY = "workshop:remove"
ADD_ERROR = "workshop:add_error"
UNDO = "workshop:undo"


@dataclass(frozen=True)
class Undo:
    """The deck before a removal, the deck it left, and what to tell the teacher."""

    before: tuple[Scene, ...]
    after: tuple[Scene, ...]
    message: str


def add_current_view() -> None:
    """The form's button: the current view as a new scene; the title box is emptied only
    when the scene is added (a refused title stays, to be shortened, not typed again)."""
    try:
        new_state = add_scene(
            current(),
            st.session_state[per_language(PAGE_KEY)],
            st.session_state.get(TITLE_KEY) or "",
        )
    except ValueError as err:
        memory()[ADD_ERROR] = str(err)
    else:
        memory().pop(UNDO, None)
        memory().pop(LEFT_SCENE, None)  # a new deck: the scene left is not in it
        commit(new_state)
        st.session_state[TITLE_KEY] = ""


def change_deck(deck: tuple[Scene, ...], removed: str | None = None) -> None:
    """Remove a scene (its title ``removed``), go back to the default deck, or undo either:
    one click, and the deck before it comes back with Undo (a stray Enter on "Back to the
    default deck" wiped a teacher's deck, a teacher's tour)."""
    before = current().deck
    update(deck=deck, scene=0)
    memory().pop(LEFT_SCENE, None)  # another deck: the scene left is not in it
    undone = memory().pop(UNDO, None)
    if undone is not None and deck == undone.before:  # this was the Undo
        return
    if deck:
        message = _("Scene removed: {title}.").format(title=markdown_safe(removed or ""))
    else:
        message = ngettext(
            "Your deck is empty: the table shows the default story. Undo brings back your "
            "{n} scene.",
            "Your deck is empty: the table shows the default story. Undo brings back your "
            "{n} scenes.",
            len(before),
        ).format(n=len(before))
    memory()[UNDO] = Undo(before, deck, message)


@section("share_deck", owns=())
def share_the_deck() -> None:
    """The deck's link; its presenter switch reruns only this section."""
    state = current()
    deck = state.active_deck
    st.header(_("Share the deck"))
    present = st.toggle(_("Open in presenter view (large type, sidebar closed)"), value=True)
    first = state.at_scene(1).replace(present=present)
    app_root = (st.context.url or "").rsplit("/", 1)[0]
    query = to_query(first) | i18n.url_param()
    link = f"{app_root}/{deck[0].page}?{urlencode(query, safe=',')}"
    link_box(link, key="deck", what=_("the deck"))
    st.caption(
        _(
            "This link opens scene 1 with the scene bar on top; everyone who opens it gets the "
            "same deck and can step through it at their own pace, or follow yours on the "
            "projector."
        )
    )


state = lesson(
    WORKSHOP,
    _(
        "Teach the whole story from one link: a deck of scenes (a page with its logits, labels, "
        "temperature and precision) that you step through with Next and Previous, while "
        "students who open the same link follow along."
    ),
)

deck = state.active_deck
page_titles = {item.slug: _(item.title) for item in PAGES}

st.header(_("The deck (your own)") if state.deck else _("The deck (the default story)"))
st.markdown(
    markdown_table(
        {
            "#": list(range(1, len(deck) + 1)),
            _("scene"): [scene_title(state, number) for number in range(1, len(deck) + 1)],
            _("page"): [page_titles.get(scene.page, scene.page) for scene in deck],
            _("settings"): [scene_settings(state, n) for n in range(1, len(deck) + 1)],
        }
    )
)
missing = [s.page for s in deck if page_path(s.page) is None]
if missing:
    st.warning(
        _("Some scenes name pages this app does not have: {pages}").format(
            pages=markdown_safe(", ".join(missing))
        )
    )

if st.button(_("Start the deck at scene 1"), icon=":material/play_arrow:", type="primary"):
    go_to_scene(1)
st.caption(  # the keys: softmax_ui/assets/page.js, part 11
    _(
        "A presentation clicker steps the deck too, as the arrow keys do: Page Down or → shows "
        "the next scene, Page Up or ← the one before."
    )
)
left = left_scene()
if left and st.button(
    _("Resume the deck at scene {n}").format(n=left), icon=":material/skip_next:"
):
    # a teacher who asked the room a question on the Live class page mid-deck came back to
    # scene 1 and clicked Next to scene 4, every step broadcast (a French teacher's tour)
    go_to_scene(left)

share_the_deck()

st.header(_("Build your own deck"))
st.markdown(
    _(
        "Set up a view on any lesson page, come back here, and add it: the scene records the "
        "current logits, labels, temperature, precision and the lesson's own settings."
    )
)
titles = {page_slug(item.path): _(item.title) for item in LESSONS}
slugs = list(titles)
page_key = per_language(PAGE_KEY)  # the titles are the reader's: one menu per language
if st.session_state.get(page_key) not in slugs:
    # the lesson just set up, to be recorded
    st.session_state[page_key] = last_lesson() if last_lesson() in slugs else slugs[0]
with st.form("add_scene", border=True):
    st.selectbox(_("Page"), slugs, key=page_key, format_func=titles.get)
    st.text_input(
        _("Scene title"),
        key=TITLE_KEY,
        max_chars=TITLE_BOX_CHARS,
        placeholder=_("What this scene shows (up to {n} characters)").format(n=MAX_TITLE_LENGTH),
    )
    st.form_submit_button(_("Add the current view as a scene"), on_click=add_current_view)
refused = memory().pop(ADD_ERROR, "")  # said after the click, not again on a later visit
if refused:
    st.error(markdown_safe(refused), icon=":material/error:")

if state.deck:
    remove = st.selectbox(
        _("Remove a scene"),
        range(len(state.deck)),
        index=None,
        # kept through a language switch; a new widget (no choice) once the deck changes
        key=per_language(REMOVE_KEY, deck=zlib.crc32(encode_deck(state.deck).encode())),
        format_func=lambda i: f"{i + 1}. {state.deck[i].title}",
        placeholder=_("Choose a scene to remove…"),
    )
    st.button(
        _("Remove it"),
        disabled=remove is None,
        on_click=change_deck,
        args=(
            tuple(s for i, s in enumerate(state.deck) if i != remove),
            None if remove is None else state.deck[remove].title,
        ),
    )
undone = memory().get(UNDO)
if undone is not None and undone.after == state.deck:
    # a removal, or the whole deck, is one click away from coming back
    st.info(undone.message, icon=":material/undo:")
    st.button(_("Undo"), icon=":material/undo:", on_click=change_deck, args=(undone.before,))
if state.deck:
    st.button(
        _("Back to the default deck"),
        help=_("Your scenes are removed; Undo brings them back."),
        on_click=change_deck,
        args=((),),
    )

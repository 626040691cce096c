"""Workshop mode: a deck of scenes the teacher steps through, shareable as one link."""

from urllib.parse import urlencode

import streamlit as st

from softmax_ui import i18n
from softmax_ui.catalog import LESSONS, PAGES, WORKSHOP, page_path, page_slug
from softmax_ui.i18n import _
from softmax_ui.page import go_to_scene, last_lesson, lesson, scene_title
from softmax_ui.session import commit, current, section, update
from softmax_ui.state import to_query
from softmax_ui.tables import markdown_table
from softmax_ui.text import markdown_safe
from softmax_ui.workshop import TITLE_BOX_CHARS, add_scene, scene_settings


@section("share_deck", owns=())
def share_the_deck() -> None:
    """The deck's link; its presenter switch reruns only this section."""
    state = current()
    deck = state.active_deck
    st.subheader(_("Share the deck"))
    present = st.toggle(_("Open in presenter view (large type, sidebar closed)"), value=True)
    first = state.at_scene(1).replace(present=present)
    app_root = (st.context.url or "").rsplit("/", 1)[0]
    query = to_query(first) | i18n.url_param()
    link = f"{app_root}/{deck[0].page}?{urlencode(query, safe=',')}"
    st.code(link, language=None, wrap_lines=True)
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

st.subheader(_("The deck (your own)") if state.deck else _("The deck (the default story)"))
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

share_the_deck()

st.subheader(_("Build your own deck"))
st.markdown(
    _(
        "Set up a view on any lesson page, come back here, and add it: the scene records the "
        "current logits, labels, temperature, precision and the lesson's own settings."
    )
)
titles = {page_slug(item.path): _(item.title) for item in LESSONS}
with st.form("add_scene", clear_on_submit=True, border=True):
    slugs = list(titles)
    page = st.selectbox(
        _("Page"),
        slugs,
        # the lesson just set up, to be recorded
        index=slugs.index(last_lesson()) if last_lesson() in slugs else 0,
        format_func=titles.get,
    )
    title = st.text_input(
        _("Scene title"), max_chars=TITLE_BOX_CHARS, placeholder=_("What this scene shows")
    )
    added = st.form_submit_button(_("Add the current view as a scene"))
if added:
    try:
        new_state = add_scene(current(), page, title or "")
    except ValueError as err:
        st.error(markdown_safe(str(err)), icon=":material/error:")
    else:
        commit(new_state)
        st.rerun()

if state.deck:
    remove = st.selectbox(
        _("Remove a scene"),
        range(len(state.deck)),
        index=None,
        format_func=lambda i: f"{i + 1}. {state.deck[i].title}",
        placeholder=_("Choose a scene to remove…"),
    )
    left, right = st.columns(2)
    if left.button(_("Remove it"), disabled=remove is None):
        update(deck=tuple(s for i, s in enumerate(state.deck) if i != remove), scene=0)
        st.rerun()
    if right.button(_("Back to the default deck")):
        update(deck=(), scene=0)
        st.rerun()

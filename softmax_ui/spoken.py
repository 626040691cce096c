"""What the app has a screen reader say: :func:`announce` (said by ``page.js``, part 15)."""

from __future__ import annotations

import html

import streamlit as st

ANNOUNCE_CLASS = "softmax-announce"


def announce(text: str) -> None:
    """Have screen readers say ``text`` (e.g. the new prediction) once it has settled.

    Written into the page hidden from screen readers (``aria-hidden``) and not drawn; the
    page script (``page.js``, part 15) says it in the one live region the page keeps, when
    it has not changed for a moment: a live region Streamlit drew anew with its text already
    in it was often not read, and one updated at every run queued 21 announcements for 30
    presses of a slider's arrow key (a screen-reader tour). Call it once per run at the same
    place in the page. ``text`` is plain text; it is HTML-escaped here.
    """
    spoken = html.escape(" ".join(str(text).split()), quote=True)
    st.markdown(
        f'<div class="{ANNOUNCE_CLASS}" aria-hidden="true">{spoken}</div>',
        unsafe_allow_html=True,
    )

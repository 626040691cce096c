"""The frame around every page: config, presenter view, sidebar, share link.

A page starts with :func:`lesson` and then reads top to bottom like a lesson::

    state = lesson(PLAYGROUND, "Why this page exists, in one sentence.")
    ...controls, the picture, the explanation...
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import NoReturn

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import get_script_run_ctx

from softmax_ui import i18n, live, push, quiz_round
from softmax_ui.catalog import APP_NAME, LESSONS, PAGES, QUIZ, Page, page_path
from softmax_ui.figures import sideways
from softmax_ui.i18n import N_, _
from softmax_ui.memory import memory
from softmax_ui.network import disable_nagle_once
from softmax_ui.presets import example_names, in_language
from softmax_ui.session import (
    SHARE,
    bound,
    commit,
    current,
    rerun_whole_page_when,
    settings_in_address,
    share_url,
    start_page,
    state_in_address,
    sync_url,
    url_problems,
    url_query,
)
from softmax_ui.shared_figures import chart_title
from softmax_ui.state import HIDEABLE, LessonState
from softmax_ui.text import markdown_safe

ASSETS = Path(__file__).with_name("assets")
FAVICON = str(ASSETS / "favicon.png")
"""The tab icon: a file that ships with the app (a Material icon here would be fetched from
the internet, an emoji depends on the viewer's fonts)."""
LAYOUT_CSS = ASSETS / "layout.css"
"""Page layout for phones, laptops and projectors (docked picture, tables that fit, labels
that wrap); applied on every page."""
OPENED_PRESENTING = "page:opened_presenting"
"""Whether this session started from a link in presenter view."""
DOCKED = "docked_picture"
"""Key of the container that holds the lesson's main picture (see :func:`chart`)."""
DOCKED_VIEW = "docked_view"
"""Key of the box in it that holds the picture's title and chart: on a phone held sideways
it stays at the top of the screen within :data:`DOCKED`, which takes the column's free
room, so what follows the picture in its column comes into view below it
(``layout.css``)."""
HIDE_LABELS = {
    "editor": N_("logits editor"),
    "temperature": N_("temperature control"),
    "table": N_("tables"),
    "explanation": N_("explanations"),
}
assert set(HIDE_LABELS) == set(HIDEABLE)

PRESENTER_CSS = """
<style>
  /* Content starts below Streamlit's header (3.75rem), never under it. */
  .stMainBlockContainer { max-width: 100%; padding-top: 4.5rem; }
  /* Large type for a projector; a phone (a student following a teacher who presents) keeps
     its usual type, as its charts do (font_size): at this size its tab bar scrolled and hid
     a tab's name. */
  @media (min-width: 641px) {
    .stMainBlockContainer p, .stMainBlockContainer li, .stMainBlockContainer td,
    .stMainBlockContainer th, .stMainBlockContainer label { font-size: 1.45rem !important; }
    /* A slider's value sits just above its thumb: at 1.45rem it covered the track. At
       1.25rem it is lifted clear of the track, into room made under the slider's label. */
    .stMainBlockContainer [data-testid='stSliderThumbValue'] p,
    .stMainBlockContainer [data-testid^='stSliderTickBar'] p { font-size: 1.25rem !important; }
    .stMainBlockContainer [data-testid='stSlider'] > [role='group'] { margin-top: 0.7rem; }
    .stMainBlockContainer [data-testid='stSliderThumbValue'] { transform: translateY(-0.4rem); }
    /* The chosen chips of a multiselect (the activations compared) and the options of pills
       and segmented controls: the words a teacher points at, 14 px beside 23 px text. */
    .stMainBlockContainer [data-tag] {
      height: auto !important; padding-top: 0.15rem; padding-bottom: 0.15rem;
    }
    .stMainBlockContainer [data-tag] > span,
    .stMainBlockContainer [data-testid='stButtonGroup'] button,
    .stMainBlockContainer [data-testid='stButtonGroup'] button p {
      font-size: 1.25rem !important;
    }
    /* Links and code (a deck's share link) at a size the room can read. */
    .stMainBlockContainer [data-testid='stCode'] code,
    .stMainBlockContainer .link-box-text,
    .stMainBlockContainer .link-box-copy,
    .stMainBlockContainer .link-box-said { font-size: 1.2rem !important; }
    .stMainBlockContainer h1 { font-size: 3.2rem !important; }
    /* A live class's join code: the room reads it from the back (larger than the title). */
    .stMainBlockContainer .st-key-join_code p { font-size: 4rem !important; }
    .stMainBlockContainer h2 { font-size: 2.2rem !important; }
    .stMainBlockContainer h3 { font-size: 1.8rem !important; }
    /* A question's prompt (the quiz, a poll): above the body text, not under it. */
    .stMainBlockContainer [class*='st-key-question_prompt'] :is(h2, h3) {
      font-size: 1.8rem !important;
    }
    .stMainBlockContainer [data-testid='stMetricValue'] * { font-size: 3rem !important; }
    .stMainBlockContainer input, .stMainBlockContainer textarea {
      font-size: 1.35rem !important;
    }
    /* A popover's note and buttons (the Live class's "End the class for everyone") and a
       select box's open list (the question to ask the room) are drawn outside the page's
       column, where the rules above did not reach: they stayed at 14-16 px beside 23 px. */
    [data-testid='stPopoverBody'] p, [data-testid='stPopoverBody'] li,
    [data-testid='stPopoverBody'] button p, [data-testid='stPopoverBody'] label {
      font-size: 1.45rem !important;
    }
    [data-testid='stSelectboxVirtualDropdown'] li,
    [data-testid='stSelectboxVirtualDropdown'] [role='option'] {
      font-size: 1.35rem !important;
    }
  }
  /* A projector of 720 px or so (1280 × 720): the scene bar, the title and the page's reason
     above the picture took 355 px, and the chart ended below the screen (a projector tour).
     There they take less room: the title a size down, less space around it and the bar. */
  @media (min-width: 641px) and (max-height: 820px) {
    .stMainBlockContainer { padding-top: 4rem; }
    .stMainBlockContainer h1 {
      font-size: 2.4rem !important; padding-top: 0.2rem !important;
      padding-bottom: 0.2rem !important;
    }
    .stMainBlockContainer [class*='st-key-scene_bar_'] {
      padding-top: 0.25rem !important; padding-bottom: 0.25rem !important;
    }
  }
</style>
"""

SCREEN_COOKIE = "softmax_screen"
"""Set by the page script (``assets/page.js``, part 6) before the session connects:
``narrow`` on a screen at most 640 px wide (a phone), else ``wide``."""
SHORT_COOKIE = "softmax_short"
"""Set by the page script (``assets/page.js``, part 6) beside :data:`SCREEN_COOKIE`:
``short`` on a touch screen at most 500 px tall (a phone held sideways), else ``tall``."""


def _teaching_live() -> bool:
    ident = live.identity()
    return ident is not None and ident.teacher


rerun_whole_page_when(_teaching_live)


A11Y_CSS = """
<style>
  /* Syntax colours of st.code: Streamlit's are 2.3-3.6:1 on the code background; these are
     darker shades of the same hues, each at least 5.5:1 on #F7F7F6 (WCAG AA asks 4.5:1). */
  [data-testid='stCode'] .token.comment, [data-testid='stCode'] .token.prolog,
  [data-testid='stCode'] .token.doctype, [data-testid='stCode'] .token.cdata,
  [data-testid='stCode'] .token.punctuation,
  [data-testid='stCode'] .comment.linenumber { color: #5E6170; }
  [data-testid='stCode'] .token.attr-name, [data-testid='stCode'] .token.property,
  [data-testid='stCode'] .token.variable, [data-testid='stCode'] .token.number,
  [data-testid='stCode'] .token.regex { color: #246E69; }
  [data-testid='stCode'] .token.boolean, [data-testid='stCode'] .token.constant,
  [data-testid='stCode'] .token.symbol { color: #0C5A44; }
  [data-testid='stCode'] .token.string, [data-testid='stCode'] .token.char,
  [data-testid='stCode'] .token.attr-value,
  [data-testid='stCode'] .token.inserted { color: #177233; }
  [data-testid='stCode'] .token.operator, [data-testid='stCode'] .token.entity,
  [data-testid='stCode'] .token.decorator,
  [data-testid='stCode'] .token.atrule { color: #9B4519; }
  [data-testid='stCode'] .token.url { color: #6D3FC0; }
  [data-testid='stCode'] .token.keyword, [data-testid='stCode'] .token.tag,
  [data-testid='stCode'] .token.function, [data-testid='stCode'] .token.class-name,
  [data-testid='stCode'] .token.selector { color: #0054A3; }
  [data-testid='stCode'] .token.important,
  [data-testid='stCode'] .token.deleted { color: #B5371D; }
  /* Inline code in a caption: the caption is drawn at 60 % opacity, which turns the green
     code colour into 3.1:1; black at 60 % is 5.6:1. */
  [data-testid='stCaptionContainer'] code { color: #000000; }
  /* Disabled controls stay readable: Streamlit draws their text at 2.8:1 (#999999); WCAG
     exempts them, but a student still reads a checked quiz answer or a greyed-out button.
     #5F5F5F is 6.4:1 on white and 5.3:1 on a disabled primary button's #E6EAF1; the pale
     border, background and the not-allowed cursor still say "disabled". */
  .stApp button:disabled, .stApp button:disabled *,
  .stApp [data-disabled], .stApp [data-disabled] *,
  .stElementContainer:has(:disabled) [data-testid='stWidgetLabel'],
  .stElementContainer:has(:disabled) [data-testid='stWidgetLabel'] *,
  .stApp input:disabled, .stApp textarea:disabled {
    color: #5F5F5F !important;
    -webkit-text-fill-color: #5F5F5F !important;
  }
  /* A focus ring anyone can see: 2 px of #0072B2 (5.2:1 on white, 4.9:1 on the sidebar),
     2 px off the control. Streamlit's own is a pale glow (about 2:1) or, on the menu's page
     links, only a slightly darker background (1.1:1). Controls whose input is visually
     hidden (slider thumbs, radio buttons, toggles) or drawn inside a box (text, number and
     select boxes) get the ring on what is drawn. */
  .stApp :focus-visible,
  .stApp [data-testid='stSlider'] [data-rac]:has(> div > input[type='range']:focus-visible),
  .stApp label:has(input:focus-visible),
  .stApp [data-testid='stTextInputRootElement']:has(input:focus-visible),
  .stApp [data-testid='stNumberInputContainer']:has(input:focus-visible),
  .stApp [data-testid='stTextAreaRootElement']:has(textarea:focus-visible),
  .stApp [role='group']:has(> input[role='combobox']:focus-visible) {
    outline: 2px solid #0072B2 !important;
    outline-offset: 2px !important;
  }
  .stApp input:focus-visible, .stApp textarea:focus-visible { outline: none !important; }
  /* A radio option is a target at least 24 px tall (WCAG 2.5.8): Streamlit draws each 22 px
     tall, stacked with no gap, too small to tap on a phone ("at T = 2", 63×22 px, in the
     quiz; a student tour). The row is the option's flex box (circle and text, centred in
     it); its label, the target, grows with it. Not taller on a touch screen: a live class's
     question and its four answers fit a phone's first screen with 7 px to spare, and 32 or
     40 px rows pushed the last answers below it (test_browser_live). */
  .stApp [data-testid='stRadioOption'] > div { min-height: 1.5rem; }
  /* A code box's copy button (Gradients' Keras sample; links are in link boxes, below),
     which Streamlit shows only under a mouse pointer: on a touch screen there was none until
     the box was tapped, and then it lay over the text (a student's phone tour, when the share
     link was a code box). There it is always shown, beside the text, not over it. */
  @media (hover: none) {
    /* (not in a closed sidebar: shown there, it would take the focus the closed sidebar's
       hiding takes away, above) */
    .stMain [data-testid='stCode'] > div:has([data-testid='stElementToolbarButton']),
    .stMain [data-testid='stCode'] > div:has([data-testid='stElementToolbarButton']) *,
    [data-testid='stSidebar']:not([data-collapsed='true'])
      [data-testid='stCode'] > div:has([data-testid='stElementToolbarButton']),
    [data-testid='stSidebar']:not([data-collapsed='true'])
      [data-testid='stCode'] > div:has([data-testid='stElementToolbarButton']) * {
      opacity: 1; visibility: visible; transition: none;
    }
    /* closing the sidebar hides it at once (Streamlit's own fade kept it 0.45 s in the Tab
       order) */
    [data-testid='stSidebar'][data-collapsed='true']
      [data-testid='stCode'] > div:has([data-testid='stElementToolbarButton']) {
      transition: none;
    }
    .stApp [data-testid='stCode'] pre { padding-right: 2.75rem; }
  }
  /* A link to copy (link_box): the link in a box, wrapped anywhere, and its Copy button
     beside it, always shown (a touch screen has no hover). The button's border is 4.8:1 on
     the box (WCAG 1.4.11 asks 3:1) and it is 2 rem tall (2.5.8 asks 24 px). It is drawn
     where the page script runs, which makes it copy: not under a bare `streamlit run
     app.py`, where the link is there to select. */
  .stApp .link-box {
    display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0.25rem 0.5rem;
    background: #F0F2F6; border-radius: 0.5rem; padding: 0.5rem 0.75rem;
    outline: 1px solid transparent;  /* the box's frame in forced colours */
  }
  .stApp .link-box-text {
    flex: 1 1 10rem; min-width: 0; margin: 0; padding: 0.25rem 0; background: none;
    color: #000; font-size: 0.875rem; line-height: 1.5; white-space: pre-wrap;
    overflow-wrap: anywhere; word-break: break-all;
  }
  .stApp .link-box-copy {
    display: none; flex: none; min-height: 2rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem;
    border: 1px solid #6B6B6B; background: #FFFFFF; color: #000; font: inherit;
    font-size: 0.875rem; cursor: pointer;
  }
  html.softmax-script .stApp .link-box-copy { display: block; }
  .stApp .link-box-copy:hover { border-color: #0072B2; color: #0054A3; }
  .stApp .link-box-copy:focus-visible { outline: 2px solid #0072B2; outline-offset: 2px; }
  /* (its status region is there from the start, empty: a region drawn only once it has
     words is not read out by every screen reader) */
  .stApp .link-box-said { flex-basis: 100%; font-size: 0.875rem; }
  .stApp .link-box-said:empty { margin-top: -0.25rem; }
  /* A closed sidebar takes no focus (WCAG 2.4.3, 2.4.7). Streamlit closes it by sliding it
     off the screen's left edge, its links and controls still there: in the presenter view
     (and on a phone, or after the reader closed it) Tab went through 13 stops nobody could
     see before the page, and Enter on one left the page. Hidden, it drops out of the Tab
     order and of what a screen reader reads. Streamlit marks it data-collapsed="true"
     (1.67). It is hidden once its 300 ms slide out is over (the delay) and shown as soon as
     it opens (the open sidebar's own transition has no visibility); the rest is Streamlit's
     own transition, unchanged. Reduced motion makes both at once (below). */
  .stApp [data-testid='stSidebar'][data-collapsed='true'] {
    visibility: hidden;
    transition: transform 300ms, min-width 300ms, max-width 300ms, visibility 0s 300ms;
  }
  /* A control reached by Tab scrolls into view below the app's fixed header, not under it. */
  .stMain { scroll-padding-top: 4.5rem; }
  .stApp main:focus-visible { outline-offset: -2px !important; }
  /* Text that wraps instead of being cut with "…" (WCAG 1.4.10, 200 % zoom): layout.css. */
  /* announce()'s text and the page script's live region that says it (for screen readers;
     nothing to do with the live class): not drawn, and out of the column's flow. */
  .stElementContainer:has(.softmax-announce) {
    position: absolute; width: 1px; height: 1px; overflow: hidden;
  }
  .softmax-announce, .softmax-spoken {
    position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
    overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
  }
  /* Forced colours (Windows High Contrast, common on school computers and projectors): the
     system's colours replace the page's, and what Streamlit draws as a coloured background
     alone vanished (an old-hardware tour): a slider's track and thumb (only its value was
     left), a switch's track and knob ("Broadcast my view": on or off?), a chosen radio
     option's dot, every circle of a checked quiz question, the open tab's underline. Each is
     drawn again in the system's colours: the mark of what is chosen or on in Highlight,
     the rest in the text colour. Inset shadows are borders that move nothing. */
  @media (forced-colors: active) {
    .stApp [data-testid='stSlider'] [role='group'] > div > div:first-child {
      forced-color-adjust: none; background: CanvasText;
    }
    .stApp [data-testid='stSlider'] div:has(> div > input[type='range']) {
      forced-color-adjust: none; background: Highlight; box-shadow: 0 0 0 2px Canvas;
    }
    .stApp [data-testid='stSliderThumbValue'] { forced-color-adjust: auto; }
    .stApp [data-testid='stRadioOption'] > div > div:first-child {
      forced-color-adjust: none; background: Canvas; border-color: CanvasText;
    }
    .stApp [data-testid='stRadioOption']:has(input:checked) > div > div:first-child {
      background: Highlight; border-color: Highlight;
    }
    .stApp [data-testid='stRadioOption']:has(input:checked) > div > div:first-child > div {
      background: HighlightText;
    }
    /* a disabled option's ring is its inner disc on a disc (no border) */
    .stApp [data-testid='stRadioOption']:has(input:disabled) > div > div:first-child {
      box-shadow: inset 0 0 0 1px GrayText;
    }
    .stApp [data-testid='stRadioOption']:has(input:disabled:not(:checked))
      > div > div:first-child > div {
      background: transparent;
    }
    .stApp [data-testid='stRadioOption']:has(input:disabled:checked) > div > div:first-child {
      background: GrayText; box-shadow: none;
    }
    .stApp [data-testid='stRadioOption']:has(input:disabled:checked)
      > div > div:first-child > div {
      background: Canvas;
    }
    .stApp label:has(input[role='switch']) > span + div {
      forced-color-adjust: none; background: Canvas; box-shadow: inset 0 0 0 1px CanvasText;
    }
    .stApp label:has(input[role='switch']) > span + div > div { background: CanvasText; }
    .stApp label:has(input[role='switch']:checked) > span + div {
      background: Highlight; box-shadow: none;
    }
    .stApp label:has(input[role='switch']:checked) > span + div > div {
      background: HighlightText;
    }
    .stApp [role='tab'] .react-aria-SelectionIndicator {
      forced-color-adjust: none; background: Highlight;
    }
    /* a chart's title keeps the chart's own black on white (it showed as a bar of the
       system's colours across the top of the white chart) */
    .stApp .chart-title { forced-color-adjust: none; }
    /* a verdict or a warning keeps a frame where its colour was */
    .stApp [data-testid='stAlertContainer'] { border: 1px solid CanvasText; }
  }
  /* No animation for a reader who asked the system for less motion (spinners, skeletons,
     the sidebar's slide, expanders). */
  @media (prefers-reduced-motion: reduce) {
    *, *::before, *::after {
      animation-duration: 0s !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0s !important;
      transition-delay: 0s !important;
      scroll-behavior: auto !important;
    }
  }
</style>
"""
"""Accessibility fixes Streamlit's theme options cannot express (docs/accessibility.md); the
text colours themselves come from ``.streamlit/config.toml``."""


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (for ``content:``)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def input_hints_css() -> str:
    """Streamlit's own hint under a text or number box being edited, in the reader's language
    (CSS rules, for a language other than English).

    Streamlit writes it in English only ("Press Enter to apply", "Press Enter to submit
    form" in a form), as the first ``span`` of ``[data-testid="InputInstructions"]``, followed
    by the character counter of a box with a limit. The English span is hidden and the
    translation drawn before it; the counter stays as it is.
    """
    hints = '[data-testid="InputInstructions"]'
    apply, submit = _("Press Enter to apply"), _("Press Enter to submit form")
    return (
        f"{hints} > span:first-child {{ display: none; }}"
        f"{hints}::before {{ content: {_css_string(apply)}; }}"
        f'[data-testid="stForm"] {hints}::before {{ content: {_css_string(submit)}; }}'
    )


def loading_css() -> str:
    """What a part still loading says, in the reader's language (CSS rules).

    Where an element whose code is still downloading will be (a chart while Plotly's 4.7 MB
    chunk arrives: 15 s on a 2 Mbit/s phone), Streamlit draws only a faint bar pulsing
    (``stSkeleton``): a student saw an empty white box under the chart's title. The bar now
    says "Loading…", black on grey (its pulse, which faded the text to 3.9:1, is off), under
    the chart's title.
    """
    skeleton = '[data-testid="stSkeleton"]'
    loading = _css_string(_("Loading…"))
    return (
        # the words at the foot of a taller bar: a chart's title lies over the bar's top
        f"{skeleton} {{ display: flex; align-items: flex-end; min-height: 5rem;"
        " padding: 0 0.75rem 0.6rem; background: #F0F2F6;"
        " animation: none !important; opacity: 1 !important; }"
        f"{skeleton}::after {{ content: {loading}; color: #000000; }}"
    )


LAST_LESSON = "page_last_lesson"
"""The URL path of the lesson page the reader saw last (see :func:`last_lesson`)."""


def last_lesson() -> str | None:
    """The lesson page the reader saw last (its URL path): the Workshop offers it first when
    a scene is added, since the view to record was just set up there."""
    return memory().get(LAST_LESSON)


def lesson(page: Page, why: str, heading: str | None = None) -> LessonState:
    """Set up ``page`` (its entry in :mod:`softmax_ui.catalog`): read the state, apply the
    presenter view, draw the title (the page's, or ``heading``: a message id), the page's
    reason to exist (``why``; none if empty) and the sidebar.

    Returns the lesson state for the page to show.
    """
    disable_nagle_once()  # once per process; see softmax_ui/network.py
    # A section's change sent as its page was left (T typed, then another page chosen in the
    # sidebar: the box's value leaves after the page's request) ran after the new page, under
    # the old page's name, and the frontend cleared the new page: a blank page, "Bad delta
    # path index" (an exploratory tour). Such a run is skipped in every session, not only once
    # a live class has started this process's watcher.
    push.drop_ticks_of_other_pages()
    start_page()
    if page in LESSONS:
        memory()[LAST_LESSON] = page.slug
    _after_history_step(page)
    live.arrive(page)  # a following student takes the teacher's new view, before it is read
    _out_of_the_deck_elsewhere(page)
    state = current()
    # A presenter link opens with the sidebar closed (students need only the lesson). Turning
    # the presenter view on in the session leaves it open: the teacher's next steps (what to
    # hide, the share link) are there (a deck started in it closes it: page.js part 4).
    # Streamlit applies this only when the value changes.
    opened_presenting = memory().setdefault(OPENED_PRESENTING, state.present)
    # A phone held sideways opens with it closed too: Streamlit's "auto" opens it above a
    # width (844 px) whatever the height, over a third of a 390 px tall screen.
    st.set_page_config(
        page_title=f"{_(page.title)} · {_(APP_NAME)}",
        page_icon=FAVICON,
        layout="wide",
        initial_sidebar_state="collapsed" if opened_presenting or short_touch_screen() else "auto",
    )
    sync_url(state, url_extras(page))
    st.html(LAYOUT_CSS)
    st.html(A11Y_CSS)
    # the CSS that holds the reader's words, in one element
    hints = input_hints_css() if i18n.current() != i18n.DEFAULT else ""
    st.html(f"<style>{loading_css()}{hints}</style>")
    if state.present:
        st.html(PRESENTER_CSS)
    _live_class(page, state)
    if state.scene:
        _scene_bar(state)
    st.title(f"{page.icon} {_(heading or page.page_title)}")
    if why:
        st.markdown(why)
    for problem in url_problems():
        st.warning(markdown_safe(problem), icon=":material/link_off:")
    _sidebar(page, state)
    return state


def _live_class(page: Page, state: LessonState) -> None:
    """A teacher's view goes to the room; a student follows it (softmax_ui/live.py)."""
    live.frame(page, state)


def _after_history_step(page: Page) -> None:
    """The browser's Back or Forward: the view of the history entry reached, as its address
    says (Streamlit sends the entry's query with the step; the app's page script keeps one
    entry per page or scene reached, holding the last view shown there). Only what the page
    shows (``page.settings``, the example's class names in the reader's language now) and the
    deck's scene, when the deck is the same, with that scene's own settings for the rest (not
    those of the scenes shown since, which the address and share link then carried): a page
    that shows no setting (Home, the Workshop, the class page) keeps the session's state,
    which the Workshop records and a teacher's class follows; the deck, the presenter view
    and what it hides are the teacher's own (a review).

    It used to keep the session's state, and guess a deck's scene from the page alone: Back
    from the class page to the lesson just shown brought back, to a teacher and to the
    whole class following, a deck scene left long before (a teacher's tour).
    """
    ctx = get_script_run_ctx()
    query = st.query_params.to_dict()
    if ctx is None or not ctx.is_history_navigation or not settings_in_address(query):
        return
    now = current()
    # its problems were said when the address was first opened
    entry, _problems = state_in_address(query)
    scene = entry.scene if entry.deck == now.deck else 0
    try:
        # a scene's settings, not those of the scenes shown since: Back to the Playground's
        # scene carried the next scenes' precision and c into its address and share link
        base = now.at_scene(scene) if scene else now.replace(scene=0)
    except ValueError:  # a scene the deck has not: the view stays
        return
    changes = {name: getattr(entry, name) for name in page.settings}
    if "labels" in changes and not (scene and now.deck):  # a teacher's deck: as typed
        changes["labels"] = in_language(entry.labels, i18n.current())
    if "logits" in changes and "target" not in changes:
        changes["target"] = min(base.target, len(entry.logits) - 1)
    try:
        state = base.replace(**changes)
    except ValueError:  # an entry no state of this session can take: the view stays
        return
    if state.scene:
        memory().pop(LEFT_SCENE, None)
    elif now.scene:  # out of the deck: Back and "Resume" return to the scene left
        memory()[LEFT_SCENE] = now.scene
    if state != now:
        commit(state)


LEFT_SCENE = "page_left_scene"
"""The scene shown when the reader went to a page out of the deck (see :func:`left_scene`)."""


def left_scene() -> int:
    """The deck's scene the reader was on when a page out of the deck was opened (the Live
    class page, the menu): Back, and the Workshop's "Resume", return to it; 0 if none (never
    after "Leave deck", nor once the deck changed)."""
    number = memory().get(LEFT_SCENE, 0)
    state = current()
    return number if 0 < number <= len(state.active_deck) else 0


def _out_of_the_deck_elsewhere(page: Page) -> None:
    """A scene is shown on its own page only: a page reached otherwise (a page chosen in the
    menu during a deck, a hand-made link ``/?scene=3``) is out of the deck, as after "Leave
    deck" (the scene bar named Temperature's scene above the Home page: a student tour)."""
    state = current()
    if state.scene and state.active_deck[state.scene - 1].page != page.slug:
        step = _early_scene_step(page)
        if step:
            go_to_scene(min(max(state.scene + step, 1), len(state.active_deck)))
        memory()[LEFT_SCENE] = state.scene
        commit(state.replace(scene=0))


SCENE_STEPS = {"scene_next": 1, "scene_previous": -1}
"""The scene bar's buttons that step the deck (their keys), and their steps."""


def _early_scene_step(page: Page) -> int:
    """The step of a scene bar's Next or Previous pressed on ``page`` while its scene is no
    longer the deck's (0 if none): on a slow machine (a tour, CPU four times slower) a second
    Next, pressed on the page still shown while the first one's page was on its way, ran that
    page with the deck on the next scene, and left the deck (4 of 13 tries). It steps on from
    the scene the first press reached. Only for a run of the page the browser shows: a press
    still waiting when the reader chose another page in the menu comes with that page's run,
    which leaves the deck."""
    if live.browser_page() not in (None, page.slug):
        return 0
    return next((step for key, step in SCENE_STEPS.items() if st.session_state.get(key)), 0)


def go_to_scene(number: int) -> None:
    """Show scene ``number`` of the deck: its settings, on its page."""
    state = current().at_scene(number)
    path = page_path(state.active_deck[number - 1].page)
    if path is None:
        st.error(_("Scene {number} names a page this app does not have.").format(number=number))
        return
    memory().pop(LEFT_SCENE, None)
    commit(state)
    # with the scene's address: the page it opens then writes none of its own, which would
    # be a second entry in the browser's history (the first Back would stay on the scene)
    st.switch_page(path, query_params=url_query(state, live.url_params()))


def _scene_bar(state: LessonState) -> None:
    """Where the deck is, and Previous / Next / Leave: buttons as wide as their words, which
    move to a second row when the screen is narrow (never cut to "Leave d…"); no buttons for
    a student following the teacher (the teacher moves the deck)."""
    deck, number = state.active_deck, state.scene
    with st.container(
        border=True,
        horizontal=True,
        vertical_alignment="center",
        gap="small",
        key=f"scene_bar_{number}_of_{len(deck)}",  # the scene, for page.js part 11
    ):
        st.markdown(
            ":material/slideshow: "
            + _("**Scene {number} of {total}**: {title}").format(
                number=number, total=len(deck), title=markdown_safe(scene_title(state, number))
            ),
            width="stretch",
        )
        if live.following():
            return  # the teacher moves the deck: a student's Next would be undone at once
        if st.button(
            _("Previous"), key="scene_previous", icon=":material/arrow_back:", disabled=number == 1
        ):  # keys: SCENE_STEPS
            go_to_scene(number - 1)
        if st.button(
            _("Next"),
            key="scene_next",
            icon=":material/arrow_forward:",
            icon_position="right",
            disabled=number == len(deck),
        ):
            go_to_scene(number + 1)
        if st.button(_("Leave deck"), key="scene_leave", icon=":material/close:"):
            memory().pop(LEFT_SCENE, None)
            commit(state.replace(scene=0))
            st.rerun()


def scene_title(state: LessonState, number: int) -> str:
    """The title of scene ``number``: the teacher's own as typed, the default deck's translated."""
    title = state.active_deck[number - 1].title
    return title if state.deck else _(title)


def end_page() -> NoReturn:
    """End this whole run here (``st.stop()``), forgetting first the fragments an earlier run
    drew that this one did not, as Streamlit does when a script runs to its end (not after
    ``st.stop()``).

    Kept, such a fragment still ran: a tick the browser sent before this run's page reached
    it ran with the old page's values. After "End the class", the teacher's answers part
    found no class and said "The class has ended." in place of the teacher's note (CI run
    85); a fragment run also adds its container at its old place, which the new page may
    not have (the browser then showed a blank page: "Bad delta path index"). Forgotten,
    its tick is skipped.
    """
    ctx = get_script_run_ctx()
    if ctx is not None and not ctx.fragment_ids_this_run:
        ctx.fragment_storage.clear(new_fragment_ids=ctx.shared.new_fragment_ids.snapshot())
    st.stop()


def visible(part: str) -> bool:
    """Whether ``part`` (one of ``HIDEABLE``) is shown: hidden only in presenter view."""
    state = current()
    return not (state.present and part in state.hide)


def script_failed(error: Exception) -> bool:
    """``serve.py``'s ``on_script_error``: an error no page expected is told in the reader's
    language, with what to do, instead of Streamlit's English box, whose buttons look the
    error up on Google and ChatGPT, outside a classroom's network (a Spanish tour met it on
    a page being edited). Streamlit has logged it with its traceback before this runs.
    Returns ``True``: Streamlit's own box is not drawn."""
    st.error(
        _(
            "Something went wrong on this page, and it could not be drawn in full. Reload the "
            "page; if it happens again, choose another lesson in the menu. The error is in "
            "the server's log for whoever runs the app."
        ),
        icon=":material/error:",
    )
    return True


def narrow_screen() -> bool:
    """Whether the reader's screen is a phone's (at most 640 px wide), as the page script
    said when the session connected (``False`` when unknown: no browser, no script)."""
    try:
        return st.context.cookies.get(SCREEN_COOKIE) == "narrow"
    except Exception:  # no browser behind this run (AppTest, a bare script)
        return False


def short_touch_screen() -> bool:
    """Whether the reader's screen is a short touch screen (a phone held sideways: at most
    500 px tall), as the page script said when the session connected (``False`` when
    unknown)."""
    try:
        return st.context.cookies.get(SHORT_COOKIE) == "short"
    except Exception:  # no browser behind this run (AppTest, a bare script)
        return False


def on_a_projector() -> bool:
    """Whether the page is in the presenter view on a screen that is no phone's: wider than
    a phone held upright, taller than one held sideways (a phone keeps its layout there)."""
    return current().present and not narrow_screen() and not short_touch_screen()


def font_size() -> int:
    """Chart font size: larger in the presenter view, on a projector (not on a phone)."""
    return 24 if current().present and not narrow_screen() else 16


def question_prompt(prompt: str, *, level: int, key: str = "question_prompt") -> None:
    """A question's prompt (the quiz, a poll) as a heading of ``level``: in its place in the
    page's outline a screen reader lists (2 under the page's title, 3 under a section's
    heading; an h4 straight under the title was read as part of a section that was not
    there), drawn a size above the body text whatever its level (``layout.css``: a ``key``
    of another prompt on the page starts with ``question_prompt``). The prompt names the
    reader's classes: shown as typed, never as Markdown."""
    # "T = 1" kept on one line: a heading broke it after the T, "= 1" at the next line's
    # start (a student tour, on a phone and a laptop)
    held = re.sub(r"(?<=\S) = (?=\S)", "\u00a0=\u00a0", prompt)
    with st.container(key=key):
        st.markdown("#" * level + " " + markdown_safe(held))


def chart(fig: go.Figure, *, alt: str, key: str | None = None, docked: bool = False) -> None:
    """Show a Plotly figure with an accessible name, no logo, nothing loaded from the web.

    Plotly's mode bar is left out: its buttons covered the chart's title, and a lesson's
    chart has nothing to zoom. On a phone the title is shown as the page's own text above
    the chart, where it wraps (Plotly never wraps a title, so a long one was clipped).

    ``docked`` marks the lesson's main picture, one per page: on a phone it stays in view,
    docked to the foot of the screen, while the controls above it move (``layout.css``).

    ``fig`` is best a :class:`~softmax_ui.shared_figures.SharedFigure` (from
    :func:`~softmax_ui.shared_figures.shared`): built once for every session that shows it.
    """
    title = chart_title(fig)
    if docked:
        with st.container(key=DOCKED), st.container(key=DOCKED_VIEW):
            _titled_chart(fig, title, alt, key)
    else:
        with st.container():
            _titled_chart(fig, title, alt, key)


ANSWER_PREFIX, ASK_PREFIX = "answer_", "ask_"
"""Key prefixes of a place that answers a press (:func:`answer_place`) and of the buttons
whose press it answers (:func:`asks`); ``page.js``, part 13, pairs them by name."""


def answer_place(name: str) -> DeltaGenerator:
    """A container for what a press of a button above it draws (the quiz's verdict, the
    learning steps' chart): when the press draws it below the screen's edge, the page scrolls
    it into view, as far as the button stays in sight (``page.js``, part 13). On a phone held
    sideways the verdict was drawn under the screen's foot, and the steps' chart 150 px below
    it (a tour). Only the buttons keyed :func:`asks` ``(name, …)`` bring it: a press of any
    other control (a logit's + above the steps) leaves the page where it is. ``name`` (letters,
    digits) makes its key, one per page.
    """
    return st.container(key=ANSWER_PREFIX + name)


def asks(name: str, which: str) -> str:
    """The key of a button whose press :func:`answer_place` ``(name)`` answers.

    >>> asks("steps", "ten")
    'ask_steps__ten'
    """
    return f"{ASK_PREFIX}{name}__{which}"


SUBSCRIPTS = {"ᵢ": "i", "ⱼ": "j"}
"""Subscript letters a chart's title writes as ``<sub>``: the page's bold type draws ᵢ and ⱼ
as small capitals (the Jacobian's "∂pᵢ/∂zⱼ" read "∂pɪ/∂zᴊ": a tour)."""


def title_html(title: str) -> str:
    """A chart's title as the page's HTML: escaped, its subscript letters as ``<sub>``.

    >>> title_html("∂pᵢ/∂zⱼ <b>")
    '∂p<sub>i</sub>/∂z<sub>j</sub> &lt;b&gt;'
    """
    text = html.escape(title)
    for glyph, letter in SUBSCRIPTS.items():
        text = text.replace(glyph, f"<sub>{letter}</sub>")
    return text


def _titled_chart(fig: go.Figure, title: str, alt: str, key: str | None) -> None:
    if title:
        st.html(f'<p class="chart-title">{title_html(title)}</p>')
    if short_touch_screen() and not narrow_screen():  # a phone held sideways
        fig = sideways(fig.to_dict())
    st.plotly_chart(
        fig,
        theme=None,
        key=key,
        alt=alt,
        config={"displaylogo": False, "displayModeBar": False, "responsive": True},
    )


def url_extras(page: Page) -> dict[str, str]:
    """What ``page``'s address carries besides the lesson state and the language: the live
    class's room and member, and on the Quiz the round's key (a reload goes on with it)."""
    return live.url_params() | (quiz_round.url_params() if page == QUIZ else {})


def link_box_html(link: str, what: str) -> str:
    """:func:`link_box`'s HTML: the link escaped, the button's words in the reader's language,
    its spoken name saying which link it copies (a page may have two or three).

    >>> print(link_box_html("http://h/P?labels=a,b&x=<1>", "this view"))
    ... # doctest: +NORMALIZE_WHITESPACE
    <div class="link-box"><code class="link-box-text">http://h/P?labels=a,b&amp;x=&lt;1&gt;</code><button
    type="button" class="link-box-copy" aria-label="Copy link: this view" data-copied="Copied."
    data-selected="Selected: press Ctrl+C (⌘C on a Mac; on a phone, Copy) to copy it.">Copy
    link</button><span
    class="link-box-said" role="status"></span></div>
    """
    copy = _("Copy link")
    name = _("Copy link: {what}").format(what=what)
    copied = _("Copied.")
    selected = _("Selected: press Ctrl+C (⌘C on a Mac; on a phone, Copy) to copy it.")
    e = html.escape  # quotes too: the same escape serves text and attribute values
    return (
        f'<div class="link-box"><code class="link-box-text">{e(link)}</code>'
        f'<button type="button" class="link-box-copy" aria-label="{e(name)}" '
        f'data-copied="{e(copied)}" data-selected="{e(selected)}">{e(copy)}'
        '</button><span class="link-box-said" role="status"></span></div>'
    )


def link_box(link: str, *, key: str, what: str) -> None:
    """A link to copy: the link as text and a Copy button beside it (``page.js``, part 18),
    named for ``what`` it links to. ``key`` names its container: a press that waits for a
    typed value to go first (part 16) finds the button again after a rerun drew it anew.

    Not ``st.code``: a page with one loads Streamlit's syntax highlighter (1.5 MB of
    grammars, about 0.3 s of a laptop's script time per page load; docs/benchmarks.md) for a
    link that needs no colours, and its copy button showed only under a mouse pointer."""
    st.container(key=f"link_box_{key}").html(link_box_html(link, what))


@st.fragment(key=SHARE)
def share_link(page: Page) -> None:
    """The share link (and the address bar): a fragment of its own, so a section's rerun
    (softmax_ui.session.section) keeps it exact without redrawing the page. A fragment may
    not write to the sidebar from outside it; this one lives there."""
    state = current()
    sync_url(state, url_extras(page))
    link_box(share_url(state), key="share", what=_("this view"))


def _sidebar(page: Page, state: LessonState) -> None:
    with st.sidebar:
        for item in PAGES:
            st.page_link(item.path, label=_(item.title), icon=item.icon)
        st.divider()
        st.markdown(_("**Share this view**"))
        share_link(page)
        st.caption(_("Copy this link: it opens this page as it is now."))
        if live.following():
            # A student following the teacher sees the teacher's view: presenter settings
            # would be undone by the next move (as the lesson's controls would).
            language_switch()
            return
        with st.expander(_("Presenter view (for a projector)")):
            bound(
                st.toggle,
                "present",
                _("Presenter view: large type for a projector"),
                get=lambda s: s.present,
                put=lambda s, v: s.replace(present=bool(v)),
            )
            bound(
                st.multiselect,
                "hide",
                _("Hide from the students' view"),
                options=list(HIDEABLE),
                format_func=lambda part: _(HIDE_LABELS[part]),
                placeholder=_("Choose what to hide"),  # Streamlit's own is English only
                get=lambda s: list(s.hide),
                put=lambda s, v: s.replace(hide=tuple(v)),
            )
            st.caption(
                _(
                    "Turn presenter view on, choose what to hide, then share the link above: "
                    "students see the same focused view, opened with the sidebar closed."
                )
            )
        # Last, so the teacher's presenter controls above stay where they were (in view when
        # the presenter view is turned on); its label is in the three languages.
        language_switch()


LANGUAGE_SWITCH = "language_switch"
"""Key of the sidebar's language switch (its value is copied to the session's language)."""
LANGUAGE_LABEL = "Language · Idioma · Langue"
"""The switch's label, the same in every language: whoever cannot read the page finds it."""


def _switch_language() -> None:
    """Switch callback: the new language for the rest of the session, the lesson state kept
    (a preset's class names, e.g. dog / cat / bird, follow the language)."""
    # .get: a request can carry the switch's value after a run that ended early (a page
    # switch) dropped the widget's key; the value is then not a choice the reader made now
    old, new = i18n.current(), st.session_state.get(LANGUAGE_SWITCH)
    if new not in i18n.LANGUAGES or new == old:
        return
    i18n.switch_to(new)
    state = current()
    # Every bound widget is drawn afresh, so text that shows numbers (the paste box) is
    # written the new language's way.
    commit(state.replace(labels=example_names(state.labels, old, new)))


def language_switch() -> None:
    """The language switch at the foot of the sidebar."""
    lang = i18n.current()
    if st.session_state.get(LANGUAGE_SWITCH) != lang:  # written only when it differs: a
        st.session_state[LANGUAGE_SWITCH] = lang  # widget value set by code is re-sent
    st.selectbox(
        LANGUAGE_LABEL,
        options=i18n.LANGUAGES,
        format_func=i18n.LANGUAGE_NAMES.__getitem__,
        key=LANGUAGE_SWITCH,
        on_change=_switch_language,
    )

"""Streamlit's own words, in the reader's language.

Streamlit 1.67 writes the words of its own interface in English whatever the page's
language: a French screen-reader user heard "Help for Température T", "Increment",
"Copy to clipboard", "Collapse sidebar", and a keyboard user's first Tab showed "Skip to main
content". These are the words, as Streamlit writes them, that the app's page script
(``assets/page.js``, part 7) puts in the reader's language; their translations live in the
app's catalogues (``locales/``, context ``Streamlit``), beside every other word of the app.

Three kinds:

* :data:`NAMES`: the whole name (``aria-label``), placeholder or tooltip (``title``) of one of
  Streamlit's controls or regions, replaced whole;
* :data:`TEMPLATES`: names with a part of the app's own in them (a widget's label, an option),
  kept as it is;
* :data:`TEXTS`: the visible text of a few of Streamlit's own elements (the skip link, the
  main menu's entries), listed by :data:`TEXT_PLACES`.

And numbers: a slider's value and ends, which Streamlit always writes with a decimal point
(``0.50`` on a French page whose every other number reads ``0,50``), get the reader's
decimal sign (:data:`NUMBER_PLACES`).

Only Streamlit's own elements are looked at (:data:`NAMED`): a student's class name that
happens to read "Open" is shown as typed.
"""

from __future__ import annotations

import json
import re

from softmax_ui.i18n import DEFAULT, LANGUAGES, N_, NP_, number_symbols, translations

CONTEXT = "Streamlit"

NAMES = (
    NP_("Streamlit", "Sidebar"),
    NP_("Streamlit", "Collapse sidebar"),
    NP_("Streamlit", "Expand sidebar"),
    NP_("Streamlit", "Main menu"),
    NP_("Streamlit", "Copy to clipboard"),
    NP_("Streamlit", "Copy version to clipboard"),
    NP_("Streamlit", "Link to heading"),
    NP_("Streamlit", "Open"),
    NP_("Streamlit", "Close"),
    NP_("Streamlit", "Choose an option"),
    NP_("Streamlit", "Selected values"),
    NP_("Streamlit", "Clear all"),
    NP_("Streamlit", "Clear value"),
    NP_("Streamlit", "Clear entry"),
    NP_("Streamlit", "Clear selection"),
    NP_("Streamlit", "Scroll tabs left"),
    NP_("Streamlit", "Scroll tabs right"),
    NP_("Streamlit", "Notifications"),
    NP_("Streamlit", "Decrement"),
    NP_("Streamlit", "Increment"),
    NP_("Streamlit", "Show password"),
    NP_("Streamlit", "Hide password"),
    NP_("Streamlit", "Fullscreen"),
    NP_("Streamlit", "Close fullscreen"),
    NP_("Streamlit", "Exit fullscreen"),
    NP_("Streamlit", "Running..."),
    NP_("Streamlit", "Help"),
)
"""Names, placeholders and tooltips of Streamlit's controls and regions, exactly as it writes
them (its ``static/js``)."""

TEMPLATES = (
    NP_("Streamlit", "Help for {label}"),
    NP_("Streamlit", "Remove {option}"),
)
"""Names with one part that is the app's own (a widget's label, a chosen option), kept."""

TEXTS = (
    NP_("Streamlit", "Skip to main content"),
    NP_("Streamlit", "Rerun"),
    NP_("Streamlit", "Settings"),
    NP_("Streamlit", "Print"),
    NP_("Streamlit", "Record screen"),
    NP_("Streamlit", "About"),
    # the connection's state, top right, and its window when the network or the server is gone
    # (a poor-Wi-Fi tour: English on a French page, over a phone's follow banner)
    NP_("Streamlit", "Connecting"),
    NP_("Streamlit", "Error"),
    NP_("Streamlit", "Connection error"),
    NP_("Streamlit", "Streamlit server is not responding. Are you connected to the internet?"),
    NP_(
        "Streamlit",
        "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in "
        "your terminal:",
    ),
)
"""Visible text of Streamlit's own elements (:data:`TEXT_PLACES`)."""

WAITING = N_("No answer from the server yet: your change will show as soon as it answers.")
"""The page script's own note (part 12), shown when a change sent to the server has had no
answer for a few seconds: on a stalled Wi-Fi nothing else said so (a poor-Wi-Fi tour)."""

GOING_TO_SCENE = N_("Going to scene {number} of {total}…")
"""The page script's note on a deck's scene bar (part 11) while quick presses step the deck
and the scene they ask for has not come yet: on an old laptop a step took 4–8 s, with only
Streamlit's running sign (a tour)."""

NAMED = "button, section, a, input, textarea, " + ", ".join(
    f"[role='{role}']" for role in ("img", "button", "group", "menu")
)
"""The elements whose names, placeholders and tooltips may be Streamlit's: its buttons,
regions, links, boxes and icons. A name that merely repeats the element's own text is left
alone (it is that text, which may be a student's)."""

TEXT_PLACES = (
    "[data-testid='stSkipToContent'], [data-testid='stMainMenuItemLabel'], "
    "[data-testid='stConnectionStatus'], [role='dialog'] > h2, [role='dialog'] > h2 + div"
)
"""Where :data:`TEXTS` may appear: the skip link, the main menu's entries, the connection's
state and the title and message of Streamlit's own window (the app opens none of its own),
nowhere else."""

INSTRUCTIONS = "[data-testid='InputInstructions']"
"""The hint under a text box being edited: "Press Enter to apply" (in the reader's language:
``softmax_ui.page.input_hints_css``), then the count of a box with a limit, "20/10000"."""


def box_limits() -> dict[str, int]:
    """Each text box whose browser limit is above what the app takes, by that limit, with
    the app's: a box takes a paste far longer than allowed, so the server can say why it is
    refused (the browser drops a paste over its limit without a word), and its count
    "64/240" then gets the app's limit instead, "64/60" (a teacher's tour). Limits are
    unique, so a count names its box.

    >>> box_limits()["10000"], box_limits()["240"]
    (1000, 24)
    """
    from softmax_ui.controls import LABEL_BOX_CHARS, MAX_PASTE_LENGTH, PASTE_BOX_CHARS
    from softmax_ui.rooms import MAX_NICKNAME_CHARS, NICKNAME_BOX_CHARS
    from softmax_ui.scenes import MAX_TITLE_LENGTH
    from softmax_ui.state import MAX_LABEL_LENGTH
    from softmax_ui.workshop import TITLE_BOX_CHARS

    pairs = [
        (PASTE_BOX_CHARS, MAX_PASTE_LENGTH),
        (LABEL_BOX_CHARS, MAX_LABEL_LENGTH),
        (TITLE_BOX_CHARS, MAX_TITLE_LENGTH),
        (NICKNAME_BOX_CHARS, MAX_NICKNAME_CHARS),
    ]
    limits = {str(box): real for box, real in pairs}
    assert len(limits) == len(pairs), "two boxes share a browser limit: a count names neither"
    return limits


NUMBER_PLACES = "[data-testid='stSliderThumbValue'], [data-testid='stSliderTickBar']"
"""Where Streamlit writes a slider's value and its two ends, always with a decimal point
(``0.50``, ``-1000.00``): a number alone there gets the reader's decimal sign, as does the
slider's ``aria-valuetext``. Nothing else is in these places."""

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def words(lang: str) -> dict[str, object]:
    """What page.js needs for ``lang``: each English name and text with its translation, each
    template as ``[English, translation]`` (``{…}`` marks the part kept), the decimal sign,
    and the script's own notes (:data:`WAITING`, :data:`GOING_TO_SCENE`).

    >>> w = words("fr")
    >>> w["names"]["Increment"], w["texts"]["Skip to main content"]
    ('Augmenter', 'Aller au contenu principal')
    >>> ["Help for {label}", "Aide\xa0: {label}"] in w["templates"]
    True
    >>> words("en")["names"]["Increment"], words("es")["decimal"]
    ('Increment', ',')
    """
    catalogue = translations(lang)

    def say(message: str) -> str:
        return catalogue.pgettext(CONTEXT, message)

    return {
        "names": {name: say(name) for name in NAMES},
        "templates": [[template, say(template)] for template in TEMPLATES],
        "texts": {text: say(text) for text in TEXTS},
        "decimal": number_symbols(lang)[0],
        "waiting": catalogue.gettext(WAITING),
        "goingToScene": catalogue.gettext(GOING_TO_SCENE),
    }


def placeholders(template: str) -> list[str]:
    """The names of a template's ``{…}`` parts, in order.

    >>> placeholders("Help for {label}")
    ['label']
    """
    return _PLACEHOLDER.findall(template)


def script_table() -> str:
    """Every language's :func:`words`, with the selectors, as the JSON page.js reads (English
    too: a page switched back to English gets Streamlit's words back)."""
    table = {
        "named": NAMED,
        "textPlaces": TEXT_PLACES,
        "numberPlaces": NUMBER_PLACES,
        "instructions": INSTRUCTIONS,
        "boxes": box_limits(),
        "languages": {lang: words(lang) for lang in LANGUAGES},
    }
    assert DEFAULT in table["languages"]
    # "</" never appears in the script's text: it is served as a file, but stays safe inline too.
    return json.dumps(table, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")

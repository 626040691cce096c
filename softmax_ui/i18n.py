"""The reader's language: English, Spanish or French, from gettext catalogues kept with Babel.

Every user-visible string is written in English in the code and wrapped where it is *shown*:

* ``_("Temperature")`` returns the translation in the reader's language;
* ``ngettext("{n} class", "{n} classes", n).format(n=n)`` picks the plural form;
* ``N_("Temperature")`` only marks a string for extraction (module-level constants, tables):
  the code that shows it calls ``_()`` on it then (``NP_(context, …)`` and ``pgettext`` for a
  word that needs a context, e.g. the class name "table").

Placeholders are named and filled after translation (``_("{n} classes").format(n=...)``), so a
translator can move them; never build a message from pieces or with an f-string inside ``_()``.

The catalogues are ``locales/<lang>/LC_MESSAGES/messages.po`` (the source of truth, in git).
``make locales`` re-extracts the strings and updates them (``pybabel extract/update/compile``).
When a ``.mo`` file is missing or older than its ``.po`` (a fresh clone), the ``.po`` is compiled
in memory, so ``streamlit run app.py`` works without a build step.

The reader's language is chosen once per session (``?lang=`` in the URL, else the browser's
locale, else English) and kept in the session state under :data:`SESSION_KEY`; tests and tools
outside Streamlit use :func:`language`.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import io
import re
from collections.abc import Iterator
from gettext import NullTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("en", "es", "fr")
"""The languages the app is written in; the first is the default and the source language."""
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}
"""Each language named in itself, as the language switch shows it."""
DEFAULT = LANGUAGES[0]
LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
SESSION_KEY = "lang"
"""Where the session keeps the reader's language (also the URL parameter's name)."""

_OVERRIDE: contextvars.ContextVar[str | None] = contextvars.ContextVar("lang", default=None)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (``_()`` it where it is shown).

    >>> N_("Temperature")
    'Temperature'
    """
    return message


def NP_(context: str, message: str) -> str:
    """Mark ``message`` for translation in ``context`` without translating it (``pgettext``
    it where it is shown).

    >>> NP_("class name", "table")
    'table'
    """
    return message


def supported(code: str | None) -> str | None:
    """The app's language for a language tag (``"es-MX"`` → ``"es"``), or None.

    >>> supported("fr-CA"), supported("ES"), supported("de"), supported(None)
    ('fr', 'es', None, None)
    """
    if not code:
        return None
    base = str(code).strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


@functools.cache
def translations(lang: str) -> NullTranslations:
    """The catalogue of ``lang`` (loaded once per process; English is the identity)."""
    if lang == DEFAULT or lang not in LANGUAGES:
        return NullTranslations()
    folder = LOCALES / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as file:
            return Translations(file, domain=DOMAIN)
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as file:
        catalog = read_po(file, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def choose(asked: str | None, browser: str | None) -> str:
    """The language a session starts in: the link's ``?lang=`` if the app has it, else the
    browser's, else English (an unknown ``?lang=de`` is passed over quietly).

    >>> choose("fr", "es-ES"), choose("de", "es-ES"), choose(None, "de-DE"), choose(None, None)
    ('fr', 'es', 'en', 'en')
    """
    return supported(asked) or supported(browser) or DEFAULT


def _browser_locale() -> str | None:
    import streamlit as st

    try:
        return st.context.locale
    except Exception:  # no browser behind this run (AppTest, a bare script)
        return None


def current() -> str:
    """The reader's language: :func:`language`'s override, else the session's, else English.

    A session's first call chooses it (:func:`choose`, from the URL and the browser) and
    keeps it under :data:`SESSION_KEY`, where the sidebar's switch changes it.
    """
    lang = _OVERRIDE.get()
    if lang is not None:
        return lang
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return DEFAULT
    from softmax_ui.memory import per_run

    # A page asks a hundred times a run, and the session state's lock costs more than this.
    return per_run(ctx, _RUN_CACHE, lambda: _chosen(ctx.session_state))


def _chosen(state) -> str:
    """The session's language, as kept in ``state`` (chosen and kept on its first run)."""
    if SESSION_KEY in state:
        chosen = state[SESSION_KEY]
        return chosen if chosen in LANGUAGES else DEFAULT
    import streamlit as st

    chosen = choose(st.query_params.get(SESSION_KEY), _browser_locale())
    state[SESSION_KEY] = chosen
    return chosen


_RUN_CACHE = "_softmax_language"


def switch_to(lang: str) -> None:
    """Make ``lang`` the session's language from now on (the sidebar's switch calls this; a
    page never writes :data:`SESSION_KEY` itself, or this run would keep the old one)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    if lang not in LANGUAGES:
        raise ValueError(f"Unknown language {lang!r}.")
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return
    from softmax_ui.memory import set_for_run

    ctx.session_state[SESSION_KEY] = lang
    set_for_run(ctx, _RUN_CACHE, lang)


def url_param() -> dict[str, str]:
    """The ``lang`` parameter links and the address bar carry: the reader's language, left
    out only when it is English and the browser would choose English anyway (so the links of
    an English session are as before, and a reload never changes the language)."""
    lang = current()
    if lang == DEFAULT and choose(None, _browser_locale()) == DEFAULT:
        return {}
    return {SESSION_KEY: lang}


GROUP_WITH_A_SPACE = frozenset({"es"})
"""Languages whose thousands this app groups with a narrow no-break space, not CLDR's point:
Spanish wrote "10 000" in a number box's label (a point there is read as a decimal point:
"10.000" invited 10 samples), "10000" in its message and "1.000" on the chart beside it (a
tour). The RAE's Ortografía (2010) recommends the space, and no grouping of four digits."""


@functools.cache
def number_symbols(lang: str) -> tuple[str, str]:
    """The decimal and group separators of ``lang`` (Babel's CLDR data, read once; Spanish
    groups with a space, :data:`GROUP_WITH_A_SPACE`).

    >>> number_symbols("en"), number_symbols("es"), number_symbols("fr")
    (('.', ','), (',', '\u202f'), (',', '\u202f'))
    """
    from babel.numbers import get_decimal_symbol, get_group_symbol

    group = "\u202f" if lang in GROUP_WITH_A_SPACE else get_group_symbol(lang)
    return get_decimal_symbol(lang), group


def four_digits_whole(text: str) -> str:
    """``text``, a number written the Python way with "," groups ("1,234.5"), with a lone
    group of four digits joined where the reader's language does not split it (Spanish:
    1000, but 10 000; CLDR's minimum grouping digits).

    >>> with language("es"):
    ...     [four_digits_whole(t) for t in ("1,234.5", "12,345", "1,234,567")]
    ['1234.5', '12,345', '1,234,567']
    >>> four_digits_whole("1,234")
    '1,234'
    """
    if current() not in GROUP_WITH_A_SPACE:
        return text
    return re.sub(r"(?<![\d,])(-?\d),(\d{3})(?![\d,])", r"\1\2", text)


@functools.cache
def percent_suffix(lang: str) -> str:
    """What follows a percentage in ``lang``: ``%``, or a no-break space and ``%``.

    >>> percent_suffix("en"), percent_suffix("es")
    ('%', '\xa0%')
    """
    from babel.numbers import format_percent

    return format_percent(0, locale=lang).removeprefix("0")


def decimal_comma() -> bool:
    """Whether the reader writes decimals with a comma (Spanish, French)."""
    return number_symbols(current())[0] == ","


def localize(number: str) -> str:
    """A number written the Python way (``-1.5e-07``) in the reader's language: the decimal
    point becomes the language's decimal sign (the rest of the text is left as it is).

    >>> with language("fr"):
    ...     localize("-1.5e-07")
    '-1,5e-07'
    """
    decimal = number_symbols(current())[0]
    return number if decimal == "." else number.replace(".", decimal)


def group(number: int) -> str:
    """A whole number with the reader's thousands separator (``12,345``, ``12 345``).

    >>> with language("es"):
    ...     group(-1234567), group(1000), group(10000)
    ('-1\u202f234\u202f567', '1000', '10\u202f000')
    """
    text = four_digits_whole(f"{int(number):,}")
    sep = number_symbols(current())[1]
    return text if sep == "," else text.replace(",", sep)


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """Translate into ``lang`` inside the ``with`` block (tests, tools, pure builders).

    >>> with language("en"):
    ...     _("Temperature")
    'Temperature'
    """
    token = _OVERRIDE.set(lang)
    try:
        yield
    finally:
        _OVERRIDE.reset(token)


def _(message: str) -> str:
    """``message`` in the reader's language (the English text when there is no translation)."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the reader's language."""
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` translated in ``context`` (when one English word has two translations)."""
    return translations(current()).pgettext(context, message)

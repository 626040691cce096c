"""The reader's language: English, Spanish or French, from gettext catalogues kept with Babel.

Every user-visible string is written in English in the code and wrapped where it is *shown*:

* ``_("Temperature")`` returns the translation in the reader's language;
* ``ngettext("{n} class", "{n} classes", n).format(n=n)`` picks the plural form;
* ``N_("Temperature")`` only marks a string for extraction (module-level constants, tables):
  the code that shows it calls ``_()`` on it then.

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


def current() -> str:
    """The reader's language: :func:`language`'s override, else the session's, else English."""
    lang = _OVERRIDE.get()
    if lang is not None:
        return lang
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return DEFAULT
    chosen = ctx.session_state.get(SESSION_KEY) if SESSION_KEY in ctx.session_state else None
    return chosen if chosen in LANGUAGES else DEFAULT


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

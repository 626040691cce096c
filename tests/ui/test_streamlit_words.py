"""Streamlit's own words in the reader's language (softmax_ui.streamlit_words, page.js part 7):
each word is one Streamlit 1.67 writes (read from its installed frontend, so an upgrade that
changes one fails here), and each translation keeps a template's part of the app's own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit

from softmax_ui.i18n import LANGUAGES, translations
from softmax_ui.page_script import SCRIPT, WORDS_SLOT, script
from softmax_ui.streamlit_words import (
    CONTEXT,
    NAMES,
    TEMPLATES,
    TEXTS,
    placeholders,
    script_table,
    words,
)

FRONTEND = "".join(
    path.read_text(encoding="utf-8", errors="replace")
    for path in (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("*.js")
)


@pytest.mark.parametrize("word", NAMES + TEXTS)
def test_each_word_is_one_streamlit_writes(word):
    assert f"`{word}`" in FRONTEND or f'"{word}"' in FRONTEND or f">{word}<" in FRONTEND, word


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_is_one_streamlit_writes(template):
    fixed = re.split(r"\{\w+\}", template)[0]
    assert f"`{fixed}${{" in FRONTEND, template


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_word_is_translated_and_templates_keep_their_part(lang):
    catalogue = translations(lang)._catalog  # what the .po holds (pgettext falls back)
    for word in NAMES + TEXTS + TEMPLATES:
        assert catalogue.get(f"{CONTEXT}\x04{word}"), (lang, word)
    table = words(lang)
    assert sum(english != said for english, said in table["names"].items()) > len(NAMES) - 3
    for english, said in table["templates"]:
        assert said != english and placeholders(said) == placeholders(english), (lang, said)


def test_english_is_streamlits_own():
    table = words("en")
    assert all(english == said for english, said in table["names"].items())
    assert all(english == said for english, said in table["templates"])


def test_the_served_script_holds_the_table_once():
    assert SCRIPT.read_bytes().count(WORDS_SLOT) == 1
    served = script().decode()
    table = json.loads(script_table().replace("<\\/", "</"))
    assert set(table["languages"]) == set(LANGUAGES)
    assert script_table() in served and WORDS_SLOT.decode() not in served
    assert "</" not in script_table()

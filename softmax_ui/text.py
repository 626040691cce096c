"""Turning numbers and user text into safe, readable Markdown.

User text (class labels, scene titles, anything read from a link or typed) is hostile: it
reaches the screen through Streamlit's Markdown (``st.markdown``, alerts, captions, metric
labels *and values*, radio options), which is GitHub-flavoured Markdown plus Streamlit's own
extensions. :func:`md` makes such text show exactly as typed, with nothing interpreted:

* HTML is escaped (``<`` → ``&lt;``), and so is ``&``, so a character reference shows as typed;
* every Markdown special character is backslash-escaped (no emphasis, code, links, images,
  tables, headings, lists, ``$…$`` maths, ``:red[…]`` colour directives);
* GitHub's *autolink literals* are broken with an invisible WORD JOINER (U+2060). Backslash
  escapes are not enough for them: Streamlit's Markdown (mdast-util-gfm-autolink-literal)
  finds ``https://…``, ``www.…`` and ``name@host.tld`` in the text *after* escapes are decoded
  and turns them into links. A word joiner after ``:`` and ``@`` and between ``w`` and ``.``
  means ``https:⁠//``, ``www⁠.`` and ``a@⁠b.c`` never match, and the same joiner after ``:``
  keeps ``:dog:`` emoji short codes and ``:material/…:`` icons from being replaced. The joiner
  has no width and no glyph (Unicode "default ignorable"), so the text looks as typed.
"""

from __future__ import annotations

import html
import re
import unicodedata

import numpy as np

WORD_JOINER = "\u2060"
"""Invisible, zero-width, no line break: what :func:`md` puts inside would-be autolinks."""

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")
# After escaping: a colon or at sign followed by something (an autolink scheme "https://",
# a "mailto:" or an e-mail address, an emoji short code ":dog:"), and "w." (as in "www.").
_AUTOLINK_SEAMS = re.compile(r"(?<=\\:)(?=\S)|(?<=@)(?=\S)|(?<=[Ww])(?=\\\.)")


def md(text: str) -> str:
    """Escape user text for ``st.markdown`` and labels: no formatting, links, HTML or LaTeX.

    >>> md("**bold** <b>x</b> $1")
    '\\\\*\\\\*bold\\\\*\\\\* &lt;b&gt;x&lt;/b&gt; \\\\$1'

    Bare URLs and e-mail addresses get an invisible word joiner, so they stay text:

    >>> [part.split(WORD_JOINER) for part in md("www.x.org https://x.org a@x.org").split()]
    [['www', '\\\\.x\\\\.org'], ['https\\\\:', '//x\\\\.org'], ['a@', 'x\\\\.org']]
    """
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(text), quote=False))
    return _AUTOLINK_SEAMS.sub(WORD_JOINER, escaped)


def plain(text: str) -> str:
    """What a reader sees of :func:`md`'s output: ``plain(md(s)) == s`` (for tests and tools).

    >>> plain(md("a_b: https://x.org <i>"))
    'a_b: https://x.org <i>'
    """
    unescaped = re.sub(r"\\(.)", r"\1", str(text).replace(WORD_JOINER, ""))
    return html.unescape(unescaped)


def clean_text(text: str) -> str:
    """Text as the app keeps it: no control or format characters, single spaces, trimmed.

    >>> clean_text("  dog" + chr(0x200B) + chr(10) + "   cat ")
    'dog cat'
    """
    text = "".join(ch for ch in str(text) if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


def plot_text(text: str) -> str:
    """Escape user text for Plotly, which renders a subset of HTML in labels.

    >>> plot_text("<b>dog</b>")
    '&lt;b&gt;dog&lt;/b&gt;'
    """
    return html.escape(str(text), quote=False)


def num(value: float, digits: int = 4) -> str:
    """A number for prose: NaN and infinities spelled as IEEE prints them.

    >>> num(0.6590011388859679), num(float("nan")), num(float("inf")), num(1e-300)
    ('0.659', 'NaN', 'inf', '1e-300')
    """
    value = float(value)
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}g}" if value != 0 else "0"

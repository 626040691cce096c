"""Turning numbers and user text into safe, readable Markdown."""

from __future__ import annotations

import html
import re

import numpy as np

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")


def md(text: str) -> str:
    """Escape user text for ``st.markdown``: no formatting, links, HTML or LaTeX.

    >>> md("**bold** <b>x</b> $1")
    '\\\\*\\\\*bold\\\\*\\\\* &lt;b&gt;x&lt;/b&gt; \\\\$1'
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(text), quote=False))


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

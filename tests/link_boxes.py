"""The links a page shows in its link boxes (``softmax_ui.page.link_box``), as an ``AppTest``
reads them: from the boxes' HTML, unescaped, written here apart from the app's code."""

from __future__ import annotations

import html
import re

_TEXT = re.compile(r'<code class="link-box-text">(.*?)</code>', re.S)


def links_shown(block) -> list[str]:
    """Every link box's link in ``block`` (an ``AppTest`` or one of its parts, e.g.
    ``at.sidebar``), in page order."""
    return [html.unescape(t) for element in block.get("html") for t in _TEXT.findall(element.value)]

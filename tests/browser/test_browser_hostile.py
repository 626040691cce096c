"""Hostile labels and scene titles in the real app: drawn as typed, nothing fetched, no link.

Every page opens twice from a link, once with plain names (``l01``…) and once with the
hostile ones of tests/ui/test_hostile_labels.py (Markdown images and links, autolink URLs,
e-mail addresses, HTML, LaTeX, ``:red[…]``, emoji short codes, Plotly templates, emoji).
The browser's Watch refuses and reports any request that would leave the machine, and any
console error (a Content-Security-Policy violation is one). On the drawn page:

* the same elements as with plain names: no extra ``a``, ``img``, ``span`` with a colour,
  ``code``, heading or list item anywhere in the main area, and no link inside any chart;
* the hostile names are there, as typed (word joiners aside);
* no websocket message comes near ``server.maxMessageSize`` (the largest is recorded).
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page

from softmax_ui.state import MAX_CLASSES, LessonState, to_query
from softmax_ui.workshop import add_scene
from tests.browser.helpers import (
    ARTIFACTS,
    AppServer,
    Watch,
    Web,
    app_pages,
    page_by_name,
    screenshot,
    wait_for_app,
    wait_for_charts,
)
from tests.ui.test_bounded_inputs import incompressible_labels
from tests.ui.test_hostile_labels import HOSTILE, PLAIN, link

TITLES = tuple(f"t{i:02d}" for i in range(1, 21))
SLOW_MS = 120_000
MAX_MESSAGE_BYTES = 1_000_000  # .streamlit/config.toml: server.maxMessageSize = 1 (MB)

# Tag names in the main area, outside the charts' own SVG (Plotly draws thousands of nodes).
_TAGS = """
root => [...root.querySelectorAll('*')]
    .filter(e => !e.closest('.js-plotly-plot'))
    .map(e => e.tagName.toLowerCase() +
              (e.tagName === 'SPAN' && /color/.test(e.getAttribute('style') || '')
               ? '[coloured]' : ''))
"""
_CHART_LINKS = "root => root.querySelectorAll('.js-plotly-plot a').length"
_CHART_IMAGES = "root => root.querySelectorAll('.js-plotly-plot image').length"  # heatmaps


def _record_frames(web: Web, page: Page, sizes: list[int]) -> None:
    def on_ws(ws) -> None:
        ws.on("framereceived", lambda payload: sizes.append(len(payload)))
        ws.on("framesent", lambda payload: sizes.append(len(payload)))

    web.listen(page, "websocket", on_ws)


def _open(web: Web, server: AppServer, app_page, labels, titles, sizes: list[int]) -> Page:
    page = web.new_page()
    _record_frames(web, page, sizes)
    query = urlencode(link(labels, titles, first=app_page.script), safe=",")
    page.goto(f"{server.url}/{app_page.url_path}?{query}", wait_until="domcontentloaded")
    # 20 classes make the heaviest pages there are: allow for a busy machine
    wait_for_app(page, timeout=SLOW_MS)
    wait_for_charts(page, timeout=SLOW_MS)
    return page


@pytest.mark.parametrize("app_page", app_pages(), ids=str)
def test_hostile_names_are_drawn_as_typed_and_fetch_nothing(
    app_server: AppServer, web: Web, app_page
):
    sizes: list[int] = []
    plain = _open(web, app_server, app_page, PLAIN, TITLES, sizes)
    hostile = _open(web, app_server, app_page, HOSTILE, HOSTILE, sizes)
    main = {p: p.get_by_test_id("stMain") for p in (plain, hostile)}
    tags = {p: Counter(main[p].evaluate(_TAGS)) for p in main}
    for tag in ("a", "img", "span[coloured]", "code", "h1", "h2", "h3", "h4", "li", "table"):
        assert tags[hostile][tag] == tags[plain][tag], (tag, tags[hostile][tag], tags[plain][tag])
    assert main[hostile].evaluate(_CHART_LINKS) == main[plain].evaluate(_CHART_LINKS) == 0
    assert main[hostile].evaluate(_CHART_IMAGES) == main[plain].evaluate(_CHART_IMAGES)
    text = main[hostile].inner_text().replace("\u2060", "")
    shown = [name for name in HOSTILE if name in text]
    assert HOSTILE[0] in shown, "scene 1's title, in the scene bar"
    if app_page.name in {"Playground", "Temperature_and_Sampling", "Gradients_and_Cross_Entropy"}:
        assert len(shown) >= 3, shown
    assert max(sizes) < MAX_MESSAGE_BYTES / 10, max(sizes)
    if app_page.name in {"Playground", "Workshop"}:
        screenshot(hostile, ARTIFACTS / "hostile" / f"{app_page.name}.png", full_page=True)


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def test_the_workshop_refuses_a_scene_too_long_for_a_link_on_a_phone(
    app_server: AppServer, browser, screenshot_dir
):
    """Issue 15, point 5: the refusal comes at the button, with its reason, readable at
    390×844 with touch; the deck (and its link) stay as they were."""

    logits = tuple(float(i) for i in range(MAX_CLASSES))
    first = add_scene(LessonState(logits=logits, labels=incompressible_labels(1)), "Playground", "")
    view = first.replace(labels=incompressible_labels(2))
    watch = Watch()
    context = browser.new_context(**PHONE)
    watch.attach(context)
    try:
        page = context.new_page()
        workshop = page_by_name("Workshop")
        query = urlencode(to_query(view), safe=",")
        page.goto(f"{app_server.url}/{workshop.url_path}?{query}", wait_until="domcontentloaded")
        wait_for_app(page, timeout=SLOW_MS)
        page.get_by_label("Scene title").fill("One scene too many")
        page.get_by_role("button", name="Add the current view as a scene").tap()
        alert = page.get_by_test_id("stAlert").filter(has_text="characters in the link")
        alert.wait_for(timeout=SLOW_MS)
        alert.scroll_into_view_if_needed()
        box = alert.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert "remove a scene" in alert.inner_text()
        assert "deck=" + to_query(first)["deck"] in page.url  # the deck is unchanged
        screenshot(page, screenshot_dir / "workshop_refusal_phone.png")
    finally:
        context.close()
    assert not watch.problems(), watch.problems()

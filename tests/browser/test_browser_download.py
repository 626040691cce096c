"""What a student's first visit downloads, on a real server (``streamlit run serve.py``): the
frontend arrives gzipped (softmax_ui/compress.py), a third of its size, and unchanged; while
a chart's code is still arriving, its place says so (softmax_ui.page.loading_css).

Streamlit 1.67 alone sends a lesson's first visit 9.7 MB (its ``/static/`` files uncompressed);
over a classroom's shared Wi-Fi that is the wait before the first chart.
"""

from __future__ import annotations

import gzip
import re
import urllib.request
from pathlib import Path

import streamlit

from tests.browser.helpers import (
    AppServer,
    Web,
    open_page,
    page_by_name,
    wait_for_charts,
    wait_until,
)
from tests.contrast import contrast, over, parse

WHITE = (255.0, 255.0, 255.0)


def rgb(colour: str):
    return over(parse(colour), WHITE)


STATIC = Path(streamlit.__file__).parent / "static"

FIRST_VISIT_MAX_KB = 4_000
"""A lesson's first visit, everything fetched over HTTP as sent, in KB of 1,024 bytes: 3,254 KB
(3.3 MB) measured with Streamlit 1.67, 9,437 KB (9.7 MB) before the files were compressed."""


def fetch(url: str, accept: str | None) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status == 200, url
        return {k.lower(): v for k, v in reply.headers.items()}, reply.read()


def test_streamlits_files_arrive_gzipped_and_unchanged(app_server: AppServer):
    _, html = fetch(app_server.url + "/", None)
    scripts = re.findall(rb'href="\./(static/js/[^"]+\.js)"', html)
    css = re.findall(rb'href="\./(static/css/[^"]+\.css)"', html)
    assert len(scripts) > 10 and css
    for path in [p.decode() for p in (*scripts[:3], *css)]:
        on_disk = (STATIC / path).read_bytes()
        for _ in range(2):  # the first answer may compress; the second comes from memory
            headers, body = fetch(f"{app_server.url}/{path}", "gzip, deflate, br")
            assert headers["content-encoding"] == "gzip", path
            assert "accept-encoding" in headers["vary"].lower(), path
            assert int(headers["content-length"]) == len(body) < len(on_disk), path
            assert gzip.decompress(body) == on_disk, path
            assert headers["x-content-type-options"] == "nosniff", path  # policy kept
            assert "immutable" in headers["cache-control"], path
        plain_headers, plain = fetch(f"{app_server.url}/{path}", None)
        assert "content-encoding" not in plain_headers and plain == on_disk, path


def test_a_lessons_first_visit_downloads_a_third_of_the_frontend(web: Web, app_server: AppServer):
    page = web.new_page(fresh=True)  # a first visit: nothing in the browser's cache
    open_page(page, app_server.url, page_by_name("Temperature_and_Sampling"))
    page.wait_for_timeout(1_000)  # what loads after the charts (fonts) is counted too
    sent, decoded = page.evaluate(
        """() => { const all = [...performance.getEntriesByType('navigation'),
                              ...performance.getEntriesByType('resource')];
                   return [all.reduce((s, r) => s + r.transferSize, 0),
                           all.reduce((s, r) => s + r.decodedBodySize, 0)]; }"""
    )
    assert page.locator(".js-plotly-plot .main-svg").count() >= 1
    assert sent / 1024 <= FIRST_VISIT_MAX_KB, f"{sent / 1024:.0f} KB sent"
    assert sent < decoded / 2, (sent, decoded)


SKELETON = """() => [...document.querySelectorAll("[data-testid='stSkeleton']")]
  .filter(s => s.getBoundingClientRect().height > 0)
  .map(s => { const after = getComputedStyle(s, '::after'), box = getComputedStyle(s);
              return {text: after.content, color: after.color, background: box.backgroundColor,
                      opacity: box.opacity, animation: box.animationName}; })"""


def test_a_chart_still_loading_says_so(web: Web, app_server: AppServer):
    """On a slow link Plotly's chunk took 15 s to arrive (2 Mbit/s), and the chart's place
    was an empty white box under its title. Held back here, the place says it is loading,
    in the reader's language, readably; released, the chart is drawn."""
    page = web.new_page(fresh=True)  # a page that has the chunk in its cache never waits
    held = []
    page.route(re.compile(r"/static/js/PlotlyChart\.[^/]+\.js$"), lambda route: held.append(route))
    words = "Cargando…"  # in the reader's language: Spanish here
    page.goto(f"{app_server.url}/Playground?lang=es", wait_until="commit")

    # Other parts load too (st.html's own code, which brings this very style, among them):
    # wait until what is left loading is the held chart. Evaluate first: a sync Playwright
    # call is what lets the route handler run.
    def only_the_chart_loads() -> bool:
        places = page.evaluate(SKELETON)
        titled = page.evaluate("() => !!document.querySelector('.chart-title')")
        return bool(places) and bool(held) and titled and all(p["text"] != "none" for p in places)

    wait_until(only_the_chart_loads, message="the chart loading, and only it, under its title")
    # the words lie under the chart's title (which lies over the top of the chart's place)
    title_bottom, under_title = page.evaluate(
        """() => { const t = document.querySelector('.chart-title').getBoundingClientRect();
                   const places = [...document.querySelectorAll("[data-testid='stSkeleton']")]
                     .map(s => s.getBoundingClientRect())
                     .filter(r => r.left < t.right && r.right > t.left
                                  && r.top <= t.bottom && r.bottom >= t.top);
                   return [t.bottom, places.map(r => r.bottom)]; }"""
    )
    assert len(under_title) == 1, under_title
    assert title_bottom <= under_title[0] - 30, (title_bottom, under_title)
    for place in page.evaluate(SKELETON):
        assert place["text"] == f'"{words}"', place
        assert place["animation"] == "none" and place["opacity"] == "1", place
        assert contrast(rgb(place["color"]), rgb(place["background"])) >= 4.5, place
    for route in held:
        route.continue_()
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    wait_for_charts(page)
    assert page.evaluate(SKELETON) == []

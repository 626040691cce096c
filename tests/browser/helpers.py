"""Drive the real app in headless Chromium for the browser tests: read what the charts draw,
operate the controls, collect what each test's browser contexts saw.

Starting the server, launching and watching the browser and the page list are
:mod:`devtools` (shared with the benchmarks and ``scripts/screenshots.py``); they are
imported here too, so ``from tests.browser.helpers import AppServer, open_page, …`` works.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from devtools import ARTIFACTS, ROOT
from devtools.browser import (
    APP_TIMEOUT_MS,
    CHROMIUM_ARGS,
    KNOWN_STREAMLIT_404,
    PHONE,
    PROJECTOR,
    VIEWPORT,
    VIEWS,
    Watch,
    assert_no_exception,
    find_chromium,
    first_slider,
    launch_browser,
    new_context,
    open_page,
    screenshot,
    screenshot_whole,
    wait_for_app,
    wait_for_charts,
)
from devtools.loopback import is_loopback
from devtools.pages import AppPage, app_pages, page_by_name, pages_calling
from devtools.server import AppServer, free_port
from devtools.streamlit_internals import legacy_page_order as page_order
from devtools.streamlit_internals import legacy_url_path as url_path_of
from tests.figure_data import decode

__all__ = [  # the shared tools, imported by the browser tests from here
    "APP_TIMEOUT_MS",
    "ARTIFACTS",
    "CHROMIUM_ARGS",
    "KNOWN_STREAMLIT_404",
    "PHONE",
    "PROJECTOR",
    "ROOT",
    "VIEWPORT",
    "VIEWS",
    "AppPage",
    "AppServer",
    "Watch",
    "app_pages",
    "assert_no_exception",
    "find_chromium",
    "first_slider",
    "free_port",
    "is_loopback",
    "launch_browser",
    "new_context",
    "open_page",
    "page_by_name",
    "page_order",
    "pages_calling",
    "screenshot",
    "screenshot_whole",
    "url_path_of",
    "wait_for_app",
    "wait_for_charts",
]


@dataclass
class Pooled:
    """A page in its own context, with the :class:`Watch` of that context."""

    context: BrowserContext
    page: Page
    watch: Watch
    key: str


class PagePool:
    """Pages kept between tests, one context each, so that a test's page load is a warm one.

    A new context loads the app in about 2.7 s, of which 1.6 s is Chromium compiling
    Streamlit's scripts afresh; a page that has loaded the app before does it in 1.1 s
    (measured on 2 cores). A page is handed back blank (``about:blank``), without cookies or
    storage, its watch emptied: for the app's server it is a new browser. A test whose page
    keeps something a later test would see (a route, a closed page) asks :meth:`Web.new_page`
    for a ``fresh`` one (listeners: :meth:`Web.listen`), and a failed test's pages are closed.
    """

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.free: dict[str, list[Pooled]] = {}
        self.every: list[Pooled] = []

    def take(self, options: dict[str, Any]) -> Pooled:
        key = json.dumps(options, sort_keys=True)
        free = self.free.setdefault(key, [])
        if free:
            pooled = free.pop()
            pooled.watch.reset()
            return pooled
        watch = Watch()
        context = new_context(self.browser, watch, **options)
        pooled = Pooled(context, context.new_page(), watch, key)
        self.every.append(pooled)
        return pooled

    def give_back(self, pooled: Pooled) -> None:
        try:
            extra = [p for p in pooled.context.pages if p is not pooled.page]
            if pooled.page.is_closed() or extra:
                raise RuntimeError("not as it was handed out")
            if pooled.page.url.startswith("http"):
                pooled.page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            pooled.page.goto("about:blank")
            pooled.context.clear_cookies()
            size = json.loads(pooled.key).get("viewport", VIEWPORT)
            if pooled.page.viewport_size != size:
                pooled.page.set_viewport_size(size)
        except Exception:  # a page that cannot be made blank is not handed out again
            self.discard(pooled)
            return
        self.free[pooled.key].append(pooled)

    def discard(self, pooled: Pooled) -> None:
        self.every.remove(pooled)
        pooled.context.close()

    def close(self) -> None:
        for pooled in list(self.every):
            self.discard(pooled)


class Web:
    """The browser pages of one test, each in its own context with its own :class:`Watch`."""

    def __init__(self, browser: Browser, pool: PagePool | None = None) -> None:
        self.browser = browser
        self.pool = pool
        self.watches: list[Watch] = []
        self.contexts: list[BrowserContext] = []
        self.pooled: list[Pooled] = []
        self.listeners: list[tuple[Page, str, Callable[..., Any]]] = []

    def listen(self, page: Page, event: str, handler: Callable[..., Any]) -> None:
        """``page.on(event, handler)`` for this test only: removed when the test ends, so a
        pooled page hands no listener on."""
        page.on(event, handler)
        self.listeners.append((page, event, handler))

    def new_page(self, *, fresh: bool = False, **options: Any) -> Page:
        """A page in a context of its own: a new Streamlit session (no shared cookies or
        state); ``options`` go to the context (e.g. ``**PHONE``). The page has loaded the app
        before, in an earlier test (:class:`PagePool`), unless ``fresh``: then it is a new
        context's, for a test that routes its requests or measures a first visit."""
        if self.pool is not None and not fresh:
            pooled = self.pool.take(options)
            self.pooled.append(pooled)
            self.watches.append(pooled.watch)
            return pooled.page
        watch = Watch()
        context = new_context(self.browser, watch, **options)
        self.watches.append(watch)
        self.contexts.append(context)
        return context.new_page()

    def problems(self) -> list[str]:
        return [p for w in self.watches for p in w.problems()]

    def close(self, folder: Path | None, name: str, *, failed: bool = False) -> None:
        """Close every context, screenshotting each page first into ``folder`` (if given).
        Pooled pages go back to the pool, unless the test ``failed``."""
        if folder is not None:
            pages = [p for c in self.contexts for p in c.pages]
            pages[:0] = [p.page for p in self.pooled if not p.page.is_closed()]
            for i, page in enumerate(pages):
                suffix = f"-{i + 1}" if len(pages) > 1 else ""
                try:
                    screenshot(page, folder / f"{name}{suffix}.png")
                except Exception as err:  # a screenshot must never hide the real result
                    print(f"screenshot of {page.url} failed: {err}")
        for page, event, handler in self.listeners:
            page.remove_listener(event, handler)
        for context in self.contexts:
            context.close()
        assert self.pool is not None or not self.pooled
        for pooled in self.pooled:
            if failed:
                self.pool.discard(pooled)
            else:
                self.pool.give_back(pooled)


# --- waiting ----------------------------------------------------------------------------------


@contextmanager
def slowed_cpu(page: Page, rate: float) -> Iterator[None]:
    """``page``'s CPU slowed ``rate`` times (Chromium's emulation: a cheap phone's, an old
    laptop's) while the block runs; at full speed again after it, whatever happens."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    try:
        yield
    finally:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})


def wait_until(
    condition: Callable[[], bool], *, timeout: float = 15.0, message: str = "condition"
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {message}")
        time.sleep(0.1)


def after_change(page: Page, before: list[list[dict]], *, timeout: float = 15.0) -> list:
    """Wait until the charts draw something else than ``before``; return the new plot data."""
    wait_until(
        lambda: not same_plots(plot_data(page), before),
        timeout=timeout,
        message="the charts to change",
    )
    wait_for_app(page)
    wait_for_charts(page)
    return plot_data(page)


# --- reading charts ---------------------------------------------------------------------------

_READ_PLOTS = """
els => els.map(el => (el.data || []).map(t => {
    const plain = v => (v && typeof v === 'object' && !Array.isArray(v) && 'bdata' in v)
        ? v : (v == null ? null : Array.from(v));
    return {name: t.name ?? null, type: t.type ?? null,
            x: plain(t.x), y: plain(t.y), text: t.text == null ? null : plain(t.text)};
}))
"""


def plot_data(page: Page) -> list[list[dict]]:
    """Per chart (DOM order), per trace: ``name``, ``x``, ``y`` (float64 array), ``text``.

    Read from the Plotly graph div (``el.data``), so it is what the browser draws.
    """
    charts = page.locator(".js-plotly-plot").evaluate_all(_READ_PLOTS)
    return [[{**decode(t), "y": _numbers(decode(t).get("y"))} for t in c] for c in charts]


def _numbers(values: Any) -> np.ndarray | None:
    """``y`` as float64 (``None`` → NaN); category axes (text) stay an object array."""
    if values is None:
        return None
    try:
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    except (TypeError, ValueError):
        return np.array(list(values), dtype=object)


def _plain(values: Any) -> list:
    if values is None:
        return []
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def same_plots(a: list[list[dict]], b: list[list[dict]]) -> bool:
    """Whether two :func:`plot_data` results draw the same traces (NaN equals NaN)."""
    if len(a) != len(b) or any(len(ta) != len(tb) for ta, tb in zip(a, b, strict=True)):
        return False
    for ta, tb in zip(a, b, strict=True):
        for x, y in zip(ta, tb, strict=True):
            if _plain(x.get("x")) != _plain(y.get("x")):
                return False
            ya, yb = x.get("y"), y.get("y")
            if (ya is None) != (yb is None):
                return False
            if ya is None:
                continue
            if ya.dtype == object or yb.dtype == object:
                if _plain(ya) != _plain(yb):
                    return False
            elif ya.shape != yb.shape or not np.array_equal(ya, yb, equal_nan=True):
                return False
    return True


def text_clashes(texts: list[dict], meet: Any = None) -> list[tuple[str, str]]:
    """The pairs of ``texts`` (dicts with a ``text``) that overlap: by ``meet(a, b)``, or by
    their ``box`` (:class:`Box`, as :func:`chart_drawings` reads them)."""
    meet = meet or (lambda a, b: a["box"].overlaps(b["box"]))
    return [
        (a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :] if meet(a, b)
    ]


def softmax(z: Any, temperature: float = 1.0) -> np.ndarray:
    """Reference softmax for the checks (plain NumPy, max-shifted)."""
    s = np.asarray(z, dtype=np.float64) / temperature
    e = np.exp(s - s.max())
    return e / e.sum()


def find_trace(
    charts: list[list[dict]], expected: Any, *, rtol: float = 1e-9, atol: float = 1e-12
) -> tuple[int, int] | None:
    """(chart, trace) of the first trace whose ``y`` equals ``expected``, else ``None``."""
    want = np.asarray(expected, dtype=np.float64)
    for c, traces in enumerate(charts):
        for t, trace in enumerate(traces):
            y = trace.get("y")
            if (
                y is not None
                and y.dtype != object
                and y.shape == want.shape
                and np.allclose(y, want, rtol=rtol, atol=atol, equal_nan=True)
            ):
                return c, t
    return None


def assert_draws(
    charts: list[list[dict]],
    z: Any,
    temperature: float = 1.0,
    labels: Any = None,
    *,
    also_t1: bool = True,
) -> tuple[int, int]:
    """Some chart draws softmax(z / T), over ``labels`` if given; returns (chart, trace).

    With ``also_t1`` a page that does not use the temperature may draw softmax(z) instead.
    """
    hit = find_trace(charts, softmax(z, temperature))
    if hit is None and also_t1:
        hit = find_trace(charts, softmax(z))
    assert hit, f"no chart draws softmax(z/T) for z={list(z)}, T={temperature}:\n{describe(charts)}"
    if labels is not None:
        c, t = hit
        assert list(charts[c][t]["x"]) == list(labels), describe(charts)
    return hit


def describe(charts: list[list[dict]]) -> str:
    """A short text of what is drawn, for assertion messages."""
    lines = []
    for c, traces in enumerate(charts):
        for t, trace in enumerate(traces):
            y = trace.get("y")
            shown = None if y is None else np.array2string(y, precision=6)
            lines.append(f"chart {c} trace {t} {trace.get('name')!r}: x={trace.get('x')} y={shown}")
    return "\n".join(lines) or "(no charts)"


# --- controls ---------------------------------------------------------------------------------


def sidebar_links(page: Page) -> list[str]:
    """URL paths of the page links in the sidebar menu, in order (``/`` is the landing page)."""
    return (
        page.get_by_test_id("stSidebar")
        .locator("a[href]")
        .evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    )


def go_by_sidebar(page: Page, target: AppPage) -> None:
    """Click ``target`` in the sidebar menu and wait for it to be drawn."""
    before = page.url
    links = page.get_by_test_id("stSidebar").locator("a[href]")
    paths = sidebar_links(page)
    wanted = f"/{target.url_path}"
    assert wanted in paths, f"no sidebar link to {wanted}: {paths}"
    links.nth(paths.index(wanted)).click()
    page.wait_for_url(lambda url: url != before and urlsplit(url).path == f"/{target.url_path}")
    wait_for_app(page)
    wait_for_charts(page)


def type_into(page: Page, label: str, text: str) -> None:
    """Type ``text`` into the text or number input called ``label`` and press Enter."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")


def reveal(page: Page, locator: Locator) -> Locator:
    """Make ``locator`` usable: open the collapsed ``st.expander`` s of the main area if it is
    not drawn (Streamlit leaves a collapsed expander's content out of the page); return it."""
    if not locator.count() or not locator.first.is_visible():
        closed = page.locator("[data-testid='stMain'] details:not([open]) > summary")
        for summary in closed.element_handles():
            summary.click()
            page.wait_for_function("s => s.parentElement.open", arg=summary)
    expect(locator).to_be_visible()
    return locator


def pick_preset(page: Page, name: str) -> None:
    """Choose ``name`` in the logits editor's "Load an example" box."""
    choose(page, "Load an example", name)


def choose(page: Page, box: str, option: str) -> None:
    """Choose ``option`` in the select box labelled ``box``."""
    combobox = page.get_by_role("combobox", name=box, exact=True)
    choice = page.get_by_role("option", name=option, exact=True)
    for attempt in range(3):  # a rerun finishing just then may close the list: open it again
        combobox.click()
        try:
            choice.click(timeout=5_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def press_slider(page: Page, name: str, key: str = "ArrowRight") -> None:
    """Focus the thumb (``role=slider``) of the slider labelled ``name``, press ``key``.

    Streamlit 1.67 labels the slider's group; the thumb's own accessible name repeats the
    label ("Slide z1 Slide z1"), so the thumb is found inside its labelled group.
    """
    thumb = reveal(page, page.get_by_role("group", name=name, exact=True).get_by_role("slider"))
    thumb.focus()
    thumb.press(key)


def pick_radio(page: Page, option: str) -> None:
    page.get_by_test_id("stRadio").get_by_text(option, exact=True).click()


_HEADINGS_SHOWN = """
() => [...document.querySelectorAll("[data-testid='stMain'] [role='tabpanel'] h2")]
  .filter(h => h.getClientRects().length).map(h => h.textContent.trim())
"""


def headings_shown(page: Page) -> list[str]:
    """The section headings (h2) of a lesson's tabs in view: those of the open tab, not the
    closed (the page's other sections, such as the logits editor's, are not in a tab)."""
    return page.evaluate(_HEADINGS_SHOWN)


def wait_for_tab(page: Page, before: list[str]) -> None:
    """After a tab was chosen: wait until its own heading is drawn (its panel is empty until
    its run draws it; ``before``: :func:`headings_shown` until then), the run is over and
    its charts are drawn."""
    wait_until(
        lambda: headings_shown(page) not in (before, []), message="the tab's content to be drawn"
    )
    wait_for_app(page)
    wait_for_charts(page)


def other_tabs(page: Page, *, tap: bool = False) -> Iterator[str]:
    """Open each tab of the lesson's further pictures but the open one, in turn, by mouse
    (or by touch with ``tap``), and yield its name once its content is drawn. Nothing on a
    page without tabs."""
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        if tab.get_attribute("aria-selected") == "true":
            continue
        before = headings_shown(page)
        tab.tap() if tap else tab.click()
        wait_for_tab(page, before)
        expect(tab).to_have_attribute("aria-selected", "true")
        yield tab.inner_text().strip()


def share_link(page: Page) -> str:
    """The link in the sidebar's 'Share this view' link box (softmax_ui.page.link_box)."""
    box = page.get_by_test_id("stSidebar").locator(".link-box-text")
    return box.first.inner_text().strip()


# --- what a person sees: layout ----------------------------------------------------------------

_SIDEWAYS = """
() => {
  const boxes = {
    document: document.scrollingElement,
    app: document.querySelector("[data-testid='stApp']"),
    main: document.querySelector("[data-testid='stMain']"),
    block: document.querySelector("[data-testid='stMainBlockContainer']"),
  };
  const wide = {};
  for (const [name, el] of Object.entries(boxes)) {
    if (!el) continue;
    const before = el.scrollLeft;
    el.scrollLeft = 10000;  // what a swipe sideways would do
    const moved = el.scrollLeft;
    el.scrollLeft = before;
    if (el.scrollWidth > el.clientWidth + 1 || moved > 0)
      wide[name] = {scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, scrolls: moved};
  }
  if (document.documentElement.scrollWidth > innerWidth + 1)
    wide.page = {scrollWidth: document.documentElement.scrollWidth, innerWidth};
  // What sticks out, to name the culprit in the message.
  const sticksOut = el => el.getBoundingClientRect().right > innerWidth + 1;
  const culprits = [...document.querySelectorAll("[data-testid='stMain'] *")]
    .filter(el => sticksOut(el) && ![...el.querySelectorAll('*')].some(sticksOut))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className}`.slice(0, 80)
               + ` right=${Math.round(el.getBoundingClientRect().right)}`);
  return Object.keys(wide).length ? {...wide, culprits} : {};
}
"""


def sideways_overflow(page: Page) -> dict[str, Any]:
    """The page's scrolling boxes that are wider than the window (empty: nothing widens the
    page). Streamlit scrolls inside ``stMain``, so the document alone would miss it."""
    return page.evaluate(_SIDEWAYS)


_TOGETHER = """
([widget, chart]) => {
  const header = document.querySelector("[data-testid='stHeader']");
  const top = header ? header.getBoundingClientRect().bottom : 0;
  const plot = chart.querySelector('.nsewdrag') || chart;
  const seen = (el) => {  // wholly inside the window below the header, and not covered
    const r = el.getBoundingClientRect();
    if (r.height === 0 || r.top < top - 0.5 || r.bottom > innerHeight + 0.5) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (el.contains(hit) || hit.contains(el));
  };
  const found = [];
  for (const block of ['start', 'center', 'end']) {
    widget.style.scrollMarginTop = `${top + 8}px`;
    widget.style.scrollMarginBottom = '8px';
    widget.scrollIntoView({block, inline: 'nearest'});
    const w = widget.getBoundingClientRect(), p = plot.getBoundingClientRect();
    found.push({block, widget: [Math.round(w.top), Math.round(w.bottom)],
                plot: [Math.round(p.top), Math.round(p.bottom)],
                widgetSeen: seen(widget), plotSeen: seen(plot)});
    if (seen(widget) && seen(plot)) return {together: true, found};
  }
  return {together: false, window: [top, innerHeight], found};
}
"""


def seen_together(page: Page, widget: Locator, chart: Locator) -> dict[str, Any]:
    """Whether the page can be scrolled so that ``widget`` and ``chart``'s plot area are both
    wholly in the window (below Streamlit's header) and neither is covered: tried with the
    widget at the top, middle and foot of the window. ``together`` says if it worked."""
    return page.evaluate(_TOGETHER, [widget.element_handle(), chart.element_handle()])


_CUT_TEXT = """
(roots) => {
  const cut = [];
  for (const root of roots) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || !el.textContent.trim()) continue;
      const clips = ['hidden', 'clip'].includes(style.overflowX)
                    || style.textOverflow === 'ellipsis';
      if (clips && el.scrollWidth > el.clientWidth + 1)
        cut.push(`${el.textContent.trim().slice(0, 60)} `
                 + `(${el.scrollWidth} > ${el.clientWidth} px)`);
    }
  }
  return cut;
}
"""


def cut_texts(page: Page, locator: Locator) -> list[str]:
    """Texts inside ``locator``'s elements that are clipped or cut with an ellipsis."""
    return page.evaluate(_CUT_TEXT, locator.element_handles())


_ICONS = """
() => {
  const icons = [...document.querySelectorAll('body *')].filter(el =>
    el.children.length === 0 && /^[a-z0-9_]+$/.test(el.textContent.trim())
    && getComputedStyle(el).fontFamily.includes('Material Symbols'));
  return icons.map(el => {
    const style = getComputedStyle(el), r = el.getBoundingClientRect();
    const where = el.closest('[data-testid]');
    return {name: el.textContent.trim(), where: where ? where.dataset.testid : '',
            size: parseFloat(style.fontSize), width: r.width, height: r.height,
            shown: style.visibility !== 'hidden' && r.width > 0,
            loaded: document.fonts.check(`${style.fontSize} ${style.fontFamily}`)};
  });
}
"""


def material_icons(page: Page) -> list[dict[str, Any]]:
    """Every Material Symbols icon on the page (Streamlit writes an icon as its name, e.g.
    ``bar_chart``, in that font): name, where, font size and drawn box. With the font, the
    name is one glyph about 1 em wide; without it, a word several ems wide."""
    return page.evaluate(_ICONS)


_EMOJI = r"""
() => {
  const emoji = /[\p{Extended_Pictographic}\u{FE0F}\u{1F1E6}-\u{1F1FF}]/u;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const tag = node.parentElement ? node.parentElement.tagName : '';
    if (['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(tag)) continue;
    const m = node.textContent.match(emoji);
    if (m) found.push(`${m[0]} U+${m[0].codePointAt(0).toString(16).toUpperCase()} in `
                      + `"${node.textContent.trim().slice(0, 50)}"`);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [alt]')) {
    for (const attr of ['aria-label', 'title', 'alt']) {
      const m = (el.getAttribute(attr) || '').match(emoji);
      if (m) found.push(`${m[0]} in ${attr}="${el.getAttribute(attr).slice(0, 50)}"`);
    }
  }
  return found;
}
"""


def emoji_shown(page: Page) -> list[str]:
    """Emoji in the page's text and labels (they depend on the viewer's fonts: a machine
    without a colour-emoji font draws an empty box)."""
    return page.evaluate(_EMOJI)


# --- how charts are drawn -----------------------------------------------------------------------

_READ_DRAWING = r"""
els => els.map(el => {
    const box = e => { const r = e.getBoundingClientRect();
                       return {x: r.x, y: r.y, w: r.width, h: r.height}; };
    const rgba = text => {
        const m = /rgba?\(([^)]*)\)/.exec(text || '');
        if (!m) return null;
        const v = m[1].split(',').map(Number);
        return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
    };
    const opacity = e => {  // the element's own and every ancestor's opacity, up to the svg
        let a = 1;
        for (let n = e; n && n.tagName !== 'svg'; n = n.parentElement) {
            a *= Number(getComputedStyle(n).opacity || 1);
        }
        return a;
    };
    const paint = e => {
        // What a filled shape shows: its colour, or for a pattern fill the pattern's
        // background colour and the colour of its hatch lines (or dots).
        const style = getComputedStyle(e);
        const alpha = Number(style.fillOpacity || 1) * opacity(e);
        const url = /url\(["']?#([^"')]+)["']?\)/.exec(style.fill || '');
        if (!url) {
            const c = rgba(style.fill);
            return {fill: c && [c[0], c[1], c[2], c[3] * alpha], hatch: null, lines: null};
        }
        const pattern = e.ownerSVGElement.querySelector('pattern[id="' + url[1] + '"]')
            || document.getElementById(url[1]);
        if (!pattern) return {fill: null, hatch: 'missing', lines: null};
        const rect = pattern.querySelector('rect');
        let fill = null;
        if (rect) {
            const c = rgba(rect.getAttribute('fill') || getComputedStyle(rect).fill);
            const a = Number(rect.getAttribute('fill-opacity') ?? 1);
            fill = c && [c[0], c[1], c[2], c[3] * a * alpha];
        }
        const mark = pattern.querySelector('path, circle');
        let lines = null;
        if (mark) {
            const c = rgba(mark.getAttribute('stroke') || mark.getAttribute('fill'));
            lines = c && [c[0], c[1], c[2], c[3] * Number(mark.getAttribute('opacity') ?? 1)];
        }
        return {fill, hatch: mark ? mark.getAttribute('d') || 'dots' : 'none', lines};
    };
    const shown = t => {
        const s = getComputedStyle(t);
        const r = t.getBoundingClientRect();
        return t.textContent.trim() !== '' && s.display !== 'none' && s.visibility !== 'hidden'
            && Number(s.opacity) > 0 && r.width > 0 && r.height > 0;
    };
    const fontPx = t => {  // the size the text is drawn at, after any scaling
        const m = t.getScreenCTM();
        const scale = m ? Math.sqrt(m.a * m.a + m.b * m.b) : 1;
        return parseFloat(getComputedStyle(t).fontSize) * scale;
    };
    const TEXTS = [
        ['chart title', 'text.gtitle'], ['x axis title', 'text.xtitle'],
        ['y axis title', 'text.ytitle'], ['x tick label', 'g.xtick text'],
        ['y tick label', 'g.ytick text'], ['bar label', 'text.bartext'],
        ['annotation', 'text.annotation-text'], ['point label', 'g.textpoint text'],
        ['colour bar', 'g.colorbar text'],
    ];
    const texts = [];
    for (const [kind, selector] of TEXTS) {
        for (const t of el.querySelectorAll(selector)) {
            if (shown(t)) texts.push({kind, text: t.textContent, box: box(t), px: fontPx(t)});
        }
    }
    // The title drawn as the page's text over the chart's top margin (softmax_ui.page.chart;
    // Plotly's own is hidden then): the nearest one in the chart's block.
    const chart = el.closest("[data-testid='stPlotlyChart']");
    const block = chart && chart.closest("[data-testid='stVerticalBlock']");
    const html = block && block.querySelector('.chart-title');
    if (html && shown(html)) {
        texts.push({kind: 'chart title', text: html.textContent, box: box(html),
                    px: parseFloat(getComputedStyle(html).fontSize)});
    }
    const legendBox = el.querySelector('g.legend rect.bg');
    const legend = legendBox ? {
        box: box(legendBox),
        entries: [...el.querySelectorAll('g.legend g.traces')].map(g => {
            const d = g.__data__ && g.__data__[0] && g.__data__[0].trace;
            return {name: g.querySelector('text.legendtext')?.textContent ?? '',
                    type: d ? d.type : null, trace: d ? d.index : null,
                    swatches: [...g.querySelectorAll('g.legendpoints path')].map(paint)};
        }),
    } : null;
    const bars = [...el.querySelectorAll('g.barlayer g.trace.bars')].map(g => {
        const d = g.__data__ && g.__data__[0] && g.__data__[0].trace;
        return {name: d ? d.name : null, trace: d ? d.index : null,
                points: [...g.querySelectorAll('g.point path')].map(paint)};
    });
    const drag = el.querySelector('rect.nsewdrag');
    const full = el._fullLayout;
    const axis = a => a && {type: a.type, range: a.range && a.range.map(Number),
                            title: a.title && a.title.text, categories: a._categories || null};
    return {
        box: box(el), plot: drag ? box(drag) : null, bars, legend, texts,
        background: full && full.plot_bgcolor,
        axes: full ? {x: axis(full.xaxis), y: axis(full.yaxis)} : null,
    };
})
"""


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in CSS pixels."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box, tolerance: float = 1.0) -> bool:
        """Whether the two boxes share more than a ``tolerance`` px wide strip."""
        wide = min(self.right, other.right) - max(self.x, other.x)
        tall = min(self.bottom, other.bottom) - max(self.y, other.y)
        return wide > tolerance and tall > tolerance


def chart_drawings(page: Page | Locator) -> list[dict]:
    """How each Plotly chart on the page, or inside a locator (DOM order), is drawn, read
    from its SVG: the
    container and plot area boxes (``box``, ``plot``: the ``.nsewdrag`` rect), per bar
    trace the paint of each bar (``fill`` RGBA, and for a pattern fill its ``hatch`` and
    hatch ``lines`` colour), the legend's box and each entry's swatches, every visible
    text with its box and drawn font size (``px``, after Plotly's scaling), and the axes.
    """
    drawings = page.locator(".js-plotly-plot").evaluate_all(_READ_DRAWING)
    for drawing in drawings:
        drawing["box"] = Box(**drawing["box"])
        drawing["plot"] = drawing["plot"] and Box(**drawing["plot"])
        for text in drawing["texts"]:
            text["box"] = Box(**text["box"])
        if drawing["legend"]:
            drawing["legend"]["box"] = Box(**drawing["legend"]["box"])
    return drawings


def side_by_side(drawings: list[dict]) -> list[list[int]]:
    """Groups (of two or more) of charts drawn in one row: same top, not overlapping."""
    rows: list[list[int]] = []
    for i, drawing in enumerate(drawings):
        for row in rows:
            first = drawings[row[0]]["box"]
            if abs(first.y - drawing["box"].y) <= 1 and not first.overlaps(drawing["box"]):
                row.append(i)
                break
        else:
            rows.append([i])
    return [row for row in rows if len(row) > 1]


DISCONNECTED = (
    # the console's messages while the server is down (a restart), not faults of the app
    "Cannot send rerun backMessage when disconnected from server.",
    # served by serve.py (st.App on uvicorn), the server closes each websocket on shutdown,
    # and a fragment's send can land on the closing socket; a page drawing an element then
    # cannot fetch that element's script while the server is down
    "WebSocket is already in CLOSING or CLOSED state.",
    "Failed to load resource: net::ERR_CONNECTION_REFUSED",
    "TypeError: Failed to fetch dynamically imported module",
    # the page still showed the old server's download button (its file is not on the new one)
    "Failed to load resource: the server responded with a status of 404 (Not Found)",
    "Client Error: Download Button source error - 404",
    # a server down for longer than a few seconds: Streamlit logs its pings and its window
    "Client Error in reaching server endpoint - No response received",
    "Streamlit server is not responding.",
)

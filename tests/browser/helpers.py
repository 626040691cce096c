"""Drive the real app in headless Chromium for the browser tests: read what the charts draw,
operate the controls, collect what each test's browser contexts saw.

Starting the server, launching and watching the browser and the page list are
:mod:`devtools` (shared with the benchmarks and ``scripts/screenshots.py``); they are
imported here too, so ``from tests.browser.helpers import AppServer, open_page, …`` works.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from devtools import ARTIFACTS, ROOT
from devtools.browser import (
    APP_TIMEOUT_MS,
    CHROMIUM_ARGS,
    KNOWN_STREAMLIT_404,
    PHONE,
    VIEWPORT,
    Watch,
    assert_no_exception,
    find_chromium,
    launch_browser,
    new_context,
    open_page,
    screenshot,
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
    "ROOT",
    "VIEWPORT",
    "AppPage",
    "AppServer",
    "Watch",
    "app_pages",
    "assert_no_exception",
    "find_chromium",
    "free_port",
    "is_loopback",
    "launch_browser",
    "new_context",
    "open_page",
    "page_by_name",
    "page_order",
    "pages_calling",
    "screenshot",
    "url_path_of",
    "wait_for_app",
    "wait_for_charts",
]


class Web:
    """The browser contexts of one test, each with its own :class:`Watch`."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.watches: list[Watch] = []
        self.contexts: list = []

    def new_page(self, **options: Any) -> Page:
        """A page in a new context: a fresh Streamlit session (no shared cookies or state);
        ``options`` go to the context (e.g. ``**PHONE``)."""
        watch = Watch()
        context = new_context(self.browser, watch, **options)
        self.watches.append(watch)
        self.contexts.append(context)
        return context.new_page()

    def problems(self) -> list[str]:
        return [p for w in self.watches for p in w.problems()]

    def close(self, folder: Path, name: str) -> None:
        pages = [p for c in self.contexts for p in c.pages]
        for i, page in enumerate(pages):
            suffix = f"-{i + 1}" if len(pages) > 1 else ""
            try:
                screenshot(page, folder / f"{name}{suffix}.png")
            except Exception as err:  # a screenshot must never hide the real result
                print(f"screenshot of {page.url} failed: {err}")
        for context in self.contexts:
            context.close()


# --- waiting ----------------------------------------------------------------------------------


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
    box = page.get_by_role("combobox", name="Load an example", exact=True)
    option = page.get_by_role("option", name=name, exact=True)
    for attempt in range(3):  # a rerun finishing just then may close the list: open it again
        box.click()
        try:
            option.click(timeout=5_000)
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


def share_link(page: Page) -> str:
    """The link in the sidebar's 'Share this view' code box."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stCode")
    return box.first.inner_text().strip()

"""Debian's Chromium through Playwright: launched, watched and waited on the same way by the
browser tests, the benchmarks and the screenshot script (never a downloaded browser).

* :func:`find_chromium`, :func:`launch_browser`, :func:`new_context`: one set of flags and
  one window size.
* :class:`Watch` records every request, websocket, console error and page error of a browser
  context, and refuses (aborts) any request that would leave the machine.
* :func:`wait_for_app` waits as Streamlit's own ``e2e_playwright`` tests do;
  :func:`open_page` opens a page by URL and waits until its charts are drawn.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect

from devtools.loopback import is_loopback
from devtools.pages import AppPage
from devtools.server import AppServer

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
VIEWPORT = {"width": 1400, "height": 900}
APP_TIMEOUT_MS = 60_000
NO_CHROMIUM = "Chromium not found: install Debian's chromium package (apt-get install chromium)"


def find_chromium() -> str | None:
    """Debian's Chromium: ``/usr/bin/chromium`` or ``chromium`` on PATH."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def launch_browser(playwright: Playwright, executable: str) -> Browser:
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


KNOWN_STREAMLIT_404 = re.compile(
    r"^Failed to load resource: the server responded with a status of 404 \(Not Found\) "
    r"\(at http://127\.0\.0\.1:\d+/[^/?#]+/_stcore/(health|host-config)\)$"
)
"""Streamlit's frontend, opened on a page path such as ``/Playground``, first probes
``/Playground/_stcore/health`` and ``…/host-config`` (in case the app is served under that
base path), gets 404, then uses ``/_stcore/…``: streamlit/streamlit#7074, open, harmless.
Only these two exact probes are tolerated; any other console error is a problem."""


@dataclass
class Watch:
    """Everything a browser context did that a test must know about."""

    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    """Console errors, and Plotly's warnings."""
    page_errors: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> Watch:
        context.route(lambda url: not is_loopback(url), self._refuse)
        context.on("request", self._on_request)
        context.on("page", self._on_page)
        for page in context.pages:
            self._on_page(page)
        return self

    @staticmethod
    def _refuse(route: Any) -> None:
        route.abort("blockedbyclient")  # recorded by _on_request, which sees it first

    def _on_request(self, request: Any) -> None:
        self.requests.append(request.url)
        if not is_loopback(request.url):
            self.outside.append(request.url)

    def _on_page(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        page.on("crash", lambda gone: self.page_errors.append(f"the page crashed: {gone.url}"))
        page.on("websocket", self._on_websocket)

    def _on_console(self, message: Any) -> None:
        # Plotly's warnings (Lib.warn: console.trace("WARN: …")) are faults of a figure: the
        # one it logged six times per keypress, with a stack trace each, was a hatch's colours
        if message.type == "error" or message.text.startswith("WARN:"):
            location = message.location or {}
            self.console_errors.append(f"{message.text} (at {location.get('url', '?')})")

    def _on_websocket(self, ws: Any) -> None:
        self.requests.append(ws.url)
        if not is_loopback(ws.url):
            self.outside.append(ws.url)

    def reset(self) -> None:
        """Forget what was seen: the context is handed to another test."""
        for seen in (self.requests, self.outside, self.console_errors, self.page_errors):
            seen.clear()

    def problems(self) -> list[str]:
        found = [f"request left loopback: {u}" for u in dict.fromkeys(self.outside)]
        found += [
            f"Plotly warning: {m}" if m.startswith("WARN:") else f"JavaScript console error: {m}"
            for m in self.console_errors
            if not KNOWN_STREAMLIT_404.search(m)
        ]
        found += [f"uncaught JavaScript error: {m}" for m in self.page_errors]
        return found


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
"""A phone-sized context: ``new_context(browser, watch, **PHONE)``."""
PROJECTOR = {"viewport": {"width": 1280, "height": 800}}
"""A projector's window (the presenter view is opened from a link with ``present=1``)."""
VIEWS: dict[str, dict[str, Any]] = {"desktop": {}, "phone": PHONE, "presenter": PROJECTOR}
"""The windows the app is used in: a student's laptop (:data:`VIEWPORT`), a student's phone,
the teacher's projector. Each is the ``options`` of :func:`new_context`."""


def new_context(browser: Browser, watch: Watch | None = None, **options: Any) -> BrowserContext:
    """A fresh browser context (no cookies, no cache) at :data:`VIEWPORT` (``options`` override
    it, e.g. :data:`PHONE`), watched if asked."""
    context = browser.new_context(**({"viewport": VIEWPORT, "device_scale_factor": 1} | options))
    context.set_default_timeout(APP_TIMEOUT_MS)
    if watch is not None:
        watch.attach(context)
    return context


def wait_for_app(page: Page, timeout: int = APP_TIMEOUT_MS) -> None:
    """Wait until the script run is over and everything is drawn (as ``e2e_playwright`` does)."""
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout
    )
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=timeout)


def wait_for_charts(page: Page, timeout: int = APP_TIMEOUT_MS) -> None:
    """Every ``stPlotlyChart`` on the page has its Plotly graph drawn."""
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
                 .every(c => { const g = c.querySelector('.js-plotly-plot');
                               return g && g.data && g._fullLayout; })""",
        timeout=timeout,
    )


def open_page(page: Page, base_url: str, app_page: AppPage, query: str = "") -> None:
    """Go to ``app_page`` (with ``query``, no leading ``?``) and wait for its charts."""
    url = f"{base_url}/{app_page.url_path}" + (f"?{query}" if query else "")
    response = page.goto(url, wait_until="domcontentloaded")
    assert response is not None and response.ok, f"GET {url}: {response and response.status}"
    wait_for_app(page)
    wait_for_charts(page)


def assert_no_exception(page: Page, server: AppServer) -> None:
    """No ``st.exception`` box on the page (with the server's traceback if there is one)."""
    if page.get_by_test_id("stException").count():
        raise AssertionError(
            f"{page.url} shows an exception; server log:\n" + "\n\n".join(server.tracebacks()[-2:])
        )


def screenshot(page: Page, path: Path, *, full_page: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")


def screenshot_whole(page: Page, path: Path, *, limit: int = 12_000) -> None:
    """The whole page in one image. Streamlit scrolls inside ``stMain``, not the document, so
    Playwright's ``full_page`` sees one screen: the window is made as tall as the page (up to
    ``limit`` px) for the shot, then put back."""
    size = page.viewport_size
    assert size is not None
    height = page.evaluate(
        "() => Math.max(innerHeight, document.querySelector(\"[data-testid='stMain']\")"
        "?.scrollHeight ?? 0)"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height), limit)})
    try:
        wait_for_app(page)
        page.wait_for_timeout(500)  # Plotly redraws on resize
        screenshot(page, path)
    finally:
        page.set_viewport_size(size)


def first_slider(page: Page) -> Locator | None:
    """The first slider drawn in the main area (its thumb, ``role=slider``), or ``None``."""
    sliders = page.get_by_test_id("stMain").get_by_role("slider")
    return sliders.first if sliders.count() else None

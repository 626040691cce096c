"""Run the real app and drive it in headless Chromium: shared by the browser tests and
``scripts/screenshots.py``.

* :class:`AppServer` starts ``streamlit run app.py`` on a free loopback port and stops it.
* :func:`launch_browser` starts Debian's Chromium (never a downloaded browser).
* :class:`Watch` records every request, websocket, console error and page error of a
  browser context, and refuses (aborts) any request that would leave the machine.
* :func:`wait_for_app` waits like Streamlit's own ``e2e_playwright`` tests do;
  :func:`plot_data` reads the numbers each Plotly chart really draws.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.figure_data import decode

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
VIEWPORT = {"width": 1400, "height": 900}
APP_TIMEOUT_MS = 30_000


# --- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppPage:
    """One page of the app: its script and the URL path Streamlit serves it under."""

    script: str  # relative to ROOT, e.g. "pages/1_Playground.py"
    url_path: str  # "" for the landing page, e.g. "Playground"

    @property
    def name(self) -> str:
        """A file-name- and test-id-friendly name: ``landing`` or the URL path."""
        return self.url_path or "landing"

    @property
    def is_landing(self) -> bool:
        return not self.url_path

    def __str__(self) -> str:
        return self.name


_PAGE_FILE = re.compile(r"([0-9]*)[_ -]*(.*)\.py")


def url_path_of(script: Path) -> str:
    """The URL path of a legacy ``pages/`` script: file name without number prefix and icon.

    Mirrors Streamlit's own rule (``source_util.page_icon_and_name``):

    >>> url_path_of(Path("pages/1_Playground.py"))
    'Playground'
    >>> url_path_of(Path("pages/2_Softmax_vs_Sigmoid_vs_ReLU.py"))
    'Softmax_vs_Sigmoid_vs_ReLU'
    >>> url_path_of(Path("pages/10 Two  words.py"))
    'Two_words'
    """
    match = _PAGE_FILE.fullmatch(script.name)
    assert match, script
    name = re.sub(r"[_ ]+", "_", match.group(2)).strip()
    return re.sub(r"^[^\w]+", "", name).lstrip("_")


def page_order(script: Path) -> tuple[float, str]:
    match = _PAGE_FILE.fullmatch(script.name)
    assert match, script
    number, label = match.groups()
    return (float(number) if number else float("inf"), label.lower())


def app_pages() -> list[AppPage]:
    """The landing page and every script in ``pages/``, in the sidebar's order."""
    scripts = sorted((ROOT / "pages").glob("*.py"), key=page_order)
    return [AppPage("app.py", "")] + [
        AppPage(str(s.relative_to(ROOT)), url_path_of(s))
        for s in scripts
        if not s.name.startswith("_")
    ]


def pages_calling(function: str) -> list[AppPage]:
    """The pages whose script calls ``function(`` (e.g. the shared ``logits_editor``)."""
    return [
        p
        for p in app_pages()
        if re.search(rf"\b{function}\(", (ROOT / p.script).read_text(encoding="utf-8"))
    ]


def page_by_name(name: str) -> AppPage:
    for page in app_pages():
        if page.name == name:
            return page
    raise LookupError(f"No page {name!r} in pages/ (have: {[p.name for p in app_pages()]})")


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """``streamlit run app.py`` on 127.0.0.1, headless, output kept in a log file."""

    def __init__(self, *, log_dir: Path = ARTIFACTS / "logs", name: str = "streamlit") -> None:
        self.port = 0
        self.log_dir = log_dir
        self.name = name
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None
        self.log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> AppServer:
        """Start the server and wait for ``/_stcore/health``; retries once on a port race."""
        for attempt in range(2):
            self.port = free_port()
            self.log_dir.mkdir(parents=True, exist_ok=True)
            self.log_path = self.log_dir / f"{self.name}-{self.port}.log"
            self._log = self.log_path.open("wb")
            env = {**os.environ, "PYTHONUNBUFFERED": "1"}
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    "app.py",
                    "--server.headless",
                    "true",
                    "--server.address",
                    "127.0.0.1",
                    "--server.port",
                    str(self.port),
                ],
                cwd=ROOT,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )
            if self._wait_healthy(timeout):
                return self
            self.stop()
            if attempt:
                break
        raise RuntimeError(f"Streamlit did not become healthy; log:\n{self.log_text()[-3000:]}")

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc is None or self._proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.read().strip() == b"ok":
                        return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def log_text(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def tracebacks(self) -> list[str]:
        """The app's uncaught exceptions so far, as logged by the server.

        The browser only shows a redacted message (``client.showErrorDetails = "none"``).
        """
        blocks = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", self.log_text())
        return [b.strip() for b in blocks if "Traceback (most recent call last)" in b]

    def problems_since(self, offset: int) -> list[str]:
        """Tracebacks and warnings (e.g. a ``RuntimeWarning``) logged after character ``offset``.

        A student never sees the server log, so a test has to read it for them.
        """
        text = self.log_text()[offset:]
        lines = [line for line in text.splitlines() if re.search(r"\w*Warning\b|Traceback", line)]
        return lines[:20]

    def stop(self) -> None:
        """Terminate (then kill) the server process; safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- the browser ------------------------------------------------------------------------------


def find_chromium() -> str | None:
    """Debian's Chromium: ``/usr/bin/chromium`` or ``chromium`` on PATH."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def launch_browser(playwright: Playwright, executable: str) -> Browser:
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def is_loopback(url: str) -> bool:
    """Whether ``url`` stays on this machine (``data:``/``blob:``/``about:`` never leave it)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome", "chrome-error"}:
        return True
    host = (parts.hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


KNOWN_STREAMLIT_404 = re.compile(
    r"^Failed to load resource: the server responded with a status of 404 \(Not Found\) "
    r"\(at http://127\.0\.0\.1:\d+/[^/?#]+/_stcore/(health|host-config)\)$"
)
"""Streamlit's frontend, opened on a page path such as ``/Playground``, first probes
``/Playground/_stcore/health`` and ``…/host-config`` (in case the app is served under that
base path), gets 404, then uses ``/_stcore/…``: streamlit/streamlit#7074, open, harmless.
Only these two exact probes are tolerated; any other console error fails the test."""


@dataclass
class Watch:
    """Everything a browser context did that a test must know about."""

    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
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
        page.on("websocket", self._on_websocket)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            self.console_errors.append(f"{message.text} (at {location.get('url', '?')})")

    def _on_websocket(self, ws: Any) -> None:
        self.requests.append(ws.url)
        if not is_loopback(ws.url):
            self.outside.append(ws.url)

    def problems(self) -> list[str]:
        found = [f"request left loopback: {u}" for u in dict.fromkeys(self.outside)]
        found += [
            f"JavaScript console error: {m}"
            for m in self.console_errors
            if not KNOWN_STREAMLIT_404.search(m)
        ]
        found += [f"uncaught JavaScript error: {m}" for m in self.page_errors]
        return found


def new_context(browser: Browser, watch: Watch | None = None, **options: Any) -> BrowserContext:
    """A browser context (desktop window unless ``options`` say otherwise, e.g. a phone's
    ``viewport``, ``is_mobile``, ``has_touch``, or ``reduced_motion``)."""
    options = {"viewport": VIEWPORT, "device_scale_factor": 1, **options}
    context = browser.new_context(**options)
    context.set_default_timeout(APP_TIMEOUT_MS)
    if watch is not None:
        watch.attach(context)
    return context


class Web:
    """The browser contexts of one test, each with its own :class:`Watch`."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.watches: list[Watch] = []
        self.contexts: list = []

    def new_page(self, **options: Any) -> Page:
        """A page in a new context: a fresh Streamlit session (no shared cookies or state).

        ``options`` go to :func:`new_context`."""
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


def open_page(page: Page, base_url: str, app_page: AppPage, query: str = "") -> None:
    """Go to ``app_page`` (with ``query``, no leading ``?``) and wait for its charts."""
    url = f"{base_url}/{app_page.url_path}" + (f"?{query}" if query else "")
    response = page.goto(url, wait_until="domcontentloaded")
    assert response is not None and response.ok, f"GET {url}: {response and response.status}"
    wait_for_app(page)
    wait_for_charts(page)


def wait_for_charts(page: Page, timeout: int = APP_TIMEOUT_MS) -> None:
    """Every ``stPlotlyChart`` on the page has its Plotly graph drawn."""
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
                 .every(c => { const g = c.querySelector('.js-plotly-plot');
                               return g && g.data && g._fullLayout; })""",
        timeout=timeout,
    )


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


def assert_no_exception(page: Page, server: AppServer) -> None:
    """No ``st.exception`` box on the page (with the server's traceback if there is one)."""
    boxes = page.get_by_test_id("stException")
    if boxes.count():
        raise AssertionError(
            f"{page.url} shows an exception; server log:\n" + "\n\n".join(server.tracebacks()[-2:])
        )


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


def screenshot(page: Page, path: Path, *, full_page: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")

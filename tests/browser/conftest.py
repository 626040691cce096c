"""Fixtures for the browser suite: the real app (``streamlit run serve.py``) in headless Chromium.

* Without Chromium (``/usr/bin/chromium`` or ``chromium`` on PATH) the suite is skipped,
  except in CI (``CI=true``) where a missing browser fails every browser test.
* ``app_server`` is one server for the session; ``fresh_server`` a new one per test, for
  deep links that must be the server's very first request.
* ``web`` opens watched browser contexts: every request and websocket is recorded (and one
  leaving loopback is refused), console errors and uncaught errors are collected; any of
  them fails the test. Each page is screenshotted to ``test-artifacts/screenshots/`` when the
  test ends (in CI only when it failed: a screenshot nobody looks at costs time).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.helpers import (
    ARTIFACTS,
    AppServer,
    PagePool,
    Web,
    find_chromium,
    launch_browser,
)

HERE = Path(__file__).resolve().parent
NO_CHROMIUM = "Chromium not found: browser tests skipped; install Debian's chromium package"
SCREENSHOTS = ARTIFACTS / "screenshots"
FAILED = pytest.StashKey[bool]()
"""Set on a test item whose setup or call failed (read by ``web``'s teardown)."""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this folder's tests without Chromium, unless in CI (there they must fail)."""
    if find_chromium() or in_ci():
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = find_chromium()
    if path is None:
        message = NO_CHROMIUM.replace("skipped", "cannot run")
        if in_ci():
            pytest.fail(f"CI=true: {message} (.ci/run installs it).", pytrace=False)
        pytest.skip(NO_CHROMIUM)
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_browser(playwright, chromium_executable)
        try:
            yield browser
        finally:
            browser.close()


def _serve(name: str) -> Iterator[AppServer]:
    server = AppServer(name=name)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_server(chromium_executable: str) -> Iterator[AppServer]:
    """One ``streamlit run serve.py`` for the whole session, stopped at the end (or on failure)."""
    yield from _serve("streamlit-session")


@pytest.fixture
def fresh_server(chromium_executable: str) -> Iterator[AppServer]:
    """A server that has served nothing yet: the test's first page load is its first request."""
    yield from _serve("streamlit-fresh")


def _file_name(node_name: str) -> str:
    return re.sub(r"[^\w.\-\[\]]+", "_", node_name)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """``test-artifacts/screenshots/``, emptied once per run (so it shows this run only): by
    the first pytest-xdist worker, or by the one process without xdist."""
    if os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0":
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def page_pool(browser: Browser) -> Iterator[PagePool]:
    """Pages handed from test to test (``PagePool``): a warm load takes 1.1 s, a new
    context's 2.7 s."""
    pool = PagePool(browser)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture
def web(
    browser: Browser, page_pool: PagePool, screenshot_dir: Path, request: pytest.FixtureRequest
) -> Iterator[Web]:
    web = Web(browser, page_pool)
    try:
        yield web
    finally:
        failed = request.node.stash.get(FAILED, False)
        keep = not in_ci() or failed
        web.close(screenshot_dir if keep else None, _file_name(request.node.name), failed=failed)


@pytest.fixture
def page(web: Web) -> Page:
    return web.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a passing test if its browser left loopback or logged a JavaScript error, or its
    server logged a traceback or a warning (a RuntimeWarning is a bug even if nothing shows)."""
    args = getattr(item, "funcargs", {})
    servers = [s for s in args.values() if isinstance(s, AppServer)]
    offsets = [len(server.log_text()) for server in servers]
    web = args.get("web")
    try:
        result = yield
    except BaseException:
        if isinstance(web, Web):  # what the browser saw explains many a timeout (a page error)
            print("The browser saw, before the failure:", *web.problems(), sep="\n  ")
        raise
    if isinstance(web, Web):
        problems = web.problems()
        if problems:
            raise AssertionError("The browser saw problems:\n" + "\n".join(problems))
    for server, offset in zip(servers, offsets, strict=True):
        logged = server.problems_since(offset)
        if logged:
            raise AssertionError("The server logged problems:\n" + "\n".join(logged))
    return result

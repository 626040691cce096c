"""Every page of the real app, opened by deep link in headless Chromium.

The pages are discovered from ``pages/``, so new lessons are covered as soon as they land.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from playwright.sync_api import Browser, Page, expect

from softmax_ui import catalog
from tests.browser.helpers import (
    PHONE,
    AppPage,
    AppServer,
    PagePool,
    Watch,
    Web,
    app_pages,
    assert_no_exception,
    describe,
    find_trace,
    go_by_sidebar,
    is_loopback,
    new_context,
    open_page,
    page_by_name,
    plot_data,
    share_link,
    sidebar_links,
    softmax,
    wait_for_app,
)

PAGES = app_pages()
DEEP_LINK = {"z": "1,2,3,4", "labels": "a,b,c,d", "T": "2"}
Z, LABELS, T = [1.0, 2.0, 3.0, 4.0], ["a", "b", "c", "d"], 2.0
EXTRA = {
    # Lesson settings that travel in the same link, checked where the page draws them.
    "Naive_vs_Stable": {"dtype": "float32", "offset": "5"},
    "Softmax_vs_Sigmoid_vs_ReLU": {"act": "sigmoid,silu"},
    "Calibration": {"calib_classes": "4", "overconfidence": "2", "seed": "7"},
}
NOT_ABOUT_THE_LOGITS = {"Calibration"}
"""Pages whose charts draw their own synthetic data, not softmax of the link's logits."""


def query_of(app_page: AppPage) -> str:
    return "&".join(f"{k}={v}" for k, v in (DEEP_LINK | EXTRA.get(app_page.name, {})).items())


def state_in_link(link: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def assert_link_has_deep_link_state(page: Page) -> None:
    state = state_in_link(share_link(page))
    assert [float(v) for v in state["z"].split(",")] == Z, state
    assert state["labels"].split(",") == LABELS, state
    assert float(state["T"]) == T, state


def assert_draws_the_state(charts: list[list[dict]], app_page: AppPage) -> None:
    """Some chart draws softmax of the linked logits: at the linked T, or at T = 1 on pages
    that do not use the temperature; and with the linked labels on the x axis."""
    hit = find_trace(charts, softmax(Z, T)) or find_trace(charts, softmax(Z))
    assert hit, f"{app_page}: no chart draws softmax(z/T) of the link:\n{describe(charts)}"
    c, t = hit
    assert list(charts[c][t]["x"]) == LABELS, describe(charts)


def assert_link_not_refused(page: Page) -> None:
    """Nothing in the link was ignored (the app says so in a 🔗 warning)."""
    refused = page.get_by_test_id("stAlert").filter(has_text="Ignored the link")
    assert refused.count() == 0, refused.all_inner_texts()


@pytest.mark.parametrize("app_page", PAGES, ids=str)
def test_deep_link_is_the_first_request_of_a_fresh_server(
    app_page: AppPage, fresh_server: AppServer, web
) -> None:
    """Legacy ``pages/`` mode runs only the page's script here, never app.py: the page must
    read the link's state by itself, draw it, and keep it for the next page."""
    page = web.new_page()
    open_page(page, fresh_server.url, app_page, query_of(app_page))
    requests = web.watches[0].requests
    assert urlsplit(requests[0]).path == f"/{app_page.url_path}", requests[0]
    assert any(u.startswith("ws://127.0.0.1:") for u in requests), "no websocket to the app"
    assert all(is_loopback(u) for u in requests), requests  # (the watch fails the test too)

    assert_no_exception(page, fresh_server)
    assert_link_not_refused(page)
    expect(page.get_by_test_id("stHeading").first).to_be_visible()
    assert_link_has_deep_link_state(page)
    charts = plot_data(page)
    assert len(charts) == page.get_by_test_id("stPlotlyChart").count()
    # Accessibility: a screen reader announces every chart by a name that says what it shows.
    for figure in page.get_by_test_id("stPlotlyChart").all():
        assert figure.get_attribute("role") == "figure"
        assert len(figure.get_attribute("aria-label") or "") > 20, figure.get_attribute(
            "aria-label"
        )
    if charts and app_page.name not in NOT_ABOUT_THE_LOGITS:
        assert_draws_the_state(charts, app_page)
    check_page_specifics(page, app_page, charts)

    # The state is the session's, not only this page's: it is there on the next page.
    target = page_by_name("Naive_vs_Stable" if app_page.name == "Playground" else "Playground")
    go_by_sidebar(page, target)
    assert_no_exception(page, fresh_server)
    assert_draws_the_state(plot_data(page), target)


def check_page_specifics(page: Page, app_page: AppPage, charts: list[list[dict]]) -> None:
    if app_page.name == "Naive_vs_Stable":
        naive, stable, exponents = charts
        p = softmax(Z, T)
        np.testing.assert_allclose(naive[0]["y"], p, rtol=1e-6)  # float32 rounding
        np.testing.assert_allclose(stable[0]["y"], p, rtol=1e-12)
        np.testing.assert_allclose(exponents[0]["y"], (np.array(Z) + 5) / T, rtol=1e-7)
        expect(page.get_by_text("in float32", exact=False).first).to_be_visible()
    elif app_page.name == "Softmax_vs_Sigmoid_vs_ReLU":
        (traces,) = charts
        z = np.array(Z)
        np.testing.assert_allclose(traces[0]["y"], softmax(z, T), rtol=1e-12)  # only softmax has T
        np.testing.assert_allclose(traces[1]["y"], 1 / (1 + np.exp(-z)), rtol=1e-12)
        np.testing.assert_allclose(traces[2]["y"], z / (1 + np.exp(-z)), rtol=1e-12)
        assert [t["name"] for t in traces][1:] == ["sigmoid", "SiLU (x·sigmoid x)"]
    elif app_page.name == "Calibration":
        # The link's dataset settings are in the controls and in the share link.
        slider = page.get_by_role("group", name="Number of classes", exact=True)
        expect(slider.get_by_role("slider")).to_have_value("4")
        slider = page.get_by_role("group", name="Overconfidence (1 = calibrated)", exact=True)
        expect(slider.get_by_role("slider")).to_have_value("2")
        expect(page.get_by_label("Data seed", exact=True)).to_have_value("7")
        state = state_in_link(share_link(page))
        assert (state["calib_classes"], float(state["overconfidence"]), state["seed"]) == (
            "4",
            2.0,
            "7",
        )
        assert len(charts) == 1 and len(charts[0]) >= 3, describe(charts)


def test_sidebar_menu_links_every_page_file(app_server: AppServer, page: Page) -> None:
    """The sidebar menu (drawn by the app) has one link per file in pages/, none missing."""
    open_page(page, app_server.url, PAGES[0])
    links = sidebar_links(page)
    expected = [f"/{p.url_path}" for p in PAGES]
    assert sorted(set(links)) == sorted(expected), f"menu: {links}\nfiles: {expected}"


def test_a_value_typed_and_left_for_another_page_leaves_that_page_drawn(
    app_server: AppServer, page: Page
) -> None:
    """T typed in the Playground's box, not entered, then Temperature and sampling chosen in
    the sidebar: the box's value leaves after the page's request, and its run came after the
    new page under the Playground's name (the section is at the same place on both pages).
    The frontend then cleared the new page: white, with "Bad delta path index" in the console
    (an exploratory tour, 3 times of 3). The new page stays drawn."""
    open_page(page, app_server.url, page_by_name("Playground"))
    box = page.get_by_label("T (type any value from 0.01 to 100)", exact=True)
    box.click()
    box.press("Control+A")
    box.press_sequentially("4")
    go_by_sidebar(page, page_by_name("Temperature_and_Sampling"))
    page.wait_for_timeout(1_000)  # the box's run, were it run
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Temperature & sampling", level=1)).to_be_visible()
    expect(main.get_by_test_id("stPlotlyChart").first).to_be_visible()
    assert_no_exception(page, app_server)


PLOTLY_FETCHES = """() => {
  const all = performance.getEntriesByType('resource');
  return {
    plotly: all.filter(r => r.name.includes('/static/js/PlotlyChart.'))
               .map(r => [r.name, r.startTime]),
    health: all.filter(r => r.name.includes('/_stcore/health')).map(r => r.startTime),
  };
}"""


@pytest.mark.parametrize("name", ["Playground", "Calibration", "Quiz"])
def test_a_chart_page_fetches_plotly_from_the_start_and_once(
    app_server: AppServer, web: Web, name: str
) -> None:
    """A cold load of the Playground asked for Plotly's chunk (4.7 MB) 0.7 s in, after
    Streamlit had drawn the sidebar and the logits editor (docs/benchmarks.md). A page that
    opens with a chart (``catalog.Page.charts``) now fetches it with Streamlit's own scripts,
    before Streamlit's first question to the server (its health probe), and once: the preload
    and Streamlit's import are one address. A page without a chart is not sent it."""
    page = web.new_page(fresh=True)
    open_page(page, app_server.url, page_by_name(name))
    fetched = page.evaluate(PLOTLY_FETCHES)
    assert_no_exception(page, app_server)
    if not catalog.page_of(name).charts:
        assert fetched["plotly"] == [], fetched
        return
    assert len(fetched["plotly"]) == 1 and fetched["health"], fetched
    (url, started), first_probe = fetched["plotly"][0], min(fetched["health"])
    assert urlsplit(url).netloc == urlsplit(app_server.url).netloc, url
    assert started < first_probe, fetched
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()


def test_the_guard_catches_a_request_leaving_loopback(browser) -> None:
    """Self-test of :class:`Watch`: a request to another host is recorded (and refused)."""
    watch = Watch()
    context = new_context(browser, watch)
    try:
        page = context.new_page()
        page.set_content("<p>offline</p>")
        page.evaluate("() => fetch('http://telemetry.example.invalid/p').catch(() => null)")
        page.wait_for_timeout(200)
    finally:
        context.close()
    assert watch.outside == ["http://telemetry.example.invalid/p"]
    assert any("left loopback" in p for p in watch.problems())


def test_a_page_handed_to_the_next_test_is_a_new_browser_for_the_app(
    app_server: AppServer, browser: Browser
):
    """The browser tests hand their pages on (``PagePool``, for warm loads): what one test
    left (cookies, storage, a console error, a narrowed window) never reaches the next."""
    pool = PagePool(browser)
    try:
        first = Web(browser, pool)
        page = first.new_page(**PHONE)
        open_page(page, app_server.url, page_by_name("Playground"), "lang=es")
        page.evaluate("() => { sessionStorage.setItem('x', '1'); console.error('left over'); }")
        page.set_viewport_size({"width": 300, "height": 500})
        assert page.context.cookies() and first.problems()
        first.close(None, "first")

        second = Web(browser, pool)
        again = second.new_page(**PHONE)
        assert again is page  # handed on, not a new one
        assert again.url == "about:blank" and again.context.cookies() == []
        assert again.viewport_size == PHONE["viewport"] and second.problems() == []
        open_page(again, app_server.url, page_by_name("Playground"))
        assert again.evaluate("() => sessionStorage.getItem('x')") is None
        assert again.evaluate("() => document.documentElement.lang") == "en"  # a new session
        assert second.new_page(**PHONE) is not page  # one test, two people: two pages
        assert second.new_page() is not page  # another window: another page
        second.close(None, "second", failed=True)
        assert pool.every == []  # a failed test's pages are closed, not handed on
    finally:
        pool.close()

"""Accessibility, proven in the browser (issue 16; docs/accessibility.md).

* axe-core (WCAG 2.0/2.1, A and AA) and an independent contrast measurement of every visible
  text (``tests.browser.a11y.accessibility_problems``), on every page in the presenter view,
  and with the presets that change what is drawn on every page with the shared logits
  editor; the desktop and phone views of every page are checked by the layout tests that
  open them (test_browser_layout).
* Keyboard alone, per lesson: from page load, only Tab, arrows, Home/End and Enter; the
  focus is visible at every stop and follows the reading order; a logit and T change and
  so do the chart's data, its accessible name and the spoken announcement.
* 200 % zoom (a 700 × 450 CSS-pixel window at device scale 2) without sideways scrolling,
  and no animation for a reader who asked for reduced motion.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

import numpy as np
import pytest
from playwright.sync_api import Locator, Page, expect

from softmax_ui.catalog import LESSONS, PAGES, WORKSHOP
from softmax_ui.presets import PRESETS
from softmax_ui.spoken import ANNOUNCE_CLASS
from tests.browser.a11y import (
    WCAG_TAGS,
    accessibility_problems,
    axe_rules,
    axe_version,
    focus_indicator,
    focused,
    low_contrast_text,
    tab_to,
)
from tests.browser.helpers import (
    ARTIFACTS,
    PHONE,
    AppPage,
    AppServer,
    Web,
    after_change,
    assert_draws,
    assert_no_exception,
    headings_shown,
    open_page,
    page_by_name,
    pages_calling,
    plot_data,
    screenshot,
    sidebar_links,
    sideways_overflow,
    wait_for_app,
    wait_for_charts,
    wait_for_tab,
)

EDITOR_PAGES = [p.name for p in pages_calling("logits_editor")]
"""Pages that show the shared logits editor (directly or beside the picture)."""
START = "z=2,1,0.1&labels=dog,cat,bird&T=1"
WIDEST = "Handwritten digit (0-9)"
"""Ten classes: the widest sliders, tables and charts, checked on every editor page."""
OVERFLOWING = "Overflow trap"
"""Logits that overflow: the warnings and alerts a page adds, checked on the Playground (the
laptop test opens Naive vs stable in that state)."""


def preset_query(name: str) -> str:
    preset = PRESETS[name]
    return urlencode(
        {"z": ",".join(f"{v:g}" for v in preset.logits), "labels": ",".join(preset.labels)},
        safe=",",
    )


ALL_PAGES = [page_by_name(p.slug or "landing") for p in PAGES]
AXE_CASES = (
    [pytest.param(page, "present=1", id=f"presenter-{page}") for page in ALL_PAGES]
    + [
        pytest.param(page_by_name(name), preset_query(WIDEST), id=f"desktop-{name}-{WIDEST}")
        for name in EDITOR_PAGES
    ]
    + [
        pytest.param(
            page_by_name("Playground"),
            preset_query(OVERFLOWING),
            id=f"desktop-Playground-{OVERFLOWING}",
        )
    ]
)
"""The presenter view of every page, and the presets that change what is drawn. The
desktop and phone views of every page in its default state are checked where the layout
tests open them (test_browser_layout: ``test_on_a_laptop``, ``test_on_a_phone``)."""


@pytest.mark.parametrize(("app_page", "query"), AXE_CASES)
def test_axe_and_text_contrast(
    app_page: AppPage, query: str, app_server: AppServer, web: Web
) -> None:
    """Zero WCAG 2.0/2.1 A/AA violations from axe-core and no visible text below 4.5:1
    (3:1 when large), disabled controls included; tables have headers."""
    page = web.new_page()
    open_page(page, app_server.url, app_page, query)
    assert_no_exception(page, app_server)
    rules = axe_rules(page)
    problems = accessibility_problems(page, f"{app_page.name} [{query}]")
    print(
        f"\naxe-core {axe_version(page)}, {len(rules)} rules tagged {', '.join(WCAG_TAGS)}: "
        f"{' '.join(rules)}\nchecked {app_page.name} with {query!r}"
    )
    assert not problems, "\n".join(problems)


# --- keyboard alone ---------------------------------------------------------------------------


def chart_name(page: Page, index: int = 0) -> str:
    return page.get_by_test_id("stPlotlyChart").nth(index).get_attribute("aria-label") or ""


def slider(page: Page, name: str) -> Locator:
    return page.get_by_role("group", name=name, exact=True).get_by_role("slider")


def live_region(page: Page) -> Locator:
    return page.locator(f".{ANNOUNCE_CLASS}")


def mark_live_region(page: Page) -> None:
    """Tag the live region's DOM node, to check later that it was updated, not replaced (a
    screen reader announces changes to a live region it already knows, not a new one)."""
    spoken_region(page).evaluate("el => { el.dataset.a11yMark = 'kept'; }")


def spoken_region(page: Page) -> Locator:
    """The one live region the page script keeps (``page.js``, part 15)."""
    return page.locator(".softmax-spoken")


def assert_announced(page: Page, text: str) -> None:
    """``text`` is said: in the kept live region, and in the one hidden announcement."""
    expect(live_region(page)).to_have_count(1)
    expect(live_region(page)).to_contain_text(text)
    region = spoken_region(page)
    expect(region).to_have_count(1)
    expect(region).to_have_attribute("role", "status")
    expect(region).to_contain_text(text)
    expect(region).to_have_attribute("data-a11y-mark", "kept")


def press(page: Page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def wait_changed(page: Page, charts: list) -> list:
    return after_change(page, charts)


def change_logit_and_t(page: Page, *, chart: int, z: list[float], labels: list[str]) -> None:
    """z2's slider to its maximum (End), then T one step up (ArrowRight), by keyboard only;
    the chart's data, its accessible name and the announcement follow each change."""
    charts = plot_data(page)
    name = chart_name(page, chart)
    mark_live_region(page)

    tab_to(page, slider(page, "Slide z2"))
    press(page, "End")  # the slider's maximum: +10
    charts = wait_changed(page, charts)
    z = [z[0], 10.0, *z[2:]]
    assert_draws(charts, z, 1.0, labels)
    p = np.exp(np.array(z) - 10) / np.exp(np.array(z) - 10).sum()
    digits = 3  # and more while it would read 1: a probability below 1 never reads 1
    while float(f"{p[1]:.{digits}g}") >= 1:
        digits += 1
    top = f"{labels[1]} has the largest probability, {p[1]:#.{digits}g}"  # zeros kept
    assert top in chart_name(page, chart), chart_name(page, chart)
    assert chart_name(page, chart) != name
    assert_announced(page, f"Prediction at T = 1: {top}.")

    name = chart_name(page, chart)
    tab_to(page, slider(page, "Temperature T"))
    press(page, "ArrowRight")  # one step: 1 → 1.05
    charts = wait_changed(page, charts)
    assert_draws(charts, z, 1.05, also_t1=False)
    assert "T = 1.05" in chart_name(page, chart), chart_name(page, chart)
    assert chart_name(page, chart) != name
    assert_announced(page, "Prediction at T = 1.05: ")


def test_a_slider_moved_key_by_key_is_said_once_it_settles(app_server: AppServer, web: Web) -> None:
    """Thirty presses of a slider's arrow key queued 21 announcements, each a stale
    prediction read for seconds after the student stopped (a screen-reader tour). What the
    page says is said once the value has settled: at most twice for twelve quick presses,
    the last time with the last value."""
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("Playground"), START)
    page.wait_for_timeout(1_000)
    page.evaluate("""() => {
      window.__said = [];
      const region = document.querySelector('.softmax-spoken');
      const note = () => { if (region.textContent) window.__said.push(region.textContent); };
      new MutationObserver(note)
        .observe(region, {childList: true, characterData: true, subtree: true});
    }""")
    thumb = slider(page, "Temperature T")
    thumb.focus()
    for _press in range(12):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(60)
    wait_for_app(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("T = 1.6")
    page.wait_for_timeout(1_500)  # past the settling time
    said = page.evaluate("() => window.__said")
    assert 1 <= len(said) <= 2, said
    assert "Prediction at T = 1.6" in said[-1], said


def choose_option(page: Page, combobox: Locator, option: str, *, limit: int = 30) -> None:
    """Open a select box with ArrowDown, move to ``option`` with arrows, pick it with Enter."""
    expect(combobox).to_be_focused()
    for _ in range(limit):
        press(page, "ArrowDown")
        active = combobox.get_attribute("aria-activedescendant")
        if active and page.locator(f"[id='{active}']").inner_text().strip() == option:
            press(page, "Enter")
            return
    raise AssertionError(f"arrows never reached the option {option!r}")


KEYBOARD_PAGES = [*[p.slug for p in LESSONS], WORKSHOP.slug]


@pytest.mark.parametrize("name", KEYBOARD_PAGES)
def test_keyboard_only(name: str, app_server: AppServer, web: Web) -> None:
    """Each lesson done with the keyboard alone, from page load."""
    page = web.new_page()
    app_page = page_by_name(name)
    open_page(page, app_server.url, app_page, START)
    if name == "Playground":
        # A preset by arrows and Enter: a tie, and the chart's name says so.
        charts = plot_data(page)
        box = page.get_by_role("combobox", name="Load an example", exact=True)
        tab_to(page, box)
        choose_option(page, box, "A tie")
        charts = wait_changed(page, charts)
        assert_draws(charts, [1, 1, 0], 1.0, ["heads", "tails", "edge"])
        assert "heads and tails tie for the largest probability" in chart_name(page)
        change_logit_and_t(page, chart=0, z=[1.0, 1.0, 0.0], labels=["heads", "tails", "edge"])
    elif name in (
        "Softmax_vs_Sigmoid_vs_ReLU",
        "Temperature_and_Sampling",
        "Gradients_and_Cross_Entropy",
    ):
        change_logit_and_t(page, chart=0, z=[2.0, 1.0, 0.1], labels=["dog", "cat", "bird"])
        if name != "Softmax_vs_Sigmoid_vs_ReLU":
            next_tab_by_keyboard(page)
    elif name == "Naive_vs_Stable":
        # The per-class sliders are in a closed expander here: open it with Enter.
        tab_to(page, page.locator("summary", has_text="Each class: name and logit"))
        press(page, "Enter")
        expect(slider(page, "Slide z2")).to_be_visible()
        change_logit_and_t(page, chart=1, z=[2.0, 1.0, 0.1], labels=["dog", "cat", "bird"])
    elif name == "Calibration":
        charts, before = plot_data(page), chart_name(page)
        mark_live_region(page)
        tab_to(page, slider(page, "Overconfidence (1 = calibrated)"))
        press(page, "ArrowRight")
        wait_changed(page, charts)
        assert chart_name(page) != before
        assert_announced(page, "Fitted temperature")
    elif name == "Quiz":
        keyboard_quiz(page)
    elif name == "Workshop":
        keyboard_workshop(page)
    assert_no_exception(page, app_server)


def test_a_page_opened_from_the_menu_by_keyboard_has_the_focus_on_its_title(
    app_server: AppServer, web: Web
) -> None:
    """A menu link pressed with Enter opened the page with the focus on nowhere (the page's
    body): the next Tab went back to the skip link and through the whole menu again, and a
    screen reader said nothing of the new page (a navigation tour). The new page's title
    has the focus, and the next Tab reaches the page's own controls."""
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("Playground"), START)
    link = page.get_by_test_id("stSidebar").get_by_role("link", name="Temperature & sampling")
    tab_to(page, link)
    press(page, "Enter")
    page.wait_for_url(re.compile("/Temperature_and_Sampling"))
    wait_for_app(page)
    title = page.get_by_test_id("stMain").locator("h1").first
    expect(title).to_contain_text("Temperature")
    expect(title).to_be_focused()
    press(page, "Tab")
    inside = page.evaluate(
        """() => !!document.activeElement &&
                 !!document.activeElement.closest("[data-testid='stMain']")"""
    )
    assert inside, page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")


def next_tab_by_keyboard(page: Page) -> None:
    """The further pictures' tabs: Tab reaches the open one, ArrowRight opens the next,
    whose pictures are then drawn, and the focus stays on it."""
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    names = [t.inner_text().strip() for t in tabs.all()]
    opened = page.get_by_test_id("stMain").get_by_role("tab", selected=True)
    assert opened.inner_text().strip() == names[0]
    headings = headings_shown(page)
    tab_to(page, opened)
    press(page, "ArrowRight")
    wait_for_tab(page, headings)
    opened = page.get_by_test_id("stMain").get_by_role("tab", selected=True)
    expect(opened).to_have_text(names[1])
    wait_for_focus_on_open_tab(page, names[1])


FOCUS_ON_OPEN_TAB = """() => { const a = document.activeElement;
  return !!a && a.getAttribute('role') === 'tab' && a.getAttribute('aria-selected') === 'true'
         && a.textContent.trim(); }"""


def wait_for_focus_on_open_tab(page: Page, name: str) -> None:
    """The focus is on the open tab, ``name`` (Playwright's ``to_be_focused`` also needs the
    window to have the system's focus, which a loaded CI machine's headless window lost)."""
    focused = page.wait_for_function(FOCUS_ON_OPEN_TAB, timeout=10_000).json_value()
    assert focused == name, focused


SLOW_SENDS = """(() => {
  // what the page sends the server leaves window.__sendDelay ms later (a classroom's slow
  // Wi-Fi): the run a press starts begins that much later
  const Native = window.WebSocket;
  function Delayed(...args) {
    const ws = new Native(...args);
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      const delay = window.__sendDelay || 0;
      if (delay) window.setTimeout(() => send(data), delay);
      else send(data);
    };
    return ws;
  }
  Delayed.prototype = Native.prototype;
  for (const k of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Delayed[k] = Native[k];
  window.WebSocket = Delayed;
})();"""


@pytest.mark.parametrize("delay", [0, 3000])
def test_a_button_its_run_removes_hands_the_focus_to_the_control_after_it(
    delay: int, app_server: AppServer, web: Web
) -> None:
    """'Load “Next word (NLP)”', pressed with Enter, is gone once the example is loaded: the
    focus fell to the page's body, and the next Tab skipped the top-k controls to land on
    top-p (a keyboard tour). The focus goes to the control that followed the button, also
    when the run begins seconds after the press (a classroom's slow Wi-Fi: the watch gave up
    2 s after the press, and a CI run on a loaded machine lost the focus)."""
    page = web.new_page()
    page.add_init_script(SLOW_SENDS)
    open_page(
        page, app_server.url, page_by_name("Temperature_and_Sampling"), START + "&tab=filters"
    )
    load = page.get_by_role("button", name="Load “Next word (NLP)”")
    tab_to(page, load)
    page.evaluate("ms => { window.__sendDelay = ms; }", delay)
    press(page, "Enter")
    expect(load).to_have_count(0, timeout=30_000)
    page.evaluate("() => { window.__sendDelay = 0; }")
    wait_for_app(page)
    page.wait_for_function("() => document.activeElement !== document.body", timeout=10_000)
    stop = focused(page)
    assert stop is not None and stop.name.startswith("top-k: keep the k most likely"), stop
    assert stop.visible, stop
    press(page, "Tab")
    wait_for_app(page)
    stop = focused(page)
    assert stop is not None and stop.name.startswith("k (1 to the number of classes)"), stop


def test_a_tab_that_loses_the_focus_to_nowhere_gets_it_back(
    app_server: AppServer, page: Page
) -> None:
    """The run that draws a tab opened by keyboard took the focus off it under load (two CI
    runs; reproduced locally with the CPU busy: 2 of 34 tab changes). page.js gives the focus
    back to the open tab once the run is over, unless the reader clicked meanwhile."""
    open_page(page, app_server.url, page_by_name("Temperature_and_Sampling"))
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    names = [t.inner_text().strip() for t in tabs.all()]
    headings = headings_shown(page)
    tab_to(page, tabs.first)
    press(page, "ArrowRight")
    page.evaluate("() => document.activeElement.blur()")  # what the run did, during the run
    wait_for_tab(page, headings)
    wait_for_focus_on_open_tab(page, names[1])
    # a click elsewhere (on text, not a control) leaves the focus where the reader put it
    page.get_by_test_id("stMain").locator("h1").first.click()
    page.wait_for_timeout(500)
    assert not page.evaluate(FOCUS_ON_OPEN_TAB), page.evaluate(
        "() => document.activeElement.outerHTML.slice(0, 80)"
    )


SIDEBAR = "[data-testid='stSidebar']"
_TAB_STOP = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  const sidebar = e.closest("[data-testid='stSidebar']");
  return {name: (e.getAttribute("aria-label") || e.innerText || "").replace(/\\s+/g, " ")
            .trim().slice(0, 50),
          href: e.href ? new URL(e.href).pathname : null,
          left: r.x, right: r.x + r.width, screen: innerWidth,
          sidebar: sidebar ? sidebar.dataset.collapsed : null,
          main: !!e.closest("[data-testid='stMain']") && e.tagName !== "MAIN",
          visible: e.matches(":focus-visible")};
}"""
_SLID = """collapsed => { const s = document.querySelector("[data-testid='stSidebar']");
  return !!s && s.dataset.collapsed === String(collapsed) && s.getAnimations().length === 0; }"""


def sidebar_slid(page: Page, *, collapsed: bool) -> None:
    """Wait until the sidebar is ``collapsed`` (Streamlit's ``data-collapsed``) or open, and
    its slide is over."""
    page.wait_for_function(_SLID, arg=collapsed)


def tab_from_the_top(page: Page, done: Callable[[dict], bool], *, limit: int = 40) -> list[dict]:
    """Tab from the top of the page (the first stop is Streamlit's skip link) until ``done``
    says so of a stop; return the stops, each where it is drawn and whether it is in the
    sidebar (``sidebar``: its ``data-collapsed``, None outside it)."""
    page.get_by_test_id("stSkipToContent").focus()
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(_TAB_STOP)
        assert stop is not None, f"Tab left the page: {[s['name'] for s in stops]}"
        stops.append(stop)
        if done(stop):
            return stops
    raise AssertionError(f"{limit} presses of Tab: {[s['name'] for s in stops]}")


def assert_no_hidden_stop(page: Page) -> None:
    """From the top of the page to the third control in the page's main column, Tab stops
    only where it can be seen: never off the screen's left edge nor in the closed sidebar."""
    in_main = 0

    def third_in_main(stop: dict) -> bool:
        nonlocal in_main
        in_main += stop["main"]
        return in_main == 3

    stops = tab_from_the_top(page, third_in_main)
    hidden = [s["name"] for s in stops if s["right"] <= 0 or s["sidebar"] == "true"]
    assert not hidden, f"{len(hidden)} Tab stops nobody sees: {hidden}"
    assert all(s["visible"] for s in stops), [s["name"] for s in stops if not s["visible"]]
    assert any(s["name"] == "Expand sidebar" for s in stops), [s["name"] for s in stops]


def assert_sidebar_links_by_tab(page: Page) -> None:
    """The open sidebar's page links, every one, in order, by Tab from the top, each drawn
    on the screen with its focus visible."""
    links = sidebar_links(page)
    stops = tab_from_the_top(page, lambda stop: stop["href"] == links[-1])
    reached = [s["href"] for s in stops if s["sidebar"] == "false" and s["href"]]
    assert reached == links, (reached, links)
    for stop in stops:
        if stop["sidebar"] == "false":
            assert 0 <= stop["left"] < stop["right"] <= stop["screen"], stop
            assert stop["visible"], stop


@pytest.mark.parametrize(
    ("view", "query"),
    [
        pytest.param({"viewport": {"width": 1920, "height": 1080}}, "present=1", id="presenter"),
        pytest.param(PHONE, "", id="phone"),
    ],
)
def test_a_closed_sidebar_takes_no_focus(
    view: dict, query: str, app_server: AppServer, web: Web
) -> None:
    """A teacher's keyboard tour: in the presenter view (a 1920 × 1080 projector) the sidebar
    is closed, yet Tab went through its 13 links and controls, 292 px off the screen's left
    edge, before anything on the screen (WCAG 2.4.3, 2.4.7); on a phone too, where it starts
    closed. Open, its page links are reached by Tab as before; closed again by its own
    button, and opened again, the same (the A11Y_CSS in softmax_ui/page.py)."""
    page = web.new_page(**view)
    open_page(page, app_server.url, page_by_name("Playground"), query)
    sidebar = page.locator(SIDEBAR)
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    # the page's CSS hides a closed sidebar once its 300 ms slide is over, counted from when
    # the CSS comes with the page's first run (a loaded CI machine tabbed within them)
    sidebar_slid(page, collapsed=True)
    assert len(sidebar_links(page)) >= 9, "the closed sidebar has no links: the test is blind"
    assert_no_hidden_stop(page)

    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar_slid(page, collapsed=False)
    assert_sidebar_links_by_tab(page)

    sidebar.hover()  # Streamlit shows its close button only under the pointer
    sidebar.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
    sidebar_slid(page, collapsed=True)
    assert_no_hidden_stop(page)

    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar_slid(page, collapsed=False)
    assert_sidebar_links_by_tab(page)
    assert_no_exception(page, app_server)


NEXT_AFTER_CHECK = """() => document.activeElement
    && document.activeElement.tagName === "BUTTON"
    && document.activeElement.textContent.trim() === 'New question'"""


def keyboard_quiz(page: Page) -> None:
    """Answer by keyboard (arrows pick a choice, or type a number), Check with Enter; the
    verdict appears and the checked answer, now disabled, stays readable. Then change a
    logit in the editor's expander and draw a new question about it."""
    radios = page.get_by_test_id("stRadio")
    if radios.count():
        tab_to(page, radios.first)
        press(page, "ArrowDown")  # selects an option
    else:
        box = page.get_by_label(re.compile("^Your answer"))
        tab_to(page, box)
        page.keyboard.type("1")
    tab_to(page, page.get_by_role("button", name="Check", exact=True))
    press(page, "Enter")
    wait_for_app(page)
    expect(
        page.get_by_test_id("stAlert").filter(has_text=re.compile("Right|Not quite"))
    ).to_be_visible()
    # Check, now disabled, lost the focus to nowhere: no ring in sight (a student tour). The
    # focus is on the next control, New question, and shows.
    page.wait_for_function(NEXT_AFTER_CHECK, timeout=10_000)
    stop = focused(page)
    assert stop is not None and stop.name == "New question" and stop.visible, stop
    changed, needed = focus_indicator(page)
    assert changed >= needed, (changed, needed)
    assert not low_contrast_text(page), low_contrast_text(page)

    tab_to(page, page.locator("summary", has_text="The logits new questions are about"))
    press(page, "Enter")
    tab_to(page, slider(page, "Slide z2"))
    press(page, "End")
    wait_for_app(page)
    expect(page.get_by_text("The editor's logits have changed")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="New question", exact=True))
    press(page, "Enter")
    wait_for_app(page)
    expect(
        page.get_by_test_id("stMarkdownContainer").filter(has_text="The logits:")
    ).to_contain_text("10")


def keyboard_workshop(page: Page) -> None:
    """Start the deck and step to the next scene with Tab and Enter."""
    tab_to(page, page.get_by_role("button", name=re.compile("Start the deck")))
    press(page, "Enter")
    page.get_by_text(re.compile(r"Scene 1 of \d+")).wait_for()
    wait_for_app(page)
    tab_to(page, page.get_by_role("button", name=re.compile("Next")))
    press(page, "Enter")
    page.get_by_text(re.compile(r"Scene 2 of \d+")).wait_for()
    wait_for_app(page)
    wait_for_charts(page)


# --- zoom and motion --------------------------------------------------------------------------

ZOOM_200 = {"viewport": {"width": 700, "height": 450}, "device_scale_factor": 2}
"""A 1400 × 900 window at 200 % zoom: 700 × 450 CSS pixels, each drawn 2 × 2."""


def test_the_readers_larger_text_size_is_the_pages(app_server: AppServer, web: Web) -> None:
    """A browser set to larger text (24 px) drew the app at 16 px all the same: Streamlit sets
    the root's size (an old-hardware tour). The page's text follows the reader's setting, the
    menu's page names wrap rather than being cut ("Gradients & cross-entro…"), and nothing
    widens the page."""
    page = web.new_page(viewport={"width": 1366, "height": 768})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24}})
    open_page(page, app_server.url, page_by_name("Gradients_and_Cross_Entropy"), START)
    sizes = page.evaluate(
        """() => [document.documentElement, document.querySelector(
            "[data-testid='stMain'] [data-testid='stMarkdownContainer'] p")]
            .map((el) => parseFloat(getComputedStyle(el).fontSize))"""
    )
    assert sizes == [24, 24], sizes
    cut = page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='stSidebar'] a[href] *")]
            .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent)"""
    )
    assert cut == [], cut
    assert sideways_overflow(page) == {}
    screenshot(page, ARTIFACTS / "a11y" / "text-24px-Gradients.png")


FORCED_MARKS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const bg = (el) => el ? getComputedStyle(el).backgroundColor : null;
  const seen = (el) => !!el && el.getBoundingClientRect().width > 0;
  const thumb = [...main.querySelectorAll(
    "[data-testid='stSlider'] div:has(> div > input[type='range'])")].find(seen);
  const track = thumb && thumb.parentElement.firstElementChild;
  const circle = (checked) => {
    const option = [...main.querySelectorAll("[data-testid='stRadioOption']")]
      .find((o) => seen(o) && o.querySelector("input").checked === checked);
    return option && option.querySelector(":scope > div > div:first-child");
  };
  const on = circle(true), off = circle(false);
  const line = main.querySelector("[role='tab'] .react-aria-SelectionIndicator");
  const toggle = [...main.querySelectorAll("label:has(input[role='switch']:checked) > span + div")]
    .find(seen);
  return {canvas: bg(document.querySelector("[data-testid='stApp']")),
          thumb: bg(thumb), track: bg(track), chosen: bg(on), other: bg(off),
          otherRing: off && getComputedStyle(off).borderTopColor, tab: bg(line),
          toggle: bg(toggle), knob: bg(toggle && toggle.firstElementChild)};
}"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_in_forced_colours_every_control_shows_its_state(
    scheme: str, app_server: AppServer, web: Web
) -> None:
    """Windows High Contrast (forced colours) replaces the page's colours with the system's,
    and what Streamlit draws as a background alone vanished (an old-hardware tour): sliders
    showed only their value, a chosen radio option looked like the others, the open tab had
    no underline, a switch showed only its label. Each is drawn in the system's colours,
    apart from the page's background: slider track and thumb, the chosen option's disc, the
    open tab's line, a switch that is on and its knob."""
    page = web.new_page(forced_colors="active", color_scheme=scheme)
    open_page(page, app_server.url, page_by_name("Naive_vs_Stable"), START)
    marks = page.evaluate(FORCED_MARKS)
    canvas = marks["canvas"]
    assert None not in (marks["thumb"], marks["track"], marks["chosen"], marks["other"]), marks
    for mark in ("thumb", "track", "chosen"):  # drawn: neither the background nor clear
        clear = re.fullmatch(r"rgba\(.*, 0\)", marks[mark])
        assert marks[mark] != canvas and not clear, (mark, marks)
    assert marks["chosen"] != marks["other"] and marks["otherRing"] != canvas, marks
    screenshot(page, ARTIFACTS / "a11y" / f"forced-{scheme}-Naive_vs_Stable.png")
    open_page(page, app_server.url, page_by_name("Temperature_and_Sampling"), START)
    marks = page.evaluate(FORCED_MARKS)
    assert marks["tab"] not in (None, canvas), marks
    open_page(page, app_server.url, page_by_name("Workshop"), "")
    marks = page.evaluate(FORCED_MARKS)
    assert marks["toggle"] not in (None, canvas) and marks["knob"] != marks["toggle"], marks


@pytest.mark.parametrize("app_page", ALL_PAGES, ids=str)
def test_200_percent_zoom(
    app_page: AppPage, app_server: AppServer, web: Web, screenshot_dir
) -> None:
    """At 200 % zoom nothing needs sideways scrolling and every chart fits the window."""
    page = web.new_page(**ZOOM_200)
    open_page(page, app_server.url, app_page, START)
    assert_no_exception(page, app_server)
    overflow = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll("[data-testid='stMain'] *")]
            .filter(e => e.getBoundingClientRect().right > width + 1 && e.checkVisibility()
                      // a wide data table may scroll inside its own box (WCAG 1.4.10 allows
                      // two-dimensional scrolling for data tables); the page itself may not
                      && !e.closest("table")
                      // a slider's input is drawn as its thumb (clipped to nothing itself);
                      // inside a chart's SVG, text is the figure builders' (tests/ui) job
                      && !e.matches("input[type='range'], svg *"))
            .map(e => e.tagName + " " + (e.dataset.testid || e.className).toString().slice(0, 40)
                      + " " + JSON.stringify((e.innerText || "").slice(0, 40)));
          const main = document.querySelector("[data-testid='stMain']");
          // Text cut short with "…" (e.g. a metric's value) is content lost too.
          const cut = [...document.querySelectorAll("[data-testid='stMain'] *")]
            .filter(e => getComputedStyle(e).textOverflow === "ellipsis"
                      && e.scrollWidth > e.clientWidth + 1 && e.checkVisibility())
            .map(e => JSON.stringify(e.innerText.slice(0, 60)));
          return {page: document.documentElement.scrollWidth - width,
                  main: main.scrollWidth - main.clientWidth, wide: wide.slice(0, 10),
                  cut: cut.slice(0, 10)};
        }"""
    )
    assert overflow["page"] <= 0 and overflow["main"] <= 0, overflow
    assert not overflow["wide"] and not overflow["cut"], overflow
    screenshot(page, screenshot_dir / f"zoom200-{app_page.name}.png", full_page=True)


_MOVING = """() => [...document.querySelectorAll("*")].flatMap(e => {
  const cs = getComputedStyle(e);
  const seconds = v => Math.max(...v.split(",").map(
    s => parseFloat(s) * (s.trim().endsWith("ms") ? 0.001 : 1)));
  const moving = [];
  if (cs.animationName !== "none" && seconds(cs.animationDuration) > 0)
    moving.push("animation " + cs.animationName);
  if (cs.transitionProperty !== "none" && seconds(cs.transitionDuration) > 0)
    moving.push("transition " + cs.transitionProperty);
  return moving.map(m => (e.dataset.testid || e.tagName) + ": " + m);
})"""


def test_reduced_motion(app_server: AppServer, web: Web) -> None:
    """With prefers-reduced-motion nothing animates or transitions (Streamlit animates its
    sidebar, expanders and spinners otherwise: checked first, so the test can fail), and
    no chart asks Plotly for a transition."""
    lesson = page_by_name("Calibration")
    normal = web.new_page()
    open_page(normal, app_server.url, lesson)
    assert normal.evaluate(_MOVING), "nothing moves even without reduced motion: test is blind"

    page = web.new_page(reduced_motion="reduce")
    open_page(page, app_server.url, lesson)
    assert page.evaluate(_MOVING) == []
    press(page, "Tab")  # focus changes restyle; still nothing moves
    assert page.evaluate(_MOVING) == []
    transitions = page.locator(".js-plotly-plot").evaluate_all(
        "els => els.map(g => (g.layout || {}).transition || null).filter(Boolean)"
    )
    assert transitions == [], transitions


def test_hostile_labels_are_spoken_as_typed(app_server: AppServer, web: Web) -> None:
    """Labels with HTML, Markdown, LaTeX and a bare URL reach the chart's name, the live
    region and the chart's axis as plain text: no element, link or formula is made of
    them."""
    labels = ["<b>x</b>", "http://e.example/", "**y** $z$", "d"]
    query = urlencode({"z": "3,3,3,0", "labels": ",".join(labels), "T": "1"}, safe=",")
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("Playground"), query)
    assert_no_exception(page, app_server)
    p = np.exp([0.0, 0, 0, -3]) / np.exp([0.0, 0, 0, -3]).sum()
    spoken = (
        "<b>x</b>, http://e.example/ and **y** $z$ tie for the largest probability, "
        f"{p[0]:#.3g} each"
    )
    assert spoken in chart_name(page), chart_name(page)
    region = live_region(page)
    expect(region).to_have_text(f"Prediction at T = 1: {spoken}.")
    assert region.locator("*").count() == 0, region.inner_html()
    # and the chart's axis writes them as typed: "$z$" is no formula (Plotly would typeset it,
    # or, with no MathJax, warn: the page's watch fails on a warning)
    chart = page.get_by_test_id("stPlotlyChart").first
    ticks = chart.locator(".xtick text")
    expect(ticks).to_have_count(len(labels))
    assert ticks.all_text_contents() == labels

"""What a person sees on a phone, a laptop and a projector (issue 10, defects 2, 7, 9, 12).

Each of these visits also runs the accessibility checks (axe-core, text contrast, table
headers: ``tests.browser.a11y.accessibility_problems``) on the page it opened.

* Phone (390×844, touch): nothing widens the page; on each lesson the picture is in view
  while its first slider is; chart titles are whole and no button covers them.
* Laptop: icons are drawn from the font Streamlit ships (no empty boxes), no emoji anywhere.
* Projector (presenter view): the scene bar is below Streamlit's header, no text is cut,
  slider values clear their track; turning the view on keeps the sidebar's next steps.
* Workshop: a scene keeps every setting of its page, through a deck link in a new browser.
"""

from __future__ import annotations

import contextlib
import re
from itertools import pairwise
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from softmax_ui.catalog import LESSONS, PLAYGROUND, QUIZ
from softmax_ui.catalog import PAGES as PAGES_TABLE
from softmax_ui.quiz import new_question
from softmax_ui.quiz_round import next_kind
from softmax_ui.scenes import Scene, encode_deck
from softmax_ui.state import DEFAULT, LESSON_FIELDS, from_query, to_query
from tests.browser.a11y import accessibility_problems
from tests.browser.helpers import (
    ARTIFACTS,
    PHONE,
    PROJECTOR,
    AppPage,
    AppServer,
    Web,
    after_change,
    app_pages,
    assert_draws,
    assert_no_exception,
    chart_drawings,
    choose,
    cut_texts,
    describe,
    emoji_shown,
    first_slider,
    go_by_sidebar,
    material_icons,
    open_page,
    other_tabs,
    page_by_name,
    pages_calling,
    plot_data,
    same_plots,
    screenshot,
    seen_together,
    share_link,
    sideways_overflow,
    slowed_cpu,
    softmax,
    text_clashes,
    type_into,
    wait_for_app,
    wait_for_charts,
    wait_until,
)
from tests.class_names import EIGHT_LONG, EIGHT_NAMES

PAGES = app_pages()
CHART_PAGES = [p for p in pages_calling("chart") if p.name in {page.slug for page in LESSONS}]
"""The lessons with a picture (their first chart is the lesson's main picture)."""
DOG_CAT_BIRD = "z=2,1,0.1&labels=dog,cat,bird&T=1"
DIGITS = (
    "z=-1.2,0.3,1.1,6.2,-2,2.4,-0.8,0.9,3.1,1.7&labels=0,1,2,3,4,5,6,7,8,9&T=1&calib_classes=10"
)
"""The 10-class digit preset (and 10 classes on Calibration): the widest tables and charts."""
LONG_DECK = encode_deck(
    (
        Scene("Temperature_and_Sampling", "A long scene title that has to wrap", DIGITS),
        Scene("Naive_vs_Stable", "Overflow", "z=1000,1001,1002&labels=a,b,c&T=1&dtype=float16"),
    )
)
"""A deck whose settings column is long (the Workshop's deck table was 1071 px wide)."""


def query_for(app_page: AppPage, query: str) -> str:
    return f"{query}&deck={LONG_DECK}" if app_page.name == "Workshop" else query


def main_chart(page: Page) -> Locator:
    return page.get_by_test_id("stMain").get_by_test_id("stPlotlyChart").first


# --- phone ------------------------------------------------------------------------------------


@pytest.mark.parametrize("app_page", PAGES, ids=str)
def test_on_a_phone(app_page: AppPage, app_server: AppServer, web: Web):
    """Issue 10, #7, at 390×844 with touch:

    * nothing widens the page: the Calibration bins table (708 px) and the Workshop deck
      table (1071 px) made the whole page scroll sideways; checked with dog/cat/bird and
      with the 10-class digit preset;
    * the picture is in view while its first slider is: the chart started about 740 px
      below the first slider, so a student could not see the bars while sliding; the first
      slider and the plot area of the lesson's first chart must fit on the screen together,
      neither covered;
    * chart titles are whole and uncovered (long ones were clipped, Plotly's mode bar
      covered "T = 1").
    """
    page = web.new_page(**PHONE)
    open_page(page, app_server.url, app_page, query_for(app_page, DOG_CAT_BIRD))
    assert_no_exception(page, app_server)
    assert sideways_overflow(page) == {}, f"{app_page} with dog/cat/bird"
    problems = accessibility_problems(page, f"{app_page} [phone]")
    assert not problems, "\n".join(problems)
    if app_page in CHART_PAGES:
        slider = first_slider(page)
        assert slider is not None, f"{app_page} has no slider"
        widget = slider.locator("xpath=ancestor::*[@data-testid='stSlider'][1]")
        result = seen_together(page, widget, main_chart(page))
        assert result["together"], result
        assert_titles_whole_and_uncovered(page)
    opened = []
    for tab in other_tabs(page, tap=True):  # each further tab, opened by touch
        opened.append(tab)
        assert_no_exception(page, app_server)
        assert sideways_overflow(page) == {}, f"{app_page}, tab {tab}"
        problems = accessibility_problems(page, f"{app_page} [phone, tab {tab}]")
        assert not problems, "\n".join(problems)
        assert_titles_whole_and_uncovered(page)
    assert len(opened) == max(len(tabs_of(app_page)) - 1, 0), opened
    open_page(page, app_server.url, app_page, query_for(app_page, DIGITS))
    assert_no_exception(page, app_server)
    assert sideways_overflow(page) == {}, f"{app_page} with 10 classes"


def assert_titles_whole_and_uncovered(page: Page) -> None:
    """Every chart's visible title lies within its chart, and nothing drawn over the chart
    when it is touched or hovered (Plotly's mode bar, Streamlit's toolbar) meets it."""
    charts = page.get_by_test_id("stMain").get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        chart.hover()
        page.wait_for_timeout(150)
        found = page.evaluate(TITLES, chart.element_handle())
        assert found["titles"], f"chart {i} shows no title"
        for title in found["titles"]:
            assert title["left"] >= title["boxLeft"] - 1, (i, title)
            assert title["right"] <= title["boxRight"] + 1, (i, title)
            assert title["scrollWidth"] <= title["clientWidth"] + 1, (i, title)
            for cover in found["covers"]:
                assert not overlap(title, cover), (i, title, cover)


TITLES = """
(chart) => {
  const rect = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const textRect = el => { const range = document.createRange();
                           range.selectNodeContents(el);
                           return rect(range.getBoundingClientRect()); };
  const box = chart.getBoundingClientRect();
  const block = chart.closest("[data-testid='stVerticalBlock']");
  const html = block ? [...block.querySelectorAll(':scope > * .chart-title')] : [];
  const titles = [...chart.querySelectorAll('.gtitle'), ...html]
    .filter(t => t.textContent.trim() && t.getClientRects().length
                 && getComputedStyle(t).display !== 'none')
    .map(t => ({text: t.textContent.trim(), ...textRect(t), boxLeft: box.left,
                boxRight: box.right, scrollWidth: t.scrollWidth || 0,
                clientWidth: t.clientWidth || 0}));
  const shown = el => { const s = getComputedStyle(el), r = el.getBoundingClientRect();
                        return s.visibility !== 'hidden' && +s.opacity > 0 && r.width > 0; };
  const covers = [...document.querySelectorAll(".modebar, [data-testid='stElementToolbar']")]
    .filter(shown).map(el => ({what: el.className || el.dataset.testid,
                               ...rect(el.getBoundingClientRect())}));
  // Everything else the chart writes: tick labels, bar labels, legend, axis titles.
  const texts = [...chart.querySelectorAll('text')]
    .filter(t => !t.closest('.gtitle') && t.textContent.trim() && shown(t))
    .map(t => ({what: t.textContent.trim(), ...rect(t.getBoundingClientRect())}));
  return {titles, covers: [...covers, ...texts]};
}
"""


def overlap(a: dict, b: dict) -> bool:
    return min(a["right"], b["right"]) > max(a["left"], b["left"]) and min(
        a["bottom"], b["bottom"]
    ) > max(a["top"], b["top"])


# --- laptop: icons and emoji --------------------------------------------------------------------

ICON_QUERIES = {
    "Naive_vs_Stable": "z=1000,1001,1002&labels=a,b,c&T=1",  # an error alert with its icon
    "Playground": f"{DOG_CAT_BIRD}&top_p=2",  # a warning alert: the link's top_p is refused
}


@pytest.mark.parametrize("app_page", PAGES, ids=str)
def test_on_a_laptop(app_page: AppPage, app_server: AppServer, web):
    """Issue 10, #12: titles, menu entries, buttons and alerts showed empty boxes in a
    browser without a colour-emoji font. Icons are Material Symbols names drawn with the font
    Streamlit ships: each must be one glyph (about 1 em wide) from that font, loaded; and no
    emoji code point may be in what the page shows. Chart titles are whole and uncovered.
    A code box is drawn only where there is code to read (Gradients' samples): one loads
    Streamlit's syntax highlighter, 1.5 MB of script and 0.3 s of a laptop's time per page
    load (the share link had one on every page)."""
    page = web.new_page()
    open_page(page, app_server.url, app_page, ICON_QUERIES.get(app_page.name, DOG_CAT_BIRD))
    assert_no_exception(page, app_server)
    if app_page.name != "Gradients_and_Cross_Entropy":
        expect(page.get_by_test_id("stCode")).to_have_count(0)
    icons = material_icons(page)
    for icon in icons:
        assert icon["loaded"], icon
        if icon["shown"]:
            assert 0.6 * icon["size"] <= icon["width"] <= 1.5 * icon["size"], icon
    places = {icon["where"] for icon in icons}
    title = page.get_by_test_id("stHeading").first
    assert material_icons_in(page, title), "the page title has no icon"
    menu = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink")
    assert menu.count() == len(PAGES)
    for i in range(menu.count()):
        assert material_icons_in(page, menu.nth(i)), menu.nth(i).inner_text()
    if app_page.name in ICON_QUERIES:
        assert "stAlertDynamicIcon" in places, places
    assert emoji_shown(page) == []
    assert_titles_whole_and_uncovered(page)
    problems = accessibility_problems(page, f"{app_page} [desktop]")
    assert not problems, "\n".join(problems)
    opened = []
    for tab in other_tabs(page):  # each further tab
        opened.append(tab)
        assert_no_exception(page, app_server)
        assert emoji_shown(page) == []
        assert_titles_whole_and_uncovered(page)
        problems = accessibility_problems(page, f"{app_page} [desktop, tab {tab}]")
        assert not problems, "\n".join(problems)
    assert len(opened) == max(len(tabs_of(app_page)) - 1, 0), opened


def tabs_of(app_page: AppPage) -> tuple[str, ...]:
    """The tabs of further pictures the catalogue gives ``app_page``."""
    return next(p.tabs for p in PAGES_TABLE if p.path == app_page.script)


def material_icons_in(page: Page, locator: Locator) -> list[str]:
    return locator.evaluate(
        """el => [...el.querySelectorAll('*')]
                  .filter(e => getComputedStyle(e).fontFamily.includes('Material Symbols'))
                  .map(e => e.textContent)"""
    )


TAB_BAR = """() => [...document.querySelectorAll("[data-testid='stMain'] [role='tablist']")]
  .map(bar => ({names: [...bar.querySelectorAll("[role='tab']")].map(t => t.textContent),
                scrollWidth: bar.scrollWidth, clientWidth: bar.clientWidth}))"""


CHART_FONTS = """() => [...document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")]
  .map(g => g._fullLayout.font.size)"""
BODY_TEXT_PX = """() => parseFloat(getComputedStyle(document.querySelector(
  "[data-testid='stMain'] [data-testid='stMarkdownContainer'] p")).fontSize)"""


# (English, and French, the longest words; Spanish's are alike: one fewer for CI's 20 minutes)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_presenter_view_on_a_phone_keeps_a_phones_type(
    lang: str, app_server: AppServer, web: Web
):
    """At 390×844 a student following a teacher who presents gets the presenter view (its
    hidden parts travel in the view). Its projector-sized type crowded a phone: chart axis
    titles cut ("temperatura T (escala logar…"), the Jacobian's numbers run together, the
    tab bar scrolled and hid "From argmax to uniform". On a phone the page keeps a phone's
    type, its charts too (the page script tells the server the screen is narrow); every tab's
    name is in sight, chart titles are whole, nothing scrolls sideways. Every tab is opened
    in French (the longest words); the first tab in the other languages."""
    page = web.new_page(**PHONE)
    checked = 0
    for app_page in [p for p in PAGES if tabs_of(p)]:
        open_page(page, app_server.url, app_page, f"present=1&lang={lang}")
        assert page.evaluate(CHART_FONTS) and set(page.evaluate(CHART_FONTS)) == {16}
        assert page.evaluate(BODY_TEXT_PX) <= 17, page.evaluate(BODY_TEXT_PX)
        bars = page.evaluate(TAB_BAR)
        assert len(bars) == 1, (app_page, bars)
        bar = bars[0]
        assert len(bar["names"]) == len(tabs_of(app_page)), (app_page, bar)
        assert bar["scrollWidth"] <= bar["clientWidth"] + 1, (app_page, lang, bar)
        assert cut_texts(page, page.get_by_test_id("stMain").get_by_role("tab")) == []
        assert sideways_overflow(page) == {}, f"{app_page} presenting"
        assert_titles_whole_and_uncovered(page)
        for tab in other_tabs(page, tap=True) if lang == "fr" else ():
            assert set(page.evaluate(CHART_FONTS)) <= {16}, tab
            assert sideways_overflow(page) == {}, f"{app_page}, tab {tab}, presenting"
            assert_titles_whole_and_uncovered(page)
        checked += 1
    assert checked == 2


SIDEWAYS = {"viewport": {"width": 844, "height": 390}, "is_mobile": True, "has_touch": True}
"""A phone held sideways: a short touch screen, wide enough for Streamlit's columns."""

SIDEWAYS_STATE = """() => {
  const header = document.querySelector("[data-testid='stHeader']").getBoundingClientRect();
  const chart = document.querySelector(
    "[data-testid='stMain'] .st-key-docked_picture [data-testid='stPlotlyChart']");
  return {sidebarRight: document.querySelector("[data-testid='stSidebar']")
            .getBoundingClientRect().right,
          room: innerHeight - header.bottom, chart: chart.getBoundingClientRect().height};
}"""


@pytest.mark.parametrize("lesson", ["Playground", "Temperature_and_Sampling"])
def test_a_phone_held_sideways_shows_the_picture_beside_the_slider(
    lesson: str, app_server: AppServer, web: Web
):
    """At 844×390 with touch (a student tour): Streamlit opened the sidebar over 300 of the
    844 px on every page load (its close button invisible until tapped), and with it closed
    the main chart was 400 px tall on a 390 px screen, so the bars were off-screen while the
    student dragged T. The page opens with the sidebar closed; the lesson's picture fits the
    screen below the header, and T's slider and the picture's plot area can be seen
    together, also after T moved."""
    page = web.new_page(**SIDEWAYS)
    open_page(page, app_server.url, page_by_name(lesson), "z=2,1,0.1&T=1")
    assert_no_exception(page, app_server)
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    page.wait_for_timeout(500)  # the sidebar slides away
    state = page.evaluate(SIDEWAYS_STATE)
    assert state["sidebarRight"] <= 0, state
    assert 0 < state["chart"] <= state["room"], state
    assert sideways_overflow(page) == {}
    group = page.get_by_test_id("stMain").get_by_role("group", name="Temperature T", exact=True)
    widget = group.locator("xpath=ancestor::*[@data-testid='stSlider'][1]")
    result = seen_together(page, widget, main_chart(page))
    assert result["together"], result
    screenshot(page, ARTIFACTS / "layout" / f"sideways-{lesson}.png")
    before = plot_data(page)
    thumb = group.get_by_role("slider")
    thumb.focus()
    thumb.press("ArrowRight")
    after_change(page, before)
    result = seen_together(page, widget, main_chart(page))
    assert result["together"], result
    assert 0 < page.evaluate(SIDEWAYS_STATE)["chart"] <= state["room"]


SMALL_SIDEWAYS = {"viewport": {"width": 740, "height": 360}, "is_mobile": True, "has_touch": True}
"""A small Android phone held sideways."""

SEEN_WHOLE = """(el) => {  // scrolled into view: wholly in the window below the header, uncovered
  const top = document.querySelector("[data-testid='stHeader']").getBoundingClientRect().bottom;
  el.style.scrollMarginTop = `${top + 8}px`;
  el.scrollIntoView({block: 'start'});
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {top: Math.round(r.top), bottom: Math.round(r.bottom), window: [top, innerHeight],
          seen: r.top >= top - 0.5 && r.bottom <= innerHeight + 0.5 && !!hit && el.contains(hit),
          hit: hit ? hit.outerHTML.slice(0, 80) : null};
}"""


@pytest.mark.parametrize("screen", [SIDEWAYS, SMALL_SIDEWAYS], ids=["844x390", "740x360"])
def test_on_a_phone_held_sideways_what_follows_the_picture_can_be_reached(
    screen: dict, app_server: AppServer, web: Web
):
    """Gradients at 844×390: the target class's box and the picture's numbers (p(target),
    the loss) sit under the picture in its column, and the picture, stuck at the top of the
    screen, covered them at every scroll: the target could not be chosen (a tour). Each can
    be scrolled into view uncovered, and the target's list opens at a tap; the picture still
    stays beside the slider."""
    page = web.new_page(**screen)
    open_page(page, app_server.url, page_by_name("Gradients_and_Cross_Entropy"), "z=2,1,0.1")
    main = page.get_by_test_id("stMain")
    target = main.get_by_test_id("stSelectbox").filter(has_text="Target")
    for part in (target, main.get_by_test_id("stMetric").first):
        where = part.evaluate(SEEN_WHOLE)
        assert where["seen"], where
    target.evaluate(SEEN_WHOLE)
    target.get_by_role("combobox").tap()
    expect(page.get_by_role("option", name="cat", exact=True)).to_be_visible()
    page.get_by_role("option", name="cat", exact=True).tap()
    wait_for_app(page)
    expect(main.get_by_test_id("stMetric").first).to_contain_text("0.242")
    group = main.get_by_role("group", name="Temperature T", exact=True)
    widget = group.locator("xpath=ancestor::*[@data-testid='stSlider'][1]")
    result = seen_together(page, widget, main_chart(page))
    assert result["together"], result
    assert sideways_overflow(page) == {}


# the smaller of the two sideways phones, the harder to fit (one screen fewer for CI's time)
@pytest.mark.parametrize("screen", [SMALL_SIDEWAYS], ids=["740x360"])
def test_on_a_phone_held_sideways_the_compared_charts_are_alike_and_fit(
    screen: dict, app_server: AppServer, web: Web
):
    """Naive vs stable at c = 800 on a phone held sideways: the naive chart was 310 px tall
    (capped as the main picture) and the stable one 436, taller than the screen: equal bars
    looked unequal (a tour). Both are drawn at one height, and every chart of the page, with
    the tab charts of Temperature, fits the screen below the header. Also in the presenter
    view (a phone held sideways is no projector: Naive vs stable's projector layout put its
    naive chart after every other part of the page there, a review)."""
    page = web.new_page(**screen)
    for lesson, query in (
        ("Naive_vs_Stable", "z=2,1,0.1&offset=800"),
        ("Naive_vs_Stable", "z=2,1,0.1&offset=800&present=1"),
        ("Temperature_and_Sampling", "z=2,1,0.1&tab=filters"),
    ):
        open_page(page, app_server.url, page_by_name(lesson), query)
        wait_for_charts(page)
        sizes = page.evaluate("""() => {
          const top = document.querySelector("[data-testid='stHeader']")
            .getBoundingClientRect().bottom;
          return {room: innerHeight - top, charts: [...document.querySelectorAll(
            "[data-testid='stMain'] [data-testid='stPlotlyChart']")].map(c =>
              Math.round(c.getBoundingClientRect().height))};
        }""")
        assert sizes["charts"] and all(0 < h <= sizes["room"] for h in sizes["charts"]), sizes
        if lesson == "Naive_vs_Stable":
            naive, stable = chart_drawings(page)[:2]
            assert abs(naive["plot"].h - stable["plot"].h) <= 1, (naive["plot"], stable["plot"])
            assert abs(naive["box"].h - stable["box"].h) <= 1
            # the naive chart first (docked), then the stable one: the page's order
            tops = page.evaluate(
                """() => [...document.querySelectorAll("[data-testid='stMain'] "
                    + "[data-testid='stPlotlyChart']")].map(c => c.getBoundingClientRect().top)"""
            )
            assert tops[0] <= tops[1] and tops[1] <= tops[2], tops
        assert sideways_overflow(page) == {}


@pytest.mark.parametrize("screen", [SIDEWAYS, SMALL_SIDEWAYS], ids=["844x390", "740x360"])
@pytest.mark.parametrize(
    ("lesson", "query"),
    [("Calibration", ""), ("Temperature_and_Sampling", "z=2,1,0.1&tab=filters")],
)
def test_on_a_phone_held_sideways_a_chart_with_a_legend_keeps_its_plot(
    lesson: str, query: str, screen: dict, app_server: AppServer, web: Web
):
    """Calibration at 844×390: the reliability diagram, as tall as the screen, kept the band
    above its plot for a legend on a phone held upright, and its plot was 80 px tall with
    eleven y labels drawn over one another (a tour). The legend goes beside the plot, on the
    right, where the screen has room: the plot takes at least half the chart, and no text of
    the chart meets another."""
    page = web.new_page(**screen)
    open_page(page, app_server.url, page_by_name(lesson), query)
    wait_for_charts(page)
    drawings = [d for d in chart_drawings(page) if d["legend"]]
    assert drawings, lesson
    for drawing in drawings:
        plot, legend = drawing["plot"], drawing["legend"]["box"]
        assert plot.h >= 0.5 * drawing["box"].h, (plot, drawing["box"])
        assert legend.x >= plot.right - 1, (legend, plot)
        assert text_clashes(drawing["texts"]) == []
    assert sideways_overflow(page) == {}
    screenshot(page, ARTIFACTS / "layout" / f"sideways-legend-{lesson}.png")


def test_on_a_phone_held_sideways_the_sidebar_closes_after_a_page_is_chosen(
    app_server: AppServer, web: Web
):
    """At 844×390 the open sidebar sits beside the page (544 of 844 px left to it, the logit
    boxes 45 px wide) and stayed open after a page was chosen in it (a tour); as on a phone
    held upright, choosing a page closes it."""
    page = web.new_page(**SIDEWAYS)
    open_page(page, app_server.url, page_by_name("Playground"), "")
    page.get_by_test_id("stExpandSidebarButton").tap()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    sidebar.get_by_role("link", name="Temperature & sampling").tap()
    page.wait_for_url(re.compile("/Temperature_and_Sampling"))
    wait_for_app(page)
    expect(sidebar).to_have_attribute("data-collapsed", "true")


IN_VIEW = """([answer, button]) => {
  const top = document.querySelector("[data-testid='stHeader']").getBoundingClientRect().bottom;
  const a = answer.getBoundingClientRect(), b = button.getBoundingClientRect();
  const seen = (r) => Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, top));
  return {answer: [Math.round(a.top), Math.round(a.bottom)], button: Math.round(b.top),
          window: [Math.round(top), innerHeight], shown: seen(a) / a.height,
          buttonSeen: b.top >= top - 0.5 && b.bottom <= innerHeight + 0.5};
}"""


def assert_scrolled_into_view(page: Page, answer: Locator, button: Locator, share: float) -> None:
    """``answer`` comes into view (at least ``share`` of its height below the header) and the
    ``button`` that drew it stays in sight."""
    handles = [answer.element_handle(), button.element_handle()]
    with contextlib.suppress(PlaywrightTimeoutError):  # then the assertion says where it is
        page.wait_for_function(
            f"(h) => ({IN_VIEW})(h).shown >= {share}", arg=handles, timeout=10_000
        )
    where = page.evaluate(IN_VIEW, handles)
    assert where["shown"] >= share and where["buttonSeen"], where


# the smaller of the two sideways phones, the harder to fit (one screen fewer for CI's time)
@pytest.mark.parametrize("screen", [SMALL_SIDEWAYS], ids=["740x360"])
def test_on_a_phone_held_sideways_a_press_shows_what_it_draws(
    screen: dict, app_server: AppServer, web: Web
):
    """At 844×390 the quiz's verdict was drawn just under the screen's foot after Check, and
    the learning steps' chart 150 px below it after "Take a gradient step": the student saw
    nothing happen (a tour). After the press the page scrolls: the verdict is wholly in view,
    the chart (its title and plot) at least nine tenths, and the pressed button stays in
    sight."""
    page = web.new_page(**screen)
    main = page.get_by_test_id("stMain")
    open_page(page, app_server.url, page_by_name("Quiz"), "seed=3")
    main.get_by_role("radiogroup").locator("label").first.tap()
    wait_for_app(page)
    check = main.get_by_role("button", name="Check")
    check.tap()
    verdict = main.locator(".st-key-answer_verdict [data-testid='stAlert']")
    expect(verdict).to_be_visible()
    assert_scrolled_into_view(page, verdict, check, 1)

    open_page(page, app_server.url, page_by_name("Gradients_and_Cross_Entropy"), "tab=steps")
    step = main.get_by_role("button", name="Take a gradient step")
    step.scroll_into_view_if_needed()
    step.tap()
    drawn = main.locator(".st-key-answer_steps [data-testid='stPlotlyChart']")
    expect(drawn).to_be_visible()
    with_title = drawn.locator("xpath=ancestor::*[@data-testid='stVerticalBlock'][1]")
    assert_scrolled_into_view(page, with_title, step, 0.9)
    screenshot(page, ARTIFACTS / "layout" / "sideways-steps.png")
    # a press of another control (the learning rate's +) leaves the page where it is
    rate = main.get_by_test_id("stNumberInput").filter(has_text="Learning rate")
    rate.scroll_into_view_if_needed()
    scrolled = main.evaluate("m => m.scrollTop")
    rate.get_by_test_id("stNumberInputStepUp").tap()
    expect(rate.locator("input")).to_have_value("0.6")
    wait_for_app(page)
    page.wait_for_timeout(1_000)  # past the run: part 13 would have moved the page by now
    assert main.evaluate("m => m.scrollTop") == scrolled


def test_a_press_whose_run_starts_late_still_brings_its_answer_into_view(
    app_server: AppServer, web: Web
):
    """On a busy server the press's run can start after the page script's 2 s look for it:
    the page script scrolled then, to a place not yet drawn, and the learning steps' chart
    came half below the foot of a phone held sideways (a loaded test run). It waits for the
    place to be drawn anew. Here the press reaches the server 3 s late: the page's messages
    to the server are held meanwhile."""
    page = web.new_page(**SIDEWAYS)
    held: list = []
    holding = [False]
    servers: list = []

    def route(ws) -> None:
        server = ws.connect_to_server()
        servers.append(server)
        ws.on_message(lambda message: held.append(message) if holding[0] else server.send(message))

    page.route_web_socket(re.compile(r".*/_stcore/stream"), route)
    main = page.get_by_test_id("stMain")
    open_page(page, app_server.url, page_by_name("Gradients_and_Cross_Entropy"), "tab=steps")
    step = main.get_by_role("button", name="Take a gradient step")
    step.scroll_into_view_if_needed()
    holding[0] = True
    step.tap()
    page.wait_for_timeout(3_000)
    holding[0] = False
    assert held, "the press sent nothing to hold"
    for message in held:
        servers[-1].send(message)
    drawn = main.locator(".st-key-answer_steps [data-testid='stPlotlyChart']")
    expect(drawn).to_be_visible()
    with_title = drawn.locator("xpath=ancestor::*[@data-testid='stVerticalBlock'][1]")
    assert_scrolled_into_view(page, with_title, step, 0.9)


# --- projector: presenter view ----------------------------------------------------------------


def scene_link(number: int, **changes) -> str:
    state = DEFAULT.at_scene(number).replace(present=True, **changes)
    return urlencode(to_query(state), safe=",")


SCENES = {
    2: "Playground",
    3: "Temperature_and_Sampling",
    5: "Naive_vs_Stable",
    7: "Gradients_and_Cross_Entropy",
}
"""Scenes of the default deck on pages with metrics, sliders and side-by-side charts."""


@pytest.mark.parametrize("number", sorted(SCENES))
@pytest.mark.parametrize("sidebar", ["closed", "open"])
def test_on_a_projector(number: int, sidebar: str, app_server, web: Web):
    """Issue 10, #9, in the presenter view at 1280×800: the scene bar started under
    Streamlit's header, "Leave deck" showed as "Leave d…" (also with the sidebar open),
    "Predicted class (arg…" was cut and slider values overprinted their track. Chart titles
    are whole and uncovered at the projector's type size too."""
    page = web.new_page(**PROJECTOR)
    open_page(page, app_server.url, page_by_name(SCENES[number]), scene_link(number))
    if sidebar == "open":
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
        page.wait_for_timeout(500)  # the sidebar slides in
    header = page.get_by_test_id("stHeader").bounding_box()
    buttons = [
        page.get_by_test_id("stMain").get_by_role("button", name=name)
        for name in ("Previous", "Next", "Leave deck")
    ]
    for button in buttons:
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert header is not None and box is not None
        assert box["y"] >= header["y"] + header["height"], (box, header)
        assert cut_texts(page, button) == []
    metrics = page.get_by_test_id("stMetricLabel")
    assert metrics.count() or SCENES[number] == "Naive_vs_Stable"
    assert cut_texts(page, page.get_by_test_id("stMain").get_by_test_id("stHeading")) == []
    assert cut_texts(page, metrics) == []
    labels = page.get_by_test_id("stMain").get_by_test_id("stWidgetLabel")
    assert cut_texts(page, labels) == []
    for problem in page.evaluate(SLIDER_VALUES):
        raise AssertionError(problem)
    # a slider's value at a size the room reads (it was 14 px beside 23 px text; found by a
    # student tour), clear of the slider's label above it
    values = page.evaluate(SLIDER_VALUE_SIZES)
    assert values and all(px >= 19 and clear for px, clear in values), values
    assert_titles_whole_and_uncovered(page)
    assert set(page.evaluate(CHART_FONTS)) == {24}  # a projector's type (a phone keeps its own)
    assert page.evaluate(BODY_TEXT_PX) > 20


def test_a_deck_started_in_the_presenter_view_closes_the_sidebar(app_server, web: Web):
    """The presenter view turned on in the sidebar leaves the sidebar open (what to hide and
    the share link are there), but a deck started in it closes it: on a 1280 px projector the
    sidebar took a fifth of the width and the scenes' charts were below the screen (a
    projector tour); also when the reader closed and opened it before. A sidebar opened
    again during the deck stays open, and Back and Next make one entry per scene."""
    page = web.new_page(viewport={"width": 1280, "height": 720})
    open_page(page, app_server.url, page_by_name("Workshop"))
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    # closed and opened by hand once (Streamlit then keeps the reader's choice in the browser)
    sidebar.hover()
    sidebar.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    page.wait_for_timeout(800)  # the sidebar slides out (a click meanwhile was lost: CI run 90)
    page.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false", timeout=10_000)
    page.wait_for_timeout(800)  # and in
    sidebar.get_by_text("Presenter view (for a projector)").click()
    sidebar.get_by_text("Presenter view: large type for a projector").click()
    wait_until(lambda: "present=1" in page.evaluate("location.href"), message="present=1")
    wait_for_app(page)
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    page.get_by_role("button", name="Start the deck at scene 1").click()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Scene 1 of 8", exact=True)).to_be_visible()
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    page.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    main.get_by_role("button", name="Next", exact=True).click()
    expect(main.get_by_text("Scene 2 of 8", exact=True)).to_be_visible()
    wait_for_app(page)
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    assert_no_exception(page, app_server)


def test_on_a_720_px_projector_the_scenes_chart_is_in_view(app_server, web: Web):
    """At 1280 × 720, the most common projector, the scene bar, the title and the page's
    reason put the Playground's chart at 355 px, and its bars and class names ended below
    the screen (a projector tour): the presenter view takes less room above it there. Naive
    vs stable's charts come beside its controls there."""
    page = web.new_page(viewport={"width": 1280, "height": 720})
    open_page(page, app_server.url, page_by_name("Playground"), scene_link(2))
    wait_for_charts(page)
    lowest = page.evaluate(
        """() => Math.max(...[...document.querySelector("[data-testid='stPlotlyChart']")
            .querySelectorAll('.xtick text, .bars path')]
            .map(e => e.getBoundingClientRect().bottom))"""
    )
    assert lowest <= 720, lowest
    assert_titles_whole_and_uncovered(page)
    # Naive vs stable's scene "slide c": its two charts beside the slider, not under it (at
    # 910 px, below the screen: a projector tour). Each chart's tallest bar and its value
    # are in view while c moves, and the slider too.
    for lang in ("en", "fr"):  # in French the bar and the reason take two lines more
        link = f"{scene_link(5)}&lang={lang}"
        open_page(page, app_server.url, page_by_name("Naive_vs_Stable"), link)
        wait_for_charts(page)
        assert_naive_charts_beside_c(page)
    assert_titles_whole_and_uncovered(page)


def assert_naive_charts_beside_c(page: Page) -> None:
    """Naive vs stable's two charts are level, right of the c slider, and their tallest bars
    and the slider are on a 720 px screen."""
    where = page.evaluate(
        """() => {
          const charts = [...document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")];
          const bars = charts.slice(0, 2).map(c => Math.min(...[...c.querySelectorAll(
              '.bars path, .bartext')].map(e => e.getBoundingClientRect().top)));
          const slider = [...document.querySelectorAll(
              "[data-testid='stMain'] [data-testid='stSlider']")]
            .find(s => / c$/.test(s.innerText.split('\\n')[0].trim())).getBoundingClientRect();
          const [a, b] = charts.map(c => c.getBoundingClientRect());
          return {bars, slider: [slider.top, slider.bottom, slider.right],
                  charts: [a.left, b.left, a.top, b.top]};
        }"""
    )
    assert all(top < 720 - 20 for top in where["bars"]), where  # 20 px of it at least
    assert where["slider"][1] <= 720 and where["slider"][2] < where["charts"][0], where
    assert where["charts"][2] == where["charts"][3] and where["charts"][0] < where["charts"][1]


SLIDER_VALUES = """
() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stSlider']")]
  .flatMap(slider => {
    const value = slider.querySelector("[data-testid='stSliderThumbValue']");
    const track = [...slider.querySelectorAll('[role=group] div')]
      .filter(d => d.getBoundingClientRect().width > 50)
      .sort((a, b) => a.getBoundingClientRect().height - b.getBoundingClientRect().height)[0];
    if (!value || !track) return [];
    const v = value.getBoundingClientRect(), t = track.getBoundingClientRect();
    return v.bottom > t.top + 0.5
      ? [`slider ${slider.innerText.split('\\n')[0]}: value ${Math.round(v.top)}-`
         + `${Math.round(v.bottom)} px overprints its track at ${Math.round(t.top)} px`]
      : [];
  })
"""


METRIC_LINES = """() => [...document.querySelectorAll(
    "[data-testid='stMain'] [data-testid='stMetricValue']")].map(value => {
    const tops = new Set();
    const walk = document.createTreeWalker(value, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const box of range.getClientRects()) if (box.width > 0) tops.add(Math.round(box.top));
    }
    return [value.textContent, tops.size];
  })"""


@pytest.mark.parametrize("lesson", ["Playground", "Gradients_and_Cross_Entropy"])
def test_a_metrics_number_stays_on_one_line_on_a_small_projector(lesson: str, app_server, web: Web):
    """The presenter view's type in a 1000 px wide window, in Spanish: the entropy read
    "0,847" / "nats" and the loss "0,417" / "nats", number and unit wrapped apart (found by a
    student tour; a no-break space between them broke the unit itself, "0,847 n" / "ats").
    A metric's unit is in its label now, and its value, a number, keeps one line."""
    page = web.new_page(viewport={"width": 1000, "height": 800})
    open_page(page, app_server.url, page_by_name(lesson), "present=1&lang=es")
    values = page.evaluate(METRIC_LINES)
    numbers = [(text, lines) for text, lines in values if re.fullmatch(r"[\d,]+", text)]
    assert len(numbers) == 2, values
    assert [lines for _text, lines in numbers] == [1, 1], values
    labels = page.get_by_test_id("stMain").get_by_test_id("stMetricLabel").all_inner_texts()
    assert any("(nats)" in label or "en nats" in label for label in labels), labels


@pytest.mark.parametrize("present", ["", "&present=1"])
def test_a_long_probability_stays_on_one_line_beside_the_sidebar(
    present: str, app_server, web: Web
):
    """Temperature at T = 0.1 in a 1280 × 800 window with the sidebar open, in Spanish: the
    probability read "0,999999" / "998", broken in the middle of the number (a teacher's
    tour; the metrics' columns are 150 px wide there), and then "1 − 2,1e-09" broke at its
    spaces (CI run 78). The number's type shrinks to fit (page.js), and only where it does
    not fit."""
    page = web.new_page(viewport={"width": 1280, "height": 800})
    query = f"z=3,1,0.5&labels=perro,gato,p%C3%A1jaro&T=0.1&lang=es{present}"
    open_page(page, app_server.url, page_by_name("Temperature_and_Sampling"), query)
    values = page.evaluate(METRIC_LINES)
    near = "1\xa0−\xa02,1e-09"
    numbers = [(text, lines) for text, lines in values if re.fullmatch(r"[\d,]+", text)]
    numbers += [(text, lines) for text, lines in values if text == near]
    assert near in [text for text, _lines in numbers], values
    assert all(lines == 1 for _text, lines in numbers), values
    sizes = dict(
        page.get_by_test_id("stMain")
        .get_by_test_id("stMetricValue")
        .evaluate_all(
            """vs => vs.map(v => [v.innerText.trim(),
                                  parseFloat(getComputedStyle([...v.querySelectorAll('*')]
                                                              .pop() || v).fontSize)])"""
        )
    )
    assert 18 <= sizes[near] <= sizes["perro"], sizes  # still read from the back
    assert sizes["0,000"] == sizes["perro"], sizes  # a value that fits keeps its size


SLIDER_VALUE_SIZES = """
() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stSlider']")]
  .map(slider => {
    const value = slider.querySelector("[data-testid='stSliderThumbValue'] p");
    const label = slider.parentElement.querySelector("[data-testid='stWidgetLabel'] p");
    const v = document.createRange();
    v.selectNodeContents(value);
    let clear = true;
    if (label) {  // the drawn text of each, not their boxes' line spacing
      const l = document.createRange();
      l.selectNodeContents(label);
      clear = l.getBoundingClientRect().bottom <= v.getBoundingClientRect().top + 0.5;
    }
    return [parseFloat(getComputedStyle(value).fontSize), clear];
  })
"""


CHIP_SIZES = """() => [...document.querySelectorAll(
    "[data-testid='stMain'] [data-testid='stMultiSelect'] [data-tag] > span")]
  .map(chip => parseFloat(getComputedStyle(chip).fontSize))"""


@pytest.mark.parametrize("screen", ["projector", "large projector", "phone"])
def test_the_chosen_chips_are_large_on_a_projector(screen: str, app_server, web: Web):
    """In the presenter view the activations chosen on Softmax vs sigmoid vs ReLU (a
    multiselect's chips, the words a teacher points at) were 14 px beside 23 px text (a
    student tour); on a projector they are at least 19 px, whole; a phone keeps its 14 px."""
    size = {
        "projector": PROJECTOR,
        "large projector": {"viewport": {"width": 1920, "height": 1080}},
        "phone": PHONE,
    }[screen]
    page = web.new_page(**size)
    open_page(page, app_server.url, page_by_name("Softmax_vs_Sigmoid_vs_ReLU"), "present=1")
    chips = page.evaluate(CHIP_SIZES)
    assert len(chips) == 2, chips  # sigmoid and ReLU
    if screen == "phone":
        assert all(px <= 15 for px in chips), chips
        return
    assert all(px >= 19 for px in chips), chips
    main = page.get_by_test_id("stMain")
    assert cut_texts(page, main.get_by_test_id("stMultiSelect")) == []
    box = main.get_by_test_id("stMultiSelect").first
    box.scroll_into_view_if_needed()
    box.screenshot(path=str(ARTIFACTS / "layout" / f"chips-{screen.replace(' ', '-')}.png"))


def test_a_decks_share_link_is_legible_on_a_projector(app_server, web: Web):
    """The Workshop in the presenter view: the deck's share link was 14 px beside 23 px
    text, hard to read off a projector (found by a student tour)."""
    page = web.new_page(**PROJECTOR)
    open_page(page, app_server.url, page_by_name("Workshop"), "present=1")
    code = page.get_by_test_id("stMain").locator(".link-box-text").first
    expect(code).to_contain_text("present=1")
    assert code.evaluate("c => parseFloat(getComputedStyle(c).fontSize)") >= 19
    assert not sideways_overflow(page)


HEADINGS_PX = """() => [...document.querySelectorAll(
    "[data-testid='stMain'] :is(h1, h2, h3, h4, h5, h6)")]
  .map(h => [h.tagName, h.textContent, parseFloat(getComputedStyle(h).fontSize)])"""


def test_a_quiz_question_is_larger_than_the_text_around_it_on_a_projector(app_server, web: Web):
    """The quiz in the presenter view: the question (then an h4) was 24 px beside 23 px body
    text, no larger than the logits above it and the answers below it, so it did not read as
    the question (found by a student tour). Every heading of the page is at least 1.2 times
    its body text."""
    page = web.new_page(**PROJECTOR)
    open_page(page, app_server.url, page_by_name("Quiz"), "present=1")
    body = page.evaluate(BODY_TEXT_PX)
    headings = page.evaluate(HEADINGS_PX)
    prompt = page.locator(".st-key-question_prompt h2")
    expect(prompt).to_have_count(1)
    assert prompt.inner_text() in [text for _tag, text, _px in headings], headings
    assert all(px >= 1.2 * body for _tag, _text, px in headings), (body, headings)
    options = page.get_by_test_id("stMain").get_by_test_id("stRadio").locator("label p")
    if options.count():
        assert options.first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)") >= body


RADIO_OPTIONS = """() => [...document.querySelectorAll(
    "[data-testid='stMain'] [data-testid='stRadioOption']")].map(o => {
  const box = o.getBoundingClientRect();
  return {text: o.textContent, top: box.top, bottom: box.bottom, width: box.width,
          height: box.height};
})"""


@pytest.mark.parametrize(
    "seed, lang", [(1, "fr"), (8, "en")], ids=["short answers in French", "long answers"]
)
def test_on_a_phone_each_quiz_answer_is_a_target_a_finger_can_tap(
    seed: int, lang: str, app_server: AppServer, web: Web
):
    """The quiz at 390×844 (touch): each answer was 22 px tall, stacked with no gap ("à
    T = 2", 63×22 px; a student tour), under WCAG 2.5.8's 24×24 px. Every answer's label
    (what a tap hits) is at least 24 px each way, and no two overlap. The seed draws a
    question with answers to choose from: short ones, and long ones that wrap."""
    rng = np.random.default_rng(seed)  # as the page draws its first question
    question = new_question(
        rng, (2.0, 1.0, 0.1), ("dog", "cat", "bird"), kind=next_kind(rng, [], None)
    )
    assert not question.numeric, question.prompt
    page = web.new_page(**PHONE)
    open_page(page, app_server.url, page_by_name("Quiz"), f"{DOG_CAT_BIRD}&seed={seed}&lang={lang}")
    expect(page.get_by_test_id("stMain").get_by_test_id("stRadioOption")).to_have_count(
        len(question.options)
    )
    options = page.evaluate(RADIO_OPTIONS)
    assert all(o["height"] >= 24 and o["width"] >= 24 for o in options), options
    for above, below in pairwise(options):
        assert above["bottom"] <= below["top"] + 0.5, (above, below)
    screenshot(page, ARTIFACTS / "layout" / f"phone-quiz-answers-{seed}.png")


def test_on_a_phone_a_negative_loss_is_told_why_in_spanish(app_server: AppServer, web: Web):
    """A student who typed a negative cross-entropy read "Not quite" and the answer, no
    more (a tour): the verdict says why no loss can be negative, in the student's language,
    inside its box on a phone."""
    seed = next(
        s for s in range(500) if next_kind(np.random.default_rng(s), [], None) == "cross_entropy"
    )
    page = web.new_page(**PHONE)
    open_page(page, app_server.url, page_by_name("Quiz"), f"{DOG_CAT_BIRD}&seed={seed}&lang=es")
    box = page.get_by_role("textbox", name="Tu respuesta")
    box.fill("-0,4")
    box.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Comprobar").click()
    verdict = page.get_by_test_id("stAlert").filter(
        has_text="La entropía cruzada nunca es negativa"
    )
    expect(verdict).to_be_visible(timeout=20_000)
    expect(verdict).to_contain_text("Dijiste -0,4")
    drawn = verdict.bounding_box()
    assert drawn is not None and drawn["x"] >= 0 and drawn["x"] + drawn["width"] <= 390, drawn
    screenshot(page, ARTIFACTS / "layout" / "phone-quiz-negative-loss-es.png")


def test_turning_presenter_view_on_keeps_the_sidebar_controls(app_server, web: Web):
    """Issue 10, #9: turning the presenter view on closed the sidebar that holds the next
    steps its caption gives: what to hide from students, and the share link."""
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("Playground"), DOG_CAT_BIRD)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    sidebar.get_by_text("Presenter view (for a projector)").click()
    sidebar.get_by_text("Presenter view: large type", exact=False).click()
    page.wait_for_url(lambda url: "present=1" in url)
    wait_for_app(page)
    wait_for_charts(page)
    page.wait_for_timeout(500)  # a closing sidebar slides out
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    expect(sidebar.get_by_text("Hide from the students' view")).to_be_in_viewport()
    expect(sidebar.locator(".link-box").first).to_be_in_viewport()
    expect(sidebar.locator(".link-box-text").first).to_contain_text("present=1")


# --- workshop: a scene keeps every setting of its page ---------------------------------------

EVERY_SETTING = {
    "z": "3,1,0.2,-1",
    "labels": "ant,bee,cow,doe",
    "T": "0.7",
    "dtype": "float32",
    "offset": "5",
    "act": "sigmoid,silu",
    "seed": "7",
    "samples": "500",
    "top_k": "2",
    "top_p": "0.5",
    "target": "2",
    "lr": "0.2",
    "calib_classes": "8",
    "overconfidence": "6",
    "tab": "filters",
}
"""A value other than the default for every lesson setting."""
FIRST_SCENE = Scene("", "Start here", DOG_CAT_BIRD)
"""Scene 1 of the deck: the home page, so stepping to scene 2 changes page."""


def test_every_lesson_setting_is_set_above():
    state, problems = from_query(EVERY_SETTING)
    assert problems == []
    assert [f for f in LESSON_FIELDS if getattr(state, f) == getattr(DEFAULT, f)] == []


SCENE_LESSONS = [page.slug for page in LESSONS if page not in (PLAYGROUND, QUIZ)]
"""The lessons with settings of their own (activations, precision and offset, sampling,
target and learning rate, calibration). Playground and Quiz record only the logits, labels
and T, which every scene here records too."""


def test_a_scene_keeps_every_setting_of_its_page(app_server: AppServer, web: Web):
    """Issue 10, #2: Calibration with 8 classes and overconfidence 6, added as a scene, came
    back from the deck link with 5 classes and ×3. For every lesson: open it with every
    setting set, add its view as a scene, open the deck link in a new browser, step to each
    scene: the page draws what it drew and its link holds every setting. One deck holds a
    scene of every lesson, as a teacher's would (a deck per lesson took four page loads each
    to prove nothing more)."""
    teacher = web.new_page()
    query = urlencode(EVERY_SETTING | {"deck": encode_deck((FIRST_SCENE,))}, safe=",")
    drawn = {}
    for lesson in SCENE_LESSONS:
        open_page(teacher, app_server.url, page_by_name(lesson), query)
        assert_no_exception(teacher, app_server)
        drawn[lesson] = plot_data(teacher)

    go_by_sidebar(teacher, page_by_name("Workshop"))
    form = teacher.get_by_test_id("stForm")
    for lesson in SCENE_LESSONS:
        choose(teacher, "Page", next(page.title for page in LESSONS if page.slug == lesson))
        form.get_by_label("Scene title").fill(f"Every setting of {lesson}")
        form.get_by_role("button", name="Add the current view as a scene").click()
        expect(
            teacher.get_by_test_id("stMain").get_by_text(f"Every setting of {lesson}")
        ).to_be_visible()
        wait_for_app(teacher)
    link = teacher.get_by_test_id("stMain").locator(".link-box-text").first.inner_text().strip()

    student = web.new_page()
    response = student.goto(link, wait_until="domcontentloaded")
    assert response is not None and response.ok, link
    wait_for_app(student)
    scenes = len(SCENE_LESSONS) + 1
    expect(student.get_by_text(f"Scene 1 of {scenes}", exact=True)).to_be_visible()
    wanted, _ = from_query(EVERY_SETTING)
    for number, lesson in enumerate(SCENE_LESSONS, start=2):
        student.get_by_test_id("stMain").get_by_role("button", name="Next", exact=True).click()
        student.wait_for_url(lambda url, lesson=lesson: urlsplit(url).path == f"/{lesson}")
        expect(student.get_by_text(f"Scene {number} of {scenes}", exact=True)).to_be_visible()
        wait_for_app(student)
        wait_for_charts(student)
        assert_no_exception(student, app_server)
        shown, problems = from_query(dict(parse_qsl(urlsplit(student.url).query)))
        assert problems == []
        lost = {
            f: getattr(shown, f) for f in LESSON_FIELDS if getattr(shown, f) != getattr(wanted, f)
        }
        assert lost == {}, f"the scene of {lesson} lost {lost}"
        again = plot_data(student)
        assert same_plots(again, drawn[lesson]), (
            f"{lesson}, teacher:\n{describe(drawn[lesson])}\nscene:\n{describe(again)}"
        )


def after_history_step(page: Page) -> None:
    """Wait for the run a Back or Forward starts: it may not have begun when the step
    returns, and the page then still says it is not running."""
    page.wait_for_timeout(300)
    wait_for_app(page)


def address_t(page: Page) -> str:
    """The T in the address bar (``page.url`` misses ``history.replaceState``)."""
    return dict(parse_qsl(urlsplit(page.evaluate("location.href")).query))["T"]


def test_the_browsers_back_button_steps_back_through_a_deck(app_server: AppServer, web: Web):
    """Back and Forward while stepping through a deck show each scene as it is: the page in
    the address bar, its scene bar and its charts agree after every press (Back from scene 3
    showed scene 2's page with scene 3's logits and bar). Each Next leaves one history entry,
    so one press reaches the scene before (or after): Streamlit's own two entries per Next
    (the address, then the page) are one, by the app's page script. Two scenes on one page
    are two entries (Back from the default deck's scene 5 skipped scene 4, both on Naive vs
    stable), and a scene reached by Back has its own settings only (scene 2's address and
    share link carried scene 4's precision: a projector tour). Back from a page out of the
    deck returns to the scene left."""
    scenes = (
        ("Playground", "z=2,1,0.1&labels=dog,cat,bird&T=1", [2, 1, 0.1], 1),
        ("Temperature_and_Sampling", "z=3,1,-1&labels=dog,cat,bird&T=0.3", [3, 1, -1], 0.3),
        (
            "Naive_vs_Stable",
            "z=1000,1001,1002&labels=a,b,c&T=1&dtype=float32",
            [1000, 1001, 1002],
            1,
        ),
        ("Naive_vs_Stable", "z=10,11,12&labels=a,b,c&T=1&dtype=float16", [10, 11, 12], 1),
    )
    deck = encode_deck(tuple(Scene(slug, f"s{i}", q) for i, (slug, q, _z, _t) in enumerate(scenes)))
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("Playground"), f"deck={deck}&scene=1")
    expect(page.get_by_text("Scene 1 of 4", exact=True)).to_be_visible()
    for number in (2, 3, 4):
        page.get_by_test_id("stMain").get_by_role("button", name="Next", exact=True).click()
        expect(page.get_by_text(f"Scene {number} of 4", exact=True)).to_be_visible()
        wait_for_app(page)

    def shown() -> int:
        """The scene drawn, after checking that page, scene bar, charts and address agree."""
        after_history_step(page)
        wait_for_charts(page)
        bar = page.get_by_test_id("stMain").get_by_text(re.compile(r"Scene \d of 4")).first
        number = int(re.search(r"Scene (\d) of 4", bar.inner_text()).group(1))
        slug, own, z, t = scenes[number - 1]
        assert urlsplit(page.url).path == f"/{slug}", (number, page.url)
        assert_draws(plot_data(page), z, t, also_t1=False)
        address = page.evaluate("location.href")  # (after the history step's run)
        keys = {k for k, _ in parse_qsl(urlsplit(address).query)}
        assert keys <= {*dict(parse_qsl(own)), "deck", "scene"}, (number, address)
        assert_no_exception(page, app_server)
        return number

    for step, wanted in (
        (page.go_back, 3),
        (page.go_back, 2),
        (page.go_back, 1),
        (page.go_forward, 2),
    ):
        step()
        assert shown() == wanted
    # a page out of the deck (the teacher asks the room on the Live class page), then Back:
    # the scene left, with its bar (it was the lesson without its deck: a teacher's tour)
    go_by_sidebar(page, page_by_name("Live_class"))
    expect(page.get_by_text(re.compile(r"Scene \d of 4"))).to_have_count(0)
    page.go_back()
    assert shown() == 2
    # The deck left by the menu for a lesson of one of its scenes, a setting changed there,
    # then another page: Back shows that lesson as it was left, not the deck's scene on its
    # page (a teacher's tour: the whole class following was sent back to an old scene).
    go_by_sidebar(page, page_by_name("Playground"))
    charts = plot_data(page)
    type_into(page, "T (type any value from 0.01 to 100)", "3")
    after_change(page, charts)
    go_by_sidebar(page, page_by_name("Calibration"))
    page.go_back()
    page.wait_for_url(lambda url: urlsplit(url).path == "/Playground")
    after_history_step(page)
    wait_for_charts(page)
    expect(page.get_by_text(re.compile(r"Scene \d of 3"))).to_have_count(0)
    assert address_t(page) == "3"
    assert_draws(plot_data(page), [3, 1, -1], 3, also_t1=False)
    # Back to a page that shows no setting (the Workshop) keeps the view set up since: its
    # old address brought back T = 3, which "Add the current view" then recorded (a review)
    go_by_sidebar(page, page_by_name("Workshop"))
    go_by_sidebar(page, page_by_name("Playground"))
    charts = plot_data(page)
    type_into(page, "T (type any value from 0.01 to 100)", "2")
    after_change(page, charts)
    page.go_back()
    page.wait_for_url(lambda url: urlsplit(url).path == "/Workshop")
    after_history_step(page)
    assert address_t(page) == "2"


def test_a_change_then_a_page_from_the_menu_keeps_the_change_on_back(
    app_server: AppServer, web: Web
):
    """A change of setting, then another page from the menu: Back shows the change. The page
    script gives the page left its address from before the last write only when the next
    page comes with the very query written (a deck's step, a follower's move). It did so for
    a new page within the run that wrote, and a short run's end can go unseen (its start and
    end drawn in one frame): the menu's next page then put back the address from before the
    change (T = 0.3 after T = 3: a CI run). A write made after the run's end stands for that
    unseen end here."""
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("Playground"), "z=2,1,0.1&labels=dog,cat,bird&T=1")
    wait_for_app(page)

    def write_late(t: str) -> None:
        page.evaluate(
            "t => { const u = new URL(location.href); u.searchParams.set('T', t);"
            " history.pushState(history.state, '', u.href); }",
            t,
        )

    def back_to_playground_says(t: str) -> None:
        page.go_back()
        page.wait_for_url(lambda url: urlsplit(url).path == "/Playground")
        after_history_step(page)
        wait_for_charts(page)
        assert address_t(page) == t
        assert_draws(plot_data(page), [2, 1, 0.1], float(t), also_t1=False)

    write_late("0.5")
    go_by_sidebar(page, page_by_name("Calibration"))
    back_to_playground_says("0.5")

    # The rule itself, as a page switch by the server comes (st.switch_page: a write on the
    # page left, then the new page with the same query, no press between): the page left
    # gets its address back when the new page comes at once, and keeps the write when it
    # comes long after (a follower's page after the teacher's change, then the teacher's
    # page chosen in the menu: a review).
    def switch_after(t: str, wait_ms: int, key: str = "") -> str:
        """The page left's T after a write of ``t``, ``wait_ms`` (and ``key`` pressed), then
        the server's switch."""
        write_late(t)
        page.wait_for_timeout(wait_ms)
        if key:
            page.keyboard.press(key)
        address = page.evaluate(
            """() => new Promise(done => {
                 history.pushState(history.state, '', '/Calibration' + location.search);
                 addEventListener('popstate', () => done(location.href), {once: true});
                 history.back();
               })"""
        )
        after_history_step(page)
        return dict(parse_qsl(urlsplit(address).query))["T"]

    assert switch_after("0.25", 0) == "0.5"
    assert switch_after("0.25", 4_500) == "0.25"
    # a key the reader presses comes between, unless the page takes it (part 11: a deck's
    # step while another is on its way; here a stand-in key the page takes)
    assert switch_after("0.75", 0, "F9") == "0.75"
    page.evaluate(
        "document.addEventListener('keydown', e => { if (e.key === 'F9') e.preventDefault(); })"
    )
    assert switch_after("0.4", 0, "F9") == "0.75"


def test_a_presentation_clicker_steps_the_deck(app_server: AppServer, web: Web):
    """A teacher's presentation clicker sends Page Down and Page Up (some → and ←): they step
    the deck as in a slide show (Page Down is Next, Page Up is Previous), but not while the
    focus is on a slider or in a box (the keys are theirs there: a slider's big step; but
    Page Down and Page Up in a one-line box mean nothing, and step), and at
    the last scene Page Down is the page's own again. → and ← step it as in any slide tool
    (a teacher pressed → first and nothing happened: a projector tour)."""
    scenes = (
        Scene("Playground", "one", "z=2,1,0.1&labels=dog,cat,bird&T=1"),
        Scene("Temperature_and_Sampling", "two", "z=3,1,-1&labels=dog,cat,bird&T=0.3"),
        Scene("Playground", "three", "z=1,1,1&labels=dog,cat,bird&T=1"),
    )
    page = web.new_page()
    open_page(
        page, app_server.url, page_by_name("Playground"), f"deck={encode_deck(scenes)}&scene=1"
    )
    main = page.get_by_test_id("stMain")

    def at_scene(number: int) -> None:
        expect(main.get_by_text(f"Scene {number} of 3", exact=True)).to_be_visible()
        wait_for_app(page)

    at_scene(1)
    page.keyboard.press("PageDown")
    at_scene(2)
    assert urlsplit(page.url).path == "/Temperature_and_Sampling"
    page.keyboard.press("PageDown")
    at_scene(3)
    page.keyboard.press("PageDown")  # the last scene: nothing to step to
    page.wait_for_timeout(500)
    at_scene(3)
    page.keyboard.press("PageUp")
    at_scene(2)
    page.keyboard.press("ArrowLeft")
    at_scene(1)
    page.keyboard.press("ArrowRight")
    at_scene(2)
    # in a box or on a slider the keys are the control's
    slider = main.get_by_role("slider").first
    slider.focus()
    before = slider.get_attribute("aria-valuenow")
    page.keyboard.press("PageDown")
    page.wait_for_timeout(800)
    wait_for_app(page)
    at_scene(2)
    expect(slider).not_to_have_attribute("aria-valuenow", before or "")
    before = slider.get_attribute("aria-valuenow")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(800)
    wait_for_app(page)
    at_scene(2)
    expect(slider).not_to_have_attribute("aria-valuenow", before or "")
    # in a one-line box the arrows move the caret, but Page Down and Page Up mean nothing
    # there: they step, after the box has taken what was typed (a teacher typed T = 2,
    # pressed Enter, then the clicker, and nothing happened: a projector tour)
    main.get_by_label("Paste logits (comma-separated)", exact=True).focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(800)
    at_scene(2)
    page.keyboard.press("PageDown")
    at_scene(3)
    box = main.get_by_label("T (type any value from 0.01 to 100)", exact=True)
    box.fill("2")
    box.press("Enter")
    wait_until(lambda: address_t(page) == "2", message="T = 2 in the address")
    page.keyboard.press("PageUp")
    at_scene(2)
    page.keyboard.press("PageUp")
    at_scene(1)
    # typed, not entered: one step still (the box's value and the step reach the server
    # together), not two
    box = main.get_by_label("T (type any value from 0.01 to 100)", exact=True)
    box.fill("4")
    page.keyboard.press("PageDown")
    at_scene(2)
    page.wait_for_timeout(1_500)
    wait_for_app(page)
    at_scene(2)
    assert_no_exception(page, app_server)


def test_a_value_typed_then_next_tapped_on_a_phone_steps_the_deck(app_server: AppServer, web: Web):
    """T typed in the box on a phone, then Next tapped: a phone sends the tap's mouse events
    at once when the finger leaves, so the box's value and the press went to the server as
    one run of the box's part of the page, where Next is not, and the deck stayed (an
    exploratory tour, 3 of 3). The box's value goes first, then the press: the deck steps."""
    scenes = (
        Scene("Playground", "one", "z=2,1,0.1&labels=dog,cat,bird&T=1"),
        Scene("Temperature_and_Sampling", "two", "z=3,1,-1&labels=dog,cat,bird&T=0.3"),
    )
    page = web.new_page(**PHONE)
    open_page(
        page, app_server.url, page_by_name("Playground"), f"deck={encode_deck(scenes)}&scene=1"
    )
    main = page.get_by_test_id("stMain")
    box = main.get_by_label("T (type any value from 0.01 to 100)", exact=True)
    box.tap()
    box.press("Control+A")
    box.press_sequentially("1.5")
    main.get_by_role("button", name="Next", exact=True).tap()
    expect(main.get_by_text("Scene 2 of 2", exact=True)).to_be_visible()
    wait_for_app(page)
    assert urlsplit(page.evaluate("location.href")).path == "/Temperature_and_Sampling"
    assert_no_exception(page, app_server)


GOING_RECORDER = """() => {
  window.softmaxGoing = [];
  window.softmaxSaid = [];
  new MutationObserver((changes) => changes.forEach((change) =>
    window.softmaxGoing.push(change.target.getAttribute("data-going-to"))
  )).observe(document.body, { subtree: true, attributeFilter: ["data-going-to"] });
  new MutationObserver(() => {
    const said = document.querySelector(".softmax-spoken");
    if (said && said.textContent) window.softmaxSaid.push(said.textContent);
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}"""
"""Records each value given to a scene bar's "going to" note (page.js part 11), and each text
the page's live region says (part 15)."""


@pytest.mark.parametrize("slowdown", [1, 4], ids=["laptop", "old laptop"])
def test_each_quick_step_is_one_scene(slowdown: int, app_server: AppServer, web: Web):
    """Three quick presses (0.1 s apart, a clicker and the mouse) step the deck three scenes,
    and no further, whatever the machine. They stepped fewer, on this machine's laptop speed
    too: a press made while the last step's run was going reached the server during that run,
    and Streamlit merged it with the one before (on an old laptop, CPU four times slower,
    Page Downs 0.3 s apart lost one in 4 of 4 tries: an old-hardware tour). The deck has a
    scene after the one the presses ask for, so a step too many would show. While the steps
    are on their way, on the old laptop, the bar says where the deck is going."""
    pages = ["Playground", "Temperature_and_Sampling", "Playground", "Naive_vs_Stable"]
    scenes = tuple(
        Scene(name, f"scene {i}", "z=2,1,0.1&labels=dog,cat,bird&T=1")
        for i, name in enumerate([*pages, "Playground"], 1)
    )
    page = web.new_page()
    open_page(
        page, app_server.url, page_by_name("Playground"), f"deck={encode_deck(scenes)}&scene=1"
    )
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Scene 1 of 5", exact=True)).to_be_visible()
    # the bar's words come a moment before its buttons: a press needs a button to press
    expect(main.locator(".st-key-scene_next button")).to_be_enabled()
    page.evaluate(GOING_RECORDER)
    with slowed_cpu(page, slowdown):
        page.keyboard.press("PageDown")
        page.wait_for_timeout(100)
        main.locator(".st-key-scene_next button").click()  # the mouse, as a teacher might
        page.wait_for_timeout(100)
        page.keyboard.press("PageDown")
        expect(main.get_by_text("Scene 4 of 5", exact=True)).to_be_visible(timeout=60_000)
        page.wait_for_timeout(4_000)  # a step too many would have started by now
        wait_for_app(page, timeout=60_000)
        expect(main.get_by_text("Scene 4 of 5", exact=True)).to_be_visible()
        assert urlsplit(page.url).path == "/Naive_vs_Stable"
        going = page.evaluate("window.softmaxGoing")
        if slowdown > 1:  # each step takes seconds: the bar said where the deck was going
            assert "Going to scene 4 of 5…" in going, going
            # and said it: a screen reader's user heard nothing for seconds
            said = page.evaluate("window.softmaxSaid")
            assert "Going to scene 4 of 5…" in said, said
        expect(page.locator("[data-going-to]")).to_have_count(0)  # and says it no more
        # a press at rest goes at once, and the deck's Previous steps back one
        page.keyboard.press("PageUp")
        expect(main.get_by_text("Scene 3 of 5", exact=True)).to_be_visible(timeout=60_000)
        page.wait_for_timeout(2_500)
        wait_for_app(page, timeout=60_000)
        expect(main.get_by_text("Scene 3 of 5", exact=True)).to_be_visible()
        assert urlsplit(page.url).path == "/Playground"
    assert_no_exception(page, app_server)


def test_a_page_opened_by_a_button_far_down_opens_at_its_top(app_server: AppServer, web: Web):
    """On a phone the workshop's "Start the deck at scene 1" is far down its page; the first
    scene opened scrolled as far down (800 px), its scene bar and title out of sight (found
    by a student tour). The page script scrolls a newly reached page to its top."""
    page = web.new_page(**PHONE)
    open_page(page, app_server.url, page_by_name("Workshop"), "")
    start = page.get_by_role("button", name=re.compile("Start the deck at scene 1"))
    start.scroll_into_view_if_needed()
    main = page.get_by_test_id("stMain")
    assert main.evaluate("main => main.scrollTop") > 300  # the button is far down
    start.tap()
    bar = main.get_by_text("Scene 1 of 8", exact=True)
    expect(bar).to_be_visible()
    wait_for_app(page)
    page.wait_for_timeout(500)  # Streamlit's own scroll handling, if any, has run
    assert main.evaluate("main => main.scrollTop") == 0
    expect(bar).to_be_in_viewport()
    expect(main.get_by_role("heading", level=1)).to_be_in_viewport()


def test_on_a_phone_a_dtype_name_in_a_table_is_never_broken(app_server: AppServer, web: Web):
    """Naive vs stable's table of limits, in Spanish at 390×844: "float16" stays on one line
    (it read "float1" / "6", its column squeezed by the three columns of bounds)."""
    page = web.new_page(**PHONE)
    open_page(page, app_server.url, page_by_name("Naive_vs_Stable"), "lang=es")
    cells = page.get_by_test_id("stMain").locator("td code")
    expect(cells).to_have_count(3)
    names = cells.evaluate_all("cs => cs.map(c => [c.textContent, c.getClientRects().length])")
    assert names == [["float16", 1], ["float32", 1], ["float64", 1]], names
    assert not sideways_overflow(page)


@pytest.mark.parametrize("screen", ["phone", "laptop"])
def test_a_ties_class_names_are_shown_whole(screen: str, app_server: AppServer, web: Web):
    """Playground, a tie between two long class names: the metric said "2-way tie" over a
    badge "Golden Retriever puppy …", so the second tied class never showed (found by a
    student tour). Every tied name is shown, wrapped, never cut."""
    page = web.new_page(
        **(PHONE if screen == "phone" else {"viewport": {"width": 1400, "height": 900}})
    )
    names = "Golden Retriever puppy,x,Siamese kitten on a sofa"
    open_page(page, app_server.url, page_by_name("Playground"), f"z=3.2,1.5,3.2&labels={names}")
    delta = page.get_by_test_id("stMain").get_by_test_id("stMetricDelta").first
    expect(delta).to_contain_text("Golden Retriever puppy and Siamese kitten on a sofa")
    assert cut_texts(page, delta) == []
    box = delta.bounding_box()
    metric = page.get_by_test_id("stMain").get_by_test_id("stMetric").first.bounding_box()
    assert box and metric and box["x"] + box["width"] <= metric["x"] + metric["width"] + 1
    assert not sideways_overflow(page)


BROKEN_WORDS = """cells => cells.flatMap(cell => {
    const broken = [];
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        for (const m of node.textContent.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (tops.size > 1) broken.push(m[0]);
        }
    }
    return broken;
})"""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_on_a_phone_the_deck_table_breaks_no_word(lang: str, app_server: AppServer, web: Web):
    """The Workshop's deck table at 390×844: the scene and page columns read "Temperatur" /
    "e", "Playgrou" / "nd", in French "échantill" / "onnage" (found by a student tour). A cell
    wraps between words only; the table still never widens the page."""
    page = web.new_page(**PHONE)
    open_page(page, app_server.url, page_by_name("Workshop"), f"lang={lang}")
    cells = page.get_by_test_id("stMain").locator("table").first.locator("td")
    expect(cells).to_have_count(8 * 4)
    assert cells.evaluate_all(BROKEN_WORDS) == []
    assert not sideways_overflow(page)


LINES_OF_NUMBERS = """cells => cells.map(c => {
    const range = document.createRange();
    range.selectNodeContents(c);
    return [c.textContent, range.getClientRects().length];
})"""


def test_on_a_phone_a_number_in_a_table_is_never_broken(app_server: AppServer, web: Web):
    """The Playground's step table with 12 classes at 390×844: "10" read "1" / "0" and
    "0.3333" read "0.333" / "3", the number columns squeezed (found by a student tour).
    Every number stays on one line; the table scrolls sideways inside its box."""
    page = web.new_page(**PHONE)
    z = ",".join(str(v) for v in [*range(1, 11), 1, 2])
    open_page(page, app_server.url, page_by_name("Playground"), f"z={z}&T=3")
    numbers = page.get_by_test_id("stMain").locator("table").first.locator("td[style*='right']")
    expect(numbers).to_have_count(12 * 5)
    lines = numbers.evaluate_all(LINES_OF_NUMBERS)
    assert {n for _text, n in lines} == {1}, [cell for cell in lines if cell[1] != 1]
    assert "10" in [text for text, _n in lines]
    assert not sideways_overflow(page)


DRAWN_LABELS = """chart => [...chart.querySelectorAll('text.bartext, g.annotation')].map(t => {
    const box = t.getBoundingClientRect();
    return {kind: t.tagName, text: t.textContent, shown: getComputedStyle(t).display !== 'none'
            && box.width > 0, left: box.left, right: box.right, top: box.top,
            bottom: box.bottom};
})"""


@pytest.mark.parametrize(
    "z, winners, word",
    [
        ("0,1,2,3,4,5,6,7,8,9&T=3", [".29"], "max"),
        ("0,1,2,3,4,5,6,7,8,9&T=3&lang=es", ["0,29"], "máx"),
        ("0,0,0,0,0,9,0,0,20,20,0,0&T=1", [".50", ".50"], "max"),
    ],
    ids=["10 classes", "10 classes in Spanish", "12 classes, a tie side by side"],
)
def test_on_a_phone_the_winners_number_and_mark_are_drawn(
    z: str, winners: list[str], word: str, app_server: AppServer, web: Web
):
    """Narrow bars at 390×844: the winner's label was its number and "▲ max" on three lines,
    too wide for its bar at the smallest size, so Plotly hid it, the one label that matters
    (found by a student tour). Its number is drawn, "▲" over each winner and "max" once over
    neighbours, no two of them overlapping. With ten classes every bar has its number, also
    in Spanish, whose "0,29" is wider than ".29" (no bar had one: a student tour)."""
    page = web.new_page(**PHONE)
    open_page(page, app_server.url, page_by_name("Playground"), f"z={z}")
    chart = main_chart(page)
    expect(chart.locator("g.annotation")).to_have_count(len(winners) + 1)
    drawn = chart.locator(".js-plotly-plot").evaluate(DRAWN_LABELS)
    shown = [d for d in drawn if d["shown"]]
    numbers = [d["text"] for d in shown if d["kind"] == "text"]
    assert all(w in numbers for w in winners) and numbers.count(winners[0]) == len(winners)
    assert [d["text"] for d in shown if d["kind"] == "g"] == ["▲"] * len(winners) + [word]
    if len(winners) == 1:  # z = 0…9 at T = 3: each p is 0.015 or more, each bar numbered
        assert len(numbers) == 10, numbers
    clashes = text_clashes(shown, overlap)
    assert not clashes, clashes
    screenshot(page, ARTIFACTS / "layout" / f"phone-winner-{len(winners)}-{word}.png")


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_the_filter_charts_numbers_are_whole_where_there_is_room(
    screen: str, app_server: AppServer, web: Web
):
    """Temperature and sampling's top-k/top-p bars in French: nine bars for three classes
    read ",66", ",24", ",10" on a laptop too, where the chart spans the page (the compact
    style is for a phone's narrow bars; a leading comma is odd in any language, found by a
    student tour). On a laptop each number is whole, "0,66" (two significant digits, as
    "0,099"); on a phone, two decimals, and the zero before the comma kept there too (",66"
    is not how French writes 0,66; a later student tour). The chart is the second on the
    tab."""
    page = web.new_page(
        **(PHONE if screen == "phone" else {"viewport": {"width": 1400, "height": 900}})
    )
    open_page(page, app_server.url, page_by_name("Temperature_and_Sampling"), "lang=fr&tab=filters")
    charts = page.get_by_test_id("stMain").get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(2)
    drawn = charts.nth(1).locator(".js-plotly-plot").evaluate(DRAWN_LABELS)
    numbers = [d["text"] for d in drawn if d["shown"] and d["kind"] == "text"]
    if screen == "laptop":
        assert numbers[:3] == ["0,66", "0,24", "0,099"], numbers
        assert "écartée" in numbers, numbers
    else:
        assert numbers[:3] == ["0,66", "0,24", "0,10"], numbers
    assert not [n for n in numbers if re.search(r"(^|[^\d]),", n)], numbers
    clashes = text_clashes([d for d in drawn if d["shown"]], overlap)
    assert not clashes, clashes
    screenshot(page, ARTIFACTS / "layout" / f"filters-fr-{screen}.png")


FILTER_MARKS = """chart => {
    // Every bar drawn in the plot (not the legend): its box and its fill, a hatched bar's
    // fill being its pattern's background colour and hatch colour.
    const fill = path => {
        const style = getComputedStyle(path).fill;
        const id = style.match(/url\\("?#([^")]+)"?\\)/);
        if (!id) return style;
        const pattern = chart.querySelector(`pattern[id="${id[1]}"]`);
        const hatch = pattern.querySelector(':scope > :not(rect)');
        return pattern.querySelector('rect').getAttribute('fill') + ' / '
            + (hatch.getAttribute('fill') || '') + (hatch.getAttribute('stroke') || '');
    };
    return [...chart.querySelectorAll('.cartesianlayer g.trace.bars g.point path')].map(p => {
        const box = p.getBoundingClientRect();
        return {x: (box.left + box.right) / 2, width: box.width, height: box.height,
                fill: fill(p)};
    });
}"""


@pytest.mark.parametrize(
    "query, cut_by_k, cut_by_p, word",
    [
        (f"{DOG_CAT_BIRD}&top_k=2&top_p=0.5", [2], [1, 2], "cut"),
        (
            "z=4.1,3.6,3.2,2.5,1.9,1.2,0.4,-0.5&labels=mat,sofa,floor,bed,roof,table,moon,piano"
            "&T=1&top_k=3&top_p=0.9&lang=fr",
            [3, 4, 5, 6, 7],
            [4, 5, 6, 7],
            "écartée",
        ),
    ],
    ids=["3 classes", "8 classes in French"],
)
def test_on_a_phone_the_classes_a_filter_cut_are_drawn(
    query: str, cut_by_k: list[int], cut_by_p: list[int], word: str, app_server, web: Web
):
    """Temperature and sampling's top-k/top-p bars at 390×844: a class a filter cut was a
    zero bar under the word "cut", hidden where it did not fit (every label of eight
    classes), so a cut class looked like a very small probability (a student tour). In each
    filter's slot a cut class has a bar of its own, drawn (at least 6 px tall), filled unlike
    every kept bar, and the legend names it."""
    page = web.new_page(**PHONE)
    open_page(
        page, app_server.url, page_by_name("Temperature_and_Sampling"), f"{query}&tab=filters"
    )
    charts = page.get_by_test_id("stMain").get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(2)
    chart = charts.nth(1).locator(".js-plotly-plot")
    expect(chart.locator("g.trace.bars").first).to_be_attached()
    marks = chart.evaluate(FILTER_MARKS)
    slots: dict[int, dict] = {}  # the tallest bar of each slot (a cut bar over a zero bar)
    for mark in marks:
        key = round(mark["x"])
        if key not in slots or mark["height"] > slots[key]["height"]:
            slots[key] = mark
    drawn = [slots[x] for x in sorted(slots)]
    classes = len(drawn) // 3
    assert len(drawn) == 3 * classes and classes in (3, 8), drawn
    cut = {(c, 1) for c in cut_by_k} | {(c, 2) for c in cut_by_p}
    kept = {drawn[3 * c + f]["fill"] for c in range(classes) for f in range(3) if (c, f) not in cut}
    for c, f in sorted(cut):
        mark = drawn[3 * c + f]
        assert mark["height"] >= 6 and mark["width"] >= 4, (c, f, mark)
        assert mark["fill"] not in kept, (c, f, mark, kept)
    expect(chart.locator("g.legend")).to_contain_text(word)
    screenshot(page, ARTIFACTS / "layout" / f"filters-cut-{classes}-phone.png")


JACOBIAN_TEXTS = """chart => {
    const box = e => { const r = e.getBoundingClientRect();
                       return {text: e.textContent, left: r.left, right: r.right, top: r.top,
                               bottom: r.bottom}; };
    return {cells: [...chart.querySelectorAll('.heatmaplayer text')].map(box),
            names: [...chart.querySelectorAll('g.xtick text')].map(box),
            title: box(chart.querySelector('.g-xtitle text'))};
}"""


@pytest.mark.parametrize("screen", ["phone", "laptop"])
def test_the_jacobians_numbers_and_names_are_apart(screen: str, app_server: AppServer, web: Web):
    """Gradients, the Jacobian of five classes on a phone in French: the cells' numbers ran
    into each other ("0,0046-0,0019-8,5e-05-0,093") and the turned class names ran into the
    axis title under them (found by a student tour). On a phone every cell is written to the
    same decimal places; no number touches another; the names end above the axis title."""
    page = web.new_page(
        **(PHONE if screen == "phone" else {"viewport": {"width": 1400, "height": 900}})
    )
    open_page(
        page,
        app_server.url,
        page_by_name("Gradients_and_Cross_Entropy"),
        "z=2,1,0.1,-3,4&tab=jacobian&lang=fr",
    )
    chart = page.locator(".js-plotly-plot").filter(has=page.locator(".heatmaplayer"))
    expect(chart).to_have_count(1)
    drawn = chart.evaluate(JACOBIAN_TEXTS)
    cells = drawn["cells"]
    assert len(cells) == 25, [c["text"] for c in cells]
    clashes = text_clashes(cells, overlap)
    assert not clashes, clashes
    if screen == "phone":
        places = {len(c["text"].split(",")[1]) for c in cells}
        assert places == {3}, [c["text"] for c in cells]
    assert len(drawn["names"]) == 5
    assert max(n["bottom"] for n in drawn["names"]) <= drawn["title"]["top"] + 0.5, drawn
    screenshot(page, ARTIFACTS / "layout" / f"jacobian-fr-{screen}.png")


POINT_LABELS = """chart => {
    const frame = chart.querySelector('svg.main-svg').getBoundingClientRect();
    return [...chart.querySelectorAll('g.textpoint text')].map(t => {
        const box = t.getBoundingClientRect();
        return {text: t.textContent, left: box.left, right: box.right, top: box.top,
                bottom: box.bottom, inside: box.left >= frame.left - 0.5
                && box.right <= frame.right + 0.5 && box.top >= frame.top - 0.5};
    });
}"""


@pytest.mark.parametrize("screen", ["phone", "projector"])
def test_the_loss_historys_labels_are_apart_and_inside_the_chart(
    screen: str, app_server: AppServer, web: Web
):
    """Gradients, learning steps, 11 steps in Spanish: on a phone the twelve loss labels
    overprinted each other ("0,129 0,118 0,109 0,10") and the last was cut at the chart's
    right edge (found by a student tour). A phone labels the first and last points; every
    label is whole, inside the chart and apart (in the presenter view too, whose last label
    reached the chart's edge before the right margin was made room for it)."""
    query = "lang=es&tab=steps" + ("&present=1" if screen == "projector" else "")
    page = web.new_page(**(PHONE if screen == "phone" else PROJECTOR))
    open_page(page, app_server.url, page_by_name("Gradients_and_Cross_Entropy"), query)
    before = plot_data(page)
    page.get_by_role("button", name="Dar 10 pasos").click()
    after_change(page, before)
    charts = page.get_by_test_id("stMain").get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(2)
    labels = charts.nth(1).locator(".js-plotly-plot").evaluate(POINT_LABELS)
    shown = [label for label in labels if label["text"]]
    expected = 2 if screen == "phone" else 11
    assert [label["text"] for label in shown][:1] == ["0,417"] and len(shown) == expected, labels
    assert all(label["inside"] for label in shown), [x for x in shown if not x["inside"]]
    clashes = text_clashes(shown, overlap)
    assert not clashes, clashes
    screenshot(page, ARTIFACTS / "layout" / f"loss-history-{screen}.png")


def test_a_small_loss_reads_as_a_number(app_server: AppServer, web: Web):
    """A loss of about 0.00045 after ten steps in French: the axis read "100μ … 500μ"
    (Plotly's SI prefixes, which no lesson teaches) and the points "0,000453, 0,000453"
    (two unequal losses, read as if the loss had stopped; a student tour). The axis reads
    0,0001 … 0,0005, and unequal losses read unequal."""
    page = web.new_page(viewport={"width": 1400, "height": 900})
    query = "z=-0.34,-0.39,3.83&T=0.5&target=2&tab=steps&lang=fr"
    open_page(page, app_server.url, page_by_name("Gradients_and_Cross_Entropy"), query)
    before = plot_data(page)
    page.get_by_role("button", name="Faire 10 pas").click()
    after_change(page, before)
    chart = page.get_by_test_id("stMain").get_by_test_id("stPlotlyChart").nth(1)
    ticks = chart.locator("g.ytick text").all_text_contents()
    assert ticks and all(re.fullmatch(r"\d+(,\d+)?", t) for t in ticks), ticks
    assert "0,0004" in ticks, ticks
    labels = [x["text"] for x in chart.locator(".js-plotly-plot").evaluate(POINT_LABELS)]
    assert len(labels) == 11 and len(set(labels)) == 11, labels


def test_a_large_exponent_reads_as_a_number(app_server: AppServer, web: Web):
    """Naive vs stable with c = 10000 and T = 0.01: the exponents' axis read "200k … 1M"
    (Plotly's SI prefixes, as the small loss's "100μ"). It reads 200 000 … 1 000 000, with
    the reader's thousands separator."""
    page = web.new_page(viewport={"width": 1400, "height": 900})
    open_page(page, app_server.url, page_by_name("Naive_vs_Stable"), "c=10000&T=0.01&lang=fr")
    charts = page.get_by_test_id("stMain").locator(".js-plotly-plot")
    expect(charts).to_have_count(3)
    ticks = charts.nth(2).locator("g.ytick text").all_text_contents()
    assert "1\u202f000\u202f000" in ticks, ticks
    assert all(re.fullmatch(r"[\d\u202f]+", t) for t in ticks), ticks


@pytest.mark.parametrize("screen", ["phone", "laptop"])
def test_the_gradient_charts_target_is_always_labelled(
    screen: str, app_server: AppServer, web: Web
):
    """Gradients, 8 classes on a phone and 12 on a laptop: every bar had its number but the
    target's, the one the chart is about: its label ("-.83", "◆", "target") was too wide
    for its bar and Plotly hid it (found by a student tour). Its number, "◆" and "target"
    are drawn now, under its bar, and no two texts of the chart overlap."""
    if screen == "phone":
        page = web.new_page(**PHONE)
        z, target = [4.1, 3.6, 3.2, 2.5, 1.9, 1.2, 0.4, -0.5], 2
    else:
        page = web.new_page(viewport={"width": 1400, "height": 900})
        z, target = list(range(1, 13)), 11
    query = f"z={','.join(str(v) for v in z)}&T=1&target={target}"
    open_page(page, app_server.url, page_by_name("Gradients_and_Cross_Entropy"), query)
    charts = page.get_by_test_id("stMain").get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(2)
    charts.nth(1).scroll_into_view_if_needed()
    drawing = chart_drawings(page)[1]
    shown = {t["text"] for t in drawing["texts"] if t["kind"] == "bar label"}
    number = f"{softmax(z)[target] - 1:.2f}".replace("0.", ".", 1)
    assert number in shown, (number, shown)
    notes = [t["text"] for t in drawing["texts"] if t["kind"] == "annotation"]
    assert notes == ["◆", "target"], notes
    clashes = text_clashes(drawing["texts"])
    assert not clashes, clashes
    screenshot(page, ARTIFACTS / "layout" / f"gradient-target-{screen}.png")


CURVE_UNDER_NOTES = """chart => {
    const curve = chart.querySelector('g.scatterlayer g.trace path.js-line');
    const notes = [...chart.querySelectorAll('g.annotation')].map(a => {
        const b = a.getBoundingClientRect();
        return {text: a.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom};
    });
    const m = curve.getScreenCTM(), length = curve.getTotalLength(), hidden = [];
    for (let i = 0; i <= 400; i++) {
        const q = curve.getPointAtLength(length * i / 400);
        const x = m.a * q.x + m.c * q.y + m.e, y = m.b * q.x + m.d * q.y + m.f;
        for (const n of notes) {
            if (x > n.left + 1 && x < n.right - 1 && y > n.top + 1 && y < n.bottom - 1) {
                hidden.push([n.text, Math.round(x), Math.round(y)]);
            }
        }
    }
    return {notes: notes.map(n => n.text), hidden};
}"""


@pytest.mark.parametrize(
    "screen, query",
    [("projector", "present=1"), ("laptop", "T=100"), ("phone", "T=1")],
)
def test_no_label_hides_the_entropy_curve(screen: str, query: str, app_server, web: Web):
    """Temperature and sampling, the entropy chart: the white box behind "log K = log 3 =
    1.099 (uniform)", under the ceiling, hid the curve where it rises to log K (from T ≈ 1.3
    to 5 in the presenter view at 1280×720; found by a student tour). The label is over the
    ceiling, where the curve never goes; no point of the curve is under a label's box."""
    options = {
        "projector": {"viewport": {"width": 1280, "height": 720}},
        "laptop": {"viewport": {"width": 1400, "height": 900}},
        "phone": PHONE,
    }[screen]
    page = web.new_page(**options)
    open_page(page, app_server.url, page_by_name("Temperature_and_Sampling"), query)
    charts = page.get_by_test_id("stMain").get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(3)
    found = charts.nth(2).locator(".js-plotly-plot").evaluate(CURVE_UNDER_NOTES)
    assert any(text.startswith("log K = log 3") for text in found["notes"]), found
    assert not found["hidden"], found["hidden"][:5]


SIDEBAR_EDGES = """() => {
    const edge = (id, side) => document.querySelector(`[data-testid='${id}']`)
                                       .getBoundingClientRect()[side];
    return [edge("stSidebar", "right"), edge("stMain", "left")];
}"""


def test_on_a_phone_the_language_box_at_the_sidebars_foot_opens_at_the_first_tap(
    app_server: AppServer, web: Web
):
    """The page script brings a select box with no room below it for its list to the middle
    of the screen (part 8). It did so as the finger went down: the tap's click then landed
    where the box had been, on something else, and the language box at the foot of a
    phone's sidebar did not open at the first tap (a tour). A tap's box moves after it."""
    phone = web.new_page(**PHONE)
    open_page(phone, app_server.url, page_by_name("Playground"))
    phone.get_by_test_id("stExpandSidebarButton").tap()
    switch = phone.get_by_role("combobox", name="Language · Idioma · Langue", exact=True)
    expect(switch).to_be_in_viewport()
    box = switch.bounding_box()
    assert box and box["y"] + box["height"] > PHONE["viewport"]["height"] - 320, box  # moved
    switch.tap()
    french = phone.get_by_role("option", name="Français", exact=True)
    expect(french).to_be_in_viewport()
    french.tap()
    heading = phone.get_by_test_id("stMain").get_by_role("heading", level=1)
    expect(heading).to_contain_text("Bac à sable")


def test_on_a_phone_choosing_a_page_closes_the_sidebar(app_server: AppServer, web: Web):
    """On a phone the sidebar lies over the page: a page chosen in it opens with the sidebar
    closed (it stayed open over the new page, which looked as if nothing had happened); on a
    laptop, where it sits beside the page, it stays open."""
    phone = web.new_page(**PHONE)
    open_page(phone, app_server.url, page_by_name("Playground"))
    phone.get_by_test_id("stExpandSidebarButton").click()
    sidebar = phone.get_by_test_id("stSidebar")
    link = sidebar.get_by_role("link", name="Temperature & sampling", exact=True)
    expect(link).to_be_in_viewport()
    right, main_left = phone.evaluate(SIDEBAR_EDGES)
    assert right > main_left, (right, main_left)  # over the page
    link.tap()
    phone.wait_for_url(lambda url: urlsplit(url).path == "/Temperature_and_Sampling")
    wait_for_app(phone)
    wait_for_charts(phone)
    expect(link).not_to_be_in_viewport()
    heading = phone.get_by_test_id("stMain").get_by_role("heading", level=1)
    expect(heading).to_be_in_viewport()
    assert phone.evaluate(SIDEBAR_EDGES)[0] <= 0
    # so does a language chosen in it: the page is there to be read in it (a French student
    # sent a Spanish join link: a tour)
    phone.get_by_test_id("stExpandSidebarButton").click()
    switch = sidebar.locator(".st-key-language_switch [role='combobox']")
    switch.scroll_into_view_if_needed()
    switch.tap()
    phone.get_by_role("option", name="Français", exact=True).tap()
    expect(heading).to_contain_text("Température et échantillonnage")
    wait_for_app(phone)
    expect(heading).to_be_in_viewport()
    wait_until(lambda: phone.evaluate(SIDEBAR_EDGES)[0] <= 0, message="the sidebar to close")

    laptop = web.new_page()
    open_page(laptop, app_server.url, page_by_name("Playground"))
    go_by_sidebar(laptop, page_by_name("Temperature_and_Sampling"))
    right, main_left = laptop.evaluate(SIDEBAR_EDGES)
    assert 0 < right <= main_left, (right, main_left)


def test_a_change_of_setting_adds_no_history_entry(app_server: AppServer, web: Web):
    """A student who moved T twice had to press Back three times to leave the page (each
    change of the address was a history entry, and Back to one changed nothing on the page:
    Streamlit reruns only for another page). Now the address is replaced: Back goes to the
    page before, Forward returns with the latest settings. A deck's scenes are entries even
    on one page, as in a slide show (scenes 4 and 5 of the default deck shared one, and Back
    from "the max-shift fixes it" skipped "the naive formula overflows": a projector tour)."""
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("landing"))
    go_by_sidebar(page, page_by_name("Playground"))
    for t in ("2", "3"):
        charts = plot_data(page)
        box = page.get_by_label("T (type any value from 0.01 to 100)", exact=True)
        box.fill(t)
        box.press("Enter")
        after_change(page, charts)
    assert dict(parse_qsl(urlsplit(page.url).query))["T"] == "3"
    page.go_back()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    wait_for_app(page)
    page.go_forward()
    page.wait_for_url(lambda url: urlsplit(url).path == "/Playground")
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    wait_for_app(page)
    wait_for_charts(page)
    assert_draws(plot_data(page), [2, 1, 0.1], 3, also_t1=False)

    deck = web.new_page()
    open_page(deck, app_server.url, page_by_name("Temperature_and_Sampling"), scene_link(3))
    for number in (4, 5):
        deck.get_by_test_id("stMain").get_by_role("button", name="Next", exact=True).click()
        expect(deck.get_by_text(re.compile(rf"^Scene {number} of \d+$"))).to_be_visible()
        wait_for_app(deck)
    for number, slug in ((4, "Naive_vs_Stable"), (3, "Temperature_and_Sampling")):
        deck.go_back()
        expect(deck.get_by_text(re.compile(rf"^Scene {number} of \d+$"))).to_be_visible()
        assert urlsplit(deck.url).path == f"/{slug}"


SHOWN_AND_CLEAR = """button => {
    let opacity = 1;
    for (let e = button; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const box = button.getBoundingClientRect();
    const code = button.closest(".link-box").querySelector(".link-box-text");
    const range = document.createRange();
    range.selectNodeContents(code);
    const over = [...range.getClientRects()].filter(r =>
        r.width > 0 && r.left < box.right && box.left < r.right
        && r.top < box.bottom && box.top < r.bottom);
    return {opacity, visibility: getComputedStyle(button).visibility, over: over.length,
            width: box.width, height: box.height};
}"""

CLIPBOARD = "() => navigator.clipboard.readText()"


def test_on_a_phone_the_share_links_copy_button_is_there_and_copies_the_link(
    app_server: AppServer, web: Web
):
    """ "Copy this link": on a phone Streamlit's code box had no copy button until the box
    was tapped (it shows one under a mouse pointer only), and then it lay over the link (a
    student's phone tour). The link box's Copy button is always drawn, beside the link's
    text, a 24 px target; a tap copies the link exactly and says so. A classroom's
    http://192.168.… address is no secure page, where the browser has no clipboard API: the
    link is copied all the same (page.js part 18)."""
    page = web.new_page(fresh=True, permissions=["clipboard-read", "clipboard-write"], **PHONE)
    open_page(page, app_server.url, page_by_name("Playground"), "z=2,1,0.1&labels=dog,cat,bird&T=1")
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function(  # open, its slide over
        """() => { const s = document.querySelector("[data-testid='stSidebar']");
                   return s.dataset.collapsed === "false" && s.getAnimations().length === 0; }"""
    )
    box = page.get_by_test_id("stSidebar").locator(".link-box").first
    button = box.get_by_role("button", name="Copy link: this view", exact=True)
    expect(button).to_have_text("Copy link")
    expect(button).to_be_visible()
    seen = button.evaluate(SHOWN_AND_CLEAR)
    assert seen["opacity"] == 1 and seen["visibility"] == "visible", seen
    assert seen["over"] == 0, seen
    assert seen["width"] >= 24 and seen["height"] >= 24, seen
    link = share_link(page)
    assert "labels=dog,cat,bird" in link, link
    said = box.locator(".link-box-said[role='status']")
    for secure in (True, False):
        page.evaluate("() => navigator.clipboard.writeText('nothing yet')")
        if not secure:  # as on http://192.168.…: no clipboard API for the page script
            page.evaluate(
                "() => Object.defineProperty(window, 'isSecureContext', {get: () => false})"
            )
        button.tap()
        expect(said).to_have_text("Copied.")
        assert page.evaluate(CLIPBOARD) == link, secure
        expect(said).to_have_text("", timeout=10_000)  # the word goes after a few seconds
    # a browser that refuses even the old copy command: the link is selected, and the word
    # on how to copy it stays
    page.evaluate("() => { document.execCommand = () => false; }")
    button.tap()
    expect(said).to_have_text("Selected: press Ctrl+C (⌘C on a Mac; on a phone, Copy) to copy it.")
    assert page.evaluate("() => String(window.getSelection())") == link
    page.wait_for_timeout(4_500)
    expect(said).not_to_have_text("")
    assert_no_exception(page, app_server)


@pytest.mark.parametrize("slowdown", [1, 6])
def test_a_value_typed_then_copy_link_pressed_copies_the_link_with_the_value(
    slowdown: int, app_server: AppServer, web: Web
):
    """T typed (no Enter), then Copy link pressed: the box's value goes first and the press
    waits for the run it starts (page.js part 16), so the link copied has the new T, found
    again in its keyed box though the share link was drawn anew. Also on a CPU six times
    slower, a cheap phone's, where that run outlasted the 100 ms the press used to wait:
    the old link was copied (a CI run on a loaded machine)."""
    page = web.new_page(fresh=True, permissions=["clipboard-read", "clipboard-write"])
    open_page(page, app_server.url, page_by_name("Playground"), "z=2,1,0.1&labels=dog,cat,bird&T=1")
    box = page.get_by_test_id("stMain").get_by_label(
        "T (type any value from 0.01 to 100)", exact=True
    )
    box.click()
    box.press("Control+A")
    box.press_sequentially("1.5")
    page.evaluate("() => navigator.clipboard.writeText('nothing yet')")
    with slowed_cpu(page, slowdown):
        page.get_by_test_id("stSidebar").get_by_role("button", name="Copy link: this view").click()
        wait_until(lambda: page.evaluate(CLIPBOARD) != "nothing yet", message="a link copied")
        copied = page.evaluate(CLIPBOARD)
        wait_for_app(page, timeout=60_000)
    assert "T=1.5" in copied, copied
    assert copied == share_link(page), (copied, share_link(page))
    assert_no_exception(page, app_server)


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_on_a_phone_every_line_of_a_code_sample_is_drawn_on_one_line(
    lang: str, app_server: AppServer, web: Web
):
    """Gradients' Keras sample at 390×844: its comments were wrapped at 40 characters and the
    phone's code box held 35 of them, so a comment's last word ("no", "y") wrapped onto a line
    without "#", where it read as code, and calls broke mid-word ("(fr" / "om_logits") (seen
    in the review's screenshots). Every line, code and comment, is drawn on one row, with 12
    classes and the longest learning rate; nothing scrolls sideways."""
    page = web.new_page(**PHONE)
    z = ",".join(["1"] * 12)
    query = f"z={z}&lr=0.0012345678901234567&tab=keras&lang={lang}"
    open_page(page, app_server.url, page_by_name("Gradients_and_Cross_Entropy"), query)
    code = page.get_by_test_id("stMain").locator("[data-testid='stCode'] code.language-python")
    expect(code).to_contain_text("from_logits=True")
    rows = code.evaluate(
        """code => [...code.children].map(line => {
            const range = document.createRange();
            range.selectNodeContents(line);
            const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                 .map(r => Math.round(r.top)));
            return [line.textContent.trimEnd(), tops.size];
        })"""
    )
    assert len(rows) >= 25 and any(text.startswith("# ") for text, _n in rows), rows
    assert [text for text, n in rows if n > 1] == [], rows
    assert not sideways_overflow(page)


def edge_brightness(page, table, side: str) -> float:
    """The median, over the rows of pixels of ``table`` as drawn, of the brightest pixel in
    a strip 4 px wide just inside its ``side`` edge: 255 where the background there is white
    between the cells' text and lines, less under a scroll shadow."""
    import io

    from PIL import Image

    box = table.bounding_box()
    assert box
    left = box["x"] + 1 if side == "left" else box["x"] + box["width"] - 5
    shot = page.screenshot(clip={"x": left, "y": box["y"], "width": 4, "height": box["height"]})
    image = Image.open(io.BytesIO(shot)).convert("L")
    rows = sorted(
        max(image.getpixel((x, y)) for x in range(image.width)) for y in range(image.height)
    )
    return float(rows[len(rows) // 2])


def test_on_a_phone_a_table_that_scrolls_sideways_shows_there_is_more(
    app_server: AppServer, web: Web
):
    """The Playground's step table with 12 long names on a 360 px phone: the table scrolled
    inside its box, but a phone draws no scrollbar, so it ended at "0.0C" and the p column,
    the answer, was out of sight (a student tour). A shadow at the edge with more beyond it
    says so: at the right before scrolling, at the left after; none where the table ends."""
    page = web.new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    names = ",".join(
        [*EIGHT_NAMES, "Emperor penguin", "African elephant", "Snow leopard", "Hippopotamus"]
    )
    z = ",".join(str(v) for v in [3, 2.5, 2, 1.5, 1, 0.5, 0, -0.5, -1, -1.5, -2, -2.5])
    open_page(page, app_server.url, page_by_name("Playground"), f"z={z}&T=0.7&labels={names}")
    table = page.get_by_test_id("stMain").locator("table").first
    table.scroll_into_view_if_needed()
    assert table.evaluate("t => t.scrollWidth > t.clientWidth + 20"), "the table should scroll"
    assert edge_brightness(page, table, "right") < 240
    assert edge_brightness(page, table, "left") >= 250
    table.evaluate("t => { t.scrollLeft = t.scrollWidth; }")
    page.wait_for_timeout(200)
    assert edge_brightness(page, table, "right") >= 250
    assert edge_brightness(page, table, "left") < 240
    # a table that fits shows no shadow
    open_page(page, app_server.url, page_by_name("Playground"), "z=2,1,0.1")
    table = page.get_by_test_id("stMain").locator("table").first
    table.scroll_into_view_if_needed()
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
    assert edge_brightness(page, table, "right") >= 250
    assert edge_brightness(page, table, "left") >= 250


TABLETS = {
    "tablet-landscape": {
        "viewport": {"width": 1024, "height": 768},
        "is_mobile": True,
        "has_touch": True,
    },
    "tablet-portrait": {
        "viewport": {"width": 768, "height": 1024},
        "is_mobile": True,
        "has_touch": True,
    },
    "small-laptop": {"viewport": {"width": 1366, "height": 768}},
}


@pytest.mark.parametrize(
    "lesson, query, control",
    [
        ("Playground", EIGHT_LONG, "Temperature T"),
        ("Naive_vs_Stable", "z=2,1,0.1", "Offset c"),
    ],
    ids=["Playground-8", "Naive_vs_Stable"],
)
@pytest.mark.parametrize("screen", sorted(TABLETS))
def test_beside_the_controls_the_picture_stays_in_view(
    screen: str, lesson: str, query: str, control: str, app_server: AppServer, web: Web
):
    """On a tablet (either way up) and a small laptop the picture sits beside the controls:
    a student dragging T, or pushing c on Naive vs stable, can scroll the page so that the
    control and the plot area are both in view (a tablet tour looked; the phone's docking
    and the sideways phone's sticking picture are tested above)."""
    page = web.new_page(**TABLETS[screen])
    open_page(page, app_server.url, page_by_name(lesson), query)
    group = page.get_by_test_id("stMain").get_by_role("group", name=control, exact=True)
    widget = group.locator("xpath=ancestor::*[@data-testid='stSlider'][1]")
    result = seen_together(page, widget, main_chart(page))
    assert result["together"], result
    assert sideways_overflow(page) == {}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("screen", ["tablet-landscape", "tablet-portrait"])
def test_a_button_label_breaks_only_between_words(
    screen: str, lang: str, app_server: AppServer, web: Web
):
    """Calibration on a tablet with the sidebar open: the "New data" button, in a column of
    its own beside three others, read "Ne / w / da / ta" ("Nu / ev / os / da / tos" in
    Spanish: a tablet tour). Every button of the page keeps each word on one line."""
    page = web.new_page(**TABLETS[screen])
    open_page(page, app_server.url, page_by_name("Calibration"), f"lang={lang}")
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") == "true":
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        page.wait_for_timeout(500)  # the sidebar slides in
    labels = page.get_by_test_id("stMain").locator("[data-testid='stButton'] button p")
    expect(labels.first).to_be_visible()
    assert labels.evaluate_all(BROKEN_WORDS) == []
    assert sideways_overflow(page) == {}


@pytest.mark.parametrize("screen", ["tablet-landscape", "tablet-portrait"])
def test_a_metrics_class_name_breaks_only_between_words(
    screen: str, app_server: AppServer, web: Web
):
    """Playground with 8 long class names on a tablet: the predicted class read "Golde" /
    "n" / "Retrie" / "ver" in its metric (a tablet tour: only a value without a space was
    made to fit). A name wraps between its words; a word wider than its column shrinks it."""
    page = web.new_page(**TABLETS[screen])
    open_page(page, app_server.url, page_by_name("Playground"), EIGHT_LONG)
    value = page.get_by_test_id("stMain").get_by_test_id("stMetricValue").first
    expect(value).to_have_text("Golden Retriever")
    page.wait_for_timeout(300)  # page.js fits it at the next frame
    assert value.evaluate(f"v => ({BROKEN_WORDS})([v])") == []
    assert value.evaluate("v => v.scrollWidth <= v.clientWidth + 1")


LONG_NAMES = [*EIGHT_NAMES, "Emperor penguin", "African elephant"]


@pytest.mark.parametrize("classes", [6, 7, 8, 10])
def test_on_a_laptop_the_jacobians_numbers_never_run_together(
    classes: int, app_server: AppServer, web: Web
):
    """Gradients, the Jacobian of 8 classes on a laptop with the sidebar open: the cells'
    numbers ran together ("-0.0011-0.00066", seen in a tour's screenshots). Where numbers are
    written, none touches another; where they would not fit, the cells are coloured only
    (the hover and the colour bar give the values)."""
    page = web.new_page(viewport={"width": 1400, "height": 900})
    z = ",".join(str(3 - 0.5 * i) for i in range(classes))
    names = ",".join(LONG_NAMES[:classes])  # long names narrow the matrix
    query = f"z={z}&labels={names}&tab=jacobian"
    open_page(page, app_server.url, page_by_name("Gradients_and_Cross_Entropy"), query)
    chart = page.locator(".js-plotly-plot").filter(has=page.locator(".heatmaplayer"))
    expect(chart).to_have_count(1)
    cells = chart.evaluate(JACOBIAN_TEXTS)["cells"]
    assert len(cells) in (0, classes * classes), [c["text"] for c in cells]
    clashes = text_clashes(cells, overlap)
    assert not clashes, clashes
    if classes <= 6:
        assert cells, "a small matrix is written"

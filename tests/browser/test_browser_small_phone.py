"""Charts on a small Android phone (360×740 CSS px, touch), read from the drawn SVG.

A tour at 360 px (narrower than the suite's 390 px phone) found charts whose text ran
together or was cut: the filter chart's legend over the second line of its title, the French
exponent chart's legend cut at the right edge, the current T's line across the entropy
chart's labels, a Jacobian of eight long names squeezed to 70 px with its axis title over the
names, and "class" touching the turned class names of a bar chart. Each test measures the
boxes of what is drawn (texts, legend, plot area) and fails on those defects; most run at
390 px too, and in French where French words are longer.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    ARTIFACTS,
    PHONE,
    AppServer,
    Box,
    Web,
    assert_no_exception,
    chart_drawings,
    open_page,
    page_by_name,
    screenshot,
    text_clashes,
)
from tests.class_names import EIGHT_LONG, EIGHT_NAMES

SMALL_PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
"""A small Android phone: 360×740 CSS px, touch, three device pixels to a CSS pixel."""
LAPTOP = {"viewport": {"width": 1400, "height": 900}}
SCREENS = {"360": SMALL_PHONE, "390": PHONE, "laptop": LAPTOP}
SHOTS = ARTIFACTS / "small-phone"
LONG_NAMES = ",".join(EIGHT_NAMES)
TWELVE_LONG = (
    "z=3,2.5,2,1.5,1,0.5,0,-0.5,-1,-1.5,-2,-2.5&labels="
    f"{LONG_NAMES},Snow leopard,Emperor penguin,Red kangaroo,Giant panda"
)
CLEAR_PX = 6.0
"""The least gap between an axis title and the tick labels it names (box to box): 3 px
looked like touching on the phone, the title's ascenders meeting the names' last letters."""


def open_at(web: Web, app_server: AppServer, screen: str, name: str, query: str) -> Page:
    page = web.new_page(**SCREENS[screen])
    open_page(page, app_server.url, page_by_name(name), query)
    assert_no_exception(page, app_server)
    return page


def drawing_of(page: Page, index: int) -> dict:
    """The drawing of the page's chart ``index`` (DOM order), scrolled into view first."""
    charts = page.get_by_test_id("stMain").locator(".js-plotly-plot")
    expect(charts.nth(index)).to_be_visible()
    charts.nth(index).scroll_into_view_if_needed()
    return chart_drawings(page)[index]


def frame_problems(drawing: dict, where: str) -> list[str]:
    """What runs together or out of the chart: two texts (the page's title over the chart
    included) or a text and the legend overlapping; the legend reaching into the plot; a
    text or the legend past the chart's left or right edge."""
    box = drawing["box"]
    boxes = [(f"{t['kind']} {t['text']!r}", t["box"]) for t in drawing["texts"]]
    legend = drawing["legend"]
    if legend:
        boxes.append(("the legend", legend["box"]))
        if drawing["plot"] and legend["box"].bottom > drawing["plot"].y + 1:
            problems = [f"{where}: the legend reaches into the plot area"]
        else:
            problems = []
    else:
        problems = []
    problems += [
        f"{where}: {a} overlaps {b}"
        for (a, box_a), (b, box_b) in combinations(boxes, 2)
        if box_a.overlaps(box_b)
    ]
    problems += [
        f"{where}: {name} runs past the chart's edge ({b.x:.0f}–{b.right:.0f} px, chart "
        f"{box.x:.0f}–{box.right:.0f})"
        for name, b in boxes
        if b.x < box.x - 1 or b.right > box.right + 1
    ]
    return problems


LEGEND_TEXTS = """el => [...el.querySelectorAll('g.legend text.legendtext')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, box: {x: r.x, y: r.y, w: r.width, h: r.height}};
})"""


# --- 1. the filter chart: its title, legend and plot -------------------------------------------


@pytest.mark.parametrize(
    "screen, lang",
    [("360", "en"), ("360", "fr"), ("360", "es"), ("390", "en")],
    ids=["360-en", "360-fr", "360-es", "390-en"],
)
def test_the_filter_charts_title_legend_and_plot_are_apart(
    screen: str, lang: str, app_server: AppServer, web: Web
):
    """Temperature and sampling, top-k/top-p: at 360 px the title (the page's text over the
    chart) wraps, and its second line ran into the first legend entry ("with p = 0.9■
    before"); the legend, drawn on four rows 34 px apart, took the room of the plot. No two
    texts overlap, the legend lies between the title and the plot, and the plot is at least
    60 % of the chart's height."""
    page = open_at(web, app_server, screen, "Temperature_and_Sampling", f"tab=filters&lang={lang}")
    drawing = drawing_of(page, 1)
    assert drawing["legend"] and len(drawing["legend"]["entries"]) == 4, drawing["legend"]
    problems = frame_problems(drawing, f"filters {screen} {lang}")
    titles = [t for t in drawing["texts"] if t["kind"] == "chart title"]
    assert len(titles) == 1, titles
    if titles[0]["box"].bottom > drawing["legend"]["box"].y + 1:
        problems.append(f"the title (to {titles[0]['box'].bottom:.0f}) reaches the legend")
    plot, box = drawing["plot"], drawing["box"]
    if plot.h < 0.6 * box.h:
        problems.append(f"the plot is {plot.h:.0f} px of a {box.h:.0f} px chart (< 60 %)")
    screenshot(page, SHOTS / f"filters-{screen}-{lang}.png")
    assert not problems, "\n".join(problems)


# --- 2. the exponent chart's legend, whole ------------------------------------------------------


@pytest.mark.parametrize(
    "screen, lang",
    [("360", "fr"), ("360", "es"), ("360", "en"), ("390", "fr")],
    ids=["360-fr", "360-es", "360-en", "390-fr"],
)
def test_the_exponent_charts_legend_is_whole(
    screen: str, lang: str, app_server: AppServer, web: Web
):
    """Naive vs stable, "Ce que l'on demande à exp() de calculer" at 360 px in French: the
    legend entries "dépassement de capacité float64 à 709,79" and "soupassement de capacité
    float64 à -745,14" ended at x = 376 in a chart ending at 344, cut at the screen's edge.
    Every legend text is inside the chart, and nothing overlaps."""
    page = open_at(web, app_server, screen, "Naive_vs_Stable", f"lang={lang}")
    drawing = drawing_of(page, 2)
    assert drawing["legend"], "the exponent chart names its two lines in a legend"
    charts = page.get_by_test_id("stMain").locator(".js-plotly-plot")
    texts = charts.nth(2).evaluate(LEGEND_TEXTS)
    assert len(texts) == 2 and all("float64" in t["text"] for t in texts), texts
    box = drawing["box"]
    problems = frame_problems(drawing, f"exponents {screen} {lang}")
    for text in texts:
        b = Box(**text["box"])
        if b.x < box.x - 1 or b.right > box.right + 1:
            problems.append(
                f"legend text {text['text']!r} spans {b.x:.0f}–{b.right:.0f} px, "
                f"the chart {box.x:.0f}–{box.right:.0f}"
            )
    clashes = text_clashes(texts, lambda a, b: Box(**a["box"]).overlaps(Box(**b["box"])))
    problems += [f"legend texts overlap: {pair}" for pair in clashes]
    screenshot(page, SHOTS / f"exponents-{screen}-{lang}.png")
    assert not problems, "\n".join(problems)


# --- 3. the current T's line crosses no label ---------------------------------------------------

T_LINE_AND_NOTES = """el => {
    const box = e => { const r = e.getBoundingClientRect();
                       return {x: r.x, y: r.y, w: r.width, h: r.height}; };
    // The current T's dashed line (vermillion #AD4C00), in one piece or in several.
    const lines = [...el.querySelectorAll('.shapelayer path')]
        .filter(p => getComputedStyle(p).stroke.replace(/ /g, '') === 'rgb(173,76,0)')
        .map(box).filter(b => b.h > b.w);
    const notes = [...el.querySelectorAll('g.annotation')].map(a => ({
        text: a.textContent, box: box(a.querySelector('rect.bg') || a)}));
    return {lines, notes};
}"""


@pytest.mark.parametrize(
    "screen, query",
    [
        ("360", "T=1"),
        ("360", "T=0.3"),
        ("360", "T=1&lang=fr"),
        ("390", "T=1"),
        ("laptop", "T=1"),
    ],
    ids=["360-T1", "360-T0.3", "360-fr", "390-T1", "laptop-T1"],
)
def test_the_current_ts_line_crosses_no_label_of_the_entropy_chart(
    screen: str, query: str, app_server: AppServer, web: Web
):
    """Temperature and sampling, the entropy chart at 360 px: the dashed "T = 1" line ran
    through "log K = log 3 = 1.099 (uniform)" and "0 (all mass on one class)". The line
    (every piece of it) meets no label's box but its own "T = …", which stays beside it."""
    page = open_at(web, app_server, screen, "Temperature_and_Sampling", f"tab=sweep&{query}")
    charts = page.get_by_test_id("stMain").locator(".js-plotly-plot")
    expect(charts).to_have_count(3)
    charts.nth(2).scroll_into_view_if_needed()
    drawn = charts.nth(2).evaluate(T_LINE_AND_NOTES)
    # a path's box is its geometry: a vertical line's is 0 px wide, its stroke 2 px
    lines = [Box(b["x"] - 1, b["y"], b["w"] + 2, b["h"]) for b in drawn["lines"]]
    assert lines, "the current T is marked by a line"
    labels = [n for n in drawn["notes"] if not n["text"].startswith("T = ")]
    assert len(labels) == 2, drawn["notes"]
    crossed = [
        f"the T line ({line.x:.0f}, {line.y:.0f}–{line.bottom:.0f}) crosses {n['text']!r}"
        for line in lines
        for n in labels
        if line.overlaps(Box(**n["box"]), tolerance=0.5)
    ]
    own = next(n for n in drawn["notes"] if n["text"].startswith("T = "))
    b = Box(**own["box"])
    middle = lines[0].x + lines[0].w / 2
    assert min(abs(b.x - middle), abs(b.right - middle)) < 8, (own, lines)
    drawing = chart_drawings(page)[2]
    problems = crossed + frame_problems(drawing, f"entropy {screen} {query}")
    screenshot(page, SHOTS / f"entropy-{screen}-{query.replace('&', '-')}.png")
    assert not problems, "\n".join(problems)


# --- 4. the Jacobian of eight long names ----------------------------------------------------------


@pytest.mark.parametrize("screen", ["360", "390", "laptop"])
def test_a_jacobian_of_long_names_keeps_its_matrix_wide_and_its_names_apart(
    screen: str, app_server: AppServer, web: Web
):
    """Gradients, the Jacobian of eight long names at 360 px: the names and the colour bar
    took the width, the matrix was 76 px wide (cells of 10 px), every other column had no
    name, and the y axis title touched the names. On a phone the matrix is at least 60 % of
    the chart's width, every row and column is named (a short key), each key is explained by
    a text that names its class whole, and the axis titles are clear of the names; on a
    laptop every row and column has its name, and nothing overlaps."""
    page = open_at(
        web, app_server, screen, "Gradients_and_Cross_Entropy", f"tab=jacobian&{EIGHT_LONG}"
    )
    drawing = drawing_of(page, 1)
    assert drawing["axes"]["x"]["title"] == "input: logit zⱼ", drawing["axes"]
    texts = drawing["texts"]
    columns = [t for t in texts if t["kind"] == "x tick label"]
    rows = [t for t in texts if t["kind"] == "y tick label"]
    problems = frame_problems(drawing, f"jacobian {screen}")
    if len(columns) != 8 or len(rows) != 8:
        problems.append(f"{len(columns)} columns and {len(rows)} rows named, not 8 and 8")
    names = LONG_NAMES.split(",")
    drawn = " ".join(t["text"] for t in texts)
    problems += [f"{name!r} is named nowhere in the chart" for name in names if name not in drawn]
    plot, box = drawing["plot"], drawing["box"]
    if screen != "laptop" and plot.w < 0.6 * box.w:
        problems.append(f"the matrix is {plot.w:.0f} px of a {box.w:.0f} px chart (< 60 %)")
    for title, ticks, axis in (("y axis title", rows, "x"), ("x axis title", columns, "y")):
        for t in texts:
            if t["kind"] != title:
                continue
            if axis == "x":  # the y title, turned, left of the row names
                gap = min(r["box"].x for r in ticks) - t["box"].right
            else:  # the x title under the column names
                gap = t["box"].y - max(c["box"].bottom for c in ticks)
            if gap < CLEAR_PX:
                problems.append(f"{title} {t['text']!r} is {gap:.1f} px from the names")
    screenshot(page, SHOTS / f"jacobian-8-{screen}.png")
    assert not problems, "\n".join(problems)


# --- 5. "class" under turned class names ------------------------------------------------------


@pytest.mark.parametrize(
    "name, query, index, screen",
    [
        ("Playground", EIGHT_LONG, 0, "360"),
        ("Playground", TWELVE_LONG, 0, "360"),
        ("Playground", EIGHT_LONG, 0, "390"),
        ("Gradients_and_Cross_Entropy", EIGHT_LONG, 1, "360"),
        ("Gradients_and_Cross_Entropy", f"{TWELVE_LONG}&lang=fr", 1, "360"),
        ("Gradients_and_Cross_Entropy", TWELVE_LONG, 1, "laptop"),
        ("Playground", "z=2,1,0.1,0.5,0.3&lang=fr", 0, "390"),
        ("Playground", "z=2,1,0.1,0.5,0.3&lang=fr", 0, "360"),
    ],
    ids=["playground-8-360", "playground-12-360", "playground-8-390", "gradient-8-360",
         "gradient-12-fr-360", "gradient-12-laptop", "playground-5-fr-390",
         "playground-5-fr-360"],
)  # fmt: skip
def test_the_class_axis_title_is_clear_of_the_turned_names(
    name: str, query: str, index: int, screen: str, app_server: AppServer, web: Web
):
    """Playground and Gradients, bar charts of 8 and 12 long names at 360 px: the x axis
    title "class" touched the turned names above it ("Great White Shark", "Bottlenose
    dolphin"), 2-3 px apart; five short French names ("classe 4", "classe 5") were turned
    though estimated to fit flat, so unmeasured: "classe" lay over them and "classe 5" ran
    off the chart's right edge. It is at least 6 px under the lowest name, every name is
    whole inside the chart, and nothing in the chart overlaps."""
    page = open_at(web, app_server, screen, name, query)
    drawing = drawing_of(page, index)
    texts = drawing["texts"]
    names = [t for t in texts if t["kind"] == "x tick label"]
    title = [t for t in texts if t["kind"] == "x axis title"]
    classes = query.split("z=")[1].split("&")[0].count(",") + 1
    assert len(names) == classes and len(title) == 1, texts
    gap = title[0]["box"].y - max(t["box"].bottom for t in names)
    problems = frame_problems(drawing, f"{name} {screen}")
    if gap < CLEAR_PX:
        problems.append(f"{title[0]['text']!r} is {gap:.1f} px under the lowest class name")
    screenshot(page, SHOTS / f"class-title-{name}-{screen}-{len(names)}.png")
    assert not problems, "\n".join(problems)


TABS = {"Temperature_and_Sampling": "sweep", "Gradients_and_Cross_Entropy": "steps"}


@pytest.mark.parametrize("lang", ["fr", "es", "en"])
def test_every_tab_name_is_whole_on_a_small_phone(lang: str, app_server: AppServer, web: Web):
    """At 360 px the French Temperature tabs ran past the bar's edge: "Top-k et top-p" was cut
    at "Top-k e" under the bar's scroll arrow (a tour). A bar too narrow breaks into rows:
    every tab is wholly inside it, no two tabs overlap, and the open one is underlined."""
    for name, tab in TABS.items():
        page = open_at(web, app_server, "360", name, f"lang={lang}&tab={tab}")
        bar = page.get_by_test_id("stMain").get_by_role("tablist")
        bar.scroll_into_view_if_needed()
        drawn = bar.evaluate("""bar => {
          const box = (el) => { const r = el.getBoundingClientRect();
                                return {x: r.left, y: r.top, r: r.right, b: r.bottom}; };
          const open = bar.querySelector("[role='tab'][aria-selected='true']");
          const line = open.querySelector(".react-aria-SelectionIndicator");
          return {bar: box(bar), scroll: [bar.scrollWidth, bar.clientWidth],
                  tabs: [...bar.querySelectorAll("[role='tab']")].map(
                    t => ({name: t.textContent, ...box(t)})),
                  open: box(open), line: line && box(line)};
        }""")
        assert drawn["scroll"][0] <= drawn["scroll"][1] + 1, drawn
        edge = drawn["bar"]
        for t in drawn["tabs"]:
            assert edge["x"] - 0.5 <= t["x"] and t["r"] <= edge["r"] + 0.5, (name, t, edge)
        for a, b in combinations(drawn["tabs"], 2):
            apart = a["r"] <= b["x"] or b["r"] <= a["x"] or a["b"] <= b["y"] or b["b"] <= a["y"]
            assert apart, (name, a, b)
        line, open_tab = drawn["line"], drawn["open"]
        assert line and open_tab["x"] - 0.5 <= line["x"] and line["r"] <= open_tab["r"] + 0.5
        assert open_tab["y"] <= line["y"] <= open_tab["b"] + 0.5, (line, open_tab)
        screenshot(page, SHOTS / f"tabs-{lang}-{name}.png")

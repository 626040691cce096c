"""How every chart is drawn, read from the SVG Chromium renders: what a student sees.

Data tests passed while the comparison chart's bars were white boxes and a legend pushed a
plot 48 px down; these tests read the drawn page instead. On every page with charts, in
its default state, with the 8-class and 10-class presets and in a few telling states:

* each bar trace's drawn fill (the SVG paths' computed fill, or the pattern they point
  to) is a visible colour (≥ 3:1 against the plot) and differs from every other trace's,
  its hatch has ≥ 3:1 contrast with the fill; legend swatches too;
* no two chart texts (bar labels, tick labels, axis titles, chart title, annotations,
  point labels, the legend box) intersect, and the legend takes no room from the plot;
* a bar label, when drawn, is at least 10 px;
* charts side by side have plot areas of the same top, left offset and size, and the
  same axis range where their axes are the same quantity; before and after a control
  change that makes a legend appear or moves a slider, nothing moves.
"""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from playwright.sync_api import Page

from softmax_ui.presets import PRESETS
from tests.browser.helpers import (
    PHONE,
    PROJECTOR,
    AppPage,
    AppServer,
    Box,
    Web,
    after_change,
    assert_no_exception,
    chart_drawings,
    open_page,
    page_by_name,
    pages_calling,
    plot_data,
    press_slider,
    side_by_side,
    type_into,
)
from tests.contrast import contrast, delta_e, over, parse

NEEDS_A_CLASS = {"Live_class"}
"""Pages that draw a chart only inside a live class (test_browser_live drives one; the
projector chart's colours and frame are checked from its figure in tests/ui)."""
CHART_PAGES = [p for p in pages_calling("chart") if p.name not in NEEDS_A_CLASS]
MIN_MARK_CONTRAST = 3.0
MIN_BAR_LABEL_PX = 10.0
DISTINCT = 10.0
"""Smallest CIE76 difference between the fills of two bar traces (10 is clearly visible)."""


def preset_query(name: str) -> str:
    preset = PRESETS[name]
    return f"z={','.join(f'{v:g}' for v in preset.logits)}&labels={','.join(preset.labels)}&T=1"


NEXT_WORD = preset_query("Next word (NLP)")
DIGIT = preset_query("Handwritten digit (0-9)")
STATES = {"default": "", "digit": DIGIT, "presenter": "present=1"}
"""Three classes; ten (the most bars, labels and legend entries); the projector's type size.
The next-word preset (eight classes) lies between the first two; it is drawn with top-k and
top-p on the page that uses it, below."""
EXTRA = [
    # The comparison with every activation (five series, the widest legend).
    (
        "Softmax_vs_Sigmoid_vs_ReLU",
        "z=2,1,0.1&labels=dog,cat,bird&T=1&act=sigmoid,relu,leaky_relu,silu",
    ),
    # The naive chart broken (its legend appears), at T != 1.
    ("Naive_vs_Stable", "z=2,1,0.1&labels=dog,cat,bird&T=0.5&c=500"),
    # A negative target bar two lines tall over the class names.
    ("Gradients_and_Cross_Entropy", "z=2,1,0.1&labels=dog,cat,bird&T=0.5&target=1"),
    # Top-k and top-p on the next-word example.
    ("Temperature_and_Sampling", NEXT_WORD.replace("&T=1", "&T=0.8&k=3&p=0.9")),
]
CASES = [
    pytest.param(p, query, id=f"{p.name}-{state}")
    for p in CHART_PAGES
    for state, query in STATES.items()
] + [
    pytest.param(page_by_name(name), query, id=f"{name}-{i}")
    for i, (name, query) in enumerate(EXTRA)
]


def rgb(colour: list[float] | None, background: tuple[float, float, float]):
    """A drawn RGBA (None: nothing drawn) as the RGB seen over ``background``."""
    if colour is None:
        return background
    return over(tuple(colour), background)  # type: ignore[arg-type]


def paint_problems(paint: dict, background: tuple, where: str) -> list[str]:
    """What is wrong with one drawn fill: invisible, too faint, or an unreadable hatch."""
    if paint["hatch"] == "missing":
        return [f"{where}: its fill pattern is missing from the SVG"]
    fill = rgb(paint["fill"], background)
    problems = []
    ratio = contrast(fill, background)
    if ratio < MIN_MARK_CONTRAST:
        problems.append(
            f"{where}: fill {tuple(round(c) for c in fill)} has {ratio:.2f}:1 against the "
            f"plot (need {MIN_MARK_CONTRAST}:1; white or transparent is 1:1)"
        )
    if paint["hatch"] not in (None, "none") and paint["lines"] is not None:
        lines = rgb(paint["lines"], fill)
        hatch = contrast(lines, fill)
        if hatch < MIN_MARK_CONTRAST:
            problems.append(f"{where}: hatch lines have {hatch:.2f}:1 against the fill")
    return problems


def fills_of(points: list[dict], background: tuple) -> list[tuple]:
    return [rgb(p["fill"], background) for p in points if p["hatch"] != "missing"]


def distinct_problems(named_fills: list[tuple[str, list[tuple]]], where: str) -> list[str]:
    """Every fill of one trace differs from every fill of another (CIE76 ≥ DISTINCT)."""
    problems = []
    for (a, fills_a), (b, fills_b) in combinations(named_fills, 2):
        closest = min((delta_e(x, y) for x in fills_a for y in fills_b), default=None)
        if closest is not None and closest < DISTINCT:
            problems.append(f"{where}: {a!r} and {b!r} are drawn alike (ΔE {closest:.1f})")
    return problems


def drawing_problems(drawing: dict, name: str) -> list[str]:
    background = tuple(parse(drawing["background"] or "white")[:3])
    problems: list[str] = []
    # Bars and legend swatches: coloured, hatch visible, told apart. Traces of one name are
    # one series, drawn alike on purpose (each filter's cut classes, one legend entry).
    traces: dict[str, list[tuple]] = {}
    for bar in drawing["bars"]:
        where = f"{name}, bars of {bar['name']!r}"
        for paint in bar["points"]:
            problems += paint_problems(paint, background, where)
        traces.setdefault(bar["name"], []).extend(fills_of(bar["points"], background))
    problems += distinct_problems(list(traces.items()), f"{name}, bars")
    legend = drawing["legend"]
    if legend:
        swatches = []
        for entry in legend["entries"]:
            if entry["type"] != "bar":
                continue
            where = f"{name}, legend swatch of {entry['name']!r}"
            for paint in entry["swatches"]:
                problems += paint_problems(paint, background, where)
            swatches.append((entry["name"], fills_of(entry["swatches"], background)))
        problems += distinct_problems(swatches, f"{name}, legend")
    # Texts: none on another; the legend in its own band, off the plot.
    boxes = [(f"{t['kind']} {t['text']!r}", t["box"]) for t in drawing["texts"]]
    if legend:
        boxes.append(("the legend", legend["box"]))
        if drawing["plot"] and legend["box"].bottom > drawing["plot"].y + 1:
            problems.append(f"{name}: the legend reaches into the plot area")
    for (a, box_a), (b, box_b) in combinations(boxes, 2):
        if box_a.overlaps(box_b):
            problems.append(f"{name}: {a} overlaps {b}")
    # Bar labels: readable when drawn.
    for text in drawing["texts"]:
        if text["kind"] == "bar label" and text["px"] < MIN_BAR_LABEL_PX - 0.05:
            problems.append(f"{name}: bar label {text['text']!r} drawn at {text['px']:.1f} px")
    return problems


def alignment_problems(drawings: list[dict], where: str) -> list[str]:
    """Charts in one row share their plot area's top, left offset and size, and their axes
    where the axes are the same quantity."""
    problems = []
    for row in side_by_side(drawings):
        first = drawings[row[0]]
        for i in row[1:]:
            other = drawings[i]
            a, b = first["plot"], other["plot"]
            pair = f"{where}: charts {row[0] + 1} and {i + 1} (side by side)"
            if abs(a.y - b.y) > 1 or abs(a.h - b.h) > 1:
                problems.append(
                    f"{pair}: plot areas at y={a.y:.0f}/{b.y:.0f}, h={a.h:.0f}/{b.h:.0f}"
                )
            left_a, left_b = a.x - first["box"].x, b.x - other["box"].x
            if abs(left_a - left_b) > 1:
                problems.append(f"{pair}: plot areas start {left_a:.0f}/{left_b:.0f} px in")
            if abs(first["box"].w - other["box"].w) <= 1 and abs(a.w - b.w) > 1:
                problems.append(f"{pair}: plot areas {a.w:.0f}/{b.w:.0f} px wide")
            for axis in ("x", "y"):
                p, q = first["axes"][axis], other["axes"][axis]
                if p["title"] == q["title"] and (p["type"], p["range"]) != (q["type"], q["range"]):
                    problems.append(f"{pair}: the {p['title']!r} axes differ: {p} / {q}")
    return problems


def geometry(drawings: list[dict]) -> list[tuple[float, ...]]:
    """Each chart's plot area relative to its chart: left, top, width, height (rounded)."""
    return [
        tuple(
            round(v)
            for v in (d["plot"].x - d["box"].x, d["plot"].y - d["box"].y, d["plot"].w, d["plot"].h)
        )
        for d in drawings
    ]


@pytest.mark.parametrize(("app_page", "query"), CASES)
def test_every_chart_is_drawn_visibly_and_legibly(
    app_page: AppPage, query: str, app_server: AppServer, page: Page
):
    open_page(page, app_server.url, app_page, query)
    assert_no_exception(page, app_server)
    drawings = chart_drawings(page)
    assert drawings, f"{app_page}: no chart drawn"
    problems = alignment_problems(drawings, str(app_page))
    for i, drawing in enumerate(drawings):
        assert drawing["plot"] is not None, f"{app_page}: chart {i + 1} has no plot area"
        problems += drawing_problems(drawing, f"{app_page} chart {i + 1}")
    assert not problems, "\n".join(problems)


C_BOX = "c (any value from -10,000 to 10,000)"  # (the limit grouped as the reader writes it)


def test_naive_and_stable_stay_aligned_when_the_naive_legend_appears(
    app_server: AppServer, page: Page
):
    """Typing c = 800 breaks the naive formula: its chart gets a legend for the NaN bars.
    Neither plot area moves or changes size, and the two stay level."""
    open_page(
        page, app_server.url, page_by_name("Naive_vs_Stable"), "z=2,1,0.1&labels=dog,cat,bird&T=1"
    )
    before = chart_drawings(page)
    assert not before[0]["legend"], "no legend while every value is finite"
    charts = plot_data(page)
    type_into(page, C_BOX, "800")
    after_change(page, charts)
    after = chart_drawings(page)
    assert after[0]["legend"], "the naive chart names its NaN bars in a legend"
    assert not alignment_problems(after, "c = 800"), alignment_problems(after, "c = 800")
    assert geometry(after[:2]) == geometry(before[:2]), "a plot area moved or changed size"
    for i, drawing in enumerate(after[:2]):
        assert not drawing_problems(drawing, f"chart {i + 1}"), drawing_problems(
            drawing, f"chart {i + 1}"
        )


def test_temperature_sweeps_stay_aligned_while_t_moves(app_server: AppServer, page: Page):
    """With the 8-class preset the probability sweep has an 8-entry legend and the entropy
    sweep a 2-entry one: the two plots line up, and moving T moves neither."""
    open_page(page, app_server.url, page_by_name("Temperature_and_Sampling"), NEXT_WORD)
    before = chart_drawings(page)
    assert not alignment_problems(before, "T = 1"), alignment_problems(before, "T = 1")
    charts = plot_data(page)
    for _ in range(3):
        press_slider(page, "Temperature T", "ArrowLeft")
        charts = after_change(page, charts)
    after = chart_drawings(page)
    assert not alignment_problems(after, "T = 0.85"), alignment_problems(after, "T = 0.85")
    assert geometry(after) == geometry(before)


T_MARKS = """chart => {
    const line = [...chart.querySelectorAll('.shapelayer path')].find(
        p => (p.getAttribute('style') || '').includes('dash') &&
             p.getBoundingClientRect().width < 4 && p.getBoundingClientRect().height > 50);
    const label = [...chart.querySelectorAll('g.annotation')].find(
        a => a.textContent.startsWith('T = '));
    const l = line.getBoundingClientRect(), t = label.getBoundingClientRect();
    return {line: l.left + l.width / 2, left: t.left, right: t.right, text: label.textContent};
}"""


def test_the_current_t_is_labelled_beside_its_line(app_server: AppServer, page: Page):
    """The sweeps' T axes are log axes, where Plotly places a label at the log10 of its x:
    the label "T = 1" stood at T = 10, far from the line at 1 (found by a student tour).
    On both sweeps the label touches its line, at T = 1 and after moving T."""
    open_page(page, app_server.url, page_by_name("Temperature_and_Sampling"), NEXT_WORD)
    charts = page.get_by_test_id("stPlotlyChart")
    for T in ("T = 1", "T = 0.85"):
        if T != "T = 1":
            data = plot_data(page)
            for _ in range(3):
                press_slider(page, "Temperature T", "ArrowLeft")
                data = after_change(page, data)
        for i in (1, 2):  # the two sweeps (0 is the bar chart)
            mark = charts.nth(i).locator(".js-plotly-plot").evaluate(T_MARKS)
            assert mark["text"] == T, mark
            assert min(abs(mark["left"] - mark["line"]), abs(mark["right"] - mark["line"])) < 6, (
                mark
            )


MARKS = r"""el => {
    // Where the chart's data is drawn (points along each scatter line, every 2 px, and each
    // marker's box) and what is written over the plot (annotations with their background
    // box, point labels), in page pixels.
    const box = r => ({x: r.x, y: r.y, w: r.width, h: r.height});
    const points = [];
    for (const path of el.querySelectorAll('g.scatterlayer g.trace path.js-line')) {
        const m = path.getScreenCTM(), length = path.getTotalLength();
        for (let s = 0; s <= length; s += 2) {
            const p = path.getPointAtLength(s);
            points.push({x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f});
        }
    }
    const markers = [...el.querySelectorAll('g.scatterlayer g.points path.point')]
        .map(p => box(p.getBoundingClientRect())).filter(b => b.w > 0);
    const bars = [...el.querySelectorAll('g.barlayer g.point path')]
        .map(p => box(p.getBoundingClientRect())).filter(b => b.w > 0 && b.h > 0);
    const notes = [...el.querySelectorAll('g.annotation')].map(a => ({
        kind: 'annotation', text: a.textContent,
        box: box((a.querySelector('rect.bg') || a).getBoundingClientRect())}));
    const labels = [...el.querySelectorAll('g.textpoint text')]
        .filter(t => t.textContent.trim() !== '')
        .map(t => ({kind: 'point label', text: t.textContent,
                    box: box(t.getBoundingClientRect())}));
    return {points, markers, bars, covers: [...notes, ...labels]};
}"""


def covered_marks(chart) -> list[str]:
    """What a label or an annotation's white box hides of the drawn data: a point of a line
    (1.5 px inside the box: half the widest line) or a marker other than the labelled one
    (overlapping by more than 2 px; a point label sits just over its own marker)."""
    drawn = chart.evaluate(MARKS)
    problems = []
    for cover in drawn["covers"]:
        b = Box(**cover["box"])
        inside = [
            p
            for p in drawn["points"]
            if b.x + 1.5 < p["x"] < b.right - 1.5 and b.y + 1.5 < p["y"] < b.bottom - 1.5
        ]
        if inside:
            problems.append(
                f"{cover['kind']} {cover['text']!r} covers {len(inside)} points of a line, "
                f"e.g. at x={inside[0]['x']:.0f}, y={inside[0]['y']:.0f}"
            )
        hit = [m for m in drawn["markers"] if b.overlaps(Box(**m), tolerance=2.0)]
        if len(hit) > (1 if cover["kind"] == "point label" else 0):
            problems.append(f"{cover['kind']} {cover['text']!r} is drawn on {len(hit)} markers")
        if any(b.overlaps(Box(**bar)) for bar in drawn["bars"]):
            problems.append(f"{cover['kind']} {cover['text']!r} is written across a bar")
    return problems


def title_problems(drawing: dict, name: str) -> list[str]:
    """Texts drawn (partly) outside their chart are cut off by its edge; the x axis title
    is under every x tick label, not among them."""
    box = drawing["box"]
    problems = [
        f"{name}: {t['kind']} {t['text']!r} runs past the chart's edge "
        f"({t['box'].x:.0f}–{t['box'].right:.0f} px, chart {box.x:.0f}–{box.right:.0f})"
        for t in drawing["texts"]
        if t["kind"] != "chart title" and (t["box"].x < box.x - 1 or t["box"].right > box.right + 1)
    ]
    ticks = [t["box"].bottom for t in drawing["texts"] if t["kind"] == "x tick label"]
    for t in drawing["texts"]:
        if t["kind"] == "x axis title" and ticks and t["box"].y < max(ticks) - 1:
            problems.append(
                f"{name}: x axis title {t['text']!r} (top {t['box'].y:.0f}) is drawn among "
                f"the x tick labels (down to {max(ticks):.0f})"
            )
    return problems


EIGHT_FR = (
    "z=4.1,3.6,3.2,2.9,2.5,2.2,1.9,1.2&labels=le+tapis,le+sol,la+chaise,le+lit,la+table,"
    "le+canap%C3%A9,le+toit,la+fen%C3%AAtre&lang=fr"
)
TOUR = [
    pytest.param(
        "Temperature_and_Sampling",
        "tab=sweep&present=1&lang=es",
        PROJECTOR,
        id="sweep-es-presenter",
    ),
    pytest.param("Temperature_and_Sampling", "tab=sweep&lang=fr", PHONE, id="sweep-fr-phone"),
    pytest.param("Temperature_and_Sampling", "tab=sweep&lang=es", PHONE, id="sweep-es-phone"),
    pytest.param(
        "Temperature_and_Sampling", f"{EIGHT_FR}&tab=sampling", PHONE, id="sampling-fr-phone-8"
    ),
    pytest.param(
        "Temperature_and_Sampling", f"{EIGHT_FR}&tab=filters", PHONE, id="filters-fr-phone-8"
    ),
    pytest.param("Gradients_and_Cross_Entropy", "tab=steps&lang=fr", PHONE, id="steps-fr-phone"),
]


@pytest.mark.parametrize(("name", "query", "screen"), TOUR)
def test_labels_leave_the_data_and_the_titles_whole_in_long_languages(
    name: str, query: str, screen: dict, app_server: AppServer, web: Web
):
    """A student tour in Spanish and French (tour 15): the entropy chart's "0 (toute la masse
    sur une classe)" hid the rising curve behind its white box; the sweeps' x axis title lost
    its ")" at the right edge of a phone; "classe" was written over the rotated class names;
    a sample's count touched the plot's top; the loss chart's last label sat on the markers
    of the steps before it. On those views no text overlaps another, runs past its chart's
    edge, or hides a line or a marker of the data."""
    page = web.new_page(**screen)
    open_page(page, app_server.url, page_by_name(name), query)
    assert_no_exception(page, app_server)
    if "tab=steps" in query:
        charts = plot_data(page)
        page.get_by_role("button", name=re.compile(r"\b10\b")).click()
        after_change(page, charts)
    drawings = chart_drawings(page)
    charts = page.locator(".js-plotly-plot")
    problems = []
    for i, drawing in enumerate(drawings):
        where = f"{name} chart {i + 1}"
        problems += drawing_problems(drawing, where)
        problems += title_problems(drawing, where)
        problems += [f"{where}: {p}" for p in covered_marks(charts.nth(i))]
    assert not problems, "\n".join(problems)

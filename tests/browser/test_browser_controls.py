"""The shared controls, used with keyboard and mouse in the real app: each one changes what
the charts draw, the state follows page switches, and the share link reproduces the view."""

from __future__ import annotations

import csv
import re
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from softmax_ui.i18n import _, language
from tests.browser.helpers import (
    AppPage,
    AppServer,
    Web,
    after_change,
    assert_draws,
    assert_no_exception,
    describe,
    go_by_sidebar,
    headings_shown,
    open_page,
    page_by_name,
    pages_calling,
    pick_preset,
    pick_radio,
    plot_data,
    press_slider,
    reveal,
    same_plots,
    share_link,
    softmax,
    type_into,
    wait_for_app,
    wait_for_charts,
    wait_for_tab,
    wait_until,
)

CHART_PAGES = pages_calling("chart")
EDITOR_PAGES = [p for p in pages_calling("logits_editor") if p in CHART_PAGES]
"""Pages where the logits editor drives a chart (the Quiz's editor drives questions)."""
TEMPERATURE_PAGES = pages_calling("temperature_control")
DTYPE_PAGES = pages_calling("dtype_control")
START = "z=2,1,0.1&labels=dog,cat,bird&T=1"
DOG_CAT_BIRD = ["dog", "cat", "bird"]
PASTE = "Paste logits (comma-separated)"
T_BOX = "T (type any value from 0.01 to 100)"


def link_state(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(share_link(page)).query).items()}


def assert_share_link_reproduces(page: Page, web: Web, server: AppServer, app_page: AppPage):
    """The sidebar's share link, opened in a new browser context (no cookies, a new Streamlit
    session), draws exactly what ``page`` draws."""
    charts, link = plot_data(page), share_link(page)
    assert urlsplit(link).path == f"/{app_page.url_path}", link
    student = web.new_page()
    response = student.goto(link, wait_until="domcontentloaded")
    assert response is not None and response.ok, link
    wait_for_app(student)
    wait_for_charts(student)
    assert_no_exception(student, server)
    shown = plot_data(student)
    assert same_plots(shown, charts), f"teacher:\n{describe(charts)}\nstudent:\n{describe(shown)}"
    assert share_link(student) == link


@pytest.mark.parametrize("app_page", EDITOR_PAGES, ids=str)
def test_logits_editor_drives_the_chart(app_page: AppPage, app_server: AppServer, web: Web):
    """Slider by keyboard, pasted logits + Enter, a preset, and (where the page has it) the
    temperature box and slider: each redraws the chart. Then the share link shows the same
    view in a new session."""
    page = web.new_page()
    open_page(page, app_server.url, app_page, START)
    charts = plot_data(page)
    assert_draws(charts, [2, 1, 0.1], 1, DOG_CAT_BIRD)

    press_slider(page, "Slide z1", "ArrowRight")  # one step: 2 → 2.01
    charts = after_change(page, charts)
    assert_draws(charts, [2.01, 1, 0.1], 1, DOG_CAT_BIRD)
    expect(reveal(page, page.get_by_label("z1", exact=True))).to_have_value("2.01")

    type_into(page, PASTE, "3, -1, 0.5, 2")
    charts = after_change(page, charts)
    assert_draws(charts, [3, -1, 0.5, 2], 1, [*DOG_CAT_BIRD, "class 4"])

    pick_preset(page, "Game action")
    charts = after_change(page, charts)
    assert_draws(charts, [1.5, 0.2, 2.3, -0.7], 1, ["left", "right", "jump", "wait"])
    assert link_state(page)["labels"] == "left,right,jump,wait"

    if app_page in TEMPERATURE_PAGES:
        game = [1.5, 0.2, 2.3, -0.7]
        type_into(page, T_BOX, "0.5")
        charts = after_change(page, charts)
        assert_draws(charts, game, 0.5, also_t1=False)
        press_slider(page, "Temperature T", "ArrowRight")  # one step of 0.05
        charts = after_change(page, charts)
        assert_draws(charts, game, 0.55, also_t1=False)
        assert float(link_state(page)["T"]) == pytest.approx(0.55)

    assert_no_exception(page, app_server)
    assert_share_link_reproduces(page, web, app_server, app_page)


def test_a_number_the_box_cannot_read_changes_nothing_and_says_so(app_server: AppServer, web: Web):
    """1e309 overflows a double: Chromium's number box drops it, and Streamlit sent the box's
    default, 0, so the logit became 0 without a word and cat won (a tour). Now the box shows
    the logit before, a message says why, and the chart is as it was; the box draws no clear
    button (an emptiable box has one)."""
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("Playground"), START)
    charts = plot_data(page)
    for label, text, kept in (("z1", "1e309", "2"), (T_BOX, "-1e309", "1")):
        type_into(page, label, text)
        main = page.get_by_test_id("stMain")
        said = label if label == "z1" else "T"
        expect(main.get_by_text(f"Type a number: {said} kept its value.")).to_be_visible()
        wait_for_app(page)
        expect(page.get_by_label(label, exact=True)).to_have_value(kept)
        assert same_plots(plot_data(page), charts)
        assert link_state(page)["z"] == "2,1,0.1" and link_state(page)["T"] == "1"
    expect(page.get_by_test_id("stNumberInputClearButton").first).to_be_hidden()
    assert_no_exception(page, app_server)


def test_a_number_not_whole_in_a_whole_number_box_is_refused_and_2e3_is_two_thousand(
    app_server: AppServer, web: Web
):
    """Streamlit's browser read a whole-number box as parseInt does: N typed as 7.9 drew 7
    samples and 1e3 drew 1, without a word (a tour). Now 7.9 (2,5 in Spanish) is refused with
    a message, the box keeps what was typed and the draw is as it was; 2e3 is 2000."""
    page = web.new_page()
    open_page(
        page,
        app_server.url,
        page_by_name("Temperature_and_Sampling"),
        START + "&tab=sampling&samples=500",
    )
    box = "Number of samples N (1 to 10,000)"
    reveal(page, page.get_by_label(box, exact=True))
    charts = plot_data(page)
    type_into(page, box, "7.9")
    expect(page.get_by_text("Type a whole number: N kept its value.")).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_label(box, exact=True)).to_have_value("7.9")
    assert link_state(page)["samples"] == "500"
    assert same_plots(plot_data(page), charts)
    type_into(page, box, "2e3")
    wait_until(lambda: link_state(page).get("samples") == "2000", message="N = 2000")
    wait_for_app(page)
    expect(page.get_by_label(box, exact=True)).to_have_value("2000")
    expect(page.get_by_text("Type a whole number", exact=False)).to_have_count(0)

    spanish = web.new_page(locale="es-ES")
    open_page(
        spanish,
        app_server.url,
        page_by_name("Temperature_and_Sampling"),
        START + "&tab=sampling&lang=es",
    )
    with language("es"):
        caja = _("Number of samples N (1 to 10,000)")  # "… (de 1 a 10 000)"
    reveal(spanish, spanish.get_by_label(caja, exact=True))
    field = spanish.get_by_label(caja, exact=True)
    field.fill("")
    field.press_sequentially("2,5")  # (the page script reads a Spanish comma as a point)
    field.press("Enter")
    expect(spanish.get_by_text("Escribe un número entero: «N» conserva su valor.")).to_be_visible()
    wait_for_app(spanish)
    assert link_state(spanish).get("samples", "1000") == "1000"
    assert_no_exception(page, app_server)


def test_a_number_of_classes_out_of_range_is_said_in_words_on_the_page(
    app_server: AppServer, web: Web
):
    """21 classes: Streamlit's browser kept 21 in a red box, said why in English in a tooltip
    a phone cannot hover, and sent nothing, so a message from an earlier 7.9 stayed under
    1e3 (a whole number) (a tour). The page says the range in the reader's language."""
    page = web.new_page(locale="fr-FR")
    open_page(page, app_server.url, page_by_name("Playground"), START + "&lang=fr")
    main = page.get_by_test_id("stMain")
    box = "Nombre de classes"
    type_into(page, box, "7.9")
    expect(main.get_by_text("Tapez un nombre entier", exact=False)).to_be_visible()
    for typed, said in (("1e3", "1\u202f000"), ("21", "21")):
        type_into(page, box, typed)
        message = main.get_by_text("doit être comprise entre 2 et 20", exact=False)
        expect(message).to_contain_text(said)
        expect(main.get_by_text("Tapez un nombre entier", exact=False)).to_have_count(0)
        wait_for_app(page)
        assert link_state(page)["z"] == "2,1,0.1"
    assert_no_exception(page, app_server)


@pytest.mark.parametrize("app_page", DTYPE_PAGES, ids=str)
def test_precision_radio(app_page: AppPage, app_server: AppServer, web: Web):
    """exp(12) fits in float64 but not in float16: switching the dtype breaks the naive bars
    (and a student opening the share link sees them broken too)."""
    page = web.new_page()
    open_page(page, app_server.url, app_page, "z=12,1,0&labels=a,b,c&T=1")
    charts = plot_data(page)
    assert not any(np.isnan(t["y"]).any() for c in charts for t in c if t["y"] is not None)

    pick_radio(page, "float16")
    charts = after_change(page, charts)
    assert link_state(page).get("dtype") == "float16"
    if app_page.name == "Naive_vs_Stable":
        naive, stable, _ = charts
        assert np.isnan(naive[0]["y"][0]), describe(charts)
        np.testing.assert_allclose(stable[0]["y"], softmax([12, 1, 0]), rtol=1e-3)  # float16 z
    assert_share_link_reproduces(page, web, app_server, app_page)


def test_sidebar_navigation_keeps_the_logits(app_server: AppServer, page: Page):
    """Logits typed on one page are on every other page reached through the sidebar: in the
    charts, the share link and the editor's own boxes (after every second switch the editor
    came up empty, with 2 classes, no names and z = 0, while the chart was right)."""
    playground = page_by_name("Playground")
    open_page(page, app_server.url, playground)
    charts = plot_data(page)
    type_into(page, PASTE, "0.5, 3, -2")
    charts = after_change(page, charts)
    type_into(page, T_BOX, "2")
    charts = after_change(page, charts)
    assert_draws(charts, [0.5, 3, -2], 2, also_t1=False)

    for target in [p for p in EDITOR_PAGES if p != playground] + [playground]:
        go_by_sidebar(page, target)
        assert_no_exception(page, app_server)
        assert_draws(plot_data(page), [0.5, 3, -2], 2, [*DOG_CAT_BIRD])
        state = link_state(page)
        assert [float(v) for v in state["z"].split(",")] == [0.5, 3, -2], state
        assert float(state["T"]) == 2, state
        assert urlsplit(page.url).path == f"/{target.url_path}"
        expect(page.get_by_label(PASTE, exact=True)).to_have_value("0.5, 3, -2")
        expect(page.get_by_label("Number of classes", exact=True)).to_have_value("3")
        if target in TEMPERATURE_PAGES:
            expect(page.get_by_label(T_BOX, exact=True)).to_have_value("2")
        z1 = reveal(page, page.get_by_label("z1", exact=True))
        expect(z1).to_have_value("0.5")
        expect(page.get_by_label("Class 1 name", exact=True)).to_have_value("dog")


def test_overflow_trap_is_marked_and_explained(app_server: AppServer, page: Page):
    open_page(page, app_server.url, page_by_name("Naive_vs_Stable"))
    charts = plot_data(page)
    pick_preset(page, "Overflow trap")
    naive, stable, exponents = after_change(page, charts)

    assert list(naive[0]["x"]) == ["a", "b", "c"]
    assert np.isnan(naive[0]["y"]).all(), describe([naive])
    marker = naive[1]  # the grey, cross-hatched bars that say what the formula returned
    assert list(marker["x"]) == ["a", "b", "c"]
    np.testing.assert_array_equal(marker["y"], [1.0, 1.0, 1.0])
    assert all("NaN" in str(t) for t in marker["text"]), marker["text"]
    np.testing.assert_allclose(stable[0]["y"], softmax([1000, 1001, 1002]), rtol=1e-12)
    assert list(exponents[0]["text"]) == ["overflow"] * 3

    # In the browser, not only in the data: the bars' labels are drawn...
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator("text.bartext", has_text="NaN")).to_have_count(3)
    # ...and the explanation says what happened.
    alert = page.get_by_test_id("stAlertContentError")
    expect(alert).to_contain_text("overflow", ignore_case=True)
    details = page.get_by_test_id("stExpander").filter(has_text="What happened to each class")
    expect(details).to_contain_text("overflow", ignore_case=True)


def test_a_control_after_another_sections_rerun(app_server: AppServer, web: Web):
    """Temperature: the seed reruns only the sampling section (and the share link); the
    temperature slider, drawn in the section that did not rerun, still works afterwards, and
    the share link and the address bar say exactly what is shown after each change."""
    page = web.new_page()
    app_page = page_by_name("Temperature_and_Sampling")
    open_page(page, app_server.url, app_page, START)
    charts = plot_data(page)

    before = headings_shown(page)
    page.get_by_role("tab", name="Sampling", exact=True).click()  # reruns the tabs' section
    wait_for_tab(page, before)
    charts = plot_data(page)
    type_into(page, "Random seed", "7")
    charts = after_change(page, charts)
    sampling = {**parse_qs_flat(START), "tab": "sampling"}
    assert link_state(page) == {**sampling, "seed": "7"}
    assert parse_qs_flat(urlsplit(page.url).query) == link_state(page)

    press_slider(page, "Temperature T", "ArrowRight")  # one step: 1 → 1.05
    charts = after_change(page, charts)
    assert_draws(charts, [2, 1, 0.1], 1.05, DOG_CAT_BIRD, also_t1=False)
    assert link_state(page) == {**sampling, "seed": "7", "T": "1.05"}
    assert parse_qs_flat(urlsplit(page.url).query) == link_state(page)
    assert_no_exception(page, app_server)


def tab_names(page: Page) -> tuple[list[str], list[str]]:
    """The tabs' names, and the selected ones'."""
    tabs = page.get_by_role("tab").all()
    names = [t.inner_text().strip() for t in tabs]
    selected = [t.get_attribute("aria-selected") == "true" for t in tabs]
    return names, [n for n, chosen in zip(names, selected, strict=True) if chosen]


def trace_names(charts: list[list[dict]]) -> list[list[str]]:
    return [[t["name"] or "" for t in chart] for chart in charts]


def test_the_further_pictures_open_one_tab_at_a_time(app_server: AppServer, web: Web):
    """Temperature: the sweep, the samples and the filters are tabs; only the open one is
    drawn, by mouse or keyboard (arrow keys), and the link, the address bar and a new
    session opened from the link show the same tab. T still drives the open tab's pictures."""
    page = web.new_page()
    app_page = page_by_name("Temperature_and_Sampling")
    open_page(page, app_server.url, app_page, START)
    names = ["From argmax to uniform", "Sampling", "Top-k and top-p"]
    assert tab_names(page) == (names, names[:1])
    charts = plot_data(page)
    assert len(charts) == 3  # the main picture, p(T) and H(T)
    assert "tab" not in link_state(page)
    headings = headings_shown(page)
    assert headings == ["From argmax to uniform: sweep T from 0.05 to 20"]

    page.get_by_role("tab", name="Sampling", exact=True).click()
    wait_for_tab(page, headings)
    charts = plot_data(page)
    assert tab_names(page) == (names, ["Sampling"])
    assert len(charts) == 2 and trace_names(charts)[1][1] == "observed (seed 0)"
    assert link_state(page) == {**parse_qs_flat(START), "tab": "sampling"}
    assert parse_qs_flat(urlsplit(page.url).query) == link_state(page)
    expect(
        page.get_by_role("heading", name="Sampling: what a generator actually picks")
    ).to_be_visible()

    headings = headings_shown(page)
    assert headings == ["Sampling: what a generator actually picks"]
    page.get_by_role("tab", name="Sampling", exact=True).press("ArrowRight")  # the keyboard
    wait_for_tab(page, headings)
    charts = plot_data(page)
    assert tab_names(page) == (names, ["Top-k and top-p"])
    assert len(charts) == 2 and trace_names(charts)[1][0] == "before"
    assert link_state(page)["tab"] == "filters"
    expect(page.get_by_label("k (1 to the number of classes)", exact=True)).to_be_visible()

    press_slider(page, "Temperature T", "ArrowRight")  # one step: 1 → 1.05
    charts = after_change(page, charts)
    assert_draws(charts, [2, 1, 0.1], 1.05, DOG_CAT_BIRD, also_t1=False)
    np.testing.assert_allclose(charts[1][0]["y"], softmax([2, 1, 0.1], 1.05), rtol=1e-9)
    assert link_state(page) == {**parse_qs_flat(START), "tab": "filters", "T": "1.05"}
    assert_share_link_reproduces(page, web, app_server, app_page)
    assert_no_exception(page, app_server)


def test_a_temperature_beyond_the_slider_range_is_where_slider_and_sweep_show_it(
    app_server: AppServer, web: Web
):
    """T = 100 from a link: the slider reaches 100 and reads it, and one arrow press sets
    99.95 (the 0.05-5 slider read 5.00 there and set 4.95); the sweep runs to T and marks it
    where it is (it stopped at 20 with the marker clamped there)."""
    page = web.new_page()
    app_page = page_by_name("Temperature_and_Sampling")
    open_page(page, app_server.url, app_page, "z=2,1,0.1&labels=dog,cat,bird&T=100")
    thumb = page.get_by_role("group", name="Temperature T", exact=True).get_by_role("slider")
    expect(thumb).to_have_value("100")  # an <input type=range>
    expect(thumb).to_have_attribute("max", "100")
    charts = plot_data(page)
    for t in (100.0, 99.95):
        marked = [
            (chart, trace)
            for chart in charts
            for trace in chart
            if trace.get("name") == "at the current T" or trace["name"].startswith("now: H =")
        ]
        assert len(marked) == 2, describe(charts)  # the p(T) and H(T) sweeps
        for chart, now in marked:
            assert list(now["x"]) == pytest.approx([t] * len(now["x"]))
            drawn = [x for trace in chart if trace is not now for x in trace["x"]]
            assert min(drawn) == pytest.approx(0.05) and max(drawn) == pytest.approx(t)
        if t == 100.0:
            press_slider(page, "Temperature T", "ArrowLeft")
            charts = after_change(page, charts)
            assert_draws(charts, [2, 1, 0.1], 99.95, DOG_CAT_BIRD, also_t1=False)
    assert link_state(page)["T"] == "99.95"
    type_into(page, T_BOX, "3")  # back in the usual range: the usual slider
    charts = after_change(page, charts)
    assert_draws(charts, [2, 1, 0.1], 3, DOG_CAT_BIRD, also_t1=False)
    thumb = page.get_by_role("group", name="Temperature T", exact=True).get_by_role("slider")
    expect(thumb).to_have_attribute("max", "5")
    expect(thumb).to_have_value("3")
    assert_no_exception(page, app_server)


@pytest.mark.parametrize("how", ["typed", "pasted"])
def test_a_paste_too_long_for_the_logits_box_says_why(app_server: AppServer, web: Web, how: str):
    """More than 1000 characters in the paste box: the page says the text is too long and
    how many numbers it takes, and draws what it drew (the browser used to drop the paste
    without a word, and Enter then said "The list is empty")."""
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("Playground"), START)
    charts = plot_data(page)
    text = ", ".join(f"{i % 7}.25" for i in range(300))  # 1798 characters, 300 numbers
    box = page.get_by_label(PASTE, exact=True)
    box.fill("")
    if how == "typed":
        box.fill(text)
    else:
        box.focus()
        page.keyboard.insert_text(text)  # what a paste from the clipboard does
    box.press("Enter")
    expect(page.get_by_text("longer than 1000 characters")).to_be_visible()
    expect(page.get_by_text("The list is empty")).to_have_count(0)
    assert same_plots(plot_data(page), charts)
    assert link_state(page) == parse_qs_flat(START)
    assert_no_exception(page, app_server)


LONG_NAME = "Golden Retriever puppy on a sofa"  # 32 characters
LONG_TITLE = "Temperature: from argmax to uniform, and what sampling does with it, step 1"


@pytest.mark.parametrize(
    ("page_name", "box_label", "text", "said", "count"),
    [
        # (a class name's narrow box shows no hint, nor count)
        ("Playground", "Class 1 name", LONG_NAME, "Label 1 is longer than 24 characters.", None),
        ("Playground", PASTE, "2, 1, 0.1" * 112, "longer than 1000 characters", "1008/1000"),
        ("Workshop", "Scene title", LONG_TITLE, "The scene title has 75 characters", "75/60"),
    ],
)
def test_a_pasted_name_too_long_for_its_box_says_why(
    app_server: AppServer,
    web: Web,
    page_name: str,
    box_label: str,
    text: str,
    said: str,
    count: str | None,
):
    """A pasted class name over 24 characters, or a scene title over 60, vanished without a
    word: the browser drops a paste longer than the box's limit whole (a teacher's tour
    found it in the live class's nickname box). The box takes it, and the page says why it
    is not used; its count gives the app's limit, not the box's (it read "75/240")."""
    page = web.new_page()
    open_page(page, app_server.url, page_by_name(page_name), START)
    box = reveal(page, page.get_by_label(box_label, exact=True))
    box.focus()
    box.fill("")
    page.keyboard.insert_text(text)  # what a paste from the clipboard does
    expect(box).to_have_value(text)
    if count:
        hint = page.get_by_test_id("InputInstructions").filter(visible=True)
        expect(hint).to_have_text(re.compile(rf"(^|\D){re.escape(count)}$"))
    if page_name == "Workshop":
        page.get_by_role("button", name="Add the current view as a scene").click()
    else:
        box.press("Enter")
    expect(page.get_by_text(said)).to_be_visible()
    # the text stays in its box, to be shortened (the title's was emptied: typed again)
    expect(page.get_by_label(box_label, exact=True)).to_have_value(text)
    assert_no_exception(page, app_server)


def test_a_refused_name_is_taken_once_the_class_it_clashed_with_is_renamed(
    app_server: AppServer, web: Web
):
    """Class 2 named "bird", which class 3 is called: refused, with a message, the name kept
    in its box. Renaming class 3 then takes it, on the chart and in the link (class 2 went
    back to "cat" without a word, and a teacher's deck was saved so: a Spanish teacher's
    tour)."""
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("Playground"), START)
    second = reveal(page, page.get_by_label("Class 2 name", exact=True))
    type_into(page, "Class 2 name", "bird")
    expect(page.get_by_text("labels must be different", exact=False)).to_be_visible()
    wait_for_app(page)
    # a change elsewhere meanwhile (T, in another section of the page) keeps it waiting
    charts = plot_data(page)
    press_slider(page, "Temperature T", "ArrowRight")
    after_change(page, charts)
    wait_for_app(page)
    expect(second).to_have_value("bird")
    type_into(page, "Class 3 name", "tree")
    expect(page.get_by_text("labels must be different", exact=False)).to_have_count(0)
    wait_until(lambda: "labels=dog,bird,tree" in share_link(page), message="the link to say it")
    wait_for_app(page)
    expect(second).to_have_value("bird")
    expect(page.get_by_label("Class 3 name", exact=True)).to_have_value("tree")
    expect(page.get_by_test_id("stPlotlyChart").first.locator(".xtick")).to_have_text(
        ["dog", "bird", "tree"]
    )
    assert_no_exception(page, app_server)


def test_a_teachers_deck_removed_by_mistake_comes_back(app_server: AppServer, web: Web):
    """Removing a scene put the focus on "Back to the default deck", and one more Enter
    replaced a teacher's deck with the default story, with no way back (a teacher's
    tour). Each removal now says what it did beside an Undo, the focus's next stop."""
    from softmax_ui.scenes import Scene, decode_deck, encode_deck

    deck = tuple(
        Scene("Playground", title, f"z=2,1,0&labels=a,b,c&T={t}")
        for title, t in (("cold", "0.5"), ("warm", "1"), ("hot", "4"))
    )
    page = web.new_page()
    open_page(page, app_server.url, page_by_name("Workshop"), f"deck={encode_deck(deck)}")
    reveal(page, page.get_by_label("Remove a scene")).click()
    page.get_by_role("option", name="2. warm").click()
    wait_for_app(page)  # the choice's run: "Remove it" is enabled by it
    remove = page.get_by_role("button", name="Remove it")
    expect(remove).to_be_enabled()
    remove.press("Enter")
    expect(page.get_by_text("Scene removed: warm.")).to_be_visible()
    undo = page.get_by_role("button", name="Undo")
    wait_until(lambda: page.evaluate("document.activeElement.innerText").endswith("Undo"))
    page.get_by_role("button", name="Back to the default deck").click()
    expect(page.get_by_text("Your deck is empty")).to_be_visible()
    expect(page.get_by_text("The deck (the default story)")).to_be_visible()
    undo.click()
    expect(page.get_by_text("The deck (your own)")).to_be_visible()
    wait_for_app(page)
    assert [s.title for s in decode_deck(link_state(page)["deck"])] == ["cold", "hot"]
    assert_no_exception(page, app_server)


@pytest.mark.parametrize("app_page", EDITOR_PAGES, ids=str)
def test_keyboard_focus_stays_on_a_logit_control_while_it_changes(
    app_page: AppPage, app_server: AppServer, web: Web
):
    """From the keyboard alone: arrow presses on a logit's slider, then on its number box,
    each change the logit while the focus stays on the control, so the next press counts.
    (The first change took the logits off the Dog / cat / bird preset; its story line went
    away, every widget below moved up a place, was drawn anew and lost the focus.)"""
    page = web.new_page()
    open_page(page, app_server.url, app_page, START)
    charts = plot_data(page)
    slider = reveal(page, page.get_by_role("group", name="Slide z1", exact=True)).get_by_role(
        "slider"
    )
    slider.focus()
    for z1 in (2.01, 2.02):
        page.keyboard.press("ArrowRight")
        charts = after_change(page, charts)
        assert_draws(charts, [z1, 1, 0.1], 1, DOG_CAT_BIRD)
        expect(slider).to_be_focused()
    box = page.get_by_label("z1", exact=True)
    box.focus()
    for z1 in (2.1, 2.2):
        page.keyboard.press("ArrowUp")  # the box's step, 0.1 (from 2.02 to the next 0.1)
        box.press("Enter")
        charts = after_change(page, charts)
        assert_draws(charts, [z1, 1, 0.1], 1, DOG_CAT_BIRD)
        expect(box).to_be_focused()
    assert_no_exception(page, app_server)


def parse_qs_flat(query: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(query).items()}


class Downloaded(list):
    """The rows of a downloaded CSV, and the URL it came from."""

    url: str


def download_steps(page: Page) -> Downloaded:
    """Click the Playground's "Download this table as CSV"; the rows of the file it saves."""
    button = page.get_by_role("button", name="Download this table as CSV")
    with page.expect_download() as download:
        reveal(page, button).click()
    assert download.value.suggested_filename == "softmax_steps.csv"
    rows = Downloaded(csv.reader(download.value.path().read_text(encoding="utf-8").splitlines()))
    rows.url = download.value.url
    return rows


def test_the_step_table_downloads_what_it_shows_after_a_section_rerun(
    app_server: AppServer, web: Web
):
    """The CSV holds the table for the temperature now on screen, at full precision (after a
    rerun of the sections that show T, the table's among them)."""
    page = web.new_page(accept_downloads=True)
    open_page(page, app_server.url, page_by_name("Playground"), "z=1000,1001,1002&labels=a,b,c")
    charts = plot_data(page)
    type_into(page, T_BOX, "2")  # reruns the sections that show T, the table's among them
    after_change(page, charts)
    rows = download_steps(page)
    assert rows[0] == ["class", "z", "z/T", "z/T − max", "exp(z/T − max)", "p = exp / Σ"]
    assert [r[0] for r in rows[1:]] == ["a", "b", "c"]
    values = np.array([[float(c) for c in r[1:]] for r in rows[1:]])
    z = np.array([1000.0, 1001.0, 1002.0])
    np.testing.assert_allclose(values[:, 1], z / 2)
    np.testing.assert_allclose(values[:, 2], [-1.0, -0.5, 0.0])
    np.testing.assert_allclose(values[:, 3], np.exp([-1.0, -0.5, 0.0]))
    np.testing.assert_allclose(values[:, 4], softmax(z / 2), rtol=1e-12)
    assert_no_exception(page, app_server)


def test_quick_keypresses_on_the_temperature_slider_all_count(app_server: AppServer, web: Web):
    """Ten presses of → on the T slider, faster than a run comes back: each request after the
    first carries the T box's value from before the last run. Taken as the reader's change, it
    put T back, and a keyboard user saw the slider jump back (1.05 to 1.4 instead of 1.5).
    The step table's download then holds the table for T = 1.5."""
    page = web.new_page(accept_downloads=True)
    open_page(page, app_server.url, page_by_name("Playground"), START)
    page.get_by_role("slider", name="Temperature T").first.focus()
    for _press in range(10):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(30)
    wait_until(lambda: link_state(page).get("T") == "1.5", message="T = 1.5 after ten presses")
    wait_for_app(page)
    expect(page.get_by_label(T_BOX, exact=True)).to_have_value("1.5")
    assert link_state(page)["T"] == "1.5"  # nothing came back after
    assert_draws(plot_data(page), [2, 1, 0.1], 1.5, DOG_CAT_BIRD)
    rows = download_steps(page)
    np.testing.assert_allclose(
        [float(r[5]) for r in rows[1:]], softmax(np.array([2, 1, 0.1]) / 1.5)
    )
    # the file is made when clicked: ten section reruns left no replaced file for the
    # button to find gone (each was a 404 in the console; the watch fails the test on one)


def test_a_select_box_at_the_foot_of_the_screen_opens_at_the_first_click(
    app_server: AppServer, web: Web
):
    """The live class's "Question" box sits at the foot of a teacher's first screen
    (1366×900): the first click opened its list, scrolled it into view, and Streamlit closed a
    list when the page scrolled, so nothing seemed to happen (found by a student tour). The
    page script (part 8) brings the box up first and the list opens, in view, and stays."""
    page = web.new_page(viewport={"width": 1366, "height": 900})
    open_page(page, app_server.url, page_by_name("Live_class"), "")
    page.get_by_role("button", name="Start a class").click()
    expect(page.get_by_text("Scan to join")).to_be_visible()
    wait_for_app(page)
    box = page.get_by_role("combobox", name="Question", exact=True)
    where = box.bounding_box()
    assert where["y"] + where["height"] > 900 - 320, where  # no room for its list below
    box.click()
    first, last = page.get_by_role("option").first, page.get_by_role("option").nth(5)
    expect(first).to_be_in_viewport(timeout=3_000)
    expect(last).to_be_in_viewport()
    page.wait_for_timeout(1_500)  # the class page's own 1 s redraws leave it open
    expect(box).to_have_attribute("aria-expanded", "true")
    page.get_by_role("option", name="Predict: the naive formula in float32 after c = 800").click()
    expect(box).to_have_value("Predict: the naive formula in float32 after c = 800")
    assert_no_exception(page, app_server)

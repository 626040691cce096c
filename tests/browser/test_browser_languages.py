"""The app in Spanish and French in the real browser (issue 13): the sidebar's switch keeps
the lesson, the share link carries the language and opens in it, and the longer French and
Spanish texts still fit a phone."""

from __future__ import annotations

import os
import re
import signal
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.helpers import (
    ARTIFACTS,
    DISCONNECTED,
    PHONE,
    AppServer,
    Web,
    after_change,
    assert_draws,
    assert_no_exception,
    choose,
    open_page,
    page_by_name,
    plot_data,
    screenshot_whole,
    share_link,
    sideways_overflow,
    wait_for_app,
    wait_for_charts,
)

SHOTS = ARTIFACTS / "languages"
LESSON = page_by_name("Temperature_and_Sampling")
START = "z=3,1,0.25&labels=a,b,c&T=2&seed=7"


def query_of(link: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def test_switch_language_keep_the_lesson_share_it_and_fit_a_phone(app_server: AppServer, web: Web):
    page = web.new_page()
    open_page(page, app_server.url, LESSON, START)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Temperature & sampling")

    choose(page, "Language · Idioma · Langue", "Français")
    wait_for_app(page)
    wait_for_charts(page)
    assert_no_exception(page, app_server)
    expect(main.get_by_role("heading", level=1)).to_contain_text("Température et échantillonnage")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Partager cette vue")
    # The lesson is as it was: logits, labels, T and seed, in the editor and the link; the
    # paste box writes them the French way.
    paste = page.get_by_role(
        "textbox", name="Collez les logits (séparés par des points-virgules)", exact=True
    )
    expect(paste).to_have_value("3; 1; 0,25")
    # Streamlit's own hint under a box being edited is in French too (not "Press Enter to
    # apply"), and the box's character counter is still shown after it.
    paste.press("End")
    paste.type(" ")
    hint = page.get_by_test_id("InputInstructions").first
    expect(hint).to_be_visible()
    assert hint.evaluate("el => getComputedStyle(el, '::before').content") == (
        '"Entrée pour valider"'
    )
    assert "Press Enter" not in hint.inner_text() and "/" in hint.inner_text()
    paste.press("Backspace")
    paste.press("Enter")
    wait_for_app(page)
    link = share_link(page)
    shared = query_of(link)
    assert shared == {**query_of("?" + START), "lang": "fr"}, shared
    assert query_of(page.url) == shared
    screenshot_whole(page, SHOTS / "Temperature-fr-desktop.png")

    # The link, opened on a phone that has never seen the app, is in French; so is the page
    # with lang=es in Spanish. Neither scrolls sideways with its longer words.
    for lang, title in (("fr", "Température et échantillonnage"), ("es", "Temperatura y muestreo")):
        phone = web.new_page(**PHONE)
        response = phone.goto(
            link.replace("lang=fr", f"lang={lang}"), wait_until="domcontentloaded"
        )
        assert response is not None and response.ok
        wait_for_app(phone)
        wait_for_charts(phone)
        assert_no_exception(phone, app_server)
        phone_main = phone.get_by_test_id("stMain")
        expect(phone_main.get_by_role("heading", level=1)).to_contain_text(title)
        assert query_of(phone.url)["lang"] == lang and query_of(phone.url)["z"] == "3,1,0.25"
        assert not sideways_overflow(phone), sideways_overflow(phone)
        screenshot_whole(phone, SHOTS / f"Temperature-{lang}-phone.png")


def test_a_link_without_lang_opens_in_the_browsers_language(app_server: AppServer, web: Web):
    """No ``lang`` in the link: the browser's language (st.context.locale) chooses, and the
    address bar then says it, so a reload or a copied link keeps it."""
    page = web.new_page(locale="es-MX")
    open_page(page, app_server.url, page_by_name("landing"))
    assert_no_exception(page, app_server)
    expect(page.get_by_test_id("stMain").get_by_role("heading", level=1)).to_contain_text(
        "Softmax, explicada en vivo"
    )
    expect(page.get_by_test_id("stMain")).to_contain_text("perro, gato y pájaro")
    assert query_of(page.url)["lang"] == "es"


PASTE_INTO = """([box, text]) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    box.focus();
    box.select();
    box.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                   cancelable: true}));
}"""


def test_a_page_says_its_language_and_number_boxes_take_decimal_commas(
    app_server: AppServer, web: Web
):
    """``<html lang>`` is the reader's language, so a screen reader reads the page with the
    right voice (Streamlit's own page said "en" in Spanish and French). A Spanish or French
    reader's decimal comma in a number box is a decimal point: typed "0,5" for T was T = 5
    (the browser's number box dropped the comma), and a pasted "0,25" was refused."""
    html_lang = "document.documentElement.lang"
    page = web.new_page(locale="es-ES")
    open_page(page, app_server.url, LESSON, START)
    assert page.evaluate(html_lang) == "es"
    charts = plot_data(page)
    t_box = page.get_by_label("T (escribe cualquier valor de 0,01 a 100)", exact=True)
    t_box.fill("")
    t_box.press_sequentially("0,5")
    expect(t_box).to_have_value("0.5")
    t_box.press("Enter")
    charts = after_change(page, charts)
    assert_draws(charts, [3, 1, 0.25], 0.5, also_t1=False)
    assert query_of(page.url)["T"] == "0.5"

    # French, through the sidebar's switch: the page says so; a comma pasted into a logit's
    # box is a decimal point too.
    choose(page, "Language · Idioma · Langue", "Français")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Température et échantillonnage")
    wait_for_app(page)
    wait_for_charts(page)
    page.wait_for_function(f"{html_lang} === 'fr'")  # once the address says lang=fr
    charts = plot_data(page)
    z3 = page.get_by_label("z3", exact=True)
    page.evaluate(PASTE_INTO, [z3.element_handle(), "0,75"])
    expect(z3).to_have_value("0.75")
    z3.press("Enter")
    charts = after_change(page, charts)
    assert_draws(charts, [3, 1, 0.75], 0.5, also_t1=False)

    # Back in English: the page says "en", and a comma after a digit is left to the browser
    # (in English it groups thousands).
    choose(page, "Language · Idioma · Langue", "English")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Temperature & sampling")
    wait_for_app(page)
    page.wait_for_function(f"{html_lang} === 'en'")
    t_box = page.get_by_label("T (type any value from 0.01 to 100)", exact=True)
    t_box.fill("")
    t_box.press_sequentially("1,5")
    expect(t_box).to_have_value("15")
    # except after a lone 0, where a comma never groups thousands: "0,42" typed as a live
    # answer was 42 (a tour of a student used to decimal commas, in an English class)
    t_box.fill("")
    t_box.press_sequentially("0,42")
    expect(t_box).to_have_value("0.42")
    page.evaluate(PASTE_INTO, [t_box.element_handle(), "0,420"])  # pasted, as typed
    expect(t_box).to_have_value("0.420")


HINT_AND_VALUE = """box => {
    const input = box.querySelector("input");
    const hint = box.querySelector("[data-testid='InputInstructions']");
    const style = getComputedStyle(input);
    const context = document.createElement("canvas").getContext("2d");
    context.font = style.font;
    const valueEnd = input.getBoundingClientRect().left + parseFloat(style.paddingLeft)
                     + context.measureText(input.value).width;
    return [valueEnd, hint ? hint.getBoundingClientRect().left : null];
}"""


def test_the_hint_under_a_number_box_being_edited_leaves_its_value_readable(
    app_server: AppServer, web: Web
):
    """Streamlit's "Press Enter to apply", in the reader's language, sits in the box being
    edited: in French ("Appuyez sur Entrée pour appliquer") it ran over the value in
    Calibration's narrow number boxes. In every language it now ends before the value."""
    for lang in ("en", "es", "fr"):
        page = web.new_page()
        open_page(page, app_server.url, page_by_name("Calibration"), f"lang={lang}")
        boxes = page.get_by_test_id("stMain").get_by_test_id("stNumberInput")
        assert boxes.count() >= 3
        for i in range(boxes.count()):
            box = boxes.nth(i)
            field = box.locator("input")
            field.click()
            field.press("End")
            field.press_sequentially("5")
            expect(box.get_by_test_id("InputInstructions")).to_be_visible()
            value_end, hint_left = box.evaluate(HINT_AND_VALUE)
            assert value_end < hint_left, (lang, field.get_attribute("aria-label"), value_end)
            field.press("Backspace")
        page.close()


# Streamlit's own words, as it writes them (its static/js), and the patterns of those with a
# part of the app's own in them: none may be left on a Spanish or French page.
STREAMLIT_ENGLISH = {
    "Sidebar", "Collapse sidebar", "Main menu", "Copy to clipboard", "Link to heading", "Open",
    "Choose an option", "Selected values", "Clear all", "Decrement", "Increment",
}  # fmt: skip
LEFT_IN_ENGLISH = """english => {
    const left = [];
    for (const el of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
        if (el.closest("[data-testid='stPlotlyChart']")) continue;
        for (const name of ["aria-label", "placeholder", "title"]) {
            const value = el.getAttribute(name);
            if (value && (english.includes(value) || /^(Help for|Remove) /.test(value))) {
                left.push(name + "=" + value);
            }
        }
    }
    const skip = document.querySelector("[data-testid='stSkipToContent']");
    if (skip && skip.textContent.includes("Skip to main content")) left.push(skip.textContent);
    return left;
}"""
NONE_LEFT = LEFT_IN_ENGLISH.replace("return left;", "return left.length === 0;")


def test_streamlits_own_words_are_in_the_readers_language(app_server: AppServer, web: Web):
    """Streamlit names its controls in English whatever the page's language: a French
    screen-reader user heard "Help for Température T" and "Increment". The page script puts
    them in the reader's language (softmax_ui/streamlit_words.py), again after a switch, and
    keeps its icons' names ("compare_arrows icon") out of the page title's spoken name. A
    class named like one of Streamlit's words is shown as typed."""
    page = web.new_page(locale="es-ES")
    lesson = page_by_name("Softmax_vs_Sigmoid_vs_ReLU")
    open_page(page, app_server.url, lesson, "z=2,1,0&labels=Open,Help,Sidebar&act=sigmoid,relu")
    main = page.get_by_test_id("stMain")
    english = sorted(STREAMLIT_ENGLISH)
    spoken = {
        "es": ("Softmax, sigmoide y ReLU", "Ayuda: Pega los logits", "Quitar sigmoide",
               "Aumentar", "Copiar enlace: esta vista", "Saltar al contenido principal"),
        "fr": ("Softmax, sigmoïde et ReLU", "Aide : Collez les logits", "Retirer sigmoïde",
               "Augmenter", "Copier le lien\u00a0: cette vue", "Aller au contenu principal"),
        "en": ("Softmax vs sigmoid vs ReLU", "Help for Paste logits", "Remove sigmoid",
               "Increment", "Copy link: this view", "Skip to main content"),
    }  # fmt: skip
    for lang, switch_to in (("es", None), ("fr", "Français"), ("en", "English")):
        if switch_to:
            choose(page, "Language · Idioma · Langue", switch_to)
            page.wait_for_function("lang => document.documentElement.lang === lang", arg=lang)
            wait_for_app(page)
        title, help_name, remove, increment, copy, skip = spoken[lang]
        # the title's spoken name is its words, without the icon's name
        expect(main.get_by_role("heading", level=1, name=title, exact=True)).to_have_count(1)
        expect(page.get_by_role("button", name=help_name)).not_to_have_count(0)
        expect(page.get_by_label(remove, exact=True)).to_have_count(1)
        expect(page.get_by_role("button", name=increment, exact=True)).not_to_have_count(0)
        # (the share link's Copy button is the app's own, named in the reader's language too)
        expect(
            page.locator(".link-box").get_by_role("button", name=copy, exact=True)
        ).to_have_count(1)
        expect(page.get_by_test_id("stSkipToContent")).to_have_text(skip)
        if lang != "en":
            try:
                page.wait_for_function(NONE_LEFT, arg=english, timeout=5_000)
            except PlaywrightTimeoutError:
                raise AssertionError(page.evaluate(LEFT_IN_ENGLISH, english)) from None
        # a slider's value and ends (and what a screen reader says of it) are numbers the
        # reader's way: "2,00" for z1 = 2, not Streamlit's "2.00"
        sliders = page.locator(
            "[data-testid='stSliderThumbValue'], [data-testid='stSliderTickBar']"
        )
        said = page.locator("input[type='range']").evaluate_all(
            "thumbs => thumbs.map(thumb => thumb.getAttribute('aria-valuetext'))"
        )
        shown = " ".join(sliders.all_text_contents() + said)
        point, comma = (".", ",") if lang == "en" else (",", ".")
        assert "2" + point + "00" in shown and comma not in shown, shown
        if lang == "fr":  # the main menu's entries too
            page.get_by_role("button", name="Menu principal", exact=True).click()
            menu = page.get_by_role("menu", name="Menu principal", exact=True)
            expect(menu.get_by_role("menuitem")).to_have_text(["Imprimer", "Enregistrer l'écran"])
            page.keyboard.press("Escape")
            expect(menu).to_have_count(0)
        # the class names are the student's, as typed, wherever they are shown
        values = page.locator("input[type='text']").evaluate_all(
            "boxes => boxes.map(box => box.value)"
        )
        assert {"Open", "Help", "Sidebar"} <= set(values), values
        # and in a chart's spoken name
        expect(page.get_by_role("figure", name=re.compile(r": Open \w"))).not_to_have_count(0)
        ticks = page.locator("[data-testid='stPlotlyChart'] .xtick text").all_text_contents()
        assert {"Open", "Help", "Sidebar"} <= set(ticks), ticks
    assert_no_exception(page, app_server)


def test_a_lost_connection_is_told_in_the_readers_language(
    chromium_executable: str, tmp_path, monkeypatch, web: Web
):
    """A classroom's Wi-Fi drops: Streamlit's "CONNECTING" and its window "Connection error /
    Streamlit server is not responding. Are you connected to the internet?" were English on
    a French page, over a phone's page (a poor-Wi-Fi tour). They are the reader's, and the
    window says what then happens: the page comes back by itself, as it does here when the
    server is back."""
    monkeypatch.setenv("SOFTMAX_DATA_DIR", str(tmp_path / "data"))
    server = AppServer(name="streamlit-connection")
    server.start()
    try:
        page = web.new_page(**PHONE)
        open_page(page, server.url, page_by_name("Playground"), "lang=fr")
        port = server.port
        watch = web.watches[-1]
        before = len(watch.console_errors)
        server.stop()
        expect(page.get_by_test_id("stConnectionStatus")).to_have_text("Connexion", timeout=20_000)
        window = page.get_by_role("dialog")
        expect(window.get_by_role("heading")).to_have_text("Erreur de connexion", timeout=30_000)
        expect(window).to_contain_text("Le serveur de l'application ne répond pas.")
        expect(window).to_contain_text("La page se reconnecte d'elle-même")
        assert "Streamlit" not in window.inner_text()
        page.screenshot(path=str(SHOTS / "connection-lost-fr-phone.png"))
        server.start(port=port)
        expect(window).to_have_count(0, timeout=40_000)
        wait_for_app(page)
        wait_for_charts(page)
        expect(page.get_by_test_id("stMain").get_by_role("heading", level=1)).to_have_text(
            re.compile("Bac à sable")
        )
        during = watch.console_errors[before:]  # the server was down: not the app's faults
        watch.console_errors[before:] = [m for m in during if not m.startswith(DISCONNECTED)]
    finally:
        server.stop()


def test_before_streamlits_scripts_run_the_page_says_what_is_coming(
    app_server: AppServer, web: Web
):
    """On a classroom's slow Wi-Fi a first visit was a white page titled "Streamlit" for 6 s
    (a poor-Wi-Fi tour). Held before Streamlit's script arrives, the page already has its
    title, its language and "Loading the page…" in the reader's language; drawn, the lesson
    takes their place."""
    page = web.new_page(locale="fr-FR")
    held = []
    page.route("**/static/js/index.*.js", lambda route: held.append(route))
    page.goto(f"{app_server.url}/Playground", wait_until="commit")  # (its script is held)
    expect(page).to_have_title("Bac à sable · Softmax, expliquée en direct")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    waiting = page.get_by_role("status").filter(has_text="Chargement de la page…")
    expect(waiting).to_be_visible()
    expect(page.get_by_text("Softmax, expliquée en direct", exact=True)).to_be_visible()
    page.screenshot(path=str(SHOTS / "first-paint-fr.png"))
    assert held, "Streamlit's script was asked for"
    for route in held:
        route.continue_()
    page.unroute("**/static/js/index.*.js")
    wait_for_app(page)
    wait_for_charts(page)
    expect(page.get_by_text("Chargement de la page…")).to_have_count(0)
    expect(page.get_by_test_id("stMain").get_by_role("heading", level=1)).to_have_text(
        re.compile("Bac à sable")
    )
    expect(page).to_have_title("Bac à sable · Softmax, expliquée en direct")
    assert_no_exception(page, app_server)


def test_a_change_the_server_does_not_answer_is_said_so(
    chromium_executable: str, tmp_path, monkeypatch, web: Web
):
    """On a stalled Wi-Fi (packets lost, the connection still open) a student changed the
    number of classes and the chart kept its bars for 15 s with no sign of why (a poor-Wi-Fi
    tour). The server is stopped still here (SIGSTOP: its socket open, nothing answered):
    after a few seconds a note says the change has had no answer, in the reader's
    language; when the server answers, the note goes and the change is drawn. Reading the
    page without changing anything never shows it."""
    monkeypatch.setenv("SOFTMAX_DATA_DIR", str(tmp_path / "data"))
    server = AppServer(name="streamlit-stall")
    server.start()
    frozen = False
    try:
        page = web.new_page(**PHONE)
        open_page(page, server.url, page_by_name("Playground"), "lang=fr&z=2,1,0.1")
        note = page.locator(".softmax-waiting")
        said = page.get_by_role("status").filter(has_text="Pas encore de réponse du serveur")
        page.wait_for_timeout(5_000)
        expect(note).to_have_count(0)  # nothing changed: nothing to wait for
        before = plot_data(page)
        os.killpg(server.pid, signal.SIGSTOP)
        frozen = True
        thumb = page.get_by_test_id("stMain").get_by_role("slider").last
        thumb.focus()
        thumb.press("ArrowRight")
        expect(note).to_be_visible(timeout=15_000)
        assert "Pas encore de réponse du serveur" in note.inner_text()
        expect(said).to_have_count(1)  # and said, in the page's kept live region
        page.screenshot(path=str(SHOTS / "no-answer-yet-fr-phone.png"))
        os.killpg(server.pid, signal.SIGCONT)
        frozen = False
        expect(note).to_have_count(0, timeout=20_000)
        expect(said).to_have_count(0)
        after_change(page, before)
    finally:
        if frozen:
            os.killpg(server.pid, signal.SIGCONT)
        server.stop()


def test_a_quiz_answer_stays_chosen_when_the_reader_switches_language(
    app_server: AppServer, web: Web
):
    """The browser knows an answer button by its label: a choice made in English, or checked,
    showed none chosen once the labels were French (the server still held it; a tour found
    it on the live class page, whose buttons are drawn the same way). It stays chosen, a
    choice changed in French is the one back in English (not the English buttons' own, left
    two switches ago: a language tour), and Check judges it."""
    page = web.new_page()
    open_page(
        page, app_server.url, page_by_name("Quiz"), "z=2,1,0.1&labels=dog,cat,bird&T=1&seed=1"
    )
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("T = 0.5 or T = 2?")  # the seed's first question
    answers = main.get_by_test_id("stRadio")
    answers.get_by_text("at T = 2", exact=True).click()
    wait_for_app(page)
    for language, lang, was, choice in (
        ("Español", "es", "con T = 2", None),
        ("Français", "fr", "à T = 2", "à T = 0,5"),
        ("English", "en", "at T = 0.5", None),  # not the Spanish buttons' "con T = 2"
    ):
        choose(page, "Language · Idioma · Langue", language)
        page.wait_for_function("lang => document.documentElement.lang === lang", arg=lang)
        expect(answers.get_by_role("radio", name=was, exact=True)).to_be_checked()
        if choice:
            answers.get_by_text(choice, exact=True).click()
            wait_for_app(page)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Right.")
    choose(page, "Language · Idioma · Langue", "Español")
    page.wait_for_function("() => document.documentElement.lang === 'es'")
    checked = answers.get_by_role("radio", name="con T = 0,5", exact=True)
    expect(checked).to_be_checked()
    expect(checked).to_be_disabled()
    assert_no_exception(page, app_server)

"""The app in Spanish and French in the real browser (issue 13): the sidebar's switch keeps
the lesson, the share link carries the language and opens in it, and the longer French and
Spanish texts still fit a phone."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.helpers import (
    ARTIFACTS,
    PHONE,
    AppServer,
    Web,
    assert_no_exception,
    choose,
    open_page,
    page_by_name,
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
        '"Appuyez sur Entrée pour appliquer"'
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

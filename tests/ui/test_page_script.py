"""The middleware that writes the app's page script into every page (softmax_ui.page_script),
driven as uvicorn drives it: an ASGI scope, the inner app's messages, what reaches the wire."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import streamlit

from softmax_ui import catalog
from softmax_ui.page_script import (
    PATH,
    SCRIPT,
    TAG,
    PageScript,
    first_paint,
    plotly_chunk,
    preload_link,
    route,
)

INDEX = b'<html lang="en"><head><script>x</script></head><body></body></html>'


def drive(coroutine) -> None:
    """Run ``coroutine`` to the end in a thread of its own: a browser test in the same worker
    keeps Playwright's event loop running in this thread, where asyncio.run() refuses."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def run(
    path: str,
    content_type: bytes,
    chunks: list[bytes],
    method: str = "GET",
    query: bytes = b"",
    accept_language: bytes = b"",
):
    """Send one request through :class:`PageScript` over a stub app; return what the stub
    was asked (its request headers) and the response messages sent on."""
    seen: dict = {}

    async def inner(scope, receive, send):
        seen["headers"] = dict(scope["headers"])
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(sum(map(len, chunks))).encode()),
                    (b"etag", b'"abc"'),
                ],
            }
        )
        for i, chunk in enumerate(chunks):
            await send(
                {"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1}
            )

    sent: list = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": [(b"accept-encoding", b"gzip"), (b"if-none-match", b'"abc"')]
        + ([(b"accept-language", accept_language)] if accept_language else []),
    }
    drive(PageScript(inner)(scope, receive, send))
    return seen["headers"], sent


def test_a_page_gets_the_tag_whole_and_uncompressed():
    asked, sent = run(
        "/Temperature_and_Sampling", b"text/html; charset=utf-8", [INDEX[:20], INDEX[20:]]
    )
    assert b"accept-encoding" not in asked and b"if-none-match" not in asked
    start, body = sent
    headers = dict(start["headers"])
    html = body["body"]
    # a chart page: Plotly's chunk fetched from the start (with_plotly_preload)
    preload = preload_link(plotly_chunk())
    written = INDEX.replace(b"<script>", preload + TAG + b"<script>", 1)
    assert html == first_paint(written, "/Temperature_and_Sampling", "en")
    assert headers[b"content-length"] == str(len(html)).encode()
    assert b"etag" not in headers
    assert body["more_body"] is False


def test_everything_else_passes_untouched():
    for path, kind in (
        ("/static/js/index.js", b"text/javascript"),
        ("/_stcore/health", b"text/plain"),
    ):
        asked, sent = run(path, kind, [b"abc"])
        assert asked[b"accept-encoding"] == b"gzip"
        assert [m.get("body") for m in sent] == [None, b"abc"]
        assert dict(sent[0]["headers"])[b"etag"] == b'"abc"'
    # a file of Streamlit's next to the pages keeps its validators and compression
    asked, sent = run("/favicon.png", b"image/png", [b"png"])
    assert asked[b"if-none-match"] == b'"abc"' and asked[b"accept-encoding"] == b"gzip"


def test_a_head_gets_the_headers_a_get_gets():
    """HEAD answers with the GET's length (the tag included) and no validators of the file."""
    _asked, (get_start, get_body) = run("/Playground", b"text/html", [INDEX])

    async def head_of_index(scope, receive, send):
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/html"),
                    (b"content-length", str(len(INDEX)).encode()),
                    (b"etag", b'"abc"'),
                ],
            }
        )
        body = b"" if scope["method"] == "HEAD" else INDEX  # as Streamlit answers each
        await send({"type": "http.response.body", "body": body, "more_body": False})

    sent: list = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "HEAD", "path": "/Playground", "headers": []}
    drive(PageScript(head_of_index)(scope, None, send))
    head_start, head_body = sent
    assert dict(head_start["headers"]) == dict(get_start["headers"])
    assert int(dict(get_start["headers"])[b"content-length"]) == len(get_body["body"])
    assert head_body["body"] == b""


def test_the_script_is_served_from_the_apps_origin():
    assert route().path == PATH == "/_softmax/page.js"
    assert TAG.decode().count(PATH.lstrip("/")) == 1
    text = SCRIPT.read_text(encoding="utf-8")
    # what it does, and no call that sends or fetches anything
    assert "documentElement" in text and "insertText" in text and "pushState" in text
    for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "EventSource", "import("):
        assert call not in text, call
    # Part 12 watches the connection Streamlit opens (the page's one WebSocket, made by
    # Streamlit's own script through the wrapper): it opens none of its own, and sends
    # nothing but what Streamlit sends.
    assert text.count("new NativeSocket(") == 1 and "new WebSocket" not in text
    assert [line.strip() for line in text.splitlines() if "send(" in line] == [
        "return send(data);"  # the message Streamlit sends, passed on
    ]


def test_the_script_names_the_cookie_the_page_reads():
    """The presenter view's chart type follows the screen the script reports (page.js part 6;
    softmax_ui.page.narrow_screen): one cookie name, on both sides."""
    from softmax_ui.page import SCREEN_COOKIE

    script = SCRIPT.read_text(encoding="utf-8")
    assert f'"{SCREEN_COOKIE}=" + (NARROW.matches ? "narrow" : "wide")' in script


def test_one_phone_width_in_the_css_the_script_and_the_presenter_view():
    """A phone is a screen at most 640 px wide in three places, in three languages: the
    layout's CSS (where Streamlit stacks columns), the script's cookie that the server reads
    (page.js part 6), and the presenter view's large type (from 641 px). They must agree, or
    a screen between two of them gets a phone's layout with a projector's type."""
    import re

    from softmax_ui.page import PRESENTER_CSS

    layout = (SCRIPT.parent / "layout.css").read_text(encoding="utf-8")
    script = SCRIPT.read_text(encoding="utf-8")
    (phone,) = (int(w) for w in re.findall(r"matchMedia\(\"\(max-width: (\d+)px\)", script))
    assert (
        f"/* Phones (Streamlit stacks columns below {phone} px). */\n@media (max-width: {phone}px)"
        in layout
    )
    wider = {int(w) for w in re.findall(r"min-width:\s*(\d+)px", PRESENTER_CSS)}
    assert wider == {phone + 1}, (phone, wider)


STREAMLITS_INDEX = (Path(streamlit.__file__).parent / "static" / "index.html").read_bytes()


@pytest.mark.parametrize(
    ("query", "accept_language", "lang", "title", "wait"),
    [
        (b"", b"fr-FR,fr;q=0.9", "fr", "Bac à sable · Softmax, expliquée en direct",
         "Chargement de la page…"),
        (b"z=2,1&lang=es", b"fr-FR", "es", "Zona de pruebas · Softmax, explicada en vivo",
         "Cargando la página…"),
        (b"", b"", "en", "Playground · Softmax, taught live", "Loading the page…"),
    ],
)  # fmt: skip
def test_before_streamlit_has_drawn_a_page_shows_its_title_and_loading_words(
    query, accept_language, lang, title, wait
):
    """On a slow link a first visit was a white page titled "Streamlit" for seconds (a
    poor-Wi-Fi tour). Streamlit's own index.html, as served: in the reader's language (the
    link's, else the browser's), titled as the page titles itself, with the app's name and
    "Loading the page…" where the page will be drawn, and styled without fetching a font."""
    _asked, (start, body) = run(
        "/Playground", b"text/html", [STREAMLITS_INDEX], query=query,
        accept_language=accept_language,
    )  # fmt: skip
    html = body["body"].decode()
    assert dict(start["headers"])[b"content-length"] == str(len(body["body"])).encode()
    assert f'<html lang="{lang}">' in html
    assert f"<title>{title}</title>" in html and "<title>Streamlit</title>" not in html
    root = html[html.index('<div id="root">') :]
    assert "softmax-first-paint" in root and wait in root
    style = html[html.index("<style>") : html.index("</style>")]
    assert "url(" not in style and "@import" not in style  # nothing fetched


def test_streamlits_plotly_chunk_is_found():
    """The preload link names a file Streamlit serves: a Streamlit whose build names its
    Plotly chunk otherwise (or has none, or two) fails here, not silently in every cold
    load."""
    chunk = plotly_chunk()
    assert chunk is not None
    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    assert (js / chunk).stat().st_size > 1_000_000  # Plotly itself is in it
    assert f"import(`./{chunk}`)".encode() in b"".join(
        path.read_bytes() for path in js.glob("index.*.js")
    ), "Streamlit imports the chunk from the address the link gives"


@pytest.mark.parametrize("page", catalog.PAGES, ids=lambda page: page.slug or "landing")
def test_only_a_page_that_opens_with_a_chart_is_sent_plotlys_preload(page):
    _asked, (_start, body) = run(f"/{page.slug}", b"text/html", [INDEX])
    html = body["body"]
    assert (b'rel="modulepreload"' in html) is page.charts
    if page.charts:  # in the head, before the page script and Streamlit's own scripts
        link = preload_link(plotly_chunk())
        assert html.count(link) == 1
        assert html.index(b"<head>") < html.index(link) < html.index(TAG) < html.index(b"</head>")
        assert html.index(link) < html.index(b"<script")

"""The app's one script of its own (``assets/page.js``), in every page Streamlit serves.

What only a script in the page can do:

* **The page's language.** Streamlit's ``index.html`` says ``<html lang="en">`` whatever the
  reader's language, so a screen reader read a Spanish page with an English voice (WCAG 2.1
  3.1.1, level A). The script keeps ``lang`` on ``<html>`` equal to the reader's language: the
  link's ``?lang=``, which the app writes into the address bar for every session not in
  English (:func:`softmax_ui.i18n.url_param`), else the browser's (what
  :func:`softmax_ui.i18n.choose` picks).
* **Decimal commas in number boxes.** A browser's ``<input type="number">`` drops a typed
  comma, so a Spanish or French reader who typed ``0,5`` for T got T = 5. In a Spanish or
  French page the script turns a comma typed or pasted into a number box into the decimal
  point the box accepts.
* **The sidebar on a phone.** There the sidebar lies over the page, and it stayed open over
  the page just chosen in it (the app draws its own page menu with ``st.page_link``, which
  does not close it as Streamlit's built-in menu does). Choosing a page in it now closes it;
  on a wider screen, where it sits beside the page, it stays.
* **Browser history.** Streamlit adds a history entry for every change of the address's
  query: a student who moved T twice pressed Back three times to leave the page, and a deck
  step to another page took two presses. The script makes a change of the address on the
  same page replace it, so there is one entry per page (or deck scene) reached, holding the
  last view shown there (which Back shows again: :func:`softmax_ui.page.lesson`). A deck's
  step writes the next scene's address on the page it leaves before adding the next page:
  the step makes one entry, the next scene's, and the page left keeps its own. A page
  reached opens at its top (a button far down the page before, the workshop's "Start the
  deck", left the new page scrolled as far down), and a deck started in the presenter view
  closes the sidebar (it took a fifth of a projector's width).
* **The focus on a lesson's tab.** ArrowRight on a tab opens the next one, and the run that
  draws it sometimes took the focus off the tab (to the page's body) when the machine was
  busy, so a keyboard user had to Tab back from the top of the page. When a tab loses the
  focus to nowhere, the script gives it back to the open tab once the run is over (not after
  a click, a key or a page change).
* **A phone's type in the presenter view.** A student following a teacher who presents gets
  the presenter view, whose chart fonts, made on the server, were a projector's: on a phone
  they cut axis titles and ran numbers together. The script sets one cookie before the
  session connects, ``softmax_screen=narrow`` on a screen at most 640 px wide (else ``wide``),
  which :func:`softmax_ui.page.narrow_screen` reads; nothing else is in it.
* **The sidebar on a phone held sideways.** Streamlit opens the sidebar on a screen above a
  width, whatever its height: on a phone held sideways (844×390) it lay over 300 px of the
  page on every load. A second cookie, ``softmax_short=short`` on a touch screen at most 500
  px tall (else ``tall``), tells :func:`softmax_ui.page.short_touch_screen`, and the page
  opens with the sidebar closed there.
* **A teacher's browser leads its class again.** A third cookie, ``softmax_device``, holds a
  secret the script makes in the browser (``crypto.getRandomValues``; gone when the browser
  closes, made anew when the page marks that the teacher left the class on this device): a
  class started in that browser has the teacher key the secret makes
  (:data:`softmax_ui.live.DEVICE_COOKIE`), so a reload or a server restart, whose new
  session knows no teacher, does not lose the class.
* **Streamlit's own words.** Streamlit names its controls in English whatever the page's
  language ("Help for Température T", "Increment", "Copy to clipboard"), and names each icon
  by its ligature, so a page's title was read "bar_chart icon Playground". The script puts
  Streamlit's words in the reader's language (:mod:`softmax_ui.streamlit_words`, written into
  the script when it is served: :func:`script`), gives a slider's value and ends the
  reader's decimal sign, and hides an icon beside words from screen readers.
* **A select box at the foot of the screen.** Its first click seemed to do nothing: the list
  opened below the screen's edge, the page scrolled to show it, and Streamlit closes a list
  when the page scrolls. The script brings such a box to the middle of the screen as the
  pointer goes down and opens the list again once the scroll is over (not on a screen too
  short for that to make room: there the box stays, and its list opens where it fits).
* **A button pressed by keyboard that its run disables** hands the focus on; **a metric's
  number** keeps one line.
* **A presentation clicker** (Page Down, Page Up; → and ← too) steps a workshop deck's scenes.
* **A change with no answer.** On a stalled Wi-Fi Streamlit shows nothing while a change
  waits; the script watches the connection Streamlit opens (it opens none and sends nothing
  of its own) and, when a message sent after the reader's input has had no answer for 4 s,
  says so in the reader's language until an answer comes.
* **Copy link.** A link box's button (:func:`softmax_ui.page.link_box`: the share link, a
  deck's, the live class's) copies its link: with the clipboard API on a secure page (https,
  or this computer), else (a classroom's ``http://192.168.…`` address) with the browser's
  copy command, else it selects the link and says how to copy it; what happened is said in
  the box's status region. The buttons are drawn only where the script runs.

And the middleware writes two things into a page's HTML. **Plotly's code, fetched from the
start** (:func:`with_plotly_preload`): on a page that opens with a chart
(``catalog.Page.charts``) the browser fetches Streamlit's Plotly chunk (4.7 MB, 1.4 MB
compressed) with Streamlit's own scripts, not once Streamlit has drawn everything above the
page's first chart: a lesson 2 s sooner over a classroom's poor Wi-Fi (docs/benchmarks.md,
"where a chart page's cold load goes"). Its **first paint** (:func:`first_paint`): before
Streamlit's scripts have arrived (seconds on a slow link) the page is in the reader's
language, has its own title, and says that it is loading.

Served from the app's own origin (the content policy's ``script-src 'self'``, no inline
script): :func:`route` answers :data:`PATH`, and :class:`PageScript`, an ASGI middleware
beside :class:`softmax_ui.headers.SecurityHeaders` in ``serve.py``, writes the script's tag
into the HTML of every page. Without ``serve.py`` (a bare ``streamlit run app.py``) the app
works as before, without the two, and its links are shown without a Copy button.
"""

from __future__ import annotations

import functools
import re
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from softmax_ui.headers import ASGIApp, Message, Receive, Scope, Send

PATH = "/_softmax/page.js"
"""Where the script is served."""

SCRIPT = Path(__file__).with_name("assets") / "page.js"

TAG = b'<script defer src="./_softmax/page.js"></script>'
"""Written before Streamlit's own script, so it runs first (deferred scripts run in order).
The address is relative, as Streamlit's own are (``./static/…``), and every page is one
level below the root."""

NOT_PAGES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/", "/_softmax/")
"""Paths that never serve a page's HTML."""


def route() -> Any:
    """The Starlette route that serves :data:`SCRIPT` at :data:`PATH`."""
    from starlette.responses import Response
    from starlette.routing import Route

    body = script()

    async def page_js(request: Any) -> Response:
        return Response(
            body,
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    return Route(PATH, page_js, methods=["GET", "HEAD"])


WORDS_SLOT = b"/*WORDS*/ null /*WORDS*/"
"""Where :func:`script` writes Streamlit's words (:mod:`softmax_ui.streamlit_words`); left as
it is, the script does everything but part 7."""


def script() -> bytes:
    """The script as served: :data:`SCRIPT` with the table of Streamlit's words written in.

    >>> served = script()
    >>> WORDS_SLOT in served, b'"Aller au contenu principal"' in served
    (False, True)
    """
    from softmax_ui.streamlit_words import script_table

    text = SCRIPT.read_bytes()
    assert text.count(WORDS_SLOT) == 1, "page.js holds one slot for Streamlit's words"
    return text.replace(WORDS_SLOT, script_table().encode())


def with_tag(html: bytes) -> bytes:
    """``html`` with :data:`TAG` before its first script (or at the end of its head).

    >>> for part in with_tag(b'<head><title>x</title><script src="a.js"></script></head>').split(
    ...     b"<script"
    ... ):
    ...     print(part.decode())
    <head><title>x</title>
     defer src="./_softmax/page.js"></script>
     src="a.js"></script></head>
    >>> with_tag(b"<head></head>")
    b'<head><script defer src="./_softmax/page.js"></script></head>'
    >>> with_tag(b"plain") == b"plain"
    True
    """
    if TAG in html:
        return html
    for marker in (b"<script", b"</head>"):
        at = html.find(marker)
        if at >= 0:
            return html[:at] + TAG + html[at:]
    return html


PLOTLY_CHUNK = re.compile(r"PlotlyChart\.[A-Za-z0-9_-]+\.js")
"""The name of Streamlit's chunk that draws a Plotly chart (the Plotly library with it), as
its build names it: ``PlotlyChart.<hash>.js``."""


@functools.cache
def plotly_chunk() -> str | None:
    """The file name of the installed Streamlit's Plotly chunk, in its ``static/static/js``
    folder; ``None`` unless there is exactly one (then no page gets the preload link:
    tests/ui/test_page_script.py fails on a Streamlit without one).

    >>> bool(PLOTLY_CHUNK.fullmatch(plotly_chunk() or ""))
    True
    """
    import streamlit

    folder = Path(streamlit.__file__).parent / "static" / "static" / "js"
    names = [path.name for path in folder.glob("PlotlyChart.*.js")]
    return names[0] if len(names) == 1 and PLOTLY_CHUNK.fullmatch(names[0]) else None


def preload_link(chunk: str) -> bytes:
    """The ``<link rel="modulepreload">`` of Streamlit's ``chunk``; its address relative as
    Streamlit's own (``./static/js/…``), which the browser resolves to the very address
    Streamlit's script imports it from, so the import finds it fetched.

    >>> preload_link("PlotlyChart.abc.js").decode()
    '<link rel="modulepreload" href="./static/js/PlotlyChart.abc.js">'
    """
    if not PLOTLY_CHUNK.fullmatch(chunk):
        raise ValueError(f"not Streamlit's Plotly chunk: {chunk!r}")
    return b'<link rel="modulepreload" href="./static/js/' + chunk.encode() + b'">'


def with_plotly_preload(html: bytes, path: str, chunk: str | None = None) -> bytes:
    """``html`` with :func:`preload_link` of the Plotly chunk before :data:`TAG` when the page
    at ``path`` opens with a chart (``catalog.Page.charts``); unchanged elsewhere.

    Streamlit asks for a chart's code only when it first draws the chart: 0.7–0.9 s into a
    cold load of a lesson, after the sidebar and the logits editor (a load's timeline,
    docs/benchmarks.md), and its 0.7 s run came after the fetch. Now the browser fetches it
    with Streamlit's own scripts (over a 1.5 Mbit/s Wi-Fi the lesson came 2 s sooner; over
    loopback no change was measured), and Streamlit runs it as before, when it draws the
    chart: to run it earlier too was measured and dropped (the page's first words came 0.6 s
    later, and 2.8 s later on a CPU four times slower, a phone's). A page not marked (the
    Quiz, the Workshop) is not sent the link: it fetches Plotly's code, as before, only if
    it comes to draw a chart.

    >>> page = b'<head>' + TAG + b'<script src="a.js"></script></head>'
    >>> with_plotly_preload(page, "/Playground", "PlotlyChart.abc.js").split(TAG)[0].decode()
    '<head><link rel="modulepreload" href="./static/js/PlotlyChart.abc.js">'
    >>> with_plotly_preload(page, "/Quiz", "PlotlyChart.abc.js") == page
    True
    """
    from softmax_ui.catalog import page_of

    page = page_of(path.strip("/"))
    chunk = chunk or plotly_chunk()
    if page is None or not page.charts or chunk is None or TAG not in html:
        return html
    return html.replace(TAG, preload_link(chunk) + TAG, 1)


FIRST_PAINT_CSS = (
    "#root>.softmax-first-paint{font-family:system-ui,-apple-system,'Segoe UI',Roboto,"
    "sans-serif;color:#31333f;max-width:40rem;margin:18vh auto 0;padding:0 1.5rem;"
    "text-align:center}"
    ".softmax-first-paint .softmax-app{font-size:1.75rem;font-weight:700;margin:0 0 .75rem}"
    ".softmax-first-paint .softmax-wait{font-size:1.125rem;margin:0}"
)
"""The look of :func:`first_paint`'s words (the browser's own fonts: nothing is fetched)."""


def page_language(query: str, accept_language: str) -> str:
    """The language a page request will be shown in, as the session will choose it: the
    link's ``?lang=``, else the browser's first language (what it reports to Streamlit).

    >>> page_language("z=1,2&lang=fr", "es-ES,es;q=0.9"), page_language("", "es-MX,en;q=0.5")
    ('fr', 'es')
    >>> page_language("lang=de", ""), page_language("", "de-DE,fr;q=0.8")
    ('en', 'en')
    """
    from urllib.parse import parse_qs

    from softmax_ui.i18n import choose

    asked = parse_qs(query).get("lang", [None])[0]
    browser = accept_language.split(",")[0].split(";")[0].strip() or None
    return choose(asked, browser)


def first_paint(html: bytes, path: str, lang: str) -> bytes:
    """``html`` (Streamlit's ``index.html``) as it should look before Streamlit's scripts have
    arrived: in ``lang``, titled as the page will title itself, with the app's name and
    "Loading the page…" where the page will be drawn.

    On a classroom's slow Wi-Fi a first visit showed a white page titled "Streamlit" for
    6 s (a poor-Wi-Fi tour: 1.5 Mbit/s, 300 ms): Streamlit draws nothing before its
    JavaScript has run. React replaces the words with the page when it draws it.

    >>> page = b'<html lang="en"><head><title>Streamlit</title></head>' \\
    ...        b'<body><div id="root"></div></body></html>'
    >>> out = first_paint(page, "/Playground", "fr").decode()
    >>> '<html lang="fr">' in out, "<title>Bac à sable · Softmax, expliquée en direct<" in out
    (True, True)
    >>> "Chargement de la page…" in out, "softmax-first-paint" in out
    (True, True)
    >>> "<title>Softmax, taught live</title>" in first_paint(page, "/nowhere", "en").decode()
    True
    >>> first_paint(b"plain", "/", "en")
    b'plain'
    """
    from html import escape

    from softmax_ui.catalog import APP_NAME, page_of
    from softmax_ui.i18n import _, language

    slug = path.strip("/")
    page = page_of(slug)
    with language(lang):
        app = _(APP_NAME)
        title = f"{_(page.title)} · {app}" if page is not None else app
        wait = _("Loading the page…")
    words = (
        f'<div class="softmax-first-paint" role="status"><p class="softmax-app">{escape(app)}'
        f'</p><p class="softmax-wait">{escape(wait)}</p></div>'
    )
    for old, new in (
        (b'<html lang="en">', f'<html lang="{lang}">'.encode()),
        (b"<title>Streamlit</title>", f"<title>{escape(title)}</title>".encode()),
        (b"</head>", f"<style>{FIRST_PAINT_CSS}</style></head>".encode()),
        (b'<div id="root"></div>', f'<div id="root">{words}</div>'.encode()),
    ):
        html = html.replace(old, new, 1)
    return html


def is_page_request(scope: Scope) -> bool:
    """A GET or HEAD that Streamlit answers with a page's HTML: a path outside Streamlit's
    own folders whose last part has no dot (``/Playground``, not ``/favicon.png``).

    >>> is_page_request({"type": "http", "method": "GET", "path": "/Playground"})
    True
    >>> is_page_request({"type": "http", "method": "HEAD", "path": "/"})
    True
    >>> is_page_request({"type": "http", "method": "GET", "path": "/_stcore/health"})
    False
    >>> is_page_request({"type": "http", "method": "GET", "path": "/manifest.json"})
    False
    """
    path = scope.get("path", "")
    return (
        scope.get("type") == "http"
        and scope.get("method") in ("GET", "HEAD")
        and not any(path.startswith(prefix) for prefix in NOT_PAGES)
        and "." not in path.rsplit("/", 1)[-1]
    )


_DROPPED_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
"""A page's HTML is asked for uncompressed and whole (no 304), so the tag can be written in."""
_DROPPED_RESPONSE_HEADERS = {b"content-length", b"etag", b"last-modified"}


class PageScript:
    """ASGI middleware: writes :data:`TAG` into every page's HTML; leaves the rest alone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_page_request(scope):
            await self.app(scope, receive, send)
            return
        asked = dict((k.lower(), v) for k, v in scope.get("headers", []))
        lang = page_language(
            scope.get("query_string", b"").decode("latin-1"),
            asked.get(b"accept-language", b"").decode("latin-1"),
        )
        head = scope.get("method") == "HEAD"
        scope = dict(scope)
        scope["headers"] = [
            (name, value)
            for name, value in scope.get("headers", [])
            if name.lower() not in _DROPPED_REQUEST_HEADERS
        ]
        if head:  # asked as a GET: a HEAD's length is the written page's
            scope["method"] = "GET"
        start: MutableMapping[str, Any] | None = None
        body: list[bytes] = []

        async def send_with_tag(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
                if message.get("status") == 200 and content_type.startswith(b"text/html"):
                    start = message  # held until the whole body is here
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            headers = [
                (name, value)
                for name, value in start.get("headers", [])
                if name.lower() not in _DROPPED_RESPONSE_HEADERS
            ]
            html = with_plotly_preload(with_tag(b"".join(body)), scope["path"])
            html = first_paint(html, scope["path"], lang)
            headers.append((b"content-length", str(len(html)).encode()))
            if head:  # the headers a GET gets, without the body
                html = b""
            await send({**start, "headers": headers})
            await send(
                {
                    "type": "http.response.body",
                    "body": html,
                    "more_body": False,
                }
            )

        await self.app(scope, receive, send_with_tag)

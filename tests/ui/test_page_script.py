"""The middleware that writes the app's page script into every page (softmax_ui.page_script),
driven as uvicorn drives it: an ASGI scope, the inner app's messages, what reaches the wire."""

from __future__ import annotations

import asyncio

from softmax_ui.page_script import PATH, SCRIPT, TAG, PageScript, route

INDEX = b'<html lang="en"><head><script>x</script></head><body></body></html>'


def run(path: str, content_type: bytes, chunks: list[bytes], method: str = "GET"):
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
        "headers": [(b"accept-encoding", b"gzip"), (b"if-none-match", b'"abc"')],
    }
    asyncio.run(PageScript(inner)(scope, receive, send))
    return seen["headers"], sent


def test_a_page_gets_the_tag_whole_and_uncompressed():
    asked, sent = run(
        "/Temperature_and_Sampling", b"text/html; charset=utf-8", [INDEX[:20], INDEX[20:]]
    )
    assert b"accept-encoding" not in asked and b"if-none-match" not in asked
    start, body = sent
    headers = dict(start["headers"])
    html = body["body"]
    assert html == INDEX.replace(b"<script>", TAG + b"<script>", 1)
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
    # a HEAD is answered as Streamlit answers it (no body to write into)
    asked, sent = run("/Playground", b"text/html", [b""], method="HEAD")
    assert asked[b"accept-encoding"] == b"gzip"


def test_the_script_is_served_from_the_apps_origin():
    assert route().path == PATH == "/_softmax/page.js"
    assert TAG.decode().count(PATH.lstrip("/")) == 1
    text = SCRIPT.read_text(encoding="utf-8")
    # what it does, and nothing that reaches beyond the page
    assert "documentElement" in text and "insertText" in text
    assert "fetch(" not in text and "XMLHttpRequest" not in text and "http" not in text

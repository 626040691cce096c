"""Streamlit's frontend files gzipped once (softmax_ui.compress), driven as uvicorn drives the
middleware: an ASGI scope, the inner app's messages, what reaches the wire."""

from __future__ import annotations

import asyncio
import gzip

from hypothesis import given
from hypothesis import strategies as st

from softmax_ui.compress import MIN_SIZE, StaticGzip, accepts_gzip, streamlit_files
from tests.ui.test_page_script import drive

JS = b"function softmax(z) { return z.map(Math.exp); }\n" * 400  # 20 KB, compressible
IMMUTABLE = b"public, immutable, max-age=31536000"
INDEX = "/static/js/index.DormvYxC.js"
FILES = (INDEX, "/static/js/a.js", "/static/js/b.js")
"""The files the middleware may compress, in these tests (the app's: Streamlit's own)."""


def middleware_over(streamlit, files=FILES) -> StaticGzip:
    return StaticGzip(streamlit, files=files)


class Streamlit:
    """A stand-in for Streamlit's static route: answers every request with ``body`` (in two
    chunks) and counts how often it was asked."""

    def __init__(self, body=JS, kind=b"application/javascript", status=200, cache=IMMUTABLE):
        self.body, self.kind, self.status, self.cache = body, kind, status, cache
        self.asked = 0
        self.extra: list[tuple[bytes, bytes]] = []
        self.scopes: list = []

    async def __call__(self, scope, receive, send):
        self.asked += 1
        self.scopes.append(scope)
        await asyncio.sleep(0)  # let a request beside this one in, as a file read would
        await send(
            {
                "type": "http.response.start",
                "status": self.status,
                "headers": [
                    (b"content-type", self.kind),
                    (b"content-length", str(len(self.body)).encode()),
                    (b"etag", b'"abc"'),
                    (b"last-modified", b"Thu, 03 Dec 2026 10:57:31 GMT"),
                    (b"cache-control", self.cache),
                    *self.extra,
                ],
            }
        )
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        half = len(self.body) // 2
        await send({"type": "http.response.body", "body": self.body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": self.body[half:], "more_body": False})


def request(path=INDEX, method="GET", **headers):
    raw = [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    return {"type": "http", "method": method, "path": path, "headers": raw}


async def one(middleware, scope):
    sent: list = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    await middleware(scope, receive, send)
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


def answers_at_once(middleware, scopes):
    """The answers to ``scopes``, all sent at the same time."""
    result = {}

    async def go():
        result["r"] = await asyncio.gather(*(one(middleware, scope) for scope in scopes))

    drive(go())
    return result["r"]


def answer(middleware, scope):
    result = {}

    async def go():
        result["r"] = await one(middleware, scope)

    drive(go())
    return result["r"]


def test_a_file_is_sent_gzipped_to_a_browser_that_accepts_it_and_compressed_only_once():
    streamlit = Streamlit()
    streamlit.extra = [(b"set-cookie", b"session=1"), (b"vary", b"Origin")]
    middleware = middleware_over(streamlit)
    first = answer(middleware, request(accept_encoding="gzip, deflate, br"))
    again = answer(middleware, request(accept_encoding="gzip"))
    assert first == again
    status, headers, body = first
    assert status == 200
    assert gzip.decompress(body) == JS
    assert len(body) < len(JS) / 10
    assert headers[b"content-encoding"] == b"gzip"
    assert headers[b"vary"] == b"Origin, Accept-Encoding"
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"cache-control"] == IMMUTABLE and headers[b"content-type"] == streamlit.kind
    # validators and the length described the uncompressed file; a cookie is never replayed
    assert not {b"etag", b"last-modified", b"set-cookie"} & set(headers)
    assert streamlit.asked == 1  # the second answer came from memory
    assert list(middleware.cache) == [INDEX]
    assert middleware.reserved == len(body)
    assert middleware._locks == {}


def test_requests_beside_the_first_wait_for_its_compression():
    streamlit = Streamlit()
    middleware = middleware_over(streamlit)
    answers = answers_at_once(middleware, [request(accept_encoding="gzip")] * 5)
    assert streamlit.asked == 1
    assert all(gzip.decompress(body) == JS for _, _, body in answers)
    assert middleware._locks == {}


def test_a_head_gets_the_headers_of_the_compressed_get():
    middleware = middleware_over(Streamlit())
    _, get_headers, body = answer(middleware, request(accept_encoding="gzip"))
    status, head_headers, head_body = answer(
        middleware, request(method="HEAD", accept_encoding="gzip")
    )
    assert (status, head_headers, head_body) == (200, get_headers, b"")
    assert int(head_headers[b"content-length"]) == len(body)


def test_what_is_not_compressed_passes_untouched():
    font = "/static/media/a.woff2"
    cases = [
        (Streamlit(), request()),  # no Accept-Encoding
        (Streamlit(), request(accept_encoding="gzip;q=0, br")),
        (Streamlit(), request(accept_encoding="identity")),
        (Streamlit(), request(accept_encoding="gzip", range="bytes=0-99")),
        (Streamlit(), request("/Playground", accept_encoding="gzip")),  # a page: page_script's
        (Streamlit(), request("/_stcore/health", accept_encoding="gzip")),
        (Streamlit(), request(method="HEAD", accept_encoding="gzip")),  # no GET before it
        # another spelling of a file's path, which Streamlit serves too: never a new entry
        (Streamlit(), request("/static//js/index.DormvYxC.js", accept_encoding="gzip")),
        (Streamlit(), request("/static/./js/index.DormvYxC.js", accept_encoding="gzip")),
        (Streamlit(), request("/static/js/unknown.js", accept_encoding="gzip")),
        (Streamlit(kind=b"font/woff2"), request(font, accept_encoding="gzip")),
        # a listed path that Streamlit does not answer with a whole immutable text file
        (Streamlit(kind=b"font/woff2"), request(INDEX, accept_encoding="gzip")),
        (Streamlit(status=404, cache=b"no-cache"), request(accept_encoding="gzip")),
        (Streamlit(cache=b"no-cache"), request(accept_encoding="gzip")),  # not immutable
        (Streamlit(body=b"x" * (MIN_SIZE - 1)), request(accept_encoding="gzip")),
    ]
    for streamlit, scope in cases:
        middleware = middleware_over(streamlit)
        for _ in range(2):
            status, headers, body = answer(middleware, scope)
            assert status == streamlit.status, scope
            assert b"content-encoding" not in headers, scope
            assert headers[b"etag"] == b'"abc"', scope
            assert body == (b"" if scope["method"] == "HEAD" else streamlit.body), scope
        assert streamlit.asked == 2, scope  # nothing kept
        assert middleware.cache == {} and middleware._locks == {}, scope
        assert middleware.reserved == 0, scope


def test_the_fetch_asks_for_the_whole_file_and_sends_nothing_by_path():
    """The one request that fetches a file to compress drops its conditions (a 304 has
    nothing to compress) and the server's send-a-file-by-path extensions (whose messages
    would bypass the middleware)."""
    streamlit = Streamlit()
    scope = request(accept_encoding="gzip", if_none_match='"abc"')
    scope["extensions"] = {"http.response.pathsend": {}, "http.response.trailers": {}}
    answer(middleware_over(streamlit), scope)
    (asked,) = streamlit.scopes
    assert b"if-none-match" not in dict(asked["headers"])
    assert set(asked["extensions"]) == {"http.response.trailers"}
    assert dict(asked["headers"])[b"accept-encoding"] == b"gzip"


def test_a_browser_that_does_not_read_holds_up_no_one():
    """A student's browser that stops reading (uvicorn waits in ``send``) while the file is
    sent to it, compressed or not: the next request for that file is answered meanwhile."""
    for streamlit in (Streamlit(), Streamlit(status=404, cache=b"no-cache")):
        middleware = middleware_over(streamlit)
        results = {}

        async def go(middleware=middleware, results=results):
            release = asyncio.Event()

            async def stuck(message):
                await release.wait()

            async def receive():
                return {"type": "http.request", "body": b"", "more_body": False}

            first = asyncio.create_task(middleware(request(accept_encoding="gzip"), receive, stuck))
            await asyncio.sleep(0.05)  # the first is now waiting to send
            results["second"] = await asyncio.wait_for(
                one(middleware, request(accept_encoding="gzip")), timeout=5
            )
            release.set()
            await first

        drive(go())
        assert results["second"][0] == streamlit.status


def test_past_the_memory_limit_files_are_sent_as_they_are(monkeypatch):
    """Bytes are reserved before compressing: files asked for at the same time cannot
    together pass the limit."""
    monkeypatch.setattr("softmax_ui.compress.MAX_CACHED", len(JS) + 1)
    streamlit = Streamlit()
    middleware = middleware_over(streamlit)
    answers = answers_at_once(middleware, [request(p, accept_encoding="gzip") for p in FILES])
    encoded = [h.get(b"content-encoding") for _, h, _ in answers]
    assert encoded.count(b"gzip") == 1, encoded
    assert all(b == JS or gzip.decompress(b) == JS for _, _, b in answers)
    assert len(middleware.cache) == 1 and middleware.reserved <= len(JS) + 1
    # once full, a file not kept is sent as it is, again and again, never compressed
    other = next(p for p in FILES if p not in middleware.cache)
    asked = streamlit.asked
    _, headers, body = answer(middleware, request(other, accept_encoding="gzip"))
    assert b"content-encoding" not in headers and body == JS and streamlit.asked == asked + 1


def test_the_files_are_streamlits_text_files():
    files = streamlit_files()
    assert any(f.startswith("/static/js/index.") and f.endswith(".js") for f in files)
    assert any(f.startswith("/static/css/") for f in files)
    assert not any(f.endswith((".woff2", ".png", ".gif")) for f in files)
    assert StaticGzip(None).files == files


def test_an_already_encoded_answer_is_not_compressed_again():
    streamlit = Streamlit()
    streamlit.extra = [(b"content-encoding", b"br")]
    _status, headers, body = answer(middleware_over(streamlit), request(accept_encoding="gzip"))
    assert headers[b"content-encoding"] == b"br" and body == JS


def test_a_websocket_passes_untouched():
    seen = []

    async def inner(scope, receive, send):
        seen.append(scope["type"])

    drive(middleware_over(inner)({"type": "websocket", "path": "/_stcore/stream"}, None, None))
    assert seen == ["websocket"]


@given(st.binary(min_size=MIN_SIZE, max_size=8 * MIN_SIZE))
def test_any_body_comes_back_whole(body):
    _, _headers, packed = answer(
        middleware_over(Streamlit(body=body)), request(accept_encoding="gzip")
    )
    assert gzip.decompress(packed) == body


# --- Accept-Encoding, against an oracle written apart from the parser -------------------------

CODINGS = st.sampled_from(["gzip", "x-gzip", "GZIP", "br", "deflate", "identity", "*", "zstd"])
QS = st.sampled_from([None, "0", "0.0", "0.001", "0.5", "1", "1.0", "bogus"])


def oracle(items: list[tuple[str, str | None]]) -> bool:
    """gzip's own entry decides if there is one (q > 0); else the wildcard's; else no."""

    def q(value):
        if value is None:
            return 1.0
        try:
            return float(value)
        except ValueError:
            return 0.0

    for name, value in items:
        if name.lower() in ("gzip", "x-gzip"):
            return q(value) > 0
    stars = [q(value) for name, value in items if name == "*"]
    return bool(stars) and stars[-1] > 0


@given(st.lists(st.tuples(CODINGS, QS), max_size=6))
def test_accept_encoding_matches_the_oracle(items):
    header = ", ".join(name if q is None else f"{name};q={q}" for name, q in items)
    assert accepts_gzip(header) == oracle(items)

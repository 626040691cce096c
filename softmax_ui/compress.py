"""Streamlit's frontend files, gzipped once and sent compressed to every browser that accepts it.

**Why.** A student's first visit fetches Streamlit's frontend: 9.7 MB on a lesson page, of which
Plotly's chunk is 4.7 MB. Streamlit 1.67 sends its ``/static/`` files uncompressed, on purpose:
Starlette's gzip middleware compresses a response again on every request and never keeps the
result, so Streamlit leaves those paths out of it (``starlette_gzip_middleware.py``). In a
classroom every first visit shares one Wi-Fi, often a poor one, and often the teacher's laptop
is the server: thirty students fetch 290 MB uncompressed, 100 MB gzipped.

**How.** Streamlit's files under ``/static/`` are named by their content's hash and served
``Cache-Control: immutable``: one path is one content for the server's life. The middleware
knows those files by their exact paths (listed from Streamlit's ``static`` folder when the
server starts; the text ones only: scripts, style sheets, SVG). The first request for one of
them, from a browser that accepts gzip, is answered by Streamlit into memory; the body is
compressed once (level 6, in a worker thread so the event loop keeps serving the lessons'
websockets) and kept; every later request for that path is answered from memory, without
Streamlit reading the file again. Only the fetch and the compression wait for each other
(per path); sending to a browser never holds anyone up. Any other path (another spelling of
a file's path included: ``/static//js/…``), a browser that does not accept gzip, a request
for a part of a file (``Range``) and anything Streamlit does not answer with an immutable 200
pass as Streamlit sends them. Headers other than the validators and the length are kept;
cookies are never replayed.

:class:`StaticGzip` is an ASGI middleware beside :class:`softmax_ui.headers.SecurityHeaders` in
``serve.py`` (inside it, so the compressed answers carry the security headers too).
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from softmax_ui.headers import ASGIApp, Message, Receive, Scope, Send

LEVEL = 6
"""gzip's level: 9 makes Plotly's chunk 0.2 % smaller and takes 1.2 times as long."""

MIN_SIZE = 1024
"""Bodies shorter than this are sent as they are (a gzip header costs 18 bytes, a round trip
more than a kilobyte)."""

MAX_CACHED = 64 * 1024 * 1024
"""Bytes of compressed files kept in memory at most (reserved before compressing). Streamlit
1.67's whole frontend gzips to about 7 MB; past the limit a file is sent uncompressed, never
compressed on every request."""

TEXT_FILES = (".js", ".mjs", ".css", ".json", ".svg", ".txt", ".map")
"""The kinds of Streamlit's files worth compressing (its fonts are woff2 and its images PNG
and GIF: compressed already)."""

COMPRESSIBLE = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml")
"""The content types compressed, as Streamlit labels those files."""

_DROPPED = {b"content-length", b"etag", b"last-modified", b"accept-ranges", b"set-cookie"}
"""Headers of Streamlit's answer not kept in the compressed one: they describe the uncompressed
bytes, or belong to one request only (an immutable file is never revalidated)."""

_CONDITIONAL = {b"if-none-match", b"if-modified-since", b"if-match", b"if-unmodified-since"}
"""Dropped from the one request that fetches a file to compress: it needs the whole file."""


def streamlit_files() -> frozenset[str]:
    """The URL paths of Streamlit's text frontend files (``/static/js/index.DormvYxC.js``, …),
    from the ``static`` folder it serves them from."""
    import streamlit

    folder = Path(streamlit.__file__).parent / "static"
    return frozenset(
        "/" + path.relative_to(folder).as_posix()
        for path in (folder / "static").rglob("*")
        if path.is_file() and path.suffix in TEXT_FILES
    )


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header accepts gzip (RFC 9110, section 12.5.3).

    >>> accepts_gzip("gzip, deflate, br, zstd")
    True
    >>> accepts_gzip("br;q=1.0, gzip;q=0.5")
    True
    >>> accepts_gzip("gzip;q=0, *")
    False
    >>> accepts_gzip("*;q=0.1")
    True
    >>> accepts_gzip("identity")
    False
    >>> accepts_gzip("")
    False
    """
    star = None
    for item in accept_encoding.lower().split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        name = name.strip()
        if name in ("gzip", "x-gzip"):
            return q > 0
        if name == "*":
            star = q > 0
    return bool(star)


def is_candidate(scope: Scope, files: frozenset[str]) -> bool:
    """A GET or HEAD of one of ``files``, whole, from a browser that accepts gzip.

    >>> files = frozenset({"/static/js/index.DormvYxC.js"})
    >>> def request(path, **headers):
    ...     raw = [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    ...     return {"type": "http", "method": "GET", "path": path, "headers": raw}
    >>> is_candidate(request("/static/js/index.DormvYxC.js", accept_encoding="gzip"), files)
    True
    >>> is_candidate(request("/static/js/index.DormvYxC.js"), files)
    False
    >>> is_candidate(request("/static//js/index.DormvYxC.js", accept_encoding="gzip"), files)
    False
    >>> is_candidate(
    ...     request("/static/js/index.DormvYxC.js", accept_encoding="gzip", range="bytes=0-9"),
    ...     files,
    ... )
    False
    """
    if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD"):
        return False
    if scope.get("path") not in files:
        return False
    headers = {name.lower(): value for name, value in scope.get("headers", [])}
    if b"range" in headers:
        return False
    return accepts_gzip(headers.get(b"accept-encoding", b"").decode("latin-1"))


@dataclass
class Compressed:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass
class StaticGzip:
    """ASGI middleware: Streamlit's immutable frontend files, gzipped once, from memory."""

    app: ASGIApp
    files: Iterable[str] | None = None
    """The exact paths that may be compressed (default: :func:`streamlit_files`)."""
    cache: dict[str, Compressed] = field(default_factory=dict)
    reserved: int = 0
    """Bytes of :attr:`cache`, and of compressions under way (their uncompressed size)."""
    _locks: dict[str, tuple[asyncio.Lock, int]] = field(default_factory=dict)
    """Per path being fetched: a lock, and how many requests hold or await it (removed at
    zero)."""

    def __post_init__(self) -> None:
        self.files = frozenset(streamlit_files() if self.files is None else self.files)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert isinstance(self.files, frozenset)
        if not is_candidate(scope, self.files):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        hit = self.cache.get(path)
        if hit is None and scope["method"] == "GET" and self.reserved < MAX_CACHED:
            hit, passed = await self._fetch(path, scope, receive)
            if hit is None:  # Streamlit's answer, as it sent it
                for message in passed:
                    await send(message)
                return
        if hit is None:  # a HEAD before any GET, or the memory is full
            await self.app(scope, receive, send)
            return
        await send(
            {"type": "http.response.start", "status": hit.status, "headers": list(hit.headers)}
        )
        body = b"" if scope["method"] == "HEAD" else hit.body
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _fetch(
        self, path: str, scope: Scope, receive: Receive
    ) -> tuple[Compressed | None, list[Message]]:
        """The first request for ``path`` asks Streamlit for the file, into memory, and
        compresses it; requests for it meanwhile wait for that, then use the result. Nothing
        is sent to a browser while the lock is held. Returns the cached answer, or (when it
        is not worth compressing) Streamlit's messages to send as they are."""
        lock, users = self._locks.get(path, (asyncio.Lock(), 0))
        self._locks[path] = (lock, users + 1)
        try:
            async with lock:
                hit = self.cache.get(path)
                if hit is not None:
                    return hit, []
                messages = await self._ask(scope, receive)
                return await self._compress(path, messages), messages
        finally:
            lock, users = self._locks[path]
            if users > 1:
                self._locks[path] = (lock, users - 1)
            else:
                del self._locks[path]

    async def _ask(self, scope: Scope, receive: Receive) -> list[Message]:
        """Streamlit's whole answer to ``scope`` (without its conditions), kept in memory."""
        whole = dict(scope)
        whole["headers"] = [
            (name, value)
            for name, value in scope.get("headers", [])
            if name.lower() not in _CONDITIONAL
        ]
        # every message through ``send`` below (no file sent by path outside this middleware)
        whole["extensions"] = {
            key: value
            for key, value in (scope.get("extensions") or {}).items()
            if key not in ("http.response.pathsend", "http.response.zerocopysend")
        }
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)

        await self.app(whole, receive, keep)
        return messages

    async def _compress(self, path: str, messages: list[Message]) -> Compressed | None:
        """The compressed answer, kept in :attr:`cache`; ``None`` if not worth it."""
        starts = [m for m in messages if m["type"] == "http.response.start"]
        bodies = [m for m in messages if m["type"] == "http.response.body"]
        if len(starts) != 1 or len(bodies) + 1 != len(messages) or not self._worth_it(starts[0]):
            return None
        body = b"".join(m.get("body", b"") for m in bodies)
        if len(body) < MIN_SIZE or self.reserved + len(body) > MAX_CACHED:
            return None
        self.reserved += len(body)  # reserved before the thread runs, so the limit holds
        try:
            packed = await asyncio.to_thread(gzip.compress, body, LEVEL, mtime=0)
        finally:
            self.reserved -= len(body)
        start = starts[0]
        kept = [(k, v) for k, v in start.get("headers", []) if k.lower() not in _DROPPED]
        vary = [v for k, v in kept if k.lower() == b"vary"] + [b"Accept-Encoding"]
        headers = [(k, v) for k, v in kept if k.lower() != b"vary"] + [
            (b"content-encoding", b"gzip"),
            (b"vary", b", ".join(vary)),
            (b"content-length", str(len(packed)).encode()),
        ]
        entry = Compressed(start.get("status", 200), headers, packed)
        self.cache[path] = entry
        self.reserved += len(packed)
        return entry

    @staticmethod
    def _worth_it(start: Message) -> bool:
        headers = {name.lower(): value for name, value in start.get("headers", [])}
        kind = headers.get(b"content-type", b"").lower()
        return (
            start.get("status") == 200
            and b"content-encoding" not in headers
            and b"immutable" in headers.get(b"cache-control", b"").lower()
            and any(kind.startswith(prefix) for prefix in COMPRESSIBLE)
        )

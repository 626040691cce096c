"""The HTTP response headers that say who may frame the app and what a page may load.

Policy (docs/security.md):

* **Framing**: by default only the app itself may frame its pages (``frame-ancestors 'self'``
  and ``X-Frame-Options: SAMEORIGIN``), so another site cannot show the app inside its own page
  (clickjacking, or passing the app off as its own). A teacher who embeds the app in a learning
  platform lists that platform's origins in the environment variable
  ``SOFTMAX_FRAME_ANCESTORS`` (space-separated, e.g. ``https://lms.example.edu``): they are
  added to ``frame-ancestors`` and ``X-Frame-Options`` is left out (it cannot name another
  origin; browsers that know ``frame-ancestors`` ignore it anyway).
* **Content**: a Content-Security-Policy that lets a page load scripts, styles, fonts, images
  and connections from the app's own origin only (plus ``data:``/``blob:`` images and fonts,
  which never leave the browser). Whatever text a link brings, the browser itself refuses to
  fetch anything from elsewhere: the "nothing is loaded from the internet" promise is enforced
  twice, by escaping (softmax_ui.text) and here.
* ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` (a share link holds
  the lesson's state; it is not sent to anyone).

Streamlit 1.67 has no setting for response headers; its supported hook is ``st.App(...,
middleware=[...])`` (an ASGI app served by uvicorn), used by ``serve.py``. :class:`SecurityHeaders`
is a plain ASGI middleware (no dependency beyond the ASGI interface), so it is tested directly.
The HAProxy configuration in ``deploy/`` sets the same headers for a scaled-out classroom.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any

ENV_VAR = "SOFTMAX_FRAME_ANCESTORS"
"""Space-separated origins allowed to frame the app, e.g. ``https://lms.example.edu``."""

_ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:(\d{1,5}|\*))?")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def parse_ancestors(text: str | None) -> tuple[str, ...]:
    """The origins in ``SOFTMAX_FRAME_ANCESTORS``; :class:`ValueError` for anything else.

    Only origins (``https://host`` or ``https://host:port``; ``*.`` before the host for its
    subdomains, ``:*`` for any port) are accepted: no bare ``*``, no paths, no quotes, no
    other CSP source.

    >>> parse_ancestors(" https://lms.example.edu  https://*.school.example:8443 ")
    ('https://lms.example.edu', 'https://*.school.example:8443')
    >>> parse_ancestors("")
    ()
    """
    origins = tuple((text or "").split())
    for origin in origins:
        if not _ORIGIN.fullmatch(origin):
            raise ValueError(
                f"{ENV_VAR} must list origins such as https://lms.example.edu; "
                f"{origin[:80]!r} is not one."
            )
    return origins


def inline_script_hashes() -> tuple[str, ...]:
    """CSP hashes of the inline scripts in Streamlit's own index.html (one small line that
    sets ``window.prerenderReady``), so no other inline script may run."""
    import streamlit

    index = Path(streamlit.__file__).with_name("static") / "index.html"
    try:
        page = index.read_text(encoding="utf-8")
    except OSError:
        return ()
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    return tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    )


def policy_headers(
    ancestors: Iterable[str] = (), script_hashes: Iterable[str] = ()
) -> list[tuple[bytes, bytes]]:
    """The headers every response carries, for the allowed frame ``ancestors``.

    >>> dict(policy_headers())[b"x-frame-options"]
    b'SAMEORIGIN'
    >>> b"x-frame-options" in dict(policy_headers(["https://lms.example.edu"]))
    False
    """
    ancestors = tuple(ancestors)
    frame = " ".join(("'self'", *ancestors))
    csp = "; ".join(
        (
            "default-src 'self'",
            "script-src " + " ".join(("'self'", *script_hashes)),
            "style-src 'self' 'unsafe-inline'",  # Streamlit's CSS-in-JS writes <style> tags
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",  # includes the app's own websocket (CSP Level 3)
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame}",
        )
    )
    headers = [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]
    if not ancestors:
        headers.append((b"x-frame-options", b"SAMEORIGIN"))
    return headers


class SecurityHeaders:
    """ASGI middleware: adds :func:`policy_headers` to every HTTP response (replacing any
    header of the same name), and leaves websockets and lifespan events alone.

    ``ancestors=None`` reads :data:`ENV_VAR`.
    """

    def __init__(self, app: ASGIApp, ancestors: Iterable[str] | None = None) -> None:
        self.app = app
        if ancestors is None:
            ancestors = parse_ancestors(os.environ.get(ENV_VAR))
        else:
            ancestors = parse_ancestors(" ".join(ancestors))
        self.headers = policy_headers(ancestors, inline_script_hashes())
        self._names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message.get("type") == "http.response.start":
                kept = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in self._names
                ]
                message["headers"] = kept + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

"""Whether a URL or a host stays on this machine: every tool here talks to loopback only."""

from __future__ import annotations

import argparse
import ipaddress
from urllib.parse import urlsplit

LOCAL_SCHEMES = frozenset({"data", "blob", "about", "chrome", "chrome-error"})
"""URL schemes a browser resolves without a network request."""


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine's loopback interface.

    >>> [is_loopback_host(h) for h in ("127.0.0.1", "127.8.9.1", "::1", "localhost")]
    [True, True, True, True]
    >>> [is_loopback_host(h) for h in ("10.0.0.1", "0.0.0.0", "example.com", "")]
    [False, False, False, False]
    """
    host = host.lower().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback(url: str) -> bool:
    """Whether fetching ``url`` stays on this machine (``data:``, ``blob:`` … never leave it).

    >>> is_loopback("http://127.0.0.1:8501/Playground"), is_loopback("ws://[::1]:80/x")
    (True, True)
    >>> is_loopback("data:image/png;base64,AA=="), is_loopback("https://fonts.example.com/a")
    (True, False)
    """
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return is_loopback_host(parts.hostname or "")


def require_loopback(url: str) -> str:
    """``url`` without a trailing ``/`` if it is an http(s) URL on loopback, else ValueError.

    >>> require_loopback("http://localhost:8600/")
    'http://localhost:8600'
    """
    if urlsplit(url).scheme not in ("http", "https") or not is_loopback(url):
        raise ValueError(
            f"refusing {url}: these tools only talk to loopback "
            "(http://127.0.0.0/8, http://[::1], http://localhost)"
        )
    return url.rstrip("/")


def loopback_url(text: str) -> str:
    """An ``argparse`` type for a ``--url`` option: a loopback URL, else a usage error."""
    try:
        return require_loopback(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None

"""Every tool talks to loopback only: the one check they share."""

from __future__ import annotations

import argparse

import pytest

from devtools.loopback import is_loopback, is_loopback_host, loopback_url, require_loopback

LOOPBACK = [
    "http://127.0.0.1:8501",
    "http://127.255.0.9/x",
    "http://localhost:1",
    "http://LOCALHOST:1",
    "http://[::1]:80",
    "ws://127.0.0.1:8501/_stcore/stream",
]
OUTSIDE = [
    "http://10.0.0.1:8501",
    "http://192.168.1.2",
    "http://example.com",
    "https://fonts.googleapis.com/css",
    "http://0.0.0.0:8501",
    "http://[::]:80",
    "http://localhost.example.com",
    "http://127.0.0.1.example.com",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("url", LOOPBACK)
def test_loopback_is_allowed(url):
    assert is_loopback(url)
    if url.startswith("http"):
        assert require_loopback(url + "/") == url


@pytest.mark.parametrize("url", OUTSIDE)
def test_anything_else_is_refused(url):
    assert not is_loopback(url)
    with pytest.raises(ValueError, match="loopback"):
        require_loopback(url)
    with pytest.raises(argparse.ArgumentTypeError, match="loopback"):
        loopback_url(url)


@pytest.mark.parametrize("url", ["data:text/plain,x", "blob:http://127.0.0.1/1", "about:blank"])
def test_urls_a_browser_resolves_itself_stay_local(url):
    assert is_loopback(url)


def test_a_websocket_is_not_an_http_target():
    with pytest.raises(ValueError):
        require_loopback("ws://127.0.0.1:8501")


@pytest.mark.parametrize(("host", "expected"), [("127.0.0.1", True), ("10.0.0.5", False)])
def test_hosts(host, expected):
    assert is_loopback_host(host) is expected

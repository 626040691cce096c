"""TCP_NODELAY on the server's sockets (softmax_ui.network): no delayed-ACK stall per rerun."""

from __future__ import annotations

import socket

import pytest

from softmax_ui import network


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.fixture
def listener():
    # Bound the way Streamlit 1.67 binds its server socket: proto left at 0, so asyncio would
    # not set TCP_NODELAY on the sockets it accepts.
    sock = socket.socket(family=socket.AF_INET)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    with sock:
        yield sock


def _accept(listener: socket.socket) -> tuple[socket.socket, socket.socket]:
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    return client, accepted


def test_streamlit_style_listener_leaves_nagle_on(listener):
    """The premise: without the fix, an accepted socket has Nagle's algorithm on."""
    client, accepted = _accept(listener)
    with client, accepted:
        assert accepted.proto == 0
        assert _nodelay(accepted) == 0


def test_open_sockets_and_later_accepts_get_nodelay(listener):
    client, before = _accept(listener)
    with client, before:
        assert network.disable_nagle_on_open_sockets() >= 2  # at least the listener and `before`
        assert _nodelay(listener) != 0
        assert _nodelay(before) != 0
        late_client, late = _accept(listener)  # inherits the option from the listener
        with late_client, late:
            assert _nodelay(late) != 0
    # The server's own socket objects still work: the module only touched duplicates.
    assert listener.fileno() != -1
    listener.getsockname()


def test_non_tcp_sockets_are_left_alone():
    a, b = socket.socketpair()
    with a, b:
        assert not network.set_nodelay(a)
        network.disable_nagle_on_open_sockets()
        a.sendall(b"x")
        assert b.recv(1) == b"x"


def test_once_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(network, "_done", False)
    monkeypatch.setattr(network, "disable_nagle_on_open_sockets", lambda: calls.append(1) or 0)
    network.disable_nagle_once()
    network.disable_nagle_once()
    assert calls == [1]

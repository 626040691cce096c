"""TCP_NODELAY on the server's sockets (softmax_ui.network): no delayed-ACK stall per rerun."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

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


TRY_TO_WRITE = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
try:
    db.execute("BEGIN IMMEDIATE")
except sqlite3.OperationalError as err:
    print(err)
else:
    print("written")
"""


def test_a_databases_locks_are_kept(tmp_path: Path):
    """Only sockets are duplicated: closing a duplicate of a file's descriptor releases every
    POSIX lock this process holds on the file. The room store's SQLite database lost its locks
    so, and another process deleted its write-ahead log under this one (a corrupt view of the
    rooms: a live class across two processes failed in CI)."""
    path = tmp_path / "rooms.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (x)")
        db.execute("BEGIN IMMEDIATE")  # this process holds the write lock
        db.execute("INSERT INTO t VALUES (1)")

        def other_process_writes() -> str:
            run = [sys.executable, "-c", TRY_TO_WRITE, str(path)]
            return subprocess.run(run, capture_output=True, text=True, check=True).stdout.strip()

        assert other_process_writes() == "database is locked"  # the premise
        network.disable_nagle_on_open_sockets()
        assert other_process_writes() == "database is locked"
        db.execute("COMMIT")
    finally:
        db.close()


def test_once_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(network, "_done", False)
    monkeypatch.setattr(network, "disable_nagle_on_open_sockets", lambda: calls.append(1) or 0)
    network.disable_nagle_once()
    network.disable_nagle_once()
    assert calls == [1]

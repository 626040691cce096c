"""Turn off Nagle's algorithm on the server's TCP sockets, so a rerun's messages leave at once.

Streamlit 1.67 binds its listening socket itself (``socket.socket(family=...)``, so
``proto == 0``) and hands it to uvicorn. asyncio only sets ``TCP_NODELAY`` on an accepted
socket whose ``proto`` is ``IPPROTO_TCP``, so every websocket of the app would keep Nagle's
algorithm on: after the first small message of a rerun (``new_session``), the next ones would
wait for the browser's delayed ACK (40 ms on Linux). docs/benchmarks.md has the measurements.

The fix is one socket option, set once per process from the first script run:

* on the listening socket: sockets accepted later inherit ``TCP_NODELAY`` from it;
* on the sockets already accepted (the session that is running this first script).
"""

from __future__ import annotations

import os
import socket
import stat
import threading

_done = False
_lock = threading.Lock()


def _fd_dir() -> str | None:
    for path in ("/proc/self/fd", "/dev/fd"):
        if os.path.isdir(path):
            return path
    return None


def set_nodelay(sock: socket.socket) -> bool:
    """Set ``TCP_NODELAY`` on ``sock`` if it is a TCP socket; return whether it was set."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
        return False
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        return False
    return True


def _is_socket(fd: int) -> bool:
    """Whether descriptor ``fd`` is a socket (``fstat`` only: nothing opened or closed)."""
    try:
        return stat.S_ISSOCK(os.fstat(fd).st_mode)
    except OSError:
        return False


def disable_nagle_on_open_sockets() -> int:
    """Set ``TCP_NODELAY`` on every TCP socket this process has open; return how many.

    Each socket's descriptor is duplicated, so closing the temporary socket object leaves the
    server's own socket alone. Descriptors that are not sockets are never duplicated: closing
    a duplicate of a file's descriptor releases every POSIX lock this process holds on that
    file. For the room store's SQLite database that let another process take the database as
    unused, checkpoint it and delete its write-ahead log under this one, which then read a
    stale room and failed every write with "database disk image is malformed" (a live class
    across two processes, docs/live-class.md).
    """
    fd_dir = _fd_dir()
    if fd_dir is None:
        return 0
    count = 0
    for name in os.listdir(fd_dir):
        try:
            fd = int(name)
        except ValueError:
            continue
        if not _is_socket(fd):
            continue
        try:
            dup = os.dup(fd)
        except OSError:
            continue
        try:
            sock = socket.socket(fileno=dup)
        except OSError:  # not a socket
            os.close(dup)
            continue
        with sock:
            count += set_nodelay(sock)
    return count


def disable_nagle_once() -> None:
    """Run :func:`disable_nagle_on_open_sockets` once per process (cheap to call every run)."""
    global _done
    if _done:
        return
    with _lock:
        if not _done:
            disable_nagle_on_open_sockets()
            _done = True

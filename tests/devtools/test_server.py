"""The test servers: each one is the process that answers on its port (CI run 108 failed when
two servers started side by side were given one port, and the second was taken for healthy
because the first answered its health check)."""

from __future__ import annotations

import socket
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from devtools.server import HEALTH, AppServer, free_port, listens_on

LINUX_PROC = pytest.mark.skipif(
    listens_on(1, 1) is None, reason="no /proc: a port's owner cannot be told"
)


def test_free_port_never_hands_out_one_port_twice() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        ports = list(pool.map(lambda _: free_port(), range(400)))
    assert len(set(ports)) == len(ports)


@LINUX_PROC
def test_a_server_whose_port_another_holds_is_not_taken_for_healthy(tmp_path) -> None:
    with AppServer(name="holder", log_dir=tmp_path) as holder:
        late = AppServer(name="late", log_dir=tmp_path)
        try:
            with pytest.raises(RuntimeError, match="did not become healthy"):
                late.start(port=holder.port, timeout=30)
        finally:
            late.stop()
        assert "is not available" in late.log_text()
        assert holder.listening()


@LINUX_PROC
def test_a_redis_server_whose_port_another_holds_moves_to_another(tmp_path, monkeypatch) -> None:
    import devtools.redis as redis_module

    binary = redis_module.find_redis_server()
    if binary is None:
        pytest.skip("redis-server not installed (apt-get install -y redis-server)")
    first = redis_module.RedisServer(binary, tmp_path / "first")
    second = redis_module.RedisServer(binary, tmp_path / "second")
    try:
        first.start()
        ports = iter([first.port])
        monkeypatch.setattr(redis_module, "free_port", lambda: next(ports, None) or free_port())
        second.start()
        assert second.port != first.port
    finally:
        second.stop()
        first.stop()


@LINUX_PROC
def test_haproxy_whose_port_another_holds_moves_to_another(tmp_path, monkeypatch) -> None:
    import deploy.balanced as balanced

    if balanced.find_haproxy() is None:
        pytest.skip("haproxy not installed (apt-get install -y haproxy)")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        held = holder.getsockname()[1]
        ports = iter([held])
        monkeypatch.setattr(balanced, "free_port", lambda: next(ports, None) or free_port())
        with balanced.Balanced(1, workdir=tmp_path) as app:
            assert app.port != held
            with urllib.request.urlopen(app.url + HEALTH, timeout=10) as reply:
                assert reply.read().strip() == b"ok"


@LINUX_PROC
def test_a_server_whose_port_another_holds_moves_to_another(tmp_path, monkeypatch) -> None:
    """What CI needed: the second of two servers given one port starts on another."""
    import devtools.server as server_module

    with AppServer(name="holder", log_dir=tmp_path) as holder:
        ports = iter([holder.port])
        monkeypatch.setattr(server_module, "free_port", lambda: next(ports, None) or free_port())
        with AppServer(name="second", log_dir=tmp_path) as second:
            assert second.port != holder.port
            assert second.listening() and holder.listening()

"""Several app processes behind HAProxy on loopback, sharing one room store: what
``deploy/scale_out.sh`` runs, started from Python for a test or a benchmark.

    with Balanced(2, store="redis", workdir=tmp) as app:
        app.url                    # HAProxy's address
        app.pin(1)                 # headers that send a browser to process 1 (its cookie)
        app.store()                # a RoomStore on the same data, for checks

The processes share the cookie secret (as in ``scale_out.sh``) and the room store: SQLite
(``SOFTMAX_DATA_DIR`` = ``workdir/data``) or a ``redis-server`` started here on a free port.
HAProxy's configuration is ``deploy/haproxy_cfg.py``'s. Everything started is stopped by its
own process id.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

from deploy.haproxy_cfg import COOKIE, render
from devtools.redis import RedisServer, find_redis_server
from devtools.server import HEALTH, AppServer, free_port, listens_on, stop_process

STORES = ("sqlite", "redis")


def find_haproxy() -> str | None:
    for candidate in ("/usr/sbin/haproxy", shutil.which("haproxy")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class Proxy:
    """HAProxy on a loopback port of its own, with the configuration ``config(port)``.

    It counts as started only when its own process listens on the port and answers the apps'
    health check through it: a port another process took first (another test's HAProxy, say)
    makes it exit, and it starts again on another port (three tries).

        with Proxy(lambda port: render([8501], port=port), workdir) as proxy:
            proxy.url
    """

    def __init__(self, config: Callable[[int], str], workdir: Path, *, tries: int = 3) -> None:
        self.config = config
        self.workdir = Path(workdir)
        self.tries = tries
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "haproxy.log"

    def start(self, timeout: float = 30.0) -> Proxy:
        """Start HAProxy; anything that goes wrong (a timeout, an interrupt) stops it again."""
        haproxy = find_haproxy()
        if haproxy is None:
            raise RuntimeError("haproxy not found: apt-get install -y haproxy")
        self.workdir.mkdir(parents=True, exist_ok=True)
        try:
            for attempt in range(max(1, self.tries)):
                self.port = free_port()
                cfg = self.workdir / "haproxy.cfg"
                cfg.write_text(self.config(self.port))
                self._log = self.log_path.open("wb")
                self._process = subprocess.Popen(
                    [haproxy, "-db", "-f", str(cfg)],
                    stdout=self._log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
                if self._wait_healthy(last=attempt >= self.tries - 1, timeout=timeout):
                    return self
        except BaseException:
            self.stop()
            raise
        raise AssertionError("unreachable: the last try raises")

    def _wait_healthy(self, *, last: bool, timeout: float) -> bool:
        """Whether HAProxy listens on its port and answers the apps' health check; if it ended
        (its port taken by another process), it is stopped and, unless ``last``, False is
        returned for another port."""
        assert self._process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._process.poll() is None:
            if listens_on(self._process.pid, self.port) is False:
                time.sleep(0.05)
                continue
            try:
                with urllib.request.urlopen(self.url + HEALTH, timeout=2) as reply:
                    if reply.status == 200:
                        return True
            except OSError:
                time.sleep(0.2)
        log = self.log_path.read_text(errors="replace")[-2000:]
        self.stop()
        if last or time.monotonic() >= deadline:
            raise RuntimeError(f"HAProxy did not answer on {self.url}:\n{log}")
        return False

    def stop(self) -> None:
        proc, self._process = self._process, None
        stop_process(proc)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Proxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Balanced:
    """``processes`` app processes behind one HAProxy, on one room store."""

    def __init__(
        self,
        processes: int = 2,
        *,
        store: str = "sqlite",
        workdir: Path,
        args: tuple[str, ...] = (),
    ) -> None:
        if store not in STORES:
            raise ValueError(f"store must be one of {STORES}")
        self.processes = processes
        self.store_kind = store
        self.workdir = Path(workdir)
        self.args = args
        self.servers: list[AppServer] = []
        self.redis: RedisServer | None = None
        self.proxy: Proxy | None = None

    @property
    def port(self) -> int:
        return self.proxy.port if self.proxy is not None else 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """The room-store settings every process gets."""
        if self.redis is not None:
            return {"SOFTMAX_ROOMS_URL": self.redis.url, "SOFTMAX_DATA_DIR": ""}
        return {"SOFTMAX_DATA_DIR": str(self.workdir / "data"), "SOFTMAX_ROOMS_URL": ""}

    @property
    def pids(self) -> list[int]:
        """The app processes' ids (for their CPU time)."""
        return [s.pid for s in self.servers]

    def pin(self, process: int) -> dict[str, str]:
        """Request headers that make HAProxy send a browser to app process ``process`` (1…):
        the sticky cookie HAProxy would have set."""
        return {"Cookie": f"{COOKIE}=app{process}"}

    def store(self):  # -> RoomStore (imported lazily: devtools does not import the app eagerly)
        from softmax_ui.rooms import open_store

        return open_store(self.env)

    def start(self) -> Balanced:
        if find_haproxy() is None:  # before the app servers: Proxy.start would say it late
            raise RuntimeError("haproxy not found: apt-get install -y haproxy")
        try:
            if self.store_kind == "redis":
                binary = find_redis_server()
                if binary is None:
                    raise RuntimeError("redis-server not found: apt-get install -y redis-server")
                self.redis = RedisServer(binary, self.workdir / "redis").start()
            env = self.env | {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(24)}
            self.servers = [
                AppServer(
                    name=f"balanced-{self.store_kind}-{i}",
                    args=self.args,
                    env=env,
                    log_dir=self.workdir / "logs",
                )
                for i in range(1, self.processes + 1)
            ]
            # started side by side: each spends its first seconds importing
            with ThreadPoolExecutor(max_workers=self.processes) as pool:
                for started in [pool.submit(s.start) for s in self.servers]:
                    started.result()
            ports = [s.port for s in self.servers]
            self.proxy = Proxy(lambda port: render(ports, port=port), self.workdir)
            self.proxy.start()
        except BaseException:
            self.stop()
            raise
        return self

    def tracebacks(self) -> list[str]:
        return [t for s in self.servers for t in s.tracebacks()]

    def stop(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        for server in self.servers:
            server.stop()
        if self.redis is not None:
            with contextlib.suppress(Exception):
                self.redis.stop()

    def __enter__(self) -> Balanced:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

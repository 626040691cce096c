"""``streamlit run serve.py`` (or ``app.py``) on a free loopback port, for tests, benchmarks and
scripts."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from devtools import ARTIFACTS, ROOT

HEALTH = "/_stcore/health"


def stop_process(proc: subprocess.Popen | None, timeout: float = 10) -> None:
    """Terminate ``proc`` (then kill it if it has not ended within ``timeout`` s) and reap it;
    nothing if it is ``None`` or has ended."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


_handed_out: set[int] = set()
_handing_out = threading.Lock()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now, and that this process has not
    handed out before.

    The kernel may give the same free port to two calls made before either is listened on (two
    servers started side by side got one port, and CI run 108 failed on it); so a port is
    handed out once per process.
    """
    with _handing_out:
        for _ in range(1000):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            if port not in _handed_out:
                _handed_out.add(port)
                return port
    raise RuntimeError("no free port this process has not handed out before")


class AppServer:
    """``streamlit run serve.py`` on 127.0.0.1, headless, its output kept in a log file.

    ``app_dir`` is the folder run from (this checkout by default; ``benchmarks/floor`` or a
    scratch copy for a benchmark). The app is served as ``make run`` serves it: ``serve.py``
    (every page with the security headers, docs/security.md) where the folder has one, else
    ``app.py``. ``args`` are extra ``streamlit run`` flags, ``env`` extra environment
    variables (e.g. ``SOFTMAX_FRAME_ANCESTORS``). The server runs
    in its own process group, stopped with everything it started. Use it as a context manager
    or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        *,
        name: str = "streamlit",
        app_dir: Path = ROOT,
        args: Sequence[str] = (),
        log_dir: Path = ARTIFACTS / "logs",
        env: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.app_dir = Path(app_dir)
        self.script = "serve.py" if (self.app_dir / "serve.py").exists() else "app.py"
        self.args = list(args)
        self.env = dict(env or {})
        self.log_dir = log_dir
        self.port = 0
        self.log_path: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """The server's process id (for its CPU time in /proc)."""
        assert self._proc is not None, "the server is not running"
        return self._proc.pid

    def start(self, timeout: float = 60.0, *, port: int | None = None) -> AppServer:
        """Start the server and wait for its health check; retries once on a port race.

        ``port`` restarts a server where it was (its browsers reconnect by themselves)."""
        for _attempt in range(2):
            self.port = port or free_port()
            self.log_dir.mkdir(parents=True, exist_ok=True)
            self.log_path = self.log_dir / f"{self.name}-{self.port}.log"
            self._log = self.log_path.open("wb")
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    self.script,
                    "--server.headless",
                    "true",
                    "--server.address",
                    "127.0.0.1",
                    "--server.port",
                    str(self.port),
                    *self.args,
                ],
                cwd=self.app_dir,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self._environment(),
                start_new_session=True,
            )
            if self._wait_healthy(timeout):
                return self
            self.stop()
        raise RuntimeError(f"Streamlit did not become healthy; log:\n{self.log_text()[-3000:]}")

    def _environment(self) -> dict[str, str]:
        # The project root goes after the app's own folder (which Streamlit puts first), so
        # the floor app can import this checkout's softmax_ui and a scratch copy its own.
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
        return {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": path, **self.env}

    def _wait_healthy(self, timeout: float) -> bool:
        """Whether this server answers its health check: another process answering on the port
        (one that took it first, from this or another test process) does not count."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc is None or self._proc.poll() is not None:
                return False
            if not self.listening():
                time.sleep(0.2)
                continue
            try:
                with urllib.request.urlopen(self.url + HEALTH, timeout=2) as reply:
                    if reply.read().strip() == b"ok":
                        return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def listening(self) -> bool:
        """Whether this server's process listens on its port (not another that took it first:
        then Streamlit ends with "Port … is not available"); without ``/proc``, whether it
        is running."""
        return self._proc is not None and listens_on(self._proc.pid, self.port) is not False

    def log_text(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def tracebacks(self) -> list[str]:
        """The app's uncaught exceptions so far, as logged by the server.

        The browser only shows a redacted message (``client.showErrorDetails = "none"``).
        """
        blocks = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", self.log_text())
        return [b.strip() for b in blocks if "Traceback (most recent call last)" in b]

    def problems_since(self, offset: int) -> list[str]:
        """Tracebacks and warnings (e.g. a ``RuntimeWarning``) logged after character ``offset``.

        A student never sees the server log, so a test has to read it for them.
        """
        text = self.log_text()[offset:]
        lines = [line for line in text.splitlines() if re.search(r"\w*Warning\b|Traceback", line)]
        return lines[:20]

    def stop(self) -> None:
        """Terminate (then kill) the server's process group; safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def listens_on(pid: int, port: int) -> bool | None:
    """Whether process ``pid`` holds a socket listening on TCP ``port`` (Linux ``/proc``): the
    proof that an answer on the port comes from that process, not from another that took the
    port first. ``None`` where there is no ``/proc`` to tell (macOS): a caller then goes by
    the answer alone, as before."""
    if not Path("/proc/net/tcp").exists():
        return None
    inodes: set[str] = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port and inode in inodes:
                    return True
    return False

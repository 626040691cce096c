"""Shared helpers for the app-level benchmarks (``bench_rerun``, ``bench_latency``, ``load_test``).

* ``discover_pages``: every page script (``app.py`` and ``pages/*.py``) with the URL name
  Streamlit gives it, so new pages are measured without editing the benchmarks.
* ``Server``: a real ``streamlit run`` on a free loopback port, stopped on exit.
* Streamlit's websocket protocol (``/_stcore/stream``), spoken with Streamlit's own protobufs:
  ``rerun_msg`` builds the BackMsg a browser sends, ``WidgetBook`` learns widget ids and values
  from the ForwardMsg deltas, ``Session`` is one simulated browser tab.
* Statistics (``pct``, ``summary``), the machine load and a process's CPU time (``/proc``).

Everything here talks to loopback only: ``check_loopback`` refuses any other host.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
APP_DIR = Path(os.environ.get("PERF_APP_DIR") or ROOT).resolve()
"""The app measured: this checkout, or a scratch copy named by ``PERF_APP_DIR`` (to try a change
on a copy before proposing it)."""
PYTHON = sys.executable
TICKS = os.sysconf("SC_CLK_TCK")


# --- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    script: str
    """Path relative to the repository root, e.g. ``pages/1_Playground.py``."""
    name: str
    """URL path name (``Playground``); empty for the landing page."""

    @property
    def label(self) -> str:
        return self.name or "app (landing)"


def discover_pages(root: Path = APP_DIR) -> list[Page]:
    """``app.py`` then ``pages/*.py`` in Streamlit's own order, with their URL names."""
    from streamlit.source_util import page_icon_and_name, page_sort_key

    pages = [Page("app.py", "")]
    scripts = sorted((root / "pages").glob("*.py"), key=page_sort_key)
    for path in scripts:
        if path.name.startswith(("_", ".")):
            continue
        _, name = page_icon_and_name(path)
        pages.append(Page(str(path.relative_to(root)), name))
    return pages


def select_pages(pages: list[Page], wanted: Sequence[str] | None) -> list[Page]:
    """Pages whose URL name or script path contains one of ``wanted`` (all when empty)."""
    if not wanted:
        return pages
    chosen = [p for p in pages if any(w.lower() in (p.name + p.script).lower() for w in wanted)]
    if not chosen:
        raise SystemExit(f"no page matches {list(wanted)}; pages: {[p.label for p in pages]}")
    return chosen


# --- statistics -------------------------------------------------------------------------------


def pct(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100), linear interpolation; NaN for no values."""
    if not values:
        return math.nan
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": pct(values, 50),
        "p95": pct(values, 95),
        "p99": pct(values, 99),
        "min": min(values) if values else math.nan,
        "max": max(values) if values else math.nan,
    }


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """A Markdown table (pastes straight into docs/benchmarks.md)."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return "–" if math.isnan(v) else f"{v:.1f}"
        return str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


# --- machine ----------------------------------------------------------------------------------


def loadavg() -> float:
    return os.getloadavg()[0]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / TICKS


def wait_quiet(max_load: float, timeout: float) -> float:
    """Wait (up to ``timeout`` s) for the 1-minute load to drop below ``max_load``."""
    deadline = time.monotonic() + timeout
    while loadavg() > max_load and time.monotonic() < deadline:
        time.sleep(5)
    return loadavg()


def machine_note() -> str:
    return f"{os.cpu_count()} cores, load {loadavg():.2f} at start"


# --- server -----------------------------------------------------------------------------------


def check_loopback(url: str) -> None:
    """Refuse any target that is not on this machine's loopback interface."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise SystemExit(f"refusing {url}: the benchmarks only talk to loopback (127.0.0.0/8, ::1)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(
    base_url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(base_url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{base_url} not healthy after {timeout:.0f} s")


class Server:
    """``streamlit run app.py`` on a free loopback port, in its own process group.

    Use as a context manager; the server and its children are stopped on exit.
    """

    def __init__(self, port: int | None = None, *, cwd: Path = APP_DIR, args: Sequence[str] = ()):
        self.port = port or free_port()
        self.cwd = cwd
        self.args = list(args)
        self.proc: subprocess.Popen | None = None
        self.log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def __enter__(self) -> Server:
        log_dir = ROOT / "test-artifacts"
        log_dir.mkdir(exist_ok=True)
        self.log = open(log_dir / f"bench-server-{self.port}.log", "w")
        cmd = [
            PYTHON,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            *self.args,
        ]
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.cwd,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_healthy(self.url, proc=self.proc)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if self.log is not None:
            self.log.close()


# --- Streamlit's websocket protocol -----------------------------------------------------------

WIDGET_VALUE_FIELDS = {
    # element type -> how its current value goes into a WidgetState (what the browser sends)
    "slider": "double_array_value",
    "number_input": "number",
    "text_input": "string_value",
    "text_area": "string_value",
    "checkbox": "bool_value",
}


@dataclass
class Widget:
    id: str
    kind: str
    proto: Any

    @property
    def key(self) -> str:
        """The user key (``w:T_slider``), the part of the id after the hash."""
        return self.id.split("-", 2)[-1] if self.id.startswith("$$ID-") else self.id

    def current(self) -> Any:
        p = self.proto
        if self.kind == "slider":
            return list(p.value) if p.set_value or p.value else list(p.default)
        if self.kind == "number_input":
            return p.value if p.set_value else p.default
        if self.kind in ("text_input", "text_area"):
            return p.value if p.set_value else p.default
        if self.kind == "checkbox":
            return p.value if p.set_value else p.default
        return None

    def state(self, value: Any | None = None) -> Any:
        """A WidgetState proto carrying ``value`` (default: the value the server last showed)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        value = self.current() if value is None else value
        w = WidgetState(id=self.id)
        if self.kind == "slider":
            w.double_array_value.data.extend(float(v) for v in value)
        elif self.kind == "number_input":
            if self.proto.data_type == self.proto.INT:
                w.int_value = int(value)
            else:
                w.double_value = float(value)
        elif self.kind in ("text_input", "text_area"):
            w.string_value = str(value)
        elif self.kind == "checkbox":
            w.bool_value = bool(value)
        return w

    def next_value(self, i: int) -> Any:
        """The ``i``-th value of a deterministic walk over the widget's range (never its start)."""
        p = self.proto
        if self.kind == "slider":
            lo, hi, step = p.min, p.max, p.step or (p.max - p.min) / 100
        elif self.kind == "number_input":
            cur = self.current()
            step = p.step or 1
            lo = max(p.min, cur - 10 * step) if p.has_min else cur - 10 * step
            hi = min(p.max, cur + 10 * step) if p.has_max else cur + 10 * step
        else:
            raise ValueError(f"cannot walk a {self.kind}")
        # a triangle wave through the middle third of the range, snapped to the step
        n = 12
        phase = i % (2 * n)
        frac = 1 / 3 + (phase if phase < n else 2 * n - phase) / n / 3
        steps = round((lo + (hi - lo) * frac - lo) / step)
        v = lo + steps * step
        v = round(v, 10)
        if self.kind == "number_input" and p.data_type == p.INT:
            return int(v)
        return [v] if self.kind == "slider" else v


class WidgetBook:
    """The widgets of the last script run, learnt from its new_element deltas."""

    def __init__(self) -> None:
        self.widgets: dict[str, Widget] = {}

    def learn(self, msg: Any) -> None:
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind not in WIDGET_VALUE_FIELDS:
            return
        proto = getattr(element, kind)
        if proto.id:
            self.widgets[proto.id] = Widget(proto.id, kind, proto)

    def states(self) -> list[Any]:
        return [w.state() for w in self.widgets.values()]

    def by_key(self, key: str) -> Widget | None:
        for w in self.widgets.values():
            if w.key == key:
                return w
        return None

    def pick(self, prefer: Sequence[str] = ("w:T_slider", "w:zs0:")) -> Widget | None:
        """The widget a student moves: the temperature slider, else a logit slider, else any
        slider, else any number input."""
        for key in prefer:
            for w in self.widgets.values():
                if w.key == key or (key.endswith(":") and w.key.startswith(key)):
                    return w
        for kind in ("slider", "number_input"):
            for w in self.widgets.values():
                if w.kind == kind:
                    return w
        return None


def rerun_msg(
    *,
    page_name: str,
    page_hash: str = "",
    widgets: Sequence[Any] = (),
    cached_hashes: Sequence[str] = (),
    query_string: str = "",
) -> bytes:
    """The BackMsg ``rerun_script`` a browser sends (what Streamlit's frontend puts in it)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = query_string
    cs.page_script_hash = page_hash
    cs.page_name = page_name
    cs.widget_states.widgets.extend(widgets)
    cs.cached_message_hashes.extend(cached_hashes)
    return msg.SerializeToString()


@dataclass
class RunResult:
    seconds: float
    bytes_received: int
    bytes_sent: int
    messages: int
    status: int
    """ForwardMsg.ScriptFinishedStatus (0 = finished successfully)."""
    exception: bool = False


@dataclass
class Session:
    """One simulated browser tab on one page, over a real websocket (``websockets`` package)."""

    base_url: str
    page: Page
    timeout: float = 60.0
    headers: dict[str, str] = field(default_factory=dict)
    book: WidgetBook = field(default_factory=WidgetBook)
    page_hash: str = ""
    cached: set[str] = field(default_factory=set)
    ws: Any = None
    changed: Widget | None = None
    step: int = 0
    cookies: dict[str, str] = field(default_factory=dict)

    async def connect(self) -> None:
        """Open the page as a browser does: GET its HTML (keeping any cookie, e.g. a load
        balancer's sticky-session cookie), then open the websocket with that cookie."""
        import websockets

        check_loopback(self.base_url)
        cookies = await asyncio.to_thread(self._get_page_cookies)
        headers = dict(self.headers)
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.cookies = cookies
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self.ws = await websockets.connect(
            ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.timeout,
            additional_headers=headers or None,
            compression="deflate",  # as a browser offers it; the server decides
            ping_interval=None,
        )

    def _get_page_cookies(self) -> dict[str, str]:
        from http.cookies import SimpleCookie

        req = urllib.request.Request(f"{self.base_url}/{self.page.name}", headers=self.headers)
        with urllib.request.urlopen(req, timeout=self.timeout) as r:
            r.read()
            jar = SimpleCookie()
            for header in r.headers.get_all("Set-Cookie") or []:
                jar.load(header)
        return {k: m.value for k, m in jar.items()}

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def _run(self, payload: bytes) -> RunResult:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        book = WidgetBook()
        t0 = time.perf_counter()
        await self.ws.send(payload)
        received = messages = 0
        exception = False
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), self.timeout)
            received += len(raw)
            messages += 1
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                self.book = book
                return RunResult(
                    time.perf_counter() - t0,
                    received,
                    len(payload),
                    messages,
                    msg.script_finished,
                    exception,
                )
            if kind == "navigation":  # the page that runs (new_session names the main script)
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "delta":
                book.learn(msg)
                if msg.delta.WhichOneof("type") == "new_element":
                    exception |= msg.delta.new_element.WhichOneof("type") == "exception"
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)

    async def first_run(self) -> RunResult:
        """What a browser does when it opens the page: an empty rerun for the URL's page."""
        return await self._run(rerun_msg(page_name=self.page.name))

    async def interact(self, widget_key: str | None = None) -> RunResult:
        """Move one slider (or number input) one notch, like a keypress; all widget states are
        sent, as the browser does."""
        widget = self.book.by_key(widget_key) if widget_key else None
        widget = widget or self.book.pick()
        if widget is None:
            raise LookupError(f"no slider or number input on {self.page.label}")
        self.changed = widget
        self.step += 1
        states = [
            w.state(widget.next_value(self.step)) if w.id == widget.id else w.state()
            for w in self.book.widgets.values()
        ]
        return await self._run(
            rerun_msg(
                page_name=self.page.name,
                page_hash=self.page_hash,
                widgets=states,
                cached_hashes=sorted(self.cached),
            )
        )


@contextlib.contextmanager
def timer() -> Iterator[list[float]]:
    out: list[float] = []
    t = time.perf_counter()
    yield out
    out.append(time.perf_counter() - t)

"""The one module that uses Streamlit's non-public parts; ``tests/devtools`` checks each of
them, so a Streamlit upgrade that changes one fails there, by name, not in a benchmark.

* Streamlit's websocket protocol (``/_stcore/stream``), spoken with Streamlit's own protobufs:
  :func:`rerun_msg` builds the ``BackMsg`` a browser sends, :class:`WidgetBook` learns widget
  ids and values from the ``ForwardMsg`` deltas, :class:`Session` is one simulated browser tab.
  :class:`Tab` is a tab that keeps running as the frontend does (fragments' ``run_every``
  reruns, the address bar, page switches the server makes). :data:`PROTOCOL_FIELDS` lists
  every message field used; :func:`protocol_problems` says which of them the installed
  Streamlit lacks.
* :func:`script_runs_wrapped`: a hook around every script body the script runner executes
  (for timing and profiling a rerun in this process).
* :func:`legacy_pages`: the ``pages/`` files of an app folder with the URL path Streamlit
  gives each (its own rule, for apps that have no catalog of ours).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from devtools.loopback import require_loopback
from devtools.pages import AppPage

Result = TypeVar("Result")

# --- the protocol's shape ---------------------------------------------------------------------

WIDGET_KINDS = ("slider", "number_input", "text_input", "text_area", "checkbox")
"""The widget elements a simulated tab reads and sends back (others keep their defaults)."""

PROTOCOL_FIELDS = (
    "BackMsg.rerun_script.query_string",
    "BackMsg.rerun_script.page_script_hash",
    "BackMsg.rerun_script.page_name",
    "BackMsg.rerun_script.widget_states.widgets.id",
    "BackMsg.rerun_script.widget_states.widgets.double_array_value.data",
    "BackMsg.rerun_script.widget_states.widgets.int_value",
    "BackMsg.rerun_script.widget_states.widgets.double_value",
    "BackMsg.rerun_script.widget_states.widgets.string_value",
    "BackMsg.rerun_script.widget_states.widgets.bool_value",
    "BackMsg.rerun_script.cached_message_hashes",
    "BackMsg.rerun_script.fragment_id",
    "BackMsg.rerun_script.is_auto_rerun",
    "ForwardMsg.hash",
    "ForwardMsg.new_session.page_script_hash",
    "ForwardMsg.metadata.run.fragment_ids",
    "ForwardMsg.page_info_changed.query_string",
    "ForwardMsg.auto_rerun.interval",
    "ForwardMsg.auto_rerun.fragment_id",
    "ForwardMsg.stop_auto_rerun.fragment_ids",
    "ForwardMsg.delta.fragment_id",
    "ForwardMsg.delta.new_element.radio.id",
    "ForwardMsg.delta.new_element.radio.options",
    "ForwardMsg.navigation.app_pages.page_script_hash",
    "ForwardMsg.navigation.app_pages.url_pathname",
    "ForwardMsg.delta.new_element.button.id",
    "ForwardMsg.delta.new_element.button.label",
    "BackMsg.rerun_script.widget_states.widgets.trigger_value",
    "ForwardMsg.metadata.cacheable",
    "ForwardMsg.script_finished",
    "ForwardMsg.navigation.page_script_hash",
    "ForwardMsg.delta.new_element.exception",
    *(
        f"ForwardMsg.delta.new_element.{kind}.{name}"
        for kind in WIDGET_KINDS
        for name in ("id", "value", "set_value", "default")
    ),
    *(f"ForwardMsg.delta.new_element.slider.{name}" for name in ("min", "max", "step")),
    *(
        f"ForwardMsg.delta.new_element.number_input.{name}"
        for name in ("min", "max", "step", "has_min", "has_max", "data_type")
    ),
)
"""Every message field this module reads or writes, as a path from BackMsg or ForwardMsg."""

SUCCESS = ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
"""The ``script_finished`` statuses of a run that ended normally."""


def _messages() -> dict[str, Any]:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return {"BackMsg": BackMsg, "ForwardMsg": ForwardMsg}


def protocol_problems() -> list[str]:
    """The :data:`PROTOCOL_FIELDS` (and the enum values) the installed Streamlit lacks."""
    problems = []
    for path in PROTOCOL_FIELDS:
        root, *names = path.split(".")
        descriptor = _messages()[root].DESCRIPTOR
        for depth, name in enumerate(names):
            found = descriptor.fields_by_name.get(name)
            if found is None:
                problems.append(f"{path}: {'.'.join([root, *names[:depth]])} has no field {name!r}")
                break
            if depth < len(names) - 1:
                if found.message_type is None:
                    problems.append(f"{path}: {name!r} is no longer a message")
                    break
                descriptor = found.message_type
    status = _messages()["ForwardMsg"].DESCRIPTOR.fields_by_name.get("script_finished")
    if status is not None:
        values = {v.name: v.number for v in status.enum_type.values}
        problems += [
            f"ScriptFinishedStatus has no {name}" for name in SUCCESS if name not in values
        ]
    return problems


def success_statuses() -> frozenset[int]:
    """The numbers of the :data:`SUCCESS` statuses in the installed Streamlit."""
    status = _messages()["ForwardMsg"].DESCRIPTOR.fields_by_name["script_finished"].enum_type
    return frozenset(v.number for v in status.values if v.name in SUCCESS)


# --- widgets ----------------------------------------------------------------------------------


def walk_value(low: float, high: float, step: float, i: int) -> float:
    """The ``i``-th value of a deterministic walk: a triangle wave through the middle third of
    [``low``, ``high``], snapped to the ``step`` grid (never ``low`` or ``high`` themselves).

    >>> [walk_value(0.0, 9.0, 1.0, i) for i in range(0, 25, 6)]
    [3.0, 4.0, 6.0, 4.0, 3.0]
    """
    period = 12
    phase = i % (2 * period)
    fraction = 1 / 3 + (phase if phase < period else 2 * period - phase) / period / 3
    return round(low + round((high - low) * fraction / step) * step, 10)


@dataclass
class Widget:
    """One widget of the last script run, as the server described it."""

    id: str
    kind: str
    proto: Any
    held: Any = None
    """The value the browser holds when the server did not set one (``set_value`` false): the
    value it had before, or the one the student just gave it."""
    fragment_id: str = ""
    """The ``st.fragment`` the widget is drawn in (empty: none): a change reruns only that
    fragment, and the browser says so in its rerun request."""

    @property
    def key(self) -> str:
        """The user key (``w:T_slider``), the part of the id after the hash."""
        return self.id.split("-", 2)[-1] if self.id.startswith("$$ID-") else self.id

    def current(self) -> Any:
        """The value the browser shows: the one it holds, else the server's, else the default."""
        if self.held is not None:
            return self.held
        p = self.proto
        if self.kind == "slider":
            return list(p.value) if p.set_value else list(p.default)
        return p.value if p.set_value else p.default

    def state(self, value: Any | None = None) -> Any:
        """A WidgetState proto carrying ``value`` (default: the value the server last showed)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        value = self.current() if value is None else value
        state = WidgetState(id=self.id)
        if self.kind == "slider":
            state.double_array_value.data.extend(float(v) for v in value)
        elif self.kind == "number_input":
            if self.proto.data_type == self.proto.INT:
                state.int_value = int(value)
            else:
                state.double_value = float(value)
        elif self.kind in ("text_input", "text_area"):
            state.string_value = str(value)
        elif self.kind == "checkbox":
            state.bool_value = bool(value)
        return state

    def next_value(self, i: int, offset: int = 0) -> Any:
        """The ``i``-th value of :func:`walk_value` over the slider's range, or over ten steps
        either side of the number input's value, moved ``offset`` steps (kept in the widget's
        range): simulated students with different offsets do not all move to the same values,
        as students exploring on their own would not."""
        p = self.proto
        if self.kind == "slider":
            step = p.step or (p.max - p.min) / 100
            value = walk_value(p.min, p.max, step, i) + offset * step
            return [round(min(max(value, p.min), p.max), 10)]
        if self.kind != "number_input":
            raise ValueError(f"cannot walk a {self.kind}")
        now, step = self.current(), p.step or 1
        low = max(p.min, now - 10 * step) if p.has_min else now - 10 * step
        high = min(p.max, now + 10 * step) if p.has_max else now + 10 * step
        value = round(min(max(walk_value(low, high, step, i) + offset * step, low), high), 10)
        return int(value) if p.data_type == p.INT else value


class WidgetBook:
    """The widgets of the last script run, learnt from its new_element deltas."""

    def __init__(self) -> None:
        self.widgets: dict[str, Widget] = {}

    def learn(self, msg: Any, before: WidgetBook | None = None) -> None:
        """Add the widget ``msg`` draws, if it draws one. A widget whose value the server does
        not set keeps the value it had in ``before`` (the previous run), as in a browser."""
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind not in WIDGET_KINDS:
            return
        proto = getattr(element, kind)
        if not proto.id:
            return
        widget = Widget(proto.id, kind, proto, fragment_id=msg.delta.fragment_id)
        previous = before.widgets.get(proto.id) if before is not None else None
        if not proto.set_value and previous is not None:
            widget.held = previous.current()
        self.widgets[proto.id] = widget

    def states(self) -> list[Any]:
        return [w.state() for w in self.widgets.values()]

    def by_key(self, key: str) -> Widget | None:
        return next((w for w in self.widgets.values() if w.key == key), None)

    def pick(self, prefer: Sequence[str] = ("w:T_slider", "w:logit_slider0@")) -> Widget | None:
        """The widget a student moves: the temperature slider, else a logit slider, else any
        slider, else any number input."""
        for key in prefer:
            for w in self.widgets.values():
                if w.key == key or (key.endswith("@") and w.key.startswith(key)):
                    return w
        for kind in ("slider", "number_input"):
            for w in self.widgets.values():
                if w.kind == kind:
                    return w
        return None


# --- messages ---------------------------------------------------------------------------------


def rerun_msg(
    *,
    page_name: str,
    page_hash: str = "",
    widgets: Sequence[Any] = (),
    cached_hashes: Sequence[str] = (),
    query_string: str = "",
    fragment_id: str = "",
    auto: bool = True,
) -> bytes:
    """The BackMsg ``rerun_script`` a browser sends (what Streamlit's frontend puts in it);
    with ``fragment_id``, a rerun of that fragment: its timer's (``st.fragment(run_every=)``),
    or, with ``auto=False``, a change to a widget drawn in it."""
    back = _messages()["BackMsg"]()
    rerun = back.rerun_script
    rerun.query_string = query_string
    if fragment_id:
        rerun.fragment_id = fragment_id
        rerun.is_auto_rerun = auto
    rerun.page_script_hash = page_hash
    rerun.page_name = page_name
    rerun.widget_states.widgets.extend(widgets)
    rerun.cached_message_hashes.extend(cached_hashes)
    return back.SerializeToString()


@dataclass
class RunResult:
    seconds: float
    bytes_received: int
    bytes_sent: int
    messages: int
    status: int
    """ForwardMsg.ScriptFinishedStatus."""
    exception: bool = False
    """Whether the page showed an exception box."""

    @property
    def ok(self) -> bool:
        """The run ended normally and showed no exception."""
        return self.status in success_statuses() and not self.exception


@dataclass
class Session:
    """One simulated browser tab on one page, over a real websocket (``websockets`` package)."""

    base_url: str
    page: AppPage
    timeout: float = 60.0
    headers: dict[str, str] = field(default_factory=dict)
    book: WidgetBook = field(default_factory=WidgetBook)
    page_hash: str = ""
    cached: set[str] = field(default_factory=set)
    ws: Any = None
    changed: Widget | None = None
    step: int = 0
    walk_offset: int = 0
    """Steps added to every value :meth:`interact` moves a widget to (``Widget.next_value``)."""
    cookies: dict[str, str] = field(default_factory=dict)
    query: str = ""
    """The page's query string, as a link gives it (read by the app on its first run)."""

    async def connect(self) -> None:
        """Open the page as a browser does: GET its HTML (keeping any cookie, e.g. a load
        balancer's sticky-session cookie), then open the websocket with that cookie."""
        import websockets

        base = require_loopback(self.base_url)
        cookies = await asyncio.to_thread(self._get_page_cookies)
        headers = dict(self.headers)
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.cookies = cookies
        self.ws = await websockets.connect(
            "ws" + base.removeprefix("http") + "/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.timeout,
            additional_headers=headers or None,
            compression="deflate",  # as a browser offers it; the server decides
            ping_interval=None,
        )

    def _get_page_cookies(self) -> dict[str, str]:
        from http.cookies import SimpleCookie

        url = f"{self.base_url}/{self.page.url_path}"
        request = urllib.request.Request(url, headers=self.headers)
        with urllib.request.urlopen(request, timeout=self.timeout) as reply:
            reply.read()
            jar: SimpleCookie = SimpleCookie()
            for header in reply.headers.get_all("Set-Cookie") or []:
                jar.load(header)
        return {k: m.value for k, m in jar.items()}

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def _run(self, payload: bytes, *, keep: bool = False) -> RunResult:
        """Send ``payload`` and read the answer up to the end of the run it asked for (a run
        ended early for a rerun is followed by that rerun). ``keep``: a fragment's rerun,
        after which the widgets outside it stay as they were, as in a browser."""
        forward_msg = _messages()["ForwardMsg"]
        status = forward_msg.DESCRIPTOR.fields_by_name["script_finished"].enum_type
        early = status.values_by_name["FINISHED_EARLY_FOR_RERUN"].number
        book = WidgetBook()
        if keep:
            book.widgets = dict(self.book.widgets)
        start = time.perf_counter()
        await self.ws.send(payload)
        received = messages = 0
        exception = False
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), self.timeout)
            received += len(raw)
            messages += 1
            msg = forward_msg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "script_finished" and msg.script_finished == early:
                continue
            if kind == "script_finished":
                self.book = book
                return RunResult(
                    time.perf_counter() - start,
                    received,
                    len(payload),
                    messages,
                    msg.script_finished,
                    exception,
                )
            if kind == "navigation":  # the page that runs (new_session names the main script)
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "delta":
                book.learn(msg, before=self.book)
                if msg.delta.WhichOneof("type") == "new_element":
                    exception |= msg.delta.new_element.WhichOneof("type") == "exception"
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)

    async def first_run(self) -> RunResult:
        """What a browser does when it opens the page: an empty rerun for the URL's page."""
        return await self._run(rerun_msg(page_name=self.page.url_path, query_string=self.query))

    async def whole_run(self) -> RunResult:
        """A whole run of the page with every widget as it is (the run a page switch or a
        following student's move makes: every element drawn again, nothing changed)."""
        return await self._run(
            rerun_msg(
                page_name=self.page.url_path,
                page_hash=self.page_hash,
                widgets=[w.state() for w in self.book.widgets.values()],
                cached_hashes=sorted(self.cached),
                auto=False,
            )
        )

    async def interact(self, widget_key: str | None = None) -> RunResult:
        """Move one slider (or number input) one notch, like a keypress; all widget states are
        sent, as the browser does."""
        widget = self.book.by_key(widget_key) if widget_key else None
        widget = widget or self.book.pick()
        if widget is None:
            raise LookupError(f"no slider or number input on {self.page}")
        self.changed = widget
        self.step += 1
        widget.held = widget.next_value(self.step, self.walk_offset)
        states = [w.state() for w in self.book.widgets.values()]
        return await self._run(
            rerun_msg(
                page_name=self.page.url_path,
                page_hash=self.page_hash,
                widgets=states,
                cached_hashes=sorted(self.cached),
                fragment_id=widget.fragment_id,
                auto=False,
            ),
            keep=bool(widget.fragment_id),
        )


@dataclass
class Drawn:
    """A script run the server finished for a :class:`Tab`."""

    at: float
    """``time.perf_counter()`` when its ``script_finished`` arrived."""
    query: str
    """The address bar's query string then."""
    page_hash: str
    fragment: bool
    """A fragment's rerun (not the whole page)."""
    ok: bool


@dataclass
class Tab:
    """A browser tab left open on the app, over a real websocket: it keeps running as
    Streamlit's frontend does. Every message is read as it comes (a run the server starts
    by itself, such as an ``st.switch_page`` inside a fragment, included); each fragment with
    ``run_every`` is rerun at its interval, as the frontend's timer does; the address bar
    follows ``page_info_changed`` and every rerun sends it. Widgets are learnt as in
    :class:`Session`, radios too (:meth:`choose`).

    Use as ``async with Tab(url, "Live_class", "room=ABC") as tab:``.
    """

    base_url: str
    path: str
    """The URL path opened (``"Live_class"``; ``""`` is the landing page)."""
    query: str = ""
    """The address bar's query string (without ``?``), kept up to date."""
    timeout: float = 30.0
    headers: dict[str, str] = field(default_factory=dict)
    timers: bool = True
    """Run the ``run_every`` ticks. ``False`` is a tab whose timers never fire (a background
    tab a phone has frozen): it is then drawn only by the runs the server starts itself."""
    page_hash: str = ""
    book: WidgetBook = field(default_factory=WidgetBook)
    radios: dict[str, Any] = field(default_factory=dict)
    """Radio id → its proto, from the runs so far (cleared on every whole-page run)."""
    fragment_of: dict[str, str] = field(default_factory=dict)
    """Widget id → the fragment it is drawn in (``""``: the page)."""
    chosen: dict[str, str] = field(default_factory=dict)
    """Radio id → the option this tab chose (sent with every later rerun, as a browser does)."""
    buttons: dict[str, str] = field(default_factory=dict)
    """Button label → id, from the runs so far."""
    pages: dict[str, str] = field(default_factory=dict)
    """URL path → page script hash, from the server's navigation message."""
    started: list[str] = field(default_factory=list)
    """The page hash each run announced when it started (``new_session``), in order."""
    every: dict[str, float] = field(default_factory=dict)
    """Fragment id → its ``run_every`` interval in seconds, as last set."""
    drawn: list[Drawn] = field(default_factory=list)
    exceptions: int = 0
    session: Session | None = None
    _timers: dict[str, tuple[float, asyncio.Task[None]]] = field(default_factory=dict)
    _reader: asyncio.Task[None] | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _run_fragments: tuple[str, ...] = ()

    async def __aenter__(self) -> Tab:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def cookies(self) -> dict[str, str]:
        return self.session.cookies if self.session else {}

    async def open(self) -> None:
        """GET the page, open the websocket, ask for the first run (as a browser does)."""
        page = AppPage("", self.path)
        self.session = Session(self.base_url, page, timeout=self.timeout, headers=self.headers)
        await self.session.connect()
        self._reader = asyncio.create_task(self._read())
        await self._send(rerun_msg(page_name=self.path, query_string=self.query))

    async def close(self) -> None:
        for _interval, timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self.session is not None:
            await self.session.close()

    async def _send(self, payload: bytes) -> None:
        async with self._send_lock:
            await self.session.ws.send(payload)  # type: ignore[union-attr]

    def _states(self) -> list[Any]:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        # every choice made on this page, also while a new run has not drawn its radio yet
        return [WidgetState(id=i, string_value=option) for i, option in self.chosen.items()]

    async def rerun(
        self, widgets: Sequence[Any] = (), fragment_id: str = "", auto: bool = True
    ) -> None:
        """Ask for a rerun with the tab's widget states (and ``widgets``, changed ones): of
        the page, or of the fragment ``fragment_id`` (its timer's, or a widget's in it)."""
        changed = {w.id: w for w in widgets}
        states = [w for w in self._states() if w.id not in changed] + list(widgets)
        await self._send(
            rerun_msg(
                page_name="" if self.page_hash else self.path,
                page_hash=self.page_hash,
                widgets=states,
                query_string=self.query,
                fragment_id=fragment_id,
                auto=auto,
            )
        )

    async def go(self, path: str) -> None:
        """Open another page of the app, as a click in the sidebar does."""
        if path not in self.pages:
            raise LookupError(f"no page {path!r}: {list(self.pages)}")
        self.page_hash = self.pages[path]
        self.path = path
        self.chosen.clear()
        await self.rerun()

    async def set_widget(self, key: str, value: Any) -> None:
        """Give the widget with user key ``key`` (``"w:T_slider"``) a new value."""
        widget = self.book.by_key(key)
        if widget is None:
            raise LookupError(f"no widget {key!r} on {self.path}")
        widget.held = value
        await self.rerun([widget.state(value)])

    async def choose(self, option: str) -> None:
        """Pick ``option`` in the page's radio (the one drawn last)."""
        radio_id, proto = list(self.radios.items())[-1]
        if option not in proto.options:
            raise LookupError(f"{option!r} is not one of {list(proto.options)}")
        self.chosen[radio_id] = option
        # as the frontend does: a widget inside a fragment reruns that fragment
        await self.rerun(fragment_id=self.fragment_of.get(radio_id, ""), auto=False)

    async def click(self, label: str) -> None:
        """Press the button labelled ``label``."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        if label not in self.buttons:
            raise LookupError(f"no button {label!r} on {self.path}: {list(self.buttons)}")
        await self.rerun([WidgetState(id=self.buttons[label], trigger_value=True)])

    async def wait_for(self, check: Callable[[], bool], timeout: float | None = None) -> None:
        """Wait until ``check()`` holds (checked after every message). On a timeout the
        error says what this tab last showed, so a failure far away (CI) can be read."""
        limit = timeout or self.timeout
        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(check), limit)
        except TimeoutError as timed_out:
            raise TimeoutError(f"{limit:g} s and still not: {self.describe()}") from timed_out

    def describe(self, last: int = 6) -> str:
        """This tab's state in one line: address bar, page, timers, its last runs."""
        now = time.perf_counter()
        runs = ", ".join(
            f"{'frag' if d.fragment else 'page'}{'' if d.ok else ' FAILED'} "
            f"{d.page_hash[:6]} ?{d.query} {now - d.at:.1f}s ago"
            for d in self.drawn[-last:]
        )
        return (
            f"tab on {self.path!r} page {self.page_hash[:6]} ?{self.query}; "
            f"timers {'on' if self.timers else 'off'} {sorted(self.every.values())}; "
            f"{len(self.drawn)} runs, last: [{runs}]"
        )

    def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        self.every[fragment_id] = interval
        if not self.timers:
            return
        if fragment_id in self._timers:
            if self._timers[fragment_id][0] == interval:
                return
            self._timers.pop(fragment_id)[1].cancel()

        async def tick() -> None:
            while True:
                await asyncio.sleep(interval)
                with contextlib.suppress(Exception):
                    await self.rerun(fragment_id=fragment_id)

        self._timers[fragment_id] = (interval, asyncio.create_task(tick()))

    async def _read(self) -> None:
        forward_msg = _messages()["ForwardMsg"]
        ok = success_statuses()
        while True:
            raw = await self.session.ws.recv()  # type: ignore[union-attr]
            msg = forward_msg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self._run_fragments = tuple(msg.metadata.run.fragment_ids)
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
                self.started.append(msg.new_session.page_script_hash)
                if not self._run_fragments:  # a whole-page run: the frontend's cleanup
                    for _interval, timer in self._timers.values():
                        timer.cancel()
                    self._timers.clear()
                    self.radios.clear()
                    self.buttons.clear()
            elif kind == "navigation":
                self.page_hash = msg.navigation.page_script_hash or self.page_hash
                for page in msg.navigation.app_pages:
                    self.pages[page.url_pathname] = page.page_script_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "auto_rerun":
                self._auto_rerun(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
            elif kind == "stop_auto_rerun":
                for fragment_id in msg.stop_auto_rerun.fragment_ids:
                    if fragment_id in self._timers:
                        self._timers.pop(fragment_id)[1].cancel()
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                self.book.learn(msg, before=self.book)
                if element.WhichOneof("type") == "radio":
                    self.radios[element.radio.id] = element.radio
                    self.fragment_of[element.radio.id] = msg.delta.fragment_id
                elif element.WhichOneof("type") == "button":
                    self.buttons[element.button.label] = element.button.id
                elif element.WhichOneof("type") == "exception":
                    self.exceptions += 1
            elif kind == "script_finished":
                self.drawn.append(
                    Drawn(
                        time.perf_counter(),
                        self.query,
                        self.page_hash,
                        bool(msg.metadata.run.fragment_ids),
                        msg.script_finished in ok,
                    )
                )
            async with self._changed:
                self._changed.notify_all()


# --- the script runner ------------------------------------------------------------------------


@contextlib.contextmanager
def script_runs_wrapped(wrapper: Callable[[Callable[[], Result]], Result]) -> Iterator[None]:
    """Within the block, every script body Streamlit runs in this process (an AppTest run, its
    callbacks included) is run as ``wrapper(run)``, where ``run()`` executes it."""
    import streamlit.runtime.scriptrunner.script_runner as runner

    original = runner.exec_func_with_error_handling

    def wrapped(func: Any, ctx: Any) -> Any:
        return wrapper(lambda: original(func, ctx))

    runner.exec_func_with_error_handling = wrapped
    try:
        yield
    finally:
        runner.exec_func_with_error_handling = original


# --- page files -------------------------------------------------------------------------------


def legacy_url_path(script: Path) -> str:
    """The URL path Streamlit's legacy ``pages/`` mode gives ``script``.

    >>> legacy_url_path(Path("pages/10 Two  words.py"))
    'Two_words'
    """
    from streamlit.source_util import page_icon_and_name

    return page_icon_and_name(script)[1]


def legacy_page_order(script: Path) -> tuple[float, str]:
    """Where Streamlit's legacy ``pages/`` menu puts ``script``: by number prefix, then name."""
    from streamlit.source_util import page_sort_key

    return page_sort_key(script)


def legacy_pages(app_dir: Path) -> list[tuple[Path, str]]:
    """``app_dir/pages/*.py`` in Streamlit's menu order, each with its URL path."""
    scripts = sorted((app_dir / "pages").glob("*.py"), key=legacy_page_order)
    return [(s, legacy_url_path(s)) for s in scripts if not s.name.startswith(("_", "."))]

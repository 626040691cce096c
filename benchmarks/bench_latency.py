"""What a student feels: keypress → chart redrawn, websocket bytes, first load, in Chromium,
each against the floor app (``benchmarks/floor``: Streamlit, a slider and one Plotly chart)
measured alternately in the same run, so the ratios hold on any machine (issue 14).

Starts the real app (``streamlit run serve.py``) and the floor app on free loopback ports and
drives them in headless Debian Chromium through the Python Playwright package (never
``playwright install``).

* Interactions (target: median ≤ 1.5× and p95 ≤ 3× the floor's): on every page with a slider,
  focus one slider thumb (the temperature slider if the page has one, else the first), press
  ArrowRight (ArrowLeft once at the end of the range), and time, in the page's own clock, from
  the keydown event to the first animation frame where the Plotly chart's data differs from
  before AND the app is back to ``[data-test-script-state='notRunning']``. The page and the
  floor's page are open side by side and pressed in turn. Websocket frames are counted both
  ways per interaction (the payload, after any decompression), and the TCP payload on the
  server's port from the kernel (``ss -ti``: what crosses the network, compressed).
* First load (target ≤ 1.2× the floor's one-chart page): a new browser context (empty cache, no
  cookies: a cold browser) on a warm server (every page was opened once before), from
  navigation start to every chart drawn (or, on a page without charts, the first script run
  over and nothing left loading); then the warm-cache second visit (a new tab of the same
  context). The page's and the floor's loads alternate.
* With ``--own-charts``, a lesson's keypresses also alternate with those of the floor's page
  that draws that lesson's charts alone (:data:`OWN_CHARTS`), and a third table divides
  by it: what the lesson costs beyond its charts.

    .venv/bin/python -m benchmarks.bench_latency                       # every page
    .venv/bin/python -m benchmarks.bench_latency --pages Playground --presses 60 --loads 10
    FLOOR_NODELAY=1 .venv/bin/python -m benchmarks.bench_latency --own-charts --presses 20 --loads 1
    .venv/bin/python -m benchmarks.bench_latency --pages Playground --presses 1 --loads 6 --cpu 4
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import perfkit
from devtools import ROOT
from devtools.browser import NO_CHROMIUM, find_chromium, launch_browser, new_context
from devtools.loopback import loopback_url
from devtools.pages import AppPage, app_pages, page_by_name

TARGET_MEDIAN_RATIO, TARGET_P95_RATIO, TARGET_LOAD_RATIO = 1.5, 3.0, 1.2
"""Targets as ratios to the floor app measured in the same run (issue 14): they hold on any
machine."""
FLOOR_DIR = ROOT / "benchmarks" / "floor"
FLOOR_PAGE = "Plotly"
"""The floor app's page with a slider and one Plotly chart (benchmarks/floor/pages/2_Plotly.py)."""
OWN_CHARTS = {
    "Playground": "Lesson_main_chart",
    "Softmax_vs_Sigmoid_vs_ReLU": "Versus_chart",
    "Naive_vs_Stable": "Naive_three_charts",
    "Temperature_and_Sampling": "Temperature_three_charts",
    "Gradients_and_Cross_Entropy": "Gradients_two_charts",
    "Calibration": "Calibration_chart",
}
"""Each lesson's page → the floor app's page that draws the lesson's charts alone, as the
lesson draws them (``benchmarks/floor/lesson_charts.py``): with ``--own-charts`` it is
pressed in turn with the lesson and the floor's plain chart."""

# Runs in the page: a keydown clock, and a signature of what every Plotly chart draws.
INSTALL = """() => {
  if (window.__perf) return;
  window.__perf = {t0: null};
  document.addEventListener('keydown', () => { window.__perf.t0 = performance.now(); }, true);
  window.__perf.sig = () => JSON.stringify(
    [...document.querySelectorAll('.js-plotly-plot')].map(el =>
      (el.data || []).map(t => [t.x, t.y, t.text, t.z])));
}"""

# Installed before the app loads: when the page sent and received websocket messages, to split
# a keypress's latency into input → BackMsg sent, sent → last ForwardMsg, last message → drawn.
WS_CLOCK = """(() => {
  const Native = window.WebSocket;
  window.__ws = {sent: [], received: []};
  function Clocked(...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', () => window.__ws.received.push(performance.now()));
    const send = ws.send.bind(ws);
    ws.send = data => { window.__ws.sent.push(performance.now()); return send(data); };
    return ws;
  }
  Clocked.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Clocked[k] = Native[k];
  window.WebSocket = Clocked;
})();"""

# (first send after t0, last message received before t1)
WS_SPLIT = """([t0, t1]) => {
  const sent = window.__ws.sent.filter(t => t >= t0);
  const got = window.__ws.received.filter(t => t <= t1 && t >= (sent[0] ?? t0));
  return [sent.length ? sent[0] : null, got.length ? got[got.length - 1] : null];
}"""

# True (as the time it became so) when the chart changed and the run is over.
REDRAWN = """(before) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (window.__perf.sig() === before) return false;
  return performance.now();
}"""

# True (as ms since navigation start) when the first run is over and every chart is drawn.
LOADED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  const drawn = charts.every(c => { const g = c.querySelector('.js-plotly-plot');
    return g && g.data && g._fullLayout && g.querySelector('.main-svg'); });
  if (!drawn) return false;
  if (!charts.length && !document.querySelector("[data-testid='stHeading'], h1")) return false;
  return performance.now();
}"""


class WsCounter:
    """Bytes and frames over every websocket of a page, both ways."""

    def __init__(self, page) -> None:
        self.received = self.sent = self.frames_in = 0
        page.on("websocket", self._on_ws)

    def _on_ws(self, ws) -> None:
        ws.on("framereceived", self._in)
        ws.on("framesent", self._out)

    @staticmethod
    def _size(payload) -> int:
        return len(payload) if isinstance(payload, bytes | str) else 0

    def _in(self, payload) -> None:
        self.received += self._size(payload)
        self.frames_in += 1

    def _out(self, payload) -> None:
        self.sent += self._size(payload)

    def snapshot(self) -> tuple[int, int]:
        return self.received, self.sent


class WireCounter:
    """TCP payload bytes (websocket frames as sent, so compressed when the websocket is) on
    every connection to the server's port, read from the kernel with ``ss -ti`` (iproute2).

    Playwright's frame events (:class:`WsCounter`) see messages after decompression; this is
    what actually crosses the network. ``None`` when ``ss`` is not available.
    """

    def __init__(self, base: str) -> None:
        self.port = urlsplit(base).port
        self.available = shutil.which("ss") is not None

    def snapshot(self) -> tuple[int, int] | None:
        """(bytes the server sent, bytes it received) summed over its open connections."""
        if not self.available:
            return None
        out = subprocess.run(
            ["ss", "-tinH", "state", "established", f"( sport = :{self.port} )"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        sent = sum(int(v) for v in re.findall(r"bytes_sent:(\d+)", out))
        received = sum(int(v) for v in re.findall(r"bytes_received:(\d+)", out))
        return sent, received


THUMBS = "[role='slider'], input[type='range']"


def pick_thumb(page):
    """The temperature slider's thumb if there is one, else the first slider thumb.

    Streamlit 1.67's slider thumbs are ``<input type=range aria-label=…>`` (implicit ARIA role
    ``slider``); older ones were ``div[role=slider]``: both are matched.
    """
    thumbs = page.locator(f"[data-testid='stMain'] :is({THUMBS})")
    named = thumbs.and_(page.locator("[aria-label='Temperature T']"))
    if named.count():
        return named.first, "Temperature T"
    if thumbs.count() == 0:
        return None, None
    thumb = thumbs.first
    return thumb, thumb.get_attribute("aria-label") or "first slider"


THUMB_RANGE = """el => {
  const num = (a, b) => parseFloat(el.getAttribute(a) ?? el[b]);
  return [num('aria-valuenow', 'value'), num('aria-valuemin', 'min'), num('aria-valuemax', 'max')];
}"""


class Presser:
    """One page open in its own browser context, whose slider is pressed one key at a time, so
    that two pages (the app's and the floor app's) can be pressed alternately."""

    def __init__(self, browser, base: str, page_info: AppPage, pause: float) -> None:
        self.context = new_context(browser)
        self.context.add_init_script(WS_CLOCK)
        self.page = self.context.new_page()
        self.counter = WsCounter(self.page)
        self.wire = WireCounter(base)
        self.base, self.page_info, self.pause = base, page_info, pause
        self.direction = "ArrowRight"
        self.latencies: list[float] = []
        self.received: list[int] = []
        self.sent: list[int] = []
        self.wired: list[int] = []
        self.to_send: list[float] = []
        self.server: list[float] = []
        self.to_drawn: list[float] = []
        self.timeouts = 0
        self.widget: str | None = None
        self.note: str | None = None

    def open(self) -> bool:
        """Open the page; whether it has a slider and a chart to time."""
        page = self.page
        page.goto(f"{self.base}/{self.page_info.url_path}", wait_until="domcontentloaded")
        page.wait_for_function(LOADED, polling="raf", timeout=60_000)
        page.evaluate(INSTALL)
        thumb, self.widget = pick_thumb(page)
        if thumb is None:
            return False
        if page.locator(".js-plotly-plot").count() == 0:
            self.note = "no Plotly chart"
            return False
        return True

    def press(self, record: bool = True) -> None:
        """One keypress, timed to the chart redrawn (recorded unless a warm-up)."""
        page = self.page
        thumb = pick_thumb(page)[0]
        now, bottom, top = thumb.evaluate(THUMB_RANGE)
        if now >= top:
            self.direction = "ArrowLeft"
        elif now <= bottom:
            self.direction = "ArrowRight"
        before = page.evaluate("() => window.__perf.sig()")
        r0, s0 = self.counter.snapshot()
        w0 = self.wire.snapshot()
        thumb.focus()
        page.evaluate("() => { window.__perf.t0 = null; }")
        thumb.press(self.direction)
        try:
            handle = page.wait_for_function(REDRAWN, arg=before, polling="raf", timeout=15_000)
        except Exception:
            self.timeouts += 1
            return
        t1 = handle.json_value()
        t0 = page.evaluate("() => window.__perf.t0")
        time.sleep(self.pause)  # trailing frames arrive; the student reads the chart
        r1, s1 = self.counter.snapshot()
        w1 = self.wire.snapshot()
        if not record or t0 is None:
            return
        self.latencies.append(t1 - t0)
        self.received.append(r1 - r0)
        self.sent.append(s1 - s0)
        if w0 is not None and w1 is not None:
            self.wired.append((w1[0] - w0[0]) + (w1[1] - w0[1]))
        t_send, t_last = page.evaluate(WS_SPLIT, [t0, t1])
        if t_send is not None and t_last is not None:
            self.to_send.append(t_send - t0)
            self.server.append(t_last - t_send)
            self.to_drawn.append(t1 - t_last)

    def result(self) -> dict:
        if not self.latencies and not self.timeouts:
            return {"widget": self.widget} | ({"note": self.note} if self.note else {})
        return {
            "widget": self.widget,
            "latency_ms": perfkit.summary(self.latencies),
            "kb_received": perfkit.pct(self.received, 50) / 1024,
            "kb_received_max": max(self.received, default=0) / 1024,
            "kb_sent": perfkit.pct(self.sent, 50) / 1024,
            # what crossed TCP both ways (compressed frames when compression is on)
            "kb_wire": perfkit.pct(self.wired, 50) / 1024 if self.wired else float("nan"),
            "timeouts": self.timeouts,
            # medians of the three parts of a keypress's latency (page clock)
            "split_ms": {
                "key_to_backmsg": perfkit.pct(self.to_send, 50),
                "backmsg_to_last_forwardmsg": perfkit.pct(self.server, 50),
                "last_forwardmsg_to_drawn": perfkit.pct(self.to_drawn, 50),
            },
        }

    def close(self) -> None:
        self.context.close()


def measure_interactions(
    browser,
    bases: tuple[str, ...],
    pages: tuple[AppPage, ...],
    presses: int,
    pause: float,
) -> tuple[dict, ...]:
    """Keypress → redrawn on a page of the app and on the floor app's page (and, given a
    third, on the floor's page of that lesson's own charts), pressed in turn (two warm-up
    presses each), so all see the same machine load."""
    pressers = [Presser(browser, b, p, pause) for b, p in zip(bases, pages, strict=True)]
    try:
        if not all(presser.open() for presser in pressers):
            return tuple(presser.result() for presser in pressers)
        for i in range(presses + 2):  # the first two are warm-up
            for presser in pressers:
                presser.press(record=i >= 2)
        return tuple(presser.result() for presser in pressers)
    finally:
        for presser in pressers:
            presser.close()


LOAD_SPLIT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const plotly = resources.filter(r => r.name.includes('/PlotlyChart.')).map(r => r.responseEnd);
  const bytes = resources.reduce((sum, r) => sum + r.transferSize, nav ? nav.transferSize : 0);
  return [nav ? nav.domContentLoadedEventEnd : null, plotly.length ? plotly[0] : null, bytes];
}"""


def emulate_network(
    context, page, network: tuple[float, float] | None, cpu: float | None = None
) -> None:
    """A slower network for ``page`` (Chromium's DevTools network emulation): ``network`` is
    (download Mbit/s, round-trip ms); the upload gets the same rate. ``None``: loopback.
    ``cpu``: the page's CPU slowed that many times (a phone's, a cheap laptop's)."""
    if cpu is not None:
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    if network is None:
        return
    mbps, rtt = network
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    rate = mbps * 1e6 / 8  # bytes per second
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": rtt, "downloadThroughput": rate, "uploadThroughput": rate},
    )


def measure_load(
    browser,
    base: str,
    page_info: AppPage,
    network: tuple[float, float] | None = None,
    cpu: float | None = None,
) -> tuple[float, int, list, float]:
    """One cold load (new context): ms from navigation start to charts drawn, websocket bytes,
    [DOMContentLoaded ms, Plotly's 4.7 MB chunk fetched ms (None when not loaded), bytes
    fetched over HTTP (compressed, as sent)]; then the same page opened again in a new tab of
    that context (warm browser cache), in ms. ``network``, ``cpu``: see
    :func:`emulate_network`."""
    context = new_context(browser)
    page = context.new_page()
    emulate_network(context, page, network, cpu)
    counter = WsCounter(page)
    try:
        page.goto(f"{base}/{page_info.url_path}", wait_until="commit")
        ms = page.wait_for_function(LOADED, polling="raf", timeout=120_000).json_value()
        split = page.evaluate(LOAD_SPLIT)
        again = context.new_page()
        emulate_network(context, again, network, cpu)
        again.goto(f"{base}/{page_info.url_path}", wait_until="commit")
        warm = again.wait_for_function(LOADED, polling="raf", timeout=120_000).json_value()
        return float(ms), counter.received, split, float(warm)
    finally:
        context.close()


def ratio(a: float, b: float) -> float:
    """``a / b``; NaN when either is missing."""
    return a / b if a == a and b == b and b > 0 else float("nan")


def times(value: float) -> str:
    """A ratio for the table: ``1.23×`` (two decimals: the targets are 1.2× and 1.5×)."""
    return "–" if value != value else f"{value:.2f}×"


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", nargs="*", help="page names (substring match); default: all")
    ap.add_argument("--presses", type=int, default=30, help="measured keypresses per page")
    ap.add_argument("--loads", type=int, default=5, help="cold first loads per page")
    ap.add_argument("--pause", type=float, default=0.25, help="seconds between keypresses")
    ap.add_argument(
        "--mbps",
        type=float,
        help="first loads over an emulated network of this many Mbit/s (both ways); "
        "default: loopback",
    )
    ap.add_argument("--rtt", type=float, default=40.0, help="its round trip, ms (with --mbps)")
    ap.add_argument(
        "--cpu",
        type=float,
        help="first loads with the browser's CPU slowed this many times (Chromium's "
        "emulation: a phone's, a cheap laptop's); default: this machine's",
    )
    ap.add_argument(
        "--url",
        type=loopback_url,
        help="an already running app (loopback only); default: start one",
    )
    ap.add_argument("--server-arg", action="append", default=[], help="extra `streamlit run` flag")
    ap.add_argument(
        "--own-charts",
        action="store_true",
        help="also press, in turn, the floor's page of each lesson's own charts (OWN_CHARTS); "
        "FLOOR_NODELAY=1 in the environment runs the floor with Nagle's algorithm off, as the "
        "app does",
    )
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not 1 <= args.presses <= 500 or not 1 <= args.loads <= 50:
        ap.error("--presses must be in 1..500 and --loads in 1..50")
    if args.mbps is not None and not (0.1 <= args.mbps <= 10_000 and 0 <= args.rtt <= 5_000):
        ap.error("--mbps must be in 0.1..10000 and --rtt in 0..5000")
    if args.cpu is not None and not 1 <= args.cpu <= 20:
        ap.error("--cpu must be in 1..20")
    network = None if args.mbps is None else (args.mbps, args.rtt)

    pages = perfkit.pages_to_measure(args.pages)
    floor_page = page_by_name(FLOOR_PAGE, app_pages(FLOOR_DIR))
    print(
        f"bench_latency: {perfkit.machine_note()}; app {perfkit.APP_DIR}; "
        f"floor {FLOOR_DIR.name}/{floor_page.script}; first loads over "
        + ("loopback" if network is None else f"{args.mbps:g} Mbit/s, {args.rtt:g} ms round trip")
        + ("" if args.cpu is None else f", the browser's CPU slowed {args.cpu:g}×")
    )
    results: dict[str, dict] = {}

    chromium = find_chromium()
    if chromium is None:
        raise SystemExit(NO_CHROMIUM)

    def run(base: str, floor_base: str) -> None:
        with sync_playwright() as pw:
            browser = launch_browser(pw, chromium)
            try:
                for p in pages:  # warm the servers: every page run once
                    measure_load(browser, base, p)
                measure_load(browser, floor_base, floor_page)
                for p in pages:
                    loads, floor_loads = [], []
                    for _ in range(args.loads):  # alternately: the same machine load for both
                        loads.append(measure_load(browser, base, p, network, args.cpu))
                        floor_loads.append(
                            measure_load(browser, floor_base, floor_page, network, args.cpu)
                        )
                    dcl = [sp[0] for _, _, sp, _ in loads if sp[0] is not None]
                    chunk = [sp[1] for _, _, sp, _ in loads if sp[1] is not None]
                    res = {
                        "load_ms": perfkit.summary([ms for ms, _, _, _ in loads]),
                        "load_warm_ms": perfkit.summary([w for _, _, _, w in loads]),
                        "load_kb": perfkit.pct([b for _, b, _, _ in loads], 50) / 1024,
                        "load_dcl_ms": perfkit.pct(dcl, 50),
                        "load_plotly_chunk_ms": perfkit.pct(chunk, 50),
                        "load_http_kb": perfkit.pct([sp[2] for _, _, sp, _ in loads], 50) / 1024,
                        "floor_load_http_kb": perfkit.pct(
                            [sp[2] for _, _, sp, _ in floor_loads], 50
                        )
                        / 1024,
                        "floor_load_ms": perfkit.summary([ms for ms, _, _, _ in floor_loads]),
                        "floor_load_warm_ms": perfkit.summary([w for _, _, _, w in floor_loads]),
                    }
                    charts = own_charts_page(p) if args.own_charts else None
                    measured = measure_interactions(
                        browser,
                        (base, floor_base) + ((floor_base,) if charts else ()),
                        (p, floor_page) + ((charts,) if charts else ()),
                        args.presses,
                        args.pause,
                    )
                    res |= measured[0]
                    res["floor"] = measured[1]
                    floor = measured[1]
                    if charts:
                        res["own_charts"] = measured[2] | {"page": charts.name}
                    results[p.name] = res
                    lat = res.get("latency_ms", {})
                    flat = floor.get("latency_ms", {})
                    print(
                        f"  {p.name}: load {res['load_ms']['median']:.0f} ms "
                        f"(floor {res['floor_load_ms']['median']:.0f}); keypress→redrawn median "
                        f"{lat.get('median', float('nan')):.0f} ms p95 "
                        f"{lat.get('p95', float('nan')):.0f} ms (floor "
                        f"{flat.get('median', float('nan')):.0f} / "
                        f"{flat.get('p95', float('nan')):.0f})",
                        flush=True,
                    )
            finally:
                browser.close()

    with perfkit.floor_server() as floor_server:
        if args.url:
            run(args.url, floor_server.url)
        else:
            with perfkit.server(args.server_arg) as server:
                run(server.url, floor_server.url)

    print()
    print(perfkit.table(*ratio_table(pages, results)))
    print()
    print(perfkit.table(*detail_table(pages, results)))
    if args.own_charts:
        print()
        print(perfkit.table(*own_charts_table(pages, results)))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    return 0


def own_charts_page(page: AppPage) -> AppPage | None:
    """The floor's page of ``page``'s own charts (:data:`OWN_CHARTS`), if it has one."""
    name = OWN_CHARTS.get(page.name)
    return None if name is None else page_by_name(name, app_pages(FLOOR_DIR))


def own_charts_table(pages: list[AppPage], results: dict[str, dict]) -> tuple[list, list[str]]:
    """Per lesson, its keypress against the floor's page of its own charts and the floor's
    plain chart, all three pressed in turn: what the lesson costs beyond its charts."""
    rows = []
    nan = float("nan")
    for p in pages:
        r = results[p.name]
        own = r.get("own_charts")
        if not own:
            continue
        med = r.get("latency_ms", {}).get("median", nan)
        cmed = own.get("latency_ms", {}).get("median", nan)
        fmed = r["floor"].get("latency_ms", {}).get("median", nan)
        rows.append(
            [
                p.name,
                own["page"],
                med,
                cmed,
                fmed,
                times(ratio(cmed, fmed)),
                times(ratio(med, fmed)),
                times(ratio(med, cmed)),
            ]
        )
    headers = [
        "lesson",
        "floor page of its charts",
        "lesson median ms",
        "its charts median ms",
        "floor median ms",
        "its charts ÷ floor",
        "lesson ÷ floor",
        "lesson ÷ its charts",
    ]
    return rows, headers


def verdict(value: float, target: float) -> str:
    return "–" if value != value else ("ok" if value <= target else "NO")


def ratio_table(pages: list[AppPage], results: dict[str, dict]) -> tuple[list, list[str]]:
    """Per page, its figures against the floor app's measured alternately with it."""
    rows = []
    for p in pages:
        r = results[p.name]
        lat = r.get("latency_ms", {})
        flat = r["floor"].get("latency_ms", {})
        nan = float("nan")
        med, p95 = lat.get("median", nan), lat.get("p95", nan)
        fmed, fp95 = flat.get("median", nan), flat.get("p95", nan)
        load, fload = r["load_ms"]["median"], r["floor_load_ms"]["median"]
        warm, fwarm = r["load_warm_ms"]["median"], r["floor_load_warm_ms"]["median"]
        rows.append(
            [
                p.name,
                r.get("widget") or "–",
                med,
                p95,
                fmed,
                fp95,
                times(ratio(med, fmed)),
                verdict(ratio(med, fmed), TARGET_MEDIAN_RATIO),
                times(ratio(p95, fp95)),
                verdict(ratio(p95, fp95), TARGET_P95_RATIO),
                load,
                fload,
                times(ratio(load, fload)),
                verdict(ratio(load, fload), TARGET_LOAD_RATIO),
                warm,
                fwarm,
                times(ratio(warm, fwarm)),
            ]
        )
    headers = [
        "page",
        "slider",
        "keypress→redrawn median ms",
        "p95 ms",
        "floor median ms",
        "floor p95 ms",
        "median ÷ floor",
        f"≤ {TARGET_MEDIAN_RATIO:g}×",
        "p95 ÷ floor",
        f"≤ {TARGET_P95_RATIO:g}×",
        "cold load ms",
        "floor cold load ms",
        "cold ÷ floor",
        f"≤ {TARGET_LOAD_RATIO:g}×",
        "warm second visit ms",
        "floor warm ms",
        "warm ÷ floor",
    ]
    return rows, headers


def detail_table(pages: list[AppPage], results: dict[str, dict]) -> tuple[list, list[str]]:
    """Per page, where a keypress's time goes and what it sends."""
    rows = []
    for p in pages:
        r = results[p.name]
        split = r.get("split_ms", {})
        rows.append(
            [
                p.name,
                r.get("latency_ms", {}).get("n", 0),
                split.get("key_to_backmsg", float("nan")),
                split.get("backmsg_to_last_forwardmsg", float("nan")),
                split.get("last_forwardmsg_to_drawn", float("nan")),
                r.get("kb_received", float("nan")),
                r.get("kb_sent", float("nan")),
                r.get("kb_wire", float("nan")),
                r["load_dcl_ms"],
                r["load_plotly_chunk_ms"],
                r["load_kb"],
                r["load_http_kb"],
                r["floor_load_http_kb"],
            ]
        )
    headers = [
        "page",
        "n",
        "key→BackMsg ms",
        "BackMsg→last ForwardMsg ms",
        "last ForwardMsg→drawn ms",
        "payload KB received/interaction",
        "payload KB sent/interaction",
        "KB on the wire/interaction (TCP, both ways)",
        "DOMContentLoaded ms",
        "Plotly chunk fetched ms",
        "KB first load (ws)",
        "KB first load (HTTP, as sent)",
        "floor KB first load (HTTP)",
    ]
    return rows, headers


if __name__ == "__main__":
    sys.exit(main())

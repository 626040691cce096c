"""What a student feels: keypress → chart redrawn, websocket bytes, first load, in Chromium.

Starts the real app (``streamlit run app.py``) on a free loopback port and drives it in headless
Debian Chromium through the Python Playwright package (never ``playwright install``).

* Interactions (target: median ≤ 150 ms, p95 ≤ 300 ms; ≤ 20 KB over the websocket): on every
  page with a slider, focus one slider thumb (``[role='slider']``: the temperature slider if the
  page has one, else the first), press ArrowRight (ArrowLeft once at the end of the range), and
  time, in the page's own clock, from the keydown event to the first animation frame where the
  Plotly chart's data differs from before AND the app is back to
  ``[data-test-script-state='notRunning']``. Websocket frames are counted both ways
  (``page.on("websocket")`` → ``framereceived``/``framesent``) per interaction: that is the
  payload, after any decompression. What crosses the network is read from the kernel too
  (``ss -ti``: TCP payload bytes both ways on the server's port), which is smaller when the
  websocket is compressed (``server.enableWebsocketCompression``).
* First load (target ≤ 2 s): a new browser context (empty cache, no cookies: a cold browser) on
  a warm server (every page was opened once before), from navigation start to every chart
  drawn (or, on a page without charts, the first script run over and nothing left loading).

    .venv/bin/python -m benchmarks.bench_latency                       # every page
    .venv/bin/python -m benchmarks.bench_latency --pages Playground --presses 60 --loads 10
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
from devtools.browser import NO_CHROMIUM, find_chromium, launch_browser, new_context
from devtools.loopback import loopback_url
from devtools.pages import AppPage

TARGET_MEDIAN_MS, TARGET_P95_MS, TARGET_KB, TARGET_LOAD_MS = 150.0, 300.0, 20.0, 2000.0

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


def measure_interactions(browser, base: str, page_info: AppPage, presses: int, pause: float):
    context = new_context(browser)
    context.add_init_script(WS_CLOCK)
    page = context.new_page()
    counter = WsCounter(page)
    wire = WireCounter(base)
    try:
        page.goto(f"{base}/{page_info.url_path}", wait_until="domcontentloaded")
        page.wait_for_function(LOADED, polling="raf", timeout=60_000)
        page.evaluate(INSTALL)
        thumb, name = pick_thumb(page)
        if thumb is None:
            return {"widget": None}
        if page.locator(".js-plotly-plot").count() == 0:
            return {"widget": name, "note": "no Plotly chart"}
        latencies, received, sent, wired, timeouts = [], [], [], [], 0
        to_send, server, to_drawn = [], [], []
        direction = "ArrowRight"
        for i in range(presses + 2):  # the first two are warm-up
            thumb = pick_thumb(page)[0]
            now, bottom, top = thumb.evaluate(THUMB_RANGE)
            if now >= top:
                direction = "ArrowLeft"
            elif now <= bottom:
                direction = "ArrowRight"
            before = page.evaluate("() => window.__perf.sig()")
            r0, s0 = counter.snapshot()
            w0 = wire.snapshot()
            thumb.focus()
            page.evaluate("() => { window.__perf.t0 = null; }")
            thumb.press(direction)
            try:
                handle = page.wait_for_function(REDRAWN, arg=before, polling="raf", timeout=15_000)
            except Exception:
                timeouts += 1
                continue
            t1 = handle.json_value()
            t0 = page.evaluate("() => window.__perf.t0")
            time.sleep(pause)  # trailing frames arrive; the student reads the chart
            r1, s1 = counter.snapshot()
            w1 = wire.snapshot()
            if i >= 2 and t0 is not None:
                latencies.append(t1 - t0)
                received.append(r1 - r0)
                sent.append(s1 - s0)
                if w0 is not None and w1 is not None:
                    wired.append((w1[0] - w0[0]) + (w1[1] - w0[1]))
                t_send, t_last = page.evaluate(WS_SPLIT, [t0, t1])
                if t_send is not None and t_last is not None:
                    to_send.append(t_send - t0)
                    server.append(t_last - t_send)
                    to_drawn.append(t1 - t_last)
        return {
            "widget": name,
            "latency_ms": perfkit.summary(latencies),
            "kb_received": perfkit.pct(received, 50) / 1024,
            "kb_received_max": max(received, default=0) / 1024,
            "kb_sent": perfkit.pct(sent, 50) / 1024,
            # what crossed TCP both ways (compressed frames when compression is on)
            "kb_wire": perfkit.pct(wired, 50) / 1024 if wired else float("nan"),
            "timeouts": timeouts,
            # medians of the three parts of a keypress's latency (page clock)
            "split_ms": {
                "key_to_backmsg": perfkit.pct(to_send, 50),
                "backmsg_to_last_forwardmsg": perfkit.pct(server, 50),
                "last_forwardmsg_to_drawn": perfkit.pct(to_drawn, 50),
            },
        }
    finally:
        context.close()


LOAD_SPLIT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const plotly = performance.getEntriesByType('resource')
    .filter(r => r.name.includes('/PlotlyChart.')).map(r => r.responseEnd);
  return [nav ? nav.domContentLoadedEventEnd : null, plotly.length ? plotly[0] : null];
}"""


def measure_load(browser, base: str, page_info: AppPage) -> tuple[float, int, list]:
    """One cold load (new context): ms from navigation start to charts drawn, websocket bytes,
    and [DOMContentLoaded, Plotly's 4.7 MB chunk fetched] in ms (None when not loaded)."""
    context = new_context(browser)
    page = context.new_page()
    counter = WsCounter(page)
    try:
        page.goto(f"{base}/{page_info.url_path}", wait_until="commit")
        ms = page.wait_for_function(LOADED, polling="raf", timeout=60_000).json_value()
        return float(ms), counter.received, page.evaluate(LOAD_SPLIT)
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", nargs="*", help="page names (substring match); default: all")
    ap.add_argument("--presses", type=int, default=30, help="measured keypresses per page")
    ap.add_argument("--loads", type=int, default=5, help="cold first loads per page")
    ap.add_argument("--pause", type=float, default=0.25, help="seconds between keypresses")
    ap.add_argument(
        "--url",
        type=loopback_url,
        help="an already running app (loopback only); default: start one",
    )
    ap.add_argument("--server-arg", action="append", default=[], help="extra `streamlit run` flag")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not 1 <= args.presses <= 500 or not 1 <= args.loads <= 50:
        ap.error("--presses must be in 1..500 and --loads in 1..50")

    pages = perfkit.pages_to_measure(args.pages)
    print(f"bench_latency: {perfkit.machine_note()}; app {perfkit.APP_DIR}")
    results: dict[str, dict] = {}

    chromium = find_chromium()
    if chromium is None:
        raise SystemExit(NO_CHROMIUM)

    def run(base: str) -> None:
        with sync_playwright() as pw:
            browser = launch_browser(pw, chromium)
            try:
                for p in pages:  # warm the server: every page run once
                    measure_load(browser, base, p)
                for p in pages:
                    loads = [measure_load(browser, base, p) for _ in range(args.loads)]
                    dcl = [sp[0] for _, _, sp in loads if sp[0] is not None]
                    chunk = [sp[1] for _, _, sp in loads if sp[1] is not None]
                    res = {
                        "load_ms": perfkit.summary([ms for ms, _, _ in loads]),
                        "load_kb": perfkit.pct([b for _, b, _ in loads], 50) / 1024,
                        "load_dcl_ms": perfkit.pct(dcl, 50),
                        "load_plotly_chunk_ms": perfkit.pct(chunk, 50),
                    }
                    res |= measure_interactions(browser, base, p, args.presses, args.pause)
                    results[p.name] = res
                    lat = res.get("latency_ms", {})
                    print(
                        f"  {p.name}: load {res['load_ms']['median']:.0f} ms; "
                        f"keypress→redrawn median {lat.get('median', float('nan')):.0f} ms "
                        f"p95 {lat.get('p95', float('nan')):.0f} ms",
                        flush=True,
                    )
            finally:
                browser.close()

    if args.url:
        run(args.url)
    else:
        with perfkit.server(args.server_arg) as server:
            run(server.url)

    rows = []
    for p in pages:
        r = results[p.name]
        lat = r.get("latency_ms", {})
        med, p95 = lat.get("median", float("nan")), lat.get("p95", float("nan"))
        kb = r.get("kb_received", float("nan"))
        ok = []
        if lat:
            ok.append(
                "latency " + ("ok" if med <= TARGET_MEDIAN_MS and p95 <= TARGET_P95_MS else "NO")
            )
            wire_kb = r.get("kb_wire", float("nan"))
            on_wire = wire_kb if wire_kb == wire_kb else kb + r.get("kb_sent", 0)  # NaN: no ss
            ok.append("bytes " + ("ok" if on_wire <= TARGET_KB else "NO"))
        ok.append("load " + ("ok" if r["load_ms"]["median"] <= TARGET_LOAD_MS else "NO"))
        rows.append(
            [
                p.name,
                r.get("widget") or "–",
                med,
                p95,
                lat.get("n", 0),
                r.get("split_ms", {}).get("key_to_backmsg", float("nan")),
                r.get("split_ms", {}).get("backmsg_to_last_forwardmsg", float("nan")),
                r.get("split_ms", {}).get("last_forwardmsg_to_drawn", float("nan")),
                kb,
                r.get("kb_sent", float("nan")),
                r.get("kb_wire", float("nan")),
                r["load_ms"]["median"],
                r["load_ms"]["max"],
                r["load_dcl_ms"],
                r["load_plotly_chunk_ms"],
                r["load_kb"],
                ", ".join(ok),
            ]
        )
    print()
    print(
        perfkit.table(
            rows,
            [
                "page",
                "slider",
                "keypress→redrawn median ms",
                "p95 ms",
                "n",
                "key→BackMsg ms",
                "BackMsg→last ForwardMsg ms",
                "last ForwardMsg→drawn ms",
                "payload KB received/interaction",
                "payload KB sent/interaction",
                "KB on the wire/interaction (TCP, both ways)",
                "first load median ms",
                "first load max ms",
                "DOMContentLoaded ms",
                "Plotly chunk fetched ms",
                "KB first load (ws)",
                "targets",
            ],
        )
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

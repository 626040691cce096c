"""Where the browser spends a keypress: a JavaScript CPU profile of slider moves in Chromium.

Starts the app (or uses ``PERF_APP_DIR``), opens a page in headless Debian Chromium, moves the
same slider as ``bench_latency.py`` ``--presses`` times with the Chrome DevTools Protocol's
sampling profiler running, and prints milliseconds per keypress by script file and by function.
"(program)" is the browser's own work (style, layout, paint); "(idle)" includes the pauses
between keypresses.

    .venv/bin/python -m benchmarks.profile_browser --page Playground --presses 10
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict

from benchmarks import perfkit
from benchmarks.bench_latency import INSTALL, LOADED, REDRAWN, pick_thumb
from devtools.browser import NO_CHROMIUM, find_chromium, launch_browser, new_context
from devtools.pages import AppPage


def profile(base: str, chromium: str, app_page: AppPage, presses: int) -> tuple[dict, dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_browser(pw, chromium)
        try:
            context = new_context(browser)
            page = context.new_page()
            page.goto(f"{base}/{app_page.url_path}")
            page.wait_for_function(LOADED, polling="raf", timeout=60_000)
            page.evaluate(INSTALL)
            cdp = context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})  # µs

            def press(i: int) -> None:
                thumb = pick_thumb(page)[0]
                if thumb is None:
                    raise SystemExit(f"no slider on {app_page}")
                before = page.evaluate("() => window.__perf.sig()")
                thumb.focus()
                thumb.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                page.wait_for_function(REDRAWN, arg=before, polling="raf", timeout=15_000)
                time.sleep(0.3)

            for i in range(2):  # warm-up, unprofiled
                press(i)
            cdp.send("Profiler.start")
            for i in range(presses):
                press(i)
            prof = cdp.send("Profiler.stop")["profile"]
        finally:
            browser.close()
    nodes = {node["id"]: node["callFrame"] for node in prof["nodes"]}
    by_file: dict[str, float] = defaultdict(float)
    by_function: dict[str, float] = defaultdict(float)
    for sample, delta_us in zip(prof["samples"], prof["timeDeltas"], strict=True):
        frame = nodes[sample]
        file = frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "(anonymous)"
        by_file[file] += delta_us / 1000 / presses
        name = f"{frame['functionName'] or '(anonymous)'} {file}"
        by_function[name] += delta_us / 1000 / presses
    return by_file, by_function


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--page", default="Playground", help="page name (substring match)")
    ap.add_argument("--presses", type=int, default=10)
    ap.add_argument("--top", type=int, default=15, help="rows per table")
    args = ap.parse_args(argv)
    if not 1 <= args.presses <= 200:
        ap.error("--presses must be 1..200")
    page = perfkit.pages_to_measure([args.page])[0]
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit(NO_CHROMIUM)
    print(f"profile_browser: {perfkit.machine_note()}; app {perfkit.APP_DIR}; page {page}")
    with perfkit.server() as server:
        by_file, by_function = profile(server.url, chromium, page, args.presses)
    busy = sum(v for k, v in by_file.items() if k != "(idle)")
    print(f"\nbusy (not idle) ms per keypress: {busy:.1f}\n")
    for title, table in (("script file", by_file), ("function", by_function)):
        rows = sorted(table.items(), key=lambda kv: -kv[1])[: args.top]
        print(perfkit.table([[name, ms] for name, ms in rows], [title, "ms per keypress"]))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Take the README screenshots: every page of the real app, in a deliberate state.

    .venv/bin/python -m scripts.screenshots              # every page
    .venv/bin/python -m scripts.screenshots Playground   # only some (URL path, or "landing")

Starts ``streamlit run app.py`` on a free loopback port, opens each page in headless
Debian Chromium at 1400×900 and writes ``docs/screenshots/<page>.png``. Uses the same tools
as the browser tests (:mod:`devtools`), so it waits and checks the same way: a page that
shows an exception, logs a JavaScript error or reaches beyond loopback is reported and the
script exits non-zero.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from devtools import ROOT
from devtools.browser import (
    NO_CHROMIUM,
    Watch,
    assert_no_exception,
    find_chromium,
    launch_browser,
    new_context,
    open_page,
    screenshot,
)
from devtools.pages import app_pages, page_by_name
from devtools.server import AppServer

OUT = ROOT / "docs" / "screenshots"
DOG_CAT_BIRD = "z=2,1,0.1&labels=dog,cat,bird&T=1"
NEXT_WORD = "z=4.1,3.6,3.2,2.5,1.9,1.2,0.4,-0.5&labels=mat,sofa,floor,bed,roof,table,moon,piano"


@dataclass(frozen=True)
class Shot:
    query: str = DOG_CAT_BIRD
    show: str | None = None
    """CSS selector of the element to scroll to the top of the view (the lesson's picture)."""


SHOTS: dict[str, Shot] = {
    "landing": Shot(""),
    "Playground": Shot(DOG_CAT_BIRD),
    "Softmax_vs_Sigmoid_vs_ReLU": Shot("z=-1,0.5,2&labels=cat,dog,outdoors&T=1&act=sigmoid,relu"),
    "Naive_vs_Stable": Shot(
        "z=1000,1001,1002&labels=a,b,c&T=1", show="[data-testid='stHeading']:has-text('The same')"
    ),
    "Temperature_and_Sampling": Shot(f"{NEXT_WORD}&T=0.8&k=3&p=0.9"),
    "Gradients_and_Cross_Entropy": Shot(f"{DOG_CAT_BIRD}&target=1"),
    "Calibration": Shot(DOG_CAT_BIRD),
    "Quiz": Shot(DOG_CAT_BIRD),
    "Workshop": Shot(DOG_CAT_BIRD),
}
"""The state each page is shown in; a page not listed here gets the dog/cat/bird example."""


def take(page: Page, server: AppServer, name: str, out: Path) -> Path:
    shot = SHOTS.get(name, Shot())
    app_page = page_by_name(name)
    open_page(page, server.url, app_page, shot.query)
    assert_no_exception(page, server)
    if shot.show:
        page.locator(shot.show).first.evaluate(
            "el => { el.style.scrollMarginTop = '72px'; el.scrollIntoView({block: 'start'}); }"
        )
        page.wait_for_timeout(300)
    path = out / f"{name}.png"
    screenshot(page, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="URL paths to shoot (default: every page)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default: {OUT})")
    args = parser.parse_args(argv)

    names = [p.name for p in app_pages()]
    unknown = sorted(set(args.pages) - set(names))
    if unknown:
        parser.error(f"no such page: {', '.join(unknown)} (pages: {', '.join(names)})")
    chromium = find_chromium()
    if chromium is None:
        print(NO_CHROMIUM, file=sys.stderr)
        return 2

    failures = 0
    with AppServer(name="streamlit-screenshots") as server, sync_playwright() as playwright:
        browser = launch_browser(playwright, chromium)
        try:
            for name in args.pages or names:
                watch = Watch()
                context = new_context(browser, watch)
                try:
                    path = take(context.new_page(), server, name, args.out)
                    problems = watch.problems()
                except Exception as err:  # report every page, then fail
                    path, problems = None, [f"{type(err).__name__}: {err}"]
                finally:
                    context.close()
                failures += bool(problems)
                shown = path.relative_to(ROOT) if path and path.is_relative_to(ROOT) else path
                print(f"{'FAIL' if problems else 'ok  '} {name}: {shown or 'no screenshot'}")
                for problem in problems:
                    print(f"     {problem}")
        finally:
            browser.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of every page of the real app, for a person to look at.

    .venv/bin/python -m scripts.screenshots                  # every page, every view
    .venv/bin/python -m scripts.screenshots Playground       # only some (URL path, or "landing")
    .venv/bin/python -m scripts.screenshots --views phone    # only some views
    .venv/bin/python -m scripts.screenshots --readme         # the README's images

Starts ``streamlit run app.py`` on a free loopback port and opens each page in headless
Debian Chromium, in three views:

* ``desktop``: 1400×900, the page as a student's laptop shows it;
* ``phone``: 390×844 with touch, as a student's phone shows it;
* ``presenter``: 1280×800 (a projector), opened from a presenter-view link at the page's
  scene of the default deck: large type, the scene bar, the sidebar closed.

For each page and view it writes ``<out>/<view>/<page>.png`` (the first screen),
``<page>-full.png`` (the whole page) and, on the phone, ``<page>-slider.png`` (scrolled to the
first slider: the picture must be in view with it). ``<out>/index.html`` shows them side by
side. Uses the same tools as the browser tests (:mod:`devtools`), so it waits and checks the
same way: a page that shows an exception, logs a JavaScript error or reaches beyond loopback is
reported and the script exits non-zero.
"""

from __future__ import annotations

import argparse
import html
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import Browser, Page, sync_playwright

from devtools import ARTIFACTS, ROOT
from devtools.browser import (
    NO_CHROMIUM,
    VIEWPORT,
    VIEWS,
    Watch,
    assert_no_exception,
    find_chromium,
    first_slider,
    launch_browser,
    new_context,
    open_page,
    screenshot,
    screenshot_whole,
)
from devtools.pages import app_pages, page_by_name
from devtools.server import AppServer
from softmax_ui.scenes import DEFAULT_DECK
from softmax_ui.state import DEFAULT, from_query, to_query

OUT = ARTIFACTS / "screenshot-set"
README = ROOT / "docs" / "screenshots"
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
    "Temperature_and_Sampling": Shot(f"{NEXT_WORD}&T=0.8&top_k=3&top_p=0.9"),
    "Gradients_and_Cross_Entropy": Shot(f"{DOG_CAT_BIRD}&target=1"),
    "Calibration": Shot(DOG_CAT_BIRD),
    "Quiz": Shot(DOG_CAT_BIRD),
    "Workshop": Shot(DOG_CAT_BIRD),
}
"""The state each page is shown in; a page not listed here gets the dog/cat/bird example."""


def presenter_query(name: str, query: str) -> str:
    """The presenter view of a page: at its scene of the default deck (so the scene bar
    shows), or with ``query`` when the deck has no scene on this page."""
    slug = "" if name == "landing" else name
    number = next((i for i, s in enumerate(DEFAULT_DECK, 1) if s.page == slug), None)
    if number is None:
        state, _ = from_query(dict(p.split("=", 1) for p in query.split("&") if p))
    else:
        state = DEFAULT.at_scene(number)
    return urlencode(to_query(state.replace(present=True)), safe=",")


def take(page: Page, server: AppServer, name: str, view: str, out: Path) -> list[Path]:
    shot = SHOTS.get(name, Shot())
    query = presenter_query(name, shot.query) if view == "presenter" else shot.query
    open_page(page, server.url, page_by_name(name), query)
    assert_no_exception(page, server)
    folder = out / view
    paths = [folder / f"{name}.png", folder / f"{name}-full.png"]
    screenshot(page, paths[0])
    screenshot_whole(page, paths[1])
    if view == "phone":
        slider = first_slider(page)
        if slider is not None:
            slider.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            paths.append(folder / f"{name}-slider.png")
            screenshot(page, paths[-1])
    return paths


def take_readme(page: Page, server: AppServer, name: str) -> list[Path]:
    """The README's image of a page: the desktop view, scrolled to the lesson's picture."""
    shot = SHOTS.get(name, Shot())
    open_page(page, server.url, page_by_name(name), shot.query)
    assert_no_exception(page, server)
    if shot.show:
        page.locator(shot.show).first.evaluate(
            "el => { el.style.scrollMarginTop = '72px'; el.scrollIntoView({block: 'start'}); }"
        )
        page.wait_for_timeout(300)
    path = README / f"{name}.png"
    screenshot(page, path)
    return [path]


def index_html(out: Path, names: list[str], views: list[str]) -> Path:
    """One page that shows every screenshot: a row per page, a column per view."""
    rows = []
    for name in names:
        cells = []
        for view in views:
            images = "".join(
                f'<a href="{view}/{html.escape(file)}"><img src="{view}/'
                f'{html.escape(file)}" loading="lazy"></a>'
                for file in (f"{name}.png", f"{name}-slider.png")
                if (out / view / file).exists()
            )
            cells.append(f"<td>{images}</td>")
        rows.append(f"<tr><th>{html.escape(name)}</th>{''.join(cells)}</tr>")
    sizes = {v: (VIEWS[v].get("viewport") or VIEWPORT) for v in views}
    head = "".join(f"<th>{v} {sizes[v]['width']}×{sizes[v]['height']}</th>" for v in views)
    page = (
        "<!doctype html><meta charset=utf-8><title>Softmax, taught live: screenshots</title>"
        "<style>img{max-width:420px;border:1px solid #ccc;margin:2px}td{vertical-align:top}"
        "th{text-align:left}</style><p>Click an image for full size; <code>*-full.png</code> "
        f"has the whole page.</p><table><tr><th></th>{head}</tr>{''.join(rows)}</table>"
    )
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def shoot(browser: Browser, server: AppServer, name: str, view: str | None, out: Path) -> int:
    """Take one page's screenshots in one view (``None``: the README's); 1 on a problem."""
    watch = Watch()
    context = new_context(browser, watch, **VIEWS[view or "desktop"])
    try:
        page = context.new_page()
        paths = take(page, server, name, view, out) if view else take_readme(page, server, name)
        problems = watch.problems()
    except Exception as err:  # report every page, then fail
        paths, problems = [], [f"{type(err).__name__}: {err}"]
    finally:
        context.close()
    shown = [str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p) for p in paths]
    label = view or "readme"
    print(f"{'FAIL' if problems else 'ok  '} {label:9} {name}: {', '.join(shown) or '-'}")
    for problem in problems:
        print(f"     {problem}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="URL paths to shoot (default: every page)")
    parser.add_argument(
        "--views",
        default=",".join(VIEWS),
        help=f"comma-separated views (default: {','.join(VIEWS)})",
    )
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default: {OUT})")
    parser.add_argument(
        "--readme", action="store_true", help=f"write the README's images to {README} instead"
    )
    args = parser.parse_args(argv)

    names = [p.name for p in app_pages()]
    unknown = sorted(set(args.pages) - set(names))
    if unknown:
        parser.error(f"no such page: {', '.join(unknown)} (pages: {', '.join(names)})")
    views = [v for v in args.views.split(",") if v in VIEWS]
    if not args.readme and not views:
        parser.error(f"no such view: {args.views} (views: {', '.join(VIEWS)})")
    chromium = find_chromium()
    if chromium is None:
        print(NO_CHROMIUM, file=sys.stderr)
        return 2

    failures = 0
    with AppServer(name="streamlit-screenshots") as server, sync_playwright() as playwright:
        browser = launch_browser(playwright, chromium)
        try:
            for name in args.pages or names:
                for view in [None] if args.readme else views:
                    failures += shoot(browser, server, name, view, args.out)
        finally:
            browser.close()
    if not args.readme:
        print(f"Look at them: {index_html(args.out, args.pages or names, views)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

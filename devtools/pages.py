"""The app's pages and the URL path Streamlit serves each under.

For this app the list is :data:`softmax_ui.catalog.PAGES`, the table the menu and the landing
page read, so a lesson added there is tested, measured and screenshotted without another edit.
Another app folder (``benchmarks/floor``, or a scratch copy named by ``PERF_APP_DIR``) has no
such table of ours: its ``pages/`` files are listed and named by Streamlit's own rule.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from devtools import ROOT


@dataclass(frozen=True)
class AppPage:
    """One page of the app: its script and the URL path Streamlit serves it under."""

    script: str
    """Relative to the app's folder: ``app.py`` or ``pages/1_Playground.py``."""
    url_path: str
    """``""`` for the landing page, else e.g. ``Playground``."""

    @property
    def name(self) -> str:
        """A file-name- and test-id-friendly name: ``landing`` or the URL path."""
        return self.url_path or "landing"

    @property
    def is_landing(self) -> bool:
        return not self.url_path

    def __str__(self) -> str:
        return self.name


def app_pages(app_dir: Path = ROOT) -> list[AppPage]:
    """Every page of the app in ``app_dir``, landing page first, in menu order.

    >>> [p.name for p in app_pages()][:3]
    ['landing', 'Playground', 'Softmax_vs_Sigmoid_vs_ReLU']
    """
    if Path(app_dir).resolve() == ROOT:
        # Imported here, not above: a benchmark of a scratch copy must import the copy's own
        # softmax_ui (AppTest runs it in this process), not this checkout's.
        from softmax_ui.catalog import PAGES

        return [AppPage(page.path, page.slug) for page in PAGES]
    from devtools.streamlit_internals import legacy_pages

    return [AppPage("app.py", "")] + [
        AppPage(str(script.relative_to(app_dir)), url_path)
        for script, url_path in legacy_pages(Path(app_dir))
    ]


def page_by_name(name: str, pages: Sequence[AppPage] | None = None) -> AppPage:
    """The page called ``name`` (``landing`` or a URL path)."""
    pages = app_pages() if pages is None else pages
    for page in pages:
        if page.name == name:
            return page
    raise LookupError(f"No page {name!r} (have: {[p.name for p in pages]})")


def pages_calling(function: str) -> list[AppPage]:
    """The pages whose script calls ``function`` (e.g. the shared ``logits_editor``), directly
    or through a function of ``softmax_ui`` that calls it (the Playground draws its chart with
    ``pictures.prediction_picture``, which calls ``chart``).

    >>> [p.name for p in pages_calling("dtype_control")]
    ['Naive_vs_Stable']
    >>> "Playground" in {p.name for p in pages_calling("chart")}
    True
    """
    callers = _callers(function)
    return [page for page in app_pages() if _calls((ROOT / page.script), callers)]


def _called_names(tree: ast.AST) -> set[str]:
    """The names ``tree`` calls: ``f(…)`` and ``module.f(…)`` both count as ``f``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                names.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                names.add(node.func.attr)
    return names


@functools.cache
def _callers(function: str) -> frozenset[str]:
    """``function`` and every function of ``softmax_ui`` that calls it, however indirectly
    (by name: two functions of one name count as one, which can only add pages). Read once
    per name: the browser tests ask at import, several times."""
    calls: dict[str, set[str]] = {}
    for path in sorted((ROOT / "softmax_ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                calls.setdefault(node.name, set()).update(_called_names(node))
    found = {function}
    while True:
        more = {name for name, called in calls.items() if called & found} - found
        if not more:
            return frozenset(found)
        found |= more


def _calls(script: Path, names: frozenset[str]) -> bool:
    return bool(_called_names(ast.parse(script.read_text(encoding="utf-8"))) & names)


def select_pages(pages: Sequence[AppPage], wanted: Sequence[str] | None) -> list[AppPage]:
    """The pages whose URL path or script contains one of ``wanted`` (all when it is empty).

    >>> [p.name for p in select_pages(app_pages(), ["naive", "QUIZ"])]
    ['Naive_vs_Stable', 'Quiz']
    """
    if not wanted:
        return list(pages)
    chosen = [
        page
        for page in pages
        if any(w.lower() in (page.url_path + " " + page.script).lower() for w in wanted)
    ]
    if not chosen:
        raise LookupError(f"no page matches {list(wanted)}; pages: {[p.name for p in pages]}")
    return chosen

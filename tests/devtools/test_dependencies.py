"""Dependencies run one way, and the project is imported one way (docs/architecture.md).

pages → softmax_ui → softmax_core; tests, benchmarks, deploy and scripts → devtools →
softmax_ui.catalog. Nothing edits ``sys.path``: the repository root is the import root.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from devtools import ROOT

TOOLS = ("tests", "benchmarks", "deploy", "scripts")


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


APP_FILES = [ROOT / "app.py", *python_files("pages", "softmax_ui", "softmax_core")]


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_app_never_imports_the_tools(path: Path):
    assert not tops(imported_modules(path)) & {"devtools", *TOOLS}


@pytest.mark.parametrize("path", python_files("devtools"), ids=lambda p: p.name)
def test_devtools_reads_only_the_page_table_of_the_app(path: Path):
    modules = imported_modules(path)
    assert not tops(modules) & set(TOOLS), "devtools must not depend on tests or benchmarks"
    app = {m for m in modules if tops({m}) & {"softmax_ui", "softmax_core"}}
    assert app <= {"softmax_ui.catalog", "softmax_ui.catalog.PAGES"}, app


@pytest.mark.parametrize(
    "path",
    [ROOT / "app.py", *python_files("pages", "softmax_ui", "softmax_core", "devtools", *TOOLS)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_nothing_edits_the_import_path(path: Path):
    """One way to import the project: from the repository root (pytest's pythonpath,
    ``streamlit run app.py``, ``python -m benchmarks.x``), never by editing sys.path."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    edits = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "path"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "sys"
        and node.attr in {"insert", "append", "extend"}
    ]
    assert not edits, f"sys.path edited on line(s) {edits}"

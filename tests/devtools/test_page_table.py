"""The page list every tool uses is the catalog's, and it matches the files Streamlit serves."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools import ROOT
from devtools.pages import AppPage, app_pages, page_by_name, select_pages
from devtools.streamlit_internals import legacy_pages, legacy_url_path
from softmax_ui import catalog

PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))


def test_every_file_in_pages_is_in_the_catalog_and_back():
    """Streamlit serves every ``pages/*.py``; one missing from the catalog would have a URL but
    no menu entry, no landing-page link and no tests."""
    files = {f"pages/{path.name}" for path in PAGE_FILES}
    listed = {page.path for page in catalog.PAGES if page.path != "app.py"}
    assert files - listed == set(), "pages/ files missing from softmax_ui/catalog.py PAGES"
    assert listed - files == set(), "catalog entries without a file in pages/"


@pytest.mark.parametrize("script", PAGE_FILES, ids=lambda p: p.name)
def test_the_catalog_slug_is_the_url_streamlit_serves(script: Path):
    page = next(p for p in catalog.PAGES if p.path == f"pages/{script.name}")
    assert page.slug == legacy_url_path(script)


def test_the_tools_list_the_catalog_pages_in_menu_order():
    pages = app_pages()
    assert pages == [AppPage(p.path, p.slug) for p in catalog.PAGES]
    assert pages[0] == AppPage("app.py", "") and pages[0].name == "landing"
    assert all((ROOT / page.script).is_file() for page in pages)


def test_another_app_folder_is_read_from_its_files():
    floor = ROOT / "benchmarks" / "floor"
    pages = app_pages(floor)
    assert pages[0] == AppPage("app.py", "")
    assert [p.url_path for p in pages[1:]] == [name for _, name in legacy_pages(floor)]
    assert [p.url_path for p in pages[1:]] == [
        "Slider",
        "Plotly",
        "Plotly_and_dataframe",
        "Lesson_main_chart",
        "Temperature_three_charts",
        "Two_fragments",
        "Versus_chart",
        "Naive_three_charts",
        "Gradients_two_charts",
        "Calibration_chart",
        "Still_elements",
    ]
    assert all((floor / page.script).is_file() for page in pages)


def test_pages_are_found_by_name_or_by_part_of_it():
    assert page_by_name("Quiz").script == catalog.QUIZ.path
    with pytest.raises(LookupError, match="No page 'Nowhere'"):
        page_by_name("Nowhere")
    assert [p.name for p in select_pages(app_pages(), ["playground", "app.py"])] == [
        "landing",
        "Playground",
    ]
    assert select_pages(app_pages(), []) == app_pages()
    with pytest.raises(LookupError, match="no page matches"):
        select_pages(app_pages(), ["nowhere"])

"""benchmarks/perfkit.py and the benchmark scripts' guard rails (no server, no browser)."""

from __future__ import annotations

import os

import pytest

from benchmarks import bench_rerun, load_test, perfkit, profile_browser
from devtools import ROOT
from softmax_ui import catalog


def test_percentiles_interpolate():
    assert perfkit.pct([1, 2, 3, 4], 50) == 2.5
    assert perfkit.pct([5], 95) == 5
    assert perfkit.pct(list(range(101)), 95) == 95
    s = perfkit.summary([3.0, 1.0, 2.0])
    assert (s["n"], s["median"], s["min"], s["max"]) == (3, 2.0, 1.0, 3.0)


def test_table_is_markdown():
    text = perfkit.table([["a", 1.25, float("nan")]], ["page", "ms", "x"])
    assert text.splitlines() == ["| page | ms | x |", "|---|---|---|", "| a | 1.2 | – |"]


def test_pages_to_measure_are_the_catalog_pages_or_an_exit(monkeypatch):
    monkeypatch.setattr(perfkit, "APP_DIR", ROOT)  # whatever PERF_APP_DIR says
    assert [p.name for p in perfkit.pages_to_measure(["playground"])] == ["Playground"]
    assert len(perfkit.pages_to_measure(None)) == len(catalog.PAGES)
    with pytest.raises(SystemExit, match="no page matches"):
        perfkit.pages_to_measure(["nowhere"])


def test_own_cpu_time_is_read_from_proc():
    assert perfkit.cpu_seconds(os.getpid()) > 0


@pytest.mark.parametrize(
    "argv",
    [
        ["--n", "401"],
        ["--n", "0"],
        ["--duration", "400"],
        ["--url", "http://10.1.1.1"],
        ["--page", "app.py"],
    ],
)
def test_load_test_is_bounded_and_loopback_only(argv, capsys):
    with pytest.raises(SystemExit) as err:
        load_test.main(argv)
    assert err.value.code == 2  # a usage error, before any server or connection
    assert "error:" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--presses", "0"], ["--presses", "201"]])
def test_browser_profile_is_bounded(argv):
    with pytest.raises(SystemExit) as stop:
        profile_browser.main(argv)
    assert stop.value.code == 2


@pytest.mark.parametrize(
    "argv", [["--loads", "0"], ["--cpu", "0.5"], ["--cpu", "21"], ["--mbps", "0.01"]]
)
def test_latency_bench_is_bounded(argv, capsys):
    from benchmarks import bench_latency

    with pytest.raises(SystemExit) as stop:
        bench_latency.main(argv)
    assert stop.value.code == 2  # a usage error, before any server or browser
    assert "error:" in capsys.readouterr().err


def test_rerun_bench_times_whole_runs_with_nothing_changed(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)  # bench_apptest runs the app from its folder
    monkeypatch.setattr(perfkit, "APP_DIR", ROOT)
    argv = ["--whole", "--mode", "apptest", "--pages", "Playground", "--runs", "3"]
    assert bench_rerun.main([*argv, "--warmup", "1"]) == 0
    (row,) = [line for line in capsys.readouterr().out.splitlines() if "| Playground" in line]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == bench_rerun.WHOLE
    assert float(cells[2]) > 0  # the script body's median, in ms


def test_every_lesson_with_charts_has_its_charts_alone_on_the_floor():
    """bench_latency --own-charts: each lesson page that bench_latency presses (a slider and
    a chart) names the floor's page of its own charts, and that page exists."""
    from benchmarks import bench_latency
    from devtools.pages import AppPage, app_pages

    floor = {p.name for p in app_pages(bench_latency.FLOOR_DIR)}
    assert set(bench_latency.OWN_CHARTS) == {p.slug for p in catalog.PAGES if p.charts}
    assert set(bench_latency.OWN_CHARTS.values()) <= floor
    page = AppPage("pages/1_Playground.py", "Playground")
    assert bench_latency.own_charts_page(page).name == "Lesson_main_chart"
    assert bench_latency.own_charts_page(AppPage("app.py", "")) is None


def test_own_charts_table_divides_the_lesson_by_its_charts_and_both_by_the_floor():
    from benchmarks import bench_latency
    from devtools.pages import AppPage

    pages = [AppPage("pages/1_Playground.py", "Playground"), AppPage("app.py", "")]
    results = {
        "Playground": {
            "latency_ms": {"median": 60.0},
            "floor": {"latency_ms": {"median": 40.0}},
            "own_charts": {"latency_ms": {"median": 44.0}, "page": "Lesson_main_chart"},
        },
        "landing": {"floor": {}},  # no slider: no row
    }
    rows, headers = bench_latency.own_charts_table(pages, results)
    assert len(headers) == len(rows[0]) == 8
    assert rows == [
        ["Playground", "Lesson_main_chart", 60.0, 44.0, 40.0, "1.10×", "1.50×", "1.36×"]
    ]

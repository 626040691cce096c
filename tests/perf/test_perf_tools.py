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


def test_rerun_bench_times_whole_runs_with_nothing_changed(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)  # bench_apptest runs the app from its folder
    monkeypatch.setattr(perfkit, "APP_DIR", ROOT)
    argv = ["--whole", "--mode", "apptest", "--pages", "Playground", "--runs", "3"]
    assert bench_rerun.main([*argv, "--warmup", "1"]) == 0
    (row,) = [line for line in capsys.readouterr().out.splitlines() if "| Playground" in line]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == bench_rerun.WHOLE
    assert float(cells[2]) > 0  # the script body's median, in ms

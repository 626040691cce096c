"""The server settings the classroom relies on (.streamlit/config.toml), each for a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")
CONFIG = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit/config.toml").read_text())


def test_offline_and_private():
    assert CONFIG["browser"]["gatherUsageStats"] is False  # no telemetry request from browsers


def test_rerun_speed_settings():
    # the forced gc.collect(2) slows every rerun (docs/benchmarks.md)
    assert CONFIG["runner"]["postScriptGC"] is False
    assert CONFIG["server"]["fileWatcherType"] == "none"


def test_websocket_compressed():
    # docs/benchmarks.md: about half the bytes per interaction on the wire
    assert CONFIG["server"]["enableWebsocketCompression"] is True

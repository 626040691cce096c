"""What the benchmarks share beyond :mod:`devtools`: the app measured, the pages chosen on the
command line, statistics, and the machine's load and a process's CPU time (``/proc``).

The server, the page list, the loopback check and Streamlit's websocket protocol are
:mod:`devtools` (shared with the tests, ``deploy/`` and ``scripts/``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from devtools import ROOT
from devtools.pages import AppPage, app_pages, select_pages
from devtools.server import AppServer

APP_DIR = Path(os.environ.get("PERF_APP_DIR") or ROOT).resolve()
"""The app measured: this checkout, or another folder named by ``PERF_APP_DIR`` (a scratch copy
to try a change on before proposing it, or ``benchmarks/floor``)."""
TICKS = os.sysconf("SC_CLK_TCK")


def pages_to_measure(wanted: Sequence[str] | None) -> list[AppPage]:
    """The pages of :data:`APP_DIR` whose URL path or script contains one of ``wanted`` (all
    when it is empty); exits with the list of pages when none matches."""
    try:
        return select_pages(app_pages(APP_DIR), wanted)
    except LookupError as err:
        raise SystemExit(str(err)) from None


def server(args: Sequence[str] = ()) -> AppServer:
    """A server for :data:`APP_DIR` (use it as a context manager), with extra ``args``."""
    return AppServer(name="bench", app_dir=APP_DIR, args=args)


def floor_server() -> AppServer:
    """A server for the floor app (``benchmarks/floor``), measured beside the app."""
    return AppServer(name="bench-floor", app_dir=ROOT / "benchmarks" / "floor")


# --- statistics -------------------------------------------------------------------------------


def pct(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100), linear interpolation; NaN for no values."""
    if not values:
        return math.nan
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": pct(values, 50),
        "p95": pct(values, 95),
        "p99": pct(values, 99),
        "min": min(values) if values else math.nan,
        "max": max(values) if values else math.nan,
    }


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """A Markdown table (pastes straight into docs/benchmarks.md)."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return "–" if math.isnan(v) else f"{v:.1f}"
        return str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


# --- machine ----------------------------------------------------------------------------------


def loadavg() -> float:
    return os.getloadavg()[0]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / TICKS


def machine_note() -> str:
    return f"{os.cpu_count()} cores, load {loadavg():.2f} at start"

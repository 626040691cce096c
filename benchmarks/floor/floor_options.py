"""Opt-in switches for the floor app, read once per server process.

``FLOOR_NODELAY=1`` turns Nagle's algorithm off on the server's sockets, as the real app does
(``softmax_ui/network.py``), so the two can be compared:

    export PERF_APP_DIR=benchmarks/floor
    .venv/bin/python benchmarks/bench_rerun.py --mode server
    FLOOR_NODELAY=1 .venv/bin/python benchmarks/bench_rerun.py --mode server
"""

import os
import sys
from pathlib import Path

if os.environ.get("FLOOR_NODELAY") == "1":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from softmax_ui.network import disable_nagle_once

    disable_nagle_once()

"""Opt-in switches for the floor app, read once per server process.

``FLOOR_NODELAY=1`` turns Nagle's algorithm off on the server's sockets, as the real app does
(``softmax_ui/network.py``), so the two can be compared:

    export PERF_APP_DIR=benchmarks/floor
    .venv/bin/python -m benchmarks.bench_rerun --mode server
    FLOOR_NODELAY=1 .venv/bin/python -m benchmarks.bench_rerun --mode server

The benchmarks' server (``devtools.server.AppServer``) puts the repository root on the import
path, so ``softmax_ui`` is found from this folder too.
"""

import os

if os.environ.get("FLOOR_NODELAY") == "1":
    from softmax_ui.network import disable_nagle_once

    disable_nagle_once()

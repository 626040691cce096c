"""Floor app: what Streamlit (and Plotly) cost before any lesson code runs.

Not part of the product. ``bench_latency.py`` and ``bench_rerun.py`` measure it with
``PERF_APP_DIR=benchmarks/floor`` to separate the app's own cost from the framework's:
see docs/benchmarks.md ("First page load" and "Server rerun").
"""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import streamlit as st

st.title("Nothing but a title")

"""Floor app: what Streamlit (and Plotly) cost, without the lessons around them.

Pages 1 to 3 hold no lesson code: a slider, one plain Plotly chart, a chart and a data
frame. Pages 4, 5 and 7 to 10 draw each lesson's own charts with nothing else around them
(``lesson_charts.py``), page 6 a slider and a chart in two fragments rerun from the slider's
callback, as a lesson's keypress runs, page 11 a slider and a chart in a fragment among as
many elements as the Playground holds, which a keypress leaves alone. Not part of the
product. ``bench_latency.py`` and ``bench_rerun.py`` measure it with
``PERF_APP_DIR=benchmarks/floor`` to separate the app's own cost from the framework's: see
docs/benchmarks.md ("First page load", "Server rerun" and "Interaction against the
framework's floor").
"""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import streamlit as st

st.title("Nothing but a title")

"""A slider in one fragment and a chart in another, the slider's callback rerunning both: how
every lesson's keypress runs (softmax_ui.session: a control's section and the sections that
show what it changed; a Playground keypress reruns four), with one plain chart. Against page 2
(one whole run of the same slider and chart), it measures what fragments and a callback's
targeted rerun (two script runs) cost in the browser:

    FLOOR_NODELAY=1 PERF_APP_DIR=benchmarks/floor .venv/bin/python -m benchmarks.bench_latency \\
        --pages Two_fragments --presses 40 --loads 1
"""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import plotly.graph_objects as go
import streamlit as st

st.title("A slider and a chart, each in a fragment")


def rerun_both() -> None:
    st.rerun(scope=["control", "picture"])  # the first run ends early; a second runs both


@st.fragment(key="control")
def control() -> None:
    st.slider("T", 0.05, 20.0, 1.0, key="w:T_slider", on_change=rerun_both)


@st.fragment(key="picture")
def picture() -> None:
    T = st.session_state.get("w:T_slider", 1.0)
    st.plotly_chart(go.Figure(go.Bar(x=["dog", "cat", "bird"], y=[0.659, 0.242, 0.099 * T])))


control()
picture()

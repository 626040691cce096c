"""Page 4's chart and slider (the lessons' main chart beside a temperature slider, in the
wide layout at the lesson's column widths) amid a copy of the Playground's page that a
keypress leaves alone: every kind of element and container the Playground draws, as many of
each, laid out as the Playground lays them out, still (``tests/ui/test_floor_charts.py``
compares the two pages kind by kind). The slider and the chart are each in a fragment that
the slider's callback reruns, as a lesson's keypress reruns its sections (page 6): a
keypress redraws them and sends nothing else. Against page 4 in the same run it measures
what the elements a keypress leaves alone cost; the command is in docs/benchmarks.md
("what a keypress leaves alone").
"""

from pathlib import Path

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import lesson_charts
import numpy as np
import streamlit as st

from softmax_ui.controls import TEMPERATURE_SLIDERS
from softmax_ui.state import LessonState

st.set_page_config(layout="wide")
STATE = LessonState()
LABELS, Z = STATE.labels, np.array(STATE.logits)
FLOOR = Path(__file__).resolve().parent.parent
PAGE_FILES = sorted((FLOOR / "pages").glob("*.py"), key=lambda p: int(p.name.split("_")[0]))
STILL = "**Dog / cat / bird**: words that a keypress does not change."


def rerun_both() -> None:
    st.rerun(scope=["control", "picture"])  # as a lesson's section callback does


@st.fragment(key="control")
def control() -> None:
    low, high, step = TEMPERATURE_SLIDERS[""]
    # the lessons' name for it: the slider bench_latency presses
    st.slider(
        "Temperature T",
        low,
        high,
        STATE.temperature,
        step=step,
        key="w:T_slider",
        on_change=rerun_both,
    )
    # where the lesson has its T number box: sent again at a keypress, its value unchanged
    st.number_input("A still number box", value=1.0, key="w:still_number")


@st.fragment(key="picture")
def picture() -> None:
    lesson_charts.main_chart(LABELS, Z, st.session_state.get("w:T_slider", STATE.temperature))


with st.sidebar:
    for path in ["app.py", *(f"pages/{p.name}" for p in PAGE_FILES)][:10]:
        st.page_link(path)
    st.divider()
    st.markdown("**Share this view**")
    st.container().container().html("<div><code>http://localhost/?still=1</code></div>")
    st.caption("A caption in the sidebar.")
    with st.expander("Presenter view (for a projector)"):
        st.toggle("A toggle", key="w:still_toggle")
        st.multiselect("A multiselect", ["a", "b", "c"], default=["a"], key="w:still_multi")
        st.caption("Another caption in the sidebar.")
    st.selectbox("A select box", ["one", "two"], key="w:still_side_select")

st.title("The lessons' main chart among still elements")
st.markdown("A paragraph under the title that a keypress does not change.")
with st.container():
    controls, right = st.columns([2, 3], gap="large")  # as controls.editor_beside_picture
    with controls:
        with st.container():
            st.header("Logits z")
            st.selectbox("Load an example", ["first", "second"], key="w:still_select")
            st.caption(STILL)
            st.text_input("Paste logits", "2, 1, 0.1", key="w:still_paste")
            st.number_input("Number of classes", value=3, key="w:still_classes")
            with st.expander("Each class: name and logit", expanded=True):
                for n, (label, z) in enumerate(zip(LABELS, Z, strict=True)):
                    name, number = st.columns(2)
                    name.text_input(f"Class {n + 1} name", label, key=f"w:still_name{n}")
                    number.number_input(f"z{n + 1}", value=float(z), key=f"w:still_z{n}")
                    st.slider(f"Slide z{n + 1}", -10.0, 10.0, float(z), key=f"w:still_s{n}")
        control()
    with right, st.container():
        picture()  # within the containers softmax_ui.page.chart draws, as on the Playground
        st.markdown("A still sentence where the lesson announces its prediction.")
        a, b, c = st.columns(3)
        a.metric("Predicted class (argmax)", "dog")
        b.metric("Its probability", "0.659")
        c.metric("Entropy (nats)", "0.832", help="0 = certain; log K = uniform.")
        st.caption("A caption under the metrics, still.")
with st.container():
    st.header("The formula, step by step")
    st.markdown("A still paragraph above the table.")
    st.markdown("| class | z | p |\n|:--|--:|--:|\n| dog | 2 | 0.659 |\n| cat | 1 | 0.242 |")
    st.markdown("Σ exp(z/T − max) = **1.517**, a still sum.")
    st.download_button("Download", data="a,b\n1,2\n", file_name="still.csv", on_click="ignore")
    st.header("What the temperature does")
    st.markdown("A still explanation.")

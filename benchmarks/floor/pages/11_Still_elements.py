"""The floor's plain chart and slider (page 2), in a fragment, on a page that also holds at
least as many elements as the Playground, of each kind the Playground has, none of which a
keypress changes: in the sidebar ten page links, paragraphs, captions, a rule, an HTML block,
a toggle, a multiselect and a select box; in the main area the title, headings, paragraphs,
captions, metrics, number and text inputs, sliders, HTML blocks, a select box and a download
button (``tests/ui/test_floor_charts.py`` compares the two pages' elements, kind by kind).
Against page 2 it measures what the elements on a page cost a keypress that changes none of
them:

    FLOOR_NODELAY=1 PERF_APP_DIR=benchmarks/floor .venv/bin/python -m benchmarks.bench_latency \\
        --pages Still_elements Plotly_and_dataframe --presses 40 --loads 1
"""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import plotly.graph_objects as go
import streamlit as st

FLOOR_PAGES = [
    "app.py",
    "pages/1_Slider.py",
    "pages/2_Plotly.py",
    "pages/3_Plotly_and_dataframe.py",
    "pages/4_Lesson_main_chart.py",
    "pages/5_Temperature_three_charts.py",
    "pages/6_Two_fragments.py",
    "pages/7_Versus_chart.py",
    "pages/8_Naive_three_charts.py",
    "pages/9_Gradients_two_charts.py",
]

with st.sidebar:
    for path in FLOOR_PAGES:
        st.page_link(path)
    st.divider()
    st.markdown("**A sidebar paragraph** that a keypress does not change.")
    st.html("<p>An HTML block in the sidebar.</p>")
    st.caption("A caption in the sidebar.")
    st.toggle("A toggle", key="w:still_toggle")
    st.multiselect("A multiselect", ["a", "b", "c"], default=["a"], key="w:still_multi")
    st.caption("Another caption in the sidebar.")
    st.selectbox("A select box", ["one", "two"], key="w:still_side_select")

st.title("A chart among still elements")
st.markdown("A paragraph under the title that a keypress does not change.")
controls, picture = st.columns([2, 3], gap="large")
with controls:
    st.header("Still inputs")
    st.selectbox("A preset", ["first", "second"], key="w:still_select")
    st.caption("A caption under the preset.")
    for n in range(4):
        st.text_input(f"Name {n + 1}", f"class {n + 1}", key=f"w:still_name{n}")
        st.number_input(f"Number {n + 1}", value=float(n), key=f"w:still_number{n}")
        if n < 3:
            st.slider(f"Slider {n + 1}", -10.0, 10.0, float(n), key=f"w:still_slider{n}")
    st.number_input("One more number", value=1.0, key="w:still_number_last")
with picture:

    @st.fragment
    def chart() -> None:
        # named as the lessons' temperature slider is: the one bench_latency presses
        T = st.slider("Temperature T", 0.05, 20.0, 1.0, key="w:T_slider")
        st.plotly_chart(go.Figure(go.Bar(x=["dog", "cat", "bird"], y=[0.659, 0.242, 0.099 * T])))

    chart()
    a, b, c = st.columns(3)
    a.metric("A metric", "dog")
    b.metric("Another", "0.659")
    c.metric("A third", "0.802")
    st.caption("A caption under the metrics.")
    for n in range(4):
        st.html(f"<p>HTML block {n + 1}, still.</p>")
st.header("Still text")
for n in range(5):
    st.markdown(f"Paragraph {n + 1} of still text, with **bold** words.")
st.header("More still text")
st.download_button("A download button", data="a,b\n1,2\n", file_name="still.csv", on_click="ignore")

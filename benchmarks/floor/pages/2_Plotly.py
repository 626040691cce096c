"""One Plotly bar chart: the cost of Streamlit's Plotly bundle on first load."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import plotly.graph_objects as go
import streamlit as st

st.title("One Plotly chart")
T = st.slider("T", 0.05, 20.0, 1.0, key="w:T_slider")
st.plotly_chart(go.Figure(go.Bar(x=["dog", "cat", "bird"], y=[0.659, 0.242, 0.099 * T])))

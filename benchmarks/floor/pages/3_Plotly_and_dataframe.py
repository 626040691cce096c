"""One Plotly chart and one st.dataframe: what the Arrow grid adds on first load."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import plotly.graph_objects as go
import streamlit as st

st.title("One Plotly chart and a data frame")
T = st.slider("T", 0.05, 20.0, 1.0, key="w:T_slider")
st.plotly_chart(go.Figure(go.Bar(x=["dog", "cat", "bird"], y=[0.659, 0.242, 0.099 * T])))
st.dataframe({"class": ["dog", "cat", "bird"], "p": [0.659, 0.242, 0.099]})

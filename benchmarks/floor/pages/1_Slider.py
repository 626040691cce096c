"""A title and a slider: the smallest page with a rerun to measure."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import streamlit as st

st.title("A slider")
st.slider("T", 0.05, 20.0, 1.0, key="w:T_slider")

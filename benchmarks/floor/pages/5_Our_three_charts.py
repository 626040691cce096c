"""Temperature and sampling's three charts (main bars, p(T), H(T)) and a slider, nothing else."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import lesson_charts
import streamlit as st

st.title("Temperature and sampling's three charts")
labels, z, T = lesson_charts.temperature_slider()
lesson_charts.main_chart(labels, z, T)
lesson_charts.sweep(labels, z, T)

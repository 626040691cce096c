"""The lessons' main chart (the probability bars) and a temperature slider, nothing else."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import lesson_charts
import streamlit as st

st.title("The lessons' main chart")
lesson_charts.main_chart(*lesson_charts.temperature_slider())

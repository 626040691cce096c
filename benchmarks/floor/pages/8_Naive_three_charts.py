"""Naive vs stable's three charts (naive, stable, the exponents) and a slider, nothing else."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import lesson_charts

labels, z, T, _picture = lesson_charts.example_and_slider("Naive vs stable's charts")
lesson_charts.naive_charts(labels, z, T)

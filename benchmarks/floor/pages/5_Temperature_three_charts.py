"""Temperature and sampling's three charts (main bars, p(T), H(T)) and a slider, nothing else."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import lesson_charts

labels, z, T, picture = lesson_charts.example_and_slider("Temperature and sampling's charts")
with picture:
    lesson_charts.main_chart(labels, z, T)
lesson_charts.sweep(labels, z, T)

"""The lessons' main chart (the probability bars) and a temperature slider, nothing else."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import lesson_charts

labels, z, T, picture = lesson_charts.example_and_slider("The lessons' main chart")
with picture:
    lesson_charts.main_chart(labels, z, T)

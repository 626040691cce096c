"""Softmax vs sigmoid vs ReLU's chart (the grouped bars) and a slider, nothing else."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import lesson_charts

labels, z, T, picture = lesson_charts.example_and_slider("Softmax vs sigmoid vs ReLU's chart")
with picture:
    lesson_charts.versus_chart(labels, z, T)

"""Gradients and cross-entropy's two charts (the prediction, the gradient) and a slider."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import lesson_charts

labels, z, T, picture = lesson_charts.example_and_slider("Gradients and cross-entropy's charts")
lesson_charts.gradient_charts(labels, z, T, picture)

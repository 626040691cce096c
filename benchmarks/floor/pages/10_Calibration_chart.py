"""Calibration's chart (the reliability diagram) and its number-of-classes slider."""

import floor_options  # noqa: F401  (FLOOR_NODELAY=1: see floor_options.py)
import lesson_charts

lesson_charts.calibration_chart()

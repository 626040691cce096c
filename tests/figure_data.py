"""Read the numbers back out of a Plotly figure JSON, as Streamlit sends it.

plotly 7 encodes arrays as ``{"dtype": "f8", "bdata": "<base64>"}``; this decodes them
so tests compare what the chart really draws.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np


def decode(value: Any) -> Any:
    """Turn plotly's typed arrays back into NumPy arrays, recursively."""
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            if "shape" in value:  # plotly writes it as text, e.g. "3, 3"
                return array.reshape([int(n) for n in str(value["shape"]).split(",")])
            return array
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def figure(spec_json: str) -> dict:
    """The decoded figure dictionary of an ``st.plotly_chart`` element's spec."""
    return decode(json.loads(spec_json))


def trace_values(spec_json: str, trace: int = 0, axis: str = "y") -> np.ndarray:
    """The numbers a trace draws along ``axis``, as float64 (``None`` → NaN)."""
    values = figure(spec_json)["data"][trace][axis]
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

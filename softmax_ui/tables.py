"""Tables that walk through a computation with the live numbers (pure, no Streamlit)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import numpy as np

from softmax_core import softmax


def softmax_steps(
    labels: Sequence[str], logits: Sequence[float], temperature: float
) -> dict[str, list]:
    """The softmax formula one column at a time: z, z/T, z/T − max, exp(·), p.

    The last column comes from :func:`softmax_core.softmax`; the steps before it
    show why it equals exp(z/T − max) / Σ exp(z/T − max).
    """
    z = np.asarray(logits, dtype=np.float64)
    scaled = z / temperature
    shifted = scaled - scaled.max()
    exps = np.exp(shifted)  # every exponent is ≤ 0, so exp() is in (0, 1]: no overflow
    return {
        "class": list(labels),
        "z": z.tolist(),
        "z/T": scaled.tolist(),
        "z/T − max": shifted.tolist(),
        "exp(z/T − max)": exps.tolist(),
        "p = exp / Σ": softmax(z, temperature=temperature).tolist(),
    }


def to_csv(columns: dict[str, list]) -> str:
    """CSV text of a column table (full float precision, for a spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*columns.values(), strict=True))
    return out.getvalue()

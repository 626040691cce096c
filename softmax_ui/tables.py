"""Tables that walk through a computation with the live numbers (pure, no Streamlit).

Tables are shown as Markdown (:func:`markdown_table`), not ``st.dataframe``: a few rows need
no grid, the text grows with the presenter view's font, and a page without a data frame
neither loads the Arrow and data-grid JavaScript nor converts a table to Arrow on every rerun
(figures in docs/benchmarks.md).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Mapping, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np

from softmax_core import ReliabilityBins, softmax
from softmax_ui.i18n import _, group, localize
from softmax_ui.text import markdown_safe, probability_number


def softmax_steps(
    labels: Sequence[str], logits: Sequence[float], temperature: float
) -> dict[str, list]:
    """The softmax formula one column at a time: z, z/T, z/T − max, exp(·), p.

    The last column comes from :func:`softmax_core.softmax`; the steps before it
    show why it equals exp(z/T − max) / Σ exp(z/T − max). The column names are the table's
    headers and the CSV file's, in the reader's language (the formulas stay as they are).
    """
    z = np.asarray(logits, dtype=np.float64)
    scaled = z / temperature
    shifted = scaled - scaled.max()
    exps = np.exp(shifted)  # every exponent is ≤ 0, so exp() is in (0, 1]: no overflow
    return {
        _("class"): list(labels),
        "z": z.tolist(),
        "z/T": scaled.tolist(),
        "z/T − max": shifted.tolist(),
        "exp(z/T − max)": exps.tolist(),
        "p = exp / Σ": softmax(z, temperature=temperature).tolist(),
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_text(value: Any) -> Any:
    """A text cell a spreadsheet will not run: one starting like a formula (``=``, ``+``,
    ``-``, ``@``, a tab) gets a leading ``'``, as OWASP advises against CSV injection (a label
    ``=HYPERLINK(…)`` would otherwise be a live link in Excel). Numbers are left alone.

    >>> spreadsheet_text("=1+1"), spreadsheet_text("dog"), spreadsheet_text(-2.0)
    ("'=1+1", 'dog', -2.0)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(columns: dict[str, list]) -> str:
    """CSV text of a column table (full float precision, for a spreadsheet); text cells are
    made safe to open (:func:`spreadsheet_text`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([spreadsheet_text(name) for name in columns])
    for row in zip(*columns.values(), strict=True):
        writer.writerow([spreadsheet_text(cell) for cell in row])
    return out.getvalue()


def _cell(value: Any, digits: int) -> str:
    if isinstance(value, bool | np.bool_):
        return _("yes") if value else _("no")
    if isinstance(value, Integral):
        return group(int(value))
    if isinstance(value, Real):  # a number below 1 never reads "1" (probability_number)
        return probability_number(float(value), digits)
    return markdown_safe(str(value))


def markdown_table(
    columns: Mapping[str, Sequence[Any] | np.ndarray],
    *,
    digits: int = 4,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
) -> str:
    """A column table as GitHub-flavoured Markdown, safe for user text.

    Numbers get ``digits`` significant digits (NaN and inf spelled as IEEE prints them) and
    are right-aligned; text is escaped with :func:`~softmax_ui.text.markdown_safe`, so a label
    such as ``a|b`` or ``**x**`` shows as typed. ``formats`` maps a column name to its own
    formatter, whose output is used as Markdown as it is.

    >>> print(markdown_table({"class": ["dog", "cat"], "p": [0.6590011388859679, 0.2424]}))
    | class | p |
    |:--|--:|
    | dog | 0.659 |
    | cat | 0.2424 |
    """
    formats = formats or {}
    names = list(columns)
    rows = [list(col) for col in columns.values()]
    lengths = {len(col) for col in rows}
    if len(lengths) > 1:
        raise ValueError(f"columns have different lengths: {sorted(lengths)}")
    # a column of numbers is right-aligned, whoever writes them (formats too)
    numeric = [
        bool(len(col))
        and all(isinstance(v, Real) and not isinstance(v, bool | np.bool_) for v in col)
        for col in rows
    ]
    lines = [
        "| " + " | ".join(markdown_safe(name) for name in names) + " |",
        "|" + "|".join("--:" if right else ":--" for right in numeric) + "|",
    ]
    for i in range(lengths.pop() if lengths else 0):
        cells = [
            formats[name](col[i]) if name in formats else _cell(col[i], digits)
            for name, col in zip(names, rows, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _three_decimals(value: float) -> str:
    return "–" if np.isnan(value) else localize(f"{value:.3f}")


def reliability_table(bins: ReliabilityBins) -> str:
    """The bins of a reliability diagram as a Markdown table: the bin, how many predictions
    fell in it, their mean confidence and their accuracy (– for an empty bin).

    >>> from softmax_core import reliability_bins
    >>> print(reliability_table(reliability_bins([[0.9, 0.1], [0.8, 0.2]], [0, 1], n_bins=2)))
    | confidence bin | predictions | mean confidence | accuracy |
    |:--|--:|--:|--:|
    | 0\\.0–0\\.5 | 0 | – | – |
    | 0\\.5–1\\.0 | 2 | 0.850 | 0.500 |
    """
    edges = bins.edges
    return markdown_table(
        {
            _("confidence bin"): [
                localize(f"{lo:.1f}–{hi:.1f}") for lo, hi in itertools.pairwise(edges)
            ],
            _("predictions"): bins.counts,
            _("mean confidence"): bins.confidence,
            _("accuracy"): bins.accuracy,
        },
        formats={_("mean confidence"): _three_decimals, _("accuracy"): _three_decimals},
    )

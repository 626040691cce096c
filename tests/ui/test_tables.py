"""softmax_ui.tables: the step table's numbers and the Markdown tables pages show."""

from __future__ import annotations

import numpy as np
import pytest

from softmax_core import softmax
from softmax_ui.tables import markdown_table, softmax_steps, to_csv


def rows(table: str) -> list[str]:
    return table.splitlines()


def test_steps_walk_the_stable_formula():
    steps = softmax_steps(["a", "b", "c"], [1000.0, 1001.0, 1002.0], 2.0)
    np.testing.assert_allclose(steps["z/T"], [500, 500.5, 501])
    np.testing.assert_allclose(steps["z/T − max"], [-1, -0.5, 0])
    np.testing.assert_allclose(steps["exp(z/T − max)"], np.exp([-1, -0.5, 0]))
    exps = np.array(steps["exp(z/T − max)"])
    np.testing.assert_allclose(steps["p = exp / Σ"], exps / exps.sum(), rtol=1e-15)
    np.testing.assert_allclose(steps["p = exp / Σ"], softmax([0, 1, 2], temperature=2))


def test_numbers_right_aligned_text_left_and_significant_digits():
    table = markdown_table({"class": ["dog", "cat"], "p": [0.6590011388859679, 0.2424329707047139]})
    assert rows(table) == ["| class | p |", "|:--|--:|", "| dog | 0.659 |", "| cat | 0.2424 |"]
    assert rows(markdown_table({"x": [1 / 3]}, digits=2))[2] == "| 0.33 |"


def test_a_number_below_one_never_reads_one():
    """The Playground's p column read 1 for dog's 0.999998 (found by a student tour)."""
    p = softmax([5.0, 1.0, 0.1, 0.0, 0.0], temperature=0.3)
    assert rows(markdown_table({"p": p.tolist()}))[2] == "| 0.999998 |"
    assert rows(markdown_table({"p": [1.0, 0.99996]}))[2:] == ["| 1 |", "| 0.99996 |"]


def test_ieee_values_and_integers_are_spelled_out():
    table = markdown_table({"v": [float("nan"), float("inf"), -float("inf")], "n": [1, 2, 12345]})
    assert rows(table)[2:] == ["| NaN | 1 |", "| inf | 2 |", "| -inf | 12,345 |"]


def test_user_text_cannot_break_the_table_or_format_it():
    table = markdown_table(
        {"class": ["a|b", "**bold**", "<b>x</b>", "[l](http://x)"], "p": [1, 2, 3, 4]}
    )
    body = rows(table)[2:]
    assert all(line.count("|") - line.count("\\|") == 3 for line in body)  # two cells each
    assert "\\*\\*bold\\*\\*" in table and "&lt;b&gt;" in table and "<b>" not in table
    assert "\\[l\\]\\(http" in table


def test_column_formatters_and_checks():
    table = markdown_table(
        {"rate": [0.5, float("nan")]},
        formats={"rate": lambda v: "–" if np.isnan(v) else f"{v:.3f}"},
    )
    assert rows(table)[1:] == ["|--:|", "| 0.500 |", "| – |"]  # numbers: right-aligned
    with pytest.raises(ValueError, match="different lengths"):
        markdown_table({"a": [1, 2], "b": [1]})
    assert rows(markdown_table({"a": []})) == ["| a |", "|:--|"]


def test_csv_keeps_full_precision():
    text = to_csv({"class": ["a", "b"], "p": [0.1 + 0.2, 1 / 3]})
    assert text.splitlines() == ["class,p", "a,0.30000000000000004", "b,0.3333333333333333"]

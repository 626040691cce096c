"""Every figure builder's output passes plotly's full validation.

The builders make their figures through ``softmax_ui.figures.figure``, which skips plotly's
per-property validation for speed (``_validate=False``). Here every builder, found by
introspection so a new one cannot be forgotten, is run on example inputs and its figure is
rebuilt with validation on: ``go.Figure(fig.to_dict())`` raises ValueError on an unknown
property or an invalid value. The rebuild must also serialise to the same JSON (validation
would change nothing), every trace must have the type the builder means (a trace dict
without ``"type"`` silently becomes a scatter), and no unset value (plotly's ``Undefined``
sentinel, or a ``None`` that validation would have dropped) may be left in the figure.
"""

from __future__ import annotations

import importlib
import inspect
import json
import math
import pkgutil
from collections.abc import Callable
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.basedatatypes import Undefined

import softmax_ui
from softmax_ui import figures
from softmax_ui.live_questions import Tally

MODULES = tuple(
    importlib.import_module(f"softmax_ui.{m.name}")
    for m in pkgutil.iter_modules(softmax_ui.__path__)
    if m.name.startswith("figures")
)
"""Every ``softmax_ui/figures*.py``: a new module of builders is checked as soon as it lands."""
NOT_BUILDERS = {"softmax_ui.figures.figure"}  # the helper every builder ends with

TS = np.geomspace(0.05, 20, 81)
X = np.linspace(-6.0, 6.0, 49)
P3 = np.array([0.659, 0.242, 0.099])
LABELS = ["dog", "cat", "<b>bird</b>"]
K = 12
LABELS_K = [f"class {i}" for i in range(K)]
P_K = np.full(K, 1 / K)
SWEEP_K = np.tile(P_K, (len(TS), 1))
J3 = np.diag(P3) - np.outer(P3, P3)
BINS = (np.array([np.nan, 0.35, 0.75, 0.95]), np.array([np.nan, 0.3, 0.6, 0.7]), [0, 10, 40, 50])


def example(trace_types: list[str], *args: Any, **kwargs: Any) -> tuple:
    """Arguments for a builder, and the types of the traces it should draw from them."""
    return trace_types, args, kwargs


EXAMPLES: dict[str, list[tuple]] = {
    "probability_bars": [
        example(["bar"], LABELS, P3),
        example(["bar", "bar"], LABELS, [np.nan, np.inf, 0.5], title="Naive"),
        example(["bar", "bar"], ["a", "b"], [-np.inf, np.nan], highlight_argmax=False),
        example(["bar"], LABELS_K, P_K, font_size=28),
        example(["bar"], [], []),
    ],
    "grouped_bars": [
        example(["bar", "bar"], LABELS, {"softmax": P3, "ReLU": [0.0, 2.0, 0.5]}, title="t"),
        example(["bar"] * 7, LABELS, {f"s{i}": P3 * i for i in range(7)}, title="t", y_title="y"),
        example(["bar"], LABELS, {"broken": [np.nan, np.inf, -np.inf]}, title="t"),
    ],
    "exponent_bars": [
        example(
            ["bar", "scatter", "scatter"],
            LABELS,
            [800.0, 1.0, -800.0],
            overflow=709.78,
            underflow=-745.13,
            dtype="float64",
        ),
        example(
            ["bar", "scatter", "scatter"],
            LABELS,
            [2.0, 1.0, 0.1],
            overflow=88.72,
            underflow=-103.97,
            dtype="float32",
            font_size=24,
        ),
        example(
            ["bar", "scatter", "scatter"],
            ["a", "b"],
            [np.inf, -np.inf],
            overflow=11.09,
            underflow=-17.33,
            dtype="float16",
        ),
    ],
    "probability_vs_temperature": [
        example(
            ["scatter"] * 4, LABELS, TS, np.tile(P3, (len(TS), 1)), temperature=1.0, current=P3
        ),
        example(["scatter"] * (K + 1), LABELS_K, TS, SWEEP_K, temperature=80, current=P_K),
    ],
    "entropy_vs_temperature": [
        example(
            ["scatter", "scatter"],
            TS,
            np.linspace(0, math.log(3), len(TS)),
            temperature=1.0,
            current=0.8,
            n_classes=3,
        ),
        example(
            ["scatter", "scatter"],
            TS,
            np.zeros(len(TS)),
            temperature=0.01,
            current=0.0,
            n_classes=1,
            font_size=24,
        ),
    ],
    "sample_frequencies": [
        example(["bar", "scatter"], LABELS, P3, [659, 242, 99], seed=3),
        example(["bar", "scatter"], LABELS, P3, [0, 0, 0], seed=2**32 - 1),
    ],
    "filtered_bars": [  # the original, each filter's bars, then each filter's cut classes
        example(
            ["bar"] * 5,
            LABELS,
            P3,
            {"after top-k (k = 2)": [0.73, 0.27, 0.0], "after top-p (p = 0.5)": [1.0, 0.0, 0.0]},
            title="top-k with k = 2, top-p with p = 0.5",
        ),
        example(["bar"] * 3, LABELS_K, P_K, {"<i>after</i>": P_K}, title="<i>t</i>", font_size=12),
        example(["bar"] * 9, LABELS, P3, {f"f{i}": P3 for i in range(4)}, title="t"),
    ],
    "gradient_bars": [
        example(["bar"], LABELS, P3 - [1, 0, 0], target=0),
        example(["bar"], LABELS, [0.2, -3.5, 3.3], target=1, title="(p − y) / T"),
    ],
    "jacobian_heatmap": [
        example(["heatmap"], LABELS, J3),
        example(["heatmap"], LABELS_K, np.diag(P_K) - np.outer(P_K, P_K), font_size=24),
        example(["heatmap"], ["a", "b"], np.zeros((2, 2))),
    ],
    "loss_history": [
        example(["scatter"], [1.2, 0.8, 0.5]),
        example(["scatter"], np.geomspace(2, 0.01, 25), title="t"),
    ],
    "derivative_curves": [
        example(
            ["scatter"] * 4,
            X,
            {"s": X * 0, "r": X > 0},
            marks={"s": ([1.0], [0.2]), "r": ([1.0], [1.0])},
            mark_names=["dog"],
        ),
        example(["scatter"] * 2, X, {"s": X * 0, "r": X > 0}, steps=["r"]),
        example(["scatter"], [0.0], {"s": [0.25]}, font_size=24),
    ],
    "answers_chart": [
        example(["bar"], Tally(("dog", "cat", "<b>x</b>"), (2, 1, 0), 3), 5),
        example(["bar"], Tally(("dog", "cat"), (2, 1), 3), 3, right={"dog"}, font_size=24),
        example(["bar"], Tally((), (), 0), 0, title="<i>t</i>"),
    ],
    "reliability_diagram": [
        example(["scatter"] * 3, {"before": BINS, "after": BINS}),
        example(["scatter"] * 4, {"a": BINS, "b": BINS, "c": BINS}, font_size=24),
        example(["scatter"], {}),
    ],
}


def builders() -> dict[str, Callable[..., go.Figure]]:
    """Every public function of the figure modules that returns a ``go.Figure``."""
    found: dict[str, Callable[..., go.Figure]] = {}
    for module in MODULES:
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            if function.__module__ != module.__name__ or f"{module.__name__}.{name}" in (
                NOT_BUILDERS
            ):
                continue
            if inspect.signature(function, eval_str=True).return_annotation is go.Figure:
                assert name not in found, f"two builders are called {name}"
                found[name] = function
    return found


BUILDERS = builders()


def pair_builders() -> dict[str, Callable[..., tuple[go.Figure, go.Figure]]]:
    """Every public function of the figure modules that returns two figures side by side."""
    return {
        name: function
        for module in MODULES
        for name, function in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(function)
        and function.__module__ == module.__name__
        and inspect.signature(function, eval_str=True).return_annotation
        == tuple[go.Figure, go.Figure]
    }


PAIR_BUILDERS = pair_builders()
PAIR_EXAMPLES: dict[str, list[tuple]] = {
    "sweep_charts": [
        example(
            (["scatter"] * 4, ["scatter", "scatter"]),
            LABELS,
            TS,
            np.tile(P3, (len(TS), 1)),
            np.linspace(0, math.log(3), len(TS)),
            temperature=1.0,
            p=P3,
            H=0.8,
            font_size=16,
        ),
    ],
    "naive_and_stable_charts": [
        example(
            (["bar", "bar"], ["bar"]),
            LABELS,
            [np.nan, np.inf, 0.5],
            P3,
            exponent="(z + c)/T",
            naive_winners=[],
            stable_winners=[0],
            font_size=24,
        ),
        example(
            (["bar"], ["bar"]),
            LABELS,
            P3,
            P3,
            exponent="z",
            naive_winners=[0],
            stable_winners=[0],
            font_size=16,
        ),
    ],
}
CASES = [
    pytest.param(name, *case, id=f"{name}-{i}")
    for name, cases in EXAMPLES.items()
    for i, case in enumerate(cases)
]


def unset_values(value: Any, path: str = "") -> list[str]:
    """Paths in a plotly JSON tree that hold ``Undefined`` or ``None``."""
    if value is Undefined or value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in unset_values(v, f"{path}.{k}")]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in unset_values(v, f"{path}[{i}]")]
    return []


def sorted_json(fig: go.Figure) -> str:
    return json.dumps(json.loads(pio.to_json(fig, validate=False)), sort_keys=True)


def test_builders_are_found():
    assert {"probability_bars", "jacobian_heatmap", "entropy_vs_temperature"} <= set(BUILDERS)


def test_every_builder_has_examples_and_every_example_a_builder():
    assert set(BUILDERS) - set(EXAMPLES) == set(), "add examples for the new builder above"
    assert set(EXAMPLES) - set(BUILDERS) == set(), "examples for a function that is gone"
    assert all(EXAMPLES.values())


@pytest.mark.parametrize(("name", "trace_types", "args", "kwargs"), CASES)
def test_builder_output_passes_plotly_validation(name, trace_types, args, kwargs):
    fig = BUILDERS[name](*args, **kwargs)
    assert isinstance(fig, go.Figure)

    validated = go.Figure(fig.to_dict())  # full validation: ValueError if anything is invalid

    assert [trace.type for trace in fig.data] == trace_types
    assert [trace.type for trace in validated.data] == trace_types
    assert unset_values(fig.to_plotly_json()) == []
    assert sorted_json(validated) == sorted_json(fig), "validation would change the figure"


def test_every_pair_builder_has_examples():
    assert set(PAIR_BUILDERS) == set(PAIR_EXAMPLES) == {"sweep_charts", "naive_and_stable_charts"}


@pytest.mark.parametrize(
    ("name", "trace_types", "args", "kwargs"),
    [
        pytest.param(name, *case, id=f"{name}-{i}")
        for name, cases in PAIR_EXAMPLES.items()
        for i, case in enumerate(cases)
    ],
)
def test_pair_builder_output_passes_plotly_validation(name, trace_types, args, kwargs):
    pair = PAIR_BUILDERS[name](*args, **kwargs)
    assert len(pair) == 2
    for fig, types in zip(pair, trace_types, strict=True):
        validated = go.Figure(fig.to_dict())
        assert [trace.type for trace in fig.data] == types
        assert unset_values(fig.to_plotly_json()) == []
        assert sorted_json(validated) == sorted_json(fig), "validation would change the figure"


def test_the_check_catches_an_invalid_property():
    fig = figures.figure([{"type": "bar", "x": [1], "y": [1], "colour": "red"}], {})
    with pytest.raises(ValueError, match="colour"):
        go.Figure(fig.to_dict())

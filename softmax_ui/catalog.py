"""The lessons, in teaching order: where each lives and what it is for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    path: str
    title: str
    blurb: str


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "pages/1_📊_Playground.py",
        "Playground",
        "Edit logits and temperature; walk the formula step by step.",
    ),
    Lesson(
        "pages/2_🆚_Softmax_vs_Sigmoid_vs_ReLU.py",
        "Softmax vs sigmoid vs ReLU",
        "Which activation for which job: one choice, many labels, or a hidden layer.",
    ),
    Lesson(
        "pages/3_💥_Naive_vs_Stable.py",
        "Naive vs stable",
        "Why exp(z)/Σexp(z) returns NaN for large logits, and the max-shift that fixes it.",
    ),
)

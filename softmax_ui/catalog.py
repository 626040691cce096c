"""The lessons, in teaching order: where each lives and what it is for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "pages"


@dataclass(frozen=True)
class Lesson:
    path: str
    title: str
    blurb: str
    emoji: str = ""

    @property
    def icon(self) -> str:
        """The page's emoji: given, or the one in the file name (``pages/1_📊_…`` → ``📊``)."""
        if self.emoji:
            return self.emoji
        match = re.match(r"\d+_([^A-Za-z0-9_]+)_", self.path.rsplit("/", 1)[-1])
        return match.group(1) if match else "📄"


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
    Lesson(
        "pages/4_🔥_Temperature_and_Sampling.py",
        "Temperature & sampling",
        "From argmax to uniform; draw samples with a seed; top-k and top-p as in text generation.",
    ),
    Lesson(
        "pages/5_📉_Gradients_and_Cross_Entropy.py",
        "Gradients & cross-entropy",
        "The loss −log p, its gradient p − y, the Jacobian, and gradient steps you can take.",
    ),
    Lesson(
        "pages/6_🎯_Calibration.py",
        "Calibration",
        "Softmax outputs are confidences: measure overconfidence and fix it with one temperature.",
    ),
    Lesson(
        "pages/7_❓_Quiz.py",
        "Quiz",
        "Predict, then reveal: questions on every lesson, answered live from your logits.",
    ),
)


HOME = Lesson("app.py", "Home", "What softmax is, and a worked example.", emoji="🧮")
WORKSHOP = Lesson(
    "pages/8_🎬_Workshop.py",
    "Workshop",
    "For teachers: step through a deck of scenes on the projector, shared as one link.",
)


def navigation() -> tuple[Lesson, ...]:
    """Every page in menu order: home, the lessons, the workshop."""
    return (HOME, *LESSONS, WORKSHOP)


def page_slug(path: str) -> str:
    """The URL path Streamlit gives a page file.

    ``pages/3_💥_Naive_vs_Stable.py`` → ``Naive_vs_Stable``.

    The landing page (``app.py``) is ``""``.
    """
    if "/" not in path:
        return ""
    stem = path.rsplit("/", 1)[1].removesuffix(".py")
    stem = re.sub(r"^\d+_?", "", stem)
    return re.sub(r"^[^A-Za-z0-9]+", "", stem)


def page_path(slug: str, folder: Path = PAGES) -> str | None:
    """The script of the page at URL path ``slug``, or ``None`` if there is no such page."""
    if slug == "":
        return "app.py"
    for file in sorted(folder.glob("*.py")):
        path = f"pages/{file.name}"
        if page_slug(path) == slug:
            return path
    return None

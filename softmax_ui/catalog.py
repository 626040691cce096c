"""Every page of the app, in menu order: one table that the menu, the landing page, the
workshop deck and the tests all read.

A page's URL path (its *slug*) is what Streamlit's legacy ``pages/`` mode derives from the
file name: the number prefix is dropped (``pages/3_Naive_vs_Stable.py`` → ``Naive_vs_Stable``).
Icons are Material Symbols names, drawn with the font that ships inside Streamlit's frontend,
so they look the same on every machine, offline, with or without a colour-emoji font.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from softmax_ui.i18n import N_

ROOT = Path(__file__).resolve().parent.parent


APP_NAME = N_("Softmax, taught live")
"""The app's name (every page's title ends with it)."""


@dataclass(frozen=True)
class Page:
    path: str
    """The script, relative to the app's root: ``app.py`` or ``pages/N_Name.py``."""
    title: str
    """The menu's name, in English (marked with ``N_``: shown as ``_(page.title)``)."""
    icon: str
    """A Streamlit icon: ``:material/name:``."""
    blurb: str
    heading: str = ""
    """The page's own title, when it says more than the menu's (default: ``title``)."""
    tabs: tuple[str, ...] = ()
    """The tabs the lesson shows its further pictures in, one at a time (keys of
    ``softmax_ui.state.TABS``; the first is open by default): only the open tab is drawn."""
    settings: tuple[str, ...] = ()
    """The lesson settings (``LessonState`` fields) the page shows or uses: what a workshop
    scene of the page is described by (tests/ui/test_scenes.py proves the others change
    nothing on the page)."""
    charts: bool = False
    """The page draws a chart at its defaults: its HTML has the browser fetch Plotly's code
    from the start of a load (``softmax_ui.page_script.with_plotly_preload``;
    tests/ui/test_pages.py proves the mark against what each page draws)."""

    @property
    def page_title(self) -> str:
        return self.heading or self.title

    @property
    def slug(self) -> str:
        """The URL path Streamlit serves the page under (``""`` for the landing page)."""
        return page_slug(self.path)


HOME = Page(
    "app.py",
    N_("Home"),
    ":material/home:",
    N_("What softmax is, and a worked example."),
    heading=N_("Softmax, taught live"),
)
PLAYGROUND = Page(
    "pages/1_Playground.py",
    N_("Playground"),
    ":material/bar_chart:",
    N_("Edit logits and temperature; walk the formula step by step."),
    settings=("logits", "labels", "temperature"),
    charts=True,
)
VERSUS = Page(
    "pages/2_Softmax_vs_Sigmoid_vs_ReLU.py",
    N_("Softmax vs sigmoid vs ReLU"),
    ":material/compare_arrows:",
    N_("Which activation for which job: one choice, many labels, or a hidden layer."),
    settings=("logits", "labels", "temperature", "activations"),
    charts=True,
)
NAIVE = Page(
    "pages/3_Naive_vs_Stable.py",
    N_("Naive vs stable"),
    ":material/warning:",
    N_("Why exp(z)/Σexp(z) returns NaN for large logits, and the max-shift that fixes it."),
    settings=("logits", "labels", "temperature", "dtype", "offset"),
    charts=True,
)
TEMPERATURE = Page(
    "pages/4_Temperature_and_Sampling.py",
    N_("Temperature & sampling"),
    ":material/thermostat:",
    N_("From argmax to uniform; draw samples with a seed; top-k and top-p as in text generation."),
    tabs=("sweep", "sampling", "filters"),
    settings=("logits", "labels", "temperature", "tab", "seed", "n_samples", "top_k", "top_p"),
    charts=True,
)
GRADIENTS = Page(
    "pages/5_Gradients_and_Cross_Entropy.py",
    N_("Gradients & cross-entropy"),
    ":material/trending_down:",
    N_("The loss −log p, its gradient p − y, the Jacobian, and gradient steps you can take."),
    tabs=("gradient", "steps", "jacobian", "relu", "keras"),
    settings=("logits", "labels", "temperature", "tab", "target", "learning_rate"),
    charts=True,
)
CALIBRATION = Page(
    "pages/6_Calibration.py",
    N_("Calibration"),
    ":material/target:",
    N_("Softmax outputs are confidences: measure overconfidence and fix it with one temperature."),
    settings=("calib_classes", "overconfidence", "seed"),
    charts=True,
)
QUIZ = Page(
    "pages/7_Quiz.py",
    N_("Quiz"),
    ":material/quiz:",
    N_("Predict, then reveal: questions on every lesson, answered live from your logits."),
    settings=("logits", "labels", "seed"),
    heading=N_("Quiz: predict, then reveal"),
)
WORKSHOP = Page(
    "pages/8_Workshop.py",
    N_("Workshop"),
    ":material/slideshow:",
    N_("Step through a deck of scenes on the projector, shared as one link."),
)

LIVE = Page(
    "pages/9_Live_class.py",
    N_("Live class"),
    ":material/cast_for_education:",
    N_("Students join with a code, follow your screen and answer your questions."),
    heading=N_("Live class: lead the room"),
)
LIVE_STUDENT_HEADING = N_("Live class: follow and answer")
"""The class page's title for a student who joined (the teacher's reads "lead the room")."""

LESSONS: tuple[Page, ...] = (
    PLAYGROUND,
    VERSUS,
    NAIVE,
    TEMPERATURE,
    GRADIENTS,
    CALIBRATION,
    QUIZ,
)
"""The lessons, in teaching order."""

PAGES: tuple[Page, ...] = (HOME, *LESSONS, WORKSHOP, LIVE)
"""Every page in menu order: home, the lessons, the workshop, the live class."""


def page_slug(path: str) -> str:
    """The URL path Streamlit gives a page file.

    >>> page_slug("pages/3_Naive_vs_Stable.py"), page_slug("app.py")
    ('Naive_vs_Stable', '')
    """
    if "/" not in path:
        return ""
    stem = path.rsplit("/", 1)[1].removesuffix(".py")
    return re.sub(r"^\d+_?", "", stem)


def page_of(slug: str) -> Page | None:
    """The page at URL path ``slug``, or ``None`` if there is no such page.

    >>> page_of("Quiz") is QUIZ, page_of("nope")
    (True, None)
    """
    return next((page for page in PAGES if page.slug == slug), None)


def page_path(slug: str) -> str | None:
    """The script of the page at URL path ``slug``, or ``None`` if there is no such page."""
    page = page_of(slug)
    return page.path if page else None

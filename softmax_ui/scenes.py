"""Workshop scenes: an ordered deck of saved views a teacher steps through.

A scene is a page plus the URL settings it shows (logits, labels, T, dtype…: every lesson
setting of :data:`softmax_ui.state.PARAMS`).
A deck travels in one URL parameter, so a whole workshop is a single link. Pure
Python (no Streamlit), tested directly.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

MAX_SCENES = 20


@dataclass(frozen=True)
class Scene:
    page: str
    """URL path of the page, e.g. ``"Naive_vs_Stable"`` (``""`` is the landing page)."""
    title: str
    query: str
    """The page's settings as a query string, e.g. ``"z=1000,1001,1002&labels=a,b,c"``."""

    def settings(self) -> dict[str, str]:
        """The query as a dict; which keys are lesson settings is the lesson state's table
        (:func:`softmax_ui.state.lesson_settings`)."""
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def readable_settings(self) -> str:
        """The settings as words that wrap on a narrow screen.

        >>> Scene("", "x", "z=2,1&T=0.5").readable_settings()
        'z = 2, 1 · T = 0.5'
        """
        return " · ".join(f"{k} = {v.replace(',', ', ')}" for k, v in self.settings().items())


def scene_from(page: str, title: str, settings: dict[str, str]) -> Scene:
    """A scene of ``page`` showing ``settings`` (see :meth:`LessonState.as_scene`)."""
    return Scene(page, title, urlencode(settings, safe=","))


DEFAULT_DECK: tuple[Scene, ...] = (
    Scene("", "Scores become probabilities", "z=2,1,0.1&labels=dog,cat,bird&T=1"),
    Scene("Playground", "Temperature sharpens and flattens", "z=2,1,0.1&labels=dog,cat,bird&T=0.5"),
    Scene(
        "Temperature_and_Sampling",
        "Temperature drives text generation",
        "z=4.1,3.6,3.2,2.5,1.9,1.2,0.4,-0.5"
        "&labels=mat,sofa,floor,bed,roof,table,moon,piano&T=1&top_k=3&top_p=0.9",
    ),
    Scene("Naive_vs_Stable", "The naive formula overflows", "z=1000,1001,1002&labels=a,b,c&T=1"),
    Scene(
        "Naive_vs_Stable",
        "The max-shift fixes it (slide c)",
        "z=2,1,0.1&labels=dog,cat,bird&T=1&dtype=float16&offset=9.5",
    ),
    Scene(
        "Softmax_vs_Sigmoid_vs_ReLU",
        "One answer, many labels, or a hidden layer",
        "z=-1,0.5,2&labels=cat,dog,outdoors&T=1",
    ),
    Scene(
        "Gradients_and_Cross_Entropy",
        "Softmax trains: the gradient is p − y",
        "z=2,1,0.1&labels=dog,cat,bird&T=1&target=1",
    ),
    Scene("Calibration", "Confident is not the same as right", "z=2,1,0.1&labels=dog,cat,bird&T=1"),
)


def encode_deck(deck: tuple[Scene, ...]) -> str:
    """Pack a deck into one URL-safe token (compressed JSON, base64url)."""
    raw = json.dumps([[s.page, s.title, s.query] for s in deck], separators=(",", ":"))
    return base64.urlsafe_b64encode(zlib.compress(raw.encode(), 9)).decode().rstrip("=")


def decode_deck(token: str) -> tuple[Scene, ...]:
    """Unpack :func:`encode_deck`'s token; :class:`ValueError` for anything malformed."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,4000}", token):
        raise ValueError("The deck in this link is not in the expected form.")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        raw = zlib.decompressobj().decompress(packed, 64_000)
        items = json.loads(raw)
    except (ValueError, zlib.error):
        raise ValueError("The deck in this link is damaged (it could not be unpacked).") from None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_SCENES:
        raise ValueError(f"A deck holds 1 to {MAX_SCENES} scenes.")
    deck = []
    for item in items:
        if (
            not isinstance(item, list)
            or len(item) != 3
            or not all(isinstance(part, str) and len(part) <= 1000 for part in item)
            or not re.fullmatch(r"[A-Za-z_]*", item[0])
        ):
            raise ValueError("A scene in this link's deck is malformed.")
        deck.append(Scene(*item))
    return tuple(deck)

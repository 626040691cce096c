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

from softmax_ui.i18n import N_, _, group
from softmax_ui.text import clean_text

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


def scene_from(page: str, title: str, settings: dict[str, str]) -> Scene:
    """A scene of ``page`` showing ``settings`` (see :meth:`LessonState.as_scene`)."""
    return Scene(page, title, urlencode(settings, safe=","))


DEFAULT_DECK: tuple[Scene, ...] = (
    Scene("", N_("Scores become probabilities"), "z=2,1,0.1&labels=dog,cat,bird&T=1"),
    Scene(
        "Playground", N_("Temperature sharpens and flattens"), "z=2,1,0.1&labels=dog,cat,bird&T=0.5"
    ),
    Scene(
        "Temperature_and_Sampling",
        N_("Temperature drives text generation"),
        "z=4.1,3.6,3.2,2.5,1.9,1.2,0.4,-0.5"
        "&labels=mat,sofa,floor,bed,roof,table,moon,piano&T=1&top_k=3&top_p=0.9&tab=filters",
    ),
    Scene(
        "Naive_vs_Stable", N_("The naive formula overflows"), "z=1000,1001,1002&labels=a,b,c&T=1"
    ),
    Scene(
        "Naive_vs_Stable",
        N_("The max-shift fixes it (slide c)"),
        "z=2,1,0.1&labels=dog,cat,bird&T=1&dtype=float16&offset=9.5",
    ),
    Scene(
        "Softmax_vs_Sigmoid_vs_ReLU",
        N_("One answer, many labels, or a hidden layer"),
        "z=-1,0.5,2&labels=cat,dog,outdoors&T=1",
    ),
    Scene(
        "Gradients_and_Cross_Entropy",
        N_("Softmax trains: the gradient is p − y"),
        "z=2,1,0.1&labels=dog,cat,bird&T=1&target=1",
    ),
    Scene(
        "Calibration", N_("Confident is not the same as right"), "z=2,1,0.1&labels=dog,cat,bird&T=1"
    ),
)


def encode_deck(deck: tuple[Scene, ...]) -> str:
    """Pack a deck into one URL-safe token (compressed JSON, base64url)."""
    raw = json.dumps([[s.page, s.title, s.query] for s in deck], separators=(",", ":"))
    return base64.urlsafe_b64encode(zlib.compress(raw.encode(), 9)).decode().rstrip("=")


# --- reading a deck from a link: hostile input ---------------------------------------------------
# A deck token comes from a URL anyone can write. It is read in bounded steps, each refusing
# with ValueError: the token's size and alphabet, base64, zlib with a cap on the output (no
# decompression bomb), strict UTF-8, then the exact JSON shape [[str, str, str], ...] checked by
# a regular expression *before* json.loads (so no nesting bomb reaches the recursive parser),
# and finally the same rules the Workshop applies before it adds a scene (check_deck).

MAX_TOKEN_LENGTH = 4000
"""Longest deck token a link may carry: with the lesson's own settings the link stays well
inside what browsers, Streamlit's server and the HAProxy in deploy/ accept (16 KB request)."""
MAX_DECK_BYTES = 64_000
"""Largest unpacked deck (JSON bytes); the zlib stream is never inflated further."""
MAX_TITLE_LENGTH = 60
"""Longest scene title, in characters (the Workshop's title box allows as many)."""
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_JSON_STRING = r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"'
_WS = r"[ \t\n\r]*"  # JSON whitespace
_JSON_SCENE = rf"\[{_WS}{_JSON_STRING}{_WS},{_WS}{_JSON_STRING}{_WS},{_WS}{_JSON_STRING}{_WS}\]"
_JSON_DECK = re.compile(rf"{_WS}\[{_WS}{_JSON_SCENE}(?:{_WS},{_WS}{_JSON_SCENE})*{_WS}\]{_WS}")
_QUERY = re.compile(r"[A-Za-z0-9_.~,%+=&-]*")
"""What :func:`scene_from` writes: ``urlencode`` output (unreserved characters, ``%XX``, ``+``)."""
_SLUG = re.compile(r"[A-Za-z0-9_]*")


def check_scene(scene: Scene) -> None:
    """:class:`ValueError` (saying why) unless ``scene`` is one the app can write and read."""
    from softmax_ui.catalog import PAGES  # the catalog is pure; imported here to stay light

    if not isinstance(scene.page, str) or not _SLUG.fullmatch(scene.page):
        raise ValueError(_("it names a page in an unexpected form"))
    if scene.page not in {page.slug for page in PAGES}:
        raise ValueError(
            _("it names a page this app does not have ({page})").format(page=repr(scene.page[:40]))
        )
    if not isinstance(scene.title, str) or not scene.title:
        raise ValueError(_("it has no title"))
    if len(scene.title) > MAX_TITLE_LENGTH:
        raise ValueError(_("its title is longer than {n} characters").format(n=MAX_TITLE_LENGTH))
    if scene.title != clean_text(scene.title):
        raise ValueError(_("its title contains control characters or extra spaces"))
    if not isinstance(scene.query, str) or not _QUERY.fullmatch(scene.query):
        raise ValueError(_("its settings are not in the form this app writes"))
    keys = [key for key, _ in parse_qsl(scene.query, keep_blank_values=True)]
    if len(keys) != len(set(keys)):
        raise ValueError(_("it gives the same setting twice"))


def check_deck(deck: tuple[Scene, ...]) -> None:
    """:class:`ValueError` unless ``deck`` is a deck a link can carry and the app reads back.

    The Workshop calls this before it adds a scene, and :func:`decode_deck` after unpacking a
    link, so what the Workshop lets a teacher build is exactly what a link may bring.
    """
    if not 1 <= len(deck) <= MAX_SCENES:
        raise ValueError(
            _("A deck holds 1 to {n} scenes; this one has {m}.").format(n=MAX_SCENES, m=len(deck))
        )
    for number, scene in enumerate(deck, start=1):
        try:
            check_scene(scene)
        except ValueError as err:
            raise ValueError(
                _("Scene {number} of the deck is refused: {problem}.").format(
                    number=number, problem=err
                )
            ) from None
    length = len(encode_deck(deck))
    if length > MAX_TOKEN_LENGTH:
        raise ValueError(
            _(
                "The deck would take {length} characters in the link, more than the {limit} a "
                "link can safely carry: shorten the scene titles or labels, or remove a scene."
            ).format(length=group(length), limit=group(MAX_TOKEN_LENGTH))
        )


def decode_deck(token: str) -> tuple[Scene, ...]:
    """Unpack :func:`encode_deck`'s token; :class:`ValueError` for anything malformed.

    Every step is bounded (see the comment above), so no token can make it recurse, allocate
    more than :data:`MAX_DECK_BYTES` or raise anything but :class:`ValueError`.
    """
    if not isinstance(token, str) or not token:
        raise ValueError(_("The deck in this link is empty."))
    if len(token) > MAX_TOKEN_LENGTH:
        raise ValueError(
            _(
                "The deck in this link is {length} characters long, more than the {limit} a "
                "deck may take."
            ).format(length=group(len(token)), limit=group(MAX_TOKEN_LENGTH))
        )
    if not _TOKEN.fullmatch(token) or len(token) % 4 == 1:
        raise ValueError(_("The deck in this link is not in the expected form."))
    damaged = _("The deck in this link is damaged (it could not be unpacked).")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflate = zlib.decompressobj()
        raw = inflate.decompress(packed, MAX_DECK_BYTES + 1)
    except (ValueError, zlib.error):
        raise ValueError(damaged) from None
    if len(raw) > MAX_DECK_BYTES or inflate.unconsumed_tail:
        raise ValueError(
            _("The deck in this link unpacks to more than {n} bytes.").format(
                n=group(MAX_DECK_BYTES)
            )
        )
    if not inflate.eof or inflate.unused_data:
        raise ValueError(damaged)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(damaged) from None
    if not _JSON_DECK.fullmatch(text):
        raise ValueError(
            _("The deck in this link is not a list of scenes [page, title, settings].")
        )
    try:
        items = json.loads(text)
    except ValueError:  # the pattern above admits only valid JSON; kept as a second guard
        raise ValueError(damaged) from None
    deck = tuple(Scene(*item) for item in items)
    check_deck(deck)
    return deck

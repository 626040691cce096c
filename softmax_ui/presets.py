"""Ready-made logits a teacher can load with one click.

Each preset is a small story: where such logits come from and what to look for. Names,
stories and class names are written in English and marked for translation (``N_``): a preset
loads with its class names in the reader's language (:meth:`Preset.labels_in`).
"""

from __future__ import annotations

from dataclasses import dataclass

from softmax_ui.i18n import LANGUAGES, N_, NP_, _, language, pgettext

CLASS = "class name"
"""The translation context of class names (``table`` the furniture, not a table of numbers)."""


@dataclass(frozen=True)
class Preset:
    name: str
    logits: tuple[float, ...]
    labels: tuple[str, ...]
    """The class names in English (translated when loaded)."""
    story: str

    def labels_in(self, lang: str | None = None) -> tuple[str, ...]:
        """The class names in ``lang`` (default: the reader's language)."""
        if lang is None:
            return tuple(pgettext(CLASS, label) for label in self.labels)
        with language(lang):
            return tuple(pgettext(CLASS, label) for label in self.labels)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            N_("Dog / cat / bird"),
            (2.0, 1.0, 0.1),
            (NP_("class name", "dog"), NP_("class name", "cat"), NP_("class name", "bird")),
            N_(
                "An image classifier's scores for one photo: at T = 1 softmax gives "
                "0.659 / 0.242 / 0.099."
            ),
        ),
        Preset(
            N_("Handwritten digit (0-9)"),
            (-1.2, 0.3, 1.1, 6.2, -2.0, 2.4, -0.8, 0.9, 3.1, 1.7),
            tuple(str(d) for d in range(10)),
            N_(
                "The 10 outputs of an MNIST network for a sloppy '3' that looks a little like an 8."
            ),
        ),
        Preset(
            N_("Next word (NLP)"),
            (4.1, 3.6, 3.2, 2.5, 1.9, 1.2, 0.4, -0.5),
            (
                NP_("class name", "mat"),
                NP_("class name", "sofa"),
                NP_("class name", "floor"),
                NP_("class name", "bed"),
                NP_("class name", "roof"),
                NP_("class name", "table"),
                NP_("class name", "moon"),
                NP_("class name", "piano"),
            ),
            N_(
                "A language model completing 'The cat sat on the …': temperature, top-k and "
                "top-p decide which word is written."
            ),
        ),
        Preset(
            N_("Game action"),
            (1.5, 0.2, 2.3, -0.7),
            (
                NP_("class name", "left"),
                NP_("class name", "right"),
                NP_("class name", "jump"),
                NP_("class name", "wait"),
            ),
            N_("A game agent's policy network: softmax turns action scores into a choice."),
        ),
        Preset(
            N_("Overflow trap"),
            (1000.0, 1001.0, 1002.0),
            ("a", "b", "c"),
            N_(
                "exp(1000) is too large for float16, float32 and float64: at T = 1 the naive "
                "formula returns NaN, the stable one 0.090 / 0.245 / 0.665."
            ),
        ),
        Preset(
            N_("Underflow trap"),
            (-1000.0, -1000.0, -1000.0),
            ("a", "b", "c"),
            N_(
                "exp(-1000) rounds to 0: at T = 1 the naive formula divides 0 by 0, the stable "
                "one gives 1/3 each."
            ),
        ),
        Preset(
            N_("A tie"),
            (1.0, 1.0, 0.0),
            (NP_("class name", "heads"), NP_("class name", "tails"), NP_("class name", "edge")),
            N_("Two equal logits get equal probability, whatever the temperature."),
        ),
    )
}

DEFAULT_LABELS = PRESETS["Dog / cat / bird"].labels
"""The class names of the lesson state's default example (softmax_ui.state.LessonState)."""

OUTDOORS = NP_("class name", "outdoors")
"""A class name of the default deck's scenes that no preset has (softmax_ui.scenes)."""

EXAMPLE_LABELS: tuple[tuple[str, ...], ...] = (
    *(preset.labels for preset in PRESETS.values()),
    ("cat", "dog", OUTDOORS),  # the default deck's scene 6 (softmax_ui.scenes.DEFAULT_DECK)
)
"""Every set of class names of the app's own examples (English msgids, "class name")."""


def in_language(labels: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """``labels`` in language ``lang`` if they are a preset's class names in any language (a
    Spanish teacher's perro, gato, pájaro are a French student's chien, chat, oiseau), or the
    names the example gives more classes (:func:`example_defaults`: a Spanish teacher's
    fourth logit made "perro, gato, pájaro, clase 4", names nobody typed, and an English
    student read them in Spanish); any other labels are the teacher's own and stay as typed.

    >>> in_language(("perro", "gato", "pájaro"), "fr"), in_language(("perro", "b2"), "fr")
    (('chien', 'chat', 'oiseau'), ('perro', 'b2'))
    >>> in_language(("perro", "gato", "pájaro", "clase 4"), "en")
    ('dog', 'cat', 'bird', 'class 4')
    >>> in_language(("perro", "gato", "pájaro", "gatito"), "en")
    ('perro', 'gato', 'pájaro', 'gatito')

    So are the default deck's own names: scene 6's "chat, chien, extérieur" (a French
    teacher's) reached a Spanish student as typed (a projector tour).

    >>> in_language(("chat", "chien", "extérieur"), "es")
    ('gato', 'perro', 'exterior')
    """
    for old in LANGUAGES:
        moved = translate_labels(labels, old, lang)
        if moved != labels:
            return moved
        if old != lang and labels == example_defaults(len(labels), old):
            return example_defaults(len(labels), lang)
    return labels


def example_defaults(k: int, lang: str) -> tuple[str, ...]:
    """The names ``k`` classes get from the example in language ``lang`` (its names, then
    "class 4", …, as :meth:`~softmax_ui.state.LessonState.with_classes` names new ones).

    >>> example_defaults(2, "fr"), example_defaults(5, "es")
    (('chien', 'chat'), ('perro', 'gato', 'pájaro', 'clase 4', 'clase 5'))
    """
    names = PRESETS["Dog / cat / bird"].labels_in(lang)[:k]
    with language(lang):
        numbered = tuple(_("class {k}").format(k=i) for i in range(len(names) + 1, k + 1))
    return names + numbered


def translate_labels(labels: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    """``labels`` in language ``new`` if they are a preset's class names in language ``old``
    (the reader switched language); any other labels are the teacher's own and stay as typed.

    >>> translate_labels(("dog", "cat", "bird"), "en", "en")
    ('dog', 'cat', 'bird')
    >>> translate_labels(("Dog", "cat", "bird"), "en", "es")
    ('Dog', 'cat', 'bird')
    """
    for names in EXAMPLE_LABELS:
        if _names_in(names, old) == labels:
            return _names_in(names, new)
    return labels


def _names_in(names: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """Class names (English msgids) in language ``lang``."""
    with language(lang):
        return tuple(pgettext(CLASS, name) for name in names)


def example_names(labels: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    """:func:`translate_labels`, and also the names a link without names gets with more or
    fewer classes than the example's: its names first, then "class 4", … (a French link with
    four logits read "dog, cat, bird, classe 4"). Names of the example's, in language
    ``old``, are written in language ``new``; any other name stays as typed.

    >>> example_names(("dog", "cat", "bird", "class 4"), "en", "es")
    ('perro', 'gato', 'pájaro', 'clase 4')
    >>> example_names(("perro", "gato"), "es", "fr"), example_names(("a", "cat"), "en", "fr")
    (('chien', 'chat'), ('a', 'cat'))
    >>> example_names(("dog", "cat", "bird", "classe 4"), "en", "fr")  # already French
    ('chien', 'chat', 'oiseau', 'classe 4')
    """
    whole = translate_labels(labels, old, new)
    if whole != labels:
        return whole
    before = PRESETS["Dog / cat / bird"].labels_in(old)
    after = PRESETS["Dog / cat / bird"].labels_in(new)
    same = 0
    while same < min(len(labels), len(before)) and labels[same] == before[same]:
        same += 1
    if not same:
        return labels
    rest = []
    for k, label in enumerate(labels[same:], start=same + 1):
        with language(old):
            numbered = _("class {k}").format(k=k)
        with language(new):
            rest.append(_("class {k}").format(k=k) if label == numbered else label)
    return after[:same] + tuple(rest)

"""The lesson state: one immutable value shared by every page, and its URL form.

Everything a page shows is a function of a :class:`LessonState`. Widgets never
hold the truth: they propose a change, :meth:`LessonState.replace` validates it
(raising :class:`ValueError` with a message meant for a student), and only a
valid state is kept. The same validation reads a shared link, so a tampered URL
parameter is reported and ignored instead of breaking the page.

This module is pure Python (no Streamlit) so it is tested directly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

from softmax_ui.i18n import N_, _, decimal_comma, group, localize, ngettext, pgettext
from softmax_ui.scenes import (
    DEFAULT_DECK,
    MAX_TOKEN_LENGTH,
    Scene,
    decode_deck,
    encode_deck,
    scene_from,
)
from softmax_ui.text import clean_text, list_separator, quoted

MIN_CLASSES = 2
MAX_CLASSES = 20
LOGIT_LIMIT = 10_000.0
"""Largest |logit| accepted: far enough for float64 to overflow (exp(709.79) = inf)."""
OFFSET_LIMIT = 10_000.0
MAX_SAMPLES = 10_000
"""The most samples a sampling picture draws (N)."""
T_MIN, T_MAX = 0.01, 100.0
MAX_LABEL_LENGTH = 24
DTYPES = ("float16", "float32", "float64")
ACTIVATIONS = ("sigmoid", "relu", "leaky_relu", "silu")
ACTIVATION_NAMES = {
    "sigmoid": N_("sigmoid"),
    "relu": "ReLU",
    "leaky_relu": N_("leaky ReLU (slope 0.01)"),
    "silu": "SiLU (x·sigmoid x)",
}
"""Each activation's name as shown (translated with ``_`` where it is shown)."""
TABS = {
    "sweep": N_("From argmax to uniform"),
    "sampling": N_("Sampling"),
    "filters": N_("Top-k and top-p"),
    "gradient": N_("Gradient"),
    "steps": N_("Learning"),
    "jacobian": N_("Jacobian"),
    "relu": "ReLU",
    "keras": "Keras",
}
"""The tabs a lesson shows its further pictures in, one at a time, and each tab's label
(translated with ``_`` where it is shown; short, so that a lesson's tabs fit a phone's
width). Only the open tab is drawn (and redrawn when a setting it shows changes)."""
HIDEABLE = ("editor", "temperature", "table", "explanation")
"""Parts of a page a teacher may hide from the students' view in presenter mode."""


VALUE = N_("value")


def parse_number(text: str, what: str = VALUE, *, comma: bool = False) -> float:
    """Read one finite number typed by a person (``'2'``, ``'-0.5'``, ``'1e3'``).

    With ``comma``, a decimal comma is read too (``'-0,5'``, as Spanish and French write
    it); a number never has thousands separators. ``what`` names the number in messages
    (English, marked with ``N_``: the message is in the reader's language).

    >>> parse_number("-0,5", comma=True), parse_number("\u22121e3")
    (-0.5, -1000.0)
    >>> parse_number("1 000", comma=True), parse_number("12 345,5", comma=True)
    (1000.0, 12345.5)
    >>> parse_number("1.000", comma=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: “1.000” could be read two ways: write a thousand as 1000 and ...
    >>> parse_number("1_0")
    Traceback (most recent call last):
    ...
    ValueError: “1_0” is not a number: type digits, e.g. 2 or -0.5.
    """
    typed = text.strip()[:20]  # what a message quotes: as typed, not as read (a point for a comma)
    cleaned = text.strip().replace("\u2212", "-")  # accept the typographic minus sign
    if not cleaned:
        raise ValueError(
            _("The {what} is empty: type a number such as 2 or -0.5.").format(what=_(what))
        )
    if comma and re.fullmatch(r"-?\d{1,3}([ \u00a0\u202f]\d{3})+(,\d+)?", cleaned):
        # "1 000", as French and Spanish group thousands (it was "not a number": a tour)
        cleaned = re.sub(r"[ \u00a0\u202f]", "", cleaned)
    if comma and re.fullmatch(r"-?[1-9]\d{0,2}(\.\d{3})+", cleaned):
        # "1.000": a thousand with a point for its group, or 1 with three decimals (a
        # Spanish "1.000" was read as 1 and judged right: a tour), as English refuses "1,000"
        raise ValueError(
            _(
                "{text} could be read two ways: write a thousand as 1000 and decimals with a "
                "comma, e.g. -0,5."
            ).format(text=quoted(typed))
        )
    if comma and "," in cleaned:
        if "." in cleaned or cleaned.count(",") > 1:
            raise ValueError(
                _("{text} is not a number: write one decimal sign, e.g. -0,5.").format(
                    text=quoted(typed)  # the reader's quotation marks, not Python's
                )
            )
        cleaned = cleaned.replace(",", ".")
    try:
        if "_" in cleaned:  # Python reads 1_0 as 10: a thousands separator to a person
            raise ValueError(cleaned)
        value = float(cleaned)
    except ValueError:
        raise ValueError(
            _("{text} is not a number: type digits, e.g. 2 or -0.5.").format(text=quoted(typed))
        ) from None
    if math.isnan(value):
        raise ValueError(
            _("The {what} is NaN (not a number): type a real number.").format(what=_(what))
        )
    if math.isinf(value):
        raise ValueError(
            _("The {what} {text} is infinite: it must be a finite number.").format(
                what=_(what), text=quoted(typed)
            )
        )
    return value


def parse_logits(text: str) -> tuple[float, ...]:
    """Read a pasted list of logits such as ``'2, 1, 0.1'``, ``'[2 1 0.1]'`` or, written the
    Spanish or French way, ``'2; 1; 0,1'``.

    One rule, the same in every language, so a list is never read two ways: if the text has a
    semicolon, or spaces alone separate its numbers, every comma sits inside one of them and
    none has a point (``'1,5 2 0,3'``, as a Spanish or French reader writes it), a comma is a
    decimal comma and semicolons and spaces separate the numbers; otherwise commas (and
    spaces) separate them and the decimal sign is a point.

    Raises :class:`ValueError` with a message that says what is wrong.

    >>> parse_logits("2; 1; 0,1"), parse_logits("2, 1, 0.1"), parse_logits("[2 -1.5]")
    ((2.0, 1.0, 0.1), (2.0, 1.0, 0.1), (2.0, -1.5))

    A list that this rule would read as commas between numbers, yet whose commas are written
    two ways, some with a space after them and some between two digits, is refused rather
    than guessed: ``'2,5, -1, 0'`` (a French reader's 2.5, -1 and 0) read as 2, 5, -1 and 0.

    >>> parse_logits("1,5 2 -0,3"), parse_logits("1,5,2 0"), parse_logits("2,1 0.1")
    ((1.5, 2.0, -0.3), (1.0, 5.0, 2.0, 0.0), (2.0, 1.0, 0.1))
    >>> parse_logits("2,5, -1, 0")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Is 2,5 one number or two? ... commas (2,5; -1; 0), or write 2.5 with a point.
    """
    inner = text.strip().strip("[]()")
    decimal_commas = ";" in inner or _commas_inside_spaced_numbers(inner)
    pair = re.search(r"\d+,\d+", inner)
    if not decimal_commas and "." not in inner and pair and re.search(r",\s", inner):
        numbers = re.split(r",\s+", inner)
        raise ValueError(
            _(
                "Is {pair} one number or two? Some commas here have a space after them and "
                "some do not. Put semicolons between the numbers to write decimal commas "
                "({example}), or write {point} with a point."
            ).format(
                pair=pair.group(),
                example="; ".join(numbers)
                if all(_COMMA_NUMBER.match(n) for n in numbers)
                else "2,5; -1; 0",  # the text is the reader's: only numbers are quoted
                point=pair.group().replace(",", "."),
            )
        )
    parts = [p for p in re.split(r"[;\s]+" if decimal_commas else r"[,;\s]+", inner) if p]
    if not parts:
        raise ValueError(_("The list is empty: paste numbers separated by commas, e.g. 2, 1, 0.1."))
    values = tuple(parse_number(p, N_("logit"), comma=decimal_commas) for p in parts)
    check_logits(values)
    return values


_COMMA_NUMBER = re.compile(r"[-+]?\d+(,\d+)?([eE][-+]?\d+)?\Z")
"""A number written with a decimal comma, or none: what a refusal may quote of the text."""


def _commas_inside_spaced_numbers(text: str) -> bool:
    """Whether spaces alone separate the numbers of ``text``, each comma is inside one (a
    digit on both sides, at most one per number) and no number has a point: ``'1,5 2 0,3'``,
    not ``'1, 5'`` nor ``'2,1 0.1'`` (a list written the English way, a space left out)."""
    words = text.split()
    return (
        len(words) > 1
        and "," in text
        and "." not in text
        and all(word.count(",") <= 1 for word in words)
        and re.search(r"(?<!\d),|,(?!\d)", text) is None
    )


def format_number(value: float) -> str:
    """Shortest text that reads back as the same float (``2.0`` → ``'2'``): the URL's form,
    the same in every language."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def format_logits(values: tuple[float, ...]) -> str:
    """The logits as the reader writes a list: ``2, 1, 0.1`` in English, ``2; 1; 0,1`` in
    Spanish and French (decimal comma); :func:`parse_logits` reads either back exactly.

    >>> from softmax_ui.i18n import language
    >>> with language("fr"):
    ...     format_logits((2.0, -1e-300, 0.1))
    '2; -1e-300; 0,1'
    """
    if decimal_comma():
        return "; ".join(localize(format_number(v)) for v in values)
    return ", ".join(format_number(v) for v in values)


def logit_list(values: tuple[float, ...]) -> str:
    """The logits in a sentence: exact, as :func:`format_logits` writes them, with the
    reader's list separator (French puts a narrow no-break space before the semicolon,
    which a typed list does without).

    >>> from softmax_ui.i18n import language
    >>> with language("fr"):
    ...     logit_list((2.0, -1e-300, 0.1))
    '2\u202f; -1e-300\u202f; 0,1'
    """
    return list_separator().join(shown_number(v) for v in values)


def shown_number(value: float) -> str:
    """A number in a message: exact (:func:`format_number`), the reader's decimal sign; zero
    without a sign (a quiz answer typed "-0" was echoed "You said -0": a tour).

    >>> from softmax_ui.i18n import language
    >>> with language("fr"):
    ...     shown_number(-0.0), shown_number(-0.25)
    ('0', '-0,25')
    """
    return localize(format_number(value + 0.0))


def check_logits(values: tuple[float, ...]) -> None:
    if not MIN_CLASSES <= len(values) <= MAX_CLASSES:
        raise ValueError(
            _("Softmax here needs {low} to {high} classes; you gave {n}.").format(
                low=MIN_CLASSES, high=MAX_CLASSES, n=len(values)
            )
        )
    for i, v in enumerate(values, start=1):
        if not isinstance(v, int | float) or not math.isfinite(v):
            raise ValueError(
                _("Logit {i} is {value}: every logit must be a finite number.").format(
                    i=i, value=repr(v)
                )
            )
        if abs(v) > LOGIT_LIMIT:
            raise ValueError(
                _("Logit {i} is {value}: keep logits between {low} and {high}.").format(
                    i=i, value=shown_number(v), low=group(-LOGIT_LIMIT), high=group(LOGIT_LIMIT)
                )
            )


def clean_label(text: str) -> str:
    """A class label as it will be shown: trimmed, no control characters."""
    return clean_text(text)


def check_labels(labels: tuple[str, ...], n: int) -> None:
    if len(labels) != n:
        raise ValueError(
            ngettext(
                "There are {n} logits but {m} label.",
                "There are {n} logits but {m} labels.",
                len(labels),
            ).format(n=n, m=len(labels))
        )
    for i, label in enumerate(labels, start=1):
        if not label:
            raise ValueError(_("Label {i} is empty: give every class a name.").format(i=i))
        if len(label) > MAX_LABEL_LENGTH:
            raise ValueError(
                _("Label {i} is longer than {n} characters.").format(i=i, n=MAX_LABEL_LENGTH)
            )
        if label != clean_label(label):
            raise ValueError(
                _("Label {i} contains control characters or extra spaces.").format(i=i)
            )
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise ValueError(
                _("Two classes are called {label}: labels must be different.").format(
                    label=quoted(label)
                )
            )
        seen.add(label)


def _check_range(name: str, value: float, low: float, high: float, unit: str = "") -> None:
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(_("The {name} must be a finite number.").format(name=_(name)))
    if not low <= value <= high:
        raise ValueError(
            _("The {name} must be between {low} and {high}{unit}; got {value}.").format(
                name=_(name),
                low=localize(f"{low:g}"),
                high=localize(f"{high:g}"),
                unit=unit,
                value=localize(f"{value:g}"),
            )
        )


def _check_int(name: str, value: int, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(_("The {name} must be a whole number.").format(name=_(name)))
    if not low <= value <= high:
        raise ValueError(
            _("The {name} must be between {low} and {high}; got {value}.").format(
                name=_(name), low=group(low), high=group(high), value=group(value)
            )
        )


@dataclass(frozen=True)
class LessonState:
    """Everything the lessons show, in one validated, immutable value.

    Shared across pages: ``logits``, ``labels``, ``temperature``, ``dtype``.
    The other fields belong to one lesson each but travel in the same link.
    """

    logits: tuple[float, ...] = (2.0, 1.0, 0.1)
    labels: tuple[str, ...] = ("dog", "cat", "bird")
    temperature: float = 1.0
    dtype: str = "float64"
    offset: float = 0.0
    activations: tuple[str, ...] = ("sigmoid", "relu")
    seed: int = 0
    n_samples: int = 1000
    top_k: int = 3
    top_p: float = 0.9
    target: int = 0
    learning_rate: float = 0.5
    calib_classes: int = 5
    overconfidence: float = 3.0
    tab: str = ""
    """The open tab of the lesson's further pictures (one of ``TABS``); empty: the first."""
    present: bool = False
    hide: tuple[str, ...] = ()
    deck: tuple[Scene, ...] = ()
    """The workshop's scenes; empty means the default deck."""
    scene: int = 0
    """1-based scene of the deck being presented; 0 when not stepping through a deck."""

    def __post_init__(self) -> None:
        check_logits(self.logits)
        check_labels(self.labels, len(self.logits))
        _check_range(N_("temperature T"), self.temperature, T_MIN, T_MAX)
        if self.dtype not in DTYPES:
            raise ValueError(
                _("Unknown precision {dtype}: choose one of {choices}.").format(
                    dtype=quoted(str(self.dtype)), choices=", ".join(DTYPES)
                )
            )
        _check_range(N_("offset c"), self.offset, -OFFSET_LIMIT, OFFSET_LIMIT)
        unknown = [a for a in self.activations if a not in ACTIVATIONS]
        if unknown:
            raise ValueError(_("Unknown activation {name}.").format(name=quoted(str(unknown[0]))))
        _check_int(N_("seed"), self.seed, 0, 2**32 - 1)
        _check_int(N_("number of samples"), self.n_samples, 1, MAX_SAMPLES)
        _check_int("top-k", self.top_k, 1, MAX_CLASSES)
        if not isinstance(self.top_p, int | float) or not 0 < self.top_p <= 1:
            raise ValueError(_("top-p must be in (0, 1]: above 0 and at most 1."))
        _check_int(N_("target class"), self.target, 0, len(self.logits) - 1)
        _check_range(N_("learning rate"), self.learning_rate, 0.001, 10.0)
        _check_int(N_("number of classes"), self.calib_classes, 3, 10)
        _check_range(N_("overconfidence"), self.overconfidence, 0.25, 10.0)
        if self.tab and self.tab not in TABS:
            raise ValueError(_("Unknown tab {name}.").format(name=quoted(self.tab[:40])))
        bad = [h for h in self.hide if h not in HIDEABLE]
        if bad:
            raise ValueError(_("Unknown part to hide {name}.").format(name=quoted(str(bad[0]))))
        _check_int(N_("scene"), self.scene, 0, len(self.active_deck))

    @property
    def active_deck(self) -> tuple[Scene, ...]:
        return self.deck or DEFAULT_DECK

    def at_scene(self, number: int) -> LessonState:
        """The state of scene ``number`` (1-based), keeping the deck and presenter options."""
        _check_int(N_("scene"), number, 1, len(self.active_deck))
        shown, _problems = from_query(lesson_settings(self.active_deck[number - 1].settings()))
        if not self.deck:  # the default deck is the app's own: its class names are translated
            shown = shown.replace(labels=tuple(pgettext("class name", x) for x in shown.labels))
        return shown.replace(present=self.present, hide=self.hide, deck=self.deck, scene=number)

    def as_scene(self, page: str, title: str) -> Scene:
        """A workshop scene of ``page`` (its URL path) that shows every lesson setting of
        this state; the presenter options and the deck stay the presentation's."""
        return scene_from(page, title, to_query(self, only=LESSON_FIELDS))

    def replace(self, **changes: Any) -> LessonState:
        """A new state with ``changes``; :class:`ValueError` if it is not valid."""
        return replace(self, **changes)

    def with_classes(self, n: int) -> LessonState:
        """Grow (new logits 0, labels 'class N') or shrink to ``n`` classes."""
        _check_int(N_("number of classes"), n, MIN_CLASSES, MAX_CLASSES)
        logits = self.logits[:n] + (0.0,) * max(0, n - len(self.logits))
        labels = list(self.labels[:n])
        k = len(labels)
        while len(labels) < n:
            k += 1
            name = _("class {k}").format(k=k)
            if name not in labels:
                labels.append(name)
        return self.replace(logits=logits, labels=tuple(labels), target=min(self.target, n - 1))


DEFAULT = LessonState()


# --- URL form ---------------------------------------------------------------------------------
# One entry per field: the query-parameter name, how to read it, how to write it.


def _tuple_of_labels(text: str) -> tuple[str, ...]:
    return tuple(clean_label(unquote(part)) for part in text.split(","))


def _write_labels(labels: tuple[str, ...]) -> str:
    """The labels, comma-separated, with the two characters that would be read otherwise
    escaped: ``%`` and ``,``. Everything else is left for the link's own encoding, which
    writes it once (escaping every character here too made ``café`` ``caf%25C3%25A9`` in a
    link). Links written with every character escaped still read the same.

    >>> _write_labels(("café", "a,b", "50%"))
    'café,a%2Cb,50%25'
    >>> _tuple_of_labels(_write_labels(("café", "a,b", "50%"))), _tuple_of_labels("caf%C3%A9")
    (('café', 'a,b', '50%'), ('café',))
    """
    return ",".join(label.replace("%", "%25").replace(",", "%2C") for label in labels)


def _read_int(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,12}", text.strip()):
        raise ValueError(_("{text} is not a whole number.").format(text=quoted(text[:20])))
    return int(text)


def _read_bool(text: str) -> bool:
    if text.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if text.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(_("{text} is not 1 or 0.").format(text=quoted(text[:20])))


def _read_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in (part.strip() for part in text.split(",")) if w)


def _read_deck(text: str) -> tuple[Scene, ...]:
    """A deck from a link: well formed (:func:`~softmax_ui.scenes.decode_deck`), and every
    scene's settings valid, so stepping through it never meets a setting it must drop."""
    deck = decode_deck(text)
    for number, scene in enumerate(deck, start=1):
        _shown, problems = from_query(lesson_settings(scene.settings()))  # what it replays
        if problems:
            raise ValueError(
                _("Scene {number} of the deck is refused: {problem}").format(
                    number=number, problem=problems[0]
                )
            )
    return deck


@dataclass(frozen=True)
class _Param:
    key: str
    """The query-parameter name links are written with."""
    read: Callable[[str], Any]
    write: Callable[[Any], str] = field(default=str)
    old_keys: tuple[str, ...] = ()
    """Names older links used for this setting: still read, never written."""
    lesson: bool = True
    """A lesson setting, recorded by a workshop scene; ``False`` for the presenter options
    and the deck itself, which belong to the whole presentation."""

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *self.old_keys)


PARAMS: dict[str, _Param] = {
    "logits": _Param("z", parse_logits, lambda v: ",".join(format_number(x) for x in v)),
    "labels": _Param("labels", _tuple_of_labels, _write_labels),
    "temperature": _Param("T", lambda s: parse_number(s, N_("temperature")), format_number),
    "dtype": _Param("dtype", str.strip),
    "offset": _Param(
        "offset", lambda s: parse_number(s, N_("offset")), format_number, old_keys=("c",)
    ),
    "activations": _Param("act", _read_words, ",".join),
    "seed": _Param("seed", _read_int),
    "n_samples": _Param("samples", _read_int, old_keys=("n",)),
    "top_k": _Param("top_k", _read_int, old_keys=("k",)),
    "top_p": _Param("top_p", lambda s: parse_number(s, "top-p"), format_number, old_keys=("p",)),
    "target": _Param("target", _read_int),
    "learning_rate": _Param("lr", lambda s: parse_number(s, N_("learning rate")), format_number),
    "calib_classes": _Param("calib_classes", _read_int, old_keys=("classes",)),
    "overconfidence": _Param(
        "overconfidence",
        lambda s: parse_number(s, N_("overconfidence")),
        format_number,
        old_keys=("over",),
    ),
    "tab": _Param("tab", str.strip),
    "present": _Param("present", _read_bool, lambda b: "1" if b else "0", lesson=False),
    "hide": _Param("hide", _read_words, ",".join, lesson=False),
    "deck": _Param("deck", _read_deck, encode_deck, lesson=False),
    "scene": _Param("scene", _read_int, lesson=False),
}
"""The one table of URL settings: every field of :class:`LessonState`, its query-parameter
name (and the names old links used), how to read and write it, and whether a workshop scene
records it. Every list of keys in the app is derived from it."""
ALWAYS_IN_URL = ("logits", "labels", "temperature")
"""Written even at their defaults, so a shared link states the example it shows."""
FIELD_OF_KEY: dict[str, str] = {key: name for name, param in PARAMS.items() for key in param.keys}
"""Field name of every query-parameter name a link may use, current or old."""
LESSON_FIELDS: tuple[str, ...] = tuple(name for name, param in PARAMS.items() if param.lesson)
"""The settings a workshop scene records: everything but the presenter options and the deck."""

assert set(PARAMS) == {f.name for f in fields(LessonState)}, "every field needs a URL form"
assert len(FIELD_OF_KEY) == sum(len(p.keys) for p in PARAMS.values()), "a key names two fields"


def to_query(state: LessonState, only: tuple[str, ...] = tuple(PARAMS)) -> dict[str, str]:
    """The query parameters of a link that reproduces ``state`` (its fields ``only``).

    Fields at their default value are left out to keep links short.
    """
    query = {}
    for name in only:
        param, value = PARAMS[name], getattr(state, name)
        if name in ALWAYS_IN_URL or value != getattr(DEFAULT, name):
            query[param.key] = param.write(value)
    return query


MAX_PARAM_LENGTH = max(MAX_TOKEN_LENGTH, MAX_CLASSES * (12 * MAX_LABEL_LENGTH + 1))
"""Longest value any setting can have in a link this app writes or wrote (the deck token, or
every label percent-encoded at 12 characters a code point, as links written before labels were
escaped once were); a longer one is refused whole, never cut."""


def settings_changed(before: str, after: str) -> frozenset[str]:
    """The settings whose value differs between two query strings written from
    :func:`to_query` (a setting left out is at its default). A parameter that names no
    setting is returned as it is.

    >>> sorted(settings_changed("z=2,1&T=1", "z=2,1&T=0.5&present=1"))
    ['present', 'temperature']
    >>> settings_changed("z=2,1", "z=2,1")
    frozenset()
    """
    a = dict(parse_qsl(before, keep_blank_values=True))
    b = dict(parse_qsl(after, keep_blank_values=True))
    return frozenset(FIELD_OF_KEY.get(k, k) for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def settings_query(query: str) -> str:
    """The lesson state's part of an address bar's query (no other parameter: not a live
    class's, not the language).

    >>> settings_query("?z=2%2C1&T=1&room=ABC&member=m&lang=fr&present=1")
    'z=2,1&T=1&present=1'
    """
    pairs = parse_qsl(query.removeprefix("?"), keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if k in FIELD_OF_KEY], safe=",")


def lesson_settings(query: Mapping[str, str]) -> dict[str, str]:
    """The lesson settings of a query (current and old names), without the presenter
    options and the deck: what a workshop scene records and replays."""
    return {
        k: v for k, v in query.items() if k in FIELD_OF_KEY and FIELD_OF_KEY[k] in LESSON_FIELDS
    }


def from_query(query: Mapping[str, str]) -> tuple[LessonState, list[str]]:
    """Read a state from query parameters, keeping every valid part.

    Returns the state and a list of problems (one sentence per ignored parameter).
    Unknown parameters are ignored silently (they may belong to someone else).
    Never raises: a link is hostile input, and whatever reading a setting raises becomes
    that setting's problem (the setting keeps its default).
    An old name of a setting (``p`` for ``top_p``) is read too, unless the link also has
    the current name.
    """
    state = DEFAULT
    problems: list[str] = []
    given = [
        key
        for key in query
        if key in FIELD_OF_KEY
        and (key == PARAMS[FIELD_OF_KEY[key]].key or PARAMS[FIELD_OF_KEY[key]].key not in query)
    ]
    # Logits and labels go together: read the logits first so the labels can match.
    order = sorted(
        given, key=lambda k: (FIELD_OF_KEY[k] != "logits", FIELD_OF_KEY[k] != "labels", k)
    )
    for key in order:
        name = FIELD_OF_KEY[key]
        try:
            raw = str(query[key])
            if len(raw) > MAX_PARAM_LENGTH:
                raise ValueError(
                    _(
                        "it is {length} characters long, more than the {limit} any setting "
                        "of this app needs."
                    ).format(length=group(len(raw)), limit=group(MAX_PARAM_LENGTH))
                )
            value = PARAMS[name].read(raw)
            if name == "logits" and len(value) != len(state.logits):
                state = state.with_classes(len(value))
            state = state.replace(**{name: value})
        except ValueError as err:
            problems.append(
                _("Ignored the link's {key} setting: {problem}").format(
                    key=quoted(key), problem=err
                )
            )
        except Exception as err:  # hostile input: whatever a reader raises is reported
            problems.append(
                _("Ignored the link's {key} setting: it could not be read ({error}).").format(
                    key=quoted(key), error=type(err).__name__
                )
            )
    return state, problems

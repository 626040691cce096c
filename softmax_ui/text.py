"""Turning numbers and user text into safe, readable Markdown.

User text (class labels, scene titles, anything read from a link or typed) is hostile: it
reaches the screen through Streamlit's Markdown (``st.markdown``, alerts, captions, metric
labels *and values*, radio options), which is GitHub-flavoured Markdown plus Streamlit's own
extensions. :func:`markdown_safe` makes such text show exactly as typed, with nothing interpreted:

* HTML is escaped (``<`` → ``&lt;``), and so is ``&``, so a character reference shows as typed;
* every Markdown special character is backslash-escaped (no emphasis, code, links, images,
  tables, headings, lists, ``$…$`` maths, ``:red[…]`` colour directives);
* GitHub's *autolink literals* are broken with an invisible WORD JOINER (U+2060). Backslash
  escapes are not enough for them: Streamlit's Markdown (mdast-util-gfm-autolink-literal)
  finds ``https://…``, ``www.…`` and ``name@host.tld`` in the text *after* escapes are decoded
  and turns them into links. A word joiner after ``:`` and ``@`` and between ``w`` and ``.``
  means ``https:⁠//``, ``www⁠.`` and ``a@⁠b.c`` never match, and the same joiner after ``:``
  keeps ``:dog:`` emoji short codes and ``:material/…:`` icons from being replaced. The joiner
  has no width and no glyph (Unicode "default ignorable"), so the text looks as typed.
"""

from __future__ import annotations

import html
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import numpy as np
from numpy.typing import ArrayLike

from softmax_ui.i18n import _, current, decimal_comma, localize, percent_suffix

WORD_JOINER = "\u2060"
"""Invisible, zero-width, no line break: what :func:`markdown_safe` puts inside would-be
autolinks."""

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")
# After escaping: a colon or at sign followed by something (an autolink scheme "https://",
# a "mailto:" or an e-mail address, an emoji short code ":dog:"), and "w." (as in "www.").
_AUTOLINK_SEAMS = re.compile(r"(?<=\\:)(?=\S)|(?<=@)(?=\S)|(?<=[Ww])(?=\\\.)")


def markdown_safe(text: str) -> str:
    """Escape user text for ``st.markdown`` and labels: no formatting, links, HTML or LaTeX.

    >>> markdown_safe("**bold** <b>x</b> $1")
    '\\\\*\\\\*bold\\\\*\\\\* &lt;b&gt;x&lt;/b&gt; \\\\$1'

    Bare URLs and e-mail addresses get an invisible word joiner, so they stay text:

    >>> shown = markdown_safe("www.x.org https://x.org a@x.org")
    >>> [part.split(WORD_JOINER) for part in shown.split()]
    [['www', '\\\\.x\\\\.org'], ['https\\\\:', '//x\\\\.org'], ['a@', 'x\\\\.org']]
    """
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(text), quote=False))
    return _AUTOLINK_SEAMS.sub(WORD_JOINER, escaped)


def plain(text: str) -> str:
    """What a reader sees of :func:`markdown_safe`'s output: ``plain(markdown_safe(s)) == s``
    (for tests and tools).

    >>> plain(markdown_safe("a_b: https://x.org <i>"))
    'a_b: https://x.org <i>'
    """
    unescaped = re.sub(r"\\(.)", r"\1", str(text).replace(WORD_JOINER, ""))
    return html.unescape(unescaped)


def clean_text(text: str) -> str:
    """Text as the app keeps it: no control or format characters, single spaces, trimmed.

    >>> clean_text("  dog" + chr(0x200B) + chr(10) + "   cat ")
    'dog cat'
    """
    text = "".join(ch for ch in str(text) if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


CODE_WIDTH = 40
"""Characters a line of a code sample may hold: what a 390 px phone's code box shows at the
12 px type it gets there (layout.css). A comment wrapped wider sent its last word onto a line
without "#", where it read as code."""


def python_comment(text: str, width: int = CODE_WIDTH) -> str:
    """``text`` as Python comment lines (``# …``), wrapped at ``width`` characters, for a
    code sample whose comments are in the reader's language.

    >>> print(python_comment("Safer: emit raw logits and let the loss apply softmax itself.", 40))
    # Safer: emit raw logits and let the
    # loss apply softmax itself.

    A hyphenated term is never split across two lines (it read "(log-" / "# sum-exp"):

    >>> print(python_comment("the loss applies a stable log-sum-exp inside", 34))
    # the loss applies a stable
    # log-sum-exp inside
    """
    lines = textwrap.wrap(clean_text(text), width - 2, break_on_hyphens=False)
    return "\n".join("# " + line for line in lines)


def plot_text(text: str) -> str:
    """Escape user text for Plotly, which renders a subset of HTML in labels, and reads a
    text between two dollar signs as a LaTeX formula: each "$" is written as its character
    reference, which Plotly shows as "$" (a class named "$z$" was a formula to typeset, and
    Plotly, with no MathJax, warned in the console).

    >>> plot_text("<b>dog</b>"), plot_text("$z$")
    ('&lt;b&gt;dog&lt;/b&gt;', '&#36;z&#36;')
    """
    return html.escape(str(text), quote=False).replace("$", "&#36;")


def prose_number(value: float, digits: int = 4) -> str:
    """A number for prose: NaN and infinities spelled as IEEE prints them, the decimal sign
    the reader's (``0,659`` in Spanish and French; Babel's CLDR data).

    >>> [prose_number(x) for x in (0.6590011388859679, float("nan"), float("inf"), 1e-300)]
    ['0.659', 'NaN', 'inf', '1e-300']
    >>> from softmax_ui.i18n import language
    >>> with language("es"):
    ...     prose_number(-0.6590011388859679), prose_number(1.5e-7)
    ('-0,659', '1,5e-07')
    """
    return localize(_prose(value, digits))


def probability_number(value: float, digits: int = 3, *, zeros: bool = False) -> str:
    """A probability for prose and metrics: :func:`prose_number` with ``digits`` significant
    digits, and as many more as it takes for a probability below 1 never to read "1" (a
    student read "Its probability: 1" as certainty, beside 0.999998 in the explanation).
    With ``zeros``, its trailing zeros kept, as the chart's bar labels write it (the metric
    and the announcement read 0.76 under a bar labelled 0.760: a teacher's tour).

    >>> probability_number(0.6590011), probability_number(0.999998184), probability_number(1.0)
    ('0.659', '0.999998', '1')
    >>> probability_number(1 - 2e-13), probability_number(0.0004)
    ('0.9999999999998', '0.0004')
    >>> probability_number(0.76, zeros=True), probability_number(0.5, zeros=True)
    ('0.760', '0.500')
    >>> probability_number(0.9999996, zeros=True), probability_number(1.0, zeros=True)
    ('0.9999996', '1')
    """
    value = float(value)
    if 0 < value < 1:
        digits = _not_reading_one(value, digits)
        if zeros:
            return significant(value, digits)
    return prose_number(value, digits)


def not_one(value: float, digits: int = 4, *, scale: float = 1.0) -> str:
    """:func:`prose_number` with ``digits`` significant digits, and as many more as it takes
    for a number other than ±1 never to read "1" or "-1" (a sigmoid sum of 1.00005 read "1"
    beside softmax's sum, which is 1: the very confusion the lesson undoes; a gradient
    p(target) − 1 = −0.999999996 read "-1").

    >>> not_one(2.1366), not_one(1.0000454), not_one(0.99999), not_one(1.0)
    ('2.137', '1.00005', '0.99999', '1')
    >>> not_one(-0.999999996458), not_one(-1.0)
    ('-0.999999996', '-1')

    With ``scale``, a number other than ±1/scale never reads ±1/scale either: the target's
    gradient (p(target) − 1)/T, which reads −1/T only when p(target) is 0 (and −1 only when
    it is 1 − T).

    >>> not_one(-1.99999999588, scale=0.5), not_one(-2.0, scale=0.5)
    ('-1.999999996', '-2')
    >>> not_one(-0.9999646063167599, scale=0.99999)  # neither −1 nor −1/T
    '-0.99996'
    """
    value = float(value)
    return prose_number(value, _not_reading_one(abs(value), digits, 1.0, 1 / scale))


def _not_reading_one(value: float, digits: int, *ones: float) -> int:
    """``digits``, or as many more as it takes for ``value`` (none of ``ones``, by default 1)
    to read none of them."""
    ones = ones or (1.0,)
    while digits < 17 and any(value != one and float(_prose(value, digits)) == one for one in ones):
        digits += 1
    return digits


def near_one(p: float, rest: float, digits: int = 6) -> str:
    """A probability ``p`` that may lie a hair below 1, given with ``rest`` = 1 − p summed
    from the other classes' probabilities (exact where ``1 - p`` is not): as
    :func:`probability_number` writes it while that takes at most ``digits`` significant
    digits and is not "1" for a p below 1; else as "1 − rest". A class that "takes 1" beside
    an entropy of 4.3e-08 nats read as a contradiction (a tour); 0.99999999999991 is a
    number nobody reads.

    >>> near_one(0.6590011388859679, 0.3409988611140321), near_one(0.999998184, 1.816e-06)
    ('0.659', '0.999998')
    >>> near_one(0.999999997938846, 2.061153622438558e-09), near_one(1.0, 4.248354255291589e-18)
    ('1 − 2.1e-09', '1 − 4.2e-18')
    >>> near_one(1.0, 0.0), near_one(0.9999999999999999, 0.0)  # a sum of three, the last bit
    ('1', '1')
    """
    if not rest > 0:  # the others hold nothing float64 can store: a sum's last bit aside, 1
        return probability_number(1.0 if p > 1 - 1e-12 else p)
    for places in range(3, digits + 1):  # the fewest digits that do not read 1
        shown = _prose(float(p), places)
        if float(shown) < 1:
            return localize(shown)
    return "1 − " + prose_number(rest, 2)


def top_probability(p: ArrayLike, index: int, digits: int = 3, *, zeros: bool = False) -> str:
    """Class ``index``'s probability in the distribution ``p``: as :func:`probability_number`
    writes it, or, within a millionth of 1 while the other classes hold some, as
    :func:`near_one` (1 − their sum). At T = 0.01 float64 rounds dog's 1 − 3.7e-44 to 1, and
    the metric said "Its probability 1" beside the Temperature page's "1 − 3.7e-44" (a tour).

    >>> top_probability([0.76, 0.24], 0, zeros=True), top_probability([1.0, 3.7e-44], 0)
    ('0.760', '1 − 3.7e-44')
    >>> top_probability([0.999999997938846, 2.061153622438558e-09], 0)
    '1 − 2.1e-09'
    >>> top_probability([1.0, 0.0], 0)  # the others hold nothing float64 can store
    '1'
    >>> top_probability([1.0, 0.5], 0)  # no distribution
    '1'
    >>> top_probability([0.0, -1e308, -1e308], 0)  # nor these: their sum overflows, silently
    '0'
    """
    p = np.asarray(p, dtype=np.float64)
    value = float(p[index])
    with np.errstate(over="ignore", invalid="ignore"):  # no distribution: inf, -inf, NaN
        rest = float(np.sum(np.delete(p, index)))
    # (values that do not add up to 1, e.g. a sigmoid's, are no distribution: as they are)
    if rest > 0 and value > 1 - 1e-6 and abs(value + rest - 1) <= 1e-9:
        return near_one(value, rest)
    return probability_number(value, digits, zeros=zeros)


def unbroken(text: str) -> str:
    """``text`` with no-break spaces: a metric's "1 − 2.1e-09" broke onto two lines in a
    narrow column, where a number is made smaller to fit on one (page.js).

    >>> unbroken("1 − 2.1e-09")
    '1\xa0−\xa02.1e-09'
    """
    return text.replace(" ", "\u00a0")


def _prose(value: float, digits: int) -> str:
    """:func:`prose_number` written the Python way (``float()`` reads it back). A number of
    more whole digits than ``digits``, below 10¹⁵, is written whole: a loss of 20000.69 read
    "2e+04 nats" to a student who had typed 10000 (a tour).

    >>> _prose(20000.693147, 4), _prose(-10000.0, 4), _prose(9999.7, 4), _prose(2.5e15, 4)
    ('20001', '-10000', '10000', '2.5e+15')
    """
    value = float(value)
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = f"{value:.{digits}g}" if value != 0 else "0"
    return f"{value:.0f}" if "e+" in text and abs(value) < 1e15 else text


def semicolon() -> str:
    """A semicolon and its space in the reader's language: "; ", in French with the narrow
    no-break space before it ("1 réponse ; 2 réponses")."""
    return "\u202f; " if current() == "fr" else "; "


def list_separator() -> str:
    """What separates the numbers of a list in the reader's language: ", " in English,
    "; " where the decimal sign is a comma ([0,5; 0,25] rather than [0,5, 0,25]), with the
    narrow no-break space French puts before a semicolon ([0,5 ; 0,25])."""
    return semicolon() if decimal_comma() else ", "


def number_list(texts: Sequence[str]) -> str:
    """Numbers already written for prose, listed: ``2, 1, 0.1`` in English; ``2; 1; 0,1`` where
    the comma is the decimal sign (Spanish, French), so the list reads one way only.

    >>> number_list(["2", "0.5"])
    '2, 0.5'
    >>> from softmax_ui.i18n import language
    >>> with language("es"):
    ...     number_list([prose_number(2), prose_number(0.5)])
    '2; 0,5'
    >>> with language("fr"):
    ...     number_list([prose_number(2), prose_number(0.5)])
    '2\u202f; 0,5'
    """
    return list_separator().join(texts)


def _order(a: float, b: float) -> int:
    return (a > b) - (a < b)


def ordered(
    *values: float, digits: int = 4, fixed: bool = False, tolerance: float = 0.0
) -> tuple[str, ...]:
    """``values`` for prose, with as many significant digits (at least ``digits``; with
    ``fixed``, decimal places) as it takes for the printed numbers to compare, pair by pair,
    as the numbers do.

    Rounding alone can reverse a comparison a sentence states ("1.1 nats, below its
    ceiling 1.099"); this never does: printed equal only if equal, and in the same order.
    ``fixed`` suits values known to an absolute precision, such as an entropy computed from
    probabilities that rounded to 1 (its tiny value is right to 1e-17, not to 4 digits).
    Values closer than ``tolerance`` (relative) are rounding noise: they may print equal,
    but never in the reverse order.

    >>> ordered(1.0979, 1.0986122886681098, digits=3)
    ('1.098', '1.099')
    >>> ordered(0.5, 0.5)
    ('0.5', '0.5')
    >>> ordered(-708.398, -708.3964185322641, digits=3)
    ('-708.398', '-708.396')
    >>> ordered(3.4e-16, 1.0979, 1.0986122886681098, digits=3, fixed=True)
    ('0.000', '1.098', '1.099')
    >>> ordered(1.0986122886681096, 1.0986122886681098, digits=3, fixed=True, tolerance=1e-12)
    ('1.099', '1.099')
    """
    xs = [float(v) for v in values]
    pairs = [(a, b) for a in xs for b in xs]

    def agrees(shown: list[float]) -> bool:
        printed = [(a, b) for a in shown for b in shown]
        for (a, b), (sa, sb) in zip(pairs, printed, strict=True):
            true, seen = _order(a, b), _order(sa, sb)
            noise = abs(a - b) <= tolerance * max(abs(a), abs(b))
            if seen != true and not (noise and seen == 0):
                return False
        return True

    for d in range(digits, 18):
        texts = tuple(_fixed(v, d) if fixed else _prose(v, d) for v in xs)
        if agrees([float(t) for t in texts]):
            return tuple(localize(t) for t in texts)
    return tuple(localize(repr(v)) for v in xs)


def fixed_decimals(value: float, decimals: int) -> str:
    """``value`` to ``decimals`` places, with no "-0.000", written the Python way (a point,
    in every language): code compares and parses it (the quiz's accepted answers). Show it
    with :func:`fixed`.

    >>> fixed_decimals(-0.0001, 3), fixed_decimals(2.5, 2)
    ('0.000', '2.50')
    """
    return _fixed(value, decimals)


def fixed(value: float, decimals: int) -> str:
    """:func:`fixed_decimals` for the reader: the decimal sign of their language.

    >>> from softmax_ui.i18n import language
    >>> with language("es"):
    ...     fixed(1.0986, 3)
    '1,099'
    """
    return localize(_fixed(value, decimals))


def _fixed(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def computed_zero(value: float) -> str:
    """A sum that is 0 in exact arithmetic, with the computer's rounding shown if any.

    >>> computed_zero(0.0), computed_zero(-2.7755575615628914e-17)
    ('0', '0 (computed: -2.8e-17, floating-point rounding)')
    """
    if value == 0:
        return "0"
    return _("0 (computed: {value}, floating-point rounding)").format(value=prose_number(value, 2))


def significant(value: float, digits: int = 4) -> str:
    """A computed number to ``digits`` significant digits, its trailing zeros kept, so a
    column of them reads to one precision (0.6590 beside 0.2424 and 0.09857, not 0.659);
    NaN, infinities and 0 as :func:`prose_number` writes them. Not for a number the reader
    typed (a logit 0.1 is 0.1, not 0.1000).

    >>> significant(0.6590011388859679), significant(0.0985659), significant(7.389056)
    ('0.6590', '0.09857', '7.389')
    >>> significant(2.0), significant(0.0), significant(float("nan"))
    ('2.000', '0', 'NaN')
    """
    value = float(value)
    if value == 0 or not np.isfinite(value):
        return prose_number(value, digits)
    return localize(f"{value:#.{digits}g}".removesuffix("."))


def percent(fraction: float) -> str:
    """A fraction of a whole as a percentage that never rounds to 0 % or 100 % unless it is
    exactly 0 or 1 (and never beyond them).

    >>> percent(0.5), percent(0.99996), percent(1.0), percent(3e-7), percent(0.0)
    ('50%', '99.996%', '100%', '0.00003%', '0%')

    Below 10⁻¹⁵ %, two significant digits (the entropy of a near one-hot distribution at a
    low temperature, where all the digits of a float read as noise):

    >>> percent(6.712660542448501e-38)
    '6.7e-36%'

    Written the reader's way (Babel's CLDR data: a no-break space before % in Spanish and
    French):

    >>> from softmax_ui.i18n import language
    >>> with language("fr"):
    ...     percent(0.99996)
    '99,996\xa0%'
    """
    x = float(fraction)
    sign = percent_suffix(current())
    for decimals in range(0, 16):
        text = f"{100 * x:.{decimals}f}"
        value = float(text)
        if (value == 0) == (x == 0) and (value == 100) == (x == 1) and 0 <= value <= 100:
            return localize(text) + sign
    return localize(f"{100 * x:.2g}") + sign


def share_of(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage, rounded half up as a score is read (5 of
    8 right is 63 %, not the 62 % of Python's rounding half to even), written the reader's
    way; "–" when ``whole`` is 0.

    >>> share_of(5, 8), share_of(2, 3), share_of(1, 8), share_of(3, 3), share_of(0, 0)
    ('63%', '67%', '13%', '100%', '–')
    >>> from softmax_ui.i18n import language
    >>> with language("es"):
    ...     share_of(1, 8)
    '13\xa0%'
    """
    if not whole:
        return "–"
    return str((200 * part + whole) // (2 * whole)) + percent_suffix(current())


def percent_rounded(fraction: float, decimals: int = 1) -> str:
    """``fraction`` as a percentage to ``decimals`` places, written the reader's way
    (``f"{x:.1%}"`` in English).

    >>> percent_rounded(0.8766)
    '87.7%'
    >>> from softmax_ui.i18n import language
    >>> with language("es"):
    ...     percent_rounded(0.8766)
    '87,7\xa0%'
    """
    return localize(f"{float(fraction):.{decimals}%}".removesuffix("%")) + percent_suffix(current())


def join_names(names: list[str] | tuple[str, ...], conjunction: str | None = None) -> str:
    """``a``, ``a and b``, ``a, b and c`` (the names as given: escape them first), with the
    reader's word for "and" unless ``conjunction`` (already translated) is given.

    >>> join_names(["heads"]), join_names(["heads", "tails"]), join_names(list("abc"))
    ('heads', 'heads and tails', 'a, b and c')
    >>> from softmax_ui.i18n import language
    >>> with language("es"):
    ...     join_names(list("abc"))
    'a, b y c'
    """
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    word = _("and") if conjunction is None else conjunction
    return ", ".join(names[:-1]) + f" {word} " + names[-1]


def stored_number(value: float, dtype: str) -> str:
    """The shortest decimal that reads back as exactly ``value`` in ``dtype``, in the reader's
    language: how NumPy prints a number of that dtype. A float32 limit is "88.72283", not its
    float64 spelling "88.72283172607422"; the same float32 number, without the digits float32
    does not have.

    >>> stored_number(88.72283172607422, "float32"), stored_number(11.0859375, "float16")
    ('88.72283', '11.086')
    >>> stored_number(709.782712893384, "float64")
    '709.782712893384'
    """
    kind = np.dtype(dtype).type
    text = np.format_float_positional(kind(value), unique=True, trim="-")
    assert kind(text) == kind(value), (value, dtype, text)
    return localize(text)


def quoted(text: str) -> str:
    """``text`` in the reader's quotation marks (“…”, «…», « … »): a quiz's choice is a
    sentence of its own ("No: every probability stays the same"), and a verdict that names
    it inside a sentence ("You said …; the answer is …") quotes it.

    >>> from softmax_ui.i18n import language
    >>> quoted("Up")
    '“Up”'
    >>> with language("fr"):
    ...     quoted("Vers le haut")
    '«\xa0Vers le haut\xa0»'
    """
    return _("“{text}”").format(text=text)


def signed_offset(c: float) -> str:
    """``+ 100`` or ``− 1000``: an offset added to the logits, written the way it reads
    ("z + -1000" read as a typo).

    >>> signed_offset(100.0), signed_offset(-1000.0), signed_offset(0.0)
    ('+ 100', '− 1000', '+ 0')
    """
    return f"+ {prose_number(c)}" if c >= 0 else f"− {prose_number(-c)}"


def rounded_bound(value: float, decimals: int = 2, *, up: bool) -> str:
    """``value`` rounded *outwards* to ``decimals`` places, so a bound stays a bound.

    "exp(x) = inf when x > 88.72" is false for x = 88.721 (the limit is 88.7228...):
    a threshold a sentence promises must be rounded up (``up=True``) when the claim is
    about everything above it, down when it is about everything below it.

    >>> rounded_bound(88.72283172607422, up=True), rounded_bound(-745.1332191019411, up=False)
    ('88.73', '-745.14')
    >>> rounded_bound(11.0859375, up=False), rounded_bound(2.5, up=True)
    ('11.08', '2.50')
    """
    step = Decimal(1).scaleb(-decimals)
    exact = Decimal(float(value))  # the float's exact binary value
    return localize(str(exact.quantize(step, rounding=ROUND_CEILING if up else ROUND_FLOOR)))


def tied_names(labels: Sequence[str], indices: Sequence[int] | np.ndarray) -> str:
    """The classes at ``indices`` as plain text: ``heads``, or ``heads and tails (tied)``.

    >>> tied_names(["heads", "tails", "edge"], [0, 1])
    'heads and tails (tied)'
    """
    names = [labels[int(i)] for i in indices]
    if len(names) > 1:
        return _("{names} (tied)").format(names=join_names(names))
    return join_names(names)


def winner_metric(labels: Sequence[str], indices: Sequence[int] | np.ndarray) -> dict[str, str]:
    """``st.metric`` keyword arguments naming the winning classes: the class as the value, or
    for a tie "2-way tie" as the value and every tied name as the delta line (a metric value
    is cut to one short line, so the names go where they can wrap). A metric's value and
    delta are Markdown: the names are escaped with :func:`markdown_safe`.

    >>> winner_metric(["heads", "tails", "edge"], [0])
    {'value': 'heads'}
    >>> winner_metric(["heads", "tails", "edge"], [0, 1])["delta"]
    'heads and tails'
    >>> from softmax_ui.i18n import language
    >>> with language("fr"):  # it read "égalité à 2" (a student tour)
    ...     winner_metric(["pile", "face", "tranche"], [0, 1])["value"]
    '2 classes ex æquo'
    """
    names = [labels[int(i)] for i in indices]
    if len(names) == 1:
        return {"value": markdown_safe(names[0])}
    return {
        "value": _("{n}-way tie").format(n=len(names)),
        "delta": markdown_safe(join_names(names)),
        "delta_color": "off",
        "delta_arrow": "off",
    }

"""Figures built once for everyone who sees the same view.

In a live class every following student's page shows the teacher's view: at a move, a
hundred sessions run the same page with the same settings and build the same charts. A whole
run of Temperature and sampling spent about a third of its script time building its five
figures, lining two of them up and copying them for ``st.plotly_chart``
(docs/benchmarks.md). The same holds, less often, outside a class: every student who opens a
shared link, or a page at its defaults, draws what the others drew.

:func:`shared` builds a figure (or a tuple of them) on the first call with given arguments,
in the reader's language, and keeps it as a :class:`SharedFigure`: the plotly JSON
``st.plotly_chart`` sends, taken once. Later calls with equal arguments and language get the
same :class:`SharedFigure`, from any session; nothing is built or copied again. The cache
holds the last :data:`SIZE` views' figures.

A builder given to :func:`shared` must be a function of its arguments and the language only
(the figure builders of ``softmax_ui.figures*`` are) and made once, at the top level of a
module that is imported, not run, on every run: a function defined in a page script is a new
function on every run, and would never be found again.
"""

from __future__ import annotations

import html
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import plotly.graph_objects as go

from softmax_ui import i18n

SIZE = 256
"""How many figure sets the cache keeps (each a few tens of KB of JSON)."""


def chart_title(fig: go.Figure | SharedFigure) -> str:
    """The figure's title as plain text (Plotly's tags and entities read out).

    >>> chart_title(go.Figure(layout={"title": {"text": "a &lt;b&gt;<br>c"}}))
    'a <b> c'
    """
    if isinstance(fig, SharedFigure):
        return fig.title
    text = fig.layout.title.text or ""
    return html.unescape(re.sub(r"<br\s*/?>", " ", re.sub(r"<(?!br)[^>]*>", "", text)))


class SharedFigure(go.Figure):
    """A figure frozen as the plotly JSON ``st.plotly_chart`` sends, and its title.

    ``st.plotly_chart`` takes any Plotly figure and sends ``figure.to_dict()``; this one
    returns the JSON taken when it was frozen, without copying it again. It is read by many
    sessions at once and never changed: it has no traces or layout to change (``fig.data``
    and ``fig.layout`` raise), only :meth:`to_dict` and :attr:`title`.

    >>> frozen = SharedFigure(go.Figure(go.Bar(y=[1, 2]), layout={"title": {"text": "T"}}))
    >>> frozen.title, frozen.to_dict()["data"][0]["type"]
    ('T', 'bar')
    """

    def __init__(self, fig: go.Figure) -> None:
        object.__setattr__(self, "_spec", fig.to_dict())
        object.__setattr__(self, "title", chart_title(fig))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a SharedFigure is shared between sessions and never changed")

    @property
    def data(self) -> Any:
        raise AttributeError("a SharedFigure has no traces to read or change: see to_dict()")

    @property
    def layout(self) -> Any:
        raise AttributeError("a SharedFigure has no layout to read or change: see to_dict()")

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec

    def __repr__(self) -> str:
        return f"SharedFigure({self.title!r})"


def _key(value: Any) -> Hashable:
    """``value`` as a hashable key that tells apart every value a figure could show differently.

    Floats are keyed by their exact bits (``-0.0`` and ``0.0`` differ) and NumPy's by their
    type too, arrays by dtype, shape and bytes. Anything else than numbers, strings, plain
    arrays and lists, tuples or dicts of them is refused: it could hide a difference.

    >>> _key([1, 2.5, "a"]) == _key((1, 2.5, "a")), _key(0.0) == _key(-0.0)
    (True, False)
    >>> _key(np.array([1.0, 2.0])) == _key(np.array([1.0, 2.0], dtype=np.float32))
    False
    """
    if value is None or isinstance(value, bool | str):
        return (type(value).__name__, value)
    if isinstance(value, np.bool_):
        return ("bool", bool(value))
    if isinstance(value, int | np.integer):
        return ("i", int(value))
    if isinstance(value, float):
        return ("f", value.hex())
    if isinstance(value, np.floating):  # np.float32(0.1) prints otherwise than 0.1 as float64
        return ("f", np.dtype(type(value)).str, float(value).hex())
    if type(value) is np.ndarray:  # a subclass (a masked array) could show more than its bytes
        if value.dtype == object:
            return ("o", tuple(_key(v) for v in value.tolist()))
        array = np.ascontiguousarray(value)
        return ("a", array.dtype.str, array.shape, array.tobytes())
    if isinstance(value, list | tuple):
        return ("l", tuple(_key(v) for v in value))
    if isinstance(value, dict):  # in order: a figure draws a dict's entries in order
        return ("d", tuple((_key(k), _key(v)) for k, v in value.items()))
    raise TypeError(f"cannot key a figure on a {type(value).__name__}")


_cache: OrderedDict[Hashable, Any] = OrderedDict()
_building: dict[Hashable, threading.Event] = {}
"""Keys being built now, each with the event set when its figure is in :data:`_cache`."""
_lock = threading.Lock()
WAIT_S = 5.0
"""How long a session waits for another one's build of the same figure before building it
itself (a build takes milliseconds; this only bounds a build that failed or hangs)."""


def _frozen(built: Any) -> Any:
    if isinstance(built, go.Figure):
        return SharedFigure(built)
    if isinstance(built, tuple):
        return tuple(_frozen(part) for part in built)
    raise TypeError(f"a figure builder returned a {type(built).__name__}")


def shared(build: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``build(*args, **kwargs)`` (a figure, or a tuple of figures) as :class:`SharedFigure`,
    built once per language for equal arguments, and shared by every session that asks.

    >>> def bars(values): return go.Figure(go.Bar(y=values))
    >>> first = shared(bars, [1.0, 2.0])
    >>> shared(bars, [1.0, 2.0]) is first, shared(bars, [1.0, 3.0]) is first
    (True, False)
    """
    key = (build, i18n.current(), _key(args), _key(kwargs))
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
        # At a move a whole room asks at once: one session builds, the others wait for it.
        underway = _building.get(key)
        if underway is None:
            _building[key] = threading.Event()
    if underway is not None:
        underway.wait(WAIT_S)
        with _lock:
            found = _cache.get(key)
        if found is not None:
            return found
        return _frozen(build(*args, **kwargs))  # that build failed: build without sharing
    try:
        frozen = _frozen(build(*args, **kwargs))  # outside the lock: other views go on
        with _lock:
            _cache[key] = frozen
            while len(_cache) > SIZE:
                _cache.popitem(last=False)
        return frozen
    finally:
        with _lock:
            _building.pop(key).set()


def clear() -> None:
    """Forget every shared figure (for tests)."""
    with _lock:
        _cache.clear()
        _building.clear()

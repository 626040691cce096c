"""The projector's chart of the room's answers: data in, Plotly figure out (pure).

One bar per answer, its height the number of students who gave it, the y axis running to
the number of students connected (so a bar's height reads as a share of the room), each
bar labelled "count / connected". After the reveal the right answers are drawn in blue
with a hatch and the word "right" in their label, the others in grey: colour is never the
only sign. No names: a bar is a count.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from softmax_ui.figures import BAR, INVALID, WINNER, chart_layout, figure, hatch
from softmax_ui.i18n import _, ngettext
from softmax_ui.live_questions import Tally, tally_text
from softmax_ui.text import plot_text

WAITING = BAR
NAME_LINE = 16
"""Longest line of an answer's name under its bar, in characters."""


def answer_names(names: list[str]) -> list[str]:
    """Answers as the x axis's names: escaped (Plotly renders a subset of HTML), a long one
    in balanced lines of at most :data:`NAME_LINE` characters. On one line, "Une égalité :
    aucune classe ne prend tout" was tilted and pressed the bars together on the projector.
    Names that wrapping would make alike (they differ in spaces) are left on one line.

    >>> answer_names(["dog", "A tie: no single class takes it all", "<b>x</b>"])
    ['dog', 'A tie: no<br>single class<br>takes it all', '&lt;b&gt;x&lt;/b&gt;']
    >>> answer_names(["aaaa bbbb  cccc dddd", "aaaa bbbb cccc dddd"])
    ['aaaa bbbb  cccc dddd', 'aaaa bbbb cccc dddd']
    """
    wrapped = ["<br>".join(plot_text(line) for line in _balanced(name)) for name in names]
    return wrapped if len(set(wrapped)) == len(wrapped) else [plot_text(n) for n in names]


def _balanced(name: str) -> list[str]:
    """``name`` in as few lines of at most :data:`NAME_LINE` characters as it takes, of
    about equal length (a long word keeps its own line)."""
    lines = textwrap.wrap(name, NAME_LINE, break_on_hyphens=False)
    if len(lines) <= 1:
        return [name]
    for width in range(-(-len(name) // len(lines)), NAME_LINE):
        even = textwrap.wrap(name, width, break_on_hyphens=False, break_long_words=False)
        if len(even) == len(lines):
            return even
    return lines


def answers_chart(
    tally: Tally,
    asked: int,
    *,
    right: set[str] | None = None,
    font_size: int = 16,
    title: str = "",
) -> go.Figure:
    """Bars of ``tally``, each "n / asked"; ``asked`` is the students the question is put
    to (:meth:`RoomStore.asked <softmax_ui.rooms.RoomStore.asked>`: connected, or answered
    and gone), never fewer than the answers; ``right`` (after the reveal) marks the right
    answers."""
    names = answer_names([tally_text(tally, a) for a in tally.answers])
    asked = max(asked, tally.total)
    room = max(asked, 1)
    revealed = right is not None
    good = [revealed and a in right for a in tally.answers]
    text = [
        f"{n} / {asked}" + (" · " + _("right") if ok else "")
        for n, ok in zip(tally.counts, good, strict=True)
    ]
    colours = [WINNER if ok else (INVALID if revealed else WAITING) for ok in good]
    bar = {
        "type": "bar",
        "x": names,
        "y": [float(n) for n in tally.counts],
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {
            "color": colours,
            "line": {"color": "#222", "width": 1},
            "pattern": hatch(colours, ["/" if ok else "" for ok in good]),
        },
        "hovertemplate": "%{x}: %{y} " + plot_text(_("answers")) + "<extra></extra>",
        "name": _("answers"),
    }
    layout = chart_layout(
        title=plot_text(title)
        or ngettext(
            "{n} of {asked} student answered",
            "{n} of {asked} students answered",
            asked,
        ).format(n=tally.total, asked=asked),
        x_title=_("answer"),
        y_title=_("students"),
        font_size=font_size,
        categories=names,
        yaxis={"range": [0, room * 1.15], "rangemode": "tozero", "dtick": max(1, room // 10)},
        showlegend=False,
    )
    return figure([bar], layout)

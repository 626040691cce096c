"""The projector's chart of the room's answers: data in, Plotly figure out (pure).

One bar per answer, its height the number of students who gave it, the y axis running to
the number of students connected (so a bar's height reads as a share of the room), each
bar labelled "count / connected". After the reveal the right answers are drawn in blue
with a hatch and the word "right" in their label, the others in grey: colour is never the
only sign. No names: a bar is a count.
"""

from __future__ import annotations

import plotly.graph_objects as go

from softmax_ui.figures import BAR, INVALID, WINNER, category_names, chart_layout, figure, hatch
from softmax_ui.i18n import _, ngettext
from softmax_ui.live_questions import Tally, tally_text
from softmax_ui.text import plot_text

WAITING = BAR


def answers_chart(
    tally: Tally,
    connected: int,
    *,
    right: set[str] | None = None,
    font_size: int = 16,
    title: str = "",
) -> go.Figure:
    """Bars of ``tally``; ``right`` (after the reveal) marks the right answers."""
    names = category_names([tally_text(tally, a) for a in tally.answers])
    room = max(connected, tally.total, 1)
    revealed = right is not None
    good = [revealed and a in right for a in tally.answers]
    text = [
        f"{n} / {connected}" + (" · " + _("right") if ok else "")
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
            "{n} of {connected} connected student answered",
            "{n} of {connected} connected students answered",
            connected,
        ).format(n=tally.total, connected=connected),
        x_title=_("answer"),
        y_title=_("students"),
        font_size=font_size,
        categories=names,
        yaxis={"range": [0, room * 1.15], "rangemode": "tozero", "dtick": max(1, room // 10)},
        showlegend=False,
    )
    return figure([bar], layout)

"""Proposal 2 of docs/benchmarks.md: cheaper Plotly figure construction, same figures.

Rewrites ``softmax_ui/figures*.py`` under ROOT (default: a copy you name; never run it on the
shared checkout by surprise) so that

* ``_layout()`` assigns the whole layout at once (``fig.layout = _merge(current, new)``)
  instead of ``update_layout`` + ``update_xaxes`` + ``update_yaxes``;
* ``add_hline``/``add_vline`` calls become ``rule()``, which writes the same shape and
  annotation without plotly's per-call validation;
* ``fig.update_xaxes(...)``/``fig.update_yaxes(...)`` become
  ``fig.layout.xaxis.update(...)``/``fig.layout.yaxis.update(...)`` (single-axis figures).

The figures' JSON is unchanged (checked page by page through AppTest). Usage::

    cp -r . /tmp/copy && python benchmarks/proposals/make_fast_figures.py /tmp/copy
    diff -u softmax_ui/figures.py /tmp/copy/softmax_ui/figures.py
"""

import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
F = root / "softmax_ui/figures.py"
s = F.read_text()
start, end = s.index("def _layout(fig: go.Figure"), s.index("def _category_names")
s = (
    s[:start]
    + '''def _merge(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, nested dictionaries merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        nested = isinstance(value, dict) and isinstance(old, dict)
        out[key] = _merge(old, value) if nested else value
    return out


def _layout(fig: go.Figure, *, title: str, x_title: str, y_title: str, font_size: int) -> None:
    # One assignment of the whole layout: update_layout/update_xaxes/update_yaxes validate
    # their arguments path by path and cost several times more (docs/benchmarks.md, profile).
    fig.layout = _merge(
        fig.layout.to_plotly_json(),
        {
            "template": "none",
            "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": font_size + 4}},
            "font": {"size": font_size, "family": "sans-serif", "color": "#222"},
            "margin": {"l": 70, "r": 20, "t": 60, "b": 60},
            "height": 320 + 6 * font_size,
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "legend": {"orientation": "h", "y": -0.25, "x": 0},
            "hoverlabel": {"font": {"size": font_size}},
            "bargap": 0.25,
            "xaxis": {
                "title": {"text": x_title},
                "type": "category",
                "showgrid": False,
                "automargin": True,
            },
            "yaxis": {
                "title": {"text": y_title},
                "gridcolor": "#ddd",
                "zerolinecolor": "#888",
                "automargin": True,
            },
        },
    )


def rule(
    fig: go.Figure,
    axis: str,
    at: float,
    *,
    line: dict,
    text: str,
    position: str,
    font: dict | None = None,
) -> None:
    """What ``fig.add_hline`` (axis "y") or ``fig.add_vline`` (axis "x") draws, with a label,
    as the same JSON but without their per-call validation (several ms each)."""
    vertical, horizontal = position.split()
    if axis == "y":
        shape = {"type": "line", "line": line, "xref": "x domain", "x0": 0, "x1": 1}
        shape |= {"yref": "y", "y0": at, "y1": at}
        note = {"xref": "x domain", "x": 0 if horizontal == "left" else 1, "xanchor": horizontal}
        note |= {"yref": "y", "y": at, "yanchor": "bottom" if vertical == "top" else "top"}
    else:
        shape = {"type": "line", "line": line, "xref": "x", "x0": at, "x1": at}
        shape |= {"yref": "y domain", "y0": 0, "y1": 1}
        note = {"xref": "x", "x": at, "xanchor": "left" if horizontal == "right" else "right"}
        note |= {"yref": "y domain", "y": 1 if vertical == "top" else 0, "yanchor": vertical}
    note |= {"showarrow": False, "text": text}
    if font:
        note["font"] = font
    fig.layout.shapes = (*fig.layout.shapes, shape)
    fig.layout.annotations = (*fig.layout.annotations, note)


'''
    + s[end:]
)
F.write_text(s)

# fig.add_hline/add_vline(y=…, line=…, annotation_text=…, annotation_position=…, …) → rule(…)
call = re.compile(r"fig\.add_(h|v)line\((.*?)\n(\s*)\)", re.S)


def repl(m):
    kind, body, indent = m.group(1), m.group(2), m.group(3)
    args = body
    args = re.sub(r"\b(x|y)=", "", args, count=1)
    args = args.replace("annotation_text=", "text=").replace("annotation_position=", "position=")
    args = re.sub(r"annotation_font_color=([^,\n]+)", r'font={"color": \1}', args)
    axis = '"y"' if kind == "h" else '"x"'
    first = args.lstrip("\n")
    lead = re.match(r"\s*", first).group(0)
    return f"rule(\n{lead}fig,\n{lead}{axis},\n{first}\n{indent})"


for path in sorted((root / "softmax_ui").glob("figures*.py")):
    t = path.read_text()
    t = call.sub(repl, t)
    t = t.replace("fig.update_yaxes(", "fig.layout.yaxis.update(").replace(
        "fig.update_xaxes(", "fig.layout.xaxis.update("
    )
    if path.name != "figures.py" and "rule(" in t and "    rule,\n" not in t and ", rule" not in t:
        t = re.sub(
            r"from softmax_ui\.figures import \(([^)]*)\)",
            lambda m: "from softmax_ui.figures import (" + m.group(1).rstrip() + "\n    rule,\n)",
            t,
            count=1,
        )
        t = re.sub(
            r"from softmax_ui\.figures import ([^(\n]+)\n",
            lambda m: "from softmax_ui.figures import " + m.group(1) + ", rule\n",
            t,
            count=1,
        )
    path.write_text(t)
print("ok")

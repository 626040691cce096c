"""Hostile labels and titles: shown exactly as typed, never interpreted, on every page.

One link gives every page 20 class labels and a deck of 20 scene titles made of Markdown,
HTML, LaTeX, autolink URLs, e-mail addresses, emoji short codes, Plotly templates and emoji.
Each page is run twice in AppTest: with these, and with plain names (``l01``…, ``t01``…).
The oracle, written apart from the app's escaping:

* every piece of text the page shows as Markdown (prose, captions, alerts, headings, metric
  labels and values, radio options, expander labels) is parsed with markdown-it (CommonMark
  plus GitHub tables and strikethrough); its token structure must be the *same* with hostile
  labels as with plain ones: no extra link, image, HTML, emphasis, code, heading or list;
* no text token matches GitHub's autolink-literal rules (Streamlit's Markdown turns
  ``https://…``, ``www.…`` and ``a@b.c`` in the decoded text into links), an emoji short code,
  a ``:material/…:`` icon, a colour directive, or holds an unescaped ``$`` (LaTeX);
* every chart has the same HTML tags and the same template placeholders as with plain names;
* and the labels are there, as typed, once the invisible word joiners are removed.

The browser suite (tests/browser/test_browser_hostile.py) checks the drawn page the same way.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from markdown_it import MarkdownIt

from softmax_ui import catalog
from softmax_ui.page import link_box_html
from softmax_ui.quiz import check, new_question, why_not
from softmax_ui.scenes import Scene, encode_deck
from softmax_ui.state import MAX_LABEL_LENGTH, LessonState, clean_label, to_query
from softmax_ui.tables import to_csv
from softmax_ui.text import WORD_JOINER, markdown_safe, plain
from tests.ui.conftest import assert_healthy, open_page

HOSTILE = (
    "![a](http://x.invalid/i)",
    "[win](https://x.invalid)",
    ":red[**ALERT**]",
    "https://x.invalid/a",
    "www.x.invalid",
    "a@x.invalid",
    "<img src=x onerror=f()>",
    "$x^2$ \\(y\\)",
    ":dog: :material/home:",
    "🐶 dog",
    "`c` *e* _u_ ~~s~~",
    "# h | t |",
    "<https://x.invalid>",
    "&lt;b&gt; &#58;",
    "- item",
    "> quote",
    "=cmd| \\ @SUM(1)",
    "mailto:a@x.invalid",
    "%{y} %{x}",
    "<b>bold</b>",
)
PLAIN = tuple(f"l{i:02d}" for i in range(1, 21))
LOGITS = tuple(round(2.0 - 0.3 * i, 1) for i in range(20))
assert all(len(s) <= MAX_LABEL_LENGTH and clean_label(s) == s for s in HOSTILE)
assert len(set(HOSTILE)) == len(HOSTILE) == len(PLAIN)

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
MARKDOWN_TYPES = {"markdown", "caption", "title", "header", "subheader"} | {
    "error",
    "warning",
    "info",
    "success",
}
# GitHub's autolink literals (mdast-util-gfm-autolink-literal, as shipped in Streamlit's
# frontend), without their "previous character" condition: stricter than the real thing.
AUTOLINK = re.compile(r"https?://|www\.|[-.\w+]+@[-\w]+(\.[-\w]+)+", re.IGNORECASE | re.ASCII)
SHORTCODE = re.compile(r":[\w+-]+:|:material/|:[a-z-]+\[", re.ASCII)


def link(
    labels: tuple[str, ...], titles: tuple[str, ...], first: str = catalog.HOME.path
) -> dict[str, str]:
    """A link with these labels and a deck of scenes with these titles, at scene 1, which is
    on page ``first`` (a scene bar is shown on its scene's page only); every scene after the
    first names two of the labels and its target class, which the Workshop's deck table
    writes out."""
    state = LessonState(logits=LOGITS, labels=labels)
    at = next(i for i, page in enumerate(catalog.PAGES) if page.path == first)
    pages = catalog.PAGES[at:] + catalog.PAGES[:at]
    deck = tuple(
        Scene(page.slug, title, "z=1,2")
        if i == 0
        else LessonState(
            logits=(1.0, 2.0), labels=(labels[i], labels[(i + 1) % len(labels)]), target=1
        ).as_scene(page.slug, title)
        for i, (page, title) in enumerate(zip(pages * 3, titles, strict=False))
    )
    return to_query(state) | {"deck": encode_deck(deck), "scene": "1"}


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def shown(at) -> list[tuple[str, str, str]]:
    """(element type, "md" / "plain" / "chart", text) for everything the page shows."""
    out = []
    for node in walk(at._tree):
        kind = getattr(node, "type", "")
        if kind in MARKDOWN_TYPES:
            out.append((kind, "md", node.value))
        elif kind == "metric":
            out += [(kind, "md", node.label), (kind, "md", node.value)]
        elif kind == "radio":
            out += [(kind, "md", node.label)] + [(kind, "md", o) for o in node.options]
        elif kind == "expander":
            out.append((kind, "md", node.label))
        elif kind in {"selectbox", "multiselect"}:
            out += [(kind, "plain", o) for o in node.options]
        elif kind == "plotly_chart":
            out.append((kind, "chart", node.proto.spec))
    return out


def tokens(source: str):
    def flat(items):
        for token in items:
            yield token
            yield from flat(token.children or [])

    return list(flat(MARKDOWN.parse(source)))


def structure(source: str) -> list[tuple[str, str]]:
    return [(t.type, t.tag) for t in tokens(source)]


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def chart_markup(spec: str) -> tuple[list[str], int]:
    """The HTML tags Plotly would draw in a chart, and its template placeholders."""
    figure = json.loads(spec)
    tags = sorted(m.lower() for s in strings(figure) for m in re.findall(r"<\s*/?\s*\w+", s))
    templates = []

    def collect(value):
        if isinstance(value, dict):
            for key, v in value.items():
                if key in {"hovertemplate", "texttemplate"} and isinstance(v, str):
                    templates.append(v)
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    collect(figure)
    return tags, sum(t.count("%{") for t in templates)


def markers(source: str) -> list[str]:
    """What Streamlit would turn into something other than text: links, images and HTML
    (parsed), and in the decoded text autolink literals, short codes and directives."""
    found = []
    for token in tokens(source):
        if token.type in {"link_open", "image", "html_inline", "html_block"}:
            found.append(token.type)
        elif token.type == "text":
            found += [m.group() for m in AUTOLINK.finditer(token.content)]
            found += [m.group() for m in SHORTCODE.finditer(token.content)]
    return found


def names_as_slots(text: str, names: tuple[str, ...] | None) -> str:
    """``text`` with each label or title replaced by its number: a plain-text option must
    hold the hostile name exactly as typed where the plain run holds ``l01`` or ``t01``."""
    if names is None:
        return re.sub(r"\b[lt](\d\d)\b", lambda m: f"#{int(m.group(1)) - 1}", text)
    for i in sorted(range(len(names)), key=lambda i: -len(names[i])):
        text = text.replace(names[i], f"#{i}")
    return text


def unescaped_dollars(source: str) -> int:
    return len(re.findall(r"(?<!\\)\$", source))


def compare_shown(plain_at, hostile_at) -> list[str]:
    """Check that the page with hostile labels shows the same elements as with plain ones,
    each with the same structure; the text seen."""
    assert_healthy(plain_at)
    assert_healthy(hostile_at)
    assert not hostile_at.warning or all("Ignored" not in w.value for w in hostile_at.warning)
    expected, got = shown(plain_at), shown(hostile_at)
    assert [(k, f) for k, f, _ in got] == [(k, f) for k, f, _ in expected], "same elements"
    seen_text = []
    for (kind, form, text), (_, _, reference) in zip(got, expected, strict=True):
        if form == "md":
            assert structure(text) == structure(reference), (kind, text)
            assert unescaped_dollars(text) == unescaped_dollars(reference), (kind, text)
            assert markers(text) == markers(reference), (kind, text)
            seen_text += [t.content.replace(WORD_JOINER, "") for t in tokens(text)]
        elif form == "plain":
            assert names_as_slots(text, HOSTILE) == names_as_slots(reference, None), text
            seen_text.append(text)
        else:
            assert chart_markup(text) == chart_markup(reference), kind
    return seen_text


@pytest.mark.parametrize("path", [page.path for page in catalog.PAGES])
def test_hostile_labels_and_titles_are_shown_as_typed_on_every_page(path):
    page = next(page for page in catalog.PAGES if page.path == path)
    seen_text = []
    for tab in page.tabs or ("",):  # each tab of further pictures, drawn when open
        opened = {"tab": tab} if tab else {}
        titles = tuple(f"t{i:02d}" for i in range(1, 21))
        plain_at = open_page(path, link(PLAIN, titles, first=path) | opened)
        hostile_at = open_page(path, link(HOSTILE, HOSTILE, first=path) | opened)
        seen_text += compare_shown(plain_at, hostile_at)
    everything = "\n".join(seen_text)
    if path in {page.path for page in catalog.LESSONS} - {catalog.CALIBRATION.path}:
        assert sum(label in everything for label in HOSTILE) >= 3, "the labels are shown"
    if path == catalog.WORKSHOP.path:  # the deck's table lists every title and class name
        assert all(title in everything for title in HOSTILE)
        table = next(m.value for m in hostile_at.markdown if m.value.startswith("| \\#"))
        for label in HOSTILE[1:]:
            assert markdown_safe(label) in table, label
    assert HOSTILE[0] in everything  # scene 1's title, in the scene bar


def test_metric_values_show_a_label_as_typed():
    at = open_page(catalog.PLAYGROUND.path, {"z": "5,1", "labels": "www.x.invalid,b"})
    assert plain(at.metric[0].value) == "www.x.invalid"
    assert WORD_JOINER in at.metric[0].value  # the autolink is broken, invisibly


@pytest.mark.parametrize("text", HOSTILE)
def test_md_round_trips_through_a_markdown_parser(text):
    """What markdown-it reads back from markdown_safe(text) is text, and exactly ``text``."""
    (_, inline, _) = MARKDOWN.parse(markdown_safe(text))
    assert [c.type for c in inline.children] == ["text"]
    assert inline.children[0].content.replace(WORD_JOINER, "") == text


def test_csv_download_cells_never_start_a_formula():
    csv_text = to_csv({"class": list(HOSTILE), "p": [0.05] * 20})
    for line in csv_text.splitlines()[1:]:
        assert not line.startswith(("=", "+", "-", "@", '"=', '"+', '"-', '"@')), line
    assert "'=cmd| \\ @SUM(1)" in csv_text and "'- item" in csv_text


@pytest.mark.parametrize("title", HOSTILE)
def test_a_removed_scenes_title_is_said_as_typed(title):
    """The Workshop's "Scene removed: {title}." (an info box, Markdown) quotes the teacher's
    title: it reads as typed and never becomes a link, an image, HTML or LaTeX."""
    deck = (Scene("Playground", title, "z=2,1&labels=a,b&T=1"), Scene("Playground", "b", "T=2"))
    at = open_page(catalog.WORKSHOP.path, {"deck": encode_deck(deck)})
    next(box for box in at.selectbox if box.label == "Remove a scene").select(0).run()
    next(b for b in at.button if b.label == "Remove it").click().run()
    assert_healthy(at)
    (said,) = [i.value for i in at.info]
    assert markers(said) == [] and unescaped_dollars(said) == 0, said
    assert plain(said) == f"Scene removed: {title}.", said


def test_the_jacobians_key_on_a_phone_shows_each_hostile_name_as_typed():
    """A phone's Jacobian of long names numbers its classes and names them in a key under
    the chart and in the hover (new places a typed name reaches): each name is escaped for
    Plotly's HTML, never a tag, whatever it holds."""
    import html

    import numpy as np

    from softmax_core import softmax_jacobian
    from softmax_ui.figures_training import jacobian_heatmap

    labels = list(HOSTILE[:8])
    fig = jacobian_heatmap(labels, softmax_jacobian(np.array(LOGITS[:8])), narrow=True)
    heatmap = fig.data[0]
    assert list(heatmap.x) == [str(i) for i in range(1, 9)]  # numbered: the key names them
    key = "<br>".join(a.text for a in fig.layout.annotations)
    hover = "\n".join(cell for row in heatmap.customdata for cell in row)
    for label in labels:
        escaped = html.escape(label, quote=False).replace("$", "&#36;")
        assert escaped in key and escaped in hover, label
    assert "<img" not in key and "<b>" not in key and "<img" not in hover


@pytest.mark.parametrize("label", HOSTILE)
def test_a_chart_title_on_the_page_shows_a_hostile_name_as_typed(label):
    """A chart's title is written into the page as HTML (page.title_html: escaped, then its
    subscript letters as <sub>): a typed name, even one holding ᵢ or tags, is never markup
    other than those <sub>."""
    import html

    from softmax_ui.page import title_html

    title = f"softmax of {label} ∂pᵢ/∂zⱼ"
    written = title_html(title)
    subs = ("<sub>i</sub>", "<sub>j</sub>")
    plain = written
    for sub, glyph in zip(subs, ("ᵢ", "ⱼ"), strict=True):
        plain = plain.replace(sub, glyph)
    assert plain == html.escape(title)
    for sub in subs:
        written = written.replace(sub, "")
    assert "<" not in written


@pytest.mark.parametrize("label", HOSTILE)
def test_what_a_screen_reader_is_told_shows_a_hostile_name_as_typed(label, monkeypatch):
    """softmax_ui.spoken.announce writes its text into the page as HTML, hidden, for the page
    script to say (a live question's prompt and verdict name the class names): a typed name
    is never markup there, only text, and it is said as typed."""
    import html

    from softmax_ui import spoken

    said = f"Question 1: the answer is {label}. You said {label}."
    written: list[str] = []
    monkeypatch.setattr(spoken.st, "markdown", lambda body, **_kw: written.append(body))
    spoken.announce(said)
    (body,) = written
    assert [token.type for token in MARKDOWN.parse(body)] == ["html_block"]
    inner = re.fullmatch(r'<div class="softmax-announce" aria-hidden="true">(.*)</div>', body)
    assert inner and "<" not in inner[1] and ">" not in inner[1], body
    assert html.unescape(inner[1]) == " ".join(said.split())


TIE_AT_THE_CUT = ",".join(["3", "3"] + ["0"] * 18)


@pytest.mark.parametrize(
    ("path", "changes"),
    [
        (catalog.NAIVE.path, {"offset": "1000"}),  # NaN: speech.naive_top names the classes
        (catalog.TEMPERATURE.path, {"z": TIE_AT_THE_CUT, "top_k": "1", "tab": "filters"}),
        (catalog.PLAYGROUND.path, {"T": "0.01"}),  # "1 − x" in the metric and sentences
    ],
    ids=["naive NaN", "top-k tie at the cut", "near one"],
)
def test_the_sentences_this_session_added_show_hostile_names_as_typed(path, changes):
    """The NaN chart's alt text, top-k's cut inside a tie and the near-one sentences name
    the classes: with hostile names each is drawn as the plain names' page is, and each
    chart's alt text holds them as typed."""
    titles = tuple(f"t{i:02d}" for i in range(1, 21))
    plain_at = open_page(path, link(PLAIN, titles, first=path) | changes)
    hostile_at = open_page(path, link(HOSTILE, HOSTILE, first=path) | changes)
    seen = "\n".join(compare_shown(plain_at, hostile_at))
    assert sum(label in seen for label in HOSTILE) >= 2, seen[:500]
    # a chart's alt text is an attribute, plain text: each name in it exactly as typed
    alts = [
        [node.proto.alt for node in walk(at._tree) if getattr(node, "type", "") == "plotly_chart"]
        for at in (plain_at, hostile_at)
    ]
    for reference, alt in zip(*alts, strict=True):
        assert names_as_slots(alt, HOSTILE) == names_as_slots(reference, None), alt


@pytest.mark.parametrize("label", HOSTILE)
def test_a_hint_that_names_a_class_shows_a_hostile_name_as_typed(label):
    """A wrong verdict's hint may name a class ("Of 1000 samples, between 0 and 1000 can be
    dog."): the Quiz and the live class put it after the verdict as Markdown (``why_not``).
    With a hostile name its structure is the plain name's, nothing in it is a link, an
    image, HTML, a short code or LaTeX, and the reader sees the name as typed."""

    def hint(name: str) -> str:
        for seed in range(100):  # a question about the named class (the first)
            question = new_question(
                np.random.default_rng(seed), (1.0, 0.0), (name, "other"), kind="expected_count"
            )
            if question.get("class") == 0:
                break
        verdict = check(question, -1)  # a count below 0: told why it cannot be
        assert not verdict.correct and verdict.hint, verdict
        assert name in verdict.hint, verdict.hint
        return why_not(verdict)

    reference, hostile = hint("l01"), hint(label)
    assert structure(hostile) == structure(reference), hostile
    assert not markers(hostile) and not unescaped_dollars(hostile), hostile
    n = reference.split()[1]  # " Of {n} samples, …"
    assert plain(hostile) == f" Of {n} samples, between 0 and {n} can be {label}.", hostile


class _LinkBoxReader(HTMLParser):
    """The link box's HTML as a browser's parser reads it: every tag, and the text of each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if self._open:
            self.text[self._open[-1]] = self.text.get(self._open[-1], "") + data


@pytest.mark.parametrize("hostile", [*HOSTILE, 'x" onmouseover="alert(1)', "</code><img src=x>"])
def test_a_link_box_shows_a_hostile_link_and_name_as_typed(hostile):
    """A link box (the share link, a deck's, the live class's) holds a link built from the
    reader's class names and a name for its button: whatever they hold, the box is the same
    four elements, the link is its text as typed, and the name its button's label."""
    read = _LinkBoxReader()
    read.feed(link_box_html(f"http://h/Playground?labels={hostile}", hostile))
    assert [tag for tag, _attrs in read.tags] == ["div", "code", "button", "span"]
    assert read.text["code"] == f"http://h/Playground?labels={hostile}"
    button = read.tags[2][1]
    assert button["aria-label"] == f"Copy link: {hostile}"
    assert set(button) == {"type", "class", "aria-label", "data-copied", "data-selected"}

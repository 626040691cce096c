"""Accessibility checks for the browser suite: axe-core, a contrast oracle of our own, and
keyboard helpers.

* :func:`axe_violations` runs the axe-core bundled in the ``axe-playwright-python`` package
  (the script is read from the installed package and injected into the page; nothing is
  fetched, and the suite's :class:`~tests.browser.helpers.Watch` would fail the test if
  anything were).
* :func:`low_contrast_text` measures every piece of visible text (outside the Plotly charts)
  from its computed colours, composited over the backgrounds of its ancestors. It is written
  apart from axe and covers what axe leaves out: disabled controls (WCAG exempts them, this
  app does not), text axe marks "incomplete" (e.g. a background it could not determine) and
  input placeholders.
* :func:`tab_to` walks the page with the Tab key only, recording every stop.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Locator, Page

from tests.browser.helpers import wait_for_app

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
"""WCAG 2.0 and 2.1, levels A and AA: the rules that the law (EN 301 549, Section 508) cites."""

_AXE = Axe()


def axe_rules(page: Page) -> list[str]:
    """The ids of the axe rules tagged with :data:`WCAG_TAGS` (axe injected if needed)."""
    page.evaluate(_AXE.axe_script)
    return page.evaluate("tags => axe.getRules(tags).map(r => r.ruleId).sort()", list(WCAG_TAGS))


def axe_version(page: Page) -> str:
    page.evaluate(_AXE.axe_script)
    return page.evaluate("() => axe.version")


def axe_violations(page: Page) -> list[str]:
    """One line per element that breaks a WCAG 2.0/2.1 A/AA rule, as axe-core reports it."""
    results = _AXE.run(page, options={"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}})
    lines = []
    for rule in results.response["violations"]:
        for node in rule["nodes"]:
            checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
            message = checks[0]["message"] if checks else ""
            lines.append(f"{rule['id']}: {node['target']} {node['html'][:120]!r} {message}")
    return lines


_CONTRAST_JS = """
() => {
  const parse = s => {
    const m = /rgba?\\(([^)]+)\\)/.exec(s || "");
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(v =>
      v.endsWith("%") ? parseFloat(v) / 100 : parseFloat(v));
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3]));
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const hex = c => "#" + c.slice(0, 3)
    .map(v => Math.round(v).toString(16).padStart(2, "0")).join("");
  // The colour behind an element: the backgrounds of its ancestors that cover its centre
  // (a label drawn outside its parent's box, like a slider's value above the thumb, is not
  // on that parent's background), composited from the root down. null if one of them
  // paints an image (then no single background colour exists).
  const behind = el => {
    const box = el.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const covers = e => {
      const r = e.getBoundingClientRect();
      return e === document.documentElement || e === document.body
        || (r.left <= x && x <= r.right && r.top <= y && y <= r.bottom);
    };
    const chain = [];
    for (let e = el; e; e = e.parentElement) if (covers(e)) chain.push(e);
    let bg = [255, 255, 255];
    for (const e of chain.reverse()) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage && cs.backgroundImage !== "none") return null;
      const c = parse(cs.backgroundColor);
      if (c && c[3] > 0) bg = over(c, bg);
    }
    return bg;
  };
  const opacity = el => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity);
    return o;
  };
  const shown = el => el.checkVisibility({opacityProperty: false, visibilityProperty: true})
    && (() => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1; })();
  const measure = (el, colour, text, kind) => {
    const cs = getComputedStyle(el);
    const fg = parse(colour);
    const bg = behind(el);
    if (!fg || !bg) return null;
    const alpha = fg[3] * opacity(el);
    if (alpha < 0.05) return null;  // not drawn now (e.g. a slider's range shown on focus)
    const drawn = over([fg[0], fg[1], fg[2], alpha], bg);
    const size = parseFloat(cs.fontSize), weight = parseInt(cs.fontWeight, 10);
    const icon = /Material/i.test(cs.fontFamily);
    const large = size >= 24 || (size >= 18.66 && weight >= 700);
    const need = icon || large ? 3 : 4.5;
    const r = ratio(drawn, bg);
    const disabled = !!el.closest("[disabled], [aria-disabled='true'], [data-disabled]");
    return {text: text.trim().slice(0, 60), kind, ratio: Math.round(r * 100) / 100, need,
            fg: hex(drawn), bg: hex(bg), size, disabled, ok: r >= need};
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || seen.has(el)) continue;
    if (el.closest("svg, .js-plotly-plot, style, script, noscript, template")) continue;
    seen.add(el);
    if (!shown(el)) continue;
    const m = measure(el, getComputedStyle(el).color, n.textContent, "text");
    if (m) found.push(m);
  }
  for (const el of document.querySelectorAll("input, textarea")) {
    if (!shown(el) || ["hidden", "range", "checkbox", "radio"].includes(el.type)) continue;
    if (el.value) {
      const m = measure(el, getComputedStyle(el).color, el.value, "input");
      if (m) found.push(m);
    } else if (el.placeholder) {
      const m = measure(el, getComputedStyle(el, "::placeholder").color, el.placeholder,
                        "placeholder");
      if (m) found.push(m);
    }
  }
  return found;
}
"""


@dataclass(frozen=True)
class TextContrast:
    text: str
    kind: str
    ratio: float
    need: float
    fg: str
    bg: str
    size: float
    disabled: bool
    ok: bool

    def __str__(self) -> str:
        state = " (disabled)" if self.disabled else ""
        return (
            f"{self.kind}{state} {self.text!r}: {self.fg} on {self.bg} = {self.ratio}:1, "
            f"needs {self.need}:1 at {self.size:g}px"
        )


def text_contrast(page: Page) -> list[TextContrast]:
    """Every visible text outside the charts, with its contrast against what is behind it."""
    return [TextContrast(**m) for m in page.evaluate(_CONTRAST_JS)]


def low_contrast_text(page: Page) -> list[str]:
    """Visible texts below 4.5:1 (3:1 for large text and icons), disabled ones included."""
    return [str(m) for m in text_contrast(page) if not m.ok]


def tables_without_headers(page: Page) -> list[str]:
    """Tables in the page whose first row is not a row of header cells."""
    return page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='stMain'] table")]
             .filter(t => !t.querySelector("thead th"))
             .map(t => t.innerText.slice(0, 60))"""
    )


def accessibility_problems(page: Page, where: str) -> list[str]:
    """Everything a reader can check on one loaded page, one line each: axe-core's WCAG
    2.0/2.1 A/AA violations, visible texts below their contrast minimum (disabled ones
    included), tables without header cells. Each browser test that opens a page in a view
    calls it, so every page is checked in every view without opening it again."""
    problems = [f"{where} axe {line}" for line in axe_violations(page)]
    problems += [f"{where} contrast {m}" for m in text_contrast(page) if not m.ok]
    problems += [f"{where} table without headers: {t!r}" for t in tables_without_headers(page)]
    problems += [f"{where} headings: {line}" for line in heading_problems(page)]
    return problems


_HEADINGS = """() => [...document.querySelectorAll(
    "[data-testid='stMain'] :is(h1, h2, h3, h4, h5, h6, [role='heading'])")]
  .filter(h => h.checkVisibility() && h.getAttribute("aria-hidden") !== "true")
  .map(h => ({
    level: Number(h.getAttribute("aria-level") || h.tagName.slice(1)) || 0,
    text: h.innerText.replace(/\\s+/g, " ").trim().slice(0, 60),
  }))"""


def heading_problems(page: Page) -> list[str]:
    """The page's outline as a screen reader lists it (its headings, by level): one level-1
    heading, the page's title, first; then no level skipped on the way down (an h3 straight
    under the h1 is read as a part of a section that is not there). Written apart from
    axe-core, whose rules for this ("heading-order", "page-has-heading-one") are best practice,
    not WCAG-tagged, so :func:`axe_violations` does not run them."""
    headings = page.evaluate(_HEADINGS)
    outline = " > ".join(f"h{h['level']} {h['text']!r}" for h in headings)
    problems = []
    if [h["level"] for h in headings].count(1) != 1 or not headings or headings[0]["level"] != 1:
        problems.append(f"not one level-1 heading first: {outline}")
    for before, after in pairwise(headings):
        if after["level"] > before["level"] + 1:
            problems.append(
                f"h{before['level']} {before['text']!r} then h{after['level']} "
                f"{after['text']!r}: {outline}"
            )
    return problems


# --- keyboard ---------------------------------------------------------------------------------

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const name = el.getAttribute("aria-label")
    || (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
         .map(id => (document.getElementById(id) || {}).innerText || "").join(" ")
    || (el.labels && el.labels.length ? [...el.labels].map(l => l.innerText).join(" ") : "")
    || (el.innerText || el.value || el.getAttribute("title") || "");
  // Where the element is in document order, to check that Tab follows the reading order.
  let order = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
  for (let n = walker.nextNode(); n && n !== el; n = walker.nextNode()) order++;
  return {tag: el.tagName.toLowerCase(), role: el.getAttribute("role") || "",
          name: name.replace(/\\s+/g, " ").trim().slice(0, 80), order,
          visible: el.matches(":focus-visible")};
}"""


@dataclass(frozen=True)
class Stop:
    """Where one press of Tab put the focus."""

    tag: str
    role: str
    name: str
    order: int
    visible: bool

    def __str__(self) -> str:
        return f"<{self.tag} role={self.role or '-'}> {self.name!r}"


def focused(page: Page) -> Stop | None:
    found = page.evaluate(_FOCUSED)
    return Stop(**found) if found else None


_INDICATOR_BOX = """() => {
  // What shows the focus: the box drawn around a text, number or select input, the thumb
  // of a slider (its input is visually hidden), else the first ancestor of visible size.
  let e = document.activeElement;
  const drawn = e.closest("[data-testid='stTextInputRootElement'], "
    + "[data-testid='stNumberInputContainer'], [data-testid='stTextAreaRootElement'], "
    + "[role='group']:has(> input[role='combobox'])");
  if (drawn) e = drawn;
  while (e.parentElement) {
    const r = e.getBoundingClientRect();
    if (r.width > 4 && r.height > 4) break;
    e = e.parentElement;
  }
  const r = e.getBoundingClientRect();
  return [r.x, r.y, r.width, r.height];
}"""


def _pixels(page: Page, clip: dict) -> np.ndarray:
    png = page.screenshot(clip=clip, animations="disabled", caret="hide")
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float64)


def _luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb / 255.0
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * c[..., 0] + 0.7152 * c[..., 1] + 0.0722 * c[..., 2]


def focus_indicator(page: Page, pad: int = 8) -> tuple[int, int]:
    """How visible the focus is on the focused control, from pixels: the area around it is
    screenshotted focused and again with the focus taken away (then given back).

    Returns (pixels whose colour changed by a contrast of at least 3:1, pixels needed). A
    ring of 3:1 change is what WCAG 2.2's focus appearance asks; needed is the control's
    width + height (half its perimeter), at most 80 px, so a thin glow or a background tint
    does not pass.
    """
    x, y, w, h = page.evaluate(_INDICATOR_BOX)
    view = page.viewport_size or {"width": 1400, "height": 900}
    x0, y0 = max(0.0, x - pad), max(0.0, y - pad)
    x1, y1 = min(view["width"], x + w + pad), min(view["height"], y + h + pad)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return 0, 1  # off screen: the focus cannot be seen
    clip = {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}
    with_focus = _pixels(page, clip)
    page.evaluate(
        "() => { window.__a11yFocus = document.activeElement; document.activeElement.blur(); }"
    )
    without = _pixels(page, clip)
    page.evaluate("() => window.__a11yFocus.focus()")
    a, b = _luminance(with_focus), _luminance(without)
    change = (np.maximum(a, b) + 0.05) / (np.minimum(a, b) + 0.05)
    return int((change >= 3).sum()), int(min(w + h, 80))


def tab_to(page: Page, target: Locator, *, limit: int = 150, rings: bool = True) -> list[Stop]:
    """Press Tab until ``target`` (or something inside it) has the focus; return the stops.

    At every stop the focus must be visible (``:focus-visible`` and, with ``rings``, a
    3:1 indicator measured by :func:`focus_indicator`), and the stops must follow the
    document's order (no positive tabindex sending the focus back up).
    """
    stops: list[Stop] = []
    wrapped = False
    for _ in range(limit):
        page.keyboard.press("Tab")
        wait_for_app(page)
        stop = focused(page)
        if stop is None:
            # Past the last control Tab leaves the page (to the browser's own bar); the next
            # press comes back in at the top, as for anyone who started mid-page.
            assert not wrapped, f"Tab found no way in: {[str(s) for s in stops]}"
            wrapped, stops = True, []
            continue
        assert stop.visible, f"focus not visible (no :focus-visible) on {stop}"
        if rings:
            changed, needed = focus_indicator(page)
            if changed < needed:
                # Leaving a text or number box commits it: a rerun may have redrawn the
                # control while it was measured. Measure again once the app is idle.
                wait_for_app(page)
                changed, needed = focus_indicator(page)
            assert changed >= needed, (
                f"focus ring too faint on {stop}: {changed} pixels change by 3:1, {needed} needed"
            )
        if stops:
            assert stop.order > stops[-1].order, f"Tab went back up the page: {stops[-1]} -> {stop}"
        stops.append(stop)
        if target.evaluate(
            "el => el === document.activeElement || el.contains(document.activeElement)"
        ):
            return stops
    raise AssertionError(
        f"{limit} presses of Tab never reached {target}: {[str(s) for s in stops]}"
    )

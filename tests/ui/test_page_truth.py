"""Every sentence with a number or a comparison on the lesson pages, against an oracle.

The pages run in AppTest; the oracle is written apart from the page code: mpmath at 700
digits for the exact mathematics, plain NumPy in the chosen dtype for what the naive formula
does, Python's max for ties. Hypothesis feeds logits with ties, huge (±1e4) and tiny values,
gaps of 1e-300, and the top-p boundaries; the examples from issue 10 (defects 3, 5, 8) and
issue 15 (point 4) are pinned with ``@example``.

What must hold: names of the winning classes are exactly the tied-for-largest logits;
nothing invalid is marked "▲ max"; every printed number is the exact value to the digits
printed; a printed value never contradicts the bound its sentence states; Naive vs stable
names what it exponentiates, (z + c)/T, everywhere, and explains the stable formula with
finite numbers and no warning for every reachable input.
"""

from __future__ import annotations

import html
import json
import math
import re
import warnings

import mpmath as mp
import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from softmax_core import softmax
from softmax_ui import catalog
from softmax_ui.memory import KEY as MEMORY
from softmax_ui.quiz import check
from softmax_ui.state import format_number
from tests.figure_data import trace_values
from tests.ui.conftest import (
    GRADIENTS,
    NAIVE,
    PLAYGROUND,
    QUIZ,
    TEMPERATURE,
    VERSUS,
    assert_healthy,
    open_page,
)
from tests.ui.test_quiz_oracle import exact_softmax, oracle_check

mp.mp.dps = 700
NAMES = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")
SLOW = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- reading the page ---------------------------------------------------------------------------


def plain(text: str) -> str:
    """Markdown as a person reads it: escapes, bold markers and entities removed."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text.replace("**", "")))


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [s.value for s in at.success]
    return plain("\n".join(parts))


def metric(at, label: str) -> str:
    """A metric as read: its value, and its delta line if it has one (no-break spaces, which
    keep "1 − 2.1e-09" on one line, read as spaces)."""
    found = next(m for m in at.metric if m.label == label)
    return plain(" ".join(filter(None, [found.value, found.delta]))).replace("\xa0", " ")


def charts(at) -> dict[str, dict]:
    """Figure JSON by chart key (the unkeyed first chart is "main")."""
    out = {}
    for c in at.get("plotly_chart"):
        key = c.proto.id.rsplit("-", 1)[-1]
        out["main" if key == "None" else key] = json.loads(c.proto.spec)
    return out


def marked(fig: dict) -> list[int]:
    """Bars of trace 0 marked "▲ max": in their label (few classes), or by a "▲" note above
    them (narrow bars; its x is the bar's position) under a note "max"."""
    texts = fig["data"][0].get("text") or []
    in_label = [i for i, t in enumerate(texts) if "▲ max" in t.replace("<br>", " ")]
    notes = fig["layout"].get("annotations") or []
    above = [int(n["x"]) for n in notes if n["text"] == "▲"]
    if above:  # the word over them
        assert any(n["text"] == "max" for n in notes), notes
    return sorted(in_label + above)


def labels_in(text: str, labels) -> set[str]:
    return {name for name in labels if re.search(rf"\b{name}\b", text)}


def number(text: str) -> float:
    return float(text.replace("−", "-"))


NUM = r"(-?[\d.]+(?:e[-+]?\d+)?)"

# --- the oracle ---------------------------------------------------------------------------------


def winners(values) -> list[int]:
    best = max(values)
    return [i for i, v in enumerate(values) if v == best]


def exact_entropy(z, t) -> mp.mpf:
    p = exact_softmax(z, t)
    return -mp.fsum(q * mp.log(q) for q in p if q > 0)


def sig_close(shown: str, exact, digits: int = 3) -> bool:
    """``shown`` (at least ``digits`` significant digits) is ``exact`` rounded."""
    value = mp.mpf(number(shown))
    return abs(value - exact) <= max(mp.mpf(10) ** -300, abs(exact) * 0.51 * 10 ** (1 - digits))


def check_probability(shown: str, exact, context: object = None, digits: int = 3) -> None:
    """``shown`` is the probability ``exact`` rounded, and reads "1" only for a p that
    float64 cannot tell from 1: within its last step below 1 (1 − 2⁻⁵³). Any two ways of
    rounding may give 1.0 or that step for such a p (an example of the Playground's), the
    page's and a check's; a p further below 1 must never read 1 ("takes 1" beside an entropy
    of 4.3e-08: a tour)."""
    assert sig_close(shown, exact, digits), (shown, exact, context)
    if number(shown) == 1:
        assert 1 - exact <= mp.mpf(2) ** -53, (shown, exact, context)


NEAR_ONE = rf"((?:1 − )?{NUM[1:-1]})"
"""A share as :func:`softmax_ui.text.near_one` writes it: "0.659", "0.999998" or "1 − 2.1e-09"."""


def check_near_one(shown: str, exact, context: object = None) -> None:
    """``shown`` is ``exact`` (a share of 1: a probability, a mass) as near_one writes it: a
    number of at most 6 significant digits that reads "1" only for a share float64 cannot
    tell from 1, or "1 − x" with x ≈ 1 − exact (a run of 9s nobody reads)."""
    if shown.startswith("1 − "):
        assert sig_close(shown[4:], 1 - exact, 2), (shown, 1 - exact, context)
    else:
        assert len(shown.split("e")[0].replace(".", "").lstrip("0")) <= 6, (shown, context)
        check_probability(shown, exact, context)


def share_read(shown: str):
    """The number a share reads: "1 − x" is 1 − x."""
    if shown.startswith("1 − "):
        return 1 - mp.mpf(number(shown[4:]))
    return mp.mpf(number(shown))


def check_share(shown: str, exact, context: object = None) -> None:
    """``shown`` is the share ``exact``: rounded (:func:`check_probability`), or "1 − x" with
    x ≈ 1 − exact (a share float64 rounds to 1 reads so: text.top_probability)."""
    if shown.startswith("1 − "):
        assert sig_close(shown[4:], 1 - exact, 2), (shown, 1 - exact, context)
    else:
        check_probability(shown, exact, context)


def fixed_close(shown: str, exact) -> bool:
    """``shown`` (fixed decimals) is ``exact`` to the places printed (1e-12 for float64)."""
    places = len(shown.split(".")[1]) if "." in shown else 0
    return abs(mp.mpf(number(shown)) - exact) <= 0.5 * 10.0**-places + 1e-12


def check_never_above(value: str, bound: str, exact_value, exact_bound) -> None:
    """A printed value never exceeds its printed bound, and is printed below it whenever
    it is below by more than float64 noise."""
    assert number(value) <= number(bound), (value, bound)
    if exact_bound - exact_value > 1e-9:
        assert number(value) < number(bound), (value, bound, exact_value, exact_bound)


SHARE = r"(?:more than )?\S+%"
"""A share of a ceiling as the pages write it: "50%", "more than 99.9999%"."""


def check_percent(shown: str, exact_ratio, equal: bool = False) -> None:
    """``shown`` (a share of 100 %) is ``exact_ratio`` to its digits; 100 % only where the
    logits are ``equal``, "more than X%" only above X % and short of 100 %."""
    if shown.startswith("more than "):
        floor = number(shown.removeprefix("more than ").rstrip("%")) / 100
        assert floor < exact_ratio < 1 and not equal, (shown, exact_ratio)
        return
    x = number(shown.rstrip("%"))
    places = len(shown.rstrip("%").split(".")[1]) if "." in shown else 0
    assert abs(x - 100 * exact_ratio) <= 0.5 * 10.0**-places + 1e-7, (shown, exact_ratio)
    if x == 100:
        assert equal, (shown, exact_ratio)  # 100% only where the logits are equal
    if x == 0:
        assert exact_ratio < 1e-12, (shown, exact_ratio)


def check_winner_metrics(at, z, labels, name_label: str, p_label: str, t: float) -> None:
    top = winners(z)
    shown = metric(at, name_label)
    assert labels_in(shown, labels) == {labels[i] for i in top}, (shown, z)
    assert (f"{len(top)}-way tie" in shown) == (len(top) > 1), shown
    value = metric(at, p_label)
    assert value.endswith(" each") == (len(top) > 1), value
    check_share(value.removesuffix(" each"), exact_softmax(z, t)[top[0]], (value, z))
    if value == "1":  # "1" only when the computed p is 1, the others' nothing float64 holds
        computed = softmax(np.asarray(z, dtype=np.float64), temperature=t)  # as the page
        assert computed[top[0]] == 1.0, (value, computed[top[0]])
        assert not np.delete(computed, top[0]).any(), (value, computed)


# --- inputs -------------------------------------------------------------------------------------

SPECIAL = [0.0, 1.0, -1.0, 2.0, 0.1, 40.0, 1e-300, 5e-324, 1e4, -1e4, 745.5, 88.0, 89.0, 90.0]
LOGIT = st.one_of(st.sampled_from(SPECIAL), st.floats(-1e4, 1e4))
LOGITS = st.lists(LOGIT, min_size=2, max_size=6)
TEMPS = st.one_of(st.sampled_from([0.01, 0.5, 1.0, 2.0, 100.0]), st.floats(0.01, 100.0))


def query(z, t, **rest) -> dict[str, str]:
    q = {
        "z": ",".join(format_number(v) for v in z),
        "labels": ",".join(NAMES[: len(z)]),
        "T": format_number(t),
    }
    return q | {k: str(v) for k, v in rest.items()}


def run(path, q):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # issue 15.4: no RuntimeWarning may leak
        at = open_page(path, q)
    assert_healthy(at)
    return at


# --- Playground ---------------------------------------------------------------------------------


@SLOW
@given(LOGITS, TEMPS)
@example([1.0, 1.0, 0.0], 1.0)  # issue 10.5: the "A tie" preset
@example([2.0, 1.0, 0.1], 1.0)
@example([0.0, 1e-300, 0.0], 1.0)
@example([745.5, 88.0], 17.75)  # p = 1 − 8.2e-17: 1.0 or 1 − 2⁻⁵³, by the order of rounding
@example([1e4, -1e4], 0.01)
@example([3.0, 3.0, 3.0], 2.0)
@example([2.0, 1.0, 0.1], 0.015)  # cannot be halved
@example([2.0, 2.0, 0.1], 60.0)  # cannot be doubled
@example([5.0, 1.0, 0.1, 0.0, 0.0], 0.3)  # p = 0.999998 read "1" (a student tour)
@example([2.0, 1.0, 0.1], 0.01)  # "Its probability 1" for 1 − 3.7e-44 (tour I)
def test_playground_says_only_true_things(z, t):
    labels = NAMES[: len(z)]
    at = run(PLAYGROUND, query(z, t))
    text = page_text(at)
    top = winners(z)
    check_winner_metrics(at, z, labels, "Predicted class (argmax)", "Its probability", t)
    assert marked(charts(at)["main"]) == top
    # "this distribution is at X% of the maximum"
    share = re.search(rf"this distribution is at ({SHARE}) of the maximum", text)
    ceiling = mp.log(len(z))
    check_percent(share.group(1), exact_entropy(z, t) / ceiling, equal=len(top) == len(z))
    # what halving and doubling T does
    if len(top) == len(z):
        assert ("both logits" if len(z) == 2 else f"all {len(z)} logits") + " are equal" in text
        return
    # Halving and doubling are suggested only inside the range T takes (0.01 to 100).
    can_halve, can_double = t / 2 >= 0.01, t * 2 <= 100
    they = r"(?:it gets|they get)"
    found = re.search(
        rf"At T = \S+ the (?:top class|{len(top)} tied top classes), (.*?), gets? {NEAR_ONE}"
        r"(?: each)?\. "
        + (
            rf"Halve T to \S+ and {they} {NEAR_ONE}(?: each)? \(sharper, (.*?)\)\. "
            if can_halve
            else r"T cannot be halved here: 0\.01 is the lowest T\. ()()"
        )
        + (
            rf"Double T to \S+ and {they} {NEAR_ONE}(?: each)? \(flatter"
            if can_double
            else r"T cannot be doubled here: 100 is the highest T\.()"
        ),
        text,
    )
    assert found, text
    names, now, sharp, limit, flat = found.groups()
    assert labels_in(names, labels) == {labels[i] for i in top}
    w = top[0]
    shown_at = [(now, t)] + [(sharp, t / 2)] * can_halve + [(flat, 2 * t)] * can_double
    for shown, temp in shown_at:
        check_share(shown, exact_softmax(z, temp)[w], (temp, z))
    if can_halve:
        assert share_read(now) <= share_read(sharp)
    if can_double:
        assert share_read(flat) <= share_read(now)
    if not can_halve:
        return
    if len(top) == 1:
        assert "one-hot argmax" in limit
    else:
        assert f"even split of the tied classes, 1/{len(top)}" in limit  # not one-hot


# --- Softmax vs sigmoid vs ReLU -----------------------------------------------------------------


@SLOW
@given(LOGITS, TEMPS)
@example([1.0, 1.0, 0.0], 1.0)  # "heads wins with 0.422" was defect 5
@example([2.0, 1.0, 0.1], 0.5)  # the softmax sum read 0.9999999999999999 (a tour)
@example([2.0, 1.0, 0.1], 0.1)  # "dog wins with 1" at p = 0.99995 (a review)
@example([10.0, -10.0, -10.0], 1.0)  # a sigmoid sum of 1.0000454 read "1" (a review)
@example([20.0, 0.0, 0.0], 1.0)  # "softmax gives a 1, and sigmoid(20) = 1" (tour I)
def test_versus_names_every_tied_leader(z, t):
    labels = NAMES[: len(z)]
    text = page_text(run(VERSUS, query(z, t)))
    top = winners(z)
    found = re.search(
        rf"Here (.*?) (?:wins with|tie for the lead with) {NEAR_ONE}( each)?\.", text
    ).groups()
    assert labels_in(found[0], labels) == {labels[i] for i in top}
    assert bool(found[2]) == (len(top) > 1)
    check_near_one(found[1], exact_softmax(z, t)[top[0]], (z, t))  # "wins with 1" (a review)
    # the sums' table: softmax's is exactly 1 (it read 0.9999999999999999 at T = 0.5: a tour)
    sums = dict(re.findall(rf"\| (softmax|sigmoid|ReLU) \| {NUM} \|", text))
    assert sums["softmax"] == "1", text
    sigmoid_sum = mp.fsum(1 / (1 + mp.exp(-mp.mpf(v))) for v in z)
    assert sig_close(sums["sigmoid"], sigmoid_sum, 4), (sums, sigmoid_sum)
    # "1", softmax's exact sum, only for a sum float64 cannot tell from 1 (σ(x) + σ(−x) = 1)
    assert number(sums["sigmoid"]) != 1 or abs(sigmoid_sum - 1) <= mp.mpf(2) ** -52, sums
    # two classes: softmax's share and the sigmoid of the gap, the same number; "1" for
    # 1 − 2.1e-09 (tour I)
    two = re.search(
        rf"softmax gives .*? {NEAR_ONE}, and sigmoid\(\(z₁ − z₂\)/T\) = "
        rf"sigmoid\(\S+\) = {NEAR_ONE}\.",
        text,
    )
    assert two, text
    exact = 1 / (1 + mp.exp(-(mp.mpf(z[0]) - mp.mpf(z[1])) / mp.mpf(t)))
    for shown in two.groups():
        check_share(shown, exact, (z, t))


# --- Naive vs stable ----------------------------------------------------------------------------


def naive_in(dtype: str, z, t, c):
    """The textbook formula as IEEE does it in ``dtype``: (z + c) stored, divided by T."""
    dt = np.dtype(dtype)
    with np.errstate(all="ignore"):
        x = np.asarray(np.asarray(z, dtype=np.float64) + c, dtype=dt) / dt.type(t)
        e = np.exp(x)
        return x, e, e / np.sum(e, dtype=dt)


def exact_limit(dtype: str, kind: str) -> tuple[float, float]:
    """The two neighbouring dtype floats around exp's overflow or underflow threshold:
    exp(x) finite (or > 0) at the first, inf (or 0) at the second."""
    dt = np.dtype(dtype)
    info = np.finfo(dt)
    if kind == "overflow":
        start, step = math.log(float(info.max)), np.inf
        ok = lambda v: np.isfinite(np.exp(v))  # noqa: E731
    else:  # exp(x) rounds to 0 below log(smallest subnormal / 2)
        start, step = math.log(float(info.smallest_subnormal)) - math.log(2), -np.inf
        ok = lambda v: np.exp(v) > 0  # noqa: E731
    with np.errstate(all="ignore"):
        x = dt.type(start)
        for _ in range(64):  # a few ulps from the estimate
            if ok(x):
                break
            x = np.nextafter(x, -step)
        for _ in range(64):
            if not ok(np.nextafter(x, step)):
                break
            x = np.nextafter(x, step)
        assert ok(x) and not ok(np.nextafter(x, step))
        return float(x), float(np.nextafter(x, step))


@settings(max_examples=14, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    LOGITS,
    TEMPS,
    st.sampled_from([0.0, 500.0, -500.0, 700.0, 1e4, -1e4, 9.2, 88.5]),
    st.sampled_from(["float16", "float32", "float64"]),
)
@example([2.0, 1.0, 0.1], 0.5, 500.0, "float64")  # issue 10.3: (z + c)/T = 1004, not z/T + c
@example([88.0, 89.0, 90.0], 1.0, 0.0, "float32")  # issue 10.5: "0 ▲ max"
@example([-1000.0, -1000.0, -1000.0], 1.0, 0.0, "float64")  # issue 10.5: only a marked
@example([2.0, 1.0, 0.1], 0.01, 700.0, "float16")  # issue 15.4: inf − inf in the explanation
@example([1e-300, 0.0], 1.0, 500.0, "float64")
@example([11.0, 11.0], 1.0, 0.0, "float16")  # the sum overflows, no term does
@example([-740.0, -741.0], 1.0, 0.0, "float64")  # subnormal terms
@example([2.0, 1.0, 0.1], 1.0, 10.0, "float16")  # 10.1 stored as 10.1016: -1.8984, not -1.9
@example([0.0, -10000.0], 14.0, -500.0, "float64")  # a 0 for a true 1.1e-310: not right
@example([-1.0, -10000.0], 100.0, 0.0, "float64")  # a float64 reference 22 eps off (CI run 78)
def test_naive_vs_stable_says_only_true_things(z, t, c, dtype):
    labels = NAMES[: len(z)]
    at = run(NAIVE, query(z, t, c=format_number(c), dtype=dtype))
    text = page_text(at)
    figs = charts(at)
    # one name for what is exponentiated: (z + c)/T, never z/T + c or max(z/T)
    every = text + json.dumps([f["layout"] for f in figs.values()], ensure_ascii=False)
    every += json.dumps([[d.get("name") for d in f["data"]] for f in figs.values()])
    for wrong in ("z/T + c", "max(z/T)", "largest z/T", "exp(z/T)"):
        assert wrong not in every, wrong
    exponent = figs["exponent_chart"]
    assert exponent["layout"]["yaxis"]["title"]["text"] == "exponent (z + c)/T"
    assert exponent["data"][0]["name"] == "(z + c)/T"
    assert "(z + c)/T" in figs["naive_chart"]["layout"]["title"]["text"]
    assert "max((z + c)/T)" in figs["stable_chart"]["layout"]["title"]["text"]

    # the exponent chart plots what the page exponentiates
    x, _, naive = naive_in(dtype, z, t, c)
    drawn = trace_values(json.dumps(exponent), 0)
    np.testing.assert_array_equal(drawn, x.astype(np.float64))

    # markers: never on a broken naive value; the stable chart names every tied winner
    exact_x = [(mp.mpf(float(v)) + mp.mpf(c)) / mp.mpf(t) for v in z]
    with np.errstate(all="ignore"):
        stored_exponents = x.astype(np.float64)
    # the exponents the stable softmax works from: as the dtype stores them, or (when they
    # do not fit) the float64 ones
    if np.isfinite(stored_exponents).all():
        used = stored_exponents
    else:
        used = (np.asarray(z, dtype=np.float64) + c) / t
    exact_used = exact_softmax(list(used))
    # right to the dtype's precision: 16 eps relatively (as far as a float64 reference can
    # tell: its exponent z_i/T − max is rounded), or 16 of its smallest subnormals
    tol = 16 * float(np.finfo(dtype).eps)
    floor = 16 * float(np.finfo(dtype).smallest_subnormal)
    spreads = 1 + np.abs(np.asarray(used, dtype=np.float64) - np.max(used))
    valid = np.isfinite(naive) & np.array(
        [
            abs(float(a) - float(b)) <= max(tol * spread * abs(float(b)), floor)
            for a, b, spread in zip(naive, exact_used, spreads, strict=True)
        ]
    )
    assert all(valid[i] for i in marked(figs["naive_chart"]))
    if not valid.all():
        assert marked(figs["naive_chart"]) == [], "a broken naive result has no max"
    else:
        assert marked(figs["naive_chart"]) == winners(list(used))
    assert marked(figs["stable_chart"]) == winners(list(used))

    # per-class reasons and the summary: a printed exponent is on the side of the printed
    # limit its sentence says, and the limits are exp's real thresholds in this dtype
    over = exact_limit(dtype, "overflow")
    under = exact_limit(dtype, "underflow")

    def stored(printed: str) -> float:
        """A printed limit, read as a number of the dtype (printed as NumPy prints that
        dtype's numbers: the shortest decimal that reads back as it, "88.72283")."""
        return float(np.dtype(dtype).type(number(printed)))

    for s, side, limit in re.findall(rf"= {NUM} is (above|below) {NUM}", text):
        assert (number(s) > number(limit)) if side == "above" else (number(s) < number(limit))
    for bound in re.findall(rf"\(\(z \+ c\)/T above {NUM}\)", text):
        overflowed = [float(v) for v in x if v > over[0]]
        assert all(v > number(bound) for v in overflowed) and stored(bound) == over[0]
    for bound in re.findall(rf"\(\(z \+ c\)/T below {NUM}\)", text):
        assert stored(bound) == under[0]
    # the limit lines' names and the table of limits print the same two numbers for this
    # dtype, rounded outwards (the legend said 709.78 beside the table's 709.79)
    legend = " ".join(str(d.get("name")) for d in exponent["data"][1:])
    over_named = number(re.search(rf"{dtype} overflow at {NUM}", legend).group(1))
    under_named = number(re.search(rf"{dtype} underflow at {NUM}", legend).group(1))
    row = re.search(rf"\| `{dtype}` \| {NUM} \| {NUM} \| {NUM} \|", text)
    assert (number(row.group(1)), number(row.group(3))) == (over_named, under_named), row
    assert 0 <= over_named - over[0] < 0.01 and 0 <= under[0] - under_named < 0.01
    if "passes" in text:
        passes = re.search(rf"largest \(z \+ c\)/T passes {NUM}", text).group(1)
        assert stored(passes) == over[0]
        below = re.search(rf"every \(z \+ c\)/T is below {NUM}", text).group(1)
        assert stored(below) == under[0]

    # the stable explanation: from the exponents the stable chart uses (as the dtype stores
    # them, or float64 from the unrounded values when they do not fit), finite, true
    fix = text[text.index("Softmax does not change when") :]
    fix = fix[: fix.index("finite even when p itself")]
    assert "inf" not in fix.replace("infinite", "") and "NaN" not in fix.split("(then")[0]
    m = number(re.search(rf"max\(\(z \+ c\)/T\) = {NUM}", fix).group(1))
    exact_x = [mp.mpf(float(v)) for v in used] if used is stored_exponents else exact_x
    exact_m = max(exact_x)
    assert sig_close(str(m), exact_m, 6)
    shifted = re.search(r"The exponents become \[([^\]]*)\]", fix).group(1).split(", ")
    assert all(number(v) <= 0 for v in shifted) and "0" in shifted
    for s, v in zip(shifted, exact_x, strict=True):
        assert abs(mp.mpf(number(s)) - (v - exact_m)) <= max(
            mp.mpf(abs(number(s))) * 0.51e-3, abs(exact_m) * 1e-15 + mp.mpf(10) ** -300
        )
    ones = re.search(r"the sum is at least 1 \((.*?)\), so", fix).group(1)
    float_top = winners(list(used))
    assert labels_in(ones, labels) == {labels[i] for i in float_top}
    tail, log_p = re.search(rf"= \S+ \+ {NUM} = \S+, and .*?= {NUM},\s*$", fix).groups()
    exact_tail = mp.log(mp.fsum(mp.exp(v - exact_m) for v in exact_x))
    assert abs(mp.mpf(number(tail)) - exact_tail) <= max(
        exact_tail * 1e-5, abs(exact_m) * 1e-15, mp.mpf(10) ** -300
    ), (tail, exact_tail)
    assert number(log_p) == -number(tail) or number(log_p) == 0 == number(tail)


# --- Temperature & sampling ---------------------------------------------------------------------


def exact_top_p(z, t: float, top_p: float) -> tuple[list[int], int]:
    """Order by logit (ties in class order) and the count the 12-decimal rule keeps, for
    softmax(z / T)."""
    order = sorted(range(len(z)), key=lambda i: (-z[i], i))
    p = exact_softmax(z, t)
    if top_p == 1:
        return order, len(z)
    total = mp.mpf(0)
    for n, i in enumerate(order, 1):
        total += p[i]
        if mp.nint(total * 10**12) / 10**12 >= mp.mpf(repr(top_p)):
            return order, n
    return order, len(z)


@SLOW
@given(
    LOGITS,
    TEMPS,
    st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.25, 0.75, 1.0]),
    st.integers(1, 6),
)
@example([2.0, 1.0, 0.1], 1.0, 0.9, 3)  # issue 10.8: "1.1 nats, near its ceiling 1.099"
@example([1.0, 1.0, 1.0], 1.0, 0.5, 3)  # issue 10.4b: the running totals reach 0.5 after two
@example([4.1, 3.6, 3.2, 2.5, 1.9, 1.2], 1.0, 0.8, 2)
@example([math.log(v) for v in (0.5, 0.3, 0.2)], 1.0, 0.8, 1)  # a total exactly at p
@example([0.0, 1e-300, 0.0], 1.0, 0.5, 1)
@example([0.0, 1.0], 21.0, 0.5, 1)  # the sweep stretched to T
@example([2.0, 1.0, 0.1], 0.01, 0.9, 2)
@example([2.0, 1.0, 0.1], 0.1, 0.9, 2)  # "They held 1 of the probability" at 0.99995
@example([1000.0, 0.0, -1000.0], 1.0, 0.9, 2)  # "9.83662422461598e-21 nats … log 3 = 1.0986…"
@example([3524.0, 1786.0], 20.0, 0.5, 1)  # one entropy reached two ways: not 15 digits apart
@example([0.0, 0.0, -10000.0, 88.0], 3.0, 0.5, 2)  # "They held 0.9999999999999999" (hypothesis)
@example([0.0, 0.0, -1878.0], 100.0, 0.5, 1)  # "log 3 = 1.09861229": ordered with log 2
@example([0.0, 1e-300, -1202.0], 44.0, 0.5, 1)  # every entropy to 11 places
def test_temperature_page_says_only_true_things(z, t, top_p, k):
    labels = NAMES[: len(z)]
    # the page shows the sweep, the samples and the filters in tabs, one drawn at a time
    every_tab = [
        run(TEMPERATURE, query(z, t, p=top_p, k=k, tab=tab)) for tab in catalog.TEMPERATURE.tabs
    ]
    at = every_tab[0]
    text = "\n".join(page_text(one) for one in every_tab)
    figs = {key: fig for one in every_tab for key, fig in charts(one).items()}
    top = winners(z)
    k_shown = min(k, len(z))
    check_winner_metrics(at, z, labels, "Most likely class", "Its probability", t)
    assert marked(figs["main"]) == top
    ceiling = mp.log(len(z))
    h_now = exact_entropy(z, t)
    # the entropy chart's legend and its ceiling line
    legend = figs["entropy_chart"]["data"][1]["name"]
    shown_h = re.search(rf"H = {NUM} nats", legend).group(1)
    note = next(
        a["text"] for a in figs["entropy_chart"]["layout"]["annotations"] if "log K" in a["text"]
    )
    shown_ceiling = re.search(rf"= {NUM} \(uniform\)", note).group(1)
    check_never_above(shown_h, shown_ceiling, h_now, ceiling)
    assert fixed_close(shown_h, h_now) and fixed_close(shown_ceiling, ceiling)
    if len(top) == len(z):
        assert ("Every T. Both" if len(z) == 2 else "Every T. All") in text
    else:
        hot = re.search(
            rf"the entropy is {NUM} nats, ({SHARE}) of its ceiling log {len(z)} = {NUM}",
            text,
        ).groups()
        # the sweep's paragraphs: no number in every digit float64 has (read 4, not 17)
        sweep = text[text.index("T → 0.") : text.index("only how unevenly")]
        digits = [n.replace(".", "").strip("0") for n in re.findall(r"\d+\.\d+", sweep)]
        assert max(map(len, digits), default=0) <= 8, sweep
        # the chart's hot end is said to be near uniform only where it is
        near = "tends to **uniform**" in text or "tends to uniform" in text
        h_end = exact_entropy(z, max(20.0, t))  # the sweep's hot end: T = 20, or T if higher
        if abs(h_end - ceiling / 2) > 1e-9:
            assert near == (h_end > ceiling / 2), (hot, near)
        check_never_above(hot[0], hot[2], h_end, ceiling)
        assert fixed_close(hot[0], h_end) and fixed_close(hot[2], ceiling)
        check_percent(hot[1], h_end / ceiling)
        now = re.search(rf"entropy {NUM} nats, ({SHARE}) of the way", text).groups()
        check_never_above(now[0], hot[2], h_now, ceiling)
        assert fixed_close(now[0], h_now)
        check_percent(now[1], h_now / ceiling)
        cold_t, cold = re.search(rf"T → 0\. At T = {NUM} (.*?):", text).groups()
        assert sig_close(cold_t, min(0.05, t)), (cold_t, t)  # the sweep's cold end
        assert labels_in(cold, labels) == {labels[i] for i in top}
        took = re.search(rf"\(the largest logit\) takes {NEAR_ONE} and", text)
        if len(top) == 1:  # never "1" below 1, nor a run of 9s (1 − 2.1e-09)
            check_near_one(took.group(1), exact_softmax(z, min(0.05, t))[top[0]], (z, t))
    # sampling: the class(es) furthest from their probability, from the chart's own data
    sample = json.dumps(figs["sample_chart"])
    p, freq = trace_values(sample, 0), trace_values(sample, 1)
    gaps = np.abs(freq - p)
    furthest = re.search(r"draws (.*?) (?:is furthest|are equally far|came up)", text).group(1)
    if gaps.max() >= 1e-12:  # below, a gap is far less than one draw (1/N): rounding's
        expected = {labels[i] for i in np.flatnonzero(gaps >= gaps.max() - 1e-12)}
        assert labels_in(furthest, labels) == expected
    elif gaps.max() > 0:
        within = re.search(rf"came up as often as its probability says, to within {NUM},", text)
        assert sig_close(within.group(1), gaps.max(), 2), (within.group(0), gaps.max())
    # the law of chance: none when one class is certain (a spread of 0 shrinks nowhere)
    if p.max() == 1:
        assert "chance moves nothing, whatever N" in text and "√(p(1 − p)/N)" not in text
    else:
        spread = re.search(rf"√\(p\(1 − p\)/N\) = {NUM} here", text).group(1)
        assert float(spread) > 0
    # top-k: the k largest logits and every logit tied with the k-th
    kth = sorted(z, reverse=True)[k_shown - 1]
    kept_k = {labels[i] for i, v in enumerate(z) if v >= kth}
    top_k = re.search(
        r"Top-k(?: keeps the \d+ most likely class(?:es)?[^:]*|(?: with k = 1)?: the cut after "
        r"the first (?:\d+ )?class(?:es)? by logit falls inside a tie, so it keeps (\d+) "
        r"classes): (.*?)\.",
        text,
    )
    assert labels_in(top_k.group(2), labels) == kept_k
    assert (top_k.group(1) is not None) == (len(kept_k) > k_shown), top_k.group(0)
    assert top_k.group(1) is None or int(top_k.group(1)) == len(kept_k)
    if len(kept_k) < len(z):  # the mass kept: "They held 1" at 0.99995 (a review)
        held = re.search(rf"(?:They|It) held {NEAR_ONE} of the probability", text).group(1)
        exact_p = exact_softmax(z, t)
        check_near_one(held, mp.fsum(exact_p[labels.index(n)] for n in kept_k), (z, t, k))
    # top-p: the count, the classes, and the printed totals against the printed p
    order, count = exact_top_p(z, t, top_p)
    if top_p == 1:
        found = re.search(
            r"with p = 1 keeps every class whose probability, as computed, is above 0: (\d+)",
            text,
        )
        s = np.asarray(z, dtype=np.float64) / t
        computed = np.exp(s - s.max()) / np.exp(s - s.max()).sum()  # float64, as the page
        assert int(found.group(1)) == np.count_nonzero(computed > 0), (z, t, found.group(0))
        return
    found = re.search(
        rf"reaches p = {NUM}\. The running totals are (.*?), so it keeps (\d+) "
        r"class(?:es)?: (.*?)\. ",
        text,
    )
    p_text, totals_text, n, kept_text = found.groups()
    totals = [number(part.rsplit(" ", 1)[1]) for part in totals_text.split(", ")]
    assert int(n) == count, (z, top_p, totals_text)
    assert labels_in(kept_text, labels) == {labels[i] for i in order[:count]}
    assert totals[count - 1] >= number(p_text) and (
        count == 1 or totals[count - 2] < number(p_text)
    )
    assert "Hugging Face" in text and "TopPLogitsWarper" in text


# --- Gradients ----------------------------------------------------------------------------------


@SLOW
@given(LOGITS, TEMPS, st.integers(0, 5))
@example([40.0, 0.0, 0.0], 1.0, 0)  # p(target) rounds to 1: the gradient is still negative
@example([1.0, 1.0, 0.0], 1.0, 2)
@example([2.0, 1.0, 0.1], 0.1, 0)  # p(target) = 0.99995 read "1" beside a loss of 4.5e-05
@example([0.0, 20.0, 0.0], 1.0, 0)  # p(target) − 1 = −0.999999996 read "-1" (tour I)
@example([0.0, 10.0], 0.99999, 0)  # (p(target) − 1)/T = −0.99996 read "-1" (hypothesis)
def test_gradients_page_names_ties_and_the_target_gradient(z, t, target):
    labels = NAMES[: len(z)]
    target = target % len(z)
    at = run(GRADIENTS, query(z, t, target=target))
    shown = metric(at, "Predicted class")
    assert labels_in(shown, labels) == {labels[i] for i in winners(z)}
    text = page_text(at)
    found = re.search(rf"−\(sum of the other probabilities\)(?: / T)? = {NUM}", text)
    p = exact_softmax(z, t)
    exact = -mp.fsum(p[j] for j in range(len(z)) if j != target) / mp.mpf(t)
    assert sig_close(found.group(1), exact, 4), (found.group(1), exact)
    # p(target) = 1 beside a loss of 4.5e-05 read as −log 1 ≠ 0 (a review)
    check_near_one(metric(at, "p(target)"), p[target], (z, t, target))
    if exact < -1e-300:
        assert number(found.group(1)) < 0
    # −0.999999996 read "-1" (tour I): ±1 only for a gradient float64 holds as ±1
    if abs(number(found.group(1))) == 1:
        assert abs(abs(exact) - 1) <= mp.mpf(2) ** -52, (found.group(1), exact)


# --- Quiz, through the page ---------------------------------------------------------------------


def answer_widget(at):
    radios = [r for r in at.radio if r.label == "Your answer"]
    return radios[0] if radios else next(n for n in at.text_input if n.label.startswith("Your"))


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(LOGITS, st.integers(0, 2**16))
@example([40.0, 0.0, 0.0], 12)  # issue 10.4a
@example([1.0, 1.0, 1.0], 31)  # issue 10.4b
@example([88.0, 457.0], 1)  # 1 − p at T = 0.5 is subnormal: 3.093e-321 was shown for 3.095e-321
def test_quiz_page_shows_the_answer_the_oracle_accepts(z, seed):
    labels = NAMES[: len(z)]
    at = run(QUIZ, query(z, 1.0, seed=seed))
    for _ in range(4):
        question = at.session_state[MEMORY]["quiz:question"]
        oracle_check(question)  # accepted answer, shown answer and proof agree with the oracle
        verdict = check(question, None)
        good = verdict.answer.split(" or ")[0]
        if question.kind == "expected_count":
            good = verdict.answer.split(" on average")[0]
        widget = answer_widget(at)
        if question.numeric:
            widget.set_value(
                str(float(good) if question.kind != "expected_count" else round(float(good)))
            )
        else:
            widget.set_value(next(o for o in question.options if verdict.answer.startswith(o)))
        at = next(b for b in at.button if b.label == "Check").click().run()
        assert_healthy(at)
        shown = plain(" ".join(s.value for s in at.success))
        assert "Right." in shown and plain(verdict.answer) in shown, (shown, verdict.answer)
        proof = page_text(at)
        for line in check(question, None).proof:
            assert plain(line) in proof
        at = next(b for b in at.button if b.label == "New question").click().run()
    assert labels  # the logits were the link's


# --- the examples, one reason each --------------------------------------------------------


def test_naive_chart_never_marks_an_invalid_value_and_the_stable_chart_marks_every_tie():
    """Issue 10.5: "0 ▲ max" at z = 88, 89, 90 in float32; only a marked at -1000 × 3."""
    figs = charts(run(NAIVE, query([88.0, 89.0, 90.0], 1.0, dtype="float32")))
    assert marked(figs["naive_chart"]) == []  # 0 = 1.65e38/inf is wrong, the rest NaN
    assert marked(figs["stable_chart"]) == [2]
    figs = charts(run(NAIVE, query([-1000.0] * 3, 1.0)))
    assert marked(figs["naive_chart"]) == []
    assert marked(figs["stable_chart"]) == [0, 1, 2]


def test_naive_vs_stable_names_the_exponent_it_computes():
    """Issue 10.3: with T = 0.5 and c = 500 the page exponentiates (z + c)/T = 1004."""
    at = run(NAIVE, query([2.0, 1.0, 0.1], 0.5, c=500))
    figs = charts(at)
    assert figs["exponent_chart"]["layout"]["yaxis"]["title"]["text"] == "exponent (z + c)/T"
    assert trace_values(json.dumps(figs["exponent_chart"]), 0)[0] == 1004.0
    text = page_text(at)
    assert "z/T + c" not in text and "max(z/T)" not in text
    assert "(z + c)/T = 1004 is above" in text and "max((z + c)/T) = 1004" in text


def test_entropy_near_its_ceiling_is_never_printed_above_it():
    """Issue 10.8: "1.1 nats, near its ceiling log 3 = 1.099" (it is 1.0979)."""
    text = page_text(run(TEMPERATURE, query([2.0, 1.0, 0.1], 1.0)))
    hot = re.search(rf"the entropy is {NUM} nats, [^:]*?ceiling log 3 = {NUM}", text)
    assert hot, text
    assert number(hot.group(1)) < number(hot.group(2)), hot.group(0)
    preset = [4.1, 3.6, 3.2, 2.5, 1.9, 1.2, 0.4, -0.5]  # the next-word preset: 2.0767 < log 8
    text = page_text(run(TEMPERATURE, query(preset, 1.0)))
    hot = re.search(rf"the entropy is {NUM} nats, [^:]*?ceiling log 8 = {NUM}", text)
    assert number(hot.group(1)) < number(hot.group(2)), hot.group(0)


def test_a_tie_is_named_on_the_playground():
    """Issue 10.5: the "A tie" preset said "Predicted class: heads"."""
    at = run(PLAYGROUND, {"z": "1,1,0", "labels": "heads,tails,edge", "T": "1"})
    assert metric(at, "Predicted class (argmax)") == "2-way tie heads and tails"
    assert marked(charts(at)["main"]) == [0, 1]
    assert "one-hot" not in page_text(at)


def test_the_preset_stories_state_true_numbers():
    """Every "softmax gives a / b / c" in a preset's story is its logits' softmax, rounded, and
    says it is at T = 1 (the story stays on screen at any T: at T = 0.5 it read "softmax gives
    0.659 / 0.242 / 0.099" beside a chart of 0.864 / 0.117 / 0.019)."""
    from softmax_ui.presets import PRESETS

    checked = 0
    for preset in PRESETS.values():
        found = re.search(r"(?:gives|stable one) (\d+\.\d+(?: / \d+\.\d+)+)", preset.story)
        if found:
            assert "at T = 1" in preset.story, preset.story
            shown = found.group(1).split(" / ")
            exact = exact_softmax(preset.logits)
            assert len(shown) == len(exact)
            for s, v in zip(shown, exact, strict=True):
                assert abs(mp.mpf(s) - v) <= 0.5 * 10.0 ** -len(s.split(".")[1]), (preset.name, s)
            checked += 1
    assert checked == 2
    under = PRESETS["Underflow trap"]
    # "the naive formula divides 0 by 0" held at T = 1 only (at T = 1.95 the Naive vs stable
    # page said the naive formula works, under the story: a student tour)
    assert "at T = 1 the naive formula divides 0 by 0" in under.story, under.story
    with np.errstate(all="ignore"):
        for dtype in ("float16", "float32", "float64"):
            assert np.exp(np.asarray(under.logits, dtype=dtype)).sum() == 0  # "rounds to 0"
            assert np.isinf(np.exp(np.asarray([1000.0], dtype=dtype))).all()  # "too large"


def test_the_metric_writes_the_winners_probability_as_its_bar_does():
    """At T = 0.7 the bar read 0.760 and the metric and announcement 0.76 (a teacher's tour):
    one number, written one way, trailing zeros kept (3 significant digits)."""
    for path in (PLAYGROUND, TEMPERATURE):
        for z in ("1.8458266,0,0", "1,1,0", "2,1,0.1", "0.2,0,0"):
            same_number_in_metric_and_bar(path, z)


def same_number_in_metric_and_bar(path: str, z: str) -> None:
    at = run(path, {"z": z, "labels": "a,b,c", "T": "1"})
    p = softmax(np.array([float(v) for v in z.split(",")]))
    shown = f"{p.max():#.3g}"  # the oracle: 3 significant digits, zeros kept
    bar = charts(at)["main"]["data"][0]["text"][int(np.argmax(p))].split("<br>")[0]
    assert bar == shown, (bar, shown)
    said = metric(at, "Its probability")
    assert said in (shown, f"{shown} each"), (said, shown)

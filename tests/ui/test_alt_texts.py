"""Charts' accessible names (alt texts) read in AppTest against oracles computed here with
plain NumPy, apart from the code that writes them: a screen reader's user hears only these.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from softmax_ui.spoken import ANNOUNCE_CLASS
from softmax_ui.text import plain
from tests.ui.conftest import (
    GRADIENTS,
    NAIVE,
    PLAYGROUND,
    TEMPERATURE,
    assert_healthy,
    open_page,
)

NUM = r"(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)"


def alt(at, key: str) -> str:
    """The accessible name of the chart drawn with ``key``."""
    found = [c.proto.alt for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert found, f"no chart {key!r}"
    return found[0]


def exact_entropy(z: list[float], t: float) -> float:
    """H(softmax(z / t)) in nats, with NumPy alone (the log of each p from the shifted
    exponents, so a p that underflows adds nothing rather than 0 × -inf)."""
    s = np.asarray(z, dtype=np.float64) / t
    s = s - s.max()
    log_p = s - np.log(np.exp(s).sum())
    p = np.exp(log_p)
    return float(-(p * log_p)[p > 0].sum())


def close_to_printed(text: str, value: float) -> bool:
    """``text`` is ``value`` rounded to the places it shows."""
    places = len(text.split(".")[1]) if "." in text else 0
    return abs(float(text) - value) <= 0.5 * 10.0**-places + 1e-15


# --- 2. the entropy sweep names the temperatures its numbers are at ---------------------------


@pytest.mark.parametrize("t", ["100", "0.01", "1"])
def test_the_entropy_alt_names_the_sweeps_real_ends(t):
    """At T = 100 the alt text said "1.09858 at T = 20": 1.09858 is H at T = 100, where the
    stretched sweep ends (H(20) = 1.09786)."""
    z = [2.0, 1.0, 0.1]
    at = open_page(TEMPERATURE, {"z": "2,1,0.1", "labels": "dog,cat,bird", "T": t, "tab": "sweep"})
    assert_healthy(at)
    said = alt(at, "entropy_chart")
    found = re.search(
        rf"entropy rises from {NUM} nats at T = {NUM} to {NUM} at T = {NUM}, "
        rf"below the ceiling log 3 = {NUM}\.",
        said,
    )
    assert found, said
    h_low, t_low, h_high, t_high, _ceiling = found.groups()
    low, high = min(0.05, float(t)), max(20.0, float(t))  # the sweep's ends, stretched to T
    assert (float(t_low), float(t_high)) == (low, high), said
    assert close_to_printed(h_low, exact_entropy(z, low)), (said, exact_entropy(z, low))
    assert close_to_printed(h_high, exact_entropy(z, high)), (said, exact_entropy(z, high))


def test_a_constant_entropy_is_not_said_to_rise():
    """z = 10000, 10000, -10000: H = ln 2 at every T of the sweep, 0.05 to 100; the alt
    text said "entropy rises from 0.693 nats at T = 0.05 to 0.693 at T = 20"."""
    z = [10000.0, 10000.0, -10000.0]
    ts = np.exp(np.linspace(np.log(0.05), np.log(100.0), 60))
    entropies = np.array([exact_entropy(z, t) for t in ts])
    assert np.all(entropies == np.log(2))  # the oracle: constant as computed
    at = open_page(
        TEMPERATURE, {"z": "10000,10000,-10000", "labels": "a,b,c", "T": "100", "tab": "sweep"}
    )
    said = alt(at, "entropy_chart")
    assert "rises" not in said, said
    found = re.search(rf"entropy stays at {NUM} nats from T = {NUM} to T = {NUM}", said)
    assert found, said
    value, t_low, t_high = found.groups()
    assert close_to_printed(value, np.log(2)) and (float(t_low), float(t_high)) == (0.05, 100)


# --- 5. the Jacobian's alt text says what its entries are, as computed ------------------------


def exact_jacobian(z: list[float], t: float) -> np.ndarray:
    """diag(p) − ppᵀ over T, with NumPy alone (the diagonal as pᵢ times the others' sum, as
    float64 would keep it for a pᵢ that rounds to 1)."""
    s = np.asarray(z, dtype=np.float64) / t
    e = np.exp(s - s.max())
    p = e / e.sum()
    j = -np.outer(p, p)
    j[np.diag_indices(len(p))] = [p[i] * np.delete(p, i).sum() for i in range(len(p))]
    return j / t


@pytest.mark.parametrize(
    ("z", "t"),
    [
        ("10000,-10000,0", "0.01"),  # every entry underflows to 0
        ("0,-460,-460", "1"),  # pᵢpⱼ of the two 1e-200s underflows: 0 off the diagonal only
        ("1e-300,0,0", "1"),  # 2/9 on every diagonal entry
        ("2,1,0.1", "1"),
    ],
)
def test_the_jacobian_alt_text_says_what_its_entries_are(z, t):
    """Every entry 0 (z = 10000, -10000, 0 at T = 0.01): the alt text said "positive on the
    diagonal (from 0 to 0), negative elsewhere"."""
    j = exact_jacobian([float(v) for v in z.split(",")], float(t))
    at = open_page(GRADIENTS, {"z": z, "labels": "a,b,c", "T": t, "tab": "jacobian"})
    assert_healthy(at)
    said = alt(at, "jacobian_chart")
    diagonal, off = np.diag(j), j[~np.eye(3, dtype=bool)]
    if not j.any():
        assert "every entry 0" in said, said
        assert "positive" not in said and "negative" not in said, said
        return
    assert ("positive on the diagonal" in said) == bool(np.all(diagonal > 0)), said
    assert ("negative elsewhere" in said) == bool(np.all(off < 0)), said
    assert ("negative or 0 elsewhere" in said) == bool(np.any(off == 0) and np.any(off < 0)), said
    printed = [float(v) for v in re.findall(NUM, said.split("diagonal", 1)[1].split(")")[0])]
    if len(printed) == 1:  # "(0.222 each)": every diagonal entry is that
        assert np.allclose(diagonal, printed[0], rtol=5e-3), (said, diagonal)
    else:
        assert np.allclose(printed, [diagonal.min(), diagonal.max()], rtol=5e-3), said


# --- 7. a NaN in the naive result: no finite 0 beside it is called the largest --------------


@pytest.mark.parametrize(
    ("z", "t"),
    [("10000,-10000,0", "0.01"), ("-1000,-1000,-1000", "1"), ("1000,999,0", "1")],
)
def test_the_naive_alt_text_names_the_nan_classes_and_no_winner(z, t):
    """z = 10000, -10000, 0 at T = 0.01: the naive result is [NaN, 0, 0], and its chart's
    alt text said "b and c tie for the largest probability, 0 each"."""
    labels = ["a", "b", "c"]
    s = np.array([float(v) for v in z.split(",")]) / float(t)
    with np.errstate(all="ignore"):
        naive = np.exp(s) / np.exp(s).sum()  # the textbook formula, float64
    nan = [label for label, v in zip(labels, naive, strict=True) if np.isnan(v)]
    assert nan  # the oracle: these inputs break the naive formula
    at = open_page(NAIVE, {"z": z, "labels": ",".join(labels), "T": t})
    assert_healthy(at)
    said = alt(at, "naive_chart").split(": ", 1)[1].split(".", 1)[0]
    assert "largest probability" not in said and "tie" not in said, said
    verb = "is" if len(nan) == 1 else "are"
    assert re.match(rf"{' and '.join(nan) if len(nan) < 3 else 'a, b and c'} {verb} NaN", said)
    finite = [label for label in labels if label not in nan]
    if finite:  # the naive formula's finite values: 0 beside an inf/inf
        assert np.all(naive[[labels.index(f) for f in finite]] == 0)
        assert f"{' and '.join(finite)} get{'s' if len(finite) == 1 else ''} 0" in said, said
    assert "no class is marked the largest" in said, said


# --- 9. counts in the reader's grammar: "1 sample", "both classes", top-k with a tie ----------


@pytest.mark.parametrize("n", [1, 2])
def test_the_samples_alt_text_counts_in_the_right_number(n):
    """samples=1: the alt text said "observed frequencies of 1 samples"."""
    at = open_page(TEMPERATURE, {"z": "2,1,0.1", "samples": str(n), "tab": "sampling"})
    said = alt(at, "sample_chart")
    assert ("frequency of 1 sample (" if n == 1 else f"frequencies of {n} samples (") in said
    assert "1 samples" not in said, said


def test_two_tied_classes_are_both_not_all_2():
    """z = -0, 0: the alt text and the announcement said "all 2 classes tie at 0.500", the
    naive page's exponent chart "all 2 classes tie at -707"."""
    z = np.array([-0.0, 0.0])
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert p[0] == p[1]  # the oracle: a tie of the two classes
    at = open_page(PLAYGROUND, {"z": "-0,0", "labels": "a,b"})
    assert_healthy(at)
    main = next(c.proto.alt for c in at.get("plotly_chart") if c.proto.alt.startswith("Bar"))
    spoken = [plain(m.value) for m in at.markdown if ANNOUNCE_CLASS in m.value]
    for said in [main, *spoken]:
        assert f"both classes tie at {p[0]:.3f}" in said and "all 2" not in said, said
    text = plain("\n".join(m.value for m in at.markdown)).replace("**", "")
    assert "Here both logits are equal, so each class gets 1/2 = 0.5" in text, text
    assert "all 2" not in text, text
    at = open_page(TEMPERATURE, {"z": "-0,0", "labels": "a,b", "tab": "sweep"})
    text = plain("\n".join(m.value for m in at.markdown)).replace("**", "")
    assert "Every T. Both logits are equal" in text and "All 2" not in text, text
    at = open_page(NAIVE, {"z": "0,0", "labels": "a,b", "offset": "-707"})
    said = alt(at, "exponent_chart")
    assert "both classes tie at -707" in said and "all 2" not in said, said


@pytest.mark.parametrize(
    ("logits", "k", "cut"),
    [
        ("3,3,1", 1, "Top-k with k = 1: the cut after the first class by logit"),
        ("3,2,2,1", 2, "Top-k: the cut after the first 2 classes by logit"),
    ],
)
def test_the_top_k_sentences_are_true_with_a_tie_at_the_cut(logits, k, cut):
    """z = 3, 3, 1 with k = 1: "Top-k keeps the 1 most likely class: dog and cat", and the
    chart's alt text "after keeping the top 1 classes"."""
    z = np.array([float(v) for v in logits.split(",")])
    labels = ["dog", "cat", "bird", "fish"][: len(z)]
    kth = np.sort(z)[::-1][k - 1]
    kept = [labels[i] for i in np.flatnonzero(z >= kth)]  # the k-th and every tie with it
    assert len(kept) > k  # the oracle: the cut falls inside a tie
    at = open_page(
        TEMPERATURE, {"z": logits, "labels": ",".join(labels), "top_k": str(k), "tab": "filters"}
    )
    assert_healthy(at)
    said = alt(at, "filter_chart")
    assert f"top {k} classes" not in said and f"top-k filtering with k = {k}," in said, said
    assert f"Top-k keeps {len(kept)} of {len(z)} classes" in said, said
    text = plain("\n".join(m.value for m in at.markdown)).replace("**", "")
    assert f"keeps the {k} most likely class" not in text, text
    names = ", ".join(kept[:-1]) + " and " + kept[-1]
    expected = f"{cut} falls inside a tie, so it keeps {len(kept)} classes: {names}."
    assert expected in text, text

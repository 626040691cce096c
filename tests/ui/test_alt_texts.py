"""Charts' accessible names (alt texts) read in AppTest against oracles computed here with
plain NumPy, apart from the code that writes them: a screen reader's user hears only these.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.ui.conftest import TEMPERATURE, assert_healthy, open_page

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

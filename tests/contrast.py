"""Colour arithmetic for the tests, written apart from the app's code (an oracle): CSS
colours parsed, alpha composited, WCAG 2.1 contrast ratios and CIE76 colour differences.

>>> round(contrast((0, 114, 178), (255, 255, 255)), 2)
5.19
>>> parse("#fff"), parse("rgba(0, 0, 0, 0.5)"), parse("white")
((255, 255, 255, 1.0), (0.0, 0.0, 0.0, 0.5), (255, 255, 255, 1.0))
>>> over((0, 0, 0, 0.5), (255, 255, 255))
(127.5, 127.5, 127.5)
"""

from __future__ import annotations

import math
import re

RGB = tuple[float, float, float]
RGBA = tuple[float, float, float, float]

NAMED = {"white": "#ffffff", "black": "#000000", "transparent": "rgba(0, 0, 0, 0)"}
LARGE_TEXT_PX = 24.0
"""WCAG "large text": 18 pt = 24 CSS px (or 14 pt = 18.67 px bold)."""


def parse(colour: str) -> RGBA:
    """A CSS colour (``#rgb``, ``#rrggbb``, ``rgb()``, ``rgba()`` or white/black) as RGBA."""
    text = NAMED.get(colour.strip().lower(), colour.strip())
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        if len(digits) != 6:
            raise ValueError(f"not a colour: {colour!r}")
        r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        return (r, g, b, 1.0)
    match = re.fullmatch(r"rgba?\(([^)]*)\)", text)
    if not match:
        raise ValueError(f"not a colour: {colour!r}")
    parts = [float(v) for v in match.group(1).split(",")]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def over(top: RGBA, below: RGB) -> RGB:
    """``top`` composited over the opaque ``below`` (source-over)."""
    a = top[3]
    return tuple(a * t + (1 - a) * b for t, b in zip(top[:3], below, strict=True))  # type: ignore[return-value]


def luminance(rgb: RGB) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour (0–255 channels)."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2.1 contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def lab(rgb: RGB) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def delta_e(a: RGB, b: RGB) -> float:
    """CIE76 colour difference: about 2.3 is just noticeable, 10+ clearly different."""
    return math.dist(lab(a), lab(b))


# Brettel/Viénot-style simulation of the two common colour-vision deficiencies, as linear
# RGB matrices (Machado, Oliveira & Fernandes 2009, severity 1.0).
DEFICIENCIES = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}


def as_seen(rgb: RGB, deficiency: str) -> RGB:
    """``rgb`` as a viewer with ``deficiency`` (a key of :data:`DEFICIENCIES`) sees it."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    def gamma(c: float) -> float:
        c = min(max(c, 0.0), 1.0)
        return 255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055)

    lin = [linear(c) for c in rgb[:3]]
    matrix = DEFICIENCIES[deficiency]
    return tuple(gamma(sum(m * c for m, c in zip(row, lin, strict=True))) for row in matrix)  # type: ignore[return-value]

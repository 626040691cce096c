"""Ready-made logits a teacher can load with one click.

Each preset is a small story: where such logits come from and what to look for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    logits: tuple[float, ...]
    labels: tuple[str, ...]
    story: str


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "Dog / cat / bird",
            (2.0, 1.0, 0.1),
            ("dog", "cat", "bird"),
            "An image classifier's scores for one photo: softmax gives 0.659 / 0.242 / 0.099.",
        ),
        Preset(
            "Handwritten digit (0-9)",
            (-1.2, 0.3, 1.1, 6.2, -2.0, 2.4, -0.8, 0.9, 3.1, 1.7),
            tuple(str(d) for d in range(10)),
            "The 10 outputs of an MNIST network for a sloppy '3' that looks a little like an 8.",
        ),
        Preset(
            "Next word (NLP)",
            (4.1, 3.6, 3.2, 2.5, 1.9, 1.2, 0.4, -0.5),
            ("mat", "sofa", "floor", "bed", "roof", "table", "moon", "piano"),
            "A language model completing 'The cat sat on the …': temperature, top-k and top-p "
            "decide which word is written.",
        ),
        Preset(
            "Game action",
            (1.5, 0.2, 2.3, -0.7),
            ("left", "right", "jump", "wait"),
            "A game agent's policy network: softmax turns action scores into a choice.",
        ),
        Preset(
            "Overflow trap",
            (1000.0, 1001.0, 1002.0),
            ("a", "b", "c"),
            "exp(1000) is too large for float16, float32 and float64: the naive formula "
            "returns NaN, "
            "the stable one 0.090 / 0.245 / 0.665.",
        ),
        Preset(
            "Underflow trap",
            (-1000.0, -1000.0, -1000.0),
            ("a", "b", "c"),
            "exp(-1000) rounds to 0: the naive formula divides 0 by 0, "
            "the stable one gives 1/3 each.",
        ),
        Preset(
            "A tie",
            (1.0, 1.0, 0.0),
            ("heads", "tails", "edge"),
            "Two equal logits get equal probability, whatever the temperature.",
        ),
    )
}

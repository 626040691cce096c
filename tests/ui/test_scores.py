"""A score as a percentage (softmax_ui.text.share_of: the Quiz's score, the live class's
right answers), against an oracle in exact fractions."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from softmax_ui.i18n import language
from softmax_ui.quiz_round import Score
from softmax_ui.text import share_of


@st.composite
def parts(draw):
    whole = draw(st.integers(1, 10**6))
    return draw(st.integers(0, whole)), whole


@given(parts())
def test_a_share_is_the_nearest_whole_percent_and_a_half_rounds_up(part_whole):
    part, whole = part_whole
    exact = Fraction(100 * part, whole)
    shown = int(share_of(part, whole).removesuffix("%"))
    assert abs(shown - exact) <= Fraction(1, 2)
    if exact - int(exact) == Fraction(1, 2):
        assert shown == int(exact) + 1  # 5 of 8 is 63 %, as a score is read


def test_the_quiz_score_reads_the_same_way_in_each_language():
    assert Score(5, 8).share == "63%" and Score().share == "–"
    for lang in ("es", "fr"):
        with language(lang):
            assert Score(5, 8).share == "63\xa0%"

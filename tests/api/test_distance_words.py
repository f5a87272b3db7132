"""Distances in words: never "0.0 km"; Easy Read in plain words."""

from __future__ import annotations

import pytest

from assetmap.api.distance_words import distance_text
from assetmap.messages import messages


@pytest.mark.parametrize(("metres", "words"), [
    (0, "Less than 100 metres away"),
    (40, "Less than 100 metres away"),
    (130, "About 100 metres away"),
    (420, "About 400 metres away"),
    (900, "About half a mile away"),
    (1500, "About 1 mile away"),
    (3300, "About 2 miles away"),
    (16_000, "About 10 miles away"),
])
def test_easy_read_says_distances_in_plain_words(metres: float, words: str) -> None:
    assert distance_text(messages("en-easy"), metres) == words


@pytest.mark.parametrize(("metres", "words"), [
    (0, "Less than 100 metres away"),
    (99, "Less than 100 metres away"),
    (100, "0.1 km (0.1 miles) away"),
    (5000, "5.0 km (3.1 miles) away"),
])
def test_standard_pages_give_km_and_miles_but_never_zero(metres: float, words: str) -> None:
    assert distance_text(messages("en"), metres) == words

"""Spreadsheet-bound text: formula-looking cells are defused, everything else is untouched."""

from __future__ import annotations

import pandas as pd
import pytest

from assetmap.spreadsheet import neutralise, neutralise_formulas


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_formula_starts_get_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Ashby-de-la-Zouch", "Café = meeting place", "", None, -1, 2.5])
def test_other_values_are_unchanged(value: object) -> None:
    assert neutralise(value) == value


def test_neutralise_leaves_numbers_and_plain_text() -> None:
    frame = pd.DataFrame({"n": [-1, 2], "x": [-1.5, 0.5], "text": ["-x", "Ashby-de-la-Zouch"]})
    out = neutralise_formulas(frame)
    assert list(out["n"]) == [-1, 2]
    assert list(out["x"]) == [-1.5, 0.5]
    assert list(out["text"]) == ["'-x", "Ashby-de-la-Zouch"]
    assert list(frame["text"]) == ["-x", "Ashby-de-la-Zouch"], "the input is not changed"

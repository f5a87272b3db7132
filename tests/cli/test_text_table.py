"""Terminal tables: fit the width, fold long text and headers, "n/a" for unknown values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from assetmap.cli.text_table import text_table


def test_a_table_fits_the_width_folding_the_text_column() -> None:
    frame = pd.DataFrame({"Rank": [1, 2], "Reasons": ["a long reason " * 6, "short"],
                          "Residents per hub": [np.nan, 1234.0]})
    shown = text_table(frame, 40, wrap=("Reasons",))
    assert max(len(line) for line in shown.lines) <= 40
    assert shown.left_out == ["Residents per hub"]
    assert sum("a long reason" in line for line in shown.lines) > 1  # folded, not cut


def test_unknown_numbers_read_n_a_and_wide_keeps_everything() -> None:
    frame = pd.DataFrame({"Rank": [1], "Residents per hub": [np.nan], "Score (0–100)": [12.34]})
    shown = text_table(frame, None)
    assert shown.left_out == []
    text = "\n".join(shown.lines)
    assert "n/a" in text and "nan" not in text.lower().replace("n/a", "")
    assert "12.3" in text

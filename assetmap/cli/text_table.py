"""Tables for a terminal: fit the width (``COLUMNS``), wrap long text, "n/a" for unknown.

Columns are kept in their order, the first ones first, until the width is used; a text
column named in ``wrap`` is folded onto more lines rather than dropped. What did not fit
is named under the table, with ``--wide`` (every column, no wrapping) as the way to see it.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from assetmap.reports.html_tables import cell_text

__all__ = ["TextTable", "terminal_width", "text_table"]

_GAP = "  "
_MIN_WRAPPED = 24  # a wrapped column narrower than this reads worse than leaving it out


@dataclass(frozen=True)
class TextTable:
    lines: list[str]
    left_out: list[str]  # columns that did not fit the width


def terminal_width() -> int:
    """The terminal's width: ``COLUMNS`` when set, else the terminal's own, else 80."""
    return shutil.get_terminal_size((80, 24)).columns


def _cells(frame: pd.DataFrame) -> dict[str, list[str]]:
    return {str(c): [cell_text(str(c), v) for v in frame[c].tolist()] for c in frame.columns}


def _numeric(values: Sequence[str]) -> bool:
    return all(v == "n/a" or v.replace(",", "").replace(".", "").replace("%", "")
               .lstrip("+-").isdigit() for v in values)


def _natural(cells: dict[str, list[str]]) -> dict[str, int]:
    """Each column's width: its longest value, or its header's longest word (headers fold)."""
    return {c: max([*(len(word) for word in c.split()), *(len(v) for v in vs)])
            for c, vs in cells.items()}


def _choose(cells: dict[str, list[str]], width: int, wrap: Sequence[str]
            ) -> tuple[dict[str, int], list[str]]:
    """Each kept column's width, and the columns left out, for a table ``width`` wide."""
    natural = _natural(cells)
    kept: dict[str, int] = {}
    left_out = []
    for column, size in natural.items():
        used = sum(kept.values()) + len(_GAP) * len(kept)
        room = width - used
        if size <= room:
            kept[column] = size
        elif column in wrap and room >= _MIN_WRAPPED:
            kept[column] = room
        else:
            left_out.append(column)
    return kept, left_out


def text_table(frame: pd.DataFrame, width: int | None, wrap: Sequence[str] = ()) -> TextTable:
    """``frame`` as lines at most ``width`` characters (no limit when None)."""
    cells = _cells(frame)
    if width is None:
        kept = {c: max([len(c), *(len(v) for v in vs)]) for c, vs in cells.items()}
        left_out: list[str] = []
    else:
        kept, left_out = _choose(cells, width, wrap)
    if not kept:
        return TextTable([], left_out)
    right = {c: _numeric(cells[c]) for c in kept}

    def line(values: dict[str, list[str]], row: int) -> str:
        parts = []
        for column, size in kept.items():
            text = values[column][row] if row < len(values[column]) else ""
            parts.append(text.rjust(size) if right[column] else text.ljust(size))
        return _GAP.join(parts).rstrip()

    def rows(texts: dict[str, str]) -> list[str]:
        folded = {c: textwrap.wrap(texts[c], kept[c]) or [""] for c in kept}
        return [line(folded, row) for row in range(max(len(p) for p in folded.values()))]

    lines = rows({c: c for c in kept})
    lines.append(_GAP.join("-" * size for size in kept.values()))
    for index in range(len(frame)):
        lines.extend(rows({c: cells[c][index] for c in kept}))
    return TextTable(lines, left_out)

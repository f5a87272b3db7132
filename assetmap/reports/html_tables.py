"""The report's tables as the template draws them: cells with text, alignment and links.

:func:`frame_table` turns a pandas table (``reports/tables.py``) into a :class:`Table`,
formatting each value once ("n/a" where unknown, never NaN) for the page and the PDF.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Cell", "Table", "cell_text", "frame_table", "linked"]

_NUMERIC_HINTS = ("Rank", "Population", "Hubs", "Residents", "%", "Mean", "Score", "Newly",
                  "Small areas", "Value", "Default", "mean distance", "per 1,000")


_WIDE_COLUMNS = {"Reasons": "rp-col-text", "Meaning": "rp-col-text", "Flags": "rp-col-flags",
                 "Rank stability": "rp-col-text"}


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    css: str = ""
    href: str = ""  # a link (e.g. "Show on map"); the text then names where it goes
    hidden: str = ""  # words for screen readers only, after the text (which row it is)


@dataclass(frozen=True)
class Table:
    """A table ready for the template: caption, header cells, rows of cells."""

    id: str
    caption: str
    columns: list[Cell]
    rows: list[list[Cell]]
    row_header: int = 0  # which column names the row (<th scope="row">)
    row_ids: tuple[str, ...] = ()  # an anchor per row (``#site-1``, ``#area-E43000001``)


def linked(table: Table, prefix: str, keys: Iterable[Any]) -> Table:
    """``table`` with an anchor per row and a last "Map" column linking to the map.

    Plain links (no script): each row can be linked to (``#site-1``) and reaches
    the map section, where the site's number or the area's shading shows it.
    """
    ids = tuple(f"{prefix}-{key}" for key in keys)
    rows = [
        [*row, Cell("Show on map", href="#district-map", hidden=f" ({row[table.row_header].text})")]
        for row in table.rows
    ]
    return replace(table, columns=[*table.columns, Cell("Map")], rows=rows, row_ids=ids)


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def cell_text(column: str, value: Any) -> str:
    if _blank(value):
        return "n/a"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if column.startswith("%") or "% outside" in column:
        return f"{float(value):.1f}%"
    if isinstance(value, float | np.floating):
        return f"{value:,.1f}" if column.startswith("Score") else f"{value:,.0f}"
    if isinstance(value, int | np.integer) and column not in ("Rank",):
        return f"{int(value):,}"
    return str(value)


def _numeric(column: str, series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series) and (
        any(hint in column for hint in _NUMERIC_HINTS)
    )


def frame_table(frame: pd.DataFrame, id: str, caption: str, row_header: int = 0) -> Table:
    numeric = {column: _numeric(str(column), frame[column]) for column in frame.columns}
    columns = [
        Cell(str(column), numeric[column], _WIDE_COLUMNS.get(str(column), ""))
        for column in frame.columns
    ]
    rows = [
        [
            Cell(cell_text(str(column), value), numeric[column])
            for column, value in zip(frame.columns, record, strict=True)
        ]
        for record in frame.itertuples(index=False, name=None)
    ]
    return Table(id=id, caption=caption, columns=columns, rows=rows, row_header=row_header)

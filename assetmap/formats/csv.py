"""CSV for spreadsheets: cells Excel or LibreOffice would run as formulas are defused.

A CSV cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some spreadsheets skip before looking) is run as a formula when
the file is opened, so a hall named ``=HYPERLINK(…)`` could act on the
reader's machine. Such text gets a leading ``'``, which spreadsheets show as
text and do not run. Numbers are left alone: ``-1.2`` in a numeric column is
a number, not a formula.

The bytes are UTF-8 with a byte-order mark and CRLF line ends: without the
mark, Excel on Windows reads a double-clicked CSV in the local code page and
garbles names such as "Café" and the "©" of an attribution.

Files for machines rather than people (the downloads ``assetmap fetch`` hands
to the importers) are :func:`data_csv_bytes`: plain UTF-8, LF, values exactly as given.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import pandas as pd

__all__ = [
    "ENCODING",
    "FORMULA_START",
    "LINE_END",
    "data_csv_bytes",
    "neutralise",
    "neutralise_formulas",
    "rows_csv_bytes",
    "table_csv_bytes",
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark, for Excel
LINE_END = "\r\n"


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells are safe to open in a spreadsheet."""
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        try:  # vectorised: a 100,000-row layer takes milliseconds, not seconds
            risky = values.str.startswith(FORMULA_START, na=False).astype(bool)
        except AttributeError:  # no text in the column (e.g. dates as objects)
            continue
        if risky.any():
            out[column] = values.mask(risky, "'" + values.astype(str))
    return out


def table_csv_bytes(table: pd.DataFrame) -> bytes:
    """``table`` (no index) as Excel-safe CSV bytes: defused cells, BOM, CRLF."""
    text: str = neutralise_formulas(table).to_csv(index=False, lineterminator=LINE_END)
    return text.encode(ENCODING)


def rows_csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A header and rows as Excel-safe CSV bytes; ``None`` cells are written empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise("" if value is None else value) for value in row])
    return buffer.getvalue().encode(ENCODING)


def data_csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A header and rows as plain CSV for importers: UTF-8 without BOM, LF, nothing defused.

    ``None`` cells are written empty.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
